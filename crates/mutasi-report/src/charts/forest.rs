//! Estimates with intervals, one row per group ("forest" plot): approval rates by gender,
//! golongan, status and origin OPD with their Wilson 95% intervals. Flagged groups are drawn in the
//! accent colour; the text beside the chart says a gap is descriptive, not proof.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{ChartError, Figure, category_label, fail, font, padded_range, palette, shorten};
use crate::i18n::{Lang, count, num};

#[derive(Debug, Clone, PartialEq)]
pub struct ForestRow {
    pub label: String,
    pub n: u64,
    pub estimate: f64,
    pub low: f64,
    pub high: f64,
    pub flagged: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Forest {
    pub name: String,
    pub title: String,
    pub x_label: String,
    /// Top to bottom.
    pub rows: Vec<ForestRow>,
    /// Show values as percentages (0.62 → 62).
    pub percent: bool,
}

impl Figure for Forest {
    fn name(&self) -> &str {
        &self.name
    }

    fn size(&self) -> (u32, u32) {
        (1000, (160 + 34 * self.rows.len().max(1) as u32).max(320))
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, lang: Lang) -> Result<(), ChartError> {
        let err = fail(&self.name);
        let rows: Vec<&ForestRow> = self.rows.iter().filter(|r| r.estimate.is_finite()).collect();
        let m = rows.len().max(1);
        let labels: Vec<String> = rows
            .iter()
            .rev()
            .map(|r| format!("{} (n={})", shorten(&r.label, 26), count(r.n, lang)))
            .collect();
        let (x0, x1) = if self.percent {
            (0.0, 1.0)
        } else {
            padded_range(rows.iter().flat_map(|r| [r.low, r.high, r.estimate]), None)
        };
        let mut chart = ChartBuilder::on(root)
            .caption(&self.title, font(24))
            .margin(18)
            .x_label_area_size(56)
            .y_label_area_size(300)
            .build_cartesian_2d(x0..x1, -0.5..(m as f64 - 0.5))
            .map_err(&err)?;
        let label_of = |v: &f64| category_label(&labels, *v);
        let percent = self.percent;
        chart
            .configure_mesh()
            .light_line_style(palette::GRID)
            .max_light_lines(1)
            .y_labels(m + 1)
            .x_desc(&self.x_label)
            .label_style(font(15))
            .axis_desc_style(font(18))
            .x_label_formatter(&|v| {
                if percent { format!("{}%", num(v * 100.0, 0, lang)) } else { num(*v, 1, lang) }
            })
            .y_label_formatter(&label_of)
            .draw()
            .map_err(&err)?;
        let y_of = |i: usize| (rows.len() - 1 - i) as f64;
        let colour = |r: &ForestRow| if r.flagged { palette::ACCENT } else { palette::MAIN };
        chart
            .draw_series(
                rows.iter().enumerate().filter(|(_, r)| r.low.is_finite() && r.high.is_finite()).map(
                    |(i, r)| {
                        PathElement::new(vec![(r.low, y_of(i)), (r.high, y_of(i))], colour(r).stroke_width(3))
                    },
                ),
            )
            .map_err(&err)?;
        chart
            .draw_series(
                rows.iter()
                    .enumerate()
                    .map(|(i, r)| Circle::new((r.estimate, y_of(i)), 6, colour(r).filled())),
            )
            .map_err(&err)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{count, has_text};
    use super::super::to_svg;
    use super::*;

    #[test]
    fn one_marker_and_interval_per_group() {
        let row = |label: &str, est: f64, flagged| ForestRow {
            label: label.into(),
            n: 40,
            estimate: est,
            low: est - 0.1,
            high: est + 0.1,
            flagged,
        };
        let fig = Forest {
            name: "f".into(),
            title: "Persetujuan".into(),
            x_label: "Tingkat persetujuan".into(),
            rows: vec![row("L", 0.75, false), row("P", 0.55, true), row("x", f64::NAN, false)],
            percent: true,
        };
        let svg = to_svg(&fig, Lang::Id).expect("svg");
        assert_eq!(count(&svg, "circle"), 2);
        assert!(has_text(&svg, "L (n=40)") && has_text(&svg, "P (n=40)"));
        assert!(has_text(&svg, "50%"), "percent axis");
        assert!(has_text(&svg, "Tingkat persetujuan"));
        // The flagged group uses the accent colour.
        assert!(svg.contains("fill=\"#C85A14\""), "{svg}");
    }
}
