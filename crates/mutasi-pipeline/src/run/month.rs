//! One month built into a staging folder: validation, gates, every analysis, the SQL queries and
//! checks, each report spec (reusing the run's own outputs when a spec would compute the same),
//! and `manifest.json` last.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::Datelike;

use super::plan::{Plan, options};
use super::run_json::{OptionsReport, ReportInfo, RunReport};
use super::{MARKER, RunRequest};
use crate::error::PipelineError;
use crate::gates;
use crate::manifest::{self, Manifest, Stage};
use crate::scope::write_scoped;
use crate::spec::ReportSpec;
use crate::stage::StageProgress;
use crate::validation::{announce_key, validate_into};
use mutasi_analysis::analyses::{self, Notes};
use mutasi_analysis::queries::{QueryResult, run_queries};
use mutasi_domain::config::Config;
use mutasi_domain::normalize::period::{Period, parse_period};
use mutasi_report::content::pick;
use mutasi_report::i18n::Lang;
use mutasi_report::{ReportContext, build as build_report};

/// How building a month ended (an error aside).
pub(crate) enum Built {
    Ready,
    /// A gate failed (and `--force` was not given): nothing is published.
    Rejected(String, String),
}

/// The latest kinerja month (month key) in the validated tables, up to `until`.
pub(crate) fn latest_kinerja(validated: &Path, until: i64) -> Result<Option<i64>, PipelineError> {
    let path = validated.join("kinerja.parquet");
    if !path.exists() {
        return Ok(None);
    }
    // Inside a run, the table the validation wrote and kept (`data::cache`).
    let t = mutasi_io::data::table::read_columns_shared(&path, &["periode_mulai", "jenis_periode"])?;
    let starts = t.date_column("periode_mulai", &path)?;
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
pub(crate) fn previous_period(root: &Path, period: &str) -> Option<(String, BTreeMap<String, u64>)> {
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
pub(crate) fn build(
    a: &RunRequest,
    p: &Plan,
    period: &Period,
    staging: &Path,
) -> Result<Built, PipelineError> {
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
    std::fs::create_dir_all(&validated).map_err(PipelineError::io(&validated))?;
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
        let cfg = spec.apply(p.cfg.clone())?;
        let dir = staging.join("laporan").join(&spec.report.name);
        std::fs::create_dir_all(&dir).map_err(PipelineError::io(&dir))?;
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
    let marker = staging.join(MARKER);
    std::fs::write(&marker, "").map_err(PipelineError::io(&marker))?;

    // The manifest, last.
    let counts: BTreeMap<String, (u64, u64, u64)> = summary
        .berkas
        .iter()
        .map(|f| (f.berkas.clone(), (f.baris_dibaca, f.baris_diterima, f.baris_ditolak)))
        .collect();
    let masukan = manifest::inputs(&p.input, &counts, &p.declared)?;
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
        konfigurasi: serde_json::to_value(&p.cfg)?,
        identitas_disertakan: identities,
        kunci_pseudonim: key_info,
        tahap: stages,
        gerbang: gate_list,
        cek: checks,
        keluaran: manifest::outputs(staging)?,
    };
    manifest::write(staging, &m)?;
    Ok(Built::Ready)
}

/// Analyses, queries, `run.json` and (with `report`) the report of one scope into `dir`, from
/// the validated tables. Returns the query results (checks included).
/// What one [`analyze`] produced: the query results (checks included), the analyses' notes and
/// where the time went. A later spec with the same options and scope reuses it ([`Reuse`]).
pub(crate) struct Analyzed {
    checks: Vec<QueryResult>,
    notes: Notes,
    timings: AnalyzeTimings,
}

/// Outputs already computed for the same tables and options: a city-wide report spec whose
/// analysis settings equal the run's own links the run's files instead of computing them twice.
pub(crate) struct Reuse<'a> {
    dir: &'a Path,
    notes: &'a Notes,
    checks: &'a [QueryResult],
}

/// Seconds per part of one [`analyze`]: the analyses' own parts, the SQL queries, the report.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct AnalyzeTimings {
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
pub(crate) fn analyze(
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
            // Of what the month holds, the scope needs only the validated tables it copies.
            mutasi_io::data::cache::keep_only(|f| f.starts_with(validated));
            write_scoped(validated, &s.scope, &scoped)?;
            // The scope's analyses read its copies: the whole kinerja table (the month's largest
            // by far) is not read again, so it is freed now rather than at the month's end.
            mutasi_io::data::cache::forget(&validated.join("kinerja.parquet"));
            scoped
        }
        None => validated.to_path_buf(),
    };
    let queries_started;
    let (notes, queries) = if let Some(r) = &reuse {
        link_outputs(r.dir, dir)?;
        queries_started = std::time::Instant::now();
        (Notes { timings: analyses::Timings::default(), ..r.notes.clone() }, r.checks.to_vec())
    } else {
        let notes: Notes = analyses::run(&source, dir, &opts)?;
        queries_started = std::time::Instant::now();
        // SQL summary tables and checks over the tables and the analysis outputs.
        let queries = match &p.queries {
            Some(qdir) => {
                let mut tables: Vec<(String, PathBuf)> = Vec::new();
                for d in [source.as_path(), dir] {
                    let mut files: Vec<PathBuf> = std::fs::read_dir(d)
                        .map_err(PipelineError::io(d))?
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
                run_queries(qdir, &tables, &dir.join("kueri"), opts.min_cell as u64)?
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
    let json = serde_json::to_string_pretty(&run_json)?;
    let run_json_path = dir.join("run.json");
    std::fs::write(&run_json_path, json + "\n").map_err(PipelineError::io(&run_json_path))?;
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
        build_report(dir, &source, &ctx)?;
        timings.report = started.elapsed().as_secs_f64();
    }
    Ok(Analyzed { checks: queries, notes, timings })
}

/// Hard-links (or copies, across file systems) the analysis tables and query results of `from`
/// into `to`: the same bytes a second computation would write.
pub(crate) fn link_outputs(from: &Path, to: &Path) -> Result<(), PipelineError> {
    let link = |src: &Path, dst: &Path| {
        std::fs::hard_link(src, dst)
            .or_else(|_| std::fs::copy(src, dst).map(|_| ()))
            .map_err(PipelineError::io(dst))
    };
    for sub in ["", "kueri"] {
        let (src_dir, dst_dir) = (from.join(sub), to.join(sub));
        let Ok(entries) = std::fs::read_dir(&src_dir) else { continue };
        std::fs::create_dir_all(&dst_dir).map_err(PipelineError::io(&dst_dir))?;
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
