//! `ikm_per_unit.parquet`: the IKM of every unit and survey period, from the validated `skm`
//! answers, with the sample-adequacy flag and, where `layanan` also reports an IKM for the same
//! unit and period, both values and whether they disagree.
//!
//! The period is the survey's own frequency (semester by default): SKM is never spread into
//! monthly values. The service population N of a unit and period, when the configured `layanan`
//! indicator (visits by default) has values in that period, is their sum; without it
//! `sampel_cukup` is null.

use crate::error::AnalysisError;
use std::collections::BTreeMap;
use std::path::Path;

use mutasi_domain::ikm::{Grading, Ikm, Mutu, check_weights, ikm, krejcie_morgan};
use mutasi_domain::normalize::period::{Period, PeriodKind};
use mutasi_io::data::table::{ColumnData as C, TableData, read_table_shared};

/// Reported IKM values further apart than this (konversi points) are flagged.
pub const DISAGREEMENT: f64 = 0.5;

#[derive(Debug, Clone, PartialEq)]
pub struct IkmOptions {
    /// The survey period.
    pub period: PeriodKind,
    /// `layanan` indicator whose sum over the period is the service population N.
    pub population_indikator: String,
    /// `layanan` indicator holding a pre-aggregated IKM konversi (25–100).
    pub reported_indikator: String,
    /// Per-unit unsur weights (summing to 1), by unit_id.
    pub weights: BTreeMap<String, Vec<f64>>,
    /// Last day used (later answers are ignored).
    pub until: Option<chrono::NaiveDate>,
    /// Mutu intervals of a 9-unsur and of a 14-unsur survey.
    pub grading_9: Grading,
    pub grading_14: Grading,
}

impl IkmOptions {
    /// The intervals a survey of `unsur` unsur is graded by.
    pub fn grading(&self, unsur: usize) -> Grading {
        if unsur == 14 { self.grading_14 } else { self.grading_9 }
    }
}

impl Default for IkmOptions {
    fn default() -> Self {
        IkmOptions {
            period: PeriodKind::Semester,
            population_indikator: "kunjungan".into(),
            reported_indikator: "ikm".into(),
            weights: BTreeMap::new(),
            until: None,
            grading_9: Grading::PERMENPANRB_14_2017,
            grading_14: Grading::KEPMENPAN_25_2004,
        }
    }
}

/// One row of the table.
#[derive(Debug, Clone, PartialEq)]
pub struct IkmRow {
    pub unit_id: String,
    pub period: Period,
    /// 9, or 14 for the older layout.
    pub unsur: usize,
    pub raw: Option<Ikm>,
    pub populasi: Option<f64>,
    pub reported: Option<f64>,
    /// The intervals this survey is graded by.
    pub grading: Grading,
}

impl IkmRow {
    /// The mutu of the reported IKM, by the same intervals.
    pub fn reported_mutu(&self) -> Option<Mutu> {
        self.reported.map(|v| self.grading.grade(v))
    }

    /// The reported IKM disagrees with the one computed from the answers: by more than
    /// [`DISAGREEMENT`] points, or by its mutu however small the gap (portals that weight with
    /// 0,111 instead of 1/9 can cross a boundary).
    pub fn disagrees(&self) -> Option<bool> {
        let computed = self.raw.as_ref()?.konversi?;
        let reported = self.reported?;
        Some(
            (computed - reported).abs() > DISAGREEMENT
                || self.grading.grade(computed) != self.grading.grade(reported),
        )
    }

    pub fn sampel_minimum(&self) -> Option<u64> {
        self.populasi.map(|n| krejcie_morgan(n.round().max(0.0) as u64))
    }

    pub fn sampel_cukup(&self) -> Option<bool> {
        Some(self.raw.as_ref()?.n_responden as u64 >= self.sampel_minimum()?)
    }
}

