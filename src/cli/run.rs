//! `mutasi run`: its flags, and the request they make of `mutasi_pipeline::run`.
//!
//! Settings come from the flags, then `MUTASI_*` environment variables, then the config file,
//! then the defaults (the last two resolved by the pipeline).

use std::path::PathBuf;

use clap::Args;

use super::args::{LangArg, PublishArgs};
use super::{Failure, Outcome};
use mutasi_pipeline::run::RunRequest;
use mutasi_report::i18n::Lang;

#[derive(Debug, Args)]
pub struct RunArgs {
    /// Folder berisi ekspor / Folder with the exports (pegawai, unit_kerja, mutasi, kinerja, …)
    /// [config: run.input].
    #[arg(long, env = "MUTASI_INPUT")]
    pub input: Option<PathBuf>,
    /// Folder keluaran; hasil periode di <out>/<periode>/ / Output folder; the period goes to
    /// <out>/<period>/ [config: run.out].
    #[arg(long, env = "MUTASI_OUT")]
    pub out: Option<PathBuf>,
    /// Bulan laporan / Report month (YYYY-MM); data sesudahnya diabaikan / later data are ignored
    /// [default: the last complete month].
    #[arg(long, env = "MUTASI_PERIOD", conflicts_with = "backfill")]
    pub period: Option<String>,
    /// Jalankan rentang bulan berurutan / Run a range of months in order, e.g. 2026-01..2026-10.
    #[arg(long)]
    pub backfill: Option<String>,
    /// Indikator yang diestimasi / Kinerja indicators to estimate (comma-separated)
    /// [config: analysis.outcomes].
    #[arg(long, value_delimiter = ',')]
    pub outcomes: Vec<String>,
    /// Dimensi subkelompok / Subgroup dimensions (comma-separated; "" for none)
    /// [config: analysis.subgroups].
    #[arg(long, value_delimiter = ',')]
    pub subgroups: Option<Vec<String>>,
    /// Standarkan hasil dalam unit dan bulan / Standardise outcomes within unit and month
    /// (z-scores) [config: analysis.standardize].
    #[arg(long)]
    pub standardize: bool,
    /// Bootstrap ringkasan deskriptif / Bootstrap draws of every descriptive summary's percentile
    /// interval, for the run and every report spec (0: t interval only, e.g. for a national
    /// run) [config: analysis.bootstrap; a spec's own `[analysis]` otherwise].
    #[arg(long, value_name = "N")]
    pub bootstrap: Option<usize>,
    /// Spesifikasi laporan / Run one report spec (reports/*.toml) alone; outputs go to
    /// <out>/<name>/<period>/ [config: run.reports lists the specs of a monthly run].
    #[arg(long)]
    pub spec: Option<PathBuf>,
    #[command(flatten)]
    pub publish: PublishArgs,
    /// Perintah saat gagal / Shell command run with the failure summary on stdin when the run
    /// fails [config: run.on_failure].
    #[arg(long, env = "MUTASI_ON_FAILURE")]
    pub on_failure: Option<String>,
    /// Bahasa laporan / Report language: id or en [config: run.lang].
    #[arg(long, env = "MUTASI_LANG", value_parser = super::args::lang_arg)]
    pub lang: Option<LangArg>,
    /// Set by `mutasi report`: also write `report.html`, `report.xlsx` and the charts.
    #[arg(skip)]
    pub report_lang: Option<Lang>,
    /// Hanya partisi ini / Only these partitions of a partitioned input folder
    /// (`<input>/instansi=8171/…`), e.g. `--only instansi=8171,8172` (repeatable).
    #[arg(long, value_name = "KUNCI=NILAI")]
    pub only: Vec<String>,
    /// Partisi serentak / Partitions run at once (each still uses every core for its estimators)
    /// [default: 1].
    #[arg(long, env = "MUTASI_JOBS", default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..=256))]
    pub jobs: u16,
}

/// Runs the months the flags ask for; the pipeline's lines go to stdout.
pub fn run(a: &RunArgs) -> Result<Outcome, Failure> {
    let say = |line: &str| -> std::io::Result<()> {
        use std::io::Write;
        writeln!(std::io::stdout().lock(), "{line}")
    };
    let request = RunRequest {
        input: a.input.clone(),
        out: a.out.clone(),
        period: a.period.clone(),
        backfill: a.backfill.clone(),
        config: a.publish.config.clone(),
        outcomes: a.outcomes.clone(),
        subgroups: a.subgroups.clone(),
        standardize: a.standardize,
        bootstrap: a.bootstrap,
        spec: a.spec.clone(),
        queries: a.publish.queries.clone(),
        with_identities: a.publish.with_identities,
        force: a.publish.force,
        on_failure: a.on_failure.clone(),
        lang: a.lang.map(Lang::from),
        report_lang: a.report_lang,
        only: a.only.clone(),
        jobs: a.jobs,
        say: &say,
    };
    Ok(match mutasi_pipeline::run::run(&request)? {
        mutasi_pipeline::run::Outcome::Success => Outcome::Success,
        mutasi_pipeline::run::Outcome::DataRejected => Outcome::DataRejected,
    })
}
