//! Event study: the effect by months since the transfer, with pointwise 95% intervals (whiskers),
//! the simultaneous band (shaded), a zero line and the pre-transfer months drawn in grey with hollow
//! markers, so a reader sees at once whether the groups already diverged before the transfer.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{ChartError, Figure, fail, font, padded_range, palette};
use crate::i18n::{Lang, num, tr};

/// One event time.
#[derive(Debug, Clone, PartialEq)]
pub struct EventPoint {
    pub e: i64,
    pub att: f64,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    pub band_low: Option<f64>,
    pub band_high: Option<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EventStudy {
    pub name: String,
    pub title: String,
    /// Unit of the outcome, for the y axis, e.g. "capaian_iki".
    pub y_label: String,
    pub points: Vec<EventPoint>,
}

impl Figure for EventStudy {
    fn name(&self) -> &str {
        &self.name
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, lang: Lang) -> Result<(), ChartError> {
        let err = fail(&self.name);
        let pts: Vec<&EventPoint> = self.points.iter().filter(|p| p.att.is_finite()).collect();
        let (x0, x1) = match (pts.iter().map(|p| p.e).min(), pts.iter().map(|p| p.e).max()) {
            (Some(a), Some(b)) => (a as f64 - 0.7, b as f64 + 0.7),
            _ => (-1.0, 1.0),
        };
        let ys = pts
            .iter()
            .flat_map(|p| [Some(p.att), p.ci_low, p.ci_high, p.band_low, p.band_high].into_iter().flatten());
        let (y0, y1) = padded_range(ys, Some(0.0));
        let mut chart = ChartBuilder::on(root)
            .caption(&self.title, font(24))
            .margin(18)
            .x_label_area_size(56)
            .y_label_area_size(80)
            .build_cartesian_2d(x0..x1, y0..y1)
            .map_err(&err)?;
        chart
            .configure_mesh()
            .light_line_style(palette::GRID)
            .max_light_lines(1)
            .x_desc(tr("bulan_sejak_mutasi", lang))
            .y_desc(format!("{} — {}", tr("efek", lang), self.y_label))
            .label_style(font(17))
            .axis_desc_style(font(18))
            .x_label_formatter(&|v| {
                if (v - v.round()).abs() < 1e-6 { format!("{}", v.round() as i64) } else { String::new() }
            })
            .y_label_formatter(&|v| num(*v, 1, lang))
            .draw()
            .map_err(&err)?;
        // Simultaneous band: one shaded polygon over the estimated event times.
        let band: Vec<(f64, f64, f64)> = pts
            .iter()
            .filter_map(|p| Some((p.e as f64, p.band_low?, p.band_high?)))
            .filter(|(_, l, h)| l.is_finite() && h.is_finite())
            .collect();
        if band.len() >= 2 {
            let mut poly: Vec<(f64, f64)> = band.iter().map(|(x, _, h)| (*x, *h)).collect();
            poly.extend(band.iter().rev().map(|(x, l, _)| (*x, *l)));
            chart
                .draw_series(std::iter::once(Polygon::new(poly, palette::MAIN.mix(0.15).filled())))
                .map_err(&err)?
                .label(tr("pita", lang))
                .legend(|(x, y)| {
                    Rectangle::new([(x, y - 6), (x + 20, y + 6)], palette::MAIN.mix(0.15).filled())
                });
        }
        // Zero line and the transfer (between e = −1 and e = 0).
        chart.draw_series(LineSeries::new([(x0, 0.0), (x1, 0.0)], BLACK.stroke_width(1))).map_err(&err)?;
        chart
            .draw_series((0..20).map(|k| y0 + (y1 - y0) * k as f64 / 20.0).map(|y| {
                PathElement::new(vec![(-0.5, y), (-0.5, y + (y1 - y0) / 40.0)], palette::PRE.stroke_width(1))
            }))
            .map_err(&err)?;
        // Pointwise intervals.
        chart
            .draw_series(pts.iter().filter_map(|p| {
                let (l, h) = (p.ci_low?, p.ci_high?);
                let colour = if p.e < 0 { palette::PRE } else { palette::MAIN };
                Some(PathElement::new(vec![(p.e as f64, l), (p.e as f64, h)], colour.stroke_width(2)))
            }))
            .map_err(&err)?
            .label(tr("ik95", lang))
            .legend(|(x, y)| {
                PathElement::new(vec![(x + 10, y - 8), (x + 10, y + 8)], palette::MAIN.stroke_width(2))
            });
        // Estimates: hollow grey before the transfer, filled blue after.
        chart
            .draw_series(
                pts.iter()
                    .filter(|p| p.e < 0)
                    .map(|p| Circle::new((p.e as f64, p.att), 5, palette::PRE.stroke_width(2))),
            )
            .map_err(&err)?
            .label(tr("pra_mutasi", lang))
            .legend(|(x, y)| Circle::new((x + 10, y), 5, palette::PRE.stroke_width(2)));
        chart
            .draw_series(
                pts.iter()
                    .filter(|p| p.e >= 0)
                    .map(|p| Circle::new((p.e as f64, p.att), 5, palette::MAIN.filled())),
            )
            .map_err(&err)?
            .label(tr("pasca_mutasi", lang))
            .legend(|(x, y)| Circle::new((x + 10, y), 5, palette::MAIN.filled()));
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperLeft)
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

    fn point(e: i64, att: f64) -> EventPoint {
        EventPoint {
            e,
            att,
            ci_low: Some(att - 1.0),
            ci_high: Some(att + 1.0),
            band_low: Some(att - 1.5),
            band_high: Some(att + 1.5),
        }
    }

    /// One marker per estimated event time (plus the legend's two), pre-periods hollow, the band
    /// drawn, axis labels in the report language.
    #[test]
    fn markers_band_and_labels() {
        let fig = EventStudy {
            name: "es".into(),
            title: "Studi peristiwa: capaian_iki".into(),
            y_label: "capaian_iki".into(),
            points: vec![
                point(-3, 0.1),
                point(-2, -0.2),
                point(-1, 0.0),
                point(0, 2.0),
                point(1, 2.5),
                point(2, f64::NAN),
            ],
        };
        let svg = to_svg(&fig, Lang::Id).expect("svg");
        assert_eq!(count(&svg, "circle"), 5 + 2, "5 finite estimates and 2 legend markers");
        let hollow = svg
            .split("<circle")
            .skip(1)
            .filter(|tag| tag.split("/>").next().is_some_and(|t| t.contains("fill=\"none\"")))
            .count();
        assert_eq!(hollow, 3 + 1, "the 3 pre-transfer estimates and their legend marker are hollow");
        assert!(count(&svg, "polygon") >= 1, "the simultaneous band");
        assert!(has_text(&svg, "Bulan sejak mutasi"), "x axis in Indonesian");
        assert!(has_text(&svg, "Pita simultan 95%"));
        assert!(has_text(&svg, "2,0") || has_text(&svg, "1,0"), "decimal comma on the y axis");
        let en = to_svg(&fig, Lang::En).expect("svg");
        assert!(has_text(&en, "Months since transfer"));
        assert!(!has_text(&en, "Bulan sejak mutasi"));
    }

    /// No estimates: an empty chart with axes, not a failure.
    #[test]
    fn empty_event_study_draws() {
        let fig = EventStudy { name: "es".into(), title: "t".into(), y_label: "y".into(), points: vec![] };
        let svg = to_svg(&fig, Lang::En).expect("svg");
        assert_eq!(count(&svg, "circle"), 2, "only the legend markers");
    }
}
