//! `mutasi report`: the monthly run of one or more report specs, each with its charts, Parquet
//! summaries, query results, `report.html` and `report.xlsx` in `<out>/<spec>/<period>/`,
//! published all or nothing like `mutasi run`. Prints where each `report.html` went.

use std::path::PathBuf;

use clap::Args;

use super::run::{RunArgs, run};
use super::{Failure, Outcome};
use mutasi_report::i18n::Lang;

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Spesifikasi laporan (boleh lebih dari satu) / Report spec, reports/*.toml (repeatable).
    #[arg(long, required = true)]
    pub spec: Vec<PathBuf>,
    /// Folder berisi ekspor / Folder with the exports.
    #[arg(long)]
    pub input: PathBuf,
    /// Folder keluaran; laporan di <out>/<spec>/<periode>/ / Output folder.
    #[arg(long)]
    pub out: PathBuf,
    /// Bulan laporan YYYY-MM (bawaan: bulan lalu) / Report month (default: last month).
    #[arg(long)]
    pub period: Option<String>,
    /// Bahasa laporan / Report language: id (Bahasa Indonesia) or en.
    #[arg(long, default_value = "id")]
    pub lang: String,
    /// Berkas konfigurasi / Configuration file (mutasi.toml).
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Folder kueri SQL / Folder of SQL queries (default: queries/ when present).
    #[arg(long)]
    pub queries: Option<PathBuf>,
    /// Sertakan NIP dan nama / Write NIPs and names into the validated tables; every report then
    /// says so at its top.
    #[arg(long, alias = "include-identifiers")]
    pub with_identities: bool,
    /// Terbitkan walau gerbang gagal / Publish even when a gate fails, with a warning at the top
    /// of the report.
    #[arg(long)]
    pub force: bool,
}

pub fn report(a: &ReportArgs) -> Result<Outcome, Failure> {
    let lang = Lang::parse(&a.lang)
        .ok_or_else(|| Failure::Usage(format!("--lang `{}` harus id atau en / must be id or en", a.lang)))?;
    let mut worst = Outcome::Success;
    for spec in &a.spec {
        let args = RunArgs {
            input: Some(a.input.clone()),
            out: Some(a.out.clone()),
            period: a.period.clone(),
            backfill: None,
            config: a.config.clone(),
            outcomes: Vec::new(),
            subgroups: None,
            standardize: false,
            bootstrap: None,
            spec: Some(spec.clone()),
            queries: a.queries.clone(),
            with_identities: a.with_identities,
            force: a.force,
            on_failure: None,
            lang: Some(a.lang.clone()),
            report_lang: Some(lang),
            only: Vec::new(),
            jobs: 1,
        };
        if run(&args)? == Outcome::DataRejected {
            worst = Outcome::DataRejected;
        }
    }
    Ok(worst)
}
