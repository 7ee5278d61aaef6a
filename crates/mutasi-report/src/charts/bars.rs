//! Labelled vertical bars: the transfer-request funnel (submitted, decided, approved, rejected).

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{ChartError, Figure, category_label, fail, font, palette};
use crate::i18n::{Lang, count};

#[derive(Debug, Clone, PartialEq)]
pub struct Bars {
    pub name: String,
    pub title: String,
    pub y_label: String,
    pub bars: Vec<(String, u64)>,
}

impl Figure for Bars {
    fn name(&self) -> &str {
        &self.name
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, lang: Lang) -> Result<(), ChartError> {
        let err = fail(&self.name);
        let labels: Vec<String> = self.bars.iter().map(|(l, _)| l.clone()).collect();
        let n = labels.len().max(1);
        let top = self.bars.iter().map(|(_, v)| *v).max().unwrap_or(1).max(1) as f64 * 1.15;
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
            .y_desc(&self.y_label)
            .label_style(font(16))
            .axis_desc_style(font(18))
            .x_label_formatter(&label_of)
            .y_label_formatter(&|v| {
                if (v - v.round()).abs() < 1e-6 { count(v.round() as u64, lang) } else { String::new() }
            })
            .draw()
            .map_err(&err)?;
        chart
            .draw_series(self.bars.iter().enumerate().map(|(i, (_, v))| {
                let x = i as f64;
                Rectangle::new([(x - 0.35, 0.0), (x + 0.35, *v as f64)], palette::MAIN.filled())
            }))
            .map_err(&err)?;
        chart
            .draw_series(self.bars.iter().enumerate().map(|(i, (_, v))| {
                Text::new(
                    count(*v, lang),
                    (i as f64, *v as f64 + top * 0.02),
                    font(16).pos(Pos::new(HPos::Center, VPos::Bottom)),
                )
            }))
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
    fn one_bar_and_one_value_per_category() {
        let fig = Bars {
            name: "b".into(),
            title: "Alur".into(),
            y_label: "Permohonan".into(),
            bars: vec![("Diajukan".into(), 1200), ("Disetujui".into(), 700), ("Ditolak".into(), 0)],
        };
        let svg = to_svg(&fig, Lang::Id).expect("svg");
        let none = to_svg(&Bars { bars: vec![], ..fig.clone() }, Lang::Id).expect("svg");
        assert_eq!(count(&svg, "rect") - count(&none, "rect"), 3);
        for t in ["1.200", "700", "Diajukan", "Ditolak", "Permohonan"] {
            assert!(has_text(&svg, t), "{t}");
        }
    }
}
