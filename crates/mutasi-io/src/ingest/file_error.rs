//! Errors that stop a whole input file from being read.
//!
//! Row problems become rejects; these are the cases where there are no rows to speak of: the file
//! is missing, not a spreadsheet, empty, or lacks a required column. Each names the file and says
//! what to do.

use std::path::PathBuf;

/// What is wrong with a file as a whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileErrorKind {
    Io,
    /// Not a text table, or an xlsx that is not a zip archive.
    NotASpreadsheet,
    Empty,
    NoDataRows,
    MissingColumns(Vec<String>),
    DuplicateHeader(String),
    SheetNotFound(String),
    Ambiguous,
    Parquet,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileError {
    pub path: PathBuf,
    pub kind: FileErrorKind,
    pub message: String,
    pub hint: String,
}

impl FileError {
    pub fn new(
        path: &std::path::Path,
        kind: FileErrorKind,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Self {
        FileError { path: path.to_path_buf(), kind, message: message.into(), hint: hint.into() }
    }
}

impl FileError {
    /// The file could not be opened or read.
    pub fn io(path: &std::path::Path, e: &std::io::Error) -> Self {
        FileError::new(
            path,
            FileErrorKind::Io,
            format!("tidak dapat dibaca / cannot be read: {e}"),
            "periksa nama dan hak akses berkas / check the file name and permissions",
        )
    }
}

impl std::fmt::Display for FileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}\n\nhint: {}", self.path.display(), self.message, self.hint)
    }
}

impl std::error::Error for FileError {}
