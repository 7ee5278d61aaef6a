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

use crate::error::AnalysisError;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use chrono::NaiveDate;

use serde::Serialize;

use crate::estimate::fit::{FitMode, fit_sharing};
use crate::estimate::hr_panel::{FirstTransfer, HrPanel, first_transfers, gather, transfer_months};
use crate::estimate::output::{aggregates_table, att_gt_table, event_study_table, stacked_event_study_table};
use crate::estimate::prepost::{WindowOptions, summarise_windows, summary_table, windows, windows_table};
use crate::movement::{MovementOptions, movement};
use crate::requests::{RequestOptions, request_checks, request_share, request_tables};
use crate::service::ikm_table::{IkmOptions, ikm_rows, ikm_table};
use crate::service::unit_effects::{UnitNote, UnitOptions, unit_effects};
use mutasi_io::data::table::{ColumnData as C, TableData, distinct_text, read_table_shared, write_parquet};
use mutasi_stats::aggregate::{AggKind, AggOptions};
use mutasi_stats::bootstrap::Bands;
use mutasi_stats::compare::{WithInfluence, difference};
use mutasi_stats::cs::{Control, CsOptions, estimation_sample};
use mutasi_stats::dist::{normal_cdf, normal_quantile};
use mutasi_stats::moments::NeverTreated;
use mutasi_stats::panel::Panel;
use mutasi_stats::stacked::Stack;

/// The subgroup holding every employee.
pub const ALL: &str = "semua";

#[derive(Debug, Clone, PartialEq)]
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
    /// Months after a transfer within which a training start counts (subgroup `pelatihan`).
    pub training_months: i64,
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
            training_months: 3,
            ikm: IkmOptions::default(),
            units: UnitOptions::default(),
            movement: MovementOptions::default(),
            requests: RequestOptions::default(),
        }
    }
}

pub use mutasi_domain::config::SUBGROUP_DIMENSIONS;

/// Dimensions with two groups (`ya`, `tidak`) whose difference is estimated with its SE.
const BINARY_DIMENSIONS: [&str; 2] = ["diminta", "pelatihan"];

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
    /// Wald test that the event study's pre-transfer effects are all zero (parallel trends
    /// before the transfer): p-value and degrees of freedom; null when there is no pre-period.
    pub pretest_p_value: Option<f64>,
    pub pretest_df: Option<usize>,
}

/// What the subgroups need to know about each employee's first transfer.
struct SubgroupFacts {
    requested: HashSet<(String, NaiveDate)>,
    /// The same by month key, for event-level subgroups.
    requested_months: HashMap<String, HashSet<i64>>,
    trainings: HashMap<String, Vec<NaiveDate>>,
    training_months: i64,
}

impl SubgroupFacts {
    /// From `permohonan_match` (`matched`) and the validated `pelatihan`.
    fn read(
        validated: &Path,
        matched: &TableData,
        opts: &AnalysisOptions,
    ) -> Result<SubgroupFacts, AnalysisError> {
        let mut requested = HashSet::new();
        if let Some(C::Bool(flags)) = matched.get("diminta") {
            for (k, f) in flags.iter().enumerate() {
                let tmt = match matched.get("tmt") {
                    Some(C::Date(v)) => v[k],
                    _ => None,
                };
                if let (Some(true), Some(id), Some(tmt)) = (f, matched.str_at("pegawai_id", k), tmt) {
                    requested.insert((id.to_string(), tmt));
                }
            }
        }
        let pf = validated.join("pelatihan.parquet");
        let t = read_table_shared(&pf, None, None)?;
        let (ids, starts) = (t.text_column("pegawai_id", &pf)?, t.date_column("tanggal_mulai", &pf)?);
        let mut trainings: HashMap<String, Vec<NaiveDate>> = HashMap::new();
        for (id, d) in ids.iter().zip(starts) {
            if let (Some(id), Some(d)) = (id, d)
                && opts.until.is_none_or(|u| {
                    i64::from(mutasi_domain::normalize::period::Period::of_date(*d).month_key()) <= u
                })
            {
                trainings.entry(id.to_string()).or_default().push(*d);
            }
        }
        let mut requested_months: HashMap<String, HashSet<i64>> = HashMap::new();
        for (id, d) in &requested {
            let month = i64::from(mutasi_domain::normalize::period::Period::of_date(*d).month_key());
            requested_months.entry(id.clone()).or_default().insert(month);
        }
        Ok(SubgroupFacts { requested, requested_months, trainings, training_months: opts.training_months })
    }

