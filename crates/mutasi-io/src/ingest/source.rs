//! One input table, whatever its format, seen as a header plus numbered rows of [`Cell`]s.
//!
//! The loader works only with this view, so CSV, workbooks (xlsx, xls, ods, HTML tables), JSON
//! and Parquet share every normalisation and validation rule. [`open_sources`] turns one file
//! into the sources of one table: a single one for flat files, one per qualifying sheet for a
//! workbook, with the sheets it does not read and why.

use std::path::Path;

use super::cell::Cell;
use super::columns::{is_known_header, map_columns_keyed};
use super::csv_source::CsvSource;
use super::discover::{Detected, Unused, read_grids, sheet_skip_reason};
use super::file_error::{FileError, FileErrorKind};
use super::json_source::JsonSource;
use super::sheet_source::{SheetSource, locate_header};
use crate::data::parquet_in::ParquetSource;
use mutasi_domain::config::TableConfig;
use mutasi_domain::schema::{Table, header_key};

/// What a reader hands to the loader for each record.
pub enum RowEvent<'a> {
    Row {
        number: u64,
        /// Borrowed: a reader may reuse one buffer for every row.
        cells: &'a [Cell<'a>],
    },
    /// A CSV record whose field count differs from the header's.
    Ragged { number: u64, found: usize, expected: usize, raw: String },
}

pub enum Source {
    Csv(CsvSource),
    Sheet(SheetSource),
    Parquet(ParquetSource),
    Json(JsonSource),
}

/// Format facts about a file, for the reconciliation table and the summary.
#[derive(Debug, Clone, Default)]
pub struct FormatInfo {
    pub format: &'static str,
    pub encoding: Option<&'static str>,
    pub delimiter: Option<char>,
    pub sheet: Option<String>,
    /// Sheet rows (1-based) read as header or layout (a second header row, column numbers).
    pub header_rows: Vec<u64>,
}

/// The sources of one table in one file, and the sheets left out.
pub struct Opened {
    pub sources: Vec<Source>,
    pub skipped: Vec<Unused>,
    /// Several sheets of the workbook are read: each source's name carries its sheet.
    pub several_sheets: bool,
}

/// Opens `path` as `table`. A workbook gives one source per sheet carrying the table's header
/// (only `only_sheet` when given, or the configured `sheet`); the other sheets are listed in
/// `skipped` with the reason. A workbook with no such sheet, or a flat file without the table's
/// required columns, is an error naming the file.
pub fn open_sources(
    path: &Path,
    rel: &str,
    detected: Detected,
    table: Table,
    cfg: &TableConfig,
    only_sheet: Option<&str>,
) -> Result<Opened, FileError> {
    let flat = |s: Source| Opened { sources: vec![s], skipped: Vec::new(), several_sheets: false };
    match detected {
        Detected::Csv => return CsvSource::open(path).map(Source::Csv).map(flat),
        Detected::Parquet => return ParquetSource::open(path).map(Source::Parquet).map(flat),
        Detected::Json => {
            let bytes = std::fs::read(path).map_err(|e| FileError::io(path, &e))?;
            let (text, _) = super::csv_source::decode_owned(path, bytes)?;
            return JsonSource::open(path, &text).map(Source::Json).map(flat);
        }
        Detected::Workbook(_) | Detected::Markup => {}
    }
    let grids = read_grids(path, detected)?;
    let names: Vec<String> = grids.iter().map(|g| g.name.clone()).collect();
    let wanted = cfg.sheet.as_deref().or(only_sheet);
    if let Some(w) = wanted
        && !names.iter().any(|n| n == w)
    {
        return Err(FileError::new(
            path,
            FileErrorKind::SheetNotFound(w.to_string()),
            format!(
                "lembar kerja `{w}` tidak ada / no worksheet `{w}`; yang ada / available: {}",
                names.join(", ")
            ),
            "perbaiki `sheet` di konfigurasi / fix `sheet` in the config",
        ));
    }
    let single = grids.len() == 1 || wanted.is_some();
    let format = detected.name();
    let mut sources = Vec::new();
    let mut skipped = Vec::new();
    let mut first_error: Option<FileError> = None;
    for g in grids {
        if wanted.is_some_and(|w| w != g.name) {
            continue;
        }
        let skip = |reason: String| Unused { file: rel.to_string(), sheet: Some(g.name.clone()), reason };
        if g.rows.is_empty() || (g.hidden && wanted.is_none()) || g.not_a_worksheet {
            skipped.push(skip(sheet_skip_reason(&g)));
            continue;
        }
        let Some(layout) = locate_header(&g, &|h| is_known_header(table, cfg, h), single) else {
            skipped.push(skip(format!(
                "tidak ada header tabel {} / no header of table {}",
                table.name(),
                table.name()
            )));
            continue;
        };
        let provided: &[&str] = if table == Table::Skm { &["unit_id", "tanggal"] } else { &[] };
        if let Err(e) = map_columns_keyed(path, table, cfg, &layout.headers, &layout.keys, provided) {
            skipped.push(skip(e.message.clone()));
            first_error.get_or_insert(e);
            continue;
        }
        sources.push(Source::Sheet(SheetSource::new(g, layout, format)));
    }
    if sources.is_empty() {
        if single && let Some(e) = first_error {
            return Err(e);
        }
        let why: Vec<String> =
            skipped.iter().map(|s| format!("`{}`: {}", s.sheet.as_deref().unwrap_or(""), s.reason)).collect();
        return Err(FileError::new(
            path,
            FileErrorKind::MissingColumns(Vec::new()),
            format!(
                "tidak ada lembar berisi tabel {} / no sheet holds table {}: {}",
                table.name(),
                table.name(),
                why.join("; ")
            ),
            format!(
                "periksa header lembar kerjanya, atau petakan header Anda di mutasi.toml: [tables.{}.aliases] / check the sheets' headers or map them in the config",
                table.name()
            ),
        ));
    }
    let several_sheets = sources.len() > 1;
    Ok(Opened { sources, skipped, several_sheets })
}

