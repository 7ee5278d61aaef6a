//! `mutasi validate`: load, validate and write canonical tables plus rejects.

use std::path::PathBuf;

use clap::Args;

use super::{Failure, Outcome, outln};
use mutasi_domain::config::Config;
use mutasi_pipeline::validation::{announce_key, validate_folder};

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Folder berisi ekspor / Folder with the exports (pegawai, unit_kerja, mutasi, kinerja, layanan, skm).
    #[arg(long)]
    pub input: PathBuf,
    /// Folder keluaran / Output folder (replaced as a whole when the run succeeds).
    #[arg(long, default_value = "out/validate")]
    pub out: PathBuf,
    /// Berkas konfigurasi / Config file (mutasi.toml).
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Sertakan NIP dan nama di tabel keluaran / Write NIPs and names into the outputs.
    #[arg(long, alias = "include-identifiers")]
    pub with_identities: bool,
}

pub fn run(args: &ValidateArgs) -> Result<Outcome, Failure> {
    let cfg = match &args.config {
        Some(p) => Config::load(p).map_err(|e| Failure::Usage(e.to_string()))?,
        None => Config::default(),
    };
    let (summary, key_info) = validate_folder(&args.input, &args.out, &cfg, args.with_identities)?;
    outln!("{}", mutasi_io::summary::render(&summary).trim_end_matches('\n'));
    announce_key(&key_info);
    outln!("\nKeluaran / Outputs: {}", args.out.display());
    let names: Vec<&str> = mutasi_domain::schema::Table::ALL.iter().map(|t| t.name()).collect();
    outln!("  tabel kanonik / canonical tables: {} (.parquet)", names.join(", "));
    outln!(
        "  rejects.parquet, rejects.csv, warnings.parquet, warnings.csv, reconciliation.parquet, ringkasan.json"
    );
    Ok(if summary.lulus { Outcome::Success } else { Outcome::DataRejected })
}
