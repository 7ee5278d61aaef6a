//! One sheet of a workbook (or one HTML table) seen as a header plus numbered rows.
//!
//! Reports printed to Excel carry a title block above the table, a header of one or two rows,
//! and often a row of column numbers `(1) (2) … (n)` under it. [`locate_header`] finds the
//! header row: among the first 30 rows, the one with the most cells that are known headers of
//! the table. A second header row under merged cells (`PANGKAT` over `GOL/RUANG | TMT`) is joined
//! with the row above into one name per column, and the column-number row, like a header
//! repeated further down (reports repeat it on every printed page), is layout: neither data nor
//! a reject. Cells keep their types, so a NIP stored as a number is recognised as Excel damage
//! and a date cell needs no parsing.

use calamine::Data;

use super::cell::Cell;
use super::source::RowEvent;
use super::workbook::{Grid, SparseRows};
use mutasi_domain::schema::header_key;

/// How many rows from the top of a sheet may hold the header.
const HEADER_SEARCH_ROWS: u32 = 30;

pub fn cell_text(d: &Data) -> String {
    match d {
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.trim().to_string(),
        Data::Empty => String::new(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.0}"),
        other => other.to_string(),
    }
}

fn error_text(e: &calamine::CellErrorType) -> &'static str {
    use calamine::CellErrorType::*;
    match e {
        Div0 => "#DIV/0!",
        NA => "#N/A",
        Name => "#NAME?",
        Null => "#NULL!",
        Num => "#NUM!",
        Ref => "#REF!",
        Value => "#VALUE!",
        GettingData => "#DATA!",
    }
}

/// Where a sheet's header is and what it says.
#[derive(Debug, Clone, PartialEq)]
pub struct HeaderLayout {
    /// Index within the grid's rows of the (first) header row.
    pub header_idx: usize,
    /// Index of the second header row joined into it.
    pub sub_idx: Option<usize>,
    /// Index of the column-number row under the header.
    pub number_idx: Option<usize>,
    /// How many cells of the header row are known headers.
    pub known: usize,
    /// One display name per column.
    pub headers: Vec<String>,
    /// The folded names each column matches, in priority order.
    pub keys: Vec<Vec<String>>,
}

/// The texts of a row by column, `width` wide.
fn row_texts(cells: &[(u32, Data)], width: usize) -> Vec<String> {
    let mut out = vec![String::new(); width];
    for (c, d) in cells {
        if let Some(slot) = out.get_mut(*c as usize) {
            *slot = cell_text(d);
        }
    }
    out
}

/// `1 2 3 …` or `(1) (2) (3) …` from the first column on: a printed report's column numbers.
fn is_number_row(cells: &[(u32, Data)]) -> bool {
    let numbers: Vec<Option<u32>> = cells
        .iter()
        .filter(|(_, d)| !cell_text(d).is_empty())
        .map(|(_, d)| {
            let t = cell_text(d);
            t.trim_start_matches('(').trim_end_matches(')').trim().parse::<u32>().ok()
        })
        .collect();
    numbers.len() >= 3 && numbers.iter().enumerate().all(|(i, n)| *n == Some(i as u32 + 1))
}

/// True when a text could be a data value rather than a header: a number or a date.
fn looks_like_value(d: &Data) -> bool {
    match d {
        Data::String(s) => {
            let t = s.trim();
            t.chars().all(|c| c.is_ascii_digit() || " .,/-:'".contains(c))
                && t.chars().any(|c| c.is_ascii_digit())
        }
        Data::Empty => false,
        _ => true,
    }
}

