//! `mutasi estimate` as a library call: read any long panel file, estimate Callaway & Sant'Anna
//! ATT(g,t) with their aggregations (and, when asked, multiplier-bootstrap SEs and bands), and
//! write `att_gt.parquet`, `aggregates.parquet` and `estimate.json`. The command line turns its
//! flags into an [`EstimateRequest`] and prints the [`Estimated`] summary.

use std::path::PathBuf;

use crate::error::AnalysisError;
use crate::estimate::fit::{Fit, FitMode, fit};
use crate::estimate::input::{PanelColumns, PanelInputError, read_panel};
use crate::estimate::output::{BootstrapReport, EstimateReport, PretestReport, write_all};
use mutasi_stats::aggregate::{AggKind, AggOptions};
use mutasi_stats::bootstrap::{Bands, BootstrapOptions, multiplier};
use mutasi_stats::cs::{BasePeriod, Control, CsOptions, Wald};
use mutasi_stats::dist::normal_quantile;
use mutasi_stats::drdid::Method;
use mutasi_stats::panel::Panel;

/// Why an estimate was not made.
#[derive(Debug, thiserror::Error)]
pub enum EstimateError {
    /// The panel file or its values.
    #[error(transparent)]
    Input(#[from] PanelInputError),
    /// The estimator refused the panel.
    #[error(transparent)]
    Estimator(#[from] mutasi_stats::EstimateError),
    /// An entity's cluster changes between periods.
    #[error(
        "{path}: klaster entitas berubah antar-periode / an entity's cluster changes over time (kolom `{column}`)"
    )]
    ClusterChanges { path: PathBuf, column: String },
    /// Writing the outputs.
    #[error(transparent)]
    Output(AnalysisError),
}

impl EstimateError {
    /// True when the panel or its values are at fault (exit 1), not the machine (exit 2).
    pub fn is_data(&self) -> bool {
        !matches!(self, EstimateError::Output(_))
    }
}

/// The names of the chosen options as the user gave them, recorded in `estimate.json`.
#[derive(Debug, Clone, Default)]
pub struct OptionNames {
    pub control: String,
    pub base_period: String,
    pub method: String,
}

/// One `mutasi estimate`.
#[derive(Debug, Clone)]
pub struct EstimateRequest {
    pub panel: PathBuf,
    pub columns: PanelColumns,
    pub control: Control,
    pub anticipation: i64,
    pub base_period: BasePeriod,
    pub method: Method,
    /// Keep only entities observed in every period (else the repeated-cross-section form).
    pub balanced: bool,
    /// Multiplier bootstrap; `None` for analytic SEs only.
    pub bootstrap: Option<BootstrapOptions>,
    pub aggregation: AggOptions,
    pub alpha: f64,
    pub low_memory: bool,
    pub out: PathBuf,
    pub names: OptionNames,
}

/// One aggregation's overall estimate, for the summary.
#[derive(Debug, Clone, PartialEq)]
pub struct Overall {
    pub kind: &'static str,
    pub att: f64,
    pub se: f64,
    pub ci_low: f64,
    pub ci_high: f64,
}

/// What was estimated: the figures the command line shows.
#[derive(Debug, Clone)]
pub struct Estimated {
    pub cells: usize,
    pub entities: usize,
    pub cohorts: usize,
    pub overall: Vec<Overall>,
    /// The dynamic aggregation's (e, ATT, SE).
    pub event_study: Vec<(i64, f64, f64)>,
    pub pretest: Option<Wald>,
    pub pretest_event_study: Option<Wald>,
}

