//! Writing the estimator's public outputs (`docs/outputs.md`).

use std::path::Path;

use serde::Serialize;

use crate::error::AnalysisError;
use mutasi_io::data::table::{ColumnData as C, TableData, write_parquet};
use mutasi_stats::aggregate::{Aggregation, Estimate};
use mutasi_stats::bootstrap::Bands;
use mutasi_stats::cs::AttGt;
use mutasi_stats::influence::reported_se;

/// `att_gt.parquet`: group, time, att, se, ci_low, ci_high, n_treated, n_control, and
/// band_low / band_high when a bootstrap gave a simultaneous band. `boot` holds the bootstrap SE of
/// each cell (NaN for cells without an estimate) and the band's critical value.
pub fn att_gt_table(res: &AttGt, z: f64, boot: Option<&(Vec<f64>, f64)>) -> TableData {
    let c = &res.cells;
    let se: Vec<Option<f64>> = match boot {
        Some((se, _)) => c.iter().zip(se).map(|(x, s)| x.att.and(shown(*s))).collect(),
        None => c.iter().map(|x| x.se).collect(),
    };
    let bound =
        |m: f64| -> Vec<Option<f64>> { c.iter().zip(&se).map(|(x, s)| Some(x.att? + m * (*s)?)).collect() };
    let mut d = TableData::default();
    d.push("group", C::I64(c.iter().map(|x| Some(x.group)).collect()));
    d.push("time", C::I64(c.iter().map(|x| Some(x.time)).collect()));
    d.push("att", C::F64(c.iter().map(|x| x.att).collect()));
    d.push("se", C::F64(se.clone()));
    d.push("ci_low", C::F64(bound(-z)));
    d.push("ci_high", C::F64(bound(z)));
    d.push("n_treated", C::I64(c.iter().map(|x| Some(x.n_treated as i64)).collect()));
    d.push("n_control", C::I64(c.iter().map(|x| Some(x.n_control as i64)).collect()));
    if let Some((_, crit)) = boot {
        d.push("band_low", C::F64(bound(-crit)));
        d.push("band_high", C::F64(bound(*crit)));
    }
    d
}

/// An SE as written: null when unknown (NaN, or at or below R `did`'s floor).
fn shown(se: f64) -> Option<f64> {
    let s = reported_se(se);
    s.is_finite().then_some(s)
}

/// `aggregates.parquet`: type, element (null for the overall value), att, se, ci_low, ci_high,
/// and band_low / band_high when a bootstrap gave simultaneous bands.
pub fn aggregates_table(aggs: &[(Aggregation, Option<Bands>)], z: f64) -> TableData {
    let (mut kind, mut element) = (Vec::new(), Vec::new());
    let (mut att, mut se, mut lo, mut hi, mut blo, mut bhi) =
        (vec![], vec![], vec![], vec![], vec![], vec![]);
    let mut push = |k: &str, el: Option<i64>, est: &Estimate, boot_se: Option<f64>, crit: Option<f64>| {
        // With a bootstrap, its SE replaces the analytic one, as in R `did`.
        let s = shown(boot_se.unwrap_or(est.se));
        kind.push(Some(k.to_string()));
        element.push(el);
        att.push(Some(est.att));
        se.push(s);
        lo.push(s.map(|s| est.att - z * s));
        hi.push(s.map(|s| est.att + z * s));
        blo.push(crit.zip(s).map(|(c, s)| est.att - c * s));
        bhi.push(crit.zip(s).map(|(c, s)| est.att + c * s));
    };
    for (a, bands) in aggs {
        push(a.kind.as_str(), None, &a.overall, bands.as_ref().map(|b| b.overall_se), None);
        for (j, (e, est)) in a.elements.iter().enumerate() {
            let b = bands.as_ref();
            push(
                a.kind.as_str(),
                Some(*e),
                est,
                b.and_then(|b| b.element_se.get(j).copied()),
                b.map(|b| b.crit),
            );
        }
    }
    let any_bands = aggs.iter().any(|(_, b)| b.is_some());
    let mut d = TableData::default();
    d.push("type", C::Str(kind));
    d.push("element", C::I64(element));
    d.push("att", C::F64(att));
    d.push("se", C::F64(se));
    d.push("ci_low", C::F64(lo));
    d.push("ci_high", C::F64(hi));
    if any_bands {
        d.push("band_low", C::F64(blo));
        d.push("band_high", C::F64(bhi));
    }
    d
}

