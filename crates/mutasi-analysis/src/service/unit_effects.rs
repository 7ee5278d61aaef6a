//! Did a unit's service change after it received a new head, a professional, or a wave of new
//! staff? The staggered-DiD engine of the employee analyses ([`crate::estimate::fit`]) with the
//! unit as entity, one analysis per unit treatment, `layanan` indicator (and the IKM) and
//! `jenis_unit`.
//!
//! - Unit treatments (`UnitTreatment`): a transfer into the unit whose `jabatan_baru` matches a
//!   head pattern (kepala Puskesmas, kepala sekolah); a transfer into the unit whose `jabatan_baru`
//!   matches a profession (dokter); or the share of staff who arrived in the last 12 months
//!   reaching a threshold. The unit's cohort is the period of its first such event (absorbing).
//! - Each indicator keeps its own frequency: monthly visits stay monthly, semester IKM stays per
//!   semester, annual literacy scores per year; the cohort is the period containing the event.
//! - Comparison: never- and not-yet-treated units of the same `jenis_unit` (Puskesmas against
//!   Puskesmas, school against school).

use crate::error::AnalysisError;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use chrono::NaiveDate;
use serde::Serialize;

use crate::estimate::fit::{FitMode, fit};
use crate::estimate::output::aggregates_table;
use crate::service::ikm_table::IkmRow;
use mutasi_domain::normalize::period::Period;
use mutasi_domain::unit_analysis::{UnitAnalysis, UnitTreatment, default_analyses};
use mutasi_io::data::table::{ColumnData as C, TableData, read_table_shared};
use mutasi_stats::aggregate::AggOptions;
use mutasi_stats::cs::{Control, CsOptions};
use mutasi_stats::dist::normal_quantile;
use mutasi_stats::panel::Panel;

/// What happened to one analysis × indicator × jenis_unit, for `run.json`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct UnitNote {
    pub analysis: String,
    pub indikator: String,
    pub jenis_unit: String,
    pub status: String,
    pub units: usize,
    pub treated_units: usize,
    pub note: Option<String>,
}

/// A unit-level outcome series: (unit code, period, value) at one frequency.
struct Series {
    kind: mutasi_domain::normalize::period::PeriodKind,
    points: Vec<(u32, Period, f64)>,
}

/// The units named by the outcome series. A unit's code is the rank of its id, so codes sort as
/// ids do; each analysis compares codes, not texts, for every point.
#[derive(Debug, Default)]
struct Units {
    /// Unit ids, ascending.
    names: Vec<String>,
    /// Each unit's jenis_unit in `unit_kerja`.
    jenis: Vec<Option<String>>,
}

impl Units {
    /// The distinct jenis_unit of a series' points, ascending.
    fn types_of(&self, s: &Series) -> Vec<&str> {
        let mut seen = vec![false; self.names.len()];
        for (u, _, _) in &s.points {
            seen[*u as usize] = true;
        }
        let mut types: Vec<&str> =
            (0..self.names.len()).filter(|&u| seen[u]).filter_map(|u| self.jenis[u].as_deref()).collect();
        types.sort_unstable();
        types.dedup();
        types
    }
}

fn matches(pattern: &str, text: &str) -> bool {
    let t = text.to_lowercase();
    pattern.split('|').map(|p| p.trim().to_lowercase()).any(|p| !p.is_empty() && t.contains(&p))
}

/// Whether an arrival is of the profession `pattern`: from the transfer's new post when the row
/// names it, otherwise from the employee's jabatan / jenis_jabatan in `pegawai`.
fn names_profession(pattern: &str, jabatan_baru: Option<&str>, post: Option<&str>) -> bool {
    match jabatan_baru {
        Some(j) => matches(pattern, j),
        None => post.is_some_and(|p| matches(pattern, p)),
    }
}

