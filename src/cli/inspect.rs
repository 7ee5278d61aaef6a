//! `mutasi inspect`: what mutasi understood of the files in an input folder. Changes nothing.

use std::path::PathBuf;

use clap::Args;

use super::{Failure, Outcome};
use mutasi_domain::config::Config;

#[derive(Debug, Args)]
pub struct InspectArgs {
    /// Folder berisi ekspor / Folder with the exports.
    #[arg(long)]
    pub input: PathBuf,
    /// Berkas konfigurasi / Config file (mutasi.toml).
    #[arg(long)]
    pub config: Option<PathBuf>,
}

pub fn run(args: &InspectArgs) -> Result<Outcome, Failure> {
    let cfg = match &args.config {
        Some(p) => Config::load(p).map_err(|e| Failure::Usage(e.to_string()))?,
        None => Config::default(),
    };
    if !args.input.is_dir() {
        return Err(Failure::Usage(format!(
            "folder masukan {} tidak ada / input folder does not exist",
            args.input.display()
        )));
    }
    let (items, unused) =
        mutasi_io::ingest::inspect::inspect(&args.input, &cfg).map_err(|e| Failure::Data(e.to_string()))?;
    print!("{}", mutasi_io::ingest::inspect::render(&items, &unused));
    Ok(Outcome::Success)
}
