//! Writing a [`TableData`] as Parquet through Polars' own writer, with text columns that are
//! already dictionaries handed over as Arrow dictionaries.
//!
//! Polars' `ParquetWriter` writes a text column as a Parquet dictionary too, but it first gathers
//! every row's string, estimates the column's cardinality by hashing them all, and then hashes
//! them again to build the dictionary. Our text columns are dictionaries already
//! ([`ColumnData::Dict`]), and a month writes tens of millions of such cells: here each row
//! group's dictionary comes from the codes (its values in order of first use, as Polars would
//! build it), and only the pages are left to Polars. The file declares the same Arrow schema as
//! Polars' writer (text as `Utf8View`), so every reader sees the same types; the pages are the
//! ones Polars writes for the same dictionary. A column with more distinct values than 3 in 4
//! rows goes through Polars' own decision (which stores such columns plainly), as do the other
//! column types.
//!
//! Measured side by side against Polars' writer given the strings (`docs/benchmarks.md`, commit
//! d30ec42): one partition of the national benchmark took 3.19–3.21 s of CPU against
//! 3.49–3.52 s (−9 %) and peaked at 435 MiB against 537 MiB, for the same bytes.
//!
//! The column chunks of a few row groups are encoded and compressed side by side on the pool,
//! then written in order, as Polars' writer does for its columns: `mutasi validate` of the
//! 250,000 × 60 instansi, whose 51 million kinerja rows are 195 row groups, went from 47.7 s to
//! 41.2 s (`docs/benchmarks.md`, "issue 32, fifth stop"), for the same bytes.

use std::path::Path;

use polars::prelude::*;
use polars_arrow::array::{Array, BooleanArray, DictionaryArray, PrimitiveArray, Utf8ViewArray};
use polars_arrow::bitmap::Bitmap;
use polars_arrow::datatypes::{ArrowDataType, IntegerType};
use polars_parquet::read::ParquetError;
use polars_parquet::write::{
    CompressedPage, CompressionOptions, Compressor, DynIter, DynStreamingIterator, Encoding, Page,
    ParquetType, RowGroupIterColumns, StatisticsOptions, Version, WriteOptions, ZstdLevel, array_to_columns,
};

use rayon::prelude::*;

use super::page_zstd::{Ready, compress};
use super::table::{Code, ColumnData, TableData, TableError, at};

/// Rows per row group, Polars' default (512²): a larger table is cut into equal groups.
const ROW_GROUP: usize = 512 * 512;
/// Above this share of distinct values a dictionary does not pay (Polars' threshold).
const DICTIONARY_MAX_SHARE: f64 = 0.75;

/// The files' compression: zstd at level 1. Level 1 compresses about twice as fast as zstd's
/// default (3), for files a few per cent larger; reading them costs the same.
pub(crate) fn compression() -> ParquetCompression {
    ParquetCompression::Zstd(ZstdLevel::try_new(1).ok())
}

/// One column ready for row groups: a Polars array, or a dictionary's values and codes.
enum Source<'a> {
    Arrow(Box<dyn Array>),
    Dict { values: &'a [String], codes: &'a [Option<Code>] },
}

/// Row groups encoded side by side before they are written: enough tasks for every core, and a
/// few megabytes of compressed pages held at a time.
const GROUPS_AT_ONCE: usize = 8;

/// The pages of one column chunk, compressed.
fn compress_all(
    pages: impl Iterator<Item = PolarsResult<Page>>,
    compression: CompressionOptions,
) -> Result<Vec<CompressedPage>, ParquetError> {
    let pages = pages.map(|p| p.map_err(|e| ParquetError::FeatureNotSupported(e.to_string())));
    match compression {
        CompressionOptions::Zstd(level) => {
            let level = level.map(|v| v.compression_level()).unwrap_or_default();
            pages.map(|p| compress(p?, level)).collect()
        }
        other => Iterator::collect(Compressor::new_from_vec(pages, other, Vec::new())),
    }
}

