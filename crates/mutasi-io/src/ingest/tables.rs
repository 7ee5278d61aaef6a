//! Row parsers, one per canonical table: which columns to read and how each is normalised.
//!
//! A parser returns the canonical row(s) for one input row, or nothing when the row context
//! recorded a reject. Values of optional columns that cannot be understood are dropped with a
//! warning rather than losing the whole row ("reject only what is truly wrong").

use chrono::NaiveDate;
use std::sync::Arc;

use super::cell::Cell;
use super::row::RowCtx;
use mutasi_domain::model::{
    JenisMutasi, KinerjaRow, LayananRow, MutasiRow, PegawaiRow, PelatihanRow, PermohonanRow, RiwayatRow,
    SKM_MAX_UNSUR, SkmRow, StatusPermohonan, Sym, Symbols, UnitRow,
};
use mutasi_domain::normalize::golongan::normalize_golongan;
use mutasi_domain::normalize::name::display_name;
use mutasi_domain::normalize::nip::{AsnStatus, Gender};
use mutasi_domain::normalize::period::Period;
use mutasi_domain::normalize::rating::{
    predikat_from_label, predikat_from_siasn_code, rating_from_label, rating_from_siasn_code,
};
use mutasi_domain::normalize::skm_answer::answer_from_label;
use mutasi_domain::reason::Reason;
use mutasi_domain::schema::{WideEncoding, indicator_key, kinerja_indicator_rule};

/// Interns indicator names and unit ids so millions of rows share a few strings: the kinerja
/// rows hold codes into [`Symbols`], the smaller tables shared pointers.
#[derive(Default)]
pub struct Interner {
    symbols: Symbols,
    /// The code of the [`indicator_key`] of each indicator text seen: a long kinerja export
    /// repeats a handful of indicator names millions of times.
    indicators: foldhash::HashMap<String, Sym>,
}

impl Interner {
    pub fn code(&mut self, s: &str) -> Sym {
        self.symbols.code(s)
    }

    /// The code of the [`indicator_key`] of `raw`.
    pub fn indicator_code(&mut self, raw: &str) -> Sym {
        if let Some(c) = self.indicators.get(raw) {
            return *c;
        }
        let c = self.symbols.code(&indicator_key(raw));
        self.indicators.insert(raw.to_string(), c);
        c
    }

    /// The interned [`indicator_key`] of `raw`.
    pub fn indicator(&mut self, raw: &str) -> Arc<str> {
        let c = self.indicator_code(raw);
        Arc::clone(self.symbols.name(c))
    }

    /// The texts the codes refer to.
    pub fn into_symbols(self) -> Symbols {
        self.symbols
    }
}

/// Runs `f` and turns the rejects it records into warnings: the value is dropped, the row kept.
fn soft<T>(ctx: &mut RowCtx<'_, '_>, f: impl FnOnce(&mut RowCtx<'_, '_>) -> Option<T>) -> Option<T> {
    let before = ctx.rejects.len();
    let v = f(ctx);
    let moved: Vec<_> = ctx
        .rejects
        .drain(before..)
        .map(|r| r.with_detail("nilai dikosongkan, baris tetap dipakai / value dropped, row kept"))
        .collect();
    ctx.warnings.extend(moved);
    v
}

pub fn unit_kerja(ctx: &mut RowCtx<'_, '_>) -> Option<UnitRow> {
    let unit_id = ctx.required_text("unit_id");
    let nama_unit = ctx.required_text("nama_unit");
    let row = UnitRow {
        prov: ctx.prov,
        unit_id: unit_id?,
        nama_unit: nama_unit?,
        opd: ctx.text("opd"),
        jenis_unit: ctx.text("jenis_unit"),
        kecamatan: ctx.text("kecamatan"),
        induk_unit_id: ctx.text("induk_unit_id"),
    };
    ctx.rejects.is_empty().then_some(row)
}

