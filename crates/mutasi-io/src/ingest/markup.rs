//! Tables written as markup and saved with a spreadsheet name: the "Export Excel" of many PHP
//! SIMPEG apps (an HTML `<table>` sent as `application/vnd.ms-excel`, often with
//! `<meta name="ProgId" content="Excel.Sheet">`), and XML Spreadsheet 2003 (`<Workbook>`,
//! `<Worksheet ss:Name>`, `<Row>`, `<Cell>`, `<Data>`).
//!
//! The markup is tokenised by html5gum (a WHATWG tokenizer, so unclosed `<td>`s, entities and
//! `<br>` inside cells are handled as a browser would) and laid out with the HTML table model:
//! `colspan`/`rowspan` (and `ss:MergeAcross`/`ss:MergeDown`, `ss:Index`) become merged regions
//! with the value in their first cell, as Excel shows them. Each top-level HTML table, or each
//! worksheet, is one [`Grid`]. Cell text is kept as text (a NIP keeps its 18 digits), except
//! XML Spreadsheet cells typed `Number`.

use calamine::Data;
use html5gum::{Token, Tokenizer};

use super::workbook::{Grid, Merge};

/// Whether `text` (decoded, BOM removed) is markup this module reads: an HTML table or an XML
/// Spreadsheet 2003 workbook.
pub fn looks_like_markup(text: &str) -> bool {
    let head: String = text.trim_start().chars().take(4096).collect::<String>().to_ascii_lowercase();
    head.starts_with('<')
        && (head.contains("<table")
            || head.contains("<html")
            || head.contains("urn:schemas-microsoft-com:office:spreadsheet")
            || head.contains("<workbook"))
}

#[derive(Default)]
struct Layout {
    name: String,
    cells: Vec<(u32, u32, Data)>,
    merges: Vec<Merge>,
    row: Option<u32>,
    /// A row has started and not ended.
    open: bool,
    col: u32,
    /// Rows still covered, per column, by a rowspan from above.
    covered: Vec<u32>,
    /// The cell being read: its column, text, spans and XML type.
    cell: Option<(u32, String, u32, u32, bool)>,
}

impl Layout {
    fn start_row(&mut self, index: Option<u32>) {
        let next = self.row.map_or(0, |r| r + 1);
        let r = index.map_or(next, |i| i.max(next));
        // Rows skipped by an explicit index end the rowspans they pass over.
        for _ in next..r {
            self.covered.iter_mut().for_each(|c| *c = c.saturating_sub(1));
        }
        self.row = Some(r);
        self.open = true;
        self.col = 0;
    }

    fn end_row(&mut self) {
        self.finish_cell();
        if self.open {
            self.covered.iter_mut().for_each(|c| *c = c.saturating_sub(1));
            self.open = false;
        }
    }

    fn start_cell(&mut self, colspan: u32, rowspan: u32, index: Option<u32>, number: bool) {
        self.finish_cell();
        if !self.open {
            self.start_row(None);
        }
        if let Some(i) = index {
            self.col = self.col.max(i);
        }
        while self.covered.get(self.col as usize).is_some_and(|c| *c > 0) {
            self.col += 1;
        }
        self.cell = Some((self.col, String::new(), colspan.clamp(1, 1000), rowspan.clamp(1, 65_536), number));
    }

    fn text(&mut self, s: &str) {
        if let Some((_, text, ..)) = &mut self.cell {
            text.push_str(s);
        }
    }

    fn line_break(&mut self) {
        self.text("\n");
    }

    fn finish_cell(&mut self) {
        let Some((col, text, colspan, rowspan, number)) = self.cell.take() else { return };
        let row = self.row.unwrap_or(0);
        // Whitespace as a browser renders it: runs collapsed within a line, lines kept.
        let lines: Vec<String> = text
            .split('\n')
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|l| !l.is_empty())
            .collect();
        let value = lines.join("\n");
        if !value.is_empty() {
            let data = match value.parse::<f64>() {
                Ok(v) if number => Data::Float(v),
                _ => Data::String(value),
            };
            self.cells.push((row, col, data));
        }
        if colspan > 1 || rowspan > 1 {
            self.merges.push((row, col, row + rowspan - 1, col + colspan - 1));
        }
        let end = (col + colspan) as usize;
        if self.covered.len() < end {
            self.covered.resize(end, 0);
        }
        for c in &mut self.covered[col as usize..end] {
            *c = (*c).max(rowspan);
        }
        self.col = col + colspan;
    }

    fn into_grid(mut self) -> Grid {
        self.finish_cell();
        Grid::from_cells(std::mem::take(&mut self.name), self.cells, self.merges)
    }
}

