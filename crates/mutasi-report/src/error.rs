//! Why a report could not be built: an analysis output it reads is unreadable or lacks a column
//! (the run's data, exit 1), or a chart, page or workbook could not be written.

use std::path::PathBuf;

use crate::charts::ChartError;

/// Why a report could not be built.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// An output of the run could not be read.
    #[error(transparent)]
    Table(#[from] mutasi_io::data::table::TableError),
    /// An output of the run lacks a column the report shows.
    #[error("{path}: kolom `{column}` tidak ada / column `{column}` missing")]
    MissingColumn { path: PathBuf, column: String },
    /// The report's period is not `YYYY-MM`.
    #[error("periode `{0}` bukan YYYY-MM / is not YYYY-MM")]
    Period(String),
    /// A chart could not be drawn.
    #[error(transparent)]
    Chart(#[from] ChartError),
    /// A page, chart or folder could not be written.
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The workbook could not be written.
    #[error("{path}: {source}")]
    Xlsx {
        path: PathBuf,
        #[source]
        source: rust_xlsxwriter::XlsxError,
    },
}

impl ReportError {
    /// An I/O failure on `path`.
    pub fn io(path: &std::path::Path) -> impl Fn(std::io::Error) -> ReportError + Copy + '_ {
        move |source| ReportError::Io { path: path.to_path_buf(), source }
    }
}
