//! The analyses of a monthly run (issue #3 §5): descriptive before/after windows, and
//! comparison-group estimates for every kinerja outcome and subgroup, written as the Parquet
//! summaries `docs/outputs.md` documents.
//!
//! - `transfer_windows.parquet`, `prepost_summary.parquet`: as `mutasi prepost`.
//! - `ikm_per_unit.parquet`: the IKM of every unit and survey period ([`crate::service`]).
//! - `unit_effects.parquet`: unit treatments' effects on service indicators
//!   ([`crate::service::unit_effects`]).
//! - `movement_units`, `movement_opd`, `flows_opd`, `transfer_compliance`, `mobility` (.parquet):
//!   movement accounting ([`crate::movement`]).
//! - `permohonan_funnel`, `permohonan_fairness`, `permohonan_match`, `permohonan_rules` (.parquet):
//!   the transfer-request process ([`crate::requests`]).
//! - `att_gt.parquet`, `aggregates.parquet`: Callaway & Sant'Anna per outcome and subgroup, with
//!   columns `outcome`, `subgroup`, `estimator` (`cs`) in front of `mutasi estimate`'s.
//! - `event_study.parquet`: the CS dynamic aggregation of every outcome and subgroup, and the
//!   stacked event study over every transfer (subgroup `semua`), `estimator` saying which.
//!
//! Subgroups split the treated by their first transfer (`jenis_mutasi`, or the destination's
//! `jenis_unit`); never-transferred employees are the comparison group of every subgroup.
//! Subgroups with fewer than `min_treated` transferred employees are not estimated, and ATT(g,t)
//! cells with fewer than `min_cell` treated employees have their values suppressed: both small
//! groups are personal data (UU 27/2022) and too small to say anything.

use std::path::Path;

use serde::Serialize;

use crate::data::table::{ColumnData as C, TableData, read_table_where, write_parquet};
use crate::estimate::fit::{FitMode, fit};
use crate::estimate::hr_panel::{FirstTransfer, HrPanel, build, first_transfers, transfer_months};
use crate::estimate::output::{aggregates_table, att_gt_table, event_study_table, stacked_event_study_table};
use crate::estimate::prepost::{WindowOptions, summarise_windows, summary_table, windows, windows_table};
use crate::movement::{MovementOptions, movement};
use crate::requests::{RequestOptions, request_checks, request_tables};
use crate::service::ikm_table::{IkmOptions, ikm_rows, ikm_table};
use crate::service::unit_effects::{UnitNote, UnitOptions, unit_effects};
use crate::stats::aggregate::{AggKind, AggOptions};
use crate::stats::cs::{Control, CsOptions};
use crate::stats::dist::normal_quantile;
use crate::stats::panel::Panel;
use crate::stats::stacked::stacked;

/// The subgroup holding every employee.
pub const ALL: &str = "semua";

#[derive(Debug, Clone)]
pub struct AnalysisOptions {
    /// Kinerja indicators to estimate; empty means every monthly indicator present.
    pub outcomes: Vec<String>,
    /// Subgroup dimensions: `jenis_mutasi`, `jenis_unit_tujuan`.
    pub subgroups: Vec<String>,
    /// Last month used (a month key).
    pub until: Option<i64>,
    pub windows: WindowOptions,
    /// Event-time window of the event studies and of the simple and group aggregations.
    pub min_e: i64,
    pub max_e: i64,
    pub min_events: usize,
    pub min_treated: usize,
    pub min_cell: usize,
    pub alpha: f64,
    /// Standardise each outcome within unit and month (z-scores) before estimating, which
    /// neutralises forced rating distributions (`mutasi panel --standardize`).
    pub standardize: bool,
    /// Comparison group of the employee estimates.
    pub control: Control,
    /// Unit service quality (IKM) settings.
    pub ikm: IkmOptions,
    /// Unit analyses (new head, arriving professional, staff turnover).
    pub units: UnitOptions,
    /// Movement accounting (waterfalls, flows, tenure, blackout, mobility).
    pub movement: MovementOptions,
    /// Transfer-request funnel and fairness.
    pub requests: RequestOptions,
}