    /// The value of a binary dimension for one transfer event of an employee, in month `month`
    /// (a month key): requested in that month, or followed by training within the months set.
    fn event_value(&self, dim: &str, id: &str, month: i64) -> &'static str {
        let key =
            |d: &NaiveDate| i64::from(mutasi_domain::normalize::period::Period::of_date(*d).month_key());
        let yes = match dim {
            "diminta" => self.requested_months.get(id).is_some_and(|m| m.contains(&month)),
            _ => self
                .trainings
                .get(id)
                .is_some_and(|ds| ds.iter().any(|d| (month..month + self.training_months).contains(&key(d)))),
        };
        if yes { "ya" } else { "tidak" }
    }

    /// The value of a subgroup dimension for an employee's first transfer.
    fn value(&self, dim: &str, id: &str, f: &FirstTransfer) -> String {
        let yes = |b: bool| if b { "ya" } else { "tidak" }.to_string();
        match dim {
            "jenis_mutasi" => f.jenis_mutasi.clone(),
            "diminta" => yes(self.requested.contains(&(id.to_string(), f.tmt))),
            "pelatihan" => yes(self.trainings.get(id).is_some_and(|ds| {
                ds.iter().any(|d| {
                    *d >= f.tmt && mutasi_domain::tenure::months_between(f.tmt, *d) < self.training_months
                })
            })),
            _ => f.jenis_unit_tujuan.clone().unwrap_or_else(|| "tidak_diketahui".into()),
        }
    }
}

/// Monthly kinerja indicators present in the validated tables.
fn monthly_indicators(validated: &Path) -> Result<Vec<String>, AnalysisError> {
    Ok(distinct_text(&validated.join("kinerja.parquet"), "indikator", Some(("jenis_periode", &["bulan"])))?)
}

/// The CS panel of the employees kept by `keep` (by position in `hp.ids`, and cohort): a
/// selection from the outcome's panel of every employee when that one could be built, the same
/// panel built from the employees' rows otherwise (an error in one employee's rows then only
/// fails the subgroups holding them).
fn subgroup_panel(
    hp: &HrPanel,
    everyone: Option<&Panel>,
    keep: &dyn Fn(usize, i64) -> bool,
) -> Result<(Panel, usize), AnalysisError> {
    let Some(all) = everyone else {
        return panel_of(hp, keep);
    };
    let mask: Vec<bool> = all.ids.iter().zip(&all.cohort).map(|(e, g)| keep(*e as usize, *g)).collect();
    let panel = all.select(&mask)?;
    let treated = treated_in(&panel);
    Ok((panel, treated))
}

/// The CS panel of the employees kept by `keep` (by position in `hp.ids`, and cohort), from their rows.
fn panel_of(hp: &HrPanel, keep: &dyn Fn(usize, i64) -> bool) -> Result<(Panel, usize), AnalysisError> {
    // One decision per employee (rows of an employee share the id and the cohort).
    let mut decision: Vec<Option<bool>> = vec![None; hp.ids.len()];
    let rows: Vec<usize> = (0..hp.nilai.len())
        .filter(|k| {
            let e = hp.entity[*k] as usize;
            *decision[e].get_or_insert_with(|| keep(e, hp.cohort[*k]))
        })
        .collect();
    let id: Vec<i64> = rows.iter().map(|k| i64::from(hp.entity[*k])).collect();
    let time: Vec<i64> = rows.iter().map(|k| hp.t[*k]).collect();
    let cohort: Vec<i64> = rows.iter().map(|k| hp.cohort[*k]).collect();
    let y: Vec<f64> = rows.iter().map(|k| hp.nilai[*k]).collect();
    let panel = Panel::from_long_unbalanced(&id, &time, &cohort, &y)?;
    let treated = treated_in(&panel);
    Ok((panel, treated))
}

/// Employees of `panel` the estimator treats as transferred: first transferred after its first
/// month and by its last (earlier ones are always treated and dropped, later ones are not yet
/// treated in the window).
fn treated_in(panel: &Panel) -> usize {
    let (_, cohorts, _) = estimation_sample(panel, &CsOptions::default());
    cohorts.iter().filter(|g| **g > 0).count()
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
            att_gt: att_gt_table(&mutasi_stats::cs::AttGt::default(), z, None).tagged(&tags),
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
    /// Where the time went, for the manifest's stages and the benchmarks.
    pub timings: Timings,
}

