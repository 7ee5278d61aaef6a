//! Before/after dumbbell: one row per group (jenis_mutasi, OPD), the mean before and the mean
//! after joined by a line, with the group's n in its label. Descriptive: it is the view managers
//! ask for first, and the report places it beside the comparison-group estimates.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{ChartError, Figure, category_label, fail, font, padded_range, palette, shorten};
use crate::i18n::{Lang, count, num, tr};

#[derive(Debug, Clone, PartialEq)]
pub struct DumbbellRow {
    pub label: String,
    pub n: u64,
    pub before: f64,
    pub after: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Dumbbell {
    pub name: String,
    pub title: String,
    pub x_label: String,
    /// Top to bottom.
    pub rows: Vec<DumbbellRow>,
}

impl Figure for Dumbbell {
    fn name(&self) -> &str {
        &self.name
    }

    fn size(&self) -> (u32, u32) {
        (1000, (160 + 44 * self.rows.len().max(1) as u32).max(320))
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, lang: Lang) -> Result<(), ChartError> {
        let err = fail(&self.name);
        let rows: Vec<&DumbbellRow> =
            self.rows.iter().filter(|r| r.before.is_finite() && r.after.is_finite()).collect();
        let m = rows.len().max(1);
        // Row 0 at the top: y runs from m − 0.5 (bottom) to −0.5 (top) through a flipped index.
        let labels: Vec<String> = rows
            .iter()
            .rev()
            .map(|r| format!("{} (n={})", shorten(&r.label, 26), count(r.n, lang)))
            .collect();
        let (x0, x1) = padded_range(rows.iter().flat_map(|r| [r.before, r.after]), None);
        let mut chart = ChartBuilder::on(root)
            .caption(&self.title, font(24))
            .margin(18)
            .x_label_area_size(56)
            .y_label_area_size(300)
            .build_cartesian_2d(x0..x1, -0.5..(m as f64 - 0.5))
            .map_err(&err)?;
        let label_of = |v: &f64| category_label(&labels, *v);
        chart
            .configure_mesh()
            .light_line_style(palette::GRID)
            .max_light_lines(1)
            .y_labels(m + 1)
            .x_desc(&self.x_label)
            .label_style(font(16))
            .axis_desc_style(font(18))
            .x_label_formatter(&|v| num(*v, 1, lang))
            .y_label_formatter(&label_of)
            .draw()
            .map_err(&err)?;
        let y_of = |i: usize| (rows.len() - 1 - i) as f64;
        chart
            .draw_series(rows.iter().enumerate().map(|(i, r)| {
                let colour = if r.after >= r.before { palette::GOOD } else { palette::BAD };
                PathElement::new(vec![(r.before, y_of(i)), (r.after, y_of(i))], colour.stroke_width(4))
            }))
            .map_err(&err)?;
        chart
            .draw_series(
                rows.iter()
                    .enumerate()
                    .map(|(i, r)| Circle::new((r.before, y_of(i)), 7, palette::PRE.filled())),
            )
            .map_err(&err)?
            .label(tr("sebelum", lang))
            .legend(|(x, y)| Circle::new((x + 10, y), 7, palette::PRE.filled()));
        chart
            .draw_series(
                rows.iter()
                    .enumerate()
                    .map(|(i, r)| Circle::new((r.after, y_of(i)), 7, palette::MAIN.filled())),
            )
            .map_err(&err)?
            .label(tr("sesudah", lang))
            .legend(|(x, y)| Circle::new((x + 10, y), 7, palette::MAIN.filled()));
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::LowerRight)
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

    #[test]
    fn two_markers_per_group_and_n_in_labels() {
        let fig = Dumbbell {
            name: "d".into(),
            title: "Sebelum/sesudah".into(),
            x_label: "capaian_iki".into(),
            rows: vec![
                DumbbellRow { label: "rotasi".into(), n: 120, before: 80.0, after: 82.5 },
                DumbbellRow { label: "promosi".into(), n: 1500, before: 85.0, after: 84.0 },
                DumbbellRow { label: "kosong".into(), n: 3, before: f64::NAN, after: 1.0 },
            ],
        };
        let svg = to_svg(&fig, Lang::Id).expect("svg");
        assert_eq!(count(&svg, "circle"), 2 * 2 + 2, "two groups drawn, two legend markers");
        assert!(has_text(&svg, "rotasi (n=120)"), "{svg}");
        assert!(has_text(&svg, "promosi (n=1.500)"), "Indonesian thousands separator");
        assert!(!svg.contains("kosong"), "a group without values is not drawn");
        assert!(has_text(&svg, "capaian_iki"));
        assert!(has_text(&svg, "Sesudah"));
    }
}
