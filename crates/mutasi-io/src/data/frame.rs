//! DataFrames in and out: lazy scans of Parquet files and the atomic Parquet write, through
//! Polars' own reader and writer. Tables built as `LazyFrame` queries (`mutasi-analysis`'s
//! `descriptive`) are read and written here; codes and labels are `Categorical`.

use std::path::Path;

use polars::prelude::*;

pub use super::error::TableError;

/// A lazy scan of the Parquet file `path` (no hive columns: the folders are periods, not keys).
pub fn scan(path: &Path) -> Result<LazyFrame, TableError> {
    let text = path.to_str().ok_or_else(|| TableError::NotUtf8 { path: path.to_path_buf() })?;
    let args = ScanArgsParquet { hive_options: HiveOptions::new_disabled(), ..Default::default() };
    LazyFrame::scan_parquet(PlRefPath::new(text), args).map_err(TableError::polars(path))
}

/// Runs `lf` and maps a failure to the file it was reading.
pub fn collect(lf: LazyFrame, path: &Path) -> Result<DataFrame, TableError> {
    lf.collect().map_err(TableError::polars(path))
}

/// Writes `df` to `path` with Polars' Parquet writer (zstd), through a temporary file renamed
/// into place. Returns the bytes written.
pub fn write(df: DataFrame, path: &Path) -> Result<u64, TableError> {
    super::table::write_frame(df, path)
}

/// The type of code and label columns (kinds, units, OPDs): Polars' global categories.
pub fn categorical() -> DataType {
    DataType::from_categories(Categories::global())
}