/// Splits a SIMPEG DUK cell holding the name and, usually on a second line, "NIP. …": the name
/// and the NIP text. Without a `NIP` marker, a last line of 18 or more digits is the NIP.
pub fn split_nama_nip(raw: &str) -> (Option<&str>, Option<&str>) {
    let lower = raw.to_ascii_lowercase();
    let marker = lower.match_indices("nip").map(|(i, _)| i).find(|&i| {
        let before = lower[..i].chars().next_back();
        let after = lower[i + 3..].chars().next();
        before.is_none_or(|c| !c.is_alphanumeric()) && after.is_none_or(|c| !c.is_alphabetic())
    });
    fn clean_name(s: &str) -> Option<&str> {
        let n = s.trim().trim_end_matches(['/', ',', ';', '-', '|']).trim();
        (!n.is_empty()).then_some(n)
    }
    if let Some(i) = marker {
        let nip = raw[i + 3..].trim_start_matches(['.', ':', ' ']).trim();
        return (clean_name(&raw[..i]), (!nip.is_empty()).then_some(nip));
    }
    if let Some((name, last)) = raw.trim().rsplit_once('\n')
        && last.chars().filter(char::is_ascii_digit).count() >= 18
    {
        return (clean_name(name), Some(last.trim()));
    }
    (clean_name(raw), None)
}

pub fn pegawai(ctx: &mut RowCtx<'_, '_>) -> Option<PegawaiRow> {
    let (nip, nama) = if ctx.map.has("nip") || !ctx.map.has("nama_nip") {
        (ctx.nip("nip", true), ctx.text("nama"))
    } else {
        // A DUK: "Maria Ely, S.Kep\nNIP. 19900115 201403 2 002" in one cell.
        let cell = ctx.cell("nama_nip");
        let (name, nip_text) = match cell {
            Cell::Text(s) => split_nama_nip(s),
            _ => (None, None),
        };
        let nip = ctx.nip_of("nama_nip", nip_text.map_or(Cell::Empty, Cell::Text), true);
        (nip, name.map(str::to_string).or_else(|| ctx.text("nama")))
    };
    let gender_col = ctx.text("jenis_kelamin");
    let birth_col = soft(ctx, |c| c.date("tanggal_lahir", false));
    let status_col = ctx.text("status_asn");
    let golongan_raw = ctx.text("golongan");
    let nip = nip?;
    let jenis_kelamin = match gender_col.as_deref().map(|g| (g, Gender::parse(g))) {
        None => nip.gender,
        Some((raw, None)) => {
            ctx.warn("jenis_kelamin", raw, Reason::ValueUnrecognisedKept);
            nip.gender
        }
        Some((raw, Some(g))) => {
            if g != nip.gender {
                ctx.warn("jenis_kelamin", raw, Reason::GenderMismatch);
            }
            g
        }
    };
    let tanggal_lahir = match birth_col {
        Some(d) => {
            if d != nip.birth_date {
                ctx.warn("tanggal_lahir", mutasi_domain::normalize::date::iso(d), Reason::BirthDateMismatch);
            }
            d
        }
        None => nip.birth_date,
    };
    let status_asn = match status_col.as_deref().map(|s| (s, AsnStatus::parse(s))) {
        None => nip.status,
        Some((raw, None)) => {
            ctx.warn("status_asn", raw, Reason::ValueUnrecognisedKept);
            nip.status
        }
        Some((raw, Some(s))) => {
            if s != nip.status {
                ctx.warn("status_asn", raw, Reason::StatusMismatch);
            }
            s
        }
    };
    let golongan = golongan_raw.as_deref().and_then(|g| {
        let n = normalize_golongan(g);
        if n.is_none() {
            ctx.warn("golongan", g, Reason::ValueUnrecognisedKept);
        }
        n
    });
    let row = PegawaiRow {
        prov: ctx.prov,
        nip,
        pns_id: ctx.text("pns_id"),
        nama_tampilan: nama.as_deref().map(display_name),
        nama,
        jenis_kelamin,
        tanggal_lahir,
        status_asn,
        golongan,
        jenis_jabatan: ctx.text("jenis_jabatan"),
        jabatan: ctx.text("jabatan"),
        unit_id: ctx.text("unit_id"),
    };
    ctx.rejects.is_empty().then_some(row)
}

