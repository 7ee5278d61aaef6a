//! `mutasi run`: one month's pipeline — validation, gates, every analysis, the SQL queries and
//! checks, and the report specs listed in the config — published all or nothing into
//! `<out>/<period>/`, with `manifest.json` written last.
//!
//! The command line resolves its flags and environment into a [`RunRequest`]; this module adds
//! the config file and the defaults ([`Plan`]), then runs. One run per output folder at a time
//! (a lock); a killed run leaves the published periods as they were, and the next run removes
//! its staging folder.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::Datelike;
use serde::Serialize;

use crate::error::PipelineError;
use crate::gates;
use crate::lock::{lock, remove_stale_staging};
use crate::manifest::{self, Manifest, Stage};
use crate::partition;
use crate::publish::{publish, staging_for};
use crate::scope::write_scoped;
use crate::spec::ReportSpec;
use crate::stage::StageProgress;
use crate::validation::{announce_key, validate_into};
use mutasi_analysis::analyses::{self, AnalysisOptions, EstimateNote, Notes};
use mutasi_analysis::estimate::prepost::WindowOptions;
use mutasi_analysis::movement::MovementOptions;
use mutasi_analysis::queries::{QueryResult, run_queries};
use mutasi_analysis::requests::RequestOptions;
use mutasi_analysis::service::ikm_table::IkmOptions;
use mutasi_analysis::service::unit_effects::{UnitNote, UnitOptions};
use mutasi_domain::config::{Config, control_of};
use mutasi_domain::normalize::period::{Period, PeriodKind, parse_period};
use mutasi_report::content::pick;
use mutasi_report::i18n::Lang;
use mutasi_report::{ReportContext, build as build_report};

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
const MARKER: &str = ".mutasi-run";

/// `run.json`: what the run did, without timestamps, so a re-run gives the same file.
#[derive(Debug, Serialize)]
struct RunReport {
    /// The report spec, when the run used one.
    #[serde(skip_serializing_if = "Option::is_none")]
    laporan: Option<ReportInfo>,
    periode: String,
    versi: String,
    keluaran: Vec<String>,
    opsi: OptionsReport,
    estimasi: Vec<EstimateNote>,
    efek_unit: Vec<UnitNote>,
    kueri: Vec<QueryResult>,
}

#[derive(Debug, Serialize)]
struct OptionsReport {
    outcomes: Vec<String>,
    subgroups: Vec<String>,
    pre: i64,
    post: i64,
    min_obs: usize,
    min_e: i64,
    max_e: i64,
    min_treated: usize,
    min_group: usize,
    standardize: bool,
    /// Bootstrap draws of the descriptive summaries (0: none).
    bootstrap: usize,
    control: String,
    base_period: String,
    method: String,
}

#[derive(Debug, Serialize)]
struct ReportInfo {
    nama: String,
    judul: String,
    opd: Vec<String>,
    jenis_unit: Vec<String>,
}

/// `<out>/<period>.failed.json`: why a run published nothing.
#[derive(Debug, Serialize)]
struct FailedReport {
    periode: String,
    gerbang: String,
    alasan: String,
}

/// The report month: `--period`, or the month before today's.
fn resolve_period(arg: Option<&str>) -> Result<Period, PipelineError> {
    match arg {
        Some(raw) => parse_month(raw, "--period"),
        None => {
            let today = chrono::Local::now().date_naive();
            let (y, m) =
                if today.month() == 1 { (today.year() - 1, 12) } else { (today.year(), today.month() - 1) };
            Ok(Period::month(y, m))
        }
    }
}

fn parse_month(raw: &str, flag: &str) -> Result<Period, PipelineError> {
    match parse_period(raw.trim()) {
        Ok(p) if p.kind == PeriodKind::Bulan => Ok(p),
        _ => Err(PipelineError::Usage(format!("{flag} `{raw}` harus YYYY-MM / must be YYYY-MM"))),
    }
}