/// Runs the estimate `r` and writes its outputs into `r.out`.
pub fn estimate(r: &EstimateRequest) -> Result<Estimated, EstimateError> {
    let long = read_panel(&r.panel, &r.columns)?;
    // Default: keep every entity (R `did`'s allow_unbalanced_panel); --balanced keeps only
    // entities observed in every period, as `did`'s default does.
    let build = if r.balanced { Panel::from_long } else { Panel::from_long_unbalanced };
    let mut panel = build(&long.id, &long.time, &long.cohort, &long.y)?;
    if !r.columns.covariates.is_empty() {
        panel.set_covariates(&long.id, &long.x, r.columns.covariates.len())?;
    }
    let gaps = panel.has_gaps();
    let opts = CsOptions {
        control: r.control,
        anticipation: r.anticipation,
        base_period: r.base_period,
        method: r.method,
        repeated_cross_section: gaps,
    };
    let agg_opts = r.aggregation;
    let mode =
        FitMode { entity_level: r.bootstrap.is_some(), low_memory: r.low_memory, ..FitMode::default() };
    let Fit { res, aggs: plain_aggs, event_pretest, streaming, .. } = fit(&panel, &opts, agg_opts, mode)?;
    let n_cells = res.cells.len();
    let boot = r.bootstrap;
    // Cluster of each estimation entity, numbered densely.
    let clusters: Option<(Vec<usize>, usize)> = match &long.cluster {
        None => None,
        Some(per_obs) => {
            let mut of_id = std::collections::BTreeMap::new();
            for (k, id) in long.id.iter().enumerate() {
                if let Some(prev) = of_id.insert(*id, per_obs[k])
                    && prev != per_obs[k]
                {
                    return Err(EstimateError::ClusterChanges {
                        path: r.panel.clone(),
                        column: r.columns.cluster.clone().unwrap_or_default(),
                    });
                }
            }
            let raw: Vec<i64> = res.entities.iter().map(|e| of_id[&panel.ids[*e]]).collect();
            let mut distinct = raw.clone();
            distinct.sort_unstable();
            distinct.dedup();
            let dense = raw.iter().map(|c| distinct.binary_search(c).unwrap_or(0)).collect();
            Some((dense, distinct.len()))
        }
    };
    let mut aggs = Vec::new();
    for agg in plain_aggs {
        let bands = boot.as_ref().map(|b| {
            let mut cols: Vec<&[f64]> = vec![agg.overall.inf.as_slice()];
            cols.extend(agg.elements.iter().map(|(_, e)| e.inf.as_slice()));
            let band: Vec<usize> = (1..cols.len()).collect();
            let (se, crit) = multiplier(&cols, clusters.as_ref().map(|(c, g)| (c.as_slice(), *g)), &band, b);
            Bands { overall_se: se[0], element_se: se[1..].to_vec(), crit }
        });
        aggs.push((agg, bands));
    }
    // Bootstrap SEs and a simultaneous band over all estimated ATT(g,t) cells.
    let cell_boot = boot.as_ref().filter(|_| !streaming).map(|b| {
        let cols: Vec<&[f64]> = res.inf.iter().map(Vec::as_slice).collect();
        let band: Vec<usize> = (0..res.cells.len())
            .filter(|k| res.cells[*k].att.is_some() && res.cells[*k].se.is_some())
            .collect();
        multiplier(&cols, clusters.as_ref().map(|(c, g)| (c.as_slice(), *g)), &band, b)
    });
    let z = normal_quantile(1.0 - r.alpha / 2.0);
    let report = EstimateReport {
        panel: r.panel.display().to_string(),
        outcome: r.columns.outcome.clone(),
        control: r.names.control.clone(),
        anticipation: r.anticipation,
        base_period: r.names.base_period.clone(),
        method: r.names.method.clone(),
        balanced: r.balanced,
        bootstrap: boot.map(|b| BootstrapReport {
            draws: b.draws,
            seed: b.seed,
            weights: b.weights.as_str().into(),
            cluster: r.columns.cluster.clone(),
            rng: "ChaCha8 (rand 0.10)".into(),
        }),
        alpha: r.alpha,
        entities: res.n,
        entities_dropped_incomplete: res.dropped_incomplete,
        entities_dropped_treated_in_first_period: res.dropped_always_treated,
        periods: panel.times.clone(),
        cohorts: res.groups.clone(),
        cells: res.cells.len(),
        cells_without_estimate: res.cells.iter().filter(|c| c.att.is_none()).count(),
        pretest: res.wald.as_ref().map(|w| PretestReport { wald_stat: w.stat, df: w.df, p_value: w.p_value }),
        pretest_event_study: event_pretest.as_ref().map(|w| PretestReport {
            wald_stat: w.stat,
            df: w.df,
            p_value: w.p_value,
        }),
        covariates: r.columns.covariates.clone(),
        notes: {
            let mut notes = Vec::new();
            if r.columns.covariates.is_empty() {
                notes.push("Tanpa kovariat, metode dr, reg dan ipw identik / without covariates dr, reg and ipw coincide".into());
            }
            if streaming {
                notes.push(format!(
                    "Mode hemat memori: {} entitas × {n_cells} sel; tanpa pita simultan ATT(g,t) dan tanpa uji pra-tren per sel / memory-saving mode: no simultaneous ATT(g,t) band and no cell-level pre-test",
                    res.n
                ));
            }
            if gaps {
                notes.push("Panel tidak seimbang: bentuk penampang berulang, fungsi pengaruh dijumlahkan per entitas / unbalanced panel: repeated-cross-section form, influence functions summed per entity".into());
            }
            if res.dropped_always_treated > 0 {
                notes.push(format!(
                    "{} entitas sudah diberi perlakuan pada periode pertama dan dibuang / entities treated in the first period were dropped",
                    res.dropped_always_treated
                ));
            }
            let pre_cells = res.cells.iter().filter(|c| c.time < c.group && c.att.is_some()).count();
            if res.wald.is_none() && pre_cells > mutasi_stats::cs::MAX_PRETEST_CELLS {
                notes.push(format!(
                    "Uji pra-tren per sel dilewati: {pre_cells} sel pra-perlakuan (> {}); baca pretest_event_study / cell-level pre-test skipped: too many pre-period cells for a reliable chi-square test; read pretest_event_study",
                    mutasi_stats::cs::MAX_PRETEST_CELLS
                ));
            }
            notes
        },
    };
    write_all(&r.out, &res, cell_boot.as_ref(), &aggs, &report, z).map_err(EstimateError::Output)?;
    let overall = aggs
        .iter()
        .map(|(agg, bands)| {
            let se = bands.as_ref().map_or(agg.overall.se, |b| b.overall_se);
            Overall {
                kind: agg.kind.as_str(),
                att: agg.overall.att,
                se,
                ci_low: agg.overall.att - z * se,
                ci_high: agg.overall.att + z * se,
            }
        })
        .collect();
    let event_study = aggs
        .iter()
        .find(|(a, _)| a.kind == AggKind::Dynamic)
        .map(|(dynamic, bands)| {
            dynamic
                .elements
                .iter()
                .enumerate()
                .map(|(j, (e, est))| {
                    (*e, est.att, bands.as_ref().and_then(|b| b.element_se.get(j).copied()).unwrap_or(est.se))
                })
                .collect()
        })
        .unwrap_or_default();
    Ok(Estimated {
        cells: res.cells.len(),
        entities: res.n,
        cohorts: res.groups.len(),
        overall,
        event_study,
        pretest: res.wald.clone(),
        pretest_event_study: event_pretest,
    })
}