/// Seconds spent in each part of [`run`] (the descriptive part on its own thread, beside the
/// others, when there is more than one core).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Timings {
    /// Transfer windows, IKM, unit analyses, movement, request funnel and fairness, transfers
    /// per month.
    pub descriptive: f64,
    /// Building the HR panels (and the stacked event windows) from the validated tables.
    pub panel: f64,
    /// The request matching (the `diminta` subgroups), the CS and stacked estimators, their
    /// aggregations and bands, and writing their tables.
    pub estimators: f64,
}

/// Runs every analysis on the validated tables in `validated` and writes the Parquet files into
/// `out`.
///
/// The descriptive tables and the estimators share nothing but the validated tables, so with
/// more than one core they run side by side: the descriptive ones on a helper thread that enters
/// this thread's read cache (each validated table is decoded once between them), the estimators
/// here. Each writes its own files, computed as alone, so the outputs do not depend on which
/// finishes first. With one core (a partition of a national run, which already has every core
/// busy) they run one after the other.
pub fn run(validated: &Path, out: &Path, opts: &AnalysisOptions) -> Result<Notes, AnalysisError> {
    if let Some(d) = opts.subgroups.iter().find(|d| !SUBGROUP_DIMENSIONS.contains(&d.as_str())) {
        return Err(AnalysisError::UnknownSubgroup {
            name: d.clone(),
            choices: SUBGROUP_DIMENSIONS.join(", "),
        });
    }
    let described = || -> Result<(Vec<UnitNote>, f64), AnalysisError> {
        let clock = std::time::Instant::now();
        let units = describe(validated, out, opts)?;
        Ok((units, clock.elapsed().as_secs_f64()))
    };
    let (described, estimated) = if rayon::current_num_threads() > 1 {
        let memo = mutasi_io::data::cache::ReadCache::handle();
        std::thread::scope(|scope| {
            let helper = scope.spawn(|| {
                let _scope = memo.as_ref().map(mutasi_io::data::cache::ReadCache::enter);
                described()
            });
            let estimated = estimate_all(validated, out, opts);
            let described = helper.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (described, estimated)
        })
    } else {
        (described(), estimate_all(validated, out, opts))
    };
    let (units, descriptive) = described?;
    let (estimates, mut timings) = estimated?;
    timings.descriptive = descriptive;
    Ok(Notes { estimates, units, timings })
}

/// The descriptive tables: transfer windows and their before/after summaries, IKM per unit and
/// the unit analyses, movement, the request funnel and fairness, and transfers per month.
fn describe(validated: &Path, out: &Path, opts: &AnalysisOptions) -> Result<Vec<UnitNote>, AnalysisError> {
    let w = windows(validated, &opts.windows)?;
    write_parquet(windows_table(&w), &out.join("transfer_windows.parquet"))?;
    write_parquet(
        summary_table(&summarise_windows(&w, &opts.windows)),
        &out.join("prepost_summary.parquet"),
    )?;
    drop(w);
    let ikm = ikm_rows(validated, &opts.ikm)?;
    write_parquet(ikm_table(&ikm), &out.join("ikm_per_unit.parquet"))?;
    let (unit_table, unit_notes) = unit_effects(validated, &ikm, &opts.units)?;
    write_parquet(unit_table, &out.join("unit_effects.parquet"))?;
    let m = movement(validated, &opts.movement)?;
    write_parquet(m.units, &out.join("movement_units.parquet"))?;
    write_parquet(m.opd, &out.join("movement_opd.parquet"))?;
    mutasi_io::data::frame::write(m.flows, &out.join("flows_opd.parquet"))?;
    write_parquet(m.transfers, &out.join("transfer_compliance.parquet"))?;
    write_parquet(m.mobility, &out.join("mobility.parquet"))?;
    let (funnel, fairness) = request_tables(validated, &opts.requests)?;
    mutasi_io::data::frame::write(funnel, &out.join("permohonan_funnel.parquet"))?;
    mutasi_io::data::frame::write(fairness, &out.join("permohonan_fairness.parquet"))?;
    let monthly =
        crate::descriptive::monthly::monthly_transfers(validated, opts.until, opts.min_cell as u64)?;
    mutasi_io::data::frame::write(monthly, &out.join("mutasi_bulanan.parquet"))?;
    Ok(unit_notes)
}