/// Finds the header of a sheet: the row with the most known headers among the first rows, with
/// a second header row and a column-number row under it when there are. `None` when no row has
/// a known header (and `fallback` is false); with `fallback`, the first non-empty row then.
pub fn locate_header(grid: &Grid, is_header: &dyn Fn(&str) -> bool, fallback: bool) -> Option<HeaderLayout> {
    let first = grid.rows.first().map(|(r, _)| *r)?;
    let mut best: Option<(usize, usize)> = None;
    for (i, (_, row)) in
        grid.rows.iter().enumerate().take_while(|(_, (r, _))| *r < first + HEADER_SEARCH_ROWS)
    {
        let known =
            row.iter().filter(|(_, d)| matches!(d, Data::String(_)) && is_header(&cell_text(d))).count();
        if row.iter().all(|(_, d)| cell_text(d).is_empty()) {
            continue;
        }
        match best {
            None => best = Some((i, known)),
            Some((_, k)) if known > k => best = Some((i, known)),
            _ => {}
        }
    }
    let (header_idx, known) = best?;
    if known == 0 && !fallback {
        return None;
    }
    let (header_row, header_cells) = &grid.rows[header_idx];
    let width =
        |cells: &[(u32, Data)]| cells.iter().map(|(c, _)| *c as usize + 1).max().unwrap_or(0).min(16_384);
    let mut w = width(header_cells);
    let top = row_texts(header_cells, w);
    // The header cell spanning a column: a merged region starting on the header row, or else
    // the nearest filled header cell to the left when this one is empty.
    let spanning = |c: usize| -> Option<usize> {
        grid.merges
            .iter()
            .find(|(r0, c0, _, c1)| *r0 == *header_row && *c0 as usize <= c && c <= *c1 as usize && c1 > c0)
            .map(|(_, c0, _, _)| *c0 as usize)
    };
    let next = |idx: usize| grid.rows.get(idx).filter(|(r, _)| *r == grid.rows[idx - 1].0 + 1);
    // A second header row: every cell text, none a value, and each under a header cell that
    // spans several columns or under an empty header cell (merged without merge information).
    let under_span = |c: usize| spanning(c).is_some() || top.get(c).is_none_or(String::is_empty);
    let mut sub_idx = None;
    if let Some((_, cells)) = next(header_idx + 1)
        && !cells.is_empty()
        && !is_number_row(cells)
        && cells.iter().all(|(c, d)| !looks_like_value(d) && under_span(*c as usize))
    {
        sub_idx = Some(header_idx + 1);
        w = w.max(width(cells));
    }
    let sub = sub_idx.map(|i| row_texts(&grid.rows[i].1, w)).unwrap_or_else(|| vec![String::new(); w]);
    let top = row_texts(header_cells, w);
    let parent_of = |c: usize| -> String {
        if !top[c].is_empty() {
            return top[c].clone();
        }
        if let Some(s) = spanning(c) {
            return top[s].clone();
        }
        // Without merge information, a sub-header cell under an empty cell belongs to the
        // nearest filled header cell on its left.
        if sub_idx.is_some() && !sub[c].is_empty() {
            return (0..c).rev().map(|k| top[k].clone()).find(|t| !t.is_empty()).unwrap_or_default();
        }
        String::new()
    };
    let child_keys: Vec<String> = sub.iter().map(|s| header_key(s)).collect();
    let mut headers = Vec::with_capacity(w);
    let mut keys = Vec::with_capacity(w);
    for (c, child) in sub.iter().enumerate() {
        let parent = parent_of(c);
        let child = child.clone();
        if child.is_empty() || sub_idx.is_none() {
            keys.push(vec![header_key(&parent)]);
            headers.push(parent);
        } else if parent.is_empty() {
            keys.push(vec![header_key(&child)]);
            headers.push(child);
        } else {
            let ck = header_key(&child);
            let mut k =
                vec![header_key(&format!("{parent}{child}")), header_key(&format!("{child}{parent}"))];
            if child_keys.iter().filter(|x| **x == ck).count() == 1 {
                k.push(ck);
            }
            keys.push(k);
            headers.push(format!("{parent} {child}"));
        }
    }
    // Drop trailing empty header cells.
    let width = headers.iter().rposition(|h| !h.is_empty()).map_or(0, |p| p + 1);
    headers.truncate(width);
    keys.truncate(width);
    let after = sub_idx.unwrap_or(header_idx) + 1;
    let number_idx = next(after).filter(|(_, cells)| is_number_row(cells)).map(|_| after);
    Some(HeaderLayout { header_idx, sub_idx, number_idx, known, headers, keys })
}

/// A sheet ready to be read row by row.
pub struct SheetSource {
    rows: SparseRows,
    layout: HeaderLayout,
    pub sheet: String,
    pub headers: Vec<String>,
    /// The format the workbook was read as: xlsx, xls, ods, html, xml.
    pub format: &'static str,
}

impl SheetSource {
    pub fn new(grid: Grid, layout: HeaderLayout, format: &'static str) -> SheetSource {
        SheetSource { headers: layout.headers.clone(), rows: grid.rows, sheet: grid.name, layout, format }
    }

    /// The folded names of each column, with the alternatives of a joined two-row header.
    pub fn keys(&self) -> &[Vec<String>] {
        &self.layout.keys
    }

