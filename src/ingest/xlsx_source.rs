//! Reading Excel workbooks with calamine.
//!
//! Reads the first worksheet or a named one. Reports printed to Excel often carry a title block
//! above the table, so the header row is detected: among the first 30 rows, the one with the most
//! cells that are known headers for the table wins. Cells keep their Excel types, so a NIP stored
//! as a number is recognised as Excel damage and a date cell needs no parsing.
//!
//! xlsx sheets are read cell by cell into sparse rows, never as calamine's dense `Range`: a stray
//! cell at XFD1048576 would otherwise ask for a 17-billion-cell allocation and abort the run.

use std::path::Path;

use calamine::{Data, Reader};

use super::cell::Cell;
use super::file_error::{FileError, FileErrorKind};
use super::source::RowEvent;

/// Non-empty rows in order: 0-based sheet row, and its cells as (column, value) by column.
type SparseRows = Vec<(u32, Vec<(u32, Data)>)>;

pub struct XlsxSource {
    rows: SparseRows,
    /// Index within `rows` of the header row.
    header_idx: usize,
    pub sheet: String,
    pub headers: Vec<String>,
}

fn cell_text(d: &Data) -> String {
    match d {
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.trim().to_string(),
        Data::Empty => String::new(),
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

impl XlsxSource {
    pub fn open(
        path: &Path,
        sheet: Option<&str>,
        is_header: &dyn Fn(&str) -> bool,
    ) -> Result<XlsxSource, FileError> {
        let not_xlsx = |e: String| {
            FileError::new(
                path,
                FileErrorKind::NotASpreadsheet,
                format!("bukan berkas Excel yang sah / not a valid Excel file: {e}"),
                "buka dan simpan ulang di Excel sebagai .xlsx, atau ekspor sebagai CSV / re-save as .xlsx or export as CSV",
            )
        };
        let wb = calamine::open_workbook_auto(path).map_err(|e| not_xlsx(e.to_string()))?;
        let names = wb.sheet_names();
        let sheet_name = match sheet {
            Some(s) => names.iter().find(|n| n.as_str() == s).cloned().ok_or_else(|| {
                FileError::new(
                    path,
                    FileErrorKind::SheetNotFound(s.to_string()),
                    format!(
                        "lembar kerja `{s}` tidak ada / no worksheet `{s}`; yang ada / available: {}",
                        names.join(", ")
                    ),
                    "perbaiki `sheet` di konfigurasi / fix `sheet` in the config",
                )
            })?,
            None => {
                names.first().cloned().ok_or_else(|| not_xlsx("tanpa lembar kerja / no worksheets".into()))?
            }
        };
        let rows = sparse_rows(wb, &sheet_name).map_err(not_xlsx)?;
        let empty = || {
            FileError::new(
                path,
                FileErrorKind::Empty,
                format!("lembar `{sheet_name}` kosong / worksheet is empty"),
                "pilih lembar kerja yang berisi data lewat `sheet` / choose the sheet with data",
            )
        };
        let first = rows.first().map(|(r, _)| *r).ok_or_else(empty)?;
        let mut best: Option<(usize, usize)> = None;
        for (i, (_, row)) in rows.iter().enumerate().take_while(|(_, (r, _))| *r < first + 30) {
            let texts: Vec<String> =
                row.iter().map(|(_, d)| cell_text(d)).filter(|t| !t.is_empty()).collect();
            if texts.is_empty() {
                continue;
            }
            let known = texts.iter().filter(|t| is_header(t)).count();
            match best {
                None => best = Some((i, known)),
                Some((_, k)) if known > k => best = Some((i, known)),
                _ => {}
            }
        }
        let (header_idx, _) = best.ok_or_else(empty)?;
        let headers: Vec<String> = match rows.get(header_idx) {
            Some((_, cells)) => {
                let n = cells.iter().map(|(c, _)| *c as usize + 1).max().unwrap_or(0).min(16_384);
                let mut h = vec![String::new(); n];
                for (c, d) in cells {
                    if let Some(slot) = h.get_mut(*c as usize) {
                        *slot = cell_text(d);
                    }
                }
                h
            }
            None => Vec::new(),
        };
        // Drop trailing empty header cells.
        let width = headers.iter().rposition(|h| !h.is_empty()).map_or(0, |p| p + 1);
        let headers = headers[..width].to_vec();
        Ok(XlsxSource { rows, header_idx, sheet: sheet_name, headers })
    }

    pub fn for_each(&self, f: &mut dyn FnMut(RowEvent<'_>) -> bool) -> Result<(), FileError> {
        let width = self.headers.len();
        for (r, row) in self.rows.iter().skip(self.header_idx + 1) {
            let number = u64::from(*r) + 1;
            if row.iter().all(|(_, d)| matches!(d, Data::Empty) || cell_text(d).is_empty()) {
                continue; // Excel shows blank rows; they hold nothing to accept or reject.
            }
            let at =
                |c: usize| row.binary_search_by_key(&(c as u32), |(col, _)| *col).ok().map(|k| &row[k].1);
            let cells: Vec<Cell<'_>> = (0..width)
                .map(|c| match at(c) {
                    None | Some(Data::Empty) => Cell::Empty,
                    Some(Data::String(s)) | Some(Data::DateTimeIso(s)) | Some(Data::DurationIso(s)) => {
                        if s.trim().is_empty() { Cell::Empty } else { Cell::Text(s.as_str()) }
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

/// The sheet's non-empty cells grouped into rows, sorted by row and column. xlsx files are
/// streamed cell by cell; other workbook formats (xls, ods, xlsb) go through calamine's range,
/// whose size their formats bound.
fn sparse_rows(
    wb: calamine::Sheets<std::io::BufReader<std::fs::File>>,
    sheet: &str,
) -> Result<SparseRows, String> {
    let mut cells: Vec<(u32, u32, Data)> = Vec::new();
    match wb {
        calamine::Sheets::Xlsx(mut x) => {
            let mut reader = x.worksheet_cells_reader(sheet).map_err(|e| e.to_string())?;
            while let Some(cell) = reader.next_cell().map_err(|e| e.to_string())? {
                let (r, c) = cell.get_position();
                let value: Data = cell.get_value().clone().into();
                if !matches!(value, Data::Empty) {
                    cells.push((r, c, value));
                }
            }
        }
        mut other => {
            let range = other.worksheet_range(sheet).map_err(|e| e.to_string())?;
            let (r0, c0) = range.start().unwrap_or((0, 0));
            for (i, row) in range.rows().enumerate() {
                for (j, d) in row.iter().enumerate() {
                    if !matches!(d, Data::Empty) {
                        cells.push((r0 + i as u32, c0 + j as u32, d.clone()));
                    }
                }
            }
        }
    }
    cells.sort_by_key(|(r, c, _)| (*r, *c));
    let mut rows: SparseRows = Vec::new();
    for (r, c, d) in cells {
        match rows.last_mut() {
            Some((last, v)) if *last == r => v.push((c, d)),
            _ => rows.push((r, vec![(c, d)])),
        }
    }
    Ok(rows)
}
