//! A run's settings resolved once: the request's flags over the config file over the defaults
//! ([`Plan`]), the months to run, and each month's analysis options.

use std::path::{Path, PathBuf};

use chrono::Datelike;

use super::RunRequest;
use crate::error::PipelineError;
use crate::manifest;
use crate::spec::ReportSpec;
use mutasi_analysis::analyses::AnalysisOptions;
use mutasi_analysis::estimate::prepost::WindowOptions;
use mutasi_analysis::movement::MovementOptions;
use mutasi_analysis::requests::RequestOptions;
use mutasi_analysis::service::ikm_table::IkmOptions;
use mutasi_analysis::service::unit_effects::UnitOptions;
use mutasi_domain::config::{Config, control_of};
use mutasi_domain::normalize::period::{Period, PeriodKind, parse_period};
use mutasi_report::i18n::Lang;

/// The report month: `--period`, or the month before today's.
pub(crate) fn resolve_period(arg: Option<&str>) -> Result<Period, PipelineError> {
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

pub(crate) fn parse_month(raw: &str, flag: &str) -> Result<Period, PipelineError> {
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
pub(crate) fn from_config(config: Option<&Path>, p: &Path) -> PathBuf {
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
pub(crate) fn options(
    a: &RunRequest,
    cfg: &Config,
    period: &Period,
) -> Result<AnalysisOptions, PipelineError> {
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
        control: control_of("analysis.control", &ac.control)?,
        ikm: IkmOptions {
            period: cfg.service.period()?,
            population_indikator: cfg.service.population_indikator.clone(),
            reported_indikator: cfg.service.reported_indikator.clone(),
            weights: cfg.service.unsur_weights.clone(),
            until: Period::month(period.year, period.index).end(),
            grading_9: cfg.service.mutu_9,
            grading_14: cfg.service.mutu_14,
        },
        movement: MovementOptions {
            blackouts: cfg.movement.blackouts()?,
            until: Period::month(period.year, period.index).end(),
            presence_indikator: cfg.movement.presence_indikator.clone(),
        },
        requests: RequestOptions {
            until: Period::month(period.year, period.index).end(),
            min_group: ac.min_group,
            blackouts: cfg.movement.blackouts()?,
            window_days: cfg.requests.window_days,
            cpns_min_years: cfg.requests.cpns_min_years,
            ..RequestOptions::default()
        },
        units: UnitOptions {
            presence_indikator: cfg.movement.presence_indikator.clone(),
            indikator: cfg.service.unit_indikator.clone(),
            control: control_of("service.unit_control", &cfg.service.unit_control)?,
            analyses: cfg.service.unit_analyses()?,
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
pub(crate) struct Plan {
    pub(crate) cfg: Config,
    pub(crate) spec: Option<ReportSpec>,
    /// Specs written into `<period>/laporan/<name>/` (config `run.reports`).
    pub(crate) reports: Vec<(PathBuf, ReportSpec)>,
    pub(crate) input: PathBuf,
    pub(crate) root: PathBuf,
    pub(crate) queries: Option<PathBuf>,
    pub(crate) report_lang: Option<Lang>,
    pub(crate) lang: Lang,
    pub(crate) force: bool,
    pub(crate) on_failure: Option<String>,
    /// Files besides the exports that shape the outputs (config, specs, SQL), for the manifest.
    pub(crate) declared: Vec<PathBuf>,
}

pub(crate) fn plan(a: &RunRequest) -> Result<Plan, PipelineError> {
    let config_path = a.config.as_deref();
    let mut base = match config_path {
        Some(p) => Config::load(p)?,
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
        Some(p) => Some(ReportSpec::load(p)?),
        None => None,
    };
    let mut reports = Vec::new();
    if spec.is_none() && a.report_lang.is_none() {
        for p in &base.run.reports {
            let p = from_config(config_path, p);
            let s = ReportSpec::load(&p)?;
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
        Some(s) => s.apply(base.clone())?,
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