/// First treatment date of each unit under `treatment`, up to `until`.
fn first_events(
    validated: &Path,
    treatment: &UnitTreatment,
    until: Option<NaiveDate>,
    presence_indikator: &str,
) -> Result<BTreeMap<String, NaiveDate>, AnalysisError> {
    let mf = validated.join("mutasi.parquet");
    let m = read_table_shared(&mf, None, None)?;
    let (asal, tujuan, jabatan) = (
        m.text_column("unit_asal_id", &mf)?,
        m.text_column("unit_tujuan_id", &mf)?,
        m.text_column("jabatan_baru", &mf)?,
    );
    let tmt = m.date_column("tmt", &mf)?;
    let ids = m.text_column("pegawai_id", &mf)?;
    // A professional is also recognised from the employee's jabatan or jenis_jabatan in `pegawai`
    // when the transfer row does not name the new post.
    let pf = validated.join("pegawai.parquet");
    let peg = read_table_shared(&pf, None, None)?;
    let post_of: BTreeMap<&str, String> = (0..peg.height())
        .filter_map(|k| {
            let id = peg.str_at("pegawai_id", k)?;
            let text = [peg.str_at("jabatan", k), peg.str_at("jenis_jabatan", k)]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ");
            Some((id, text))
        })
        .collect();
    // Arrivals: a transfer into a unit from elsewhere, with the new post's name, or for
    // professionals the employee's recorded jabatan.
    let arrivals: Vec<(String, NaiveDate, Option<String>, Option<&String>)> = (0..m.height())
        .filter_map(|k| {
            let (to, d) = (tujuan[k]?, tmt[k]?);
            (asal[k] != Some(to) && until.is_none_or(|u| d <= u)).then(|| {
                (to.to_string(), d, jabatan[k].map(String::from), ids[k].and_then(|i| post_of.get(i)))
            })
        })
        .collect();
    let mut first: BTreeMap<String, NaiveDate> = BTreeMap::new();
    let mut keep = |unit: &str, d: NaiveDate| {
        let e = first.entry(unit.to_string()).or_insert(d);
        if d < *e {
            *e = d;
        }
    };
    match treatment {
        UnitTreatment::NewHead { pattern } => {
            for (unit, d, j, _) in &arrivals {
                if j.as_deref().is_some_and(|j| matches(pattern, j)) {
                    keep(unit, *d);
                }
            }
        }
        UnitTreatment::Arrival { pattern } => {
            for (unit, d, j, post) in &arrivals {
                if names_profession(pattern, j.as_deref(), post.map(String::as_str)) {
                    keep(unit, *d);
                }
            }
        }
        UnitTreatment::Turnover { threshold } => {
            // Headcount per unit and month: where each employee is seen (movement accounting).
            let mut unit_codes = crate::movement::Codes::default();
            let ut = read_table_shared(&validated.join("unit_kerja.parquet"), None, None)?;
            for u in (0..ut.height()).filter_map(|i| ut.str_at("unit_id", i)) {
                unit_codes.code(u);
            }
            let mut people = crate::movement::Codes::default();
            let presence = crate::movement::read_presence(
                validated,
                presence_indikator,
                until,
                &unit_codes,
                &mut people,
            )?;
            // Headcounts and arrivals per unit and month, on a dense unit × month grid over the
            // months of the presence: it has one entry per employee and month.
            let Some((lo, hi)) = presence.iter().fold(None, |r: Option<(i64, i64)>, (_, m, _)| {
                Some(r.map_or((m, m), |(a, b)| (a.min(m), b.max(m))))
            }) else {
                return Ok(first);
            };
            let width = (hi - lo + 1) as usize;
            let cell = |u: u32, m: i64| u as usize * width + (m - lo) as usize;
            let mut staff = vec![0usize; unit_codes.names.len() * width];
            for (_, month, u) in presence.iter() {
                staff[cell(u, month)] += 1;
            }
            // Only arrivals into a unit with staff, in a month of the grid, are ever counted.
            let mut arrived = vec![0usize; staff.len()];
            for (unit, d, _, _) in &arrivals {
                let month = i64::from(Period::of_date(*d).month_key());
                if let Some(&u) = unit_codes.index.get(unit.as_str())
                    && (lo..=hi).contains(&month)
                {
                    arrived[cell(u, month)] += 1;
                }
            }
            for u in 0..unit_codes.names.len() as u32 {
                // Only months with a full year of history can count a year of arrivals.
                for month in lo + 11..=hi {
                    let headcount = staff[cell(u, month)];
                    if headcount == 0 {
                        continue;
                    }
                    let recent: usize = (month - 11..=month).map(|m| arrived[cell(u, m)]).sum();
                    if recent as f64 / headcount as f64 >= *threshold {
                        let (y, mo) = (month.div_euclid(12) as i32, month.rem_euclid(12) as u32 + 1);
                        if let Some(d) = NaiveDate::from_ymd_opt(y, mo, 1) {
                            keep(&unit_codes.names[u as usize], d);
                        }
                    }
                }
            }
        }
    }
    Ok(first)
}

