//! Spreadsheet files as sheets of sparse typed cells ([`Grid`]), whatever wrote them.
//!
//! - xlsx, xlsm and xlsb, BIFF `.xls` (97–2003) and `.ods`, through calamine, chosen by the
//!   file's content, not its extension: a SIMPEG "Export Excel" may be any of them.
//! - HTML tables and XML Spreadsheet 2003 saved with an `.xls` name, as many PHP SIMPEG apps
//!   write them ([`super::markup`]).
//!
//! Every sheet is kept with its merged regions, so a two-row header (`PANGKAT` over `GOL/RUANG |
//! TMT`) can be told from data. Cells are read sparsely, never as calamine's dense `Range` for
//! xlsx: a stray cell at XFD1048576 would otherwise ask for a 17-billion-cell allocation.

use std::path::Path;

use calamine::{Data, Reader, SheetType, SheetVisible};

use super::file_error::{FileError, FileErrorKind};

/// Non-empty rows in order: 0-based sheet row, and its cells as (column, value) by column.
pub type SparseRows = Vec<(u32, Vec<(u32, Data)>)>;

/// A merged region, both ends included: (first row, first column, last row, last column).
pub type Merge = (u32, u32, u32, u32);

/// One sheet (or one HTML table) of a workbook.
#[derive(Debug, Clone, Default)]
pub struct Grid {
    pub name: String,
    pub rows: SparseRows,
    pub merges: Vec<Merge>,
    /// Hidden in the workbook (lookup lists, old copies): listed, not read.
    pub hidden: bool,
    /// A chart or macro sheet, not a worksheet.
    pub not_a_worksheet: bool,
}

impl Grid {
    /// Builds a grid from cells in any order.
    pub fn from_cells(name: String, mut cells: Vec<(u32, u32, Data)>, merges: Vec<Merge>) -> Grid {
        cells.sort_by_key(|(r, c, _)| (*r, *c));
        let mut rows: SparseRows = Vec::new();
        for (r, c, d) in cells {
            match rows.last_mut() {
                Some((last, v)) if *last == r => v.push((c, d)),
                _ => rows.push((r, vec![(c, d)])),
            }
        }
        Grid { name, rows, merges, hidden: false, not_a_worksheet: false }
    }
}

/// The kind of workbook a file's bytes show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkbookKind {
    Xlsx,
    Xlsb,
    Xls,
    Ods,
}

impl WorkbookKind {
    pub fn name(self) -> &'static str {
        match self {
            WorkbookKind::Xlsx => "xlsx",
            WorkbookKind::Xlsb => "xlsb",
            WorkbookKind::Xls => "xls",
            WorkbookKind::Ods => "ods",
        }
    }
}

fn not_a_workbook(path: &Path, kind: WorkbookKind, e: impl std::fmt::Display) -> FileError {
    FileError::new(
        path,
        FileErrorKind::NotASpreadsheet,
        format!("bukan berkas Excel yang sah ({}) / not a valid Excel file: {e}", kind.name()),
        "buka di Excel atau LibreOffice lalu simpan ulang sebagai .xlsx, atau ekspor sebagai CSV / open and re-save as .xlsx, or export as CSV",
    )
}

/// Every sheet of a workbook, in workbook order.
pub fn read_workbook(path: &Path, kind: WorkbookKind) -> Result<Vec<Grid>, FileError> {
    let bad = |e: String| not_a_workbook(path, kind, e);
    let open = || std::fs::File::open(path).map(std::io::BufReader::new).map_err(|e| FileError::io(path, &e));
    let mut wb: calamine::Sheets<std::io::BufReader<std::fs::File>> = match kind {
        WorkbookKind::Xlsx => {
            calamine::Sheets::Xlsx(calamine::Xlsx::new(open()?).map_err(|e| bad(e.to_string()))?)
        }
        WorkbookKind::Xlsb => {
            calamine::Sheets::Xlsb(calamine::Xlsb::new(open()?).map_err(|e| bad(e.to_string()))?)
        }
        WorkbookKind::Xls => {
            calamine::Sheets::Xls(calamine::Xls::new(open()?).map_err(|e| bad(e.to_string()))?)
        }
        WorkbookKind::Ods => {
            calamine::Sheets::Ods(calamine::Ods::new(open()?).map_err(|e| bad(e.to_string()))?)
        }
    };
    let sheets: Vec<calamine::Sheet> = wb.sheets_metadata().to_vec();
    let mut grids = Vec::with_capacity(sheets.len());
    for meta in sheets {
        let name = meta.name.clone();
        let mut grid = if meta.typ == SheetType::WorkSheet {
            read_sheet(&mut wb, &name).map_err(|e| bad(e.to_string()))?
        } else {
            Grid { name: name.clone(), ..Grid::default() }
        };
        grid.hidden = meta.visible != SheetVisible::Visible;
        grid.not_a_worksheet = meta.typ != SheetType::WorkSheet;
        grids.push(grid);
    }
    Ok(grids)
}

/// One worksheet's non-empty cells and merged regions.
fn read_sheet(
    wb: &mut calamine::Sheets<std::io::BufReader<std::fs::File>>,
    sheet: &str,
) -> Result<Grid, calamine::Error> {
    let mut cells: Vec<(u32, u32, Data)> = Vec::new();
    let dims = |d: Vec<calamine::Dimensions>| -> Vec<Merge> {
        d.into_iter().map(|m| (m.start.0, m.start.1, m.end.0, m.end.1)).collect()
    };
    let merges = match wb {
        calamine::Sheets::Xlsx(x) => {
            let merges = x.merge_cells_by_sheet_name(sheet).map(dims).unwrap_or_default();
            let mut reader = x.worksheet_cells_reader(sheet)?;
            while let Some(cell) = reader.next_cell()? {
                let (r, c) = cell.get_position();
                let value: Data = cell.get_value().clone().into();
                if !matches!(value, Data::Empty) {
                    cells.push((r, c, value));
                }
            }
            merges
        }
        other => {
            let merges = match other {
                calamine::Sheets::Xls(x) => x.merge_cells_by_sheet_name(sheet).map(dims).unwrap_or_default(),
                _ => Vec::new(),
            };
            let range = other.worksheet_range(sheet)?;
            let (r0, c0) = range.start().unwrap_or((0, 0));
            for (i, row) in range.rows().enumerate() {
                for (j, d) in row.iter().enumerate() {
                    if !matches!(d, Data::Empty) {
                        cells.push((r0 + i as u32, c0 + j as u32, d.clone()));
                    }
                }
            }
            merges
        }
    };
    Ok(Grid::from_cells(sheet.to_string(), cells, merges))
}