/// The request matching (which the `diminta` subgroups need) and every estimator: CS per outcome
/// and subgroup, the subgroup differences and the stacked event studies. Returns their notes
/// and the time spent building panels and estimating.
fn estimate_all(
    validated: &Path,
    out: &Path,
    opts: &AnalysisOptions,
) -> Result<(Vec<EstimateNote>, Timings), AnalysisError> {
    let clock = std::time::Instant::now();
    let mut timings = Timings::default();
    let (matched, rules) = request_checks(validated, &opts.requests)?;
    mutasi_io::data::frame::write(
        request_share(validated, &matched)?,
        &out.join("permohonan_share.parquet"),
    )?;
    // The matching decides the `diminta` subgroups too: computed once, used twice.
    let facts = SubgroupFacts::read(validated, &matched, opts)?;
    write_parquet(matched, &out.join("permohonan_match.parquet"))?;
    write_parquet(rules, &out.join("permohonan_rules.parquet"))?;

    let outcomes =
        if opts.outcomes.is_empty() { monthly_indicators(validated)? } else { opts.outcomes.clone() };
    let mut panel_clock = std::time::Duration::ZERO;
    let firsts = first_transfers(validated, opts.until)?;
    let mut differences = DifferenceRows::default();
    let z = normal_quantile(1.0 - opts.alpha / 2.0);
    let agg = AggOptions { min_e: Some(opts.min_e), max_e: Some(opts.max_e) };
    let mut tables = Tables::new(z);
    let mut notes = Vec::new();
    // Each employee's value of each subgroup dimension, from the first transfer: the same for
    // every outcome.
    let dim_values: HashMap<&str, HashMap<&str, String>> = opts
        .subgroups
        .iter()
        .map(|dim| {
            (dim.as_str(), firsts.iter().map(|(id, f)| (id.as_str(), facts.value(dim, id, f))).collect())
        })
        .collect();
    // What every outcome's panel is built from; each panel gathers its own rows in turn.
    let started = std::time::Instant::now();
    let panel_rows = gather(validated, &outcomes, opts.standardize, opts.until)?;
    panel_clock += started.elapsed();
    for (k, outcome) in outcomes.iter().enumerate() {
        let started = std::time::Instant::now();
        let hp = panel_rows.panel(k)?;
        panel_clock += started.elapsed();
        let mut subgroups: Vec<(String, Option<(&str, String)>)> = vec![(ALL.to_string(), None)];
        for dim in &opts.subgroups {
            let mut values: Vec<String> = dim_values[dim.as_str()].values().cloned().collect();
            values.sort_unstable();
            values.dedup();
            subgroups.extend(values.into_iter().map(|v| (format!("{dim}={v}"), Some((dim.as_str(), v)))));
        }
        let mut kept: BTreeMap<(String, String), Overall> = BTreeMap::new();
        let everyone = panel_of(&hp, &|_, _| true).ok().map(|(p, _)| p);
        // Each employee's value of each dimension, by position in the panel: a subgroup's
        // selection compares positions, not ids through a map, for every employee.
        let by_entity: HashMap<&str, Vec<Option<&str>>> = dim_values
            .iter()
            .map(|(dim, values)| {
                (*dim, hp.ids.iter().map(|id| values.get(id.as_str()).map(String::as_str)).collect())
            })
            .collect();
        // The never-treated moments of the first estimate (`semua`), for every subgroup's.
        let mut never: Option<NeverTreated> = None;
        for (label, filter) in &subgroups {
            let members = filter.as_ref().map(|(dim, v)| (&by_entity[dim], v.as_str()));
            let keep = |e: usize, cohort: i64| {
                cohort == 0 || members.is_none_or(|(values, v)| values.get(e).copied().flatten() == Some(v))
            };
            let binary = filter.as_ref().filter(|(dim, _)| BINARY_DIMENSIONS.contains(dim));
            let (note, overall) = estimate_cs(
                &hp,
                everyone.as_ref(),
                &keep,
                outcome,
                label,
                opts,
                agg,
                z,
                &mut tables,
                binary.is_some(),
                &mut never,
            )?;
            if let (Some((dim, v)), Some(o)) = (binary, overall) {
                kept.insert((dim.to_string(), v.clone()), o);
            }
            notes.push(note);
        }
        for dim in BINARY_DIMENSIONS {
            if let (Some(a), Some(b)) =
                (kept.get(&(dim.to_string(), "ya".into())), kept.get(&(dim.to_string(), "tidak".into())))
            {
                differences.push(outcome, dim, a, b);
            }
        }
        let started = std::time::Instant::now();
        let events = transfer_months(validated, opts.until)?;
        let entities = hp.stacked_entities(&events);
        panel_clock += started.elapsed();
        // One stack for every subgroup: the grid and each period's clean controls are shared.
        let stack = Stack::new(&entities, -opts.min_e, opts.max_e);
        notes.push(estimate_stacked(&stack, outcome, ALL, &|_, _| true, opts, z, &mut tables)?);
        // The binary subgroups, event by event: a transfer requested or not, followed by training
        // or not.
        for dim in opts.subgroups.iter().filter(|d| BINARY_DIMENSIONS.contains(&d.as_str())) {
            for value in ["ya", "tidak"] {
                let label = format!("{dim}={value}");
                let treated = |i: usize, t: i64| facts.event_value(dim, &hp.ids[i], t + hp.origin) == value;
                notes.push(estimate_stacked(&stack, outcome, &label, &treated, opts, z, &mut tables)?);
            }
        }
    }
    write_parquet(tables.att_gt, &out.join("att_gt.parquet"))?;
    write_parquet(tables.aggregates, &out.join("aggregates.parquet"))?;
    write_parquet(tables.event_study, &out.join("event_study.parquet"))?;
    write_parquet(differences.table(), &out.join("subgroup_differences.parquet"))?;
    timings.panel = panel_clock.as_secs_f64();
    timings.estimators = clock.elapsed().as_secs_f64() - timings.panel;
    Ok((notes, timings))
}