impl Default for AnalysisOptions {
    fn default() -> Self {
        AnalysisOptions {
            outcomes: Vec::new(),
            subgroups: vec!["jenis_mutasi".into(), "jenis_unit_tujuan".into()],
            until: None,
            windows: WindowOptions::default(),
            min_e: -12,
            max_e: 12,
            min_events: 5,
            min_treated: 20,
            min_cell: 5,
            alpha: 0.05,
            standardize: false,
            control: Control::NeverTreated,
            ikm: IkmOptions::default(),
            units: UnitOptions::default(),
            movement: MovementOptions::default(),
            requests: RequestOptions::default(),
        }
    }
}

/// The subgroup dimensions `mutasi run` knows.
pub const SUBGROUP_DIMENSIONS: [&str; 2] = ["jenis_mutasi", "jenis_unit_tujuan"];

/// What happened to one outcome × subgroup × estimator, for `run.json`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct EstimateNote {
    pub outcome: String,
    pub subgroup: String,
    pub estimator: String,
    /// `ok` or `dilewati` (skipped).
    pub status: String,
    pub entities: usize,
    pub treated: usize,
    pub note: Option<String>,
}

/// The value of a subgroup dimension for a first transfer.
fn dimension_value(dim: &str, f: &FirstTransfer) -> String {
    match dim {
        "jenis_mutasi" => f.jenis_mutasi.clone(),
        _ => f.jenis_unit_tujuan.clone().unwrap_or_else(|| "tidak_diketahui".into()),
    }
}

/// Monthly kinerja indicators present in the validated tables.
fn monthly_indicators(validated: &Path) -> Result<Vec<String>, String> {
    let kf = validated.join("kinerja.parquet");
    let t = read_table_where(&kf, Some(&["indikator"]), Some(("jenis_periode", &["bulan"])))?;
    let mut v: Vec<String> =
        (0..t.height()).filter_map(|i| t.str_at("indikator", i).map(String::from)).collect();
    v.sort_unstable();
    v.dedup();
    Ok(v)
}

/// The CS panel of the employees kept by `keep` (by pegawai_id and cohort).
fn panel_of(hp: &HrPanel, keep: &dyn Fn(&str, i64) -> bool) -> Result<(Panel, usize), String> {
    // One decision per employee (rows of an employee share the id and the cohort).
    let mut decision: Vec<Option<bool>> = vec![None; hp.ids.len()];
    let rows: Vec<usize> = (0..hp.nilai.len())
        .filter(|k| {
            let e = hp.entity[*k] as usize;
            *decision[e].get_or_insert_with(|| keep(&hp.ids[e], hp.cohort[*k]))
        })
        .collect();
    let id: Vec<i64> = rows.iter().map(|k| i64::from(hp.entity[*k])).collect();
    let time: Vec<i64> = rows.iter().map(|k| hp.t[*k]).collect();
    let cohort: Vec<i64> = rows.iter().map(|k| hp.cohort[*k]).collect();
    let y: Vec<f64> = rows.iter().map(|k| hp.nilai[*k]).collect();
    let panel = Panel::from_long_unbalanced(&id, &time, &cohort, &y).map_err(|e| e.to_string())?;
    let treated = panel.cohort.iter().filter(|g| **g > 0).count();
    Ok((panel, treated))
}

/// The three estimate tables being accumulated over outcomes and subgroups.
struct Tables {
    att_gt: TableData,
    aggregates: TableData,
    event_study: TableData,
}

impl Tables {
    /// Empty tables with the documented columns, so a month without any estimate still writes
    /// files of the right schema.
    fn new(z: f64) -> Tables {
        let tags = [("outcome", ""), ("subgroup", ""), ("estimator", "")];
        Tables {
            att_gt: att_gt_table(&crate::stats::cs::AttGt::default(), z, None).tagged(&tags),
            aggregates: aggregates_table(&[], z).tagged(&tags),
            event_study: stacked_event_study_table("", &[], z).tagged(&tags),
        }
    }
}

/// What `run` says about each estimate, for `run.json`.
#[derive(Debug, Clone, Default)]
pub struct Notes {
    /// One per outcome × subgroup × estimator.
    pub estimates: Vec<EstimateNote>,
    /// One per unit analysis × indicator × jenis_unit.
    pub units: Vec<UnitNote>,
}

