//! Reports managers read: `report.html` (one self-contained page: inline SVG and CSS, no script,
//! no font or network request, prints on A4), `report.xlsx` (the key tables as formatted sheets)
//! and every chart as SVG and PNG under `grafik/`, for one report spec and period.
//!
//! - [`inputs`] reads the run's Parquet outputs into plain data (the only file access);
//! - [`findings`] writes the executive summary from the numbers, never overclaiming;
//! - `mutasi_domain::suppress` hides small groups, with complementary suppression;
//! - [`charts`] draws with plotters; [`html`] and [`xlsx`] lay the same content out;
//! - [`i18n`] holds every reader-facing string, Bahasa Indonesia and English;
//! - [`png_memo`] links a chart's PNG already drawn for another report of the month.

pub mod charts;
pub mod content;
pub mod error;
pub mod findings;
pub mod html;
pub mod i18n;
pub mod inputs;
pub mod png_memo;
pub mod xlsx;

use std::path::{Path, PathBuf};

use charts::{ChartError, Figure};
pub use error::ReportError;
use i18n::Lang;
use mutasi_analysis::analyses::EstimateNote;
use mutasi_analysis::queries::QueryResult;
use mutasi_analysis::service::unit_effects::UnitNote;

/// What the run knows that the report needs besides its tables.
#[derive(Debug, Clone)]
pub struct ReportContext {
    pub title: String,
    pub description: String,
    /// `YYYY-MM`.
    pub period: String,
    pub lang: Lang,
    /// Suppression threshold k: groups of fewer employees are hidden.
    pub k: u64,
    pub pre: i64,
    pub post: i64,
    pub min_e: i64,
    pub max_e: i64,
    pub min_treated: usize,
    /// `never` or `notyet`.
    pub control: String,
    pub outcomes: Vec<String>,
    /// OPD of the spec's scope (empty: every OPD).
    pub scope_opd: Vec<String>,
    pub estimates: Vec<EstimateNote>,
    pub unit_notes: Vec<UnitNote>,
    pub checks: Vec<QueryResult>,
    /// Gates that failed but were overridden with `--force`: shown at the top of the report.
    pub warnings: Vec<String>,
}

/// Any of the report's charts.
#[derive(Debug, Clone, PartialEq)]
pub enum Chart {
    EventStudy(charts::event_study::EventStudy),
    Dumbbell(charts::dumbbell::Dumbbell),
    Histogram(charts::histogram::Histogram),
    Timeline(charts::timeline::Timeline),
    Heatmap(charts::heatmap::Heatmap),
    Waterfall(charts::waterfall::Waterfall),
    Bars(charts::bars::Bars),
    Forest(charts::forest::Forest),
}

macro_rules! each_chart {
    ($self:expr, $c:ident => $body:expr) => {
        match $self {
            Chart::EventStudy($c) => $body,
            Chart::Dumbbell($c) => $body,
            Chart::Histogram($c) => $body,
            Chart::Timeline($c) => $body,
            Chart::Heatmap($c) => $body,
            Chart::Waterfall($c) => $body,
            Chart::Bars($c) => $body,
            Chart::Forest($c) => $body,
        }
    };
}

impl Chart {
    pub fn name(&self) -> &str {
        each_chart!(self, c => c.name())
    }

    pub fn svg(&self, lang: Lang) -> Result<String, ChartError> {
        each_chart!(self, c => charts::to_svg(c, lang))
    }

    pub fn png(&self, lang: Lang, path: &Path) -> Result<(), ChartError> {
        each_chart!(self, c => charts::to_png(c, lang, path))
    }
}

/// Files a report wrote.
#[derive(Debug, Clone)]
pub struct Written {
    pub html: PathBuf,
    pub xlsx: PathBuf,
    pub charts: Vec<String>,
}

/// Builds the report of the run in `dir` (analyses read `source`) into `dir`: `report.html`,
/// `report.xlsx` and `grafik/<chart>.svg|.png`.
pub fn build(dir: &Path, source: &Path, ctx: &ReportContext) -> Result<Written, ReportError> {
    let (year, month) = ctx
        .period
        .split_once('-')
        .and_then(|(y, m)| Some((y.parse::<i32>().ok()?, m.parse::<u32>().ok()?)))
        .ok_or_else(|| ReportError::Period(ctx.period.clone()))?;
    let data = inputs::read(dir, source, year, month)?;
    let content = content::assemble(ctx, &data);
    let grafik = dir.join("grafik");
    std::fs::create_dir_all(&grafik).map_err(ReportError::io(&grafik))?;
    let mut svgs = Vec::new();
    for chart in content.charts() {
        let svg = chart.svg(ctx.lang)?;
        let path = grafik.join(format!("{}.svg", chart.name()));
        std::fs::write(&path, &svg).map_err(ReportError::io(&path))?;
        let png = grafik.join(format!("{}.png", chart.name()));
        png_memo::png(&svg, &png, |p| chart.png(ctx.lang, p))?;
        svgs.push((chart.name().to_string(), svg));
    }
    let page = html::render(ctx, &content, &svgs);
    let html_path = dir.join("report.html");
    std::fs::write(&html_path, page).map_err(ReportError::io(&html_path))?;
    let xlsx_path = dir.join("report.xlsx");
    xlsx::write(ctx, &content, &xlsx_path)?;
    Ok(Written { html: html_path, xlsx: xlsx_path, charts: svgs.into_iter().map(|(n, _)| n).collect() })
}
