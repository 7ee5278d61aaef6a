//! Flow heatmap OPD × OPD: how many transfers went from each origin (row) to each destination
//! (column). Darker means more. When both axes list the same OPD, rows are numbered and columns
//! labelled by number, so every label stays horizontal and readable in print. Cells the privacy rules suppress are drawn hatched grey and
//! labelled `<k`, never with their count.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{ChartError, Figure, category_label, fail, font, palette, shorten};
use crate::i18n::{Lang, count, tr};

/// One cell's content.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FlowCell {
    Count(u64),
    /// Fewer than k transfers, or hidden by complementary suppression.
    Suppressed,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Heatmap {
    pub name: String,
    pub title: String,
    pub rows: Vec<String>,
    pub columns: Vec<String>,
    /// Row-major, `rows.len() × columns.len()`.
    pub cells: Vec<FlowCell>,
    /// The suppression threshold k, for the `<k` label.
    pub k: u64,
}

impl Figure for Heatmap {
    fn name(&self) -> &str {
        &self.name
    }

    fn size(&self) -> (u32, u32) {
        let side = 36 * self.rows.len().max(self.columns.len()).max(4) as u32;
        (1000.max(320 + side), 200 + 36 * self.rows.len().max(4) as u32)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, lang: Lang) -> Result<(), ChartError> {
        let err = fail(&self.name);
        let (nr, nc) = (self.rows.len(), self.columns.len());
        if self.cells.len() != nr * nc {
            return Err(ChartError {
                name: self.name.clone(),
                message: format!("{} sel untuk {nr} × {nc} / cells for rows × columns", self.cells.len()),
            });
        }
        // The same OPD on both axes: rows numbered, columns by number, so labels stay horizontal.
        let same = self.rows == self.columns;
        let row_labels: Vec<String> = self
            .rows
            .iter()
            .enumerate()
            .rev()
            .map(|(i, r)| if same { format!("{}. {}", i + 1, shorten(r, 26)) } else { shorten(r, 28) })
            .collect();
        let col_labels: Vec<String> = self
            .columns
            .iter()
            .enumerate()
            .map(|(i, c)| if same { format!("{}", i + 1) } else { shorten(c, 10) })
            .collect();
        let mut chart = ChartBuilder::on(root)
            .caption(&self.title, font(24))
            .margin(18)
            .x_label_area_size(60)
            .y_label_area_size(260)
            .build_cartesian_2d(-0.5..(nc.max(1) as f64 - 0.5), -0.5..(nr.max(1) as f64 - 0.5))
            .map_err(&err)?;
        let x_of = |v: &f64| category_label(&col_labels, *v);
        let y_of = |v: &f64| category_label(&row_labels, *v);
        chart
            .configure_mesh()
            .disable_mesh()
            .x_labels(nc + 1)
            .y_labels(nr + 1)
            .x_desc(tr("opd_tujuan", lang))
            .y_desc(tr("opd_asal", lang))
            .label_style(font(13))
            .axis_desc_style(font(18))
            .x_label_formatter(&x_of)
            .y_label_formatter(&y_of)
            .draw()
            .map_err(&err)?;
        let top = self
            .cells
            .iter()
            .filter_map(|c| match c {
                FlowCell::Count(n) => Some(*n),
                FlowCell::Suppressed => None,
            })
            .max()
            .unwrap_or(1)
            .max(1) as f64;
        let mut rects = Vec::new();
        let mut texts = Vec::new();
        for r in 0..nr {
            for c in 0..nc {
                let y = (nr - 1 - r) as f64;
                let x = c as f64;
                let corners = [(x - 0.5, y - 0.5), (x + 0.5, y + 0.5)];
                let centre = Pos::new(HPos::Center, VPos::Center);
                match self.cells[r * nc + c] {
                    FlowCell::Count(0) => {}
                    FlowCell::Count(n) => {
                        let t = (n as f64 / top).sqrt();
                        let shade = RGBColor(
                            (235.0 - t * (235.0 - f64::from(palette::MAIN.0))) as u8,
                            (240.0 - t * (240.0 - f64::from(palette::MAIN.1))) as u8,
                            (250.0 - t * (250.0 - f64::from(palette::MAIN.2))) as u8,
                        );
                        rects.push(Rectangle::new(corners, shade.filled()));
                        let ink = if t > 0.55 { WHITE } else { BLACK };
                        texts.push(Text::new(
                            count(n, lang),
                            (x, y),
                            (super::FONT, 13).into_font().color(&ink).pos(centre),
                        ));
                    }
                    FlowCell::Suppressed => {
                        rects.push(Rectangle::new(corners, palette::GRID.filled()));
                        texts.push(Text::new(format!("<{}", self.k), (x, y), font(12).pos(centre)));
                    }
                }
            }
        }
        chart.draw_series(rects).map_err(&err)?;
        chart.draw_series(texts).map_err(&err)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{count, has_text};
    use super::super::to_svg;
    use super::*;

    /// One rectangle per non-empty cell, counts as text, suppressed cells as `<k` only.
    #[test]
    fn cells_counts_and_suppression() {
        let fig = Heatmap {
            name: "f".into(),
            title: "Arus".into(),
            rows: vec!["Dinas Kesehatan".into(), "Dinas Pendidikan".into()],
            columns: vec!["Dinas Kesehatan".into(), "Dinas Pendidikan".into(), "luar_instansi".into()],
            cells: vec![
                FlowCell::Count(12),
                FlowCell::Suppressed,
                FlowCell::Count(0),
                FlowCell::Count(1234),
                FlowCell::Count(40),
                FlowCell::Suppressed,
            ],
            k: 5,
        };
        let svg = to_svg(&fig, Lang::Id).expect("svg");
        // Background + plotting area + 5 non-empty cells.
        let cells = count(&svg, "rect")
            - count(
                &to_svg(&Heatmap { cells: vec![FlowCell::Count(0); 6], ..fig.clone() }, Lang::Id)
                    .expect("svg"),
                "rect",
            );
        assert_eq!(cells, 5);
        assert!(has_text(&svg, "1.234") && has_text(&svg, "12") && has_text(&svg, "40"));
        assert_eq!(svg.matches("&lt;5\n</text>").count(), 2, "{svg}");
        assert!(has_text(&svg, "OPD tujuan") && has_text(&svg, "OPD asal"));
        assert!(has_text(&svg, "Dinas Pendidikan"));
        let square = Heatmap { columns: fig.rows.clone(), cells: vec![FlowCell::Count(7); 4], ..fig.clone() };
        let sq = to_svg(&square, Lang::Id).expect("svg");
        assert!(
            has_text(&sq, "2. Dinas Pendidikan") && has_text(&sq, "2"),
            "numbered when both axes list the same OPD"
        );
        let bad = Heatmap { cells: vec![FlowCell::Count(1)], ..fig };
        assert!(to_svg(&bad, Lang::Id).is_err(), "cells must match rows × columns");
    }
}