/// One job-history record. The unit is its id, or its name where the export has no id column
/// or leaves the id empty; the post is whichever of the structural, functional and pelaksana
/// post names SIASN filled in.
pub fn riwayat_jabatan(ctx: &mut RowCtx<'_, '_>) -> Option<RiwayatRow> {
    let nip = ctx.nip("nip", true);
    let tmt = ctx.date("tmt", true);
    let unit = ctx.text("unit_id").or_else(|| ctx.text("nama_unit"));
    if unit.is_none() && ctx.rejects.is_empty() {
        let column = if ctx.map.has("unit_id") { "unit_id" } else { "nama_unit" };
        ctx.reject(column, Cell::Empty, Reason::RequiredEmpty);
    }
    let jabatan = ctx
        .text("jabatan")
        .or_else(|| ctx.text("jabatan_fungsional"))
        .or_else(|| ctx.text("jabatan_pelaksana"));
    let tanggal_sk = soft(ctx, |c| c.date("tanggal_sk", false));
    let row = RiwayatRow {
        prov: ctx.prov,
        nip: nip?.value,
        tmt: tmt?,
        unit: unit?,
        unit_dikenal: false,
        jabatan,
        eselon: ctx.text("eselon"),
        jenis_jabatan: ctx.text("jenis_jabatan"),
        nomor_sk: ctx.text("nomor_sk"),
        tanggal_sk,
        jenis_mutasi_siasn: ctx.text("jenis_mutasi"),
        peristiwa: None,
    };
    ctx.rejects.is_empty().then_some(row)
}

pub fn mutasi(ctx: &mut RowCtx<'_, '_>) -> Option<MutasiRow> {
    let nip = ctx.nip("nip", true);
    let tmt = ctx.date("tmt", true);
    let unit_tujuan_id = ctx.required_text("unit_tujuan_id");
    let jenis = match ctx.text("jenis_mutasi") {
        None => None,
        Some(raw) => match JenisMutasi::parse(&raw) {
            Ok(j) => j,
            Err(_) => {
                let cell = ctx.cell("jenis_mutasi");
                ctx.reject("jenis_mutasi", cell, Reason::JenisMutasiUnknown);
                None
            }
        },
    };
    let tanggal_sk = soft(ctx, |c| c.date("tanggal_sk", false));
    let row = MutasiRow {
        prov: ctx.prov,
        nip: nip?.value,
        tmt: tmt?,
        unit_tujuan_id: unit_tujuan_id?,
        unit_asal_id: ctx.text("unit_asal_id"),
        jenis_mutasi: jenis,
        jenis_mutasi_turunan: jenis.is_none(),
        jabatan_baru: ctx.text("jabatan_baru"),
        nomor_sk: ctx.text("nomor_sk"),
        tanggal_sk,
        dari_riwayat: false,
    };
    ctx.rejects.is_empty().then_some(row)
}

/// An optional end date, dropped with a warning when it is before `start`.
fn end_date(ctx: &mut RowCtx<'_, '_>, column: &str, start: Option<NaiveDate>) -> Option<NaiveDate> {
    let end = soft(ctx, |c| c.date(column, false))?;
    match start {
        Some(s) if end < s => {
            ctx.warn(column, mutasi_domain::normalize::date::iso(end), Reason::DateOrder);
            None
        }
        _ => Some(end),
    }
}

pub fn permohonan(ctx: &mut RowCtx<'_, '_>) -> Option<PermohonanRow> {
    let nip = ctx.nip("nip", true);
    let tanggal = ctx.date("tanggal_pengajuan", true);
    let status_raw = ctx.required_text("status");
    let status = status_raw.as_deref().and_then(|s| {
        let parsed = StatusPermohonan::parse(s);
        if parsed.is_none() {
            ctx.reject("status", ctx.cell("status"), Reason::StatusPermohonanUnknown);
        }
        parsed
    });
    let keputusan = end_date(ctx, "tanggal_keputusan", tanggal);
    let row = PermohonanRow {
        prov: ctx.prov,
        nip: nip?.value,
        tanggal_pengajuan: tanggal?,
        status: status?,
        unit_asal_id: ctx.text("unit_asal_id"),
        unit_tujuan_diminta_id: ctx.text("unit_tujuan_diminta_id"),
        alasan: ctx.text("alasan"),
        tanggal_keputusan: keputusan,
        nomor_sk: ctx.text("nomor_sk"),
    };
    ctx.rejects.is_empty().then_some(row)
}