/// Every unit × period with SKM answers or a reported IKM.
pub fn ikm_rows(validated: &Path, opts: &IkmOptions) -> Result<Vec<IkmRow>, AnalysisError> {
    let sf = validated.join("skm.parquet");
    let skm = read_table_shared(&sf, None, None)?;
    let dates = skm.date_column("tanggal", &sf)?;
    let unsur_cols: Vec<&[Option<i64>]> = (1..=14)
        .map_while(|u| match skm.get(&format!("u{u}")) {
            Some(C::I64(v)) => Some(v.as_slice()),
            _ => None,
        })
        .collect();
    if unsur_cols.len() < 9 {
        return Err(AnalysisError::MissingColumns { path: sf.clone(), columns: "u1 … u9" });
    }
    // Answers per (unit, period), one row of `width` answers after another: grouped by the unit's
    // dictionary code, then keyed by its text once per group, not once per answer row.
    let width = unsur_cols.len();
    let (unit_values, unit_codes) = skm.coded("unit_id", &sf)?;
    let mut by_code: Vec<BTreeMap<Period, Vec<Option<u8>>>> = vec![BTreeMap::new(); unit_values.len()];
    for k in 0..skm.height() {
        let (Some(code), Some(d)) = (unit_codes[k], dates[k]) else { continue };
        if opts.until.is_some_and(|u| d > u) {
            continue;
        }
        let Some(periods) = by_code.get_mut(mutasi_io::data::table::at(code)) else { continue };
        let rows = periods.entry(Period::containing(opts.period, d)).or_default();
        rows.extend(unsur_cols.iter().map(|c| c[k].and_then(|v| u8::try_from(v).ok())));
    }
    let mut groups: BTreeMap<(String, Period), Vec<Option<u8>>> = BTreeMap::new();
    for (unit, periods) in unit_values.iter().zip(by_code) {
        for (period, rows) in periods {
            groups.entry((unit.to_string(), period)).or_default().extend(rows);
        }
    }
    // Population and reported IKM from `layanan`.
    let lf = validated.join("layanan.parquet");
    let lay = read_table_shared(&lf, None, None)?;
    let (lu, li, lk) = (
        lay.text_column("unit_id", &lf)?,
        lay.text_column("indikator", &lf)?,
        lay.text_column("jenis_periode", &lf)?,
    );
    let (ls, lv) = (lay.date_column("periode_mulai", &lf)?, lay.f64_column("nilai", &lf)?);
    let mut population: BTreeMap<(String, Period), f64> = BTreeMap::new();
    let mut reported: BTreeMap<(String, Period), f64> = BTreeMap::new();
    for k in 0..lay.height() {
        let (Some(unit), Some(ind), Some(kind), Some(start), Some(v)) = (lu[k], li[k], lk[k], ls[k], lv[k])
        else {
            continue;
        };
        if opts.until.is_some_and(|u| start > u) {
            continue;
        }
        let key = (unit.to_string(), Period::containing(opts.period, start));
        if ind == opts.population_indikator && kind_fits(kind, opts.period) {
            *population.entry(key).or_default() += v;
        } else if ind == opts.reported_indikator && kind == opts.period.as_str() {
            reported.insert(key, v);
        }
    }
    let mut keys: Vec<(String, Period)> = groups.keys().chain(reported.keys()).cloned().collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .map(|key| {
            let answers = groups.get(&key);
            // The older layout when any respondent answered u10 … u14.
            let unsur =
                if answers.is_some_and(|a| a.chunks(width).any(|r| r.iter().skip(9).any(Option::is_some))) {
                    14
                } else {
                    9
                };
            let weights = opts.weights.get(&key.0);
            if let Some(w) = weights {
                check_weights(w, unsur)
                    .map_err(|source| AnalysisError::Weights { unit: key.0.to_string(), source })?;
            }
            let grading = opts.grading(unsur);
            let raw = answers.map(|a| {
                let trimmed: Vec<&[Option<u8>]> = a.chunks(width).map(|r| &r[..unsur.min(r.len())]).collect();
                let mut x = ikm(&trimmed, unsur, weights.map(Vec::as_slice));
                x.mutu = x.konversi.map(|k| grading.grade(k));
                x
            });
            Ok(IkmRow {
                grading,
                populasi: population.get(&key).copied(),
                reported: reported.get(&key).copied(),
                unit_id: key.0,
                period: key.1,
                unsur,
                raw,
            })
        })
        .collect()
}

