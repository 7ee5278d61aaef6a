//! Where a survey sheet without unit or date columns gets them.
//!
//! A per-unit IKM worksheet as regional portals publish it, or a Google Form made for one unit,
//! has answer columns only. Its unit and survey period are then taken, in this order, from:
//! the configuration (`[tables.skm] unit`, `periode`), the sheet's title block ("UNIT PELAYANAN :
//! PUSKESMAS PASSO", "PERIODE : SEMESTER I TAHUN 2025"), the sheet's name, and the file's name
//! ("skm_PKM17_2025-S1.xlsx"). What was used is reported with the file, and a unit taken this
//! way must still be a known unit, or every row is rejected with `unit_tidak_dikenal`.

use mutasi_domain::config::TableConfig;
use mutasi_domain::normalize::period::{Period, parse_period};

/// The values a file's rows get when they have no column for them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RowContext {
    pub unit: Option<String>,
    pub periode: Option<Period>,
    /// Where each value came from, for the summary.
    pub notes: Vec<String>,
}

/// Sheet names that say nothing about the unit.
fn generic_sheet_name(name: &str) -> bool {
    let k: String = name.chars().filter(|c| c.is_alphabetic()).flat_map(char::to_lowercase).collect();
    k.is_empty()
        || [
            "sheet",
            "lembar",
            "tabel",
            "formresponses",
            "jawabanformulir",
            "data",
            "rekap",
            "skm",
            "ikm",
            "hasil",
            "survei",
            "survey",
            "responden",
        ]
        .contains(&k.as_str())
}

/// A name split into a unit and a period at its end: "PKM17 2025-S1", "Puskesmas Passo
/// Semester I 2025", "2025-S1" (period only), "Puskesmas Passo" (unit only).
fn split_name(name: &str) -> (Option<String>, Option<Period>) {
    let cleaned = name.replace(['_', '+'], " ");
    let words: Vec<&str> = cleaned.split_whitespace().collect();
    for start in 0..words.len() {
        let tail = words[start..].join(" ");
        // A period named here must carry its year.
        if !tail.split(|c: char| !c.is_ascii_digit()).any(|d| d.len() == 4) {
            continue;
        }
        if let Ok(p) = parse_period(&tail) {
            let unit = words[..start].join(" ");
            return ((!generic_sheet_name(&unit)).then(|| unit.trim().to_string()), Some(p));
        }
    }
    ((!generic_sheet_name(&cleaned)).then(|| cleaned.trim().to_string()), None)
}

/// "UNIT PELAYANAN : PUSKESMAS PASSO" → "PUSKESMAS PASSO".
fn labelled_unit(line: &str) -> Option<String> {
    let (label, value) = line.split_once([':', '='])?;
    let l: String = label.chars().filter(|c| c.is_alphabetic()).flat_map(char::to_lowercase).collect();
    let known = [
        "unit",
        "unitpelayanan",
        "unitlayanan",
        "namaunit",
        "namaunitpelayanan",
        "unitkerja",
        "puskesmas",
        "opd",
        "perangkatdaerah",
    ];
    let value = value.trim();
    (known.contains(&l.as_str()) && !value.is_empty()).then(|| value.to_string())
}

/// A title line naming a period: "PERIODE : SEMESTER I TAHUN 2025", "SEMESTER II 2024".
fn period_in_line(line: &str) -> Option<Period> {
    let lower = line.to_lowercase();
    let mentions = ["periode", "semester", "triwulan", "tahun", "bulan"].iter().any(|w| lower.contains(w))
        || lower.split_whitespace().any(|w| mutasi_domain::normalize::month::month_from_word(w).is_some());
    if !mentions {
        return None;
    }
    let value = line.split_once(':').map_or(line, |(_, v)| v);
    let words: Vec<&str> = value.split_whitespace().collect();
    (0..words.len()).find_map(|start| parse_period(&words[start..].join(" ")).ok())
}

/// The unit and period of a survey file's rows, where its columns lack them.
pub fn survey_context(
    cfg: &TableConfig,
    title: &[String],
    sheet: Option<&str>,
    file_stem: &str,
) -> RowContext {
    let mut ctx = RowContext::default();
    if let Some(u) = &cfg.unit {
        ctx.unit = Some(u.clone());
        ctx.notes.push(format!("unit `{u}` dari konfigurasi / from the config"));
    }
    if let Some(p) = cfg.periode.as_deref().and_then(|p| parse_period(p).ok()) {
        ctx.periode = Some(p);
        ctx.notes.push(format!("periode {} dari konfigurasi / from the config", p.label()));
    }
    if ctx.unit.is_none()
        && let Some(u) = title.iter().find_map(|l| labelled_unit(l))
    {
        ctx.notes.push(format!("unit `{u}` dari judul lembar / from the sheet title"));
        ctx.unit = Some(u);
    }
    if ctx.periode.is_none()
        && let Some(p) = title.iter().find_map(|l| period_in_line(l))
    {
        ctx.notes.push(format!("periode {} dari judul lembar / from the sheet title", p.label()));
        ctx.periode = Some(p);
    }
    let stem = file_stem.to_lowercase();
    let stem =
        stem.strip_prefix("skm").map_or(file_stem, |_| &file_stem[3..]).trim_start_matches(['_', '-', ' ']);
    for (source, name) in
        [("nama lembar / the sheet name", sheet.unwrap_or("")), ("nama berkas / the file name", stem)]
    {
        let (unit, periode) = split_name(name);
        if ctx.unit.is_none()
            && let Some(u) = unit
        {
            ctx.notes.push(format!("unit `{u}` dari {source}"));
            ctx.unit = Some(u);
        }
        if ctx.periode.is_none()
            && let Some(p) = periode
        {
            ctx.notes.push(format!("periode {} dari {source}", p.label()));
            ctx.periode = Some(p);
        }
    }
    ctx
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_titles_and_config() {
        let none = TableConfig::default();
        let title = vec![
            "PENGOLAHAN DATA SURVEI KEPUASAN MASYARAKAT PER RESPONDEN DAN PER UNSUR PELAYANAN".to_string(),
            "UNIT PELAYANAN : PUSKESMAS PASSO".to_string(),
            "PERIODE : SEMESTER I TAHUN 2025".to_string(),
        ];
        let c = survey_context(&none, &title, Some("Sheet1"), "ikm_passo");
        assert_eq!(c.unit.as_deref(), Some("PUSKESMAS PASSO"));
        assert_eq!(c.periode.map(|p| p.label()).as_deref(), Some("2025-S1"));
        let c = survey_context(&none, &[], Some("PKM17 2025-S2"), "skm");
        assert_eq!(
            (c.unit.as_deref(), c.periode.map(|p| p.label())),
            (Some("PKM17"), Some("2025-S2".into()))
        );
        let c = survey_context(&none, &[], Some("Form Responses 1"), "skm_PKM01_Semester II 2024");
        assert_eq!(
            (c.unit.as_deref(), c.periode.map(|p| p.label())),
            (Some("PKM01"), Some("2024-S2".into()))
        );
        let c = survey_context(&none, &[], Some("Sheet1"), "skm");
        assert_eq!((c.unit, c.periode), (None, None));
        let cfg = TableConfig {
            unit: Some("PKM01".into()),
            periode: Some("2025".into()),
            ..TableConfig::default()
        };
        let c = survey_context(&cfg, &title, Some("PKM17 2025-S2"), "skm");
        assert_eq!((c.unit.as_deref(), c.periode.map(|p| p.label())), (Some("PKM01"), Some("2025".into())));
        assert_eq!(c.notes.len(), 2);
    }
}