/// `event_study.parquet`: the dynamic aggregation as an event study, in the same layout as the
/// stacked estimator's (`outcome`, `estimator` = `cs`, `e`, `att`, `se`, `ci_low`, `ci_high`,
/// `band_low`, `band_high`, `n_events`, `n_subexperiments`; the last two null for CS).
pub fn event_study_table(outcome: &str, dynamic: &Aggregation, bands: Option<&Bands>, z: f64) -> TableData {
    let el = &dynamic.elements;
    let se: Vec<Option<f64>> = el
        .iter()
        .enumerate()
        .map(|(j, (_, e))| shown(bands.and_then(|b| b.element_se.get(j).copied()).unwrap_or(e.se)))
        .collect();
    let crit = bands.map(|b| b.crit);
    let mut d = TableData::default();
    d.push("outcome", C::Str(el.iter().map(|_| Some(outcome.to_string())).collect()));
    d.push("estimator", C::Str(el.iter().map(|_| Some("cs".to_string())).collect()));
    d.push("e", C::I64(el.iter().map(|(e, _)| Some(*e)).collect()));
    d.push("att", C::F64(el.iter().map(|(_, x)| Some(x.att)).collect()));
    let with = |f: &dyn Fn(f64, f64) -> Option<f64>| -> Vec<Option<f64>> {
        el.iter().zip(&se).map(|((_, x), s)| s.and_then(|s| f(x.att, s))).collect()
    };
    d.push("se", C::F64(se.clone()));
    d.push("ci_low", C::F64(with(&|a, s| Some(a - z * s))));
    d.push("ci_high", C::F64(with(&|a, s| Some(a + z * s))));
    d.push("band_low", C::F64(with(&|a, s| crit.map(|c| a - c * s))));
    d.push("band_high", C::F64(with(&|a, s| crit.map(|c| a + c * s))));
    d.push("n_events", C::I64(el.iter().map(|_| None).collect()));
    d.push("n_subexperiments", C::I64(el.iter().map(|_| None).collect()));
    d
}

/// `estimate.json`.
#[derive(Debug, Serialize)]
pub struct EstimateReport {
    pub panel: String,
    pub outcome: String,
    pub control: String,
    pub anticipation: i64,
    pub base_period: String,
    pub method: String,
    pub balanced: bool,
    pub bootstrap: Option<BootstrapReport>,
    pub alpha: f64,
    pub entities: usize,
    pub entities_dropped_incomplete: usize,
    pub entities_dropped_treated_in_first_period: usize,
    pub periods: Vec<i64>,
    pub cohorts: Vec<i64>,
    pub cells: usize,
    pub cells_without_estimate: usize,
    /// Wald test over every pre-period ATT(g,t), as R `did` reports it. With many small cells
    /// (monthly data, many cohorts) it over-rejects in finite samples.
    pub pretest: Option<PretestReport>,
    /// Wald test over the event-study pre-period estimates (e < 0): fewer, better-estimated
    /// parameters, so more reliable with many cohorts.
    pub pretest_event_study: Option<PretestReport>,
    pub covariates: Vec<String>,
    pub notes: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct BootstrapReport {
    pub draws: usize,
    pub seed: u64,
    pub weights: String,
    pub cluster: Option<String>,
    pub rng: String,
}

#[derive(Debug, Serialize)]
pub struct PretestReport {
    pub wald_stat: f64,
    pub df: usize,
    pub p_value: f64,
}

pub fn write_all(
    dir: &Path,
    res: &AttGt,
    cell_boot: Option<&(Vec<f64>, f64)>,
    aggs: &[(Aggregation, Option<Bands>)],
    report: &EstimateReport,
    z: f64,
) -> Result<(), AnalysisError> {
    std::fs::create_dir_all(dir).map_err(AnalysisError::io(dir))?;
    write_parquet(att_gt_table(res, z, cell_boot), &dir.join("att_gt.parquet"))?;
    write_parquet(aggregates_table(aggs, z), &dir.join("aggregates.parquet"))?;
    if let Some((dynamic, bands)) =
        aggs.iter().find(|(a, _)| a.kind == mutasi_stats::aggregate::AggKind::Dynamic)
    {
        write_parquet(
            event_study_table(&report.outcome, dynamic, bands.as_ref(), z),
            &dir.join("event_study.parquet"),
        )?;
    }
    let json = serde_json::to_string_pretty(report)?;
    let path = dir.join("estimate.json");
    std::fs::write(&path, json + "\n").map_err(AnalysisError::io(&path))
}

/// `event_study.parquet` of the stacked estimator (same layout as [`event_study_table`], with
/// `estimator` = `stacked`, no simultaneous band, and the number of transfers and
/// sub-experiments behind each event time).
pub fn stacked_event_study_table(
    outcome: &str,
    points: &[mutasi_stats::stacked::StackedPoint],
    z: f64,
) -> TableData {
    let mut d = TableData::default();
    d.push("outcome", C::Str(points.iter().map(|_| Some(outcome.to_string())).collect()));
    d.push("estimator", C::Str(points.iter().map(|_| Some("stacked".to_string())).collect()));
    d.push("e", C::I64(points.iter().map(|p| Some(p.e)).collect()));
    d.push("att", C::F64(points.iter().map(|p| Some(p.att)).collect()));
    d.push("se", C::F64(points.iter().map(|p| Some(p.se)).collect()));
    d.push("ci_low", C::F64(points.iter().map(|p| Some(p.att - z * p.se)).collect()));
    d.push("ci_high", C::F64(points.iter().map(|p| Some(p.att + z * p.se)).collect()));
    d.push("band_low", C::F64(points.iter().map(|_| None).collect()));
    d.push("band_high", C::F64(points.iter().map(|_| None).collect()));
    d.push("n_events", C::I64(points.iter().map(|p| Some(p.n_events as i64)).collect()));
    d.push("n_subexperiments", C::I64(points.iter().map(|p| Some(p.n_subexperiments as i64)).collect()));
    d
}
