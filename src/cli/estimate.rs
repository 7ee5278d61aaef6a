//! `mutasi estimate`: Callaway–Sant'Anna staggered DiD on any panel file.

use crate::cli::outln;
use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::args::value_name;

use super::{Failure, Outcome};
use mutasi_analysis::estimate::fit::{Fit, FitMode, fit};
use mutasi_analysis::estimate::input::{PanelColumns, read_panel};
use mutasi_analysis::estimate::output::{BootstrapReport, EstimateReport, PretestReport, write_all};
use mutasi_stats::aggregate::{AggKind, AggOptions};
use mutasi_stats::bootstrap::{Bands, BootstrapOptions, Weights, multiplier};
use mutasi_stats::cs::{BasePeriod, Control, CsOptions};
use mutasi_stats::dist::normal_quantile;
use mutasi_stats::drdid::Method;
use mutasi_stats::panel::Panel;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ControlArg {
    Never,
    Notyet,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BaseArg {
    Varying,
    Universal,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MethodArg {
    Dr,
    Reg,
    Ipw,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum WeightsArg {
    Rademacher,
    Mammen,
}

#[derive(Debug, Args)]
pub struct EstimateArgs {
    /// Berkas panel / Long panel file (.csv or .parquet), one row per entity and period.
    #[arg(long)]
    pub panel: PathBuf,
    /// Kolom id entitas / Entity id column.
    #[arg(long)]
    pub id: String,
    /// Kolom periode (bilangan bulat) / Period column (integer).
    #[arg(long)]
    pub time: String,
    /// Kolom kohort: periode pertama diberi perlakuan, 0 atau kosong = tidak pernah / First treated period; 0 or empty = never.
    #[arg(long)]
    pub cohort: String,
    /// Kolom hasil / Outcome column.
    #[arg(long)]
    pub outcome: String,
    /// Kovariat tetap per entitas / Time-invariant covariates (comma-separated columns).
    #[arg(long, value_delimiter = ',')]
    pub covariates: Vec<String>,
    /// Kelompok pembanding / Comparison group.
    #[arg(long, value_enum, default_value = "never")]
    pub control: ControlArg,
    /// Periode antisipasi / Anticipation periods.
    #[arg(long, default_value_t = 0)]
    pub anticipation: i64,
    /// Periode dasar sel pra-perlakuan / Base period of pre-treatment cells (varying: the period
    /// before; universal: the last period before treatment for every cell).
    #[arg(long, value_enum, default_value = "varying")]
    pub base_period: BaseArg,
    /// Metode / Estimation method (identical without covariates).
    #[arg(long, value_enum, default_value = "dr")]
    pub method: MethodArg,
    /// Hanya entitas yang teramati di semua periode / Keep only entities observed in every period
    /// (default: keep all, with the repeated-cross-section form when some periods are missing).
    #[arg(long)]
    pub balanced: bool,
    /// Jumlah tarikan bootstrap pengali / Multiplier bootstrap draws (0 = analytic SEs only).
    #[arg(long, default_value_t = 0)]
    pub bootstrap: usize,
    /// Bobot pengali bootstrap / Bootstrap multiplier weights.
    #[arg(long, value_enum, default_value = "rademacher")]
    pub weights: WeightsArg,
    /// Benih acak bootstrap / Bootstrap seed: the same seed gives the same draws.
    #[arg(long, default_value_t = 2026)]
    pub seed: u64,
    /// Kolom klaster bootstrap / Cluster column for the bootstrap (default: the entity).
    #[arg(long)]
    pub cluster: Option<String>,
    /// Batas bawah waktu-sejak-perlakuan / Earliest event time of the dynamic aggregation.
    #[arg(long, allow_hyphen_values = true)]
    pub min_e: Option<i64>,
    /// Batas atas waktu-sejak-perlakuan / Latest event time (also bounds simple and group).
    #[arg(long, allow_hyphen_values = true)]
    pub max_e: Option<i64>,
    /// Tingkat kesalahan selang kepercayaan / Significance level of the intervals (0.05 = 95%).
    #[arg(long, default_value_t = 0.05)]
    pub alpha: f64,
    /// Mode hemat memori / Fold each cell into the aggregations at once (automatic for large
    /// panels; no ATT(g,t) bootstrap band, no cell-level pre-test).
    #[arg(long)]
    pub low_memory: bool,
    /// Folder keluaran / Output folder.
    #[arg(long)]
    pub out: PathBuf,
}

pub fn run(a: &EstimateArgs) -> Result<Outcome, Failure> {
    if !(0.0 < a.alpha && a.alpha < 1.0) {
        return Err(Failure::Usage("--alpha harus antara 0 dan 1 / must be between 0 and 1".into()));
    }
    let cols = PanelColumns {
        id: a.id.clone(),
        time: a.time.clone(),
        cohort: a.cohort.clone(),
        outcome: a.outcome.clone(),
        cluster: a.cluster.clone(),
        covariates: a.covariates.clone(),
    };
    let long = read_panel(&a.panel, &cols).map_err(Failure::Data)?;
    // Default: keep every entity (R `did`'s allow_unbalanced_panel); --balanced keeps only
    // entities observed in every period, as `did`'s default does.
    let build = if a.balanced { Panel::from_long } else { Panel::from_long_unbalanced };
    let mut panel =
        build(&long.id, &long.time, &long.cohort, &long.y).map_err(|e| Failure::Data(e.to_string()))?;
    if !a.covariates.is_empty() {
        panel
            .set_covariates(&long.id, &long.x, a.covariates.len())
            .map_err(|e| Failure::Data(e.to_string()))?;
    }
    let gaps = panel.has_gaps();
    let opts = CsOptions {
        control: match a.control {
            ControlArg::Never => Control::NeverTreated,
            ControlArg::Notyet => Control::NotYetTreated,
        },
        anticipation: a.anticipation,
        base_period: match a.base_period {
            BaseArg::Varying => BasePeriod::Varying,
            BaseArg::Universal => BasePeriod::Universal,
        },
        method: match a.method {
            MethodArg::Dr => Method::DoublyRobust,
            MethodArg::Reg => Method::Regression,
            MethodArg::Ipw => Method::Ipw,
        },
        repeated_cross_section: gaps,
    };
    let agg_opts = AggOptions { min_e: a.min_e, max_e: a.max_e };
    let mode = FitMode { entity_level: a.bootstrap > 0, low_memory: a.low_memory, ..FitMode::default() };
    let Fit { res, aggs: plain_aggs, event_pretest, streaming, .. } =
        fit(&panel, &opts, agg_opts, mode).map_err(|e| Failure::Data(e.to_string()))?;
    let n_cells = res.cells.len();
    let boot = (a.bootstrap > 0).then_some(BootstrapOptions {
        draws: a.bootstrap,
        seed: a.seed,
        weights: match a.weights {
            WeightsArg::Rademacher => Weights::Rademacher,
            WeightsArg::Mammen => Weights::Mammen,
        },
        alpha: a.alpha,
    });
    // Cluster of each estimation entity, numbered densely.
    let clusters: Option<(Vec<usize>, usize)> = match &long.cluster {
        None => None,
        Some(per_obs) => {
            let mut of_id = std::collections::BTreeMap::new();
            for (k, id) in long.id.iter().enumerate() {
                if let Some(prev) = of_id.insert(*id, per_obs[k])
                    && prev != per_obs[k]
                {
                    return Err(Failure::Data(format!(
                        "{}: klaster entitas berubah antar-periode / an entity's cluster changes over time (kolom `{}`)",
                        a.panel.display(),
                        a.cluster.clone().unwrap_or_default()
                    )));
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
    let z = normal_quantile(1.0 - a.alpha / 2.0);
    let report = EstimateReport {
        panel: a.panel.display().to_string(),
        outcome: a.outcome.clone(),
        control: value_name(&a.control),
        anticipation: a.anticipation,
        base_period: value_name(&a.base_period),
        method: value_name(&a.method),
        balanced: a.balanced,
        bootstrap: boot.map(|b| BootstrapReport {
            draws: b.draws,
            seed: b.seed,
            weights: b.weights.as_str().into(),
            cluster: a.cluster.clone(),
            rng: "ChaCha8 (rand 0.10)".into(),
        }),
        alpha: a.alpha,
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
        covariates: a.covariates.clone(),
        notes: {
            let mut notes = Vec::new();
            if a.covariates.is_empty() {
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
    write_all(&a.out, &res, cell_boot.as_ref(), &aggs, &report, z).map_err(Failure::Internal)?;
    outln!(
        "ATT(g,t): {} sel / cells, {} entitas / entities, {} kohort / cohorts",
        res.cells.len(),
        res.n,
        res.groups.len()
    );
    for (agg, bands) in &aggs {
        let se = bands.as_ref().map_or(agg.overall.se, |b| b.overall_se);
        outln!(
            "  {:<9} ATT = {:>10.6}  SE = {:>9.6}  [{:.6}, {:.6}]",
            agg.kind.as_str(),
            agg.overall.att,
            se,
            agg.overall.att - z * se,
            agg.overall.att + z * se
        );
    }
    if let Some((dynamic, bands)) = aggs.iter().find(|(a, _)| a.kind == AggKind::Dynamic) {
        outln!("Studi peristiwa / event study (e = periode sejak perlakuan / periods since treatment):");
        for (j, (e, est)) in dynamic.elements.iter().enumerate() {
            let se = bands.as_ref().and_then(|b| b.element_se.get(j).copied()).unwrap_or(est.se);
            outln!("  e = {e:>4}  ATT = {:>10.6}  SE = {:>9.6}", est.att, se);
        }
    }
    if let Some(w) = &res.wald {
        outln!(
            "Uji pra-tren / pre-trend test, semua sel / all cells: W = {:.4}, df = {}, p = {:.5}",
            w.stat,
            w.df,
            w.p_value
        );
    }
    if let Some(w) = &event_pretest {
        outln!(
            "Uji pra-tren / pre-trend test, studi peristiwa e < 0 / event study e < 0: W = {:.4}, df = {}, p = {:.5}",
            w.stat,
            w.df,
            w.p_value
        );
    }
    outln!("Keluaran / Outputs: {} (att_gt.parquet, aggregates.parquet, estimate.json)", a.out.display());
    Ok(Outcome::Success)
}