/// The months of `--backfill A..B`, in order.
pub fn backfill_months(raw: &str) -> Result<Vec<Period>, PipelineError> {
    let bad = || {
        PipelineError::Usage(format!("--backfill `{raw}` harus YYYY-MM..YYYY-MM / must be YYYY-MM..YYYY-MM"))
    };
    let (a, b) = raw.split_once("..").ok_or_else(bad)?;
    let (a, b) = (parse_month(a, "--backfill")?, parse_month(b, "--backfill")?);
    let (ka, kb) = (i64::from(a.month_key()), i64::from(b.month_key()));
    if kb < ka || kb - ka > 600 {
        return Err(bad());
    }
    Ok((ka..=kb).map(Period::from_month_key).collect())
}

/// A path from the config file: relative to the config file's folder, `..` resolved lexically.
fn from_config(config: Option<&Path>, p: &Path) -> PathBuf {
    let joined = match config.and_then(Path::parent) {
        Some(dir) if p.is_relative() && !dir.as_os_str().is_empty() => dir.join(p),
        _ => p.to_path_buf(),
    };
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir
                if out.file_name().is_some()
                    && out.components().next_back() != Some(std::path::Component::ParentDir) =>
            {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// The analysis options of one run, from the flags and the (spec-applied) config.
fn options(a: &RunRequest, cfg: &Config, period: &Period) -> Result<AnalysisOptions, PipelineError> {
    let ac = &cfg.analysis;
    // `--subgroups ""` asks for none.
    let subgroups: Vec<String> = match &a.subgroups {
        Some(v) => v.iter().filter(|s| !s.trim().is_empty()).cloned().collect(),
        None => ac.subgroups.clone(),
    };
    if let Some(d) =
        subgroups.iter().find(|d| !mutasi_analysis::analyses::SUBGROUP_DIMENSIONS.contains(&d.as_str()))
    {
        return Err(PipelineError::Usage(format!(
            "--subgroups: `{d}` tidak dikenal / unknown (kenal / known: jenis_mutasi, jenis_unit_tujuan, diminta, pelatihan; \"\" = tanpa / none)"
        )));
    }
    Ok(AnalysisOptions {
        outcomes: if a.outcomes.is_empty() { ac.outcomes.clone() } else { a.outcomes.clone() },
        subgroups,
        until: Some(i64::from(period.month_key())),
        windows: WindowOptions {
            pre: ac.pre,
            post: ac.post,
            min_obs: ac.min_obs,
            min_group: ac.min_group,
            bootstrap: a.bootstrap.unwrap_or(ac.bootstrap),
            until: Some(i64::from(period.month_key())),
            ..WindowOptions::default()
        },
        min_e: ac.min_e,
        max_e: ac.max_e,
        min_treated: ac.min_treated,
        min_cell: ac.min_group,
        standardize: a.standardize || ac.standardize,
        training_months: ac.training_months,
        control: control_of("analysis.control", &ac.control)
            .map_err(|e| PipelineError::Usage(e.to_string()))?,
        ikm: IkmOptions {
            period: cfg.service.period().map_err(|e| PipelineError::Usage(e.to_string()))?,
            population_indikator: cfg.service.population_indikator.clone(),
            reported_indikator: cfg.service.reported_indikator.clone(),
            weights: cfg.service.unsur_weights.clone(),
            until: Period::month(period.year, period.index).end(),
            grading_9: cfg.service.mutu_9,
            grading_14: cfg.service.mutu_14,
        },
        movement: MovementOptions {
            blackouts: cfg.movement.blackouts().map_err(|e| PipelineError::Usage(e.to_string()))?,
            until: Period::month(period.year, period.index).end(),
            presence_indikator: cfg.movement.presence_indikator.clone(),
        },
        requests: RequestOptions {
            until: Period::month(period.year, period.index).end(),
            min_group: ac.min_group,
            blackouts: cfg.movement.blackouts().map_err(|e| PipelineError::Usage(e.to_string()))?,
            window_days: cfg.requests.window_days,
            cpns_min_years: cfg.requests.cpns_min_years,
            ..RequestOptions::default()
        },
        units: UnitOptions {
            presence_indikator: cfg.movement.presence_indikator.clone(),
            indikator: cfg.service.unit_indikator.clone(),
            control: control_of("service.unit_control", &cfg.service.unit_control)
                .map_err(|e| PipelineError::Usage(e.to_string()))?,
            analyses: cfg.service.unit_analyses().map_err(|e| PipelineError::Usage(e.to_string()))?,
            window_months: cfg.service.unit_window_months,
            min_treated_units: cfg.service.min_treated_units,
            until: Period::month(period.year, period.index).end(),
            ..UnitOptions::default()
        },
        ..AnalysisOptions::default()
    })
}

/// Everything resolved once for a whole invocation (one or several months).
#[derive(Clone)]
struct Plan {
    cfg: Config,
    spec: Option<ReportSpec>,
    /// Specs written into `<period>/laporan/<name>/` (config `run.reports`).
    reports: Vec<(PathBuf, ReportSpec)>,
    input: PathBuf,
    root: PathBuf,
    queries: Option<PathBuf>,
    report_lang: Option<Lang>,
    lang: Lang,
    force: bool,
    on_failure: Option<String>,
    /// Files besides the exports that shape the outputs (config, specs, SQL), for the manifest.
    declared: Vec<PathBuf>,
}

fn plan(a: &RunRequest) -> Result<Plan, PipelineError> {
    let usage = |e: mutasi_domain::config::ConfigError| PipelineError::Usage(e.to_string());
    let config_path = a.config.as_deref();
    let mut base = match config_path {
        Some(p) => Config::load(p).map_err(usage)?,
        None => Config::default(),
    };
    // The manifest records the settings the run used.
    if let Some(n) = a.bootstrap {
        base.analysis.bootstrap = n;
    }
    let input = a
        .input
        .clone()
        .or_else(|| base.run.input.as_ref().map(|p| from_config(config_path, p)))
        .ok_or_else(|| {
            PipelineError::Usage(
                "--input belum diberikan / missing\n\nhint: --input FOLDER, MUTASI_INPUT, atau / or [run] input di mutasi.toml".into(),
            )
        })?;
    let out = a
        .out
        .clone()
        .or_else(|| base.run.out.as_ref().map(|p| from_config(config_path, p)))
        .ok_or_else(|| {
            PipelineError::Usage("--out belum diberikan / missing\n\nhint: --out FOLDER, MUTASI_OUT, atau / or [run] out di mutasi.toml".into())
        })?;
    let lang = match a.lang {
        Some(l) => l,
        None => Lang::parse(&base.run.lang).ok_or_else(|| {
            PipelineError::Usage(format!("run.lang `{}` harus id atau en / must be id or en", base.run.lang))
        })?,
    };
    let spec = match &a.spec {
        Some(p) => Some(ReportSpec::load(p).map_err(usage)?),
        None => None,
    };
    let mut reports = Vec::new();
    if spec.is_none() && a.report_lang.is_none() {
        for p in &base.run.reports {
            let p = from_config(config_path, p);
            let s = ReportSpec::load(&p).map_err(usage)?;
            if reports.iter().any(|(_, r): &(PathBuf, ReportSpec)| r.report.name == s.report.name) {
                return Err(PipelineError::Usage(format!(
                    "run.reports: dua spesifikasi bernama `{}` / two specs named `{}`",
                    s.report.name, s.report.name
                )));
            }
            reports.push((p, s));
        }
    }
    let cfg = match &spec {
        Some(s) => s.apply(base.clone()).map_err(usage)?,
        None => base.clone(),
    };
    let root = spec.as_ref().map_or(out.clone(), |s| out.join(&s.report.name));
    let queries = match a.queries.clone().or(cfg.queries.dir.as_ref().map(|p| from_config(config_path, p))) {
        Some(q) if !q.is_dir() => {
            return Err(PipelineError::Usage(format!(
                "folder kueri {} tidak ada / queries folder not found",
                q.display()
            )));
        }
        Some(q) => Some(q),
        None => Some(PathBuf::from("queries")).filter(|q| q.is_dir()),
    };
    let mut declared: Vec<PathBuf> = config_path.map(Path::to_path_buf).into_iter().collect();
    declared.extend(a.spec.iter().cloned());
    declared.extend(reports.iter().map(|(p, _)| p.clone()));
    if let Some(q) = &queries {
        declared.extend(manifest::files_under(q).into_iter().map(|f| q.join(f)));
    }
    Ok(Plan {
        force: a.force || cfg.gates.force,
        on_failure: a.on_failure.clone().or(cfg.run.on_failure.clone()).filter(|c| !c.trim().is_empty()),
        cfg,
        spec,
        reports,
        input,
        root,
        queries,
        report_lang: a.report_lang,
        lang,
        declared,
    })
}

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
    let parts = partition::discover(&p.input).map_err(PipelineError::Usage)?;
    if parts.is_empty() && !a.only.is_empty() {
        return Err(PipelineError::Usage(format!(
            "--only: {} tidak berpartisi / is not partitioned\n\nhint: folder masukan berpartisi berisi sub-folder kunci=nilai, mis. instansi=8171/ / a partitioned input holds key=value folders",
            p.input.display()
        )));
    }
    let result = if parts.is_empty() {
        run_locked(a, &p, &periods)
    } else {
        let parts = partition::select(parts, &a.only).map_err(PipelineError::Usage)?;
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
        return Err(match first {
            PipelineError::Data(_) => PipelineError::Data(message),
            PipelineError::Usage(_) => PipelineError::Usage(message),
            _ => PipelineError::Internal(message),
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
    let json = serde_json::to_string_pretty(&summary).map_err(|e| PipelineError::Internal(e.to_string()))?;
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
    let held = lock(&p.root).map_err(|e| PipelineError::Usage(e.to_string()))?;
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

enum Built {
    Ready,
    /// A gate failed (and `--force` was not given): nothing is published.
    Rejected(String, String),
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
    let staging = staging_for(&target).map_err(PipelineError::Internal)?;
    let result = build(a, p, period, &staging);
    match result {
        Ok(Built::Ready) => {
            publish(&staging, &target).map_err(PipelineError::Internal)?;
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
                std::fs::rename(&staging, &kept)
                    .map_err(|e| PipelineError::Internal(format!("{}: {e}", kept.display())))?;
                tracing::warn!(
                    "laporan gagal / failed report (tidak diterbitkan / not published): {}",
                    kept.display()
                );
            } else {
                let _ = std::fs::remove_dir_all(&staging);
            }
            let failed = FailedReport { periode: name.clone(), gerbang: gate, alasan: reason.clone() };
            let path = root.join(format!("{name}.failed.json"));
            let json =
                serde_json::to_string_pretty(&failed).map_err(|e| PipelineError::Internal(e.to_string()))?;
            std::fs::write(&path, json.clone() + "\n")
                .map_err(|e| PipelineError::Internal(format!("{}: {e}", path.display())))?;
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

/// The latest kinerja month (month key) in the validated tables, up to `until`.
fn latest_kinerja(validated: &Path, until: i64) -> Result<Option<i64>, PipelineError> {
    let path = validated.join("kinerja.parquet");
    if !path.exists() {
        return Ok(None);
    }
    // Inside a run, the table the validation wrote and kept (`data::cache`).
    let t = mutasi_io::data::table::read_columns_shared(&path, &["periode_mulai", "jenis_periode"])
        .map_err(PipelineError::Data)?;
    let starts = t.date_column("periode_mulai", &path).map_err(PipelineError::Data)?;
    let mut latest: Option<i64> = None;
    for (i, d) in starts.iter().enumerate() {
        let Some(d) = d else { continue };
        let months = match t.str_at("jenis_periode", i) {
            Some("tahun") => 12,
            Some("semester") => 6,
            Some("triwulan") => 3,
            _ => 1,
        };
        let end = i64::from(d.year()) * 12 + i64::from(d.month0()) + months - 1;
        if end <= until {
            latest = latest.max(Some(end));
        }
    }
    Ok(latest)
}

/// The latest published period before `period` in `root`, with its rows per table.
fn previous_period(root: &Path, period: &str) -> Option<(String, BTreeMap<String, u64>)> {
    let mut names: Vec<String> = std::fs::read_dir(root)
        .ok()?
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.len() == 7 && n.as_str() < period && parse_period(n).is_ok())
        .collect();
    names.sort();
    names
        .into_iter()
        .rev()
        .find_map(|n| Some((n.clone(), manifest::previous_counts(&root.join(&n).join("manifest.json"))?)))
}

/// Validation, gates, analyses, queries, reports and the manifest, into `staging`.
fn build(a: &RunRequest, p: &Plan, period: &Period, staging: &Path) -> Result<Built, PipelineError> {
    let started = chrono::Utc::now();
    let mut stages: Vec<Stage> = Vec::new();
    let mut current = Some(StageProgress::start("validasi"));
    let mut lap = |stages: &mut Vec<Stage>, next: Option<&str>| {
        if let Some(done) = current.take() {
            let tahap = done.name().to_string();
            stages.push(Stage { tahap, detik: done.finish() });
        }
        current = next.map(StageProgress::start);
    };
    let name = period.label();
    tracing::info!(periode = %name, "mulai / start");
    // The month's analyses and reports read the same validated files many times: each distinct
    // read is decoded once while this month is built, then freed.
    let _reads = mutasi_io::data::cache::ReadCache::scope();
    // The month's reports share some charts: each distinct one is rasterised once.
    let _pngs = mutasi_report::png_memo::PngMemo::scope();
    let validated = staging.join("validated");
    std::fs::create_dir_all(&validated)
        .map_err(|e| PipelineError::Internal(format!("{}: {e}", validated.display())))?;
    let (summary, key_info) = validate_into(&p.input, &p.cfg, &validated, a.with_identities)?;
    announce_key(&key_info);
    let identities = a.with_identities || p.cfg.privacy.include_identities;
    lap(&mut stages, Some("gerbang"));

    // Gates on the data themselves, before any analysis.
    let mut gate_list =
        vec![gates::reject_rate(summary.baris_dibaca, summary.baris_ditolak, summary.rasio_tolak_maksimum)];
    let key = i64::from(period.month_key());
    gate_list.push(gates::freshness(latest_kinerja(&validated, key)?, key, p.cfg.gates.freshness_lag_months));
    let rows: BTreeMap<String, u64> =
        summary.baris_tabel_kanonik.iter().map(|(k, v)| (k.clone(), *v as u64)).collect();
    let previous = previous_period(&p.root, &name);
    gate_list.push(gates::volume(
        &rows,
        previous.as_ref().map(|(n, c)| (n.as_str(), c)),
        p.cfg.gates.volume_band,
    ));
    lap(&mut stages, Some("analisis"));
    if !p.force
        && let Some(g) = gate_list.iter().find(|g| !g.lulus)
    {
        return Ok(Built::Rejected(g.nama.clone(), g.keterangan.clone()));
    }
    let mut banners: Vec<String> = Vec::new();
    if identities {
        banners.push(
            "keluaran bulan ini memuat NIP dan nama (--include-identifiers): data pribadi, UU 27/2022 / this month's outputs hold NIPs and names: personal data".into(),
        );
    }
    let mut warnings: Vec<String> = gate_list.iter().filter(|g| !g.lulus).map(gates::Gate::forced).collect();

    // What every report shows at its top: identities included, gates overridden.
    let notices: Vec<String> = banners.iter().chain(&warnings).cloned().collect();
    // The run's own analyses (scoped when it is a single spec's run), then the config's specs.
    let own =
        analyze(a, p, &p.cfg, p.spec.as_ref(), period, &validated, staging, p.report_lang, &notices, None)?;
    let mut checks = own.checks.clone();
    // A spec over everything with the run's own analysis settings needs no second computation.
    let own_options = options(a, &p.cfg, period)?;
    let own_everything = p.spec.as_ref().is_none_or(|s| s.scope.is_everything());
    let mut names = p
        .reports
        .iter()
        .map(|(_, s)| format!("laporan {}", s.report.name))
        .chain(std::iter::once("manifest".to_string()));
    let next = names.next();
    lap(&mut stages, next.as_deref());
    stages.extend(own.timings.stages("analisis"));
    for (_, spec) in &p.reports {
        let cfg = spec.apply(p.cfg.clone()).map_err(|e| PipelineError::Usage(e.to_string()))?;
        let dir = staging.join("laporan").join(&spec.report.name);
        std::fs::create_dir_all(&dir)
            .map_err(|e| PipelineError::Internal(format!("{}: {e}", dir.display())))?;
        let same = own_everything && spec.scope.is_everything() && options(a, &cfg, period)? == own_options;
        let reuse = same.then_some(Reuse { dir: staging, notes: &own.notes, checks: &own.checks });
        let done = analyze(a, p, &cfg, Some(spec), period, &validated, &dir, Some(p.lang), &notices, reuse)?;
        let (sub, parts) = (done.checks, done.timings);
        checks.extend(sub.into_iter().map(|mut q| {
            q.berkas = format!("laporan/{}: {}", spec.report.name, q.berkas);
            q
        }));
        let next = names.next();
        lap(&mut stages, next.as_deref());
        stages.extend(parts.stages(&format!("laporan {}", spec.report.name)));
    }
    let check_gate = gates::checks(&checks);
    if !check_gate.lulus {
        if !p.force {
            return Ok(Built::Rejected(check_gate.nama, check_gate.keterangan));
        }
        warnings.push(check_gate.forced());
    }
    gate_list.push(check_gate);
    std::fs::write(staging.join(MARKER), "").map_err(|e| PipelineError::Internal(e.to_string()))?;

    // The manifest, last.
    let counts: BTreeMap<String, (u64, u64, u64)> = summary
        .berkas
        .iter()
        .map(|f| (f.berkas.clone(), (f.baris_dibaca, f.baris_diterima, f.baris_ditolak)))
        .collect();
    let masukan = manifest::inputs(&p.input, &counts, &p.declared).map_err(PipelineError::Internal)?;
    lap(&mut stages, None);
    let m = Manifest {
        periode: name.clone(),
        versi: env!("CARGO_PKG_VERSION").into(),
        git_commit: manifest::git_commit().map(String::from),
        dibuat: started.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        dipaksa: !warnings.is_empty(),
        peringatan: warnings,
        masukan,
        baris_per_tabel: rows,
        konfigurasi: serde_json::to_value(&p.cfg).map_err(|e| PipelineError::Internal(e.to_string()))?,
        identitas_disertakan: identities,
        kunci_pseudonim: key_info,
        tahap: stages,
        gerbang: gate_list,
        cek: checks,
        keluaran: manifest::outputs(staging).map_err(PipelineError::Internal)?,
    };
    manifest::write(staging, &m).map_err(PipelineError::Internal)?;
    Ok(Built::Ready)
}

/// Analyses, queries, `run.json` and (with `report`) the report of one scope into `dir`, from
/// the validated tables. Returns the query results (checks included).
/// What one [`analyze`] produced: the query results (checks included), the analyses' notes and
/// where the time went. A later spec with the same options and scope reuses it ([`Reuse`]).
struct Analyzed {
    checks: Vec<QueryResult>,
    notes: Notes,
    timings: AnalyzeTimings,
}

/// Outputs already computed for the same tables and options: a city-wide report spec whose
/// analysis settings equal the run's own links the run's files instead of computing them twice.
struct Reuse<'a> {
    dir: &'a Path,
    notes: &'a Notes,
    checks: &'a [QueryResult],
}

/// Seconds per part of one [`analyze`]: the analyses' own parts, the SQL queries, the report.
#[derive(Debug, Clone, Copy, Default)]
struct AnalyzeTimings {
    analyses: analyses::Timings,
    queries: f64,
    report: f64,
}

impl AnalyzeTimings {
    /// The manifest's sub-stages of `prefix` (`analisis`, or a report's stage).
    fn stages(&self, prefix: &str) -> Vec<Stage> {
        [
            ("deskriptif", self.analyses.descriptive),
            ("panel", self.analyses.panel),
            ("estimator", self.analyses.estimators),
            ("kueri", self.queries),
            ("laporan", self.report),
        ]
        .into_iter()
        .map(|(part, detik)| Stage {
            tahap: format!("{prefix}/{part}"),
            detik: (detik * 1000.0).round() / 1000.0,
        })
        .collect()
    }
}

#[allow(clippy::too_many_arguments)]
fn analyze(
    a: &RunRequest,
    p: &Plan,
    cfg: &Config,
    spec: Option<&ReportSpec>,
    period: &Period,
    validated: &Path,
    dir: &Path,
    report: Option<Lang>,
    warnings: &[String],
    reuse: Option<Reuse<'_>>,
) -> Result<Analyzed, PipelineError> {
    let name = period.label();
    let opts = options(a, cfg, period)?;
    // A report spec's scope: the analyses read restricted copies of the tables (`cakupan/`).
    let source = match spec.filter(|s| !s.scope.is_everything()) {
        Some(s) => {
            let scoped = dir.join("cakupan");
            write_scoped(validated, &s.scope, &scoped).map_err(PipelineError::Data)?;
            scoped
        }
        None => validated.to_path_buf(),
    };
    let queries_started;
    let (notes, queries) = if let Some(r) = &reuse {
        link_outputs(r.dir, dir).map_err(PipelineError::Internal)?;
        queries_started = std::time::Instant::now();
        (Notes { timings: analyses::Timings::default(), ..r.notes.clone() }, r.checks.to_vec())
    } else {
        let notes: Notes = analyses::run(&source, dir, &opts).map_err(PipelineError::Data)?;
        queries_started = std::time::Instant::now();
        // SQL summary tables and checks over the tables and the analysis outputs.
        let queries = match &p.queries {
            Some(qdir) => {
                let mut tables: Vec<(String, PathBuf)> = Vec::new();
                for d in [source.as_path(), dir] {
                    let mut files: Vec<PathBuf> = std::fs::read_dir(d)
                        .map_err(|e| PipelineError::Internal(format!("{}: {e}", d.display())))?
                        .filter_map(|e| e.ok().map(|e| e.path()))
                        .filter(|p| p.extension().is_some_and(|x| x == "parquet"))
                        .collect();
                    files.sort();
                    for f in files {
                        let n = f.file_stem().map(|s| s.to_string_lossy().to_lowercase()).unwrap_or_default();
                        if !tables.iter().any(|(t, _)| *t == n) {
                            tables.push((n, f));
                        }
                    }
                }
                run_queries(qdir, &tables, &dir.join("kueri"), opts.min_cell as u64)
                    .map_err(PipelineError::Data)?
            }
            None => Vec::new(),
        };
        (notes, queries)
    };
    let mut timings = AnalyzeTimings {
        analyses: notes.timings,
        queries: queries_started.elapsed().as_secs_f64(),
        report: 0.0,
    };
    let run_json = RunReport {
        laporan: spec.map(|s| ReportInfo {
            nama: s.report.name.clone(),
            judul: s.report.title.clone(),
            opd: s.scope.opd.clone(),
            jenis_unit: s.scope.jenis_unit.clone(),
        }),
        periode: name.clone(),
        versi: env!("CARGO_PKG_VERSION").to_string(),
        keluaran: [
            "transfer_windows",
            "prepost_summary",
            "ikm_per_unit",
            "att_gt",
            "aggregates",
            "event_study",
        ]
        .iter()
        .map(|f| format!("{f}.parquet"))
        .collect(),
        opsi: OptionsReport {
            outcomes: opts.outcomes.clone(),
            subgroups: opts.subgroups.clone(),
            pre: opts.windows.pre,
            post: opts.windows.post,
            min_obs: opts.windows.min_obs,
            min_e: opts.min_e,
            max_e: opts.max_e,
            min_treated: opts.min_treated,
            min_group: opts.min_cell,
            standardize: opts.standardize,
            bootstrap: opts.windows.bootstrap,
            control: cfg.analysis.control.clone(),
            base_period: "varying".into(),
            method: "dr".into(),
        },
        estimasi: notes.estimates.clone(),
        efek_unit: notes.units.clone(),
        kueri: queries.clone(),
    };
    let json = serde_json::to_string_pretty(&run_json).map_err(|e| PipelineError::Internal(e.to_string()))?;
    std::fs::write(dir.join("run.json"), json + "\n").map_err(|e| PipelineError::Internal(e.to_string()))?;
    if let Some(lang) = report {
        let ctx = ReportContext {
            title: pick(
                spec.map_or("Laporan mutasi ASN / ASN transfer report", |s| s.report.title.as_str()),
                lang,
            ),
            description: pick(spec.map_or("", |s| s.report.description.as_str()), lang),
            period: name,
            lang,
            k: opts.min_cell as u64,
            pre: opts.windows.pre,
            post: opts.windows.post,
            min_e: opts.min_e,
            max_e: opts.max_e,
            min_treated: opts.min_treated,
            control: cfg.analysis.control.clone(),
            outcomes: opts.outcomes.clone(),
            scope_opd: spec.map(|s| s.scope.opd.clone()).unwrap_or_default(),
            estimates: notes.estimates.clone(),
            unit_notes: notes.units.clone(),
            checks: queries.clone(),
            warnings: {
                // A failing check is known here, before the report is written: with --force the
                // report is published, so it carries the failure at the top.
                let mut w = warnings.to_vec();
                let gate = gates::checks(&queries);
                if p.force && !gate.lulus {
                    w.push(gate.forced());
                }
                w
            },
        };
        let started = std::time::Instant::now();
        build_report(dir, &source, &ctx).map_err(PipelineError::Data)?;
        timings.report = started.elapsed().as_secs_f64();
    }
    Ok(Analyzed { checks: queries, notes, timings })
}

/// Hard-links (or copies, across file systems) the analysis tables and query results of `from`
/// into `to`: the same bytes a second computation would write.
fn link_outputs(from: &Path, to: &Path) -> Result<(), String> {
    let link = |src: &Path, dst: &Path| {
        std::fs::hard_link(src, dst)
            .or_else(|_| std::fs::copy(src, dst).map(|_| ()))
            .map_err(|e| format!("{}: {e}", dst.display()))
    };
    for sub in ["", "kueri"] {
        let (src_dir, dst_dir) = (from.join(sub), to.join(sub));
        let Ok(entries) = std::fs::read_dir(&src_dir) else { continue };
        std::fs::create_dir_all(&dst_dir).map_err(|e| format!("{}: {e}", dst_dir.display()))?;
        let mut files: Vec<PathBuf> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "parquet"))
            .collect();
        files.sort();
        for f in files {
            if let Some(name) = f.file_name() {
                link(&f, &dst_dir.join(name))?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_paths_are_relative_to_the_file() {
        let cfg = Path::new("/etc/mutasi/mutasi.toml");
        assert_eq!(from_config(Some(cfg), Path::new("../data/in")), PathBuf::from("/etc/data/in"));
        assert_eq!(from_config(Some(cfg), Path::new("/srv/in")), PathBuf::from("/srv/in"));
        assert_eq!(from_config(Some(Path::new("mutasi.toml")), Path::new("./in")), PathBuf::from("in"));
        assert_eq!(
            from_config(Some(Path::new("a/mutasi.toml")), Path::new("../../x")),
            PathBuf::from("../x")
        );
        let months: Vec<String> =
            backfill_months("2025-11..2026-02").expect("range").iter().map(|p| p.label()).collect();
        assert_eq!(months, ["2025-11", "2025-12", "2026-01", "2026-02"]);
        assert!(backfill_months("2026-02").is_err());
    }
}
