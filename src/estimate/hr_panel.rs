//! The employee × month panel of one kinerja indicator, built from validated canonical tables.
//!
//! Reads `kinerja.parquet` and `mutasi.parquet` written by `mutasi validate`. Each employee's
//! cohort is the month of their **first** transfer within the data (rotasi, promosi or demosi),
//! the absorbing-treatment definition of CS 2021; employees never transferred have cohort 0.
//! Transfers in or out of the instansi are not treatments here: such employees are only observed
//! for part of the window. Periods are numbered consecutively (`t` = 1 for the first month
//! present), so event time is t − cohort in months.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::Datelike;

use crate::data::table::{ColumnData, TableData, read_table, read_table_where};
use crate::normalize::period::Period;

/// The long panel with readable period labels.
#[derive(Debug, Default, PartialEq)]
pub struct HrPanel {
    pub pegawai_id: Vec<String>,
    pub periode: Vec<String>,
    pub t: Vec<i64>,
    pub cohort: Vec<i64>,
    pub nilai: Vec<f64>,
    /// First month of the numbering (`t` = 1), as `YYYY-MM`.
    pub first_month: String,
    /// Month key of `t` = 0 (months since year 0), to map other months onto `t`.
    pub origin: i64,
    pub dropped_for_standardizing: usize,
}

/// Month key: months since year 0 (one definition, [`Period::month_key`]).
fn month_key(year: i32, month: u32) -> i64 {
    i64::from(Period::month(year, month).month_key())
}

/// Builds the panel from the months up to `until` (a [`Period::month_key`]; all when `None`), so a
/// monthly run for an earlier period sees only what was known then. With `standardize`, each value becomes a z-score within its unit and month
/// (`(v − mean) / sd` over the employees of that unit in that month), which takes out unit-level
/// rating habits and forced distributions; values in unit-months with fewer than two employees or
/// no variation are dropped and counted in `dropped_for_standardizing`.
pub fn build(
    validated: &Path,
    indikator: &str,
    standardize: bool,
    until: Option<i64>,
) -> Result<HrPanel, String> {
    let kin_file = validated.join("kinerja.parquet");
    let kin = read_table_where(
        &kin_file,
        Some(&["pegawai_id", "periode", "jenis_periode", "indikator", "nilai", "unit_id"]),
        Some(("indikator", &[indikator])),
    )?;
    let kname = kin_file.display().to_string();
    let (ids, periods, kinds, inds) = (
        kin.text_column("pegawai_id", &kin_file)?,
        kin.text_column("periode", &kin_file)?,
        kin.text_column("jenis_periode", &kin_file)?,
        kin.text_column("indikator", &kin_file)?,
    );
    let values = kin.f64_column("nilai", &kin_file)?;
    let events = transfer_months(validated, until)?;
    let first: BTreeMap<&str, i64> =
        events.iter().filter_map(|(id, m)| Some((id.as_str(), *m.first()?))).collect();
    let units = kin.text_column("unit_id", &kin_file).ok();
    let mut rows: Vec<(String, i64, f64)> = Vec::new();
    let mut row_unit: Vec<Option<String>> = Vec::new();
    for k in 0..kin.height() {
        let (Some(id), Some(p), Some(kind), Some(ind), Some(v)) =
            (&ids[k], &periods[k], &kinds[k], &inds[k], values[k])
        else {
            continue;
        };
        if *ind != indikator || *kind != "bulan" {
            continue;
        }
        let (y, m) = p.split_once('-').ok_or_else(|| format!("{kname}: periode `{p}`"))?;
        let (y, m): (i32, u32) = (
            y.parse().map_err(|_| format!("{kname}: periode `{p}`"))?,
            m.parse().map_err(|_| format!("{kname}: periode `{p}`"))?,
        );
        let key = month_key(y, m);
        if until.is_some_and(|u| key > u) {
            continue;
        }
        rows.push((id.to_string(), key, v));
        row_unit.push(units.as_ref().and_then(|u| u[k].map(String::from)));
    }
    let mut dropped = 0;
    if standardize {
        let mut stats: BTreeMap<(Option<&str>, i64), (f64, f64, usize)> = BTreeMap::new();
        for (r, u) in rows.iter().zip(&row_unit) {
            let e = stats.entry((u.as_deref(), r.1)).or_default();
            e.0 += r.2;
            e.1 += r.2 * r.2;
            e.2 += 1;
        }
        let z: Vec<Option<f64>> = rows
            .iter()
            .zip(&row_unit)
            .map(|(r, u)| {
                let (s, s2, n) = stats[&(u.as_deref(), r.1)];
                let nf = n as f64;
                let var = (s2 - s * s / nf) / (nf - 1.0);
                (n >= 2 && var > 1e-12).then(|| (r.2 - s / nf) / var.sqrt())
            })
            .collect();
        let mut kept = Vec::with_capacity(rows.len());
        for (mut r, z) in rows.into_iter().zip(z) {
            match z {
                Some(z) => {
                    r.2 = z;
                    kept.push(r);
                }
                None => dropped += 1,
            }
        }
        rows = kept;
    }
    if rows.is_empty() {
        return Err(format!(
            "{kname}: tidak ada nilai bulanan untuk indikator `{indikator}` / no monthly values for this indicator\n\nhint: indikator yang ada / indicators present: {}",
            {
                // The filtered read holds no other indicator: list them from the indicator column.
                let all = read_table_where(&kin_file, Some(&["indikator"]), None)?;
                let mut s: Vec<&str> = (0..all.height()).filter_map(|i| all.str_at("indikator", i)).collect();
                s.sort_unstable();
                s.dedup();
                s.join(", ")
            }
        ));
    }
    rows.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
    let origin = rows.iter().map(|r| r.1).min().unwrap_or(0) - 1;
    let label = |key: i64| format!("{:04}-{:02}", key.div_euclid(12), key.rem_euclid(12) + 1);
    let mut out = HrPanel {
        first_month: label(origin + 1),
        origin,
        dropped_for_standardizing: dropped,
        ..HrPanel::default()
    };
    for (id, key, v) in rows {
        let cohort = first.get(id.as_str()).map_or(0, |g| g - origin);
        out.periode.push(label(key));
        out.t.push(key - origin);
        out.cohort.push(cohort);
        out.nilai.push(v);
        out.pegawai_id.push(id);
    }
    Ok(out)
}