pub fn pelatihan(ctx: &mut RowCtx<'_, '_>) -> Option<PelatihanRow> {
    let nip = ctx.nip("nip", true);
    let mulai = ctx.date("tanggal_mulai", true);
    let jenis = ctx.required_text("jenis");
    let selesai = end_date(ctx, "tanggal_selesai", mulai);
    let cell = ctx.cell("jam_pelajaran");
    let jp = if cell.is_blank() {
        None
    } else {
        soft(ctx, |c| {
            let v = c.number_of("jam_pelajaran", cell)?;
            if v < 0.0 {
                c.reject("jam_pelajaran", cell, Reason::ValueOutOfRange);
                return None;
            }
            Some(v)
        })
    };
    let row = PelatihanRow {
        prov: ctx.prov,
        nip: nip?.value,
        tanggal_mulai: mulai?,
        jenis: jenis?.to_lowercase(),
        tanggal_selesai: selesai,
        jam_pelajaran: jp,
        penyelenggara: ctx.text("penyelenggara"),
    };
    ctx.rejects.is_empty().then_some(row)
}

/// Reads a kinerja value in the given encoding and checks its range.
fn kinerja_value(
    ctx: &mut RowCtx<'_, '_>,
    column: &str,
    cell: Cell<'_>,
    encoding: WideEncoding,
    min: f64,
    max: f64,
) -> Option<f64> {
    let label = match cell {
        Cell::Text(s) if s.trim().chars().any(char::is_alphabetic) => Some(s),
        _ => None,
    };
    let value = match (encoding, label) {
        (WideEncoding::Numeric, _) => ctx.number_of(column, cell),
        (WideEncoding::Rating | WideEncoding::RatingSiasnCode, Some(l)) => {
            rating_from_label(l).map(f64::from).or_else(|| {
                ctx.reject(column, cell, Reason::LabelUnknown);
                None
            })
        }
        (WideEncoding::Predikat | WideEncoding::PredikatSiasnCode, Some(l)) => {
            predikat_from_label(l).map(f64::from).or_else(|| {
                ctx.reject(column, cell, Reason::LabelUnknown);
                None
            })
        }
        (WideEncoding::RatingSiasnCode, None) => ctx.number_of(column, cell).and_then(|v| {
            rating_from_siasn_code(v).map(f64::from).or_else(|| {
                ctx.reject(column, cell, Reason::ValueOutOfRange);
                None
            })
        }),
        (WideEncoding::PredikatSiasnCode, None) => ctx.number_of(column, cell).and_then(|v| {
            predikat_from_siasn_code(v).map(f64::from).or_else(|| {
                ctx.reject(column, cell, Reason::ValueOutOfRange);
                None
            })
        }),
        (WideEncoding::Rating | WideEncoding::Predikat, None) => ctx.number_of(column, cell).and_then(|v| {
            if v.fract() != 0.0 {
                ctx.reject(column, cell, Reason::ValueOutOfRange);
                None
            } else {
                Some(v)
            }
        }),
    }?;
    if value < min || value > max {
        ctx.reject(column, cell, Reason::ValueOutOfRange);
        return None;
    }
    Some(value)
}

fn kinerja_period(ctx: &mut RowCtx<'_, '_>) -> Option<Period> {
    // An annual SKP (SIASN `rw-skp22`): the year alone is the period.
    if let Some(y) = ctx.map.year_only.filter(|_| !ctx.map.has("periode")) {
        let cell = ctx.cell_at(y);
        let text = cell.raw().trim().trim_end_matches(".0").to_string();
        return ctx.period_of("tahun", Cell::Text(&text));
    }
    if let Some((y, m)) = ctx.map.year_month.filter(|_| !ctx.map.has("periode")) {
        let (yc, mc) = (ctx.cell_at(y), ctx.cell_at(m));
        let text = format!("{}-{:0>2}", yc.raw().trim(), mc.raw().trim());
        let owned = text.clone();
        return ctx.period_of("tahun+bulan", Cell::Text(&owned));
    }
    let cell = ctx.cell("periode");
    ctx.period_of("periode", cell)
}

