//! Why a sample dataset could not be generated: a size below the generator's minimum (a usage
//! error), or a file that could not be written.

use std::path::PathBuf;

use crate::{MIN_EMPLOYEES, MIN_MONTHS};

/// Why a sample dataset could not be generated.
#[derive(Debug, thiserror::Error)]
pub enum SampleError {
    /// Fewer employees or months than the generator needs.
    #[error(
        "minimal {MIN_EMPLOYEES} pegawai dan {MIN_MONTHS} bulan / at least {MIN_EMPLOYEES} employees and {MIN_MONTHS} months"
    )]
    TooSmall,
    /// Fewer employees per instansi than the generator needs.
    #[error("minimal {MIN_EMPLOYEES} pegawai per instansi / at least {MIN_EMPLOYEES} employees per instansi")]
    TooFewPerInstansi,
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: {source}")]
    Csv {
        path: PathBuf,
        #[source]
        source: csv::Error,
    },
    #[error("{path}: {source}")]
    Xlsx {
        path: PathBuf,
        #[source]
        source: rust_xlsxwriter::XlsxError,
    },
    #[error(transparent)]
    Table(#[from] mutasi_io::data::table::TableError),
    #[error("truth.json: {0}")]
    Json(#[from] serde_json::Error),
}

impl SampleError {
    /// True when the request itself cannot be met (exit 2 as a usage error).
    pub fn is_usage(&self) -> bool {
        matches!(self, SampleError::TooSmall | SampleError::TooFewPerInstansi)
    }

    /// An I/O failure on `path`.
    pub fn io(path: &std::path::Path) -> impl Fn(std::io::Error) -> SampleError + Copy + '_ {
        move |source| SampleError::Io { path: path.to_path_buf(), source }
    }

    /// A CSV failure on `path`.
    pub fn csv(path: &std::path::Path) -> impl Fn(csv::Error) -> SampleError + Copy + '_ {
        move |source| SampleError::Csv { path: path.to_path_buf(), source }
    }
}