/// Writes `table` to `writer` as Parquet; returns the number of bytes written.
pub fn write_table<W: std::io::Write>(table: &TableData, writer: W, path: &Path) -> Result<u64, TableError> {
    let err = TableError::polars(path);
    let height = table.height();
    let mut schema = Schema::default();
    let mut sources = Vec::with_capacity(table.columns.len());
    for (name, data) in &table.columns {
        let source = match data {
            ColumnData::Dict { values, codes } => {
                schema.insert(name.as_str().into(), DataType::String);
                Source::Dict { values, codes }
            }
            other => match arrow_array(other) {
                Some((dtype, array)) => {
                    schema.insert(name.as_str().into(), dtype);
                    Source::Arrow(array)
                }
                None => {
                    let column = polars_column(name, other).map_err(&err)?;
                    schema.insert(name.as_str().into(), column.dtype().clone());
                    let series = column.as_materialized_series().rechunk();
                    Source::Arrow(series.to_arrow(0, CompatLevel::newest()))
                }
            },
        };
        sources.push(source);
    }
    let arrow_schema = schema.to_arrow(CompatLevel::newest());
    // Polars asks for a dictionary for every number column. For a float column it first
    // estimates the column's distinct values by hashing every row, and then cannot build one
    // (it casts no float to a dictionary) and writes the values plainly: asking for plain
    // values writes the same pages without hashing millions of them.
    let encodings: Vec<Vec<Encoding>> = get_encodings(&arrow_schema)
        .iter()
        .zip(arrow_schema.iter_values())
        .map(|(e, field)| match field.dtype {
            ArrowDataType::Float32 | ArrowDataType::Float64 => vec![Encoding::Plain; e.len()],
            _ => e.clone(),
        })
        .collect();
    let mut batched =
        ParquetWriter::new(writer).with_compression(compression()).batched(&schema).map_err(&err)?;
    let fields: Vec<ParquetType> = batched.parquet_schema().fields().to_vec();
    let options = WriteOptions {
        statistics: StatisticsOptions::default(),
        version: Version::V1,
        compression: CompressionOptions::from(compression()),
        data_page_size: None,
    };
    // Row groups are encoded and compressed a batch at a time, every column of every group of
    // the batch as one task on the pool, and written in order: the pages are the ones a single
    // thread makes, so the file is the same byte for byte.
    let groups = row_groups(height);
    for batch in groups.chunks(GROUPS_AT_ONCE) {
        let tasks: Vec<(usize, usize)> =
            (0..batch.len()).flat_map(|g| (0..sources.len()).map(move |c| (g, c))).collect();
        let encoded: Vec<Result<Vec<Vec<CompressedPage>>, TableError>> = tasks
            .par_iter()
            .map(|&(g, c)| {
                let (start, len) = batch[g];
                let array: Box<dyn Array> = match &sources[c] {
                    Source::Arrow(a) => a.sliced(start, len),
                    Source::Dict { values, codes } => dictionary_slice(values, &codes[start..start + len])
                        .ok_or_else(|| TableError::DanglingCode { path: path.to_path_buf() })?,
                };
                array_to_columns(array, fields[c].clone(), options, &encodings[c])
                    .map_err(&err)?
                    .into_iter()
                    .map(|pages| compress_all(pages, options.compression).map_err(|e| err(e.into())))
                    .collect()
            })
            .collect();
        let mut encoded = encoded.into_iter();
        for _ in batch {
            let mut columns = Vec::with_capacity(sources.len());
            for column in encoded.by_ref().take(sources.len()) {
                for pages in column? {
                    columns.push(Ok(DynStreamingIterator::new(Ready::new(pages))));
                }
            }
            let group: RowGroupIterColumns<'static, PolarsError> = DynIter::new(columns.into_iter());
            batched.write_row_groups(vec![group]).map_err(&err)?;
        }
    }
    batched.finish().map_err(err)
}

/// A number, date or boolean column as the Arrow array Polars would hand its writer (a null
/// slot holds the type's default), with its Polars type, built in one pass over the values
/// instead of through a Polars column; `None` for text.
fn arrow_array(data: &ColumnData) -> Option<(DataType, Box<dyn Array>)> {
    use chrono::Datelike;
    fn validity<T>(v: &[Option<T>]) -> Option<Bitmap> {
        v.iter().any(Option::is_none).then(|| v.iter().map(Option::is_some).collect())
    }
    fn primitive<T: polars_arrow::types::NativeType + Default>(
        v: &[Option<T>],
        dtype: ArrowDataType,
    ) -> Box<dyn Array> {
        let values: Vec<T> = v.iter().map(|x| x.unwrap_or_default()).collect();
        PrimitiveArray::<T>::new(dtype, values.into(), validity(v)).boxed()
    }
    Some(match data {
        ColumnData::F64(v) => (DataType::Float64, primitive(v, ArrowDataType::Float64)),
        ColumnData::I64(v) => (DataType::Int64, primitive(v, ArrowDataType::Int64)),
        ColumnData::Date(v) => {
            // Days since 1970-01-01: 719,163 days after 0001-01-01, the day `num_days_from_ce`
            // counts as 1.
            let days: Vec<Option<i32>> =
                v.iter().map(|d| d.map(|d| d.num_days_from_ce() - 719_163)).collect();
            (DataType::Date, primitive(&days, ArrowDataType::Date32))
        }
        ColumnData::Bool(v) => {
            let values: Bitmap = v.iter().map(|x| x.unwrap_or_default()).collect();
            (DataType::Boolean, BooleanArray::new(ArrowDataType::Boolean, values, validity(v)).boxed())
        }
        ColumnData::Str(_) | ColumnData::Dict { .. } => return None,
    })
}

