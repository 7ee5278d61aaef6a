//! Reading Excel workbooks with calamine.
//!
//! Reads the first worksheet or a named one. Reports printed to Excel often carry a title block
//! above the table, so the header row is detected: among the first 30 rows, the one with the most
//! cells that are known headers for the table wins. Cells keep their Excel types, so a NIP stored
//! as a number is recognised as Excel damage and a date cell needs no parsing.

use std::path::Path;

use calamine::{Data, Range, Reader};

use super::cell::Cell;
use super::file_error::{FileError, FileErrorKind};
use super::source::RowEvent;

pub struct XlsxSource {
    range: Range<Data>,
    /// Index within `range` of the header row.
    header_idx: usize,
    /// Absolute 1-based spreadsheet row of `range`'s first row, minus one.
    row_offset: u64,
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
        let mut wb = calamine::open_workbook_auto(path).map_err(|e| not_xlsx(e.to_string()))?;
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
        let range = wb.worksheet_range(&sheet_name).map_err(|e| not_xlsx(e.to_string()))?;
        let empty = || {
            FileError::new(
                path,
                FileErrorKind::Empty,
                format!("lembar `{sheet_name}` kosong / worksheet is empty"),
                "pilih lembar kerja yang berisi data lewat `sheet` / choose the sheet with data",
            )
        };
        let (start_row, _) = range.start().ok_or_else(empty)?;
        let mut best: Option<(usize, usize)> = None;
        for (i, row) in range.rows().take(30).enumerate() {
            let texts: Vec<String> = row.iter().map(cell_text).filter(|t| !t.is_empty()).collect();
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
        let headers: Vec<String> =
            range.rows().nth(header_idx).map(|r| r.iter().map(cell_text).collect()).unwrap_or_default();
        // Drop trailing empty header cells.
        let width = headers.iter().rposition(|h| !h.is_empty()).map_or(0, |p| p + 1);
        let headers = headers[..width].to_vec();
        Ok(XlsxSource { range, header_idx, row_offset: start_row as u64, sheet: sheet_name, headers })
    }

    pub fn for_each(&self, f: &mut dyn FnMut(RowEvent<'_>) -> bool) -> Result<(), FileError> {
        let width = self.headers.len();
        for (i, row) in self.range.rows().enumerate().skip(self.header_idx + 1) {
            let number = self.row_offset + i as u64 + 1;
            if row.iter().all(|d| matches!(d, Data::Empty) || cell_text(d).is_empty()) {
                continue; // Excel shows blank rows; they hold nothing to accept or reject.
            }
            let cells: Vec<Cell<'_>> = (0..width)
                .map(|c| match row.get(c) {
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
            if !f(RowEvent::Row { number, cells }) {
                break;
            }
        }
        Ok(())
    }
}
