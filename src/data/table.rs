//! Output tables as plain column vectors, and their Parquet writer.
//!
//! Stages build a [`TableData`] from their own structs; only [`write_parquet`] turns it into a
//! Polars `DataFrame`. Writes go to a temporary file that is renamed into place, so a reader never
//! sees half a file.

use std::path::Path;

use chrono::NaiveDate;
use polars::prelude::*;

/// One output column.
#[derive(Debug, Clone, PartialEq)]
pub enum ColumnData {
    Str(Vec<Option<String>>),
    I64(Vec<Option<i64>>),
    F64(Vec<Option<f64>>),
    Date(Vec<Option<NaiveDate>>),
    Bool(Vec<Option<bool>>),
}

impl ColumnData {
    pub fn len(&self) -> usize {
        match self {
            ColumnData::Str(v) => v.len(),
            ColumnData::I64(v) => v.len(),
            ColumnData::F64(v) => v.len(),
            ColumnData::Date(v) => v.len(),
            ColumnData::Bool(v) => v.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A named table of equally long columns.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TableData {
    pub columns: Vec<(String, ColumnData)>,
}

impl TableData {
    pub fn push(&mut self, name: &str, data: ColumnData) {
        self.columns.push((name.to_string(), data));
    }

    pub fn height(&self) -> usize {
        self.columns.first().map_or(0, |(_, c)| c.len())
    }
}

fn to_column(name: &str, data: &ColumnData) -> PolarsResult<Column> {
    let name: PlSmallStr = name.into();
    Ok(match data {
        ColumnData::Str(v) => Column::new(name, v),
        ColumnData::I64(v) => Column::new(name, v),
        ColumnData::F64(v) => Column::new(name, v),
        ColumnData::Bool(v) => Column::new(name, v),
        ColumnData::Date(v) => {
            let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
            let days: Vec<Option<i32>> =
                v.iter().map(|d| d.map(|d| d.signed_duration_since(epoch).num_days() as i32)).collect();
            Column::new(name, days).cast(&DataType::Date)?
        }
    })
}

/// Builds the Polars frame of a table.
pub fn to_dataframe(table: &TableData) -> PolarsResult<DataFrame> {
    let cols = table.columns.iter().map(|(n, d)| to_column(n, d)).collect::<PolarsResult<Vec<_>>>()?;
    DataFrame::new(table.height(), cols)
}

/// Writes a table as zstd-compressed Parquet, atomically. Returns the number of bytes written.
pub fn write_parquet(table: &TableData, path: &Path) -> Result<u64, String> {
    let mut df = to_dataframe(table).map_err(|e| format!("{}: {e}", path.display()))?;
    let tmp = path.with_extension("parquet.tmp");
    let file = std::fs::File::create(&tmp).map_err(|e| format!("{}: {e}", tmp.display()))?;
    let bytes = ParquetWriter::new(file)
        .with_compression(ParquetCompression::Zstd(None))
        .finish(&mut df)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    std::fs::rename(&tmp, path).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(bytes)
}

/// Reads a Parquet file written by [`write_parquet`] back, for tests and later stages.
pub fn read_parquet(path: &Path) -> Result<DataFrame, String> {
    let file = std::fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    ParquetReader::new(file).finish().map_err(|e| format!("{}: {e}", path.display()))
}
