//! Reading Parquet inputs with Polars' own Parquet reader into the cell view.

use std::path::Path;

use chrono::{DateTime, NaiveDate};
use polars::prelude::*;

use crate::ingest::cell::Cell;
use crate::ingest::file_error::{FileError, FileErrorKind};
use crate::ingest::source::RowEvent;

enum Col {
    Str(StringChunked),
    I64(Int64Chunked),
    F64(Float64Chunked),
    Bool(BooleanChunked),
    Date(Int32Chunked),
    DateTime(Int64Chunked, TimeUnit),
}

pub struct ParquetSource {
    columns: Vec<Col>,
    height: usize,
    pub headers: Vec<String>,
}

fn typed(s: &Series) -> PolarsResult<Col> {
    Ok(match s.dtype() {
        DataType::String => Col::Str(s.str()?.clone()),
        DataType::Boolean => Col::Bool(s.bool()?.clone()),
        DataType::Float32 | DataType::Float64 => Col::F64(s.cast(&DataType::Float64)?.f64()?.clone()),
        DataType::Date => Col::Date(s.cast(&DataType::Int32)?.i32()?.clone()),
        DataType::Datetime(tu, _) => Col::DateTime(s.cast(&DataType::Int64)?.i64()?.clone(), *tu),
        dt if dt.is_integer() => Col::I64(s.cast(&DataType::Int64)?.i64()?.clone()),
        _ => Col::Str(s.cast(&DataType::String)?.str()?.clone()),
    })
}

fn epoch() -> NaiveDate {
    NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default()
}

impl ParquetSource {
    pub fn open(path: &Path) -> Result<ParquetSource, FileError> {
        let bad = |e: String| {
            FileError::new(
                path,
                FileErrorKind::Parquet,
                format!("bukan berkas Parquet yang sah / not a valid Parquet file: {e}"),
                "ekspor ulang sebagai Parquet, CSV atau xlsx / re-export as Parquet, CSV or xlsx",
            )
        };
        let file = std::fs::File::open(path).map_err(|e| FileError::io(path, &e))?;
        let df = ParquetReader::new(file).finish().map_err(|e| bad(e.to_string()))?;
        let headers = df.get_column_names().iter().map(|n| n.to_string()).collect();
        let columns = df
            .columns()
            .iter()
            .map(|c| typed(c.as_materialized_series()))
            .collect::<PolarsResult<Vec<_>>>()
            .map_err(|e| bad(e.to_string()))?;
        Ok(ParquetSource { columns, height: df.height(), headers })
    }

    pub fn for_each(&self, f: &mut dyn FnMut(RowEvent<'_>) -> bool) -> Result<(), FileError> {
        for i in 0..self.height {
            let cells: Vec<Cell<'_>> = self
                .columns
                .iter()
                .map(|c| match c {
                    Col::Str(a) => a.get(i).map_or(Cell::Empty, |s| {
                        if s.trim().is_empty() { Cell::Empty } else { Cell::Text(s) }
                    }),
                    Col::I64(a) => a.get(i).map_or(Cell::Empty, Cell::Int),
                    Col::F64(a) => a.get(i).map_or(Cell::Empty, Cell::Float),
                    Col::Bool(a) => a.get(i).map_or(Cell::Empty, Cell::Bool),
                    Col::Date(a) => a.get(i).map_or(Cell::Empty, |d| {
                        epoch()
                            .checked_add_signed(chrono::Duration::days(d as i64))
                            .map_or(Cell::Int(d as i64), Cell::Date)
                    }),
                    Col::DateTime(a, tu) => a.get(i).map_or(Cell::Empty, |v| {
                        let dt = match tu {
                            TimeUnit::Nanoseconds => Some(DateTime::from_timestamp_nanos(v)),
                            TimeUnit::Microseconds => DateTime::from_timestamp_micros(v),
                            TimeUnit::Milliseconds => DateTime::from_timestamp_millis(v),
                        };
                        dt.map_or(Cell::Int(v), |d| Cell::DateTime(d.naive_utc()))
                    }),
                })
                .collect();
            // Parquet has no header row; row 1 is the first record, as a viewer shows it.
            if !f(RowEvent::Row { number: i as u64 + 1, cells }) {
                break;
            }
        }
        Ok(())
    }
}