/// Every `layanan` indicator at its own frequency, and the IKM konversi per survey period, with
/// the units they name (`type_of`: each unit's jenis_unit).
fn outcome_series(
    validated: &Path,
    ikm: &[IkmRow],
    until: Option<NaiveDate>,
    type_of: &BTreeMap<String, String>,
) -> Result<(BTreeMap<String, Series>, Units), AnalysisError> {
    let lf = validated.join("layanan.parquet");
    let lay = read_table_shared(&lf, None, None)?;
    let (units, inds, kinds) = (
        lay.text_column("unit_id", &lf)?,
        lay.text_column("indikator", &lf)?,
        lay.text_column("jenis_periode", &lf)?,
    );
    let (starts, values) = (lay.date_column("periode_mulai", &lf)?, lay.f64_column("nilai", &lf)?);
    use mutasi_domain::normalize::period::PeriodKind as K;
    let kind_of =
        |s: &str| [K::Bulan, K::Triwulan, K::Semester, K::Tahun].into_iter().find(|k| k.as_str() == s);
    let mut named: Vec<&str> =
        units.iter().flatten().copied().chain(ikm.iter().map(|r| r.unit_id.as_str())).collect();
    named.sort_unstable();
    named.dedup();
    let code: HashMap<&str, u32> = named.iter().enumerate().map(|(k, u)| (*u, k as u32)).collect();
    let mut out: BTreeMap<String, Series> = BTreeMap::new();
    for k in 0..lay.height() {
        let (Some(u), Some(i), Some(kind), Some(s), Some(v)) =
            (units[k], inds[k], kinds[k], starts[k], values[k])
        else {
            continue;
        };
        let Some(kind) = kind_of(kind) else { continue };
        if until.is_some_and(|x| s > x) {
            continue;
        }
        let series = out.entry(i.to_string()).or_insert(Series { kind, points: Vec::new() });
        // An indicator keeps the frequency it was first seen at; other frequencies are skipped.
        if series.kind == kind {
            // Every unit of a row is in `code`, which was built from these rows.
            if let Some(&c) = code.get(u) {
                series.points.push((c, Period::containing(kind, s), v));
            }
        }
    }
    let ikm_points: Vec<(u32, Period, f64)> = ikm
        .iter()
        .filter_map(|r| Some((*code.get(r.unit_id.as_str())?, r.period, r.raw.as_ref()?.konversi?)))
        .collect();
    if let Some(first) = ikm.first() {
        out.insert("ikm_konversi".into(), Series { kind: first.period.kind, points: ikm_points });
    }
    let jenis = named.iter().map(|u| type_of.get(*u).cloned()).collect();
    Ok((out, Units { names: named.into_iter().map(String::from).collect(), jenis }))
}

/// Index of a period on a consecutive scale (months, quarters, semesters or years since year 0).
fn period_index(p: &Period) -> i64 {
    i64::from(p.month_key()).div_euclid(i64::from(p.kind.months()))
}

#[derive(Debug, Clone, PartialEq)]
pub struct UnitOptions {
    pub analyses: Vec<UnitAnalysis>,
    /// Event-time window in months, converted to each indicator's periods (at least ±2 periods).
    pub window_months: i64,
    /// Analyses with fewer treated units are not estimated.
    pub min_treated_units: usize,
    pub until: Option<NaiveDate>,
    pub alpha: f64,
    /// Monthly kinerja indicator that says where each employee is (for staff turnover).
    pub presence_indikator: String,
    /// Indicators to analyse (`layanan` names and `ikm_konversi`); empty means all.
    pub indikator: Vec<String>,
    /// Comparison group: not-yet-treated (and never-treated) units, or never-treated only.
    pub control: Control,
}

