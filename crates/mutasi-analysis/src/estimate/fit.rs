//! Choosing how to estimate: one entry point for `mutasi estimate` and the monthly run.
//!
//! - No covariates, no bootstrap (balanced or not), many entities: per-cohort moments
//!   ([`mutasi_stats::moments`]), work independent of n after one pass.
//! - Otherwise, and for panels of few entities (a city's units), entity-level influence
//!   functions: all kept when they fit in memory (needed for the ATT(g,t) bootstrap band and the
//!   cell-level pre-test), or folded into the aggregations cell by cell ("streaming") for
//!   national panels.
//!
//! Every path gives the same numbers (tested in `stats::validation`).

use mutasi_stats::EstimateError;
use mutasi_stats::aggregate::{AggKind, AggOptions, Aggregation, Streaming, aggregate, aggregate_in};
use mutasi_stats::band::{BAND_DRAWS, BAND_SEED, sup_t_critical};
use mutasi_stats::cs::{AttGt, CsOptions, Wald, att_gt, att_gt_stream, estimation_sample, wald_of_gram};
use mutasi_stats::cs_linear::att_gt_linear_sharing;
use mutasi_stats::influence::{DenseSpace, InfluenceSpace, SE_FLOOR};
use mutasi_stats::moments::{LinearSpace, NeverTreated};
use mutasi_stats::panel::Panel;

/// Keeping every cell's influence function costs n × cells values; above this many, cells are
/// folded into the aggregations as soon as they are computed.
const STREAM_ABOVE: usize = 250_000_000;

/// Without covariates, panels of few entities (at most a quarter of the cells) whose influence
/// functions hold at most this many values (entities × cells: 8 MB) are estimated with them
/// rather than with per-cohort moments, which cost cohorts × periods² per product however few
/// the entities. Both give the same numbers up to rounding (`stats::validation`).
const DENSE_BELOW: usize = 1_000_000;

#[derive(Debug, Clone, Copy, Default)]
pub struct FitMode {
    /// Keep entity-level influence functions of the aggregations (for a bootstrap).
    pub entity_level: bool,
    /// Fold cells into the aggregations at once even when they would fit in memory.
    pub low_memory: bool,
    /// Keep the entity-level influence function of each aggregation's overall effect only (for
    /// a difference between subgroups). On the moments path it is formed from the coefficients
    /// at the end, instead of holding n values for every cell.
    pub overall_inf: bool,
}

/// ATT(g,t), the four aggregations and the event-study pre-trend test.
#[derive(Debug)]
pub struct Fit {
    pub res: AttGt,
    /// In the order of [`AggKind::ALL`]; influence functions are present only with
    /// [`FitMode::entity_level`] (every one) or [`FitMode::overall_inf`] (the overall effects'),
    /// in the order of `res.entities`.
    pub aggs: Vec<Aggregation>,
    /// Wald test that every pre-period event-study effect (e < 0) is zero.
    pub event_pretest: Option<Wald>,
    /// Critical value of the simultaneous 95% band over the event-study effects, from their
    /// analytic covariance ([`sup_t_critical`]); `None` without estimable effects.
    pub event_band_crit: Option<f64>,
    /// Cells were folded into the aggregations: no cell influence functions, no cell-level
    /// pre-test.
    pub streaming: bool,
}

/// Estimates on `panel` (`opts.repeated_cross_section` must say whether it has gaps).
pub fn fit(panel: &Panel, opts: &CsOptions, agg: AggOptions, mode: FitMode) -> Result<Fit, EstimateError> {
    fit_sharing(panel, opts, agg, mode, &mut None)
}

/// [`fit`] for several panels with the same never-treated entities (the subgroups of one
/// outcome): on the moments path, the never-treated moments are taken from `never` when it holds
/// them for the same entities, and `never` is filled with them when it is empty. The numbers are
/// those of [`fit`], bit for bit.
pub fn fit_sharing(
    panel: &Panel,
    opts: &CsOptions,
    agg: AggOptions,
    mode: FitMode,
    never: &mut Option<NeverTreated>,
) -> Result<Fit, EstimateError> {
    let (_, sample_cohorts, _) = estimation_sample(panel, opts);
    let n_groups = {
        let mut g: Vec<i64> = sample_cohorts.iter().copied().filter(|g| *g > 0).collect();
        g.sort_unstable();
        g.dedup();
        g.len()
    };
    let n_cells = n_groups * panel.times.len();
    let entity_values = sample_cohorts.len().saturating_mul(n_cells);
    // Few entities (a city's Puskesmas): their influence functions are cheaper than per-cohort
    // moments, whose products cost cohorts × periods² whatever the number of entities.
    let few = entity_values <= DENSE_BELOW && sample_cohorts.len().saturating_mul(4) <= n_cells;
    let moments_path = panel.n_cov == 0 && !mode.entity_level && !few;
    if moments_path {
        let (res, inf, moments, own) = att_gt_linear_sharing(panel, opts, never.as_ref())?;
        if never.is_none() {
            *never = own;
        }
        let space = LinearSpace { moments: &moments, n: res.n };
        let aggs = AggKind::ALL
            .iter()
            .map(|k| aggregate_in(&space, &res, &inf, *k, agg))
            .collect::<Result<Vec<_>, _>>()?;
        let (event_pretest, event_band_crit) = event_study_tests(&space, &aggs);
        let aggs = aggs
            .iter()
            .map(|a| {
                let mut out = a.without_inf();
                if mode.overall_inf {
                    out.overall.inf =
                        a.overall.inf.expand(&moments, panel, &res.entities, &res.entity_cohort);
                }
                out
            })
            .collect();
        return Ok(Fit { res, aggs, event_pretest, event_band_crit, streaming: false });
    }
    let streaming = mode.low_memory || entity_values > STREAM_ABOVE;
    let (res, aggs) = if streaming {
        let mut stream = Streaming::new(panel, opts, agg);
        let res = att_gt_stream(panel, opts, &mut |_, cell, f| stream.push(cell, &f))?;
        (res, stream.finish()?)
    } else {
        let res = att_gt(panel, opts)?;
        let aggs = AggKind::ALL.iter().map(|k| aggregate(&res, *k, agg)).collect::<Result<Vec<_>, _>>()?;
        (res, aggs)
    };
    let space = DenseSpace { entity_cohort: &res.entity_cohort, n: res.n };
    let (event_pretest, event_band_crit) = event_study_tests(&space, &aggs);
    Ok(Fit { res, aggs, event_pretest, event_band_crit, streaming })
}