/// A column as Polars holds it; a dictionary as its rows' texts (what [`write_table`] writes it
/// as, by its own path).
pub(crate) fn polars_column(name: &str, data: &ColumnData) -> PolarsResult<Column> {
    let name: PlSmallStr = name.into();
    Ok(match data {
        ColumnData::Str(v) => Column::new(name, v),
        ColumnData::I64(v) => Column::new(name, v),
        ColumnData::F64(v) => Column::new(name, v),
        ColumnData::Bool(v) => Column::new(name, v),
        ColumnData::Date(v) => {
            let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
            let days: Vec<Option<i32>> =
                v.iter().map(|d| d.map(|d| d.signed_duration_since(epoch).num_days() as i32)).collect();
            Column::new(name, days).cast(&DataType::Date)?
        }
        ColumnData::Dict { values, codes } => Column::new(
            name,
            codes.iter().map(|c| c.and_then(|c| values.get(at(c))).map(String::as_str)).collect::<Vec<_>>(),
        ),
    })
}

/// (first row, rows) of each row group: one group up to [`ROW_GROUP`] rows, else
/// `height / ROW_GROUP` groups of equal size, the last taking the remainder.
fn row_groups(height: usize) -> Vec<(usize, usize)> {
    let n = (height / ROW_GROUP).max(1);
    let size = height / n;
    (0..n)
        .map(|k| (k * size, if k + 1 == n { height - k * size } else { size }))
        .filter(|g| g.1 > 0)
        .collect()
}