/// Whether values of a `layanan` period kind add up into the survey period (months into a
/// semester, not a year into a semester).
fn kind_fits(kind: &str, survey: PeriodKind) -> bool {
    let order = |k: &str| ["bulan", "triwulan", "semester", "tahun"].iter().position(|x| *x == k);
    matches!((order(kind), order(survey.as_str())), (Some(a), Some(b)) if a <= b)
}

/// The rows as the public table (`docs/outputs.md`).
pub fn ikm_table(rows: &[IkmRow]) -> TableData {
    let raw = |f: &dyn Fn(&Ikm) -> Option<f64>| -> Vec<Option<f64>> {
        rows.iter().map(|r| r.raw.as_ref().and_then(f)).collect()
    };
    let mut d = TableData::default();
    d.push("unit_id", C::Str(rows.iter().map(|r| Some(r.unit_id.clone())).collect()));
    d.push("periode", C::Str(rows.iter().map(|r| Some(r.period.label())).collect()));
    d.push("jenis_periode", C::Str(rows.iter().map(|r| Some(r.period.kind.as_str().to_string())).collect()));
    d.push(
        "n_responden",
        C::I64(rows.iter().map(|r| r.raw.as_ref().map(|x| x.n_responden as i64)).collect()),
    );
    for u in 0..14 {
        d.push(&format!("nrr_u{}", u + 1), C::F64(raw(&|x| x.nrr.get(u).copied().flatten())));
    }
    d.push("ikm", C::F64(raw(&|x| x.ikm)));
    d.push("ikm_konversi", C::F64(raw(&|x| x.konversi)));
    let mutu_of = |r: &IkmRow| r.raw.as_ref().and_then(|x| x.mutu).or(r.reported_mutu());
    d.push("mutu", C::Str(rows.iter().map(|r| mutu_of(r).map(|m| m.as_str().to_string())).collect()));
    d.push(
        "kinerja_unit",
        C::Str(rows.iter().map(|r| mutu_of(r).map(|m| m.kinerja().to_string())).collect()),
    );
    d.push(
        "unsur_terlemah",
        C::Str(
            rows.iter()
                .map(|r| r.raw.as_ref().and_then(|x| x.weakest).map(|u| format!("u{}", u + 1)))
                .collect(),
        ),
    );
    d.push("jumlah_unsur", C::I64(rows.iter().map(|r| r.raw.as_ref().map(|_| r.unsur as i64)).collect()));
    d.push("n_populasi", C::F64(rows.iter().map(|r| r.populasi).collect()));
    d.push("sampel_minimum", C::I64(rows.iter().map(|r| r.sampel_minimum().map(|s| s as i64)).collect()));
    d.push("sampel_cukup", C::Bool(rows.iter().map(IkmRow::sampel_cukup).collect()));
    d.push("ikm_konversi_laporan", C::F64(rows.iter().map(|r| r.reported).collect()));
    let gap = |r: &IkmRow| Some(r.raw.as_ref()?.konversi? - r.reported?);
    d.push("selisih_laporan", C::F64(rows.iter().map(gap).collect()));
    d.push(
        "mutu_laporan",
        C::Str(rows.iter().map(|r| r.reported_mutu().map(|m| m.as_str().to_string())).collect()),
    );
    d.push("beda_laporan", C::Bool(rows.iter().map(IkmRow::disagrees).collect()));
    d.push(
        "sumber",
        C::Str(
            rows.iter()
                .map(|r| {
                    Some(
                        match (r.raw.is_some(), r.reported.is_some()) {
                            (true, true) => "skm+laporan",
                            (true, false) => "skm",
                            _ => "laporan",
                        }
                        .to_string(),
                    )
                })
                .collect(),
        ),
    );
    d
}