/// The event study's pre-trend Wald test (every pre-period effect, e < 0, is zero) and the
/// sup-t critical value of its simultaneous 95% band, both from one cross-product matrix of its
/// effects' influence functions.
fn event_study_tests<S: InfluenceSpace>(
    space: &S,
    aggs: &[Aggregation<S::Inf>],
) -> (Option<Wald>, Option<f64>) {
    let Some(dynamic) = aggs.iter().find(|x| x.kind == AggKind::Dynamic) else {
        return (None, None);
    };
    let infs: Vec<&S::Inf> = dynamic.elements.iter().map(|(_, est)| &est.inf).collect();
    let k = infs.len();
    let mut cov = space.gram(&infs);
    let pre: Vec<usize> = (0..k).filter(|j| dynamic.elements[*j].0 < 0).collect();
    let thetas: Vec<f64> = pre.iter().map(|j| dynamic.elements[*j].1.att).collect();
    let pre_cov: Vec<f64> =
        pre.iter().flat_map(|&a| pre.iter().map(move |&b| a * k + b)).map(|i| cov[i]).collect();
    let pretest = wald_of_gram(&thetas, &pre_cov, space.n());
    // The base period's effect is zero by construction: no variance to cover.
    let floor = (SE_FLOOR * space.n() as f64).powi(2);
    for j in 0..k {
        if cov[j * k + j] <= floor {
            cov[j * k + j] = 0.0;
        }
    }
    (pretest, sup_t_critical(&cov, k, 0.95, BAND_DRAWS, BAND_SEED))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `n` entities × 12 periods, cohorts 0, 4, 6, 8 and 10 in turn (four treated cohorts: 48 cells).
    fn panel(n: i64) -> Panel {
        let (mut id, mut time, mut cohort, mut y) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for i in 0..n {
            let g = [0, 4, 6, 8, 10][(i % 5) as usize];
            for t in 1..=12i64 {
                id.push(i);
                time.push(t);
                cohort.push(g);
                let effect = if g > 0 && t >= g { 1.0 } else { 0.0 };
                y.push(((i * 7 + t * 3) % 11) as f64 * 0.3 + 0.1 * t as f64 + effect);
            }
        }
        Panel::from_long(&id, &time, &cohort, &y).expect("balanced")
    }

    /// A panel of few entities (a city's units) is estimated with entity-level influence functions,
    /// a larger one with per-cohort moments (no entity-level functions kept), and both give the
    /// numbers of the other path.
    #[test]
    fn few_entities_take_the_entity_level_path_with_the_same_numbers() {
        let opts = CsOptions { control: mutasi_stats::cs::Control::NotYetTreated, ..CsOptions::default() };
        let agg = AggOptions::default();
        for (n, dense) in [(10, true), (200, false)] {
            let p = panel(n);
            let f = fit(&p, &opts, agg, FitMode::default()).expect("fit");
            assert_eq!(f.aggs[0].overall.inf.len(), if dense { f.res.n } else { 0 }, "n = {n}");
            // The other path, by hand.
            let (res, inf, moments) = mutasi_stats::cs_linear::att_gt_linear(&p, &opts).expect("linear");
            let space = LinearSpace { moments: &moments, n: res.n };
            for (a, kind) in f.aggs.iter().zip(AggKind::ALL) {
                let b = aggregate_in(&space, &res, &inf, kind, agg).expect("moments");
                let dense_b = aggregate(&att_gt(&p, &opts).expect("dense"), kind, agg).expect("dense");
                for other in [(b.overall.att, b.overall.se), (dense_b.overall.att, dense_b.overall.se)] {
                    assert!(
                        (a.overall.att - other.0).abs() < 1e-10,
                        "{kind:?}: {} vs {}",
                        a.overall.att,
                        other.0
                    );
                    assert!(
                        (a.overall.se - other.1).abs() < 1e-10,
                        "{kind:?}: {} vs {}",
                        a.overall.se,
                        other.1
                    );
                }
            }
        }
    }
}
