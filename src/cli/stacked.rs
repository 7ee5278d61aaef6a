//! `mutasi stacked`: stacked event study over every transfer.

use crate::cli::outln;
use std::path::PathBuf;

use clap::Args;

use super::{Failure, Outcome};
use mutasi_analysis::estimate::hr_panel::stacked_entities;
use mutasi_analysis::estimate::output::stacked_event_study_table;
use mutasi_io::data::table::write_parquet;
use mutasi_stats::dist::normal_quantile;
use mutasi_stats::stacked::stacked;

#[derive(Debug, Args)]
pub struct StackedArgs {
    /// Folder keluaran `mutasi validate` / Output folder of `mutasi validate`.
    #[arg(long)]
    pub validated: PathBuf,
    /// Indikator kinerja / Kinerja indicator.
    #[arg(long)]
    pub indikator: String,
    /// Bulan sebelum mutasi / Months before the transfer in the window.
    #[arg(long, default_value_t = 6)]
    pub pre: i64,
    /// Bulan sesudah mutasi / Months after the transfer in the window.
    #[arg(long, default_value_t = 12)]
    pub post: i64,
    /// Minimal kejadian per sub-eksperimen / Minimum transfers in a sub-experiment.
    #[arg(long, default_value_t = 5)]
    pub min_events: usize,
    /// Standarkan dalam unit dan bulan / Standardise within unit and month.
    #[arg(long)]
    pub standardize: bool,
    /// Folder keluaran / Output folder.
    #[arg(long)]
    pub out: PathBuf,
}

pub fn run(a: &StackedArgs) -> Result<Outcome, Failure> {
    if a.pre < 1 || a.post < 0 {
        return Err(Failure::Usage("--pre minimal 1, --post minimal 0 / --pre ≥ 1, --post ≥ 0".into()));
    }
    let entities = stacked_entities(&a.validated, &a.indikator, a.standardize, None)
        .map_err(|e| Failure::Data(e.to_string()))?;
    let points = stacked(&entities, a.pre, a.post, a.min_events);
    if points.is_empty() {
        return Err(Failure::Data(format!(
            "tidak ada sub-eksperimen dengan minimal {} mutasi dan pembanding bersih / no sub-experiment with at least {} transfers and clean controls",
            a.min_events, a.min_events
        )));
    }
    let z = normal_quantile(0.975);
    let d = stacked_event_study_table(&a.indikator, &points, z);
    std::fs::create_dir_all(&a.out).map_err(|e| Failure::Internal(format!("{}: {e}", a.out.display())))?;
    write_parquet(d, &a.out.join("event_study.parquet")).map_err(|e| Failure::Internal(e.to_string()))?;
    outln!(
        "Studi peristiwa bertumpuk / stacked event study: {} (e = bulan sejak mutasi, e = -1 acuan)",
        a.indikator
    );
    for p in &points {
        outln!(
            "  e = {:>4}  ATT = {:>9.4}  SE = {:>8.4}  kejadian / events = {}",
            p.e,
            p.att,
            p.se,
            p.n_events
        );
    }
    outln!("Keluaran / Outputs: {}", a.out.join("event_study.parquet").display());
    Ok(Outcome::Success)
}
