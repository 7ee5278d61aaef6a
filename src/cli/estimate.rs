//! `mutasi estimate`: Callaway–Sant'Anna staggered DiD on any panel file.

use crate::cli::outln;
use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::args::value_name;

use super::{Failure, Outcome};
use mutasi_analysis::estimate::command::{EstimateError, EstimateRequest, OptionNames, estimate};
use mutasi_analysis::estimate::input::PanelColumns;
use mutasi_stats::aggregate::AggOptions;
use mutasi_stats::bootstrap::{BootstrapOptions, Weights};
use mutasi_stats::cs::{BasePeriod, Control};
use mutasi_stats::drdid::Method;

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

impl From<EstimateError> for Failure {
    fn from(e: EstimateError) -> Failure {
        if e.is_data() { Failure::Data(e.to_string()) } else { Failure::Internal(e.to_string()) }
    }
}

/// The request the flags make.
fn request(a: &EstimateArgs) -> EstimateRequest {
    EstimateRequest {
        panel: a.panel.clone(),
        columns: PanelColumns {
            id: a.id.clone(),
            time: a.time.clone(),
            cohort: a.cohort.clone(),
            outcome: a.outcome.clone(),
            cluster: a.cluster.clone(),
            covariates: a.covariates.clone(),
        },
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
        balanced: a.balanced,
        bootstrap: (a.bootstrap > 0).then_some(BootstrapOptions {
            draws: a.bootstrap,
            seed: a.seed,
            weights: match a.weights {
                WeightsArg::Rademacher => Weights::Rademacher,
                WeightsArg::Mammen => Weights::Mammen,
            },
            alpha: a.alpha,
        }),
        aggregation: AggOptions { min_e: a.min_e, max_e: a.max_e },
        alpha: a.alpha,
        low_memory: a.low_memory,
        out: a.out.clone(),
        names: OptionNames {
            control: value_name(&a.control),
            base_period: value_name(&a.base_period),
            method: value_name(&a.method),
        },
    }
}

pub fn run(a: &EstimateArgs) -> Result<Outcome, Failure> {
    if !(0.0 < a.alpha && a.alpha < 1.0) {
        return Err(Failure::Usage("--alpha harus antara 0 dan 1 / must be between 0 and 1".into()));
    }
    let done = estimate(&request(a))?;
    outln!(
        "ATT(g,t): {} sel / cells, {} entitas / entities, {} kohort / cohorts",
        done.cells,
        done.entities,
        done.cohorts
    );
    for o in &done.overall {
        outln!(
            "  {:<9} ATT = {:>10.6}  SE = {:>9.6}  [{:.6}, {:.6}]",
            o.kind,
            o.att,
            o.se,
            o.ci_low,
            o.ci_high
        );
    }
    if !done.event_study.is_empty() {
        outln!("Studi peristiwa / event study (e = periode sejak perlakuan / periods since treatment):");
        for (e, att, se) in &done.event_study {
            outln!("  e = {e:>4}  ATT = {att:>10.6}  SE = {se:>9.6}");
        }
    }
    if let Some(w) = &done.pretest {
        outln!(
            "Uji pra-tren / pre-trend test, semua sel / all cells: W = {:.4}, df = {}, p = {:.5}",
            w.stat,
            w.df,
            w.p_value
        );
    }
    if let Some(w) = &done.pretest_event_study {
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
