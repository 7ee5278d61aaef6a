//! One input file, whatever its format, seen as a header plus numbered rows of [`Cell`]s.
//!
//! The loader works only with this view, so CSV, xlsx and Parquet share every normalisation and
//! validation rule.

use std::path::Path;

use super::cell::Cell;
use super::csv_source::CsvSource;
use super::file_error::{FileError, FileErrorKind};
use super::xlsx_source::XlsxSource;
use crate::data::parquet_in::ParquetSource;

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
    Xlsx(XlsxSource),
    Parquet(ParquetSource),
}

/// Format facts about a file, for the reconciliation table and the summary.
#[derive(Debug, Clone, Default)]
pub struct FormatInfo {
    pub format: &'static str,
    pub encoding: Option<&'static str>,
    pub delimiter: Option<char>,
    pub sheet: Option<String>,
}

impl Source {
    /// Opens a file by its extension.
    pub fn open(
        path: &Path,
        sheet: Option<&str>,
        is_header: &dyn Fn(&str) -> bool,
    ) -> Result<Source, FileError> {
        let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).unwrap_or_default();
        match ext.as_str() {
            "csv" | "txt" | "tsv" => CsvSource::open(path).map(Source::Csv),
            "xlsx" | "xlsm" | "xls" => XlsxSource::open(path, sheet, is_header).map(Source::Xlsx),
            "parquet" => ParquetSource::open(path).map(Source::Parquet),
            other => Err(FileError::new(
                path,
                FileErrorKind::NotASpreadsheet,
                format!("ekstensi `.{other}` tidak didukung / unsupported extension"),
                "gunakan .csv, .xlsx atau .parquet / use .csv, .xlsx or .parquet",
            )),
        }
    }

    pub fn headers(&self) -> &[String] {
        match self {
            Source::Csv(s) => &s.headers,
            Source::Xlsx(s) => &s.headers,
            Source::Parquet(s) => &s.headers,
        }
    }

    pub fn info(&self) -> FormatInfo {
        match self {
            Source::Csv(s) => FormatInfo {
                format: "csv",
                encoding: Some(s.encoding),
                delimiter: Some(s.delimiter as char),
                sheet: None,
            },
            Source::Xlsx(s) => {
                FormatInfo { format: "xlsx", encoding: None, delimiter: None, sheet: Some(s.sheet.clone()) }
            }
            Source::Parquet(_) => FormatInfo { format: "parquet", ..FormatInfo::default() },
        }
    }

    /// Visits every row in order; `f` returns false to stop early.
    pub fn for_each(&self, path: &Path, f: &mut dyn FnMut(RowEvent<'_>) -> bool) -> Result<(), FileError> {
        match self {
            Source::Csv(s) => s.for_each(path, f),
            Source::Xlsx(s) => s.for_each(f),
            Source::Parquet(s) => s.for_each(f),
        }
    }
}
