//! Reading Parquet inputs with Polars' own Parquet reader into the cell view.

use std::path::Path;

use chrono::{DateTime, NaiveDate};
use polars::prelude::*;
use polars_arrow::array::{BooleanArray, PrimitiveArray, Utf8ViewArray};

use crate::ingest::cell::Cell;
use crate::ingest::file_error::{FileError, FileErrorKind};
use crate::ingest::source::RowEvent;

/// A column as one Arrow array (the file's chunks joined once), read cell by cell without
/// looking up the chunk of every row.
enum Col {
    Str(Utf8ViewArray),
    I64(PrimitiveArray<i64>),
    F64(PrimitiveArray<f64>),
    Bool(BooleanArray),
    Date(PrimitiveArray<i32>),
    /// Values, unit, and the offset in seconds of the column's time zone (0 without one): a
    /// date is the calendar day where the timestamp was recorded, not in UTC.
    DateTime(PrimitiveArray<i64>, TimeUnit, i64),
}

/// The one array of `ca`, its chunks joined.
fn single<T: PolarsDataType>(ca: &ChunkedArray<T>) -> PolarsResult<T::Array>
where
    T::Array: Clone,
{
    ca.rechunk()
        .downcast_iter()
        .next()
        .cloned()
        .ok_or_else(|| polars_err!(ComputeError: "kolom `{}` tanpa data / column without data", ca.name()))
}

/// The UTC offset in seconds of a Parquet time zone: UTC, Indonesia's zones (no daylight saving:
/// WIB +7, WITA +8, WIT +9) and fixed offsets such as `+09:00`. `None` for any other zone.
pub fn tz_offset_seconds(tz: &str) -> Option<i64> {
    let hours = |h: i64| Some(h * 3600);
    match tz {
        "UTC" | "Etc/UTC" | "Z" | "GMT" => hours(0),
        "Asia/Jakarta" | "Asia/Pontianak" => hours(7),
        "Asia/Makassar" | "Asia/Ujung_Pandang" => hours(8),
        "Asia/Jayapura" => hours(9),
        _ => {
            let (sign, rest) = match tz.as_bytes().first()? {
                b'+' => (1, &tz[1..]),
                b'-' => (-1, &tz[1..]),
                _ => return None,
            };
            let digits: String = rest.chars().filter(|c| *c != ':').collect();
            if digits.len() != 4 || !digits.chars().all(|c| c.is_ascii_digit()) {
                return None;
            }
            let h: i64 = digits[..2].parse().ok()?;
            let m: i64 = digits[2..].parse().ok()?;
            (h <= 14 && m < 60).then_some(sign * (h * 3600 + m * 60))
        }
    }
}

pub struct ParquetSource {
    columns: Vec<Col>,
    height: usize,
    pub headers: Vec<String>,
}

fn typed(s: &Series) -> PolarsResult<Col> {
    Ok(match s.dtype() {
        DataType::String => Col::Str(single(s.str()?)?),
        DataType::Boolean => Col::Bool(single(s.bool()?)?),
        DataType::Float32 | DataType::Float64 => Col::F64(single(s.cast(&DataType::Float64)?.f64()?)?),
        DataType::Date => Col::Date(single(s.cast(&DataType::Int32)?.i32()?)?),
        DataType::Datetime(tu, tz) => {
            let offset = match tz {
                None => 0,
                Some(z) => tz_offset_seconds(z.as_str()).ok_or_else(|| {
                    polars_err!(ComputeError: "kolom `{}`: zona waktu `{}` tidak dikenal / unknown time zone (kenal / known: UTC, Asia/Jakarta, Asia/Makassar, Asia/Jayapura, +HH:MM)", s.name(), z.as_str())
                })?,
            };
            Col::DateTime(single(s.cast(&DataType::Int64)?.i64()?)?, *tu, offset)
        }
        dt if dt.is_integer() => Col::I64(single(s.cast(&DataType::Int64)?.i64()?)?),
        _ => Col::Str(single(s.cast(&DataType::String)?.str()?)?),
    })
}

fn epoch() -> NaiveDate {
    NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default()
}

