//! `mutasi report`: the monthly run of one or more report specs, each with its charts, Parquet
//! summaries, query results, `report.html` and `report.xlsx` in `<out>/<spec>/<period>/`,
//! published all or nothing like `mutasi run`. Prints where each `report.html` went.

use std::path::PathBuf;

use clap::Args;

use super::args::{LangArg, PublishArgs};
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
    /// Bahasa laporan / Report language: id or en.
    #[arg(long, value_parser = super::args::lang_arg, default_value = "id")]
    pub lang: LangArg,
    #[command(flatten)]
    pub publish: PublishArgs,
}

pub fn report(a: &ReportArgs) -> Result<Outcome, Failure> {
    let mut worst = Outcome::Success;
    for spec in &a.spec {
        let args = RunArgs {
            input: Some(a.input.clone()),
            out: Some(a.out.clone()),
            period: a.period.clone(),
            backfill: None,
            outcomes: Vec::new(),
            subgroups: None,
            standardize: false,
            bootstrap: None,
            spec: Some(spec.clone()),
            publish: a.publish.clone(),
            on_failure: None,
            lang: Some(a.lang),
            report_lang: Some(Lang::from(a.lang)),
            only: Vec::new(),
            jobs: 1,
        };
        if run(&args)? == Outcome::DataRejected {
            worst = Outcome::DataRejected;
        }
    }
    Ok(worst)
}