/// The rows `codes` of a dictionary column as one row group's Arrow array: a dictionary of the
/// values used, in order of first use, or the plain texts when most rows hold distinct values;
/// `None` when a code has no value.
fn dictionary_slice(values: &[String], codes: &[Option<Code>]) -> Option<Box<dyn Array>> {
    const UNSEEN: u32 = u32::MAX;
    let mut local = vec![UNSEEN; values.len()];
    let mut used: Vec<&str> = Vec::new();
    let mut keys: Vec<u32> = Vec::with_capacity(codes.len());
    for c in codes {
        let key = match c {
            Some(c) => {
                let slot = local.get_mut(at(*c))?;
                if *slot == UNSEEN {
                    *slot = used.len() as u32;
                    used.push(values[at(*c)].as_str());
                }
                *slot
            }
            None => 0,
        };
        keys.push(key);
    }
    let validity =
        codes.iter().any(Option::is_none).then(|| codes.iter().map(Option::is_some).collect::<Bitmap>());
    if codes.len() > 128 && used.len() as f64 / codes.len() as f64 > DICTIONARY_MAX_SHARE {
        let texts: Vec<Option<&str>> = codes.iter().map(|c| c.map(|c| values[at(c)].as_str())).collect();
        return Some(Utf8ViewArray::from_slice(texts).boxed());
    }
    let keys = PrimitiveArray::<u32>::new(ArrowDataType::UInt32, keys.into(), validity);
    let dtype = ArrowDataType::Dictionary(IntegerType::UInt32, Box::new(ArrowDataType::Utf8View), false);
    DictionaryArray::try_new(dtype, keys, Utf8ViewArray::from_slice_values(used).boxed())
        .map(|a| a.boxed())
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::table::cs;

    /// The bytes Polars' own writer gives for the same rows with every text column as strings.
    fn polars_bytes(table: &TableData) -> Vec<u8> {
        let columns =
            table.columns.iter().map(|(name, data)| polars_column(name, data).expect("column")).collect();
        let mut df = DataFrame::new(table.height(), columns).expect("frame");
        let mut out = Vec::new();
        ParquetWriter::new(&mut out).with_compression(compression()).finish(&mut df).expect("polars write");
        out
    }

    fn ours(table: &TableData) -> Vec<u8> {
        let mut out = Vec::new();
        write_table(table, &mut out, Path::new("t.parquet")).expect("write");
        out
    }

    /// Dictionaries with values never used, codes out of first-use order and missing rows; one
    /// with a distinct value in almost every row (stored plainly); numbers and dates beside them;
    /// and a table of three row groups: the file is byte for byte the one Polars writes from the
    /// rows' texts, so readers cannot tell the difference.
    #[test]
    fn dictionaries_give_the_bytes_polars_writes_for_their_texts() {
        let n = 300;
        let small: Vec<String> = ["b", "a", "never used", "c"].map(String::from).to_vec();
        let codes: Vec<Option<u32>> = (0..n).map(|i| (i % 7 != 0).then_some([3, 1, 0][i % 3])).collect();
        let wide: Vec<String> = (0..n).map(|i| format!("P{:04}", (i * 37) % n)).collect();
        let wide_codes: Vec<Option<u32>> = (0..n).map(|i| (i % 50 != 1).then_some(i as u32)).collect();
        let mut t = TableData::default();
        t.push("unit_id", ColumnData::Dict { values: small.clone(), codes: cs(&codes) });
        t.push("nilai", ColumnData::F64((0..n).map(|i| (i % 11 != 0).then_some(i as f64 / 3.0)).collect()));
        // Few distinct values: Polars tries a dictionary, fails on floats, and writes them plainly.
        t.push("rating", ColumnData::F64((0..n).map(|i| (i % 13 != 0).then_some((i % 4) as f64)).collect()));
        t.push("pegawai_id", ColumnData::Dict { values: wide, codes: cs(&wide_codes) });
        let day = chrono::NaiveDate::from_ymd_opt(2025, 3, 31);
        t.push("tanggal", ColumnData::Date((0..n).map(|i| day.filter(|_| i % 5 != 0)).collect()));
        t.push(
            "catatan",
            ColumnData::Str((0..n).map(|i| (i % 3 == 0).then(|| format!("c{}", i % 4))).collect()),
        );
        t.push("n", ColumnData::I64((0..n).map(|i| (i % 4 != 2).then_some(i as i64 - 150)).collect()));
        t.push("cukup", ColumnData::Bool((0..n).map(|i| (i % 6 != 1).then_some(i % 4 == 0)).collect()));
        t.push(
            "awal",
            ColumnData::Date(
                (0..n).map(|i| chrono::NaiveDate::from_ymd_opt(1969 + (i % 70) as i32, 12, 31)).collect(),
            ),
        );
        assert_eq!(ours(&t), polars_bytes(&t));
        // Columns without a missing value.
        let mut full = TableData::default();
        full.push("nilai", ColumnData::F64((0..n).map(|i| Some(i as f64)).collect()));
        full.push(
            "rating",
            ColumnData::F64((0..100).map(|i| Some((i % 3) as f64)).chain((100..n).map(|_| None)).collect()),
        );
        full.push("n", ColumnData::I64((0..n).map(|i| Some(i as i64)).collect()));
        full.push("cukup", ColumnData::Bool((0..n).map(|i| Some(i % 3 == 0)).collect()));
        full.push("tanggal", ColumnData::Date((0..n).map(|_| day).collect()));
        assert_eq!(ours(&full), polars_bytes(&full));

        // A short float column (Polars skips its estimate below 129 rows and tries the cast).
        let mut short = TableData::default();
        short.push("nilai", ColumnData::F64((0..10).map(|i| (i != 4).then_some((i % 2) as f64)).collect()));
        assert_eq!(ours(&short), polars_bytes(&short));

        // Every code unused, and no rows at all.
        let mut empty = TableData::default();
        empty.push("unit_id", ColumnData::Dict { values: small.clone(), codes: vec![None; 3] });
        assert_eq!(ours(&empty), polars_bytes(&empty));
        let mut none = TableData::default();
        none.push("unit_id", ColumnData::Dict { values: small.clone(), codes: Vec::new() });
        assert_eq!(ours(&none), polars_bytes(&none));

        // Several row groups, each with its own dictionary.
        let rows = 2 * ROW_GROUP + 7;
        let mut big = TableData::default();
        let big_codes: Vec<Option<u32>> = (0..rows).map(|i| Some(((i / 1000) % 4) as u32)).collect();
        big.push("unit_id", ColumnData::Dict { values: small, codes: cs(&big_codes) });
        assert_eq!(ours(&big), polars_bytes(&big));
    }

    #[test]
    fn a_code_without_a_value_is_an_error() {
        let mut t = TableData::default();
        t.push("unit_id", ColumnData::Dict { values: vec!["a".into()], codes: cs(&[Some(0), Some(5)]) });
        let mut out = Vec::new();
        let e = write_table(&t, &mut out, Path::new("x.parquet")).expect_err("code 5 of 1 value");
        assert!(matches!(e, TableError::DanglingCode { .. }), "{e}");
        assert!(e.to_string().starts_with("x.parquet: kode kamus tanpa nilai"), "{e}");
    }

    #[test]
    fn row_groups_cover_every_row_once() {
        assert_eq!(row_groups(0), vec![]);
        assert_eq!(row_groups(10), vec![(0, 10)]);
        assert_eq!(row_groups(ROW_GROUP), vec![(0, ROW_GROUP)]);
        let g = row_groups(3 * ROW_GROUP + 5);
        assert_eq!(g.len(), 3);
        assert_eq!(g.iter().map(|x| x.1).sum::<usize>(), 3 * ROW_GROUP + 5);
        assert!(g.windows(2).all(|w| w[0].0 + w[0].1 == w[1].0));
    }
}
