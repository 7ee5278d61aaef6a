//! `mutasi run`: one month's pipeline — validation, gates, every analysis, the SQL queries and
//! checks, and the report specs listed in the config — published all or nothing into
//! `<out>/<period>/`, with `manifest.json` written last.
//!
//! The command line resolves its flags and environment into a [`RunRequest`]; this module adds
//! the config file and the defaults ([`Plan`]), then runs. One run per output folder at a time
//! (a lock); a killed run leaves the published periods as they were, and the next run removes
//! its staging folder.

mod month;
mod plan;
mod run_json;

use std::path::{Path, PathBuf};

use crate::error::{Kind, PipelineError};
use crate::lock::{lock, remove_stale_staging};
use crate::partition;
use crate::publish::{publish, staging_for};
use mutasi_domain::normalize::period::Period;
use mutasi_report::i18n::Lang;

use month::{Built, build};
pub use plan::backfill_months;
use plan::{Plan, plan, resolve_period};
use run_json::FailedReport;

/// How a run ended when it did not fail outright.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Success,
    /// The run finished, but the data did not pass a gate: nothing was published.
    DataRejected,
}

/// Where a run's lines for its user go (the command line writes them to stdout); an error (a
/// closed pipe) stops the run with [`PipelineError::Output`].
pub type Say = dyn Fn(&str) -> std::io::Result<()> + Sync;

/// Writes one formatted line through the request's `say`.
macro_rules! say {
    ($a:expr, $($arg:tt)*) => {
        ($a.say)(&format!($($arg)*)).map_err(PipelineError::Output)?
    };
}

/// What the caller asks of `mutasi run`, after flags and environment: `None` leaves a setting to
/// the config file, then the default.
pub struct RunRequest<'a> {
    pub input: Option<PathBuf>,
    pub out: Option<PathBuf>,
    pub period: Option<String>,
    pub backfill: Option<String>,
    pub config: Option<PathBuf>,
    pub outcomes: Vec<String>,
    /// `Some(empty)` asks for no subgroups.
    pub subgroups: Option<Vec<String>>,
    pub standardize: bool,
    pub bootstrap: Option<usize>,
    /// Run this one report spec alone into `<out>/<name>/<period>/`.
    pub spec: Option<PathBuf>,
    pub queries: Option<PathBuf>,
    pub with_identities: bool,
    pub force: bool,
    pub on_failure: Option<String>,
    pub lang: Option<Lang>,
    /// Set by `mutasi report`: also write `report.html`, `report.xlsx` and the charts.
    pub report_lang: Option<Lang>,
    /// Only these partitions (`key=value`).
    pub only: Vec<String>,
    /// Partitions run at once.
    pub jobs: u16,
    pub say: &'a Say,
}

/// Marker that says a period folder was written by `mutasi run`, so a re-run may replace it.
pub(crate) const MARKER: &str = ".mutasi-run";

/// Runs the months `a` asks for (one, or a backfill range), partition by partition when the input
/// folder is partitioned, and says what was published through `a.say`.
pub fn run(a: &RunRequest) -> Result<Outcome, PipelineError> {
    let p = plan(a)?;
    // Flag (or MUTASI_PERIOD) first; the file's period or backfill only when neither flag is given.
    let (period, backfill) = match (&a.period, &a.backfill) {
        (None, None) => (p.cfg.run.period.clone(), p.cfg.run.backfill.clone()),
        _ => (a.period.clone(), a.backfill.clone()),
    };
    let periods = match (&backfill, &period) {
        (Some(raw), None) => backfill_months(raw)?,
        (Some(_), Some(_)) => {
            return Err(PipelineError::Usage(
                "run.period dan run.backfill tidak boleh keduanya / set run.period or run.backfill, not both"
                    .into(),
            ));
        }
        (None, _) => vec![resolve_period(period.as_deref())?],
    };
    let parts = partition::discover(&p.input)?;
    if parts.is_empty() && !a.only.is_empty() {
        return Err(PipelineError::Usage(format!(
            "--only: {} tidak berpartisi / is not partitioned\n\nhint: folder masukan berpartisi berisi sub-folder kunci=nilai, mis. instansi=8171/ / a partitioned input holds key=value folders",
            p.input.display()
        )));
    }
    let result = if parts.is_empty() {
        run_locked(a, &p, &periods)
    } else {
        let parts = partition::select(parts, &a.only)?;
        run_partitions(a, &p, &periods, &parts)
    };
    if let Some(cmd) = &p.on_failure {
        let summary = match &result {
            Ok((Outcome::Success, _)) => None,
            Ok((Outcome::DataRejected, s)) => Some(s.clone()),
            Err(e) => Some(format!("{{\"galat\": {}}}", serde_json::Value::String(e.message().to_string()))),
        };
        if let Some(summary) = summary {
            on_failure(cmd, &summary);
        }
    }
    result.map(|(o, _)| o)
}

