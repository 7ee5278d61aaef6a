//! Why an analysis could not be made: the analysis crate's one error type.
//!
//! The month's pipeline treats every variant as a problem of the data it was given (exit 1),
//! except [`AnalysisError::Io`] and [`AnalysisError::Table`]'s file failures, which it reports
//! as they are; the variant, never the text, decides.

use std::path::PathBuf;

use mutasi_io::data::table::TableError;

/// Why an analysis could not be made.
#[derive(Debug, thiserror::Error)]
pub enum AnalysisError {
    /// A validated table or an output could not be read or written.
    #[error(transparent)]
    Table(#[from] TableError),
    /// A folder or file could not be created, listed or read.
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A query on tables already in memory failed (the output table it was building).
    #[error("{table}: {source}")]
    Frame {
        table: &'static str,
        #[source]
        source: polars::prelude::PolarsError,
    },
    /// A JSON output could not be written.
    #[error("JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// The estimator's panel could not be built from the rows.
    #[error(transparent)]
    Panel(#[from] mutasi_stats::EstimateError),
    /// A subgroup dimension the analyses do not know.
    #[error(
        "subkelompok `{name}` tidak dikenal / unknown subgroup dimension\n\nhint: pilih dari / choose from {choices}"
    )]
    UnknownSubgroup { name: String, choices: String },
    /// A unit's configured unsur weights cannot be used.
    #[error("service.unsur_weights.{unit}: {source}")]
    Weights {
        unit: String,
        #[source]
        source: mutasi_domain::ikm::IkmRuleError,
    },
    /// A value in a validated table that an analysis cannot read, named by file, column and value.
    #[error("{path}: {column} `{value}`")]
    Value { path: PathBuf, column: String, value: String },
    /// A table lacks the columns an analysis needs.
    #[error("{path}: kolom {columns} tidak lengkap / columns {columns} missing")]
    MissingColumns { path: PathBuf, columns: &'static str },
    /// An outcome without any monthly value to analyse.
    #[error(
        "{path}: tidak ada nilai bulanan untuk indikator `{indicator}` / no monthly values for this indicator\n\nhint: indikator yang ada / indicators present: {present}"
    )]
    NoValues { path: PathBuf, indicator: String, present: String },
    /// A panel asked for by a place no indicator holds (a fault in the caller).
    #[error("tidak ada panel ke-{0} / no panel {0}")]
    NoSuchPanel(usize),
    /// An analyst's SQL query cannot run.
    #[error(transparent)]
    Query(#[from] crate::queries::QueryError),
}

impl AnalysisError {
    /// An I/O failure on `path`.
    pub fn io(path: &std::path::Path) -> impl Fn(std::io::Error) -> AnalysisError + Copy + '_ {
        move |source| AnalysisError::Io { path: path.to_path_buf(), source }
    }
}