/// CS for one outcome and subgroup; appends its rows to `tables`.
#[allow(clippy::too_many_arguments)]
fn estimate_cs(
    hp: &HrPanel,
    everyone: Option<&Panel>,
    keep: &dyn Fn(usize, i64) -> bool,
    outcome: &str,
    subgroup: &str,
    opts: &AnalysisOptions,
    agg: AggOptions,
    z: f64,
    tables: &mut Tables,
    keep_influence: bool,
    never: &mut Option<NeverTreated>,
) -> Result<(EstimateNote, Option<Overall>), AnalysisError> {
    let mut note = EstimateNote {
        outcome: outcome.into(),
        subgroup: subgroup.into(),
        estimator: "cs".into(),
        status: "dilewati".into(),
        entities: 0,
        treated: 0,
        note: None,
        pretest_p_value: None,
        pretest_df: None,
    };
    let (panel, treated) = match subgroup_panel(hp, everyone, keep) {
        Ok(p) => p,
        Err(e) => {
            note.note = Some(e.to_string());
            return Ok((note, None));
        }
    };
    note.entities = panel.n();
    note.treated = treated;
    if treated < opts.min_treated {
        note.note = Some(format!(
            "kurang dari {} pegawai bermutasi: tidak diestimasi (kelompok kecil) / fewer than {} transferred employees: not estimated (small group)",
            opts.min_treated, opts.min_treated
        ));
        return Ok((note, None));
    }
    let cs =
        CsOptions { control: opts.control, repeated_cross_section: panel.has_gaps(), ..CsOptions::default() };
    let mode = FitMode { overall_inf: keep_influence, ..FitMode::default() };
    let f = match fit_sharing(&panel, &cs, agg, mode, never) {
        Ok(f) => f,
        Err(e) => {
            note.note = Some(e.to_string());
            return Ok((note, None));
        }
    };
    let tags = [("outcome", outcome), ("subgroup", subgroup), ("estimator", "cs")];
    tables.att_gt.append(suppress_small_cells(att_gt_table(&f.res, z, None), opts.min_cell).tagged(&tags))?;
    let with_bands: Vec<_> = f.aggs.iter().map(|a| (a.clone(), None)).collect();
    tables.aggregates.append(aggregates_table(&with_bands, z).tagged(&tags))?;
    if let Some(d) = f.aggs.iter().find(|a| a.kind == AggKind::Dynamic) {
        // The simultaneous band uses the analytic SEs and the sup-t critical value.
        let band = f.event_band_crit.map(|crit| Bands {
            overall_se: d.overall.se,
            element_se: d.elements.iter().map(|(_, e)| e.se).collect(),
            crit,
        });
        tables.event_study.append(event_study_table(outcome, d, band.as_ref(), z).tagged(&tags))?;
    }
    note.status = "ok".into();
    note.entities = f.res.n;
    note.pretest_p_value = f.event_pretest.as_ref().map(|w| w.p_value).filter(|p| p.is_finite());
    note.pretest_df = f.event_pretest.as_ref().map(|w| w.df);
    // The dynamic overall effect with its influence function, keyed by employee.
    let overall =
        f.aggs.iter().find(|a| a.kind == AggKind::Dynamic).filter(|d| !d.overall.inf.is_empty()).map(|d| {
            Overall {
                att: d.overall.att,
                ids: f.res.entities.iter().map(|e| panel.ids[*e]).collect(),
                inf: d.overall.inf.clone(),
            }
        });
    Ok((note, overall))
}