/// Runs every analysis on the validated tables in `validated` and writes the Parquet files into
/// `out`.
pub fn run(validated: &Path, out: &Path, opts: &AnalysisOptions) -> Result<Notes, String> {
    if let Some(d) = opts.subgroups.iter().find(|d| !SUBGROUP_DIMENSIONS.contains(&d.as_str())) {
        return Err(format!(
            "subkelompok `{d}` tidak dikenal / unknown subgroup dimension\n\nhint: pilih dari / choose from {}",
            SUBGROUP_DIMENSIONS.join(", ")
        ));
    }
    let w = windows(validated, &opts.windows)?;
    write_parquet(windows_table(&w), &out.join("transfer_windows.parquet"))?;
    write_parquet(
        summary_table(&summarise_windows(&w, &opts.windows)),
        &out.join("prepost_summary.parquet"),
    )?;
    let ikm = ikm_rows(validated, &opts.ikm)?;
    write_parquet(ikm_table(&ikm), &out.join("ikm_per_unit.parquet"))?;
    let (unit_table, unit_notes) = unit_effects(validated, &ikm, &opts.units)?;
    write_parquet(unit_table, &out.join("unit_effects.parquet"))?;
    let m = movement(validated, &opts.movement)?;
    write_parquet(m.units, &out.join("movement_units.parquet"))?;
    write_parquet(m.opd, &out.join("movement_opd.parquet"))?;
    write_parquet(m.flows, &out.join("flows_opd.parquet"))?;
    write_parquet(m.transfers, &out.join("transfer_compliance.parquet"))?;
    write_parquet(m.mobility, &out.join("mobility.parquet"))?;
    let (funnel, fairness) = request_tables(validated, &opts.requests)?;
    write_parquet(funnel, &out.join("permohonan_funnel.parquet"))?;
    write_parquet(fairness, &out.join("permohonan_fairness.parquet"))?;
    let (matched, rules) = request_checks(validated, &opts.requests)?;
    write_parquet(matched, &out.join("permohonan_match.parquet"))?;
    write_parquet(rules, &out.join("permohonan_rules.parquet"))?;

    let outcomes =
        if opts.outcomes.is_empty() { monthly_indicators(validated)? } else { opts.outcomes.clone() };
    let firsts = first_transfers(validated, opts.until)?;
    let z = normal_quantile(1.0 - opts.alpha / 2.0);
    let agg = AggOptions { min_e: Some(opts.min_e), max_e: Some(opts.max_e) };
    let mut tables = Tables::new(z);
    let mut notes = Vec::new();
    for outcome in &outcomes {
        let hp = build(validated, outcome, opts.standardize, opts.until)?;
        let mut subgroups: Vec<(String, Option<(&str, String)>)> = vec![(ALL.to_string(), None)];
        for dim in &opts.subgroups {
            let mut values: Vec<String> = firsts.values().map(|f| dimension_value(dim, f)).collect();
            values.sort_unstable();
            values.dedup();
            subgroups.extend(values.into_iter().map(|v| (format!("{dim}={v}"), Some((dim.as_str(), v)))));
        }
        for (label, filter) in &subgroups {
            let keep = |id: &str, cohort: i64| {
                cohort == 0
                    || filter
                        .as_ref()
                        .is_none_or(|(dim, v)| firsts.get(id).is_some_and(|f| dimension_value(dim, f) == *v))
            };
            let note = estimate_cs(&hp, &keep, outcome, label, opts, agg, z, &mut tables)?;
            notes.push(note);
        }
        let events = transfer_months(validated, opts.until)?;
        notes.push(estimate_stacked(&hp.stacked_entities(&events), outcome, opts, z, &mut tables)?);
    }
    write_parquet(tables.att_gt, &out.join("att_gt.parquet"))?;
    write_parquet(tables.aggregates, &out.join("aggregates.parquet"))?;
    write_parquet(tables.event_study, &out.join("event_study.parquet"))?;
    Ok(Notes { estimates: notes, units: unit_notes })
}