impl Default for UnitOptions {
    fn default() -> Self {
        UnitOptions {
            analyses: default_analyses(),
            window_months: 12,
            min_treated_units: 3,
            until: None,
            alpha: 0.05,
            presence_indikator: "capaian_iki".into(),
            indikator: Vec::new(),
            control: Control::NotYetTreated,
        }
    }
}

/// Runs every unit analysis; returns the `unit_effects.parquet` table and one note per analysis ×
/// indicator × jenis_unit.
pub fn unit_effects(
    validated: &Path,
    ikm: &[IkmRow],
    opts: &UnitOptions,
) -> Result<(TableData, Vec<UnitNote>), AnalysisError> {
    let uf = validated.join("unit_kerja.parquet");
    let ut = read_table_shared(&uf, None, None)?;
    let type_of: BTreeMap<String, String> = ut
        .text_column("unit_id", &uf)?
        .iter()
        .zip(ut.text_column("jenis_unit", &uf)?)
        .filter_map(|(u, j)| Some(((*u)?.to_string(), j?.to_string())))
        .collect();
    let (series, units) = outcome_series(validated, ikm, opts.until, &type_of)?;
    let z = normal_quantile(1.0 - opts.alpha / 2.0);
    let mut table = empty_table(z);
    let mut notes = Vec::new();
    for analysis in &opts.analyses {
        let first = first_events(validated, &analysis.treatment, opts.until, &opts.presence_indikator)?;
        for (indikator, s) in
            series.iter().filter(|(i, _)| opts.indikator.is_empty() || opts.indikator.contains(i))
        {
            for jenis in
                units.types_of(s).into_iter().filter(|j| analysis.jenis_unit.as_ref().is_none_or(|a| a == j))
            {
                let (note, rows) = estimate(analysis, indikator, jenis, s, &units, &first, opts, z);
                notes.push(note);
                if let Some(rows) = rows {
                    table.append(rows)?;
                }
            }
        }
    }
    Ok((table, notes))
}

fn tags<'a>(analysis: &'a str, indikator: &'a str, jenis: &'a str, kind: &'a str) -> [(&'a str, &'a str); 4] {
    [("analisis", analysis), ("indikator", indikator), ("jenis_unit", jenis), ("jenis_periode", kind)]
}

fn empty_table(z: f64) -> TableData {
    let mut t = aggregates_table(&[], z).tagged(&tags("", "", "", ""));
    t.push("n_units", C::I64(Vec::new()));
    t.push("n_treated_units", C::I64(Vec::new()));
    t
}