/// Parses one kinerja row into `out`: one row per indicator (one in the long layout, one per
/// filled indicator column in the wide one), or none when the row is rejected.
pub fn kinerja(ctx: &mut RowCtx<'_, '_>, interner: &mut Interner, out: &mut Vec<KinerjaRow>) {
    let nip = ctx.nip("nip", true);
    let periode = kinerja_period(ctx);
    let unit_id = ctx.text_ref("unit_id").map(|u| interner.code(&u));
    let penilai = soft(ctx, |c| c.nip("penilai_nip", false)).and_then(|n| std::num::NonZeroU64::new(n.value));
    // Rows go straight into the table (no per-row vector) and are taken back if the row fails.
    let (start, prov) = (out.len(), ctx.prov);
    let mut found = 0usize;
    let mut push = |out: &mut Vec<KinerjaRow>, indikator: Sym, nilai: f64| {
        found += 1;
        if let (Some(nip), Some(periode)) = (nip, periode) {
            out.push(KinerjaRow {
                prov,
                nip: nip.value,
                periode,
                indikator,
                nilai,
                unit_id,
                penilai_nip: penilai,
            });
        }
    };
    let map = ctx.map;
    if map.is_wide() {
        for &(idx, w) in &map.wide {
            let cell = ctx.cell_at(idx);
            if cell.is_blank() {
                continue;
            }
            let rule = kinerja_indicator_rule(w.indikator);
            if let Some(v) = kinerja_value(ctx, w.indikator, cell, w.encoding, rule.min, rule.max) {
                push(out, interner.code(w.indikator), v);
            }
        }
        if found == 0 && ctx.rejects.is_empty() {
            ctx.reject("nilai", Cell::Empty, Reason::RequiredEmpty);
        }
    } else if let Some(ind) = ctx.required_text_ref("indikator") {
        let key = interner.indicator_code(&ind);
        let rule = kinerja_indicator_rule(interner.symbols.name(key));
        let cell = ctx.cell("nilai");
        if let Some(v) = kinerja_value(ctx, "nilai", cell, rule.encoding, rule.min, rule.max) {
            push(out, key, v);
        }
    }
    if !ctx.rejects.is_empty() {
        out.truncate(start);
    }
}

pub fn layanan(ctx: &mut RowCtx<'_, '_>, interner: &mut Interner) -> Option<LayananRow> {
    let unit_id = ctx.required_text("unit_id");
    let cell = ctx.cell("periode");
    let periode = ctx.period_of("periode", cell);
    let indikator = ctx.required_text_ref("indikator").map(|i| interner.indicator(&i));
    let cell = ctx.cell("nilai");
    let nilai = ctx.number_of("nilai", cell);
    if let Some(v) = nilai
        && v < 0.0
    {
        ctx.reject("nilai", cell, Reason::ValueOutOfRange);
    }
    let row = LayananRow {
        prov: ctx.prov,
        unit_id: unit_id?,
        periode: periode?,
        indikator: indikator?,
        nilai: nilai?,
    };
    ctx.rejects.is_empty().then_some(row)
}

pub const SKM_COLUMNS: [&str; SKM_MAX_UNSUR] =
    ["u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8", "u9", "u10", "u11", "u12", "u13", "u14"];

/// What one row of a survey sheet is.
#[derive(Debug, Clone, PartialEq)]
pub enum SkmOutcome {
    /// A respondent's answers.
    Row(SkmRow),
    /// Rejected (the reasons are in the row context).
    Rejected,
    /// A summary row of an IKM worksheet (`Σ Nilai / Unsur`, `NRR / Unsur`, notes): layout,
    /// not a respondent. For `IKM UNIT PELAYANAN`, the reported IKM konversi (25–100).
    Summary(Option<f64>),
}

