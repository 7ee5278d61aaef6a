//! DataFrames in and out: lazy scans of Parquet files and the atomic Parquet write, through
//! Polars' own reader and writer. Tables built as `LazyFrame` queries (`mutasi-analysis`'s
//! `descriptive`) are read and written here; codes and labels are `Categorical`.

use std::path::{Path, PathBuf};

use polars::prelude::*;

/// Why a table could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum FrameError {
    #[error("{path}: {source}")]
    Polars { path: PathBuf, source: PolarsError },
    #[error("{path}: {message}")]
    Write { path: PathBuf, message: String },
}

/// A lazy scan of the Parquet file `path` (no hive columns: the folders are periods, not keys).
pub fn scan(path: &Path) -> Result<LazyFrame, FrameError> {
    let polars = |source| FrameError::Polars { path: path.to_path_buf(), source };
    let text = path.to_str().ok_or_else(|| {
        polars(PolarsError::ComputeError("the path is not UTF-8 / jalur bukan UTF-8".into()))
    })?;
    let args = ScanArgsParquet { hive_options: HiveOptions::new_disabled(), ..Default::default() };
    LazyFrame::scan_parquet(PlRefPath::new(text), args).map_err(polars)
}

/// Runs `lf` and maps a failure to the file it was reading.
pub fn collect(lf: LazyFrame, path: &Path) -> Result<DataFrame, FrameError> {
    lf.collect().map_err(|source| FrameError::Polars { path: path.to_path_buf(), source })
}

/// Writes `df` to `path` with Polars' Parquet writer (zstd), through a temporary file renamed
/// into place. Returns the bytes written.
pub fn write(df: DataFrame, path: &Path) -> Result<u64, FrameError> {
    super::table::write_frame(df, path)
        .map_err(|message| FrameError::Write { path: path.to_path_buf(), message })
}

/// The type of code and label columns (kinds, units, OPDs): Polars' global categories.
pub fn categorical() -> DataType {
    DataType::from_categories(Categories::global())
}