/// One analysis × indicator × jenis_unit.
#[allow(clippy::too_many_arguments)]
fn estimate(
    analysis: &UnitAnalysis,
    indikator: &str,
    jenis: &str,
    s: &Series,
    units: &Units,
    first: &BTreeMap<String, NaiveDate>,
    opts: &UnitOptions,
    z: f64,
) -> (UnitNote, Option<TableData>) {
    let mut note = UnitNote {
        analysis: analysis.name.clone(),
        indikator: indikator.to_string(),
        jenis_unit: jenis.to_string(),
        status: "dilewati".into(),
        units: 0,
        treated_units: 0,
        note: None,
    };
    let points: Vec<&(u32, Period, f64)> =
        s.points.iter().filter(|(u, _, _)| units.jenis[*u as usize].as_deref() == Some(jenis)).collect();
    // The units of this jenis, ascending (codes sort as ids), and each one's position.
    let mut position: Vec<i64> = vec![-1; units.names.len()];
    for (u, _, _) in &points {
        position[*u as usize] = 0;
    }
    let unit_ids: Vec<usize> = (0..units.names.len()).filter(|&u| position[u] == 0).collect();
    for (k, &u) in unit_ids.iter().enumerate() {
        position[u] = k as i64;
    }
    let Some(origin) = points.iter().map(|(_, p, _)| period_index(p)).min() else { return (note, None) };
    // Periods from 1; a unit's cohort is the period containing its first event (0 = none). An
    // event in or before the first period is cohort 1, treated from the start, which the
    // estimator drops (numbered from the origin it would be 0, never treated, or negative).
    let mut cohort_of: Vec<i64> = vec![0; units.names.len()];
    for &u in &unit_ids {
        cohort_of[u] = first
            .get(&units.names[u])
            .map_or(0, |d| (period_index(&Period::containing(s.kind, *d)) - origin + 1).max(1));
    }
    let id: Vec<i64> = points.iter().map(|(u, _, _)| position[*u as usize]).collect();
    let time: Vec<i64> = points.iter().map(|(_, p, _)| period_index(p) - origin + 1).collect();
    let cohort: Vec<i64> = points.iter().map(|(u, _, _)| cohort_of[*u as usize]).collect();
    let y: Vec<f64> = points.iter().map(|(_, _, v)| *v).collect();
    note.units = unit_ids.len();
    let last = time.iter().copied().max().unwrap_or(0);
    note.treated_units = unit_ids.iter().filter(|&&u| (2..=last).contains(&cohort_of[u])).count();
    if note.treated_units < opts.min_treated_units {
        note.note = Some(format!(
            "{} unit diberi perlakuan, minimal {} / {} treated units, at least {} needed",
            note.treated_units, opts.min_treated_units, note.treated_units, opts.min_treated_units
        ));
        return (note, None);
    }
    let panel = match Panel::from_long_unbalanced(&id, &time, &cohort, &y) {
        Ok(p) => p,
        Err(e) => {
            note.note = Some(e.to_string());
            return (note, None);
        }
    };
    let window = (opts.window_months / i64::from(s.kind.months())).max(2);
    let cs =
        CsOptions { control: opts.control, repeated_cross_section: panel.has_gaps(), ..CsOptions::default() };
    let agg = AggOptions { min_e: Some(-window), max_e: Some(window) };
    match fit(&panel, &cs, agg, FitMode::default()) {
        Ok(f) => {
            let with_bands: Vec<_> = f.aggs.iter().map(|a| (a.clone(), None)).collect();
            let mut t = aggregates_table(&with_bands, z).tagged(&tags(
                &analysis.name,
                indikator,
                jenis,
                s.kind.as_str(),
            ));
            let h = t.height();
            t.push("n_units", C::I64(vec![Some(note.units as i64); h]));
            t.push("n_treated_units", C::I64(vec![Some(note.treated_units as i64); h]));
            note.status = "ok".into();
            (note, Some(t))
        }
        Err(e) => {
            note.note = Some(e.to_string());
            (note, None)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_match_any_alternative_ignoring_case() {
        assert!(matches("kepala puskesmas|kepala sekolah", "Kepala Sekolah SD Negeri 7 Ambon"));
        assert!(matches("dokter", "Dokter Ahli Pertama"));
        assert!(!matches("kepala puskesmas|kepala sekolah", "Kepala Seksi Pelayanan"));
        assert!(!matches("", "anything"));
    }

    #[test]
    fn professions_are_recognised_from_the_new_post_or_the_employee_record() {
        assert!(names_profession("dokter", Some("Dokter Ahli Pertama"), None));
        assert!(
            !names_profession("dokter", Some("Perawat Terampil"), Some("Dokter Ahli Muda")),
            "the row wins"
        );
        assert!(names_profession("dokter", None, Some("Dokter Ahli Muda Jabatan Fungsional")));
        assert!(!names_profession("dokter", None, None));
    }

    #[test]
    fn periods_index_consecutively_at_their_own_frequency() {
        use mutasi_domain::normalize::period::PeriodKind as K;
        let d = |y, m| NaiveDate::from_ymd_opt(y, m, 1).expect("date");
        let s = |a: NaiveDate, b: NaiveDate, k| {
            period_index(&Period::containing(k, b)) - period_index(&Period::containing(k, a))
        };
        assert_eq!(s(d(2023, 12,), d(2024, 1), K::Bulan), 1);
        assert_eq!(s(d(2023, 12), d(2024, 1), K::Semester), 1);
        assert_eq!(s(d(2024, 1), d(2024, 6), K::Semester), 0);
        assert_eq!(s(d(2023, 3), d(2024, 11), K::Tahun), 1);
    }
}
