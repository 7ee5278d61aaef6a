//! `mutasi sample`: write a synthetic dataset with planted effects and bad rows.

use crate::cli::outln;
use std::path::PathBuf;

use clap::Args;

use super::{Failure, Outcome};
use mutasi_domain::normalize::period::{PeriodKind, parse_period};
use mutasi_sample::{SampleError, SampleSpec, generate, generate_partitioned};

/// A size below the generator's minimum is a usage error; a file not written, internal.
fn sample_failure(e: SampleError) -> Failure {
    if e.is_usage() { Failure::Usage(e.to_string()) } else { Failure::Internal(e.to_string()) }
}

#[derive(Debug, Args)]
pub struct SampleArgs {
    /// Jumlah pegawai / Number of employees.
    #[arg(long, default_value_t = 1500)]
    pub employees: usize,
    /// Jumlah bulan / Number of months.
    #[arg(long, default_value_t = 60)]
    pub months: u32,
    /// Bulan pertama / First month (YYYY-MM).
    #[arg(long, default_value = "2021-01")]
    pub start: String,
    /// Benih acak / Random seed: the same seed gives the same files.
    #[arg(long, default_value_t = 2026)]
    pub seed: u64,
    /// Folder keluaran / Output folder.
    #[arg(long)]
    pub out: PathBuf,
    /// Tanpa baris buruk / Do not plant bad rows.
    #[arg(long)]
    pub no_bad_rows: bool,
    /// Data orakel: capaian_iki = dasar + efek tertanam saja, orang, mutasi dan bulan sama /
    /// Oracle data: capaian_iki is the base plus the planted effects only, with the same people,
    /// transfers and months as without the flag (an estimator run on it gives the exact estimand).
    #[arg(long)]
    pub noise_free: bool,
    /// Bagi menjadi N instansi / Split into N independent instansi, written as hive partitions
    /// `<out>/instansi=I0001/…` (each with its share of the employees and its own seed).
    #[arg(long, default_value_t = 1, value_name = "N")]
    pub instansi: usize,
    /// Format kinerja / Kinerja file format: csv (as the exports look) or parquet (typed, no
    /// bad rows; for national-scale data that should not pass through CSV).
    #[arg(long, default_value = "csv", value_parser = ["csv", "parquet"])]
    pub format: String,
}

pub fn run(args: &SampleArgs) -> Result<Outcome, Failure> {
    let start = match parse_period(&args.start) {
        Ok(p) if p.kind == PeriodKind::Bulan => (p.year, p.index),
        _ => return Err(Failure::Usage(format!("--start `{}` harus YYYY-MM / must be YYYY-MM", args.start))),
    };
    if args.employees < mutasi_sample::MIN_EMPLOYEES || args.months < mutasi_sample::MIN_MONTHS {
        return Err(Failure::Usage(format!(
            "--employees minimal {} dan --months minimal {} / at least {} employees and {} months",
            mutasi_sample::MIN_EMPLOYEES,
            mutasi_sample::MIN_MONTHS,
            mutasi_sample::MIN_EMPLOYEES,
            mutasi_sample::MIN_MONTHS
        )));
    }
    let spec = SampleSpec {
        employees: args.employees,
        months: args.months,
        start,
        seed: args.seed,
        bad_rows: !args.no_bad_rows,
        noise_free: args.noise_free,
        parquet: args.format == "parquet",
    };
    if args.instansi > 1 {
        if args.employees / args.instansi < mutasi_sample::MIN_EMPLOYEES {
            return Err(Failure::Usage(format!(
                "--employees / --instansi minimal {} pegawai per instansi / at least {} employees per instansi",
                mutasi_sample::MIN_EMPLOYEES,
                mutasi_sample::MIN_EMPLOYEES
            )));
        }
        let truths = generate_partitioned(&spec, args.instansi, &args.out).map_err(sample_failure)?;
        outln!(
            "Data contoh ditulis ke / Sample written to {}: {} instansi (instansi=I0001 … instansi={}), {} pegawai, {} mutasi, {} bulan",
            args.out.display(),
            truths.len(),
            mutasi_sample::instansi_code(truths.len() - 1),
            truths.iter().map(|t| t.pegawai).sum::<usize>(),
            truths.iter().map(|t| t.mutasi.values().sum::<usize>()).sum::<usize>(),
            args.months
        );
        return Ok(Outcome::Success);
    }
    let truth = generate(&spec, &args.out).map_err(sample_failure)?;
    outln!(
        "Data contoh ditulis ke / Sample written to {}: {} pegawai, {} unit, {} bulan, {} mutasi, {} baris buruk ditanam / planted bad rows",
        args.out.display(),
        truth.pegawai,
        truth.unit,
        truth.bulan,
        truth.mutasi.values().sum::<usize>(),
        truth.baris_buruk.values().sum::<usize>()
    );
    outln!("Kebenaran efek / planted truth: {}", args.out.join("truth.json").display());
    Ok(Outcome::Success)
}