/// The number of rows and the column names a Parquet file's footer declares, without reading
/// its data; `None` when the file cannot be read (opening it properly then says why).
pub fn declared_shape(path: &Path) -> Option<(usize, Vec<String>)> {
    let file = std::fs::File::open(path).ok()?;
    let mut reader = ParquetReader::new(file);
    let names = reader.schema().ok()?.iter_names().map(|n| n.to_string()).collect();
    Some((reader.num_rows().ok()?, names))
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
        self.for_each_only(None, f)
    }

    /// [`ParquetSource::for_each`] building only the cells of `only` (all when `None`); the
    /// others are empty.
    pub fn for_each_only(
        &self,
        only: Option<&[usize]>,
        f: &mut dyn FnMut(RowEvent<'_>) -> bool,
    ) -> Result<(), FileError> {
        let wanted: Vec<bool> =
            (0..self.columns.len()).map(|c| only.is_none_or(|cols| cols.contains(&c))).collect();
        // One buffer for every row: the cells borrow the columns, which outlive the loop.
        let mut cells: Vec<Cell<'_>> = Vec::with_capacity(self.columns.len());
        for i in 0..self.height {
            cells.clear();
            cells.extend(self.columns.iter().zip(&wanted).map(|(c, want)| match c {
                _ if !want => Cell::Empty,
                Col::Str(a) => a.get(i).map_or(Cell::Empty, Cell::text),
                Col::I64(a) => a.get(i).map_or(Cell::Empty, Cell::Int),
                Col::F64(a) => a.get(i).map_or(Cell::Empty, Cell::Float),
                Col::Bool(a) => a.get(i).map_or(Cell::Empty, Cell::Bool),
                Col::Date(a) => a.get(i).map_or(Cell::Empty, |d| {
                    epoch()
                        .checked_add_signed(chrono::Duration::days(d as i64))
                        .map_or(Cell::Int(d as i64), Cell::Date)
                }),
                Col::DateTime(a, tu, offset) => a.get(i).map_or(Cell::Empty, |v| {
                    let dt = match tu {
                        TimeUnit::Nanoseconds => Some(DateTime::from_timestamp_nanos(v)),
                        TimeUnit::Microseconds => DateTime::from_timestamp_micros(v),
                        TimeUnit::Milliseconds => DateTime::from_timestamp_millis(v),
                    };
                    dt.map_or(Cell::Int(v), |d| {
                        Cell::DateTime(d.naive_utc() + chrono::Duration::seconds(*offset))
                    })
                }),
            }));
            // Parquet has no header row; row 1 is the first record, as a viewer shows it.
            if !f(RowEvent::Row { number: i as u64 + 1, cells: &cells }) {
                break;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The footer's row count, without the data; nothing for a file that is not Parquet.
    #[test]
    fn declared_shape_reads_the_footer() {
        use crate::data::table::{ColumnData, TableData, write_parquet};
        let dir = tempfile::tempdir().expect("tempdir");
        let (good, bad) = (dir.path().join("k.parquet"), dir.path().join("k2.parquet"));
        let mut t = TableData::default();
        t.push("nilai", ColumnData::F64(vec![Some(1.0), None, Some(3.0)]));
        write_parquet(t, &good).expect("write");
        std::fs::write(&bad, "nipBaru,periode\n").expect("write");
        assert_eq!(declared_shape(&good), Some((3, vec!["nilai".to_string()])));
        assert_eq!(declared_shape(&bad), None);
        assert_eq!(declared_shape(&dir.path().join("absent.parquet")), None);
    }

    #[test]
    fn time_zone_offsets() {
        assert_eq!(tz_offset_seconds("UTC"), Some(0));
        assert_eq!(tz_offset_seconds("Asia/Jakarta"), Some(7 * 3600));
        assert_eq!(tz_offset_seconds("Asia/Makassar"), Some(8 * 3600));
        assert_eq!(tz_offset_seconds("Asia/Jayapura"), Some(9 * 3600));
        assert_eq!(tz_offset_seconds("+09:00"), Some(9 * 3600));
        assert_eq!(tz_offset_seconds("-0330"), Some(-(3 * 3600 + 1800)));
        assert_eq!(tz_offset_seconds("Europe/Paris"), None, "zones with daylight saving are refused");
        assert_eq!(tz_offset_seconds("+99:00"), None);
    }
}