/// Runs every partition as a run of its own: input `<input>/key=value/`, outputs, lock and
/// months in `<out>/key=value/`. A partition that fails does not stop the others; the
/// invocation fails when any did, listing them.
fn run_partitions(
    a: &RunRequest,
    p: &Plan,
    periods: &[Period],
    parts: &[partition::Partition],
) -> Result<(Outcome, String), PipelineError> {
    let one = |i: usize| {
        let part = &parts[i];
        let name = part.name();
        tracing::info!(partisi = %name, "partisi / partition {}/{}", i + 1, parts.len());
        say!(a, "Partisi / partition {name}:");
        let mut q = p.clone();
        q.input = part.dir.clone();
        q.root = p.root.join(&name);
        run_locked(a, &q, periods)
    };
    // Workers take the next partition in name order; results are reported in that order. A
    // worker with more than one partition to validate keeps its memory between them.
    mutasi_io::ingest::keep_for_next_partition(parts.len() > usize::from(a.jobs).max(1));
    let results = mutasi_io::workers::in_order(parts.len(), usize::from(a.jobs), one);
    mutasi_io::ingest::keep_for_next_partition(false);
    let mut rejected: Vec<(String, String)> = Vec::new();
    let mut errors: Vec<(String, PipelineError)> = Vec::new();
    for (part, r) in parts.iter().zip(results) {
        let name = part.name();
        match r {
            Ok((Outcome::Success, _)) => {}
            Ok((_, failed)) => rejected.push((name, failed)),
            Err(e) => {
                tracing::error!(partisi = %name, "{}", e.message());
                errors.push((name, e));
            }
        }
    }
    let ok = parts.len() - rejected.len() - errors.len();
    say!(
        a,
        "Partisi / partitions: {ok} diterbitkan / published, {} ditolak / rejected, {} galat / errors (dari / of {})",
        rejected.len(),
        errors.len(),
        parts.len()
    );
    // The caller's output closing ends the run as it is.
    if let Some(pos) = errors.iter().position(|(_, e)| matches!(e, PipelineError::Output(_))) {
        return Err(errors.swap_remove(pos).1);
    }
    if let Some((_, first)) = errors.first() {
        let list: Vec<String> = errors.iter().map(|(n, e)| format!("{n}: {}", e.message())).collect();
        let message = format!("{} partisi gagal / partitions failed:\n{}", errors.len(), list.join("\n"));
        return Err(match first.kind() {
            Kind::Data => PipelineError::Data(message),
            Kind::Usage => PipelineError::Usage(message),
            Kind::Internal | Kind::Output => PipelineError::Internal(message),
        });
    }
    if rejected.is_empty() {
        return Ok((Outcome::Success, String::new()));
    }
    let summary: Vec<serde_json::Value> = rejected
        .iter()
        .map(|(n, f)| {
            serde_json::json!({"partisi": n, "gagal": serde_json::from_str::<serde_json::Value>(f).unwrap_or_default()})
        })
        .collect();
    let json = serde_json::to_string_pretty(&summary)?;
    Ok((Outcome::DataRejected, json))
}

/// Runs `cmd` through `sh -c` with `summary` on its stdin; its own failure is reported, never fatal.
fn on_failure(cmd: &str, summary: &str) {
    use std::io::Write;
    use std::process::{Command, Stdio};
    match Command::new("sh").arg("-c").arg(cmd).stdin(Stdio::piped()).spawn() {
        Ok(mut child) => {
            if let Some(mut stdin) = child.stdin.take() {
                let _ = stdin.write_all(summary.as_bytes());
            }
            match child.wait() {
                Ok(s) if s.success() => {}
                Ok(s) => {
                    tracing::warn!("--on-failure `{cmd}` keluar dengan / exited with {s}")
                }
                Err(e) => tracing::warn!("--on-failure `{cmd}`: {e}"),
            }
        }
        Err(e) => tracing::warn!("--on-failure `{cmd}` tidak dapat dijalankan / could not start: {e}"),
    }
}