impl Source {
    pub fn headers(&self) -> &[String] {
        match self {
            Source::Csv(s) => &s.headers,
            Source::Sheet(s) => &s.headers,
            Source::Parquet(s) => &s.headers,
            Source::Json(s) => &s.headers,
        }
    }

    /// The folded names each column matches: a sheet's joined two-row header matches several.
    pub fn keys(&self) -> Vec<Vec<String>> {
        match self {
            Source::Sheet(s) => s.keys().to_vec(),
            other => other.headers().iter().map(|h| vec![header_key(h)]).collect(),
        }
    }

    pub fn info(&self) -> FormatInfo {
        match self {
            Source::Csv(s) => FormatInfo {
                format: "csv",
                encoding: Some(s.encoding),
                delimiter: Some(s.delimiter as char),
                header_rows: vec![1],
                ..FormatInfo::default()
            },
            Source::Sheet(s) => FormatInfo {
                format: s.format,
                sheet: Some(s.sheet.clone()),
                header_rows: s.layout_rows(),
                ..FormatInfo::default()
            },
            Source::Parquet(_) => FormatInfo { format: "parquet", ..FormatInfo::default() },
            Source::Json(_) => FormatInfo { format: "json", ..FormatInfo::default() },
        }
    }

    /// [`Source::for_each`] where only the cells at `columns` are needed: a Parquet file builds
    /// only those (the others are empty); other formats hand over whole rows.
    pub fn for_each_only(
        &self,
        path: &Path,
        columns: &[usize],
        f: &mut dyn FnMut(RowEvent<'_>) -> bool,
    ) -> Result<(), FileError> {
        match self {
            Source::Parquet(s) => s.for_each_only(Some(columns), f),
            other => other.for_each(path, f),
        }
    }

    /// The text of the rows above a sheet's header (a report's title block); none for flat files.
    pub fn title_lines(&self) -> Vec<String> {
        match self {
            Source::Sheet(s) => s.title_lines(),
            _ => Vec::new(),
        }
    }

    /// Visits every row in order; `f` returns false to stop early.
    pub fn for_each(&self, path: &Path, f: &mut dyn FnMut(RowEvent<'_>) -> bool) -> Result<(), FileError> {
        match self {
            Source::Csv(s) => s.for_each(path, f),
            Source::Sheet(s) => s.for_each(f),
            Source::Parquet(s) => s.for_each(f),
            Source::Json(s) => s.for_each(f),
        }
    }
}
