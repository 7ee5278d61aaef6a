//! Why a run failed, by kind: the command line turns the kind into the exit code (data 1, usage
//! and internal 2) and shows the message, which carries its bilingual text and `hint:` line.
//!
//! Failures of the layers below keep their own typed error as the source; [`PipelineError::kind`]
//! decides from the variant, never from the message text.

use std::path::PathBuf;

use mutasi_analysis::error::AnalysisError;
use mutasi_analysis::queries::QueryError;
use mutasi_domain::config::ConfigError;
use mutasi_io::data::table::TableError;
use mutasi_io::ingest::file_error::FileError;
use mutasi_io::privacy::KeyError;
use mutasi_report::ReportError;

use crate::lock::LockError;

/// What a failure means for the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Bad input data (exit 1).
    Data,
    /// Wrong arguments or configuration (exit 2).
    Usage,
    /// A fault of the machine or of mutasi (exit 2).
    Internal,
    /// The caller's output failed (a closed pipe ends quietly).
    Output,
}

/// A failed run or validation.
#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    /// Bad input data, as the pipeline words it.
    #[error("{0}")]
    Data(String),
    /// Wrong arguments or configuration, as the pipeline words it.
    #[error("{0}")]
    Usage(String),
    /// A fault found by the pipeline itself, as it words it (a bug to report).
    #[error("{0}")]
    Internal(String),
    /// The caller's output (where progress lines go) failed, e.g. a closed pipe.
    #[error("{0}")]
    Output(#[source] std::io::Error),
    /// A file or folder of the run could not be made, written, moved or read.
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The staging folder could not be moved into place.
    #[error("{from} → {to}: {source}")]
    Publish {
        from: PathBuf,
        to: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The input folder's partitions or `--only` cannot be used.
    #[error(transparent)]
    Partition(#[from] crate::partition::PartitionError),
    /// An input file could not be read at all.
    #[error(transparent)]
    Load(#[from] FileError),
    /// A table could not be read or written.
    #[error(transparent)]
    Table(#[from] TableError),
    #[error(transparent)]
    Analysis(#[from] AnalysisError),
    #[error(transparent)]
    Query(#[from] QueryError),
    #[error(transparent)]
    Report(#[from] ReportError),
    /// The pseudonym key could not be read or made.
    #[error(transparent)]
    Key(#[from] KeyError),
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Lock(#[from] LockError),
    /// A JSON summary could not be serialised.
    #[error("JSON: {0}")]
    Json(#[from] serde_json::Error),
}

impl PipelineError {
    /// The message users see.
    pub fn message(&self) -> String {
        self.to_string()
    }

    /// An I/O failure on `path`.
    pub fn io(path: &std::path::Path) -> impl Fn(std::io::Error) -> PipelineError + Copy + '_ {
        move |source| PipelineError::Io { path: path.to_path_buf(), source }
    }

    /// What the failure means for the exit code.
    pub fn kind(&self) -> Kind {
        match self {
            PipelineError::Data(_) | PipelineError::Load(_) | PipelineError::Query(_) => Kind::Data,
            PipelineError::Usage(_)
            | PipelineError::Key(_)
            | PipelineError::Config(_)
            | PipelineError::Lock(_)
            | PipelineError::Partition(_) => Kind::Usage,
            PipelineError::Output(_) => Kind::Output,
            PipelineError::Internal(_)
            | PipelineError::Io { .. }
            | PipelineError::Publish { .. }
            | PipelineError::Json(_) => Kind::Internal,
            PipelineError::Table(e) => table_kind(e),
            PipelineError::Analysis(e) => analysis_kind(e),
            PipelineError::Report(e) => match e {
                ReportError::Table(t) => table_kind(t),
                ReportError::MissingColumn { .. } | ReportError::Period(_) => Kind::Data,
                ReportError::Chart(_) | ReportError::Io { .. } | ReportError::Xlsx { .. } => Kind::Internal,
            },
        }
    }
}

/// A table that cannot be written, or a fault in the code that built it, is internal; a table
/// without the columns or values the run needs, or an analyst's failing SQL, is the data's.
fn table_kind(e: &TableError) -> Kind {
    match e {
        TableError::MissingColumn { .. }
        | TableError::NotUtf8 { .. }
        | TableError::Sql(_)
        | TableError::SqlTimeout { .. } => Kind::Data,
        TableError::Io { .. }
        | TableError::Polars { .. }
        | TableError::Csv { .. }
        | TableError::DanglingCode { .. }
        | TableError::ColumnsDiffer(_)
        | TableError::TypesDiffer(_)
        | TableError::Thread(_) => Kind::Internal,
    }
}

fn analysis_kind(e: &AnalysisError) -> Kind {
    match e {
        AnalysisError::Table(t) => table_kind(t),
        AnalysisError::Io { .. } | AnalysisError::Json(_) | AnalysisError::Frame { .. } => Kind::Internal,
        AnalysisError::NoSuchPanel(_) => Kind::Internal,
        AnalysisError::UnknownSubgroup { .. } | AnalysisError::Weights { .. } => Kind::Usage,
        AnalysisError::Panel(_)
        | AnalysisError::Value { .. }
        | AnalysisError::MissingColumns { .. }
        | AnalysisError::NoValues { .. }
        | AnalysisError::Query(_) => Kind::Data,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The exit code follows the failure's variant through the layers, whatever its message says.
    #[test]
    fn the_kind_comes_from_the_variant_not_the_text() {
        let io = || std::io::Error::other("galat data / data error");
        let path = PathBuf::from("kinerja.parquet");
        let missing = TableError::MissingColumn {
            path: path.clone(),
            column: "nilai".into(),
            kind: mutasi_io::data::error::ColumnKind::Number,
        };
        assert_eq!(PipelineError::from(missing).kind(), Kind::Data);
        let disk = TableError::Io { path: path.clone(), source: io() };
        assert_eq!(PipelineError::from(disk).kind(), Kind::Internal);
        let nested = AnalysisError::Table(TableError::Io { path: path.clone(), source: io() });
        assert_eq!(PipelineError::from(nested).kind(), Kind::Internal);
        let subgroup = AnalysisError::UnknownSubgroup { name: "umur".into(), choices: "gender".into() };
        assert_eq!(PipelineError::from(subgroup).kind(), Kind::Usage);
        let no_values =
            AnalysisError::NoValues { path: path.clone(), indicator: "gaji".into(), present: String::new() };
        assert_eq!(PipelineError::from(no_values).kind(), Kind::Data);
        assert_eq!(PipelineError::from(ReportError::Period("2025-13x".into())).kind(), Kind::Data);
        let page = ReportError::Io { path, source: io() };
        assert_eq!(PipelineError::from(page).kind(), Kind::Internal);
        // A message that reads like a usage error is still internal when the variant says so.
        assert_eq!(PipelineError::Internal("galat penggunaan / usage error".into()).kind(), Kind::Internal);
    }
}
