//! Command-line interface: clap types and the mapping of results to exit codes.
//!
//! Each subcommand lives in its own file with an args struct and `run(args) -> Result<Outcome,
//! Failure>`. Exit codes: 0 success, 1 bad input data (rejected rows over the allowed rate, or an
//! unreadable file), 2 usage, configuration or internal errors.

pub mod args;
pub mod estimate;
pub mod init;
pub mod inspect;
pub mod panel;
pub mod prepost;
pub mod report;
pub mod run;
pub mod sample;
pub mod stacked;
pub mod validate;

use clap::{Parser, Subcommand};

/// mutasi — dampak mutasi ASN terhadap kinerja dan layanan / impact of ASN transfers.
#[derive(Debug, Parser)]
#[command(name = "mutasi", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// Format log / Log format on stderr: text or json [env MUTASI_LOG_FORMAT; config run.log_format].
    #[arg(long, global = true, env = "MUTASI_LOG_FORMAT", value_parser = args::log_format_arg)]
    pub log_format: Option<crate::logging::LogFormat>,
    /// Hanya galat / Errors only.
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// Lebih rinci / More detail (-v debug, -vv trace).
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Proses bulanan lengkap / One month's whole pipeline (validation and every analysis),
    /// published all or nothing into <out>/<period>/.
    Run(run::RunArgs),
    /// Tulis mutasi.toml berkomentar / Write a commented mutasi.toml with every default.
    Init(init::InitArgs),
    /// Laporan untuk pimpinan / Reports managers read: charts, report.html and report.xlsx for
    /// each report spec, after the whole monthly run.
    Report(report::ReportArgs),
    /// Membaca dan memvalidasi ekspor HR / Load and validate HR exports into canonical tables.
    Validate(validate::ValidateArgs),
    /// Apa yang dipahami dari berkas Anda / What mutasi understood of your files: table, header
    /// row, column mapping with alias suggestions, date order, first rows. Changes nothing.
    Inspect(inspect::InspectArgs),
    /// Membuat data contoh sintetis / Generate a synthetic dataset with planted effects.
    Sample(sample::SampleArgs),
    /// DiD bertahap (Callaway & Sant'Anna) pada panel apa pun / Staggered DiD on any panel file.
    Estimate(estimate::EstimateArgs),
    /// Panel pegawai × bulan dari tabel tervalidasi / Employee × month panel from validated tables.
    Panel(panel::PanelArgs),
    /// Sebelum/sesudah tiap mutasi (deskriptif) / Descriptive before/after windows per transfer.
    Prepost(prepost::PrepostArgs),
    /// Studi peristiwa bertumpuk atas semua mutasi / Stacked event study over every transfer.
    Stacked(stacked::StackedArgs),
}

/// How a command ended when it did not fail outright.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Success,
    /// The command ran, but the data did not pass (e.g. too many rejected rows).
    DataRejected,
}

/// Writes one line to stdout; a closed pipe (`mutasi … | head`) ends the command quietly
/// through [`Failure::BrokenPipe`], as ripgrep does, instead of a panic or a signal handler.
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout().lock(), $($arg)*).map_err($crate::cli::Failure::stdout)?
    }};
}
pub(crate) use outln;

/// Why a command failed.
#[derive(Debug)]
pub enum Failure {
    /// stdout was closed by its reader: not an error, the command ends with 0 and no message.
    BrokenPipe,
    /// Bad input data: a file that cannot be read at all.
    Data(String),
    /// Wrong arguments or configuration.
    Usage(String),
    /// A bug or an environment problem (disk full, permissions).
    Internal(String),
}

impl From<mutasi_pipeline::error::PipelineError> for Failure {
    fn from(e: mutasi_pipeline::error::PipelineError) -> Failure {
        use mutasi_pipeline::error::{Kind, PipelineError as E};
        match (e.kind(), e) {
            (_, E::Output(io)) => Failure::stdout(io),
            (Kind::Data, e) => Failure::Data(e.to_string()),
            (Kind::Usage, e) => Failure::Usage(e.to_string()),
            (Kind::Internal | Kind::Output, e) => Failure::Internal(e.to_string()),
        }
    }
}

impl Failure {
    /// A failed write to stdout.
    pub fn stdout(e: std::io::Error) -> Failure {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            Failure::BrokenPipe
        } else {
            Failure::Internal(format!("stdout: {e}"))
        }
    }

    pub fn exit_code(&self) -> u8 {
        match self {
            Failure::BrokenPipe => 0,
            Failure::Data(_) => 1,
            Failure::Usage(_) | Failure::Internal(_) => 2,
        }
    }

    pub fn message(&self) -> &str {
        match self {
            Failure::BrokenPipe => "",
            Failure::Data(m) | Failure::Usage(m) | Failure::Internal(m) => m,
        }
    }
}

/// The log format: the flag or `MUTASI_LOG_FORMAT`, else the config file's `run.log_format` for
/// the commands that read one, else text.
fn log_format(cli: &Cli) -> Result<crate::logging::LogFormat, Failure> {
    use crate::logging::LogFormat;
    if let Some(f) = cli.log_format {
        return Ok(f);
    }
    let path = match &cli.command {
        Command::Run(a) => a.publish.config.clone(),
        Command::Report(a) => a.publish.config.clone(),
        _ => None,
    };
    // The config file is checked (run.log_format is text or json) when it is loaded.
    let raw = path.and_then(|p| mutasi_domain::config::Config::load(&p).ok()).map(|c| c.run.log_format);
    let raw = raw.unwrap_or_else(|| "text".into());
    LogFormat::parse(&raw).ok_or_else(|| {
        Failure::Usage(format!("run.log_format `{raw}` harus text atau json / must be text or json"))
    })
}

/// Runs the parsed command line and returns the process exit code.
pub fn run(cli: Cli) -> u8 {
    let format = match log_format(&cli) {
        Ok(f) => f,
        Err(f) => {
            eprintln!("galat penggunaan / usage error: {}", f.message());
            return f.exit_code();
        }
    };
    crate::logging::init(format, crate::logging::level(cli.quiet, cli.verbose));
    let result = match cli.command {
        Command::Run(a) => run::run(&a),
        Command::Init(a) => init::init(&a),
        Command::Report(a) => report::report(&a),
        Command::Validate(a) => validate::run(&a),
        Command::Inspect(a) => inspect::run(&a),
        Command::Sample(a) => sample::run(&a),
        Command::Estimate(a) => estimate::run(&a),
        Command::Panel(a) => panel::run(&a),
        Command::Prepost(a) => prepost::run(&a),
        Command::Stacked(a) => stacked::run(&a),
    };
    match result {
        Ok(Outcome::Success) => 0,
        Ok(Outcome::DataRejected) => 1,
        Err(Failure::BrokenPipe) => 0,
        Err(f) => {
            let label = match f {
                Failure::BrokenPipe => "",
                Failure::Data(_) => "galat data / data error",
                Failure::Usage(_) => "galat penggunaan / usage error",
                Failure::Internal(_) => "galat internal / internal error",
            };
            if format == crate::logging::LogFormat::Json {
                tracing::error!(kode_keluar = f.exit_code(), "{label}: {}", f.message());
            } else {
                eprintln!("{label}: {}", f.message());
            }
            f.exit_code()
        }
    }
}
