//! Why a table could not be read, written or queried: the data layer's one error type.
//!
//! Every variant that concerns a file names it. Callers decide what a failure means for the run
//! (bad input or a fault of the machine) from the variant, never from its text.

use std::path::PathBuf;

use polars::prelude::PolarsError;

/// The kind of column a reader asked for and did not find.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnKind {
    Text,
    Number,
    Date,
}

impl ColumnKind {
    fn words(self) -> (&'static str, &'static str) {
        match self {
            ColumnKind::Text => ("teks", "text"),
            ColumnKind::Number => ("angka", "numeric"),
            ColumnKind::Date => ("tanggal", "date"),
        }
    }
}

/// Why a table could not be read, written or queried.
#[derive(Debug, thiserror::Error)]
pub enum TableError {
    /// The file could not be opened, created, flushed or renamed.
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A CSV output could not be written.
    #[error("{path}: {source}")]
    Csv {
        path: PathBuf,
        #[source]
        source: csv::Error,
    },
    /// Polars could not read, query or write the file.
    #[error("{path}: {source}")]
    Polars {
        path: PathBuf,
        #[source]
        source: PolarsError,
    },
    /// A column a reader needs is missing, or holds another type.
    #[error("{path}: kolom {} `{column}` tidak ada / {} column `{column}` missing", kind.words().0, kind.words().1)]
    MissingColumn { path: PathBuf, column: String, kind: ColumnKind },
    /// A dictionary code without its value: a fault in the code that built the table.
    #[error("{path}: kode kamus tanpa nilai / a dictionary code has no value")]
    DanglingCode { path: PathBuf },
    /// Two parts of one table have different columns (names, order or types).
    #[error("kolom berbeda / columns differ: {0}")]
    ColumnsDiffer(String),
    /// Two parts of one table hold one column with different types.
    #[error("kolom `{0}`: jenis berbeda / column types differ")]
    TypesDiffer(String),
    /// The path cannot be handed to Polars' scanner.
    #[error("{path}: jalur bukan UTF-8 / the path is not UTF-8")]
    NotUtf8 { path: PathBuf },
    /// An analyst's SQL query failed.
    #[error("{0}")]
    Sql(#[source] PolarsError),
    /// The SQL parser did not finish in time (see `sql::PARSE_LIMIT`).
    #[error(
        "SQL tidak selesai diurai dalam {seconds} detik / the SQL parser did not finish within {seconds} s\n\nhint: sederhanakan kueri (rantai nama bertitik yang panjang) / simplify the query (long chains of dotted names)"
    )]
    SqlTimeout { seconds: u64 },
    /// A helper thread could not be started.
    #[error("utas pembantu tidak dapat dimulai / a helper thread could not start: {0}")]
    Thread(#[source] std::io::Error),
}

impl TableError {
    /// A Polars failure on `path`.
    pub fn polars(path: &std::path::Path) -> impl Fn(PolarsError) -> TableError + Copy + '_ {
        move |source| TableError::Polars { path: path.to_path_buf(), source }
    }

    /// An I/O failure on `path`.
    pub fn io(path: &std::path::Path) -> impl Fn(std::io::Error) -> TableError + Copy + '_ {
        move |source| TableError::Io { path: path.to_path_buf(), source }
    }
}
