//! `mutasi panel`: the employee × month panel of one kinerja indicator, for `mutasi estimate`.

use crate::cli::outln;
use std::path::PathBuf;

use clap::Args;

use super::{Failure, Outcome};
use mutasi_analysis::estimate::hr_panel::build;
use mutasi_io::data::table::write_parquet;

#[derive(Debug, Args)]
pub struct PanelArgs {
    /// Folder keluaran `mutasi validate` / Output folder of `mutasi validate`.
    #[arg(long)]
    pub validated: PathBuf,
    /// Indikator kinerja / Kinerja indicator (e.g. capaian_iki, nilai_skp, predikat).
    #[arg(long)]
    pub indikator: String,
    /// Standarkan dalam unit dan bulan (skor z) / Standardise within unit and month (z-scores),
    /// neutralising forced rating distributions.
    #[arg(long)]
    pub standardize: bool,
    /// Berkas keluaran / Output file (.parquet).
    #[arg(long)]
    pub out: PathBuf,
}

pub fn run(a: &PanelArgs) -> Result<Outcome, Failure> {
    let panel =
        build(&a.validated, &a.indikator, a.standardize, None).map_err(|e| Failure::Data(e.to_string()))?;
    if let Some(dir) = a.out.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| Failure::Internal(format!("{}: {e}", dir.display())))?;
    }
    let rows = panel.nilai.len();
    let people = panel.ids.len();
    write_parquet(panel.to_table(), &a.out).map_err(|e| Failure::Internal(e.to_string()))?;
    if a.standardize {
        outln!(
            "Nilai distandarkan dalam unit × bulan; {} nilai dibuang (unit-bulan < 2 pegawai atau tanpa variasi) / values standardised; {} dropped",
            panel.dropped_for_standardizing,
            panel.dropped_for_standardizing
        );
    }
    outln!(
        "Panel {}: {rows} baris / rows, {people} pegawai, t = 1 adalah / is {}; kolom / columns: pegawai_id, periode, t, kohort, nilai",
        a.indikator,
        panel.first_month
    );
    outln!(
        "Lanjut / next: mutasi estimate --panel {} --id pegawai_id --time t --cohort kohort --outcome nilai --balanced --out DIR",
        a.out.display()
    );
    Ok(Outcome::Success)
}