/// Months (as month keys) of every rotasi, promosi and demosi of each employee up to `until`,
/// ascending.
pub fn transfer_months(validated: &Path, until: Option<i64>) -> Result<BTreeMap<String, Vec<i64>>, String> {
    let mut_file = validated.join("mutasi.parquet");
    let mutasi = read_table(&mut_file)?;
    let (m_ids, m_kind) =
        (mutasi.text_column("pegawai_id", &mut_file)?, mutasi.text_column("jenis_mutasi", &mut_file)?);
    let tmt = mutasi.date_column("tmt", &mut_file)?;
    let mut out: BTreeMap<String, Vec<i64>> = BTreeMap::new();
    for k in 0..mutasi.height() {
        let (Some(id), Some(kind), Some(d)) = (&m_ids[k], &m_kind[k], tmt[k]) else { continue };
        let key = month_key(d.year(), d.month());
        if matches!(*kind, "rotasi" | "promosi" | "demosi") && until.is_none_or(|u| key <= u) {
            out.entry(id.to_string()).or_default().push(key);
        }
    }
    for v in out.values_mut() {
        v.sort_unstable();
        v.dedup();
    }
    Ok(out)
}

/// An employee's first rotasi, promosi or demosi (the one that sets the CS cohort).
#[derive(Debug, Clone, PartialEq)]
pub struct FirstTransfer {
    pub month: i64,
    pub jenis_mutasi: String,
    /// `jenis_unit` of the destination unit; `None` when the unit is not in `unit_kerja`.
    pub jenis_unit_tujuan: Option<String>,
}

/// Each employee's first transfer up to `until` (ties within a month broken by jenis_mutasi, so
/// the choice does not depend on row order).
pub fn first_transfers(
    validated: &Path,
    until: Option<i64>,
) -> Result<BTreeMap<String, FirstTransfer>, String> {
    let (mf, uf) = (validated.join("mutasi.parquet"), validated.join("unit_kerja.parquet"));
    let (mutasi, units) = (read_table(&mf)?, read_table(&uf)?);
    let (uid, ujenis) = (units.text_column("unit_id", &uf)?, units.text_column("jenis_unit", &uf)?);
    let jenis_of: BTreeMap<&str, &str> =
        uid.iter().zip(&ujenis).filter_map(|(u, j)| Some(((*u)?, (*j)?))).collect();
    let (ids, kinds, dest) = (
        mutasi.text_column("pegawai_id", &mf)?,
        mutasi.text_column("jenis_mutasi", &mf)?,
        mutasi.text_column("unit_tujuan_id", &mf)?,
    );
    let tmt = mutasi.date_column("tmt", &mf)?;
    let mut out: BTreeMap<String, FirstTransfer> = BTreeMap::new();
    for k in 0..mutasi.height() {
        let (Some(id), Some(kind), Some(d)) = (ids[k], kinds[k], tmt[k]) else { continue };
        let month = month_key(d.year(), d.month());
        if !matches!(kind, "rotasi" | "promosi" | "demosi") || until.is_some_and(|u| month > u) {
            continue;
        }
        let candidate = FirstTransfer {
            month,
            jenis_mutasi: kind.to_string(),
            jenis_unit_tujuan: dest[k].and_then(|u| jenis_of.get(u)).map(|j| j.to_string()),
        };
        match out.get(id) {
            Some(f) if (f.month, &f.jenis_mutasi) <= (month, &candidate.jenis_mutasi) => {}
            _ => {
                out.insert(id.to_string(), candidate);
            }
        }
    }
    Ok(out)
}

/// Entities for the stacked event study: each employee's monthly series (on the panel's `t`
/// scale) and every transfer month.
pub fn stacked_entities(
    validated: &Path,
    indikator: &str,
    standardize: bool,
    until: Option<i64>,
) -> Result<Vec<crate::stats::stacked::Entity>, String> {
    let panel = build(validated, indikator, standardize, until)?;
    let events = transfer_months(validated, until)?;
    let mut by_id: BTreeMap<&str, crate::stats::stacked::Entity> = BTreeMap::new();
    for k in 0..panel.nilai.len() {
        by_id.entry(panel.pegawai_id[k].as_str()).or_default().y.insert(panel.t[k], panel.nilai[k]);
    }
    for (id, e) in by_id.iter_mut() {
        e.events = events.get(*id).map(|m| m.iter().map(|k| k - panel.origin).collect()).unwrap_or_default();
    }
    Ok(by_id.into_values().collect())
}

impl HrPanel {
    pub fn to_table(&self) -> TableData {
        let mut d = TableData::default();
        d.push("pegawai_id", ColumnData::Str(self.pegawai_id.iter().cloned().map(Some).collect()));
        d.push("periode", ColumnData::Str(self.periode.iter().cloned().map(Some).collect()));
        d.push("t", ColumnData::I64(self.t.iter().copied().map(Some).collect()));
        d.push("kohort", ColumnData::I64(self.cohort.iter().copied().map(Some).collect()));
        d.push("nilai", ColumnData::F64(self.nilai.iter().copied().map(Some).collect()));
        d
    }
}
