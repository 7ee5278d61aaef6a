//! Headcount waterfall for one OPD: headcount at the start, transfers in (+), transfers out (−),
//! other joiners and leavers (±), headcount at the end. Steps the privacy rules hide are merged
//! into one "suppressed" step whose size is only what start and end already reveal.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{ChartError, Figure, category_label, fail, font, palette};
use crate::i18n::{Lang, num, tr};

#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub label: String,
    pub delta: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Waterfall {
    pub name: String,
    pub title: String,
    pub start: f64,
    pub steps: Vec<Step>,
    pub end: f64,
}

impl Figure for Waterfall {
    fn name(&self) -> &str {
        &self.name
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, lang: Lang) -> Result<(), ChartError> {
        let err = fail(&self.name);
        let mut labels = vec![tr("awal", lang).to_string()];
        labels.extend(self.steps.iter().map(|s| s.label.clone()));
        labels.push(tr("akhir", lang).to_string());
        let n = labels.len();
        // Running level after each step.
        let mut level = self.start;
        let mut spans = vec![(0.0, self.start)];
        for s in &self.steps {
            spans.push((level, level + s.delta));
            level += s.delta;
        }
        spans.push((0.0, self.end));
        let top = spans.iter().flat_map(|(a, b)| [*a, *b]).fold(0.0_f64, f64::max).max(1.0) * 1.12;
        let mut chart = ChartBuilder::on(root)
            .caption(&self.title, font(24))
            .margin(18)
            .x_label_area_size(56)
            .y_label_area_size(80)
            .build_cartesian_2d(-0.5..(n as f64 - 0.5), 0.0..top)
            .map_err(&err)?;
        let label_of = |v: &f64| category_label(&labels, *v);
        chart
            .configure_mesh()
            .light_line_style(palette::GRID)
            .max_light_lines(1)
            .disable_x_mesh()
            .x_labels(n + 1)
            .y_desc(tr("jumlah_pegawai", lang))
            .label_style(font(16))
            .axis_desc_style(font(18))
            .x_label_formatter(&label_of)
            .y_label_formatter(&|v| num(*v, 0, lang))
            .draw()
            .map_err(&err)?;
        let bars = spans.iter().enumerate().map(|(i, (a, b))| {
            let colour = if i == 0 || i == n - 1 {
                palette::MAIN
            } else if b >= a {
                palette::GOOD
            } else {
                palette::BAD
            };
            let x = i as f64;
            Rectangle::new([(x - 0.35, a.min(*b)), (x + 0.35, a.max(*b))], colour.filled())
        });
        chart.draw_series(bars).map_err(&err)?;
        let values = spans.iter().enumerate().map(|(i, (a, b))| {
            let text = if i == 0 || i == n - 1 {
                num(*b, 0, lang)
            } else if b >= a {
                format!("+{}", num(b - a, 0, lang))
            } else {
                num(b - a, 0, lang)
            };
            Text::new(
                text,
                (i as f64, a.max(*b) + top * 0.02),
                font(16).pos(Pos::new(HPos::Center, VPos::Bottom)),
            )
        });
        chart.draw_series(values).map_err(&err)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{count, has_text};
    use super::super::to_svg;
    use super::*;

    /// Start, each step and end as bars, labelled with their values.
    #[test]
    fn one_bar_per_step_with_values() {
        let fig = Waterfall {
            name: "w".into(),
            title: "Dinas Kesehatan 2025".into(),
            start: 400.0,
            steps: vec![
                Step { label: "Masuk".into(), delta: 25.0 },
                Step { label: "Keluar".into(), delta: -30.0 },
                Step { label: "Lainnya".into(), delta: 5.0 },
            ],
            end: 400.0,
        };
        let svg = to_svg(&fig, Lang::Id).expect("svg");
        let empty = to_svg(&Waterfall { steps: vec![], ..fig.clone() }, Lang::Id).expect("svg");
        assert_eq!(count(&svg, "rect") - count(&empty, "rect"), 3, "one bar per step");
        for t in ["400", "+25", "−30", "+5", "Awal", "Akhir", "Masuk", "Keluar", "Jumlah pegawai"] {
            assert!(has_text(&svg, t), "{t}");
        }
    }
}