/// The first filled cell of a row, when it is a summary or note label of an IKM worksheet.
fn summary_label(ctx: &RowCtx<'_, '_>) -> Option<String> {
    let first = ctx.cells.iter().find(|c| !c.is_blank())?;
    let Cell::Text(s) = first else { return None };
    let l = s.trim().to_lowercase();
    let labels = [
        "σ",
        "∑",
        "jumlah",
        "total",
        "nrr",
        "ikm",
        "rata",
        "mutu",
        "kinerja unit",
        "nilai",
        "keterangan",
        "catatan",
        "*",
    ];
    labels.iter().any(|p| l.starts_with(p)).then_some(l)
}

pub fn skm(ctx: &mut RowCtx<'_, '_>) -> SkmOutcome {
    if let Some(label) = summary_label(ctx) {
        if !label.starts_with("ikm") {
            return SkmOutcome::Summary(None);
        }
        // The worksheet's own IKM: the last number of the row, as an index (1–4) or konversi.
        let value = ctx.cells.iter().rev().find_map(|c| match c {
            Cell::Int(i) => Some(*i as f64),
            Cell::Float(f) => Some(*f),
            Cell::Text(t) => mutasi_domain::normalize::number::parse_number(t, ctx.decimal).ok(),
            _ => None,
        });
        let konversi =
            value.map(|v| if v <= 4.0 { v * 25.0 } else { v }).filter(|v| (25.0..=100.0).contains(v));
        return SkmOutcome::Summary(konversi);
    }
    let unit_id = if ctx.map.has("unit_id") || ctx.context.unit.is_none() {
        ctx.required_text("unit_id")
    } else {
        ctx.context.unit.clone()
    };
    let tanggal = match ctx.context.periode.filter(|_| !ctx.map.has("tanggal")) {
        Some(p) => p.start(),
        None => ctx.date("tanggal", true),
    };
    let mut answers = [None; SKM_MAX_UNSUR];
    for (i, col) in SKM_COLUMNS.iter().enumerate() {
        let cell = ctx.cell(col);
        if cell.is_blank() {
            continue;
        }
        // Google Forms writes the option ticked: a label of the questionnaire.
        if let Cell::Text(s) = cell
            && s.chars().any(char::is_alphabetic)
        {
            match answer_from_label(i + 1, s) {
                Some(v) => answers[i] = Some(v),
                None => ctx.reject(col, cell, Reason::SkmAnswerUnknown),
            }
            continue;
        }
        if let Some(v) = ctx.number_of(col, cell) {
            if v.fract() != 0.0 || !(1.0..=4.0).contains(&v) {
                ctx.reject(col, cell, Reason::ValueOutOfRange);
            } else {
                answers[i] = Some(v as u8);
            }
        }
    }
    if answers.iter().all(Option::is_none) && ctx.rejects.is_empty() {
        ctx.reject("u1", Cell::Empty, Reason::RequiredEmpty);
    }
    let (Some(unit_id), Some(tanggal)) = (unit_id, tanggal) else { return SkmOutcome::Rejected };
    let row = SkmRow { prov: ctx.prov, unit_id, tanggal, answers, responden_id: ctx.text("responden_id") };
    if ctx.rejects.is_empty() { SkmOutcome::Row(row) } else { SkmOutcome::Rejected }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_duk_cell_splits_into_name_and_nip() {
        assert_eq!(
            split_nama_nip("Maria Lekransi, S.Kep\nNIP. 19900115 201403 2 002"),
            (Some("Maria Lekransi, S.Kep"), Some("19900115 201403 2 002"))
        );
        assert_eq!(
            split_nama_nip("dr. Yohanis Tahalele / NIP: 198609262015051001"),
            (Some("dr. Yohanis Tahalele"), Some("198609262015051001"))
        );
        // Without the marker, a last line of 18 digits is the NIP.
        assert_eq!(
            split_nama_nip("Petrus Latuconsina\n19751230 200012 1 003"),
            (Some("Petrus Latuconsina"), Some("19751230 200012 1 003"))
        );
        // "Nipah" is a name, not the marker; no NIP at all leaves the NIP empty.
        assert_eq!(split_nama_nip("Nipah Sahetapy"), (Some("Nipah Sahetapy"), None));
        assert_eq!(split_nama_nip("NIP."), (None, None));
    }
}
