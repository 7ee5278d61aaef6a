//! `mutasi run`: one month's pipeline — validation and every analysis — published all or nothing
//! into `<out>/<period>/` (see [`crate::pipeline`]).

use std::path::{Path, PathBuf};

use chrono::Datelike;
use clap::Args;
use serde::Serialize;

use super::validate::validate_into;
use super::{Failure, Outcome};
use crate::config::{Config, control_of};
use crate::estimate::prepost::WindowOptions;
use crate::movement::MovementOptions;
use crate::normalize::period::{Period, PeriodKind, parse_period};
use crate::pipeline::analyses::{self, AnalysisOptions, EstimateNote, Notes};
use crate::pipeline::publish::{publish, staging_for};
use crate::pipeline::scope::write_scoped;
use crate::pipeline::spec::ReportSpec;
use crate::queries::{QueryResult, run_queries};
use crate::report::content::pick;
use crate::report::i18n::Lang;
use crate::report::{ReportContext, build as build_report};
use crate::requests::RequestOptions;
use crate::service::ikm_table::IkmOptions;
use crate::service::unit_effects::{UnitNote, UnitOptions};

#[derive(Debug, Args)]
pub struct RunArgs {
    /// Folder berisi ekspor / Folder with the exports (pegawai, unit_kerja, mutasi, kinerja, …).
    #[arg(long)]
    pub input: PathBuf,
    /// Folder keluaran; hasil periode di <out>/<periode>/ / Output folder; the period goes to
    /// <out>/<period>/.
    #[arg(long)]
    pub out: PathBuf,
    /// Bulan laporan / Report month (YYYY-MM); data sesudahnya diabaikan / later data are ignored
    /// [default: the last complete month].
    #[arg(long)]
    pub period: Option<String>,
    /// Berkas konfigurasi / Config file (mutasi.toml).
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Indikator yang diestimasi / Kinerja indicators to estimate (comma-separated; default: every
    /// monthly indicator, or `analysis.outcomes`).
    #[arg(long, value_delimiter = ',')]
    pub outcomes: Vec<String>,
    /// Dimensi subkelompok / Subgroup dimensions (comma-separated: jenis_mutasi,
    /// jenis_unit_tujuan; "" for none; default `analysis.subgroups`, both).
    #[arg(long, value_delimiter = ',')]
    pub subgroups: Option<Vec<String>>,
    /// Standarkan hasil dalam unit dan bulan / Standardise outcomes within unit and month
    /// (z-scores) before estimating, neutralising forced rating distributions.
    #[arg(long)]
    pub standardize: bool,
    /// Spesifikasi laporan / Report spec (reports/*.toml): its scope and its [analysis], [service]
    /// and [movement] sections; outputs go to <out>/<name>/<period>/.
    #[arg(long)]
    pub spec: Option<PathBuf>,
    /// Folder kueri SQL / Folder of SQL queries and checks (default: `[queries] dir`, else
    /// ./queries when it exists).
    #[arg(long)]
    pub queries: Option<PathBuf>,
    /// Sertakan NIP dan nama di tabel tervalidasi / Write NIPs and names into the validated tables.
    #[arg(long)]
    pub with_identities: bool,
    /// Set by `mutasi report`: also write `report.html`, `report.xlsx` and the charts, in this
    /// language.
    #[arg(skip)]
    pub report_lang: Option<Lang>,
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
fn resolve_period(arg: Option<&str>) -> Result<Period, Failure> {
    match arg {
        Some(raw) => match parse_period(raw) {
            Ok(p) if p.kind == PeriodKind::Bulan => Ok(p),
            _ => Err(Failure::Usage(format!("--period `{raw}` harus YYYY-MM / must be YYYY-MM"))),
        },
        None => {
            let today = chrono::Local::now().date_naive();
            let (y, m) =
                if today.month() == 1 { (today.year() - 1, 12) } else { (today.year(), today.month() - 1) };
            Ok(Period::month(y, m))
        }
    }
}

pub fn run(a: &RunArgs) -> Result<Outcome, Failure> {
    let base = match &a.config {
        Some(p) => Config::load(p).map_err(|e| Failure::Usage(e.to_string()))?,
        None => Config::default(),
    };
    let spec = match &a.spec {
        Some(p) => Some(ReportSpec::load(p).map_err(|e| Failure::Usage(e.to_string()))?),
        None => None,
    };
    let cfg = match &spec {
        Some(s) => s.apply(base).map_err(|e| Failure::Usage(e.to_string()))?,
        None => base,
    };
    let period = resolve_period(a.period.as_deref())?;
    let name = period.label();
    let ac = &cfg.analysis;
    // `--subgroups ""` asks for none.
    let subgroups: Vec<String> = match &a.subgroups {
        Some(v) => v.iter().filter(|s| !s.trim().is_empty()).cloned().collect(),
        None => ac.subgroups.clone(),
    };
    if let Some(d) =
        subgroups.iter().find(|d| !crate::pipeline::analyses::SUBGROUP_DIMENSIONS.contains(&d.as_str()))
    {
        return Err(Failure::Usage(format!(
            "--subgroups: `{d}` tidak dikenal / unknown (kenal / known: jenis_mutasi, jenis_unit_tujuan, diminta, pelatihan; \"\" = tanpa / none)"
        )));
    }
    let opts = AnalysisOptions {
        outcomes: if a.outcomes.is_empty() { ac.outcomes.clone() } else { a.outcomes.clone() },
        subgroups,
        until: Some(i64::from(period.month_key())),
        windows: WindowOptions {
            pre: ac.pre,
            post: ac.post,
            min_obs: ac.min_obs,
            min_group: ac.min_group,
            until: Some(i64::from(period.month_key())),
            ..WindowOptions::default()
        },
        min_e: ac.min_e,
        max_e: ac.max_e,
        min_treated: ac.min_treated,
        min_cell: ac.min_group,
        standardize: a.standardize || ac.standardize,
        training_months: ac.training_months,
        control: control_of("analysis.control", &ac.control).map_err(|e| Failure::Usage(e.to_string()))?,
        ikm: IkmOptions {
            period: cfg.service.period().map_err(|e| Failure::Usage(e.to_string()))?,
            population_indikator: cfg.service.population_indikator.clone(),
            reported_indikator: cfg.service.reported_indikator.clone(),
            weights: cfg.service.unsur_weights.clone(),
            until: Period::month(period.year, period.index).end(),
        },
        movement: MovementOptions {
            blackouts: cfg.movement.blackouts().map_err(|e| Failure::Usage(e.to_string()))?,
            until: Period::month(period.year, period.index).end(),
            presence_indikator: cfg.movement.presence_indikator.clone(),
        },
        requests: RequestOptions {
            until: Period::month(period.year, period.index).end(),
            min_group: ac.min_group,
            blackouts: cfg.movement.blackouts().map_err(|e| Failure::Usage(e.to_string()))?,
            window_days: cfg.requests.window_days,
            cpns_min_years: cfg.requests.cpns_min_years,
            ..RequestOptions::default()
        },
        units: UnitOptions {
            presence_indikator: cfg.movement.presence_indikator.clone(),
            indikator: cfg.service.unit_indikator.clone(),
            control: control_of("service.unit_control", &cfg.service.unit_control)
                .map_err(|e| Failure::Usage(e.to_string()))?,
            analyses: cfg.service.unit_analyses().map_err(|e| Failure::Usage(e.to_string()))?,
            window_months: cfg.service.unit_window_months,
            min_treated_units: cfg.service.min_treated_units,
            until: Period::month(period.year, period.index).end(),
            ..UnitOptions::default()
        },
        ..AnalysisOptions::default()
    };
    let root = spec.as_ref().map_or(a.out.clone(), |s| a.out.join(&s.report.name));
    let target = root.join(&name);
    if target.exists() && !target.join(MARKER).exists() {
        return Err(Failure::Usage(format!(
            "{} ada tetapi bukan hasil mutasi run / exists but was not written by mutasi run\n\nhint: pindahkan folder itu atau pilih --out lain / move it away or choose another --out",
            target.display()
        )));
    }
    let staging = staging_for(&target).map_err(Failure::Internal)?;
    let result = build(a, &cfg, &opts, &name, &staging, spec.as_ref());
    let outcome = match result {
        Ok(Built::Ready(all)) => {
            let notes = &all.estimates;
            publish(&staging, &target).map_err(Failure::Internal)?;
            let _ = std::fs::remove_file(root.join(format!("{name}.failed.json")));
            let _ = std::fs::remove_dir_all(root.join(format!("{name}.failed")));
            let ok = notes.iter().filter(|n| n.status == "ok").count();
            println!("Periode / period {name}: diterbitkan / published to {}", target.display());
            println!(
                "  {} estimasi / estimates, {} dilewati / skipped (lihat / see run.json)",
                ok,
                notes.len() - ok
            );
            let unit_ok = all.units.iter().filter(|n| n.status == "ok").count();
            println!(
                "  {} efek unit / unit effects, {} dilewati / skipped",
                unit_ok,
                all.units.len() - unit_ok
            );
            if a.report_lang.is_some() {
                println!("  laporan / report: {}", target.join("report.html").display());
                println!("  buku kerja / workbook: {}", target.join("report.xlsx").display());
            }
            println!(
                "  transfer_windows, prepost_summary, ikm_per_unit, unit_effects, movement_units, movement_opd, flows_opd,\n  transfer_compliance, mobility, permohonan_funnel, permohonan_fairness, permohonan_match,\n  permohonan_share, permohonan_rules, subgroup_differences, att_gt, aggregates, event_study\n  (.parquet), validated/, run.json"
            );
            Outcome::Success
        }
        Ok(Built::Rejected(gate, reason)) => {
            // A report that shows why the gate failed is kept beside, never published.
            let kept = root.join(format!("{name}.failed"));
            if staging.join("report.html").exists() {
                let _ = std::fs::remove_dir_all(&kept);
                std::fs::rename(&staging, &kept)
                    .map_err(|e| Failure::Internal(format!("{}: {e}", kept.display())))?;
                eprintln!(
                    "  laporan gagal / failed report (tidak diterbitkan / not published): {}",
                    kept.join("report.html").display()
                );
            } else {
                let _ = std::fs::remove_dir_all(&staging);
            }
            let failed = FailedReport { periode: name.clone(), gerbang: gate, alasan: reason.clone() };
            let path = root.join(format!("{name}.failed.json"));
            let json = serde_json::to_string_pretty(&failed).map_err(|e| Failure::Internal(e.to_string()))?;
            std::fs::write(&path, json + "\n")
                .map_err(|e| Failure::Internal(format!("{}: {e}", path.display())))?;
            eprintln!("Periode / period {name} tidak diterbitkan / not published: {reason}");
            eprintln!("  {}", path.display());
            Outcome::DataRejected
        }
        Err(e) => {
            let _ = std::fs::remove_dir_all(&staging);
            return Err(e);
        }
    };
    Ok(outcome)
}

enum Built {
    Ready(Notes),
    /// A gate failed (too many rejected rows, a data check): nothing is published.
    Rejected(String, String),
}

/// Validation and analyses into the staging folder.
fn build(
    a: &RunArgs,
    cfg: &Config,
    opts: &AnalysisOptions,
    name: &str,
    staging: &Path,
    spec: Option<&ReportSpec>,
) -> Result<Built, Failure> {
    let validated = staging.join("validated");
    std::fs::create_dir_all(&validated)
        .map_err(|e| Failure::Internal(format!("{}: {e}", validated.display())))?;
    let (summary, _) = validate_into(&a.input, cfg, &validated, a.with_identities)?;
    if !summary.lulus {
        return Ok(Built::Rejected(
            "rasio_tolak".into(),
            format!(
                "{} dari {} baris ditolak ({:.3}%), di atas batas / above the maximum {:.3}% (validate.max_reject_rate); lihat / see validated/rejects.csv",
                summary.baris_ditolak,
                summary.baris_dibaca,
                100.0 * summary.rasio_tolak,
                100.0 * summary.rasio_tolak_maksimum
            ),
        ));
    }
    // A report spec's scope: the analyses read restricted copies of the tables (`cakupan/`).
    let source = match spec.filter(|s| !s.scope.is_everything()) {
        Some(s) => {
            let dir = staging.join("cakupan");
            write_scoped(&validated, &s.scope, &dir).map_err(Failure::Data)?;
            dir
        }
        None => validated.clone(),
    };
    let notes = analyses::run(&source, staging, opts).map_err(Failure::Data)?;
    // SQL summary tables and checks over the tables and the analysis outputs.
    let qdir = a.queries.clone().or(cfg.queries.dir.clone()).unwrap_or_else(|| PathBuf::from("queries"));
    let queries = if qdir.is_dir() {
        let mut tables: Vec<(String, PathBuf)> = Vec::new();
        for dir in [source.as_path(), staging] {
            let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
                .map_err(|e| Failure::Internal(format!("{}: {e}", dir.display())))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "parquet"))
                .collect();
            files.sort();
            for p in files {
                let name = p.file_stem().map(|s| s.to_string_lossy().to_lowercase()).unwrap_or_default();
                if !tables.iter().any(|(n, _)| *n == name) {
                    tables.push((name, p));
                }
            }
        }
        run_queries(&qdir, &tables, &staging.join("kueri")).map_err(Failure::Data)?
    } else if a.queries.is_some() || cfg.queries.dir.is_some() {
        return Err(Failure::Usage(format!(
            "folder kueri {} tidak ada / queries folder not found",
            qdir.display()
        )));
    } else {
        Vec::new()
    };
    let failed: Vec<String> = queries
        .iter()
        .filter(|q| !q.lulus)
        .map(|q| format!("{} ({} baris / rows)", q.berkas, q.baris))
        .collect();
    let checks = queries.clone();
    let report = RunReport {
        laporan: spec.map(|s| ReportInfo {
            nama: s.report.name.clone(),
            judul: s.report.title.clone(),
            opd: s.scope.opd.clone(),
            jenis_unit: s.scope.jenis_unit.clone(),
        }),
        periode: name.to_string(),
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
            control: cfg.analysis.control.clone(),
            base_period: "varying".into(),
            method: "dr".into(),
        },
        estimasi: notes.estimates.clone(),
        efek_unit: notes.units.clone(),
        kueri: queries,
    };
    let json = serde_json::to_string_pretty(&report).map_err(|e| Failure::Internal(e.to_string()))?;
    std::fs::write(staging.join("run.json"), json + "\n").map_err(|e| Failure::Internal(e.to_string()))?;
    std::fs::write(staging.join(MARKER), "").map_err(|e| Failure::Internal(e.to_string()))?;
    if let Some(lang) = a.report_lang {
        let ctx = ReportContext {
            title: pick(
                spec.map_or("Laporan mutasi ASN / ASN transfer report", |s| s.report.title.as_str()),
                lang,
            ),
            description: pick(spec.map_or("", |s| s.report.description.as_str()), lang),
            period: name.to_string(),
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
            checks,
        };
        build_report(staging, &source, &ctx).map_err(Failure::Data)?;
    }
    if !failed.is_empty() {
        return Ok(Built::Rejected(
            "cek".into(),
            format!("cek data gagal / data checks failed: {}", failed.join(", ")),
        ));
    }
    Ok(Built::Ready(notes))
}