fn attr(tag: &html5gum::StartTag<()>, name: &str) -> Option<String> {
    tag.attributes.get(name.as_bytes()).map(|v| String::from_utf8_lossy(&v.value).trim().to_string())
}

fn number_attr(tag: &html5gum::StartTag<()>, name: &str) -> Option<u32> {
    attr(tag, name).and_then(|v| v.parse().ok())
}

/// The tables of a markup file, one grid per top-level HTML table or XML worksheet.
pub fn read_markup(text: &str) -> Vec<Grid> {
    let mut grids: Vec<Grid> = Vec::new();
    let mut current: Option<Layout> = None;
    // Depth of nested HTML tables: an inner table's text belongs to the outer cell.
    let mut depth = 0usize;
    let mut tables = 0usize;
    let mut sheet_name: Option<String> = None;
    for Ok(token) in Tokenizer::new(text) {
        match token {
            Token::StartTag(tag) => {
                let name = String::from_utf8_lossy(&tag.name).to_ascii_lowercase();
                match name.as_str() {
                    "worksheet" => sheet_name = attr(&tag, "ss:name").or_else(|| attr(&tag, "name")),
                    "table" => {
                        depth += 1;
                        if depth == 1 {
                            tables += 1;
                            let name = sheet_name.clone().unwrap_or_else(|| format!("tabel {tables}"));
                            current = Some(Layout { name, ..Layout::default() });
                        }
                    }
                    "tr" | "row" if depth == 1 => {
                        if let Some(l) = &mut current {
                            l.end_row();
                            // ss:Index is 1-based.
                            l.start_row(number_attr(&tag, "ss:index").map(|i| i.saturating_sub(1)));
                        }
                    }
                    "td" | "th" | "cell" if depth == 1 => {
                        if let Some(l) = &mut current {
                            let across = number_attr(&tag, "ss:mergeacross").map(|m| m + 1);
                            let down = number_attr(&tag, "ss:mergedown").map(|m| m + 1);
                            let colspan = number_attr(&tag, "colspan").or(across).unwrap_or(1);
                            let rowspan = number_attr(&tag, "rowspan").or(down).unwrap_or(1);
                            let index = number_attr(&tag, "ss:index").map(|i| i.saturating_sub(1));
                            l.start_cell(colspan, rowspan, index, false);
                        }
                    }
                    "data" if depth == 1 => {
                        let number = attr(&tag, "ss:type").is_some_and(|t| t.eq_ignore_ascii_case("number"));
                        if let Some(Layout { cell: Some(c), .. }) = &mut current {
                            c.4 = number;
                        }
                    }
                    "br" | "p" | "div" if depth >= 1 => {
                        if let Some(l) = &mut current {
                            l.line_break();
                        }
                    }
                    _ => {}
                }
            }
            Token::EndTag(tag) => {
                let name = String::from_utf8_lossy(&tag.name).to_ascii_lowercase();
                match name.as_str() {
                    "table" => {
                        depth = depth.saturating_sub(1);
                        if depth == 0
                            && let Some(mut l) = current.take()
                        {
                            l.end_row();
                            grids.push(l.into_grid());
                        }
                    }
                    "tr" | "row" if depth == 1 => {
                        if let Some(l) = &mut current {
                            l.end_row();
                        }
                    }
                    "td" | "th" | "cell" if depth == 1 => {
                        if let Some(l) = &mut current {
                            l.finish_cell();
                        }
                    }
                    "p" | "div" if depth >= 1 => {
                        if let Some(l) = &mut current {
                            l.line_break();
                        }
                    }
                    "worksheet" => sheet_name = None,
                    _ => {}
                }
            }
            Token::String(s) => {
                if let Some(l) = &mut current {
                    l.text(&String::from_utf8_lossy(&s.value));
                }
            }
            _ => {}
        }
    }
    if let Some(mut l) = current.take() {
        l.end_row();
        grids.push(l.into_grid());
    }
    grids
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(g: &Grid) -> Vec<Vec<(u32, String)>> {
        g.rows
            .iter()
            .map(|(_, cells)| {
                cells
                    .iter()
                    .map(|(c, d)| {
                        let t = match d {
                            Data::String(s) => s.clone(),
                            other => other.to_string(),
                        };
                        (*c, t)
                    })
                    .collect()
            })
            .collect()
    }

    /// A SIMPEG-style export: a title table, then the data table with a two-row header, an
    /// unclosed `<td>`, an entity and a `<br>` inside a cell.
    #[test]
    fn html_tables_rowspans_and_line_breaks() {
        let html = r#"<html xmlns:x="urn:schemas-microsoft-com:office:excel"><head>
<meta name="ProgId" content="Excel.Sheet"><style>td { mso-number-format:"\@"; }</style></head><body>
<table><tr><td>DAFTAR URUT KEPANGKATAN</td></tr></table>
<table border="1">
<tr><th rowspan="2">NO</th><th rowspan="2">NAMA / NIP</th><th colspan="2">PANGKAT</th><th rowspan=2>JABATAN</th></tr>
<tr><th>GOL/RUANG</th><th>TMT</th></tr>
<tr><td>1<td>Maria Ely, S.Kep<br>NIP. 19900115 201403 2 002</td><td>Penata Muda (III/a)</td><td>01-04-2020</td><td>Perawat &amp; Bidan</td></tr>
</table></body></html>"#;
        let grids = read_markup(html);
        assert_eq!(grids.len(), 2);
        assert_eq!(grids[0].name, "tabel 1");
        let g = &grids[1];
        let t = texts(g);
        assert_eq!(
            t[0],
            vec![(0, "NO".into()), (1, "NAMA / NIP".into()), (2, "PANGKAT".into()), (4, "JABATAN".into())]
        );
        // The second header row's cells sit under PANGKAT, past the rowspans of NO and NAMA / NIP.
        assert_eq!(t[1], vec![(2, "GOL/RUANG".into()), (3, "TMT".into())]);
        assert_eq!(t[2][1], (1, "Maria Ely, S.Kep\nNIP. 19900115 201403 2 002".into()));
        assert_eq!(t[2][4], (4, "Perawat & Bidan".into()));
        assert!(g.merges.contains(&(0, 2, 0, 3)), "{:?}", g.merges);
        assert!(g.merges.contains(&(0, 0, 1, 0)));
    }

    #[test]
    fn xml_spreadsheet_2003() {
        let xml = r#"<?xml version="1.0"?>
<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">
<Worksheet ss:Name="Dinkes"><Table>
<Row><Cell><Data ss:Type="String">NIP</Data></Cell><Cell ss:Index="3"><Data ss:Type="String">NILAI</Data></Cell></Row>
<Row ss:Index="3"><Cell><Data ss:Type="String">198609262015051001</Data></Cell><Cell ss:Index="3"><Data ss:Type="Number">76.5</Data></Cell></Row>
</Table></Worksheet>
<Worksheet ss:Name="Puskesmas"><Table><Row><Cell ss:MergeAcross="1"><Data ss:Type="String">X</Data></Cell></Row></Table></Worksheet>
</Workbook>"#;
        assert!(looks_like_markup(xml));
        let grids = read_markup(xml);
        assert_eq!(grids.iter().map(|g| g.name.as_str()).collect::<Vec<_>>(), ["Dinkes", "Puskesmas"]);
        assert_eq!(grids[0].rows[0].1[1].0, 2);
        assert_eq!(grids[0].rows[1].0, 2, "ss:Index skips a row");
        assert_eq!(grids[0].rows[1].1[0].1, Data::String("198609262015051001".into()));
        assert_eq!(grids[0].rows[1].1[1].1, Data::Float(76.5));
        assert_eq!(grids[1].merges, vec![(0, 0, 0, 1)]);
        assert!(!looks_like_markup("nip;nama\n1;2"));
    }
}
