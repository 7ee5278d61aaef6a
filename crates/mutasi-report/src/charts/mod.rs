//! Charts of the report, drawn with plotters and written as SVG (inlined in `report.html`) and PNG
//! (for slides and the workbook).
//!
//! Every chart is a plain-data struct implementing [`Figure`]: no DataFrames, no files, so each is
//! tested by rendering to an SVG string and counting its elements. Text uses the DejaVu Sans font
//! compiled into the binary (`assets/fonts/`, Bitstream Vera licence), registered with plotters'
//! pure-Rust `ab_glyph` renderer: no system fonts, no fontconfig, the same PNG on every machine.
//! Sizes are chosen to stay readable when a chart is printed half an A4 page wide.

pub mod bars;
pub mod dumbbell;
pub mod event_study;
pub mod forest;
pub mod heatmap;
pub mod histogram;
pub mod timeline;
pub mod waterfall;

use std::path::Path;
use std::sync::OnceLock;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::{FontStyle, register_font};

use crate::i18n::Lang;

static SANS: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
static SANS_BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

/// Font family every chart uses: registered under the generic name, so an SVG viewer without
/// DejaVu falls back to its own sans-serif face, never to a serif one.
pub const FONT: &str = "sans-serif";

/// Width and height of a chart in pixels (1000 × 560: 17 cm wide at about 150 dpi on A4).
pub const SIZE: (u32, u32) = (1000, 560);

/// A chart that could not be drawn.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("grafik / chart {name}: {message}")]
pub struct ChartError {
    pub name: String,
    pub message: String,
}

/// Turns a plotters error into a [`ChartError`] of `name`.
pub(crate) fn fail<E: std::fmt::Display>(name: &str) -> impl Fn(E) -> ChartError + '_ {
    move |e| ChartError { name: name.to_string(), message: e.to_string() }
}

/// One chart.
pub trait Figure {
    /// File stem, e.g. `event_study_capaian_iki`.
    fn name(&self) -> &str;
    /// Pixel size.
    fn size(&self) -> (u32, u32) {
        SIZE
    }
    /// Draws the chart on `root` (white background already filled).
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, lang: Lang) -> Result<(), ChartError>;
}

/// Registers the embedded fonts once per process.
fn fonts() -> Result<(), ChartError> {
    static DONE: OnceLock<Result<(), &'static str>> = OnceLock::new();
    DONE.get_or_init(|| {
        register_font(FONT, FontStyle::Normal, SANS).map_err(|_| "DejaVuSans.ttf")?;
        register_font(FONT, FontStyle::Bold, SANS_BOLD).map_err(|_| "DejaVuSans-Bold.ttf")?;
        Ok(())
    })
    .as_ref()
    .copied()
    .map_err(|f| ChartError { name: "font".into(), message: format!("font rusak / bad embedded font {f}") })
}

/// The chart as an SVG document.
pub fn to_svg<F: Figure>(fig: &F, lang: Lang) -> Result<String, ChartError> {
    fonts()?;
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, fig.size()).into_drawing_area();
        root.fill(&WHITE).map_err(fail(fig.name()))?;
        fig.draw(&root, lang)?;
        root.present().map_err(fail(fig.name()))?;
    }
    Ok(out)
}

/// The chart as a PNG file.
pub fn to_png<F: Figure>(fig: &F, lang: Lang, path: &Path) -> Result<(), ChartError> {
    fonts()?;
    let root = BitMapBackend::new(path, fig.size()).into_drawing_area();
    root.fill(&WHITE).map_err(fail(fig.name()))?;
    fig.draw(&root, lang)?;
    root.present()
        .map_err(|e| ChartError { name: fig.name().into(), message: format!("{}: {e}", path.display()) })
}

/// Text style of titles, labels and notes.
pub(crate) fn font(size: u32) -> TextStyle<'static> {
    (FONT, size).into_font().color(&BLACK)
}

/// Colours, chosen to stay distinct in greyscale print.
pub(crate) mod palette {
    use plotters::style::RGBColor;
    pub const MAIN: RGBColor = RGBColor(31, 90, 160);
    pub const PRE: RGBColor = RGBColor(130, 130, 130);
    pub const ACCENT: RGBColor = RGBColor(200, 90, 20);
    pub const GOOD: RGBColor = RGBColor(40, 130, 70);
    pub const BAD: RGBColor = RGBColor(190, 50, 40);
    pub const GRID: RGBColor = RGBColor(225, 225, 225);
}

/// Axis range with 8% padding around `values` (finite ones), always including `include`.
pub(crate) fn padded_range(values: impl Iterator<Item = f64>, include: Option<f64>) -> (f64, f64) {
    let mut lo = f64::INFINITY;
    let mut hi = f64::NEG_INFINITY;
    for v in values.chain(include).filter(|v| v.is_finite()) {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if !lo.is_finite() {
        return (-1.0, 1.0);
    }
    if (hi - lo).abs() < 1e-12 {
        return (lo - 1.0, hi + 1.0);
    }
    let pad = 0.08 * (hi - lo);
    (lo - pad, hi + pad)
}

/// Label of a category axis drawn on an f64 range: the category at an integer tick, nothing
/// between ticks.
pub(crate) fn category_label(labels: &[String], v: f64) -> String {
    let r = v.round();
    if (v - r).abs() > 1e-6 || r < 0.0 {
        return String::new();
    }
    labels.get(r as usize).cloned().unwrap_or_default()
}

/// `s` shortened to `max` characters with an ellipsis.
pub(crate) fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

#[cfg(test)]
pub(crate) mod test_support {
    /// Number of `<tag` elements in an SVG document.
    pub fn count(svg: &str, tag: &str) -> usize {
        svg.matches(&format!("<{tag}")).count()
    }

    /// Whether some `<text>` element's content is exactly `label` (XML-escaped as plotters does).
    pub fn has_text(svg: &str, label: &str) -> bool {
        let escaped = label
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
            .replace('\'', "&apos;");
        svg.contains(&format!(">\n{escaped}\n</text>"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_labels_and_names() {
        assert_eq!(padded_range([1.0, 3.0].into_iter(), Some(0.0)), (-0.24, 3.24));
        assert_eq!(padded_range([f64::NAN].into_iter(), None), (-1.0, 1.0));
        assert_eq!(padded_range([2.0].into_iter(), None), (1.0, 3.0));
        let labels = vec!["a".to_string(), "b".to_string()];
        assert_eq!(category_label(&labels, 1.0), "b");
        assert_eq!(category_label(&labels, 0.5), "");
        assert_eq!(category_label(&labels, 5.0), "");
        assert_eq!(shorten("Dinas Kesehatan", 6), "Dinas…");
    }

    /// The embedded font registers and a PNG is written without any system font.
    #[test]
    fn png_uses_the_embedded_font() {
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join("h.png");
        let fig = histogram::Histogram {
            name: "h".into(),
            title: "Judul".into(),
            x_label: "x".into(),
            y_label: "y".into(),
            values: vec![1.0, 2.0, 2.5, 3.0],
            bins: 3,
            marker: Some(0.0),
        };
        to_png(&fig, Lang::Id, &path).expect("png");
        let bytes = std::fs::read(&path).expect("read");
        assert_eq!(&bytes[1..4], b"PNG");
        assert!(bytes.len() > 5_000, "a drawn chart, not an empty image: {} bytes", bytes.len());
    }
}
