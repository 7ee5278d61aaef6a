//! Unit service timeline: one unit's indicator (IKM konversi, kunjungan) period by period, with
//! the PermenPANRB 14/2017 mutu bands A/B/C/D shaded when the indicator is an IKM, and the periods
//! in which a new head arrived marked, so a Kepala Dinas sees whether service moved after it.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{ChartError, Figure, category_label, fail, font, padded_range, palette};
use crate::i18n::{Lang, num, tr};

/// Mutu bands on the IKM konversi scale (PermenPANRB 14/2017): lower bound, upper bound, letter.
pub const MUTU_BANDS: [(f64, f64, &str); 4] =
    [(25.0, 64.99, "D"), (65.0, 76.60, "C"), (76.61, 88.30, "B"), (88.31, 100.0, "A")];

#[derive(Debug, Clone, PartialEq)]
pub struct Timeline {
    pub name: String,
    pub title: String,
    pub y_label: String,
    /// Period labels in order (`2024-S1`, `2024-03`).
    pub periods: Vec<String>,
    pub values: Vec<Option<f64>>,
    /// Indexes into `periods` where a new head arrived.
    pub arrivals: Vec<usize>,
    /// Shade the A/B/C/D bands (the indicator is on the IKM konversi scale).
    pub mutu_bands: bool,
}

impl Figure for Timeline {
    fn name(&self) -> &str {
        &self.name
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, lang: Lang) -> Result<(), ChartError> {
        let err = fail(&self.name);
        let m = self.periods.len().max(1);
        let (y0, y1) = if self.mutu_bands {
            let (lo, hi) = padded_range(self.values.iter().flatten().copied(), None);
            (lo.clamp(25.0, 60.0), hi.clamp(95.0, 100.0))
        } else {
            padded_range(self.values.iter().flatten().copied(), Some(0.0))
        };
        // At most ~12 period labels on the axis.
        let step = m.div_ceil(12);
        let labels: Vec<String> = self
            .periods
            .iter()
            .enumerate()
            .map(|(i, p)| if i % step == 0 { p.clone() } else { String::new() })
            .collect();
        let mut chart = ChartBuilder::on(root)
            .caption(&self.title, font(24))
            .margin(18)
            .x_label_area_size(56)
            .y_label_area_size(80)
            .build_cartesian_2d(-0.5..(m as f64 - 0.5), y0..y1)
            .map_err(&err)?;
        let label_of = |v: &f64| category_label(&labels, *v);
        chart
            .configure_mesh()
            .light_line_style(palette::GRID)
            .max_light_lines(1)
            .x_labels(m + 1)
            .x_desc(tr("periode", lang))
            .y_desc(&self.y_label)
            .label_style(font(15))
            .axis_desc_style(font(18))
            .x_label_formatter(&label_of)
            .y_label_formatter(&|v| num(*v, 0, lang))
            .draw()
            .map_err(&err)?;
        if self.mutu_bands {
            let shades = [
                RGBColor(250, 215, 210),
                RGBColor(252, 235, 200),
                RGBColor(225, 240, 215),
                RGBColor(205, 230, 210),
            ];
            for ((lo, hi, letter), shade) in MUTU_BANDS.iter().zip(shades) {
                let (lo, hi) = (lo.max(y0), hi.min(y1));
                if hi <= lo {
                    continue;
                }
                chart
                    .draw_series(std::iter::once(Rectangle::new(
                        [(-0.5, lo), (m as f64 - 0.5, hi)],
                        shade.mix(0.8).filled(),
                    )))
                    .map_err(&err)?;
                chart
                    .draw_series(std::iter::once(Text::new(
                        format!("{} {letter}", tr("mutu", lang)),
                        (m as f64 - 0.5 - 0.02 * m as f64, (lo + hi) / 2.0),
                        font(14).pos(plotters::style::text_anchor::Pos::new(
                            plotters::style::text_anchor::HPos::Right,
                            plotters::style::text_anchor::VPos::Center,
                        )),
                    )))
                    .map_err(&err)?;
            }
        }
        for &a in &self.arrivals {
            if a < m {
                let x = a as f64;
                chart
                    .draw_series(LineSeries::new([(x, y0), (x, y1)], palette::ACCENT.stroke_width(2)))
                    .map_err(&err)?;
            }
        }
        if !self.arrivals.is_empty() {
            chart
                .draw_series(std::iter::empty::<Circle<(f64, f64), u32>>())
                .map_err(&err)?
                .label(tr("kedatangan", lang))
                .legend(|(x, y)| {
                    PathElement::new(vec![(x + 10, y - 8), (x + 10, y + 8)], palette::ACCENT.stroke_width(2))
                });
        }
        // The line breaks where a period has no value.
        let mut segment: Vec<(f64, f64)> = Vec::new();
        let mut segments = Vec::new();
        for (i, v) in self.values.iter().enumerate() {
            match v.filter(|v| v.is_finite()) {
                Some(v) => segment.push((i as f64, v)),
                None => segments.push(std::mem::take(&mut segment)),
            }
        }
        segments.push(segment);
        for s in segments.into_iter().filter(|s| s.len() >= 2) {
            chart.draw_series(LineSeries::new(s, palette::MAIN.stroke_width(3))).map_err(&err)?;
        }
        chart
            .draw_series(self.values.iter().enumerate().filter_map(|(i, v)| {
                v.filter(|v| v.is_finite()).map(|v| Circle::new((i as f64, v), 5, palette::MAIN.filled()))
            }))
            .map_err(&err)?
            .label(tr("nilai_rata", lang))
            .legend(|(x, y)| Circle::new((x + 10, y), 5, palette::MAIN.filled()));
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::LowerLeft)
            .label_font(font(16))
            .background_style(WHITE.mix(0.85))
            .border_style(palette::PRE)
            .draw()
            .map_err(&err)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{count, has_text};
    use super::super::to_svg;
    use super::*;

    fn fig(bands: bool) -> Timeline {
        Timeline {
            name: "t".into(),
            title: "Puskesmas Passo".into(),
            y_label: "ikm_konversi".into(),
            periods: vec!["2024-S1".into(), "2024-S2".into(), "2025-S1".into(), "2025-S2".into()],
            values: vec![Some(78.0), None, Some(82.0), Some(90.0)],
            arrivals: vec![2],
            mutu_bands: bands,
        }
    }

    /// Points for the periods with values, the four bands, the arrival marker, period labels.
    #[test]
    fn bands_points_and_arrivals() {
        let svg = to_svg(&fig(true), Lang::Id).expect("svg");
        assert_eq!(count(&svg, "circle"), 3 + 1, "three values and the legend marker");
        for letter in ["A", "B", "C"] {
            assert!(has_text(&svg, &format!("Mutu {letter}")), "band {letter} labelled");
        }
        assert!(has_text(&svg, "2025-S1"));
        assert!(has_text(&svg, "Kepala unit baru datang"));
        // One line 2025-S1 → 2025-S2 (the gap breaks it); the arrival line and its legend mark.
        let lines = |colour: &str| {
            svg.split("<polyline")
                .skip(1)
                .filter(|t| t.split("/>").next().is_some_and(|t| t.contains(colour)))
                .count()
        };
        assert_eq!(lines("stroke=\"#1F5AA0\""), 1, "{svg}");
        assert_eq!(lines("stroke=\"#C85A14\""), 2);
        let plain = to_svg(&fig(false), Lang::En).expect("svg");
        assert!(!plain.contains("Grade"), "no bands for other indicators");
        assert!(has_text(&plain, "New unit head arrives"));
    }
}