/// A subgroup's dynamic overall effect with its influence function.
struct Overall {
    att: f64,
    ids: Vec<i64>,
    inf: Vec<f64>,
}

/// `subgroup_differences.parquet` rows.
#[derive(Default)]
struct DifferenceRows {
    rows: Vec<(String, String, f64, f64, f64, f64, f64)>,
}

impl DifferenceRows {
    fn push(&mut self, outcome: &str, dim: &str, a: &Overall, b: &Overall) {
        let wa = WithInfluence { att: a.att, ids: &a.ids, inf: &a.inf };
        let wb = WithInfluence { att: b.att, ids: &b.ids, inf: &b.inf };
        let (d, se) = difference(&wa, &wb);
        self.rows.push((
            outcome.to_string(),
            dim.to_string(),
            a.att,
            b.att,
            d,
            se,
            2.0 * (1.0 - normal_cdf((d / se).abs())),
        ));
    }

    fn table(&self) -> TableData {
        let z = normal_quantile(0.975);
        let r = &self.rows;
        let mut t = TableData::default();
        t.push("outcome", C::Str(r.iter().map(|x| Some(x.0.clone())).collect()));
        t.push("dimensi", C::Str(r.iter().map(|x| Some(x.1.clone())).collect()));
        t.push("kelompok_a", C::Str(r.iter().map(|_| Some("ya".to_string())).collect()));
        t.push("kelompok_b", C::Str(r.iter().map(|_| Some("tidak".to_string())).collect()));
        t.push("att_a", C::F64(r.iter().map(|x| Some(x.2)).collect()));
        t.push("att_b", C::F64(r.iter().map(|x| Some(x.3)).collect()));
        t.push("selisih", C::F64(r.iter().map(|x| Some(x.4)).collect()));
        t.push("se", C::F64(r.iter().map(|x| Some(x.5).filter(|s| s.is_finite())).collect()));
        t.push("ci_low", C::F64(r.iter().map(|x| Some(x.4 - z * x.5).filter(|v| v.is_finite())).collect()));
        t.push("ci_high", C::F64(r.iter().map(|x| Some(x.4 + z * x.5).filter(|v| v.is_finite())).collect()));
        t.push("p_value", C::F64(r.iter().map(|x| Some(x.6).filter(|v| v.is_finite())).collect()));
        t.push(
            "tafsiran",
            C::Str(
                r.iter()
                    .map(|x| {
                        Some(if x.1 == "pelatihan" {
                            "asosiasi, bukan efek kausal: pelatihan dipilih sesudah mutasi / association, not a causal effect: training is chosen after the transfer"
                        } else {
                            "perbedaan efek antara mutasi yang diminta dan yang ditugaskan / difference between requested and assigned transfers"
                        }
                        .to_string())
                    })
                    .collect(),
            ),
        );
        t
    }
}