/// CS for one outcome and subgroup; appends its rows to `tables`.
#[allow(clippy::too_many_arguments)]
fn estimate_cs(
    hp: &HrPanel,
    keep: &dyn Fn(&str, i64) -> bool,
    outcome: &str,
    subgroup: &str,
    opts: &AnalysisOptions,
    agg: AggOptions,
    z: f64,
    tables: &mut Tables,
) -> Result<EstimateNote, String> {
    let mut note = EstimateNote {
        outcome: outcome.into(),
        subgroup: subgroup.into(),
        estimator: "cs".into(),
        status: "dilewati".into(),
        entities: 0,
        treated: 0,
        note: None,
    };
    let (panel, treated) = match panel_of(hp, keep) {
        Ok(p) => p,
        Err(e) => {
            note.note = Some(e);
            return Ok(note);
        }
    };
    note.entities = panel.n();
    note.treated = treated;
    if treated < opts.min_treated {
        note.note = Some(format!(
            "kurang dari {} pegawai bermutasi: tidak diestimasi (kelompok kecil) / fewer than {} transferred employees: not estimated (small group)",
            opts.min_treated, opts.min_treated
        ));
        return Ok(note);
    }
    let cs =
        CsOptions { control: opts.control, repeated_cross_section: panel.has_gaps(), ..CsOptions::default() };
    let f = match fit(&panel, &cs, agg, FitMode::default()) {
        Ok(f) => f,
        Err(e) => {
            note.note = Some(e.to_string());
            return Ok(note);
        }
    };
    let tags = [("outcome", outcome), ("subgroup", subgroup), ("estimator", "cs")];
    tables.att_gt.append(suppress_small_cells(att_gt_table(&f.res, z, None), opts.min_cell).tagged(&tags))?;
    let with_bands: Vec<_> = f.aggs.iter().map(|a| (a.clone(), None)).collect();
    tables.aggregates.append(aggregates_table(&with_bands, z).tagged(&tags))?;
    if let Some(d) = f.aggs.iter().find(|a| a.kind == AggKind::Dynamic) {
        tables.event_study.append(event_study_table(outcome, d, None, z).tagged(&tags))?;
    }
    note.status = "ok".into();
    note.entities = f.res.n;
    Ok(note)
}

/// The stacked event study over every transfer, for subgroup `semua`.
fn estimate_stacked(
    entities: &[crate::stats::stacked::Entity],
    outcome: &str,
    opts: &AnalysisOptions,
    z: f64,
    tables: &mut Tables,
) -> Result<EstimateNote, String> {
    let points = stacked(entities, -opts.min_e, opts.max_e, opts.min_events);
    let mut note = EstimateNote {
        outcome: outcome.into(),
        subgroup: ALL.into(),
        estimator: "stacked".into(),
        status: "ok".into(),
        entities: entities.len(),
        treated: entities.iter().filter(|e| !e.events.is_empty()).count(),
        note: None,
    };
    if points.is_empty() {
        note.status = "dilewati".into();
        note.note = Some(format!(
            "tidak ada sub-eksperimen dengan minimal {} mutasi / no sub-experiment with at least {} transfers",
            opts.min_events, opts.min_events
        ));
        return Ok(note);
    }
    let d = stacked_event_study_table(outcome, &points, z);
    tables.event_study.append(d.tagged(&[
        ("outcome", outcome),
        ("subgroup", ALL),
        ("estimator", "stacked"),
    ]))?;
    Ok(note)
}

/// Nulls `att`, `se`, `ci_low` and `ci_high` of cells with fewer than `min_cell` treated.
fn suppress_small_cells(mut t: TableData, min_cell: usize) -> TableData {
    let small: Vec<bool> = match t.get("n_treated") {
        Some(C::I64(v)) => v.iter().map(|n| n.unwrap_or(0) < min_cell as i64).collect(),
        _ => return t,
    };
    for (name, col) in t.columns.iter_mut() {
        if let ("att" | "se" | "ci_low" | "ci_high", C::F64(v)) = (name.as_str(), col) {
            for (x, s) in v.iter_mut().zip(&small) {
                if *s {
                    *x = None;
                }
            }
        }
    }
    t
}