    /// The rows above the header, each as its cells' texts joined by spaces: a report's title
    /// block ("UNIT PELAYANAN : PUSKESMAS PASSO", "SEMESTER I TAHUN 2025").
    pub fn title_lines(&self) -> Vec<String> {
        self.rows[..self.layout.header_idx]
            .iter()
            .map(|(_, cells)| {
                cells
                    .iter()
                    .map(|(_, d)| cell_text(d))
                    .filter(|t| !t.is_empty())
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .filter(|l| !l.is_empty())
            .collect()
    }

    /// Sheet rows (1-based) that are header or layout, not data.
    pub fn layout_rows(&self) -> Vec<u64> {
        let mut out = vec![self.rows[self.layout.header_idx].0 as u64 + 1];
        out.extend(self.layout.sub_idx.map(|i| self.rows[i].0 as u64 + 1));
        out.extend(self.layout.number_idx.map(|i| self.rows[i].0 as u64 + 1));
        out
    }

    pub fn for_each(
        &self,
        f: &mut dyn FnMut(RowEvent<'_>) -> bool,
    ) -> Result<(), super::file_error::FileError> {
        let width = self.headers.len();
        let start = self.layout.number_idx.or(self.layout.sub_idx).unwrap_or(self.layout.header_idx) + 1;
        let header = &self.rows[self.layout.header_idx].1;
        let header_texts = row_texts(header, width);
        for (r, row) in self.rows.iter().skip(start) {
            let number = u64::from(*r) + 1;
            if row.iter().all(|(_, d)| matches!(d, Data::Empty) || cell_text(d).is_empty()) {
                continue; // Excel shows blank rows; they hold nothing to accept or reject.
            }
            // The header or the column numbers repeated on a later printed page: layout.
            if is_number_row(row) || (row.len() > 1 && row_texts(row, width) == header_texts) {
                continue;
            }
            let at =
                |c: usize| row.binary_search_by_key(&(c as u32), |(col, _)| *col).ok().map(|k| &row[k].1);
            let cells: Vec<Cell<'_>> = (0..width)
                .map(|c| match at(c) {
                    None | Some(Data::Empty) => Cell::Empty,
                    Some(Data::String(s)) | Some(Data::DateTimeIso(s)) | Some(Data::DurationIso(s)) => {
                        Cell::text(s)
                    }
                    Some(Data::Int(v)) => Cell::Int(*v),
                    Some(Data::Float(v)) => Cell::Float(*v),
                    Some(Data::Bool(b)) => Cell::Bool(*b),
                    Some(Data::DateTime(dt)) => match dt.as_datetime() {
                        Some(d) if d.time() == chrono::NaiveTime::MIN => Cell::Date(d.date()),
                        Some(d) => Cell::DateTime(d),
                        None => Cell::Float(dt.as_f64()),
                    },
                    Some(Data::Error(e)) => Cell::Error(error_text(e)),
                })
                .collect();
            if !f(RowEvent::Row { number, cells: &cells }) {
                break;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(t: &str) -> Data {
        Data::String(t.into())
    }

    fn known(h: &str) -> bool {
        ["no", "nip", "nama", "jabatan", "namanip", "pangkatgolruang"].contains(&header_key(h).as_str())
    }

    /// A DUK as SIMPEG prints it: title, two-row header with merges, column numbers, data.
    #[test]
    fn two_row_header_and_column_numbers() {
        let cells = vec![
            (0, 0, s("DAFTAR URUT KEPANGKATAN")),
            (2, 0, s("NO")),
            (2, 1, s("NAMA / NIP")),
            (2, 2, s("PANGKAT")),
            (2, 4, s("JABATAN")),
            (3, 2, s("GOL/RUANG")),
            (3, 3, s("TMT")),
            (3, 4, s("NAMA")),
            (3, 5, s("TMT")),
            (4, 0, s("(1)")),
            (4, 1, s("(2)")),
            (4, 2, s("(3)")),
            (4, 3, s("(4)")),
            (4, 4, s("(5)")),
            (4, 5, s("(6)")),
            (5, 0, Data::Float(1.0)),
            (5, 1, s("Maria\nNIP. 19900115 201403 2 002")),
        ];
        let merges = vec![(2, 0, 3, 0), (2, 1, 3, 1), (2, 2, 2, 3), (2, 4, 2, 5), (0, 0, 0, 5)];
        let grid = Grid::from_cells("DUK".into(), cells, merges);
        let l = locate_header(&grid, &known, false).expect("header");
        assert_eq!(
            l.headers,
            ["NO", "NAMA / NIP", "PANGKAT GOL/RUANG", "PANGKAT TMT", "JABATAN NAMA", "JABATAN TMT"]
        );
        assert_eq!(l.keys[2], ["pangkatgolruang", "golruangpangkat", "golruang"]);
        // TMT appears under two parents: alone it matches neither.
        assert_eq!(l.keys[5], ["jabatantmt", "tmtjabatan"]);
        assert_eq!((l.header_idx, l.sub_idx, l.number_idx), (1, Some(2), Some(3)));
        let src = SheetSource::new(grid, l, "xlsx");
        let mut rows = Vec::new();
        src.for_each(&mut |ev| {
            if let RowEvent::Row { number, cells } = ev {
                rows.push((number, cells[1].raw()));
            }
            true
        })
        .expect("rows");
        assert_eq!(rows, vec![(6, "Maria\nNIP. 19900115 201403 2 002".to_string())]);
    }

    /// A one-row header followed directly by data is not mistaken for a two-row header.
    #[test]
    fn data_right_under_a_one_row_header() {
        let cells = vec![
            (0, 0, s("NIP")),
            (0, 1, s("NAMA")),
            (0, 2, s("JABATAN")),
            (1, 0, s("198609262015051001")),
            (1, 1, s("Yohanis")),
            (1, 2, s("Perawat")),
        ];
        let grid = Grid::from_cells("x".into(), cells, vec![]);
        let l = locate_header(&grid, &known, false).expect("header");
        assert_eq!((l.sub_idx, l.number_idx), (None, None));
        assert_eq!(l.headers, ["NIP", "NAMA", "JABATAN"]);
        let none = Grid::from_cells("catatan".into(), vec![(0, 0, s("Keterangan"))], vec![]);
        assert_eq!(locate_header(&none, &known, false), None);
        assert!(locate_header(&none, &known, true).is_some());
    }
}