/// The stacked event study of the transfers `treated_event` keeps (every one for subgroup
/// `semua`), from the outcome's stack.
fn estimate_stacked(
    stack: &Stack<'_>,
    outcome: &str,
    subgroup: &str,
    treated_event: &dyn Fn(usize, i64) -> bool,
    opts: &AnalysisOptions,
    z: f64,
    tables: &mut Tables,
) -> Result<EstimateNote, AnalysisError> {
    let points = stack.estimate(opts.min_events, treated_event);
    let entities = stack.entities();
    let mut note = EstimateNote {
        outcome: outcome.into(),
        subgroup: subgroup.into(),
        estimator: "stacked".into(),
        status: "ok".into(),
        entities: entities.len(),
        treated: entities.iter().filter(|e| !e.events.is_empty()).count(),
        note: None,
        pretest_p_value: None,
        pretest_df: None,
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
        ("subgroup", subgroup),
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The config file's defaults (`mutasi-domain`) and the options' defaults here are written
    /// in two crates; they must say the same, or a run without a config would differ from the
    /// library's documented defaults.
    #[test]
    fn option_defaults_agree_with_the_config_defaults() {
        let c = mutasi_domain::config::Config::default();
        let o = AnalysisOptions::default();
        let a = &c.analysis;
        assert_eq!((a.outcomes.clone(), a.subgroups.clone()), (o.outcomes.clone(), o.subgroups.clone()));
        assert_eq!(
            (a.pre, a.post, a.min_obs, a.bootstrap),
            (o.windows.pre, o.windows.post, o.windows.min_obs, o.windows.bootstrap)
        );
        assert_eq!(
            (a.min_e, a.max_e, a.min_treated, a.min_group),
            (o.min_e, o.max_e, o.min_treated, o.min_cell)
        );
        assert_eq!((a.standardize, a.training_months), (o.standardize, o.training_months));
        assert_eq!(mutasi_domain::config::control_of("c", &a.control).ok(), Some(o.control));
        let s = &c.service;
        assert_eq!(s.period().ok(), Some(o.ikm.period));
        assert_eq!(
            (&s.population_indikator, &s.reported_indikator),
            (&o.ikm.population_indikator, &o.ikm.reported_indikator)
        );
        assert_eq!((s.mutu_9, s.mutu_14), (o.ikm.grading_9, o.ikm.grading_14));
        assert_eq!(
            (s.unit_window_months, s.min_treated_units),
            (o.units.window_months, o.units.min_treated_units)
        );
        assert_eq!(mutasi_domain::config::control_of("c", &s.unit_control).ok(), Some(o.units.control));
        assert_eq!(s.unit_analyses().ok(), Some(o.units.analyses.clone()));
        assert_eq!(c.movement.presence_indikator, o.movement.presence_indikator);
        assert_eq!(c.movement.presence_indikator, o.units.presence_indikator);
        assert_eq!(c.movement.blackouts().ok(), Some(o.movement.blackouts.clone()));
        assert_eq!(
            (c.requests.window_days, c.requests.cpns_min_years),
            (o.requests.window_days, o.requests.cpns_min_years)
        );
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    #[test]
    fn requested_and_training_subgroups_follow_the_first_transfer() {
        let first = FirstTransfer {
            month: 0,
            tmt: d(2024, 3, 1),
            jenis_mutasi: "rotasi".into(),
            jenis_unit_tujuan: None,
        };
        let facts = SubgroupFacts {
            requested: HashSet::from([("A".to_string(), d(2024, 3, 1))]),
            requested_months: HashMap::from([("A".to_string(), HashSet::from([2024 * 12 + 2]))]),
            trainings: HashMap::from([
                ("A".to_string(), vec![d(2024, 5, 20)]),
                ("B".to_string(), vec![d(2024, 6, 1), d(2023, 1, 1)]),
            ]),
            training_months: 3,
        };
        assert_eq!(facts.value("diminta", "A", &first), "ya");
        assert_eq!(facts.value("diminta", "B", &first), "tidak");
        assert_eq!(facts.value("pelatihan", "A", &first), "ya", "2 months 19 days after the move");
        assert_eq!(facts.value("pelatihan", "B", &first), "tidak", "3 months after, and one before");
        assert_eq!(facts.value("jenis_mutasi", "A", &first), "rotasi");
        assert_eq!(facts.value("jenis_unit_tujuan", "A", &first), "tidak_diketahui");
        // Event by event (month keys): A's March 2024 move was requested and followed by training.
        assert_eq!(facts.event_value("diminta", "A", 2024 * 12 + 2), "ya");
        assert_eq!(facts.event_value("diminta", "A", 2024 * 12 + 3), "tidak");
        assert_eq!(facts.event_value("pelatihan", "A", 2024 * 12 + 2), "ya");
        assert_eq!(facts.event_value("pelatihan", "B", 2024 * 12 + 2), "tidak");
    }
}