/// Holds the output folder's lock for every month of the invocation. Returns the outcome and,
/// on a rejected month, its `failed.json` text.
fn run_locked(a: &RunRequest, p: &Plan, periods: &[Period]) -> Result<(Outcome, String), PipelineError> {
    let held = lock(&p.root)?;
    if let Some(pid) = held.stale_pid {
        tracing::warn!(
            "kunci lama dari proses {pid} yang sudah berhenti diabaikan / stale lock of dead process {pid} ignored"
        );
    }
    for removed in remove_stale_staging(&p.root) {
        tracing::warn!(
            "folder sementara sisa run yang terhenti dihapus / removed a killed run's staging folder: {}",
            removed.display()
        );
    }
    for period in periods {
        match run_period(a, p, period)? {
            (Outcome::Success, _) => {}
            rejected => return Ok(rejected),
        }
    }
    Ok((Outcome::Success, String::new()))
}

/// One month: build into a staging folder, then publish it or say why not.
fn run_period(a: &RunRequest, p: &Plan, period: &Period) -> Result<(Outcome, String), PipelineError> {
    let name = period.label();
    let root = &p.root;
    let target = root.join(&name);
    if target.exists() && !target.join(MARKER).exists() {
        return Err(PipelineError::Usage(format!(
            "{} ada tetapi bukan hasil mutasi run / exists but was not written by mutasi run\n\nhint: pindahkan folder itu atau pilih --out lain / move it away or choose another --out",
            target.display()
        )));
    }
    let staging = staging_for(&target)?;
    let result = build(a, p, period, &staging);
    match result {
        Ok(Built::Ready) => {
            publish(&staging, &target)?;
            let _ = std::fs::remove_file(root.join(format!("{name}.failed.json")));
            let _ = std::fs::remove_dir_all(root.join(format!("{name}.failed")));
            say!(a, "Periode / period {name}: diterbitkan / published to {}", target.display());
            print_summary(a, &target, p)?;
            Ok((Outcome::Success, String::new()))
        }
        Ok(Built::Rejected(gate, reason)) => {
            // A report that shows why the gate failed is kept beside, never published.
            let kept = root.join(format!("{name}.failed"));
            let _ = std::fs::remove_dir_all(&kept);
            if staging.join("report.html").exists() || staging.join("laporan").exists() {
                std::fs::rename(&staging, &kept).map_err(PipelineError::io(&kept))?;
                tracing::warn!(
                    "laporan gagal / failed report (tidak diterbitkan / not published): {}",
                    kept.display()
                );
            } else {
                let _ = std::fs::remove_dir_all(&staging);
            }
            let failed = FailedReport { periode: name.clone(), gerbang: gate, alasan: reason.clone() };
            let path = root.join(format!("{name}.failed.json"));
            let json = serde_json::to_string_pretty(&failed)?;
            std::fs::write(&path, json.clone() + "\n").map_err(PipelineError::io(&path))?;
            tracing::error!("Periode / period {name} tidak diterbitkan / not published: {reason}");
            tracing::error!("{}", path.display());
            Ok((Outcome::DataRejected, json))
        }
        Err(e) => {
            let _ = std::fs::remove_dir_all(&staging);
            Err(e)
        }
    }
}

fn print_summary(a: &RunRequest, target: &Path, p: &Plan) -> Result<(), PipelineError> {
    let read = |dir: &Path| -> Option<serde_json::Value> {
        serde_json::from_str(&std::fs::read_to_string(dir.join("run.json")).ok()?).ok()
    };
    if let Some(run) = read(target) {
        let count = |key: &str| {
            let v = run.get(key).and_then(|v| v.as_array()).cloned().unwrap_or_default();
            let ok = v.iter().filter(|n| n.get("status").and_then(|s| s.as_str()) == Some("ok")).count();
            (ok, v.len() - ok)
        };
        let (ok, skipped) = count("estimasi");
        say!(a, "  {ok} estimasi / estimates, {skipped} dilewati / skipped (lihat / see run.json)");
        let (ok, skipped) = count("efek_unit");
        say!(a, "  {ok} efek unit / unit effects, {skipped} dilewati / skipped");
    }
    if target.join("report.html").exists() {
        say!(a, "  laporan / report: {}", target.join("report.html").display());
        say!(a, "  buku kerja / workbook: {}", target.join("report.xlsx").display());
    }
    for (_, s) in &p.reports {
        let dir = target.join("laporan").join(&s.report.name);
        say!(a, "  laporan / report {}: {}", s.report.name, dir.join("report.html").display());
    }
    say!(a, "  manifest: {}", target.join("manifest.json").display());
    Ok(())
}
