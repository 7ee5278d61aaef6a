//! Histogram of a list of values: the per-transfer before/after changes (descriptive) and the
//! days from a transfer request to its decision. An optional vertical marker (zero change) helps
//! the reader see how many moved up and how many down.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{ChartError, Figure, fail, font, palette};
use crate::i18n::{Lang, num};

#[derive(Debug, Clone, PartialEq)]
pub struct Histogram {
    pub name: String,
    pub title: String,
    pub x_label: String,
    pub y_label: String,
    pub values: Vec<f64>,
    /// Number of equal-width bins.
    pub bins: usize,
    /// A vertical reference line, e.g. 0.
    pub marker: Option<f64>,
}

/// Bin edges and counts of the finite values: `bins` equal-width bins over [min, max].
pub fn bin(values: &[f64], bins: usize) -> (Vec<f64>, Vec<u64>) {
    let finite: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    let bins = bins.max(1);
    let (lo, hi) = finite.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| (a.min(*v), b.max(*v)));
    if finite.is_empty() {
        return (vec![0.0, 1.0], vec![0]);
    }
    let (lo, hi) = if hi - lo < 1e-12 { (lo - 0.5, hi + 0.5) } else { (lo, hi) };
    let width = (hi - lo) / bins as f64;
    let edges: Vec<f64> = (0..=bins).map(|k| lo + width * k as f64).collect();
    let mut counts = vec![0u64; bins];
    for v in finite {
        let k = (((v - lo) / width).floor() as usize).min(bins - 1);
        counts[k] += 1;
    }
    (edges, counts)
}

impl Figure for Histogram {
    fn name(&self) -> &str {
        &self.name
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, lang: Lang) -> Result<(), ChartError> {
        let err = fail(&self.name);
        let (edges, counts) = bin(&self.values, self.bins);
        let x0 = edges.first().copied().unwrap_or(0.0).min(self.marker.unwrap_or(f64::INFINITY));
        let x1 = edges.last().copied().unwrap_or(1.0).max(self.marker.unwrap_or(f64::NEG_INFINITY));
        let pad = 0.03 * (x1 - x0);
        let top = counts.iter().copied().max().unwrap_or(0).max(1) as f64 * 1.1;
        let mut chart = ChartBuilder::on(root)
            .caption(&self.title, font(24))
            .margin(18)
            .x_label_area_size(56)
            .y_label_area_size(80)
            .build_cartesian_2d((x0 - pad)..(x1 + pad), 0.0..top)
            .map_err(&err)?;
        chart
            .configure_mesh()
            .light_line_style(palette::GRID)
            .max_light_lines(1)
            .x_desc(&self.x_label)
            .y_desc(&self.y_label)
            .label_style(font(17))
            .axis_desc_style(font(18))
            .x_label_formatter(&|v| num(*v, 1, lang))
            .y_label_formatter(&|v| {
                if (v - v.round()).abs() < 1e-6 { num(*v, 0, lang) } else { String::new() }
            })
            .draw()
            .map_err(&err)?;
        chart
            .draw_series(counts.iter().enumerate().filter(|(_, c)| **c > 0).map(|(k, c)| {
                Rectangle::new([(edges[k], 0.0), (edges[k + 1], *c as f64)], palette::MAIN.mix(0.75).filled())
            }))
            .map_err(&err)?;
        if let Some(m) = self.marker {
            chart
                .draw_series(LineSeries::new([(m, 0.0), (m, top)], palette::ACCENT.stroke_width(2)))
                .map_err(&err)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{count, has_text};
    use super::super::to_svg;
    use super::*;

    #[test]
    fn bins_count_every_finite_value() {
        let (edges, counts) = bin(&[0.0, 0.5, 1.0, 2.0, f64::NAN], 2);
        assert_eq!(edges, vec![0.0, 1.0, 2.0]);
        assert_eq!(counts, vec![2, 2], "the maximum falls in the last bin");
        let (_, one) = bin(&[3.0, 3.0], 4);
        assert_eq!(one.iter().sum::<u64>(), 2);
        assert_eq!(bin(&[], 3).1, vec![0]);
    }

    /// One bar per non-empty bin; the axis labels as given.
    #[test]
    fn one_bar_per_non_empty_bin() {
        let fig = Histogram {
            name: "h".into(),
            title: "Sebaran".into(),
            x_label: "Perubahan (sesudah − sebelum)".into(),
            y_label: "Jumlah".into(),
            values: vec![-2.0, -1.0, -1.0, 0.5, 3.0, 3.0, 3.0],
            bins: 5,
            marker: Some(0.0),
        };
        let svg = to_svg(&fig, Lang::Id).expect("svg");
        let bars = svg
            .split("<rect")
            .skip(1)
            .filter(|t| t.split("/>").next().is_some_and(|t| t.contains("opacity=\"0.75\"")))
            .count();
        assert_eq!(bars, 4, "bins [-2,-1), [-1,0), [0,1), [2,3]: the [1,2) bin is empty");
        assert!(has_text(&svg, "Perubahan (sesudah − sebelum)"));
        assert!(has_text(&svg, "Jumlah"));
        assert!(count(&svg, "polyline") >= 1, "the zero marker");
    }
}
