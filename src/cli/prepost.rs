//! `mutasi prepost`: descriptive before/after windows around each transfer.

use crate::cli::outln;
use std::path::PathBuf;

use clap::Args;

use super::{Failure, Outcome};
use mutasi_analysis::estimate::prepost::{
    WindowOptions, summarise_windows, summary_table, windows, windows_table,
};
use mutasi_io::data::table::write_parquet;

#[derive(Debug, Args)]
pub struct PrepostArgs {
    /// Folder keluaran `mutasi validate` / Output folder of `mutasi validate`.
    #[arg(long)]
    pub validated: PathBuf,
    /// Bulan sebelum TMT / Months before the TMT month.
    #[arg(long, default_value_t = 6)]
    pub pre: i64,
    /// Bulan sesudah TMT / Months after the TMT month.
    #[arg(long, default_value_t = 6)]
    pub post: i64,
    /// Hitung bulan TMT sebagai bulan sesudah / Count the TMT month as a post month.
    #[arg(long)]
    pub include_transfer_month: bool,
    /// Minimal bulan teramati di tiap sisi / Minimum observed months on each side.
    #[arg(long, default_value_t = 3)]
    pub min_obs: usize,
    /// Kelompok lebih kecil ditekan / Groups with fewer transfers are suppressed.
    #[arg(long, default_value_t = 5)]
    pub min_group: usize,
    /// Tarikan bootstrap per kelompok / Bootstrap draws per group (resampling people).
    #[arg(long, default_value_t = 999)]
    pub bootstrap: usize,
    /// Benih acak / Seed: the same seed gives the same intervals.
    #[arg(long, default_value_t = 2026)]
    pub seed: u64,
    /// Folder keluaran / Output folder.
    #[arg(long)]
    pub out: PathBuf,
}

pub fn run(a: &PrepostArgs) -> Result<Outcome, Failure> {
    if a.pre < 1 || a.post < 1 || a.min_obs < 1 {
        return Err(Failure::Usage("--pre, --post dan --min-obs minimal 1 / must be at least 1".into()));
    }
    let opts = WindowOptions {
        pre: a.pre,
        post: a.post,
        include_transfer_month: a.include_transfer_month,
        min_obs: a.min_obs,
        min_group: a.min_group,
        bootstrap: a.bootstrap,
        seed: a.seed,
        until: None,
    };
    let w = windows(&a.validated, &opts).map_err(|e| Failure::Data(e.to_string()))?;
    let rows = summarise_windows(&w, &opts);
    std::fs::create_dir_all(&a.out).map_err(|e| Failure::Internal(format!("{}: {e}", a.out.display())))?;
    write_parquet(windows_table(&w), &a.out.join("transfer_windows.parquet"))
        .map_err(|e| Failure::Internal(e.to_string()))?;
    write_parquet(summary_table(&rows), &a.out.join("prepost_summary.parquet"))
        .map_err(|e| Failure::Internal(e.to_string()))?;
    outln!(
        "Sebelum/sesudah mutasi — DESKRIPTIF, BUKAN KAUSAL / before/after transfers — descriptive, not causal"
    );
    outln!("{} jendela / windows, {} sah / valid", w.len(), w.iter().filter(|x| x.delta.is_some()).count());
    for r in rows.iter().filter(|r| r.dimensi == "semua" || r.dimensi == "jenis_mutasi") {
        match &r.summary {
            Some(s) => outln!(
                "  {:<20} {:<14} n = {:>5}  rata-rata Δ = {:>8.3}  [{:.3}, {:.3}]",
                r.indikator,
                r.kelompok,
                r.n,
                s.mean,
                s.t_low,
                s.t_high
            ),
            None => {
                outln!("  {:<20} {:<14} n = {:>5}  (ditekan / suppressed)", r.indikator, r.kelompok, r.n)
            }
        }
    }
    outln!("Keluaran / Outputs: {} (transfer_windows.parquet, prepost_summary.parquet)", a.out.display());
    Ok(Outcome::Success)
}
