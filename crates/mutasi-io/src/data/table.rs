//! Output tables as plain column vectors, and their Parquet writer: the table type the analyses
//! used before they became `LazyFrame` queries, retired one analysis at a time (issue 32).
//!
//! Stages still on it build a [`TableData`] from their own structs; [`write_parquet`] writes it
//! (through `parquet_out`), and [`TableData::to_frame`] hands it to an analysis written as a
//! Polars query. Writes go to a temporary file that is renamed into place, so a reader never
//! sees half a file.
//!
//! Why it stays for the validated tables and the analyses that read them through the read cache:
//! the same analyses as Polars queries over the files were slower on both benchmarks
//! (`super::cache`, `docs/benchmarks.md`, "issue 32, third stop").

use std::path::Path;

use chrono::NaiveDate;
use polars::prelude::*;

pub use super::error::{ColumnKind, TableError};

/// The error for a column a reader needs and `file` lacks.
fn missing(file: &Path, column: &str, kind: ColumnKind) -> TableError {
    TableError::MissingColumn { path: file.to_path_buf(), column: column.to_string(), kind }
}

/// A row's place in its column's dictionary. `Option<Code>` takes 4 bytes (the null is the one
/// value a code never holds, `u32::MAX`) where `Option<u32>` takes 8: the validated kinerja
/// table holds six code columns of tens of millions of rows for a whole month's analyses
/// (`docs/benchmarks.md`, issue 32).
pub type Code = nonmax::NonMaxU32;

/// The code of place `i` (a dictionary never holds `u32::MAX` values).
#[inline]
pub fn code(i: u32) -> Option<Code> {
    Code::new(i)
}

/// The place a code stands for, as an index.
#[inline]
pub fn at(c: Code) -> usize {
    c.get() as usize
}

/// The code given to a row whose value is missing from its dictionary: outside every
/// dictionary, so writing the table reports it.
const DANGLING: u32 = u32::MAX - 1;

/// One output column.
#[derive(Debug, Clone, PartialEq)]
pub enum ColumnData {
    Str(Vec<Option<String>>),
    I64(Vec<Option<i64>>),
    F64(Vec<Option<f64>>),
    Date(Vec<Option<NaiveDate>>),
    Bool(Vec<Option<bool>>),
    /// Strings with few distinct values (ids, periods, indicator names): a dictionary and one code
    /// per row, so tens of millions of rows do not hold tens of millions of strings.
    Dict {
        values: Vec<String>,
        codes: Vec<Option<Code>>,
    },
}

impl ColumnData {
    pub fn len(&self) -> usize {
        match self {
            ColumnData::Str(v) => v.len(),
            ColumnData::I64(v) => v.len(),
            ColumnData::F64(v) => v.len(),
            ColumnData::Date(v) => v.len(),
            ColumnData::Bool(v) => v.len(),
            ColumnData::Dict { codes, .. } => codes.len(),
        }
    }

    /// The value of row `i` as text (for CSV output and tests).
    pub fn text(&self, i: usize) -> String {
        match self {
            ColumnData::Str(v) => v[i].clone().unwrap_or_default(),
            ColumnData::I64(v) => v[i].map(|x| x.to_string()).unwrap_or_default(),
            ColumnData::F64(v) => v[i].map(|x| x.to_string()).unwrap_or_default(),
            ColumnData::Bool(v) => v[i].map(|x| x.to_string()).unwrap_or_default(),
            ColumnData::Date(v) => v[i].map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default(),
            ColumnData::Dict { values, codes } => {
                codes[i].and_then(|c| values.get(at(c))).cloned().unwrap_or_default()
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Builds a [`ColumnData::Dict`] value by value.
#[derive(Debug, Default)]
pub struct DictBuilder {
    index: foldhash::HashMap<String, u32>,
    values: Vec<String>,
    codes: Vec<Option<Code>>,
    /// Code of the last value pushed: sorted columns (ids, periods) repeat it row after row, and
    /// comparing with it is cheaper than hashing.
    last: Option<u32>,
}

impl DictBuilder {
    pub fn with_capacity(rows: usize) -> DictBuilder {
        DictBuilder { codes: Vec::with_capacity(rows), ..DictBuilder::default() }
    }

    pub fn push(&mut self, value: Option<&str>) {
        let code = value.map(|v| {
            if let Some(c) = self.last
                && self.values[c as usize] == v
            {
                return c;
            }
            let c = self.intern(v);
            self.last = Some(c);
            c
        });
        self.codes.push(code.and_then(self::code));
    }

    /// The code of `value`, added to the dictionary when new; pushes no row.
    pub fn intern(&mut self, value: &str) -> u32 {
        match self.index.get(value) {
            Some(c) => *c,
            None => {
                let c = self.values.len() as u32;
                self.values.push(value.to_string());
                self.index.insert(value.to_string(), c);
                c
            }
        }
    }

    /// Pushes a row holding a code from [`DictBuilder::intern`].
    pub fn push_code(&mut self, code: Option<u32>) {
        self.codes.push(code.and_then(self::code));
    }

    pub fn finish(self) -> ColumnData {
        ColumnData::Dict { values: self.values, codes: self.codes }
    }

    /// The codes pushed so far, leaving the builder with none (its dictionary stays): a column
    /// built in parts.
    pub fn take_codes(&mut self) -> Vec<Option<Code>> {
        std::mem::take(&mut self.codes)
    }

    /// The column with this builder's dictionary and `codes` (parts from [`DictBuilder::take_codes`]).
    pub fn finish_with(self, codes: Vec<Option<Code>>) -> ColumnData {
        ColumnData::Dict { values: self.values, codes }
    }
}

/// A text column's distinct values and one code per row ([`TableData::coded`]).
pub type Coded<'a> = (Vec<&'a str>, std::borrow::Cow<'a, [Option<Code>]>);

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

    pub fn get(&self, name: &str) -> Option<&ColumnData> {
        self.columns.iter().find(|(n, _)| n == name).map(|(_, c)| c)
    }

    /// Text of row `i` of a text column (plain or dictionary-encoded).
    pub fn str_at(&self, name: &str, i: usize) -> Option<&str> {
        match self.get(name)? {
            ColumnData::Str(v) => v.get(i)?.as_deref(),
            ColumnData::Dict { values, codes } => values.get(at((*codes.get(i)?)?)).map(String::as_str),
            _ => None,
        }
    }

    /// Every value of a text column, or an error naming `file` and the column.
    pub fn text_column(&self, name: &str, file: &Path) -> Result<Vec<Option<&str>>, TableError> {
        if !self.is_text(name) {
            return Err(missing(file, name, ColumnKind::Text));
        }
        Ok((0..self.height()).map(|i| self.str_at(name, i)).collect())
    }

    /// The values of a float column, or an error naming `file` and the column.
    pub fn f64_column(&self, name: &str, file: &Path) -> Result<&[Option<f64>], TableError> {
        match self.get(name) {
            Some(ColumnData::F64(v)) => Ok(v),
            _ => Err(missing(file, name, ColumnKind::Number)),
        }
    }

    /// The values of a date column, or an error naming `file` and the column.
    pub fn date_column(&self, name: &str, file: &Path) -> Result<&[Option<NaiveDate>], TableError> {
        match self.get(name) {
            Some(ColumnData::Date(v)) => Ok(v),
            _ => Err(missing(file, name, ColumnKind::Date)),
        }
    }

    /// A text column as distinct values and one code per row (null: no value), without a string
    /// per row: dictionary columns as they are (their codes borrowed, not copied: the panels of
    /// every outcome read the same shared kinerja table), plain ones encoded here.
    pub fn coded(&self, name: &str, file: &Path) -> Result<Coded<'_>, TableError> {
        match self.get(name) {
            Some(ColumnData::Dict { values, codes }) => Ok((
                values.iter().map(String::as_str).collect(),
                std::borrow::Cow::Borrowed(codes.as_slice()),
            )),
            Some(ColumnData::Str(v)) => {
                let mut index: std::collections::HashMap<&str, u32> = std::collections::HashMap::new();
                let mut values: Vec<&str> = Vec::new();
                let codes = v
                    .iter()
                    .map(|x| {
                        x.as_deref().and_then(|s| {
                            code(*index.entry(s).or_insert_with(|| {
                                values.push(s);
                                (values.len() - 1) as u32
                            }))
                        })
                    })
                    .collect::<Vec<_>>();
                Ok((values, std::borrow::Cow::Owned(codes)))
            }
            _ => Err(missing(file, name, ColumnKind::Text)),
        }
    }

    /// True when `name` is a text column.
    pub fn is_text(&self, name: &str) -> bool {
        matches!(self.get(name), Some(ColumnData::Str(_) | ColumnData::Dict { .. }))
    }

    /// The same rows with text columns `(name, value)` put first, one constant value per row;
    /// a column of the same name already present is replaced (moved to the front).
    pub fn tagged(self, tags: &[(&str, &str)]) -> TableData {
        let h = self.height();
        let mut out = TableData::default();
        // One value repeated on every row: a dictionary of one entry, not a string per row.
        for (name, value) in tags {
            out.push(name, ColumnData::Dict { values: vec![value.to_string()], codes: vec![code(0); h] });
        }
        out.columns.extend(self.columns.into_iter().filter(|(n, _)| !tags.iter().any(|(t, _)| t == n)));
        out
    }

    /// The rows whose `keep` entry is true, in order. A dictionary keeps only the texts the kept
    /// rows use, numbered in order of first use: what [`into_read_back`](Self::into_read_back)
    /// would make of it, done while filtering instead of after copying every value.
    pub fn filter_rows(&self, keep: &[bool]) -> TableData {
        let kept = kept(keep);
        let columns = self
            .columns
            .iter()
            .map(|(name, c)| {
                let data = match c {
                    ColumnData::Dict { values, codes } => {
                        let rows = codes.iter().zip(keep).filter(|(_, k)| **k).map(|(c, _)| c);
                        compact(values, rows, kept, first_of_each(values).as_deref())
                    }
                    _ => None,
                };
                // A code without a value is copied as it is: writing the table reports it.
                (name.clone(), data.unwrap_or_else(|| filter_column(c, keep, kept)))
            })
            .collect();
        TableData { columns }
    }

    /// The table as [`read_table`] gives it back once written: text columns as dictionaries
    /// numbered in order of first appearance (renumbered only when they are not already), other
    /// columns as they are. `None` when a dictionary code has no value (writing the table fails
    /// then).
    pub fn into_read_back(self) -> Option<TableData> {
        let mut out = TableData::default();
        for (name, c) in self.columns {
            let data = match c {
                ColumnData::Str(v) => {
                    let mut b = DictBuilder::with_capacity(v.len());
                    for x in &v {
                        b.push(x.as_deref());
                    }
                    b.finish()
                }
                ColumnData::Dict { values, codes } => {
                    let canonical = first_of_each(&values);
                    if canonical.is_none() && in_first_use_order(values.len(), &codes) {
                        ColumnData::Dict { values, codes }
                    } else {
                        compact(&values, codes.iter(), codes.len(), canonical.as_deref())?
                    }
                }
                other => other,
            };
            out.columns.push((name, data));
        }
        Some(out)
    }

    /// What reading `columns` of the rows whose text column `filter.0` holds one of `filter.1`
    /// would give, were `self` the file: the columns in the order asked (the filter column last
    /// when not asked for), text columns with their dictionaries in first-appearance order over
    /// the rows kept. `None` when a column is missing or the filter column is not text: a real
    /// read then says why.
    pub fn derive(&self, columns: &[&str], filter: Option<(&str, &[&str])>) -> Option<TableData> {
        let mut names: Vec<&str> = columns.to_vec();
        if let Some((f, _)) = filter
            && !names.contains(&f)
        {
            names.push(f);
        }
        let keep: Option<Vec<bool>> = match filter {
            None => None,
            Some((f, wanted)) => {
                let ColumnData::Dict { values, codes } = self.get(f)? else {
                    return None;
                };
                let hit: Vec<bool> = values.iter().map(|v| wanted.contains(&v.as_str())).collect();
                let mut keep = Vec::with_capacity(codes.len());
                for c in codes {
                    keep.push(match c {
                        None => false,
                        Some(c) => *hit.get(at(*c))?,
                    });
                }
                Some(keep)
            }
        };
        let count = keep.as_deref().map_or(0, kept);
        let mut out = TableData::default();
        for name in names {
            let column = self.get(name)?;
            let data = match (&keep, column) {
                (None, c) => c.clone(),
                (Some(keep), ColumnData::Dict { values, codes }) => {
                    let rows = codes.iter().zip(keep).filter(|(_, k)| **k).map(|(c, _)| c);
                    compact(values, rows, count, first_of_each(values).as_deref())?
                }
                (Some(keep), c) => filter_column(c, keep, count),
            };
            out.push(name, data);
        }
        Some(out)
    }

    /// Appends the rows of `other`, which must have the same column names and types in the same
    /// order (an empty `self` takes `other` as it is).
    pub fn append(&mut self, other: TableData) -> Result<(), TableError> {
        if self.columns.is_empty() {
            *self = other;
            return Ok(());
        }
        if self.names() != other.names() {
            return Err(TableError::ColumnsDiffer(format!("{:?} vs {:?}", self.names(), other.names())));
        }
        for ((name, mine), (_, theirs)) in self.columns.iter_mut().zip(other.columns) {
            match (mine, theirs) {
                (ColumnData::Str(a), ColumnData::Str(b)) => a.extend(b),
                // Text in both: dictionaries merge (the other's values added where new), and text
                // joins a dictionary as its values.
                (ColumnData::Dict { values, codes }, ColumnData::Dict { values: v, codes: c }) => {
                    let map = merge_values(values, &v);
                    // A code without a value stays one (writing the table then fails on it).
                    codes.extend(
                        c.into_iter()
                            .map(|c| c.and_then(|c| code(map.get(at(c)).copied().unwrap_or(DANGLING)))),
                    );
                }
                (ColumnData::Dict { values, codes }, ColumnData::Str(b)) => {
                    let mut index: foldhash::HashMap<String, u32> =
                        values.iter().enumerate().map(|(i, v)| (v.clone(), i as u32)).collect();
                    for x in b {
                        codes.push(x.and_then(|x| {
                            code(*index.entry(x).or_insert_with_key(|x| {
                                values.push(x.clone());
                                (values.len() - 1) as u32
                            }))
                        }));
                    }
                }
                (ColumnData::Str(a), ColumnData::Dict { values, codes }) => {
                    a.extend(codes.iter().map(|c| c.and_then(|c| values.get(at(c)).cloned())));
                }
                (ColumnData::I64(a), ColumnData::I64(b)) => a.extend(b),
                (ColumnData::F64(a), ColumnData::F64(b)) => a.extend(b),
                (ColumnData::Date(a), ColumnData::Date(b)) => a.extend(b),
                (ColumnData::Bool(a), ColumnData::Bool(b)) => a.extend(b),
                _ => return Err(TableError::TypesDiffer(name.clone())),
            }
        }
        Ok(())
    }

    /// The table as a Polars `DataFrame` (text columns as strings): how a table still built as
    /// columns reaches an analysis written as a `LazyFrame` query.
    pub fn to_frame(&self) -> PolarsResult<DataFrame> {
        let columns = self
            .columns
            .iter()
            .map(|(name, data)| super::parquet_out::polars_column(name, data))
            .collect::<PolarsResult<Vec<_>>>()?;
        DataFrame::new(self.height(), columns)
    }

    pub fn names(&self) -> Vec<&str> {
        self.columns.iter().map(|(n, _)| n.as_str()).collect()
    }
}

/// Adds to `values` those of `other` it lacks; returns where each of `other`'s values is now.
fn merge_values(values: &mut Vec<String>, other: &[String]) -> Vec<u32> {
    let mut index: foldhash::HashMap<&str, u32> = foldhash::HashMap::default();
    for (i, v) in values.iter().enumerate() {
        index.entry(v.as_str()).or_insert(i as u32);
    }
    let mut added: foldhash::HashMap<&str, u32> = foldhash::HashMap::default();
    let mut new_values: Vec<String> = Vec::new();
    let base = values.len();
    let map = other
        .iter()
        .map(|v| match index.get(v.as_str()) {
            Some(i) => *i,
            None => *added.entry(v.as_str()).or_insert_with(|| {
                new_values.push(v.clone());
                (base + new_values.len() - 1) as u32
            }),
        })
        .collect();
    values.extend(new_values);
    map
}

/// Writes a table as zstd-compressed Parquet (level 1), atomically. Returns the number of bytes written.
///
/// Text columns are written as the dictionaries reading the file back gives
/// ([`TableData::into_read_back`]), handed to Polars' writer as they are
/// ([`super::parquet_out`]). Inside a [`super::cache::ReadCache`] scope that table is also kept:
/// a month's later stages read what its earlier ones wrote (the validated tables, a case
/// study's scoped copies), and a copy costs less than decoding the file.
pub fn write_parquet(table: TableData, path: &Path) -> Result<u64, TableError> {
    let table =
        table.into_read_back().ok_or_else(|| TableError::DanglingCode { path: path.to_path_buf() })?;
    let bytes = write_atomically(path, |out| super::parquet_out::write_table(&table, out, path))?;
    super::cache::keep(path, table);
    Ok(bytes)
}

/// Writes a DataFrame to `path` through a temporary file renamed into place.
pub(crate) fn write_frame(mut df: DataFrame, path: &Path) -> Result<u64, TableError> {
    write_atomically(path, |out| {
        ParquetWriter::new(out)
            .with_compression(super::parquet_out::compression())
            .finish(&mut df)
            .map_err(TableError::polars(path))
    })
}

/// Runs `write` on a buffered temporary file beside `path`, then renames it into place.
fn write_atomically(
    path: &Path,
    write: impl FnOnce(&mut std::io::BufWriter<std::fs::File>) -> Result<u64, TableError>,
) -> Result<u64, TableError> {
    let tmp = path.with_extension("parquet.tmp");
    let file = std::fs::File::create(&tmp).map_err(TableError::io(&tmp))?;
    // Polars' writer issues one write per page header and buffer (tens of bytes each): without a
    // buffer a partition's outputs cost about 100,000 system calls.
    let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
    let bytes = write(&mut out)?;
    out.into_inner().map_err(|e| TableError::io(&tmp)(e.into_error()))?;
    std::fs::rename(&tmp, path).map_err(TableError::io(path))?;
    Ok(bytes)
}

/// The number of rows `keep` keeps: every filtered column is sized with it, so that a column of
/// millions of rows is written once, not grown by copies.
fn kept(keep: &[bool]) -> usize {
    keep.iter().filter(|k| **k).count()
}

/// The entries of `v` whose `keep` is true, `kept` of them at most.
fn pick<T: Clone>(v: &[T], keep: &[bool], kept: usize) -> Vec<T> {
    let mut out = Vec::with_capacity(kept);
    out.extend(v.iter().zip(keep).filter(|(_, k)| **k).map(|(x, _)| x.clone()));
    out
}

/// The rows of one column whose `keep` is true (a dictionary keeps its values).
fn filter_column(c: &ColumnData, keep: &[bool], kept: usize) -> ColumnData {
    match c {
        ColumnData::Str(v) => ColumnData::Str(pick(v, keep, kept)),
        ColumnData::I64(v) => ColumnData::I64(pick(v, keep, kept)),
        ColumnData::F64(v) => ColumnData::F64(pick(v, keep, kept)),
        ColumnData::Date(v) => ColumnData::Date(pick(v, keep, kept)),
        ColumnData::Bool(v) => ColumnData::Bool(pick(v, keep, kept)),
        ColumnData::Dict { values, codes } => {
            ColumnData::Dict { values: values.clone(), codes: pick(codes, keep, kept) }
        }
    }
}

/// True when the codes use every one of `n` values, each first used after all smaller codes:
/// the numbering a fresh decode gives.
fn in_first_use_order(n: usize, codes: &[Option<Code>]) -> bool {
    // Millions of codes per column. A run of codes all below `next` (the number seen so far)
    // brings nothing new: its maximum, a loop without branches, says so; only runs with a new
    // code are walked one code at a time.
    const RUN: usize = 64;
    let mut next = 0u32;
    for run in codes.chunks(RUN) {
        let top = run.iter().map(|c| c.map_or(0, |c| c.get() + 1)).max().unwrap_or(0);
        if top <= next {
            continue;
        }
        for c in run.iter().flatten().map(|c| c.get()) {
            if c > next {
                return false;
            }
            next += u32::from(c == next);
        }
    }
    next as usize == n
}

/// When some values repeat, the index of the first value with the same text, for each value
/// (a decode keeps one entry per distinct text); `None` when they are all distinct.
fn first_of_each(values: &[String]) -> Option<Vec<u32>> {
    let mut first: foldhash::HashMap<&str, u32> = foldhash::HashMap::default();
    let canonical: Vec<u32> =
        values.iter().enumerate().map(|(i, v)| *first.entry(v).or_insert(i as u32)).collect();
    (first.len() < values.len()).then_some(canonical)
}

/// A dictionary column keeping only the distinct texts its rows use, numbered in order of first
/// use, as a fresh decode numbers them. `None` when a code has no value.
/// `canonical` is [`first_of_each`] of the values.
fn compact<'a>(
    values: &[String],
    codes: impl Iterator<Item = &'a Option<Code>>,
    rows: usize,
    canonical: Option<&[u32]>,
) -> Option<ColumnData> {
    let mut renumber: Vec<Option<u32>> = vec![None; values.len()];
    let mut kept: Vec<String> = Vec::new();
    let mut out = Vec::with_capacity(rows);
    for c in codes {
        out.push(match c {
            None => None,
            Some(c) => {
                let c = match canonical {
                    Some(first) => *first.get(at(*c))?,
                    None => c.get(),
                };
                let slot = renumber.get_mut(c as usize)?;
                code(*slot.get_or_insert_with(|| {
                    kept.push(values[c as usize].clone());
                    (kept.len() - 1) as u32
                }))
            }
        });
    }
    Some(ColumnData::Dict { values: kept, codes: out })
}

fn from_series(s: &Series) -> PolarsResult<ColumnData> {
    Ok(match s.dtype() {
        // Dictionary-encoded: ids, periods and indicator names repeat millions of times.
        DataType::String => {
            let mut b = DictBuilder::with_capacity(s.len());
            for v in s.str()?.iter() {
                b.push(v);
            }
            b.finish()
        }
        DataType::Boolean => ColumnData::Bool(s.bool()?.iter().collect()),
        DataType::Float32 | DataType::Float64 => {
            ColumnData::F64(s.cast(&DataType::Float64)?.f64()?.iter().collect())
        }
        DataType::Date => {
            let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
            let days = s.cast(&DataType::Int32)?;
            ColumnData::Date(
                days.i32()?
                    .iter()
                    .map(|d| d.and_then(|d| epoch.checked_add_signed(chrono::Duration::days(i64::from(d)))))
                    .collect(),
            )
        }
        dt if dt.is_integer() => ColumnData::I64(s.cast(&DataType::Int64)?.i64()?.iter().collect()),
        _ => ColumnData::Str(s.cast(&DataType::String)?.str()?.iter().map(|v| v.map(String::from)).collect()),
    })
}

/// Reads a Parquet file back into plain columns, for later stages and tests. Text columns come
/// back dictionary-encoded ([`ColumnData::Dict`]); read them with [`TableData::str_at`].
pub fn read_table(path: &Path) -> Result<TableData, TableError> {
    read_table_where(path, None, None)
}

/// Reads only `columns` (all when `None`) of the rows whose text column `filter.0` holds one of
/// `filter.1`. Projection and filtering happen in Polars, before any row is materialised.
pub fn read_table_where(
    path: &Path,
    columns: Option<&[&str]>,
    filter: Option<(&str, &[&str])>,
) -> Result<TableData, TableError> {
    read_table_shared(path, columns, filter).map(std::sync::Arc::unwrap_or_clone)
}

/// A table holding at least `columns` of every row of `path`, shared: inside a
/// [`super::cache::ReadCache`] scope a wider read of the file already kept (the whole table its
/// writer kept) is returned as it is, with its other columns, instead of a copy of the ones asked
/// for. For callers that look columns up by name.
pub fn read_columns_shared(path: &Path, columns: &[&str]) -> Result<std::sync::Arc<TableData>, TableError> {
    match super::cache::holding(path, columns) {
        Some(t) => Ok(t),
        None => read_table_shared(path, Some(columns), None),
    }
}

/// [`read_table_where`] without a copy: inside a [`super::cache::ReadCache`] scope the same read
/// is decoded once and shared.
pub fn read_table_shared(
    path: &Path,
    columns: Option<&[&str]>,
    filter: Option<(&str, &[&str])>,
) -> Result<std::sync::Arc<TableData>, TableError> {
    super::cache::shared(path, columns, filter, || decode_table(path, columns, filter))
}

fn decode_table(
    path: &Path,
    columns: Option<&[&str]>,
    filter: Option<(&str, &[&str])>,
) -> Result<TableData, TableError> {
    let err = TableError::polars(path);
    let file = std::fs::File::open(path).map_err(TableError::io(path))?;
    let mut reader = ParquetReader::new(file);
    if let Some(cols) = columns {
        let mut wanted: Vec<String> = cols.iter().map(|c| c.to_string()).collect();
        if let Some((f, _)) = filter
            && !wanted.iter().any(|w| w == f)
        {
            wanted.push(f.to_string());
        }
        reader = reader.with_columns(Some(wanted));
    }
    let mut df = reader.finish().map_err(err)?;
    if let Some((col, values)) = filter {
        let ca = df.column(col).map_err(err)?.as_materialized_series().str().map_err(err)?.clone();
        let mask: BooleanChunked = ca.iter().map(|v| Some(v.is_some_and(|s| values.contains(&s)))).collect();
        df = df.filter(&mask).map_err(err)?;
    }
    let mut t = TableData::default();
    for c in df.columns() {
        let data = from_series(c.as_materialized_series()).map_err(&err)?;
        t.push(c.name().as_str(), data);
    }
    Ok(t)
}

/// The distinct values of text column `column` over the rows whose text column `filter.0` holds
/// one of `filter.1`, sorted. Decided once per dictionary value from the rows' codes: inside a
/// [`super::cache::ReadCache`] scope the table its writer kept is used as it is, with no read of
/// the file and no text compared per row.
pub fn distinct_text(
    path: &Path,
    column: &str,
    filter: Option<(&str, &[&str])>,
) -> Result<Vec<String>, TableError> {
    let mut wanted = vec![column];
    if let Some((f, _)) = filter
        && f != column
    {
        wanted.push(f);
    }
    let table = read_columns_shared(path, &wanted)?;
    let (values, codes) = table.coded(column, path)?;
    let mut used = vec![false; values.len()];
    let mut mark = |c: &Option<Code>| {
        if let Some(u) = c.and_then(|c| used.get_mut(at(c))) {
            *u = true;
        }
    };
    match filter {
        None => codes.iter().for_each(&mut mark),
        Some((f, allowed)) => {
            let (fvalues, fcodes) = table.coded(f, path)?;
            let hit: Vec<bool> = fvalues.iter().map(|v| allowed.contains(v)).collect();
            for (c, fc) in codes.iter().zip(fcodes.iter()) {
                if fc.and_then(|fc| hit.get(at(fc)).copied()).unwrap_or(false) {
                    mark(c);
                }
            }
        }
    }
    let mut out: Vec<String> =
        values.iter().zip(&used).filter(|(_, u)| **u).map(|(v, _)| v.to_string()).collect();
    out.sort_unstable();
    out.dedup();
    Ok(out)
}

/// A numeric column without nulls, read straight from Polars' buffers.
#[derive(Debug, Clone, PartialEq)]
pub enum PlainColumn {
    I64(Vec<i64>),
    F64(Vec<f64>),
}

/// Reads `names` from a Parquet file as plain numeric columns, for the estimators' fast path.
/// Each entry is `None` when that column is missing, has nulls or is not numeric (the caller then
/// uses [`read_table_where`], whose readers report such values cell by cell).
pub fn read_plain_columns(path: &Path, names: &[&str]) -> Result<Vec<Option<PlainColumn>>, TableError> {
    let err = TableError::polars(path);
    let file = std::fs::File::open(path).map_err(TableError::io(path))?;
    let schema = ParquetReader::new(file).schema().map_err(err)?;
    let present: Vec<String> = names.iter().filter(|n| schema.contains(n)).map(|n| n.to_string()).collect();
    let file = std::fs::File::open(path).map_err(TableError::io(path))?;
    let df = ParquetReader::new(file).with_columns(Some(present)).finish().map_err(err)?;
    let plain = |name: &str| -> PolarsResult<Option<PlainColumn>> {
        let Ok(col) = df.column(name) else { return Ok(None) };
        let s = col.as_materialized_series();
        if s.null_count() > 0 {
            return Ok(None);
        }
        Ok(match s.dtype() {
            dt if dt.is_integer() => {
                let ca = if s.dtype() == &DataType::Int64 { s.clone() } else { s.cast(&DataType::Int64)? };
                let mut v = Vec::with_capacity(s.len());
                ca.i64()?.downcast_iter().for_each(|arr| v.extend_from_slice(arr.values()));
                Some(PlainColumn::I64(v))
            }
            DataType::Float32 | DataType::Float64 => {
                let ca =
                    if s.dtype() == &DataType::Float64 { s.clone() } else { s.cast(&DataType::Float64)? };
                let mut v = Vec::with_capacity(s.len());
                ca.f64()?.downcast_iter().for_each(|arr| v.extend_from_slice(arr.values()));
                Some(PlainColumn::F64(v))
            }
            _ => None,
        })
    };
    names.iter().map(|n| plain(n).map_err(&err)).collect()
}

/// Rows and column names of a Parquet file, from its footer (no data read), for the manifest.
pub fn parquet_shape(path: &Path) -> Result<(usize, Vec<String>), TableError> {
    let err = TableError::polars(path);
    let file = std::fs::File::open(path).map_err(TableError::io(path))?;
    let mut reader = ParquetReader::new(file);
    let schema = reader.schema().map_err(err)?;
    let columns = schema.iter_names().map(|n| n.to_string()).collect();
    let rows = reader.num_rows().map_err(err)?;
    Ok((rows, columns))
}

/// Codes from plain numbers, for tests.
#[cfg(test)]
pub(crate) fn cs(v: &[Option<u32>]) -> Vec<Option<Code>> {
    v.iter().map(|c| c.and_then(code)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A Parquet path in a folder removed with the returned guard.
    fn scratch() -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().expect("tempdir");
        let f = dir.path().join("t.parquet");
        (dir, f)
    }

    /// Tagged tables append as text: dictionaries merge (shared values once, new ones added),
    /// and text and dictionaries mix, every row keeping its text and its missing values.
    #[test]
    fn appended_text_columns_keep_every_row() {
        let dict = |values: &[&str], codes: &[Option<u32>]| ColumnData::Dict {
            values: values.iter().map(|v| v.to_string()).collect(),
            codes: cs(codes),
        };
        let texts =
            |t: &TableData| -> Vec<String> { (0..t.height()).map(|i| t.columns[0].1.text(i)).collect() };
        let mut a = TableData::default();
        a.push("k", dict(&["x", "y"], &[Some(1), None, Some(0)]));
        let mut b = TableData::default();
        b.push("k", dict(&["z", "x", "w"], &[Some(0), Some(1), None, Some(2), Some(0)]));
        a.append(b).expect("dict + dict");
        assert_eq!(texts(&a), ["y", "", "x", "z", "x", "", "w", "z"]);
        let ColumnData::Dict { values, codes } = &a.columns[0].1 else { panic!("still a dictionary") };
        assert_eq!(values, &["x", "y", "z", "w"]);
        assert_eq!(codes.iter().filter(|c| c.is_none()).count(), 2);
        let mut c = TableData::default();
        c.push("k", ColumnData::Str(vec![Some("w".into()), None, Some("v".into())]));
        a.append(c).expect("dict + text");
        assert_eq!(texts(&a)[8..], ["w", "", "v"]);
        let mut tagged = TableData::default();
        tagged.push("n", ColumnData::I64(vec![Some(1), Some(2)]));
        let tagged = tagged.tagged(&[("k", "t")]);
        let mut s2 = TableData::default();
        s2.push("k", ColumnData::Str(vec![None]));
        s2.push("n", ColumnData::I64(vec![Some(0)]));
        s2.append(tagged).expect("text + dict");
        assert_eq!(texts(&s2), ["", "t", "t"]);
        // A code without a value stays invalid, and writing refuses it.
        let mut bad = TableData::default();
        bad.push("k", dict(&["x"], &[Some(0)]));
        let mut worse = TableData::default();
        worse.push("k", dict(&["x"], &[Some(3)]));
        bad.append(worse).expect("append");
        let (_dir, f) = scratch();
        assert!(write_parquet(bad, &f).is_err());
    }

    /// Filtering keeps the rows asked for, and gives the dictionaries reading them back gives:
    /// only the texts used, in order of first use, one entry for a text held under two codes;
    /// a code without a value is kept for the write to refuse.
    #[test]
    fn filtered_rows_are_what_reading_them_back_gives() {
        let dict = |values: &[&str], codes: &[Option<u32>]| ColumnData::Dict {
            values: values.iter().map(|v| v.to_string()).collect(),
            codes: cs(codes),
        };
        let mut t = TableData::default();
        t.push(
            "k",
            dict(&["a", "b", "a", "c", "unused"], &[Some(3), Some(2), None, Some(0), Some(1), Some(3)]),
        );
        t.push(
            "s",
            ColumnData::Str(vec![Some("x".into()), None, Some("y".into()), Some("x".into()), None, None]),
        );
        t.push("n", ColumnData::F64(vec![Some(1.0), Some(2.0), None, Some(4.0), Some(5.0), Some(6.0)]));
        let keep = [false, true, true, true, false, true];
        let filtered = t.filter_rows(&keep);
        let ColumnData::Dict { values, codes } = &filtered.columns[0].1 else { panic!("a dictionary") };
        assert_eq!(values, &["a", "c"]);
        assert_eq!(codes, &cs(&[Some(0), None, Some(0), Some(1)]));
        assert_eq!(filtered.columns[2].1, ColumnData::F64(vec![Some(2.0), None, Some(4.0), Some(6.0)]));
        let mut plain = TableData::default();
        for (name, c) in &t.columns {
            plain.push(name, filter_column(c, &keep, 4));
        }
        let read_back = plain.into_read_back().expect("read back");
        assert_eq!(filtered.columns[0], read_back.columns[0], "the dictionary is already as read back");
        assert_eq!(filtered.into_read_back(), Some(read_back));
        let (_dir, f) = scratch();
        let mut bad = TableData::default();
        bad.push("k", dict(&["a"], &[Some(0), Some(7)]));
        let kept_bad = bad.filter_rows(&[true, true]);
        assert_eq!(kept_bad.columns[0].1, dict(&["a"], &[Some(0), Some(7)]));
        assert!(write_parquet(kept_bad, &f).is_err());
    }

    /// A projection or a filtered read taken from a wider table in memory equals the same read
    /// decoded from the file: columns, their order and the dictionaries' numbering.
    #[test]
    fn derived_reads_equal_decoded_reads() {
        let (_dir, f) = scratch();
        let text = |v: &[&str]| {
            let mut b = DictBuilder::with_capacity(v.len());
            for x in v {
                b.push((!x.is_empty()).then_some(*x));
            }
            b.finish()
        };
        let day = NaiveDate::from_ymd_opt(2025, 1, 31);
        let mut t = TableData::default();
        t.push("pegawai_id", text(&["P3", "P1", "P3", "", "P2", "P1"]));
        t.push("nilai", ColumnData::F64(vec![Some(1.5), None, Some(3.0), Some(4.0), Some(5.0), Some(6.0)]));
        t.push("indikator", text(&["a", "b", "a", "c", "b", ""]));
        t.push("periode_mulai", ColumnData::Date(vec![day, None, day, day, None, day]));
        t.push("n", ColumnData::I64(vec![Some(1), Some(2), None, Some(4), Some(5), Some(6)]));
        write_parquet(t, &f).expect("write");
        let full = read_table(&f).expect("read");
        let wide =
            read_table_where(&f, Some(&["indikator", "pegawai_id", "nilai", "n"]), None).expect("read");
        type Read<'a> = (&'a [&'a str], Option<(&'a str, &'a [&'a str])>);
        let cases: [Read; 5] = [
            (&["pegawai_id", "nilai"], None),
            (&["n", "pegawai_id"], None),
            (&["pegawai_id", "nilai"], Some(("indikator", &["b", "c"]))),
            (&["indikator", "n"], Some(("indikator", &["b"]))),
            (&["nilai"], Some(("indikator", &["zzz"]))),
        ];
        for (columns, filter) in cases {
            let decoded = read_table_where(&f, Some(columns), filter).expect("read");
            assert_eq!(full.derive(columns, filter), Some(decoded.clone()), "{columns:?} {filter:?}");
            assert_eq!(wide.derive(columns, filter), Some(decoded), "{columns:?} {filter:?}");
        }
        // A missing column, or a filter on a column that is not text: no derived table.
        assert_eq!(wide.derive(&["periode_mulai"], None), None);
        assert_eq!(full.derive(&["nilai"], Some(("n", &["1"]))), None);
    }

    /// The distinct values of a column over the rows a filter keeps, sorted, whether the table
    /// is decoded from the file or kept in memory: values no kept row uses are left out, and a
    /// text held under two codes appears once.
    #[test]
    fn distinct_texts_of_the_kept_rows() {
        let (_dir, f) = scratch();
        let dict = |values: &[&str], codes: &[Option<u32>]| ColumnData::Dict {
            values: values.iter().map(|v| v.to_string()).collect(),
            codes: cs(codes),
        };
        let expect = |filter: Option<(&str, &[&str])>, want: &[&str]| {
            let got = distinct_text(&f, "indikator", filter).expect("distinct");
            assert_eq!(got, want, "{filter:?}");
        };
        let run = |f: &std::path::Path| {
            let mut t = TableData::default();
            t.push(
                "indikator",
                dict(&["z", "b", "a", "unused", "b"], &[Some(0), Some(1), Some(2), None, Some(4), Some(0)]),
            );
            t.push(
                "jenis_periode",
                dict(&["bulan", "tahun"], &[Some(1), Some(0), Some(0), Some(0), Some(0), None]),
            );
            write_parquet(t, f).expect("write");
        };
        run(&f);
        expect(None, &["a", "b", "z"]);
        expect(Some(("jenis_periode", &["bulan"])), &["a", "b"]);
        expect(Some(("jenis_periode", &["tahun"])), &["z"]);
        expect(Some(("jenis_periode", &["semester"])), &[]);
        let _scope = crate::data::cache::ReadCache::scope();
        run(&f);
        assert!(crate::data::cache::holding(&f, &["indikator"]).is_some(), "kept in memory");
        expect(None, &["a", "b", "z"]);
        expect(Some(("jenis_periode", &["bulan"])), &["a", "b"]);
        expect(Some(("indikator", &["b", "z"])), &["b", "z"]);
    }

    /// What a write keeps in a read-cache scope equals what reading the file back decodes, and
    /// later reads of the file, whole or in part, take it instead of decoding.
    #[test]
    fn a_written_table_is_kept_as_its_read_back() {
        let (_dir, f) = scratch();
        let mut t = TableData::default();
        // Codes numbered out of first-appearance order, with a value no row uses.
        t.push(
            "unit_id",
            ColumnData::Dict {
                values: vec!["U9".into(), "U2".into(), "U1".into()],
                codes: cs(&[Some(2), Some(1), None, Some(2)]),
            },
        );
        t.push("nama", ColumnData::Str(vec![Some("b".into()), None, Some("a".into()), Some("b".into())]));
        // Codes in first-use order, but one text twice in the dictionary: a decode merges them.
        t.push(
            "jenis",
            ColumnData::Dict {
                values: vec!["a".into(), "b".into(), "a".into()],
                codes: cs(&[Some(0), Some(1), Some(2), None]),
            },
        );
        t.push("n", ColumnData::I64(vec![Some(1), None, Some(3), Some(4)]));
        t.push("x", ColumnData::F64(vec![Some(-0.0), Some(f64::INFINITY), None, Some(2.5)]));
        t.push("d", ColumnData::Date(vec![NaiveDate::from_ymd_opt(2024, 2, 29), None, None, None]));
        t.push("ok", ColumnData::Bool(vec![Some(true), None, Some(false), Some(true)]));
        let kept = t.clone().into_read_back().expect("valid codes");
        {
            let _scope = super::super::cache::ReadCache::scope();
            write_parquet(t.clone(), &f).expect("write");
            let whole = super::super::cache::shared(&f, None, None, || {
                Err(TableError::DanglingCode { path: f.clone() })
            })
            .expect("kept");
            assert_eq!(*whole, kept);
            let part = super::super::cache::shared(&f, Some(&["n", "unit_id"]), None, || {
                Err(TableError::DanglingCode { path: f.clone() })
            })
            .expect("derived");
            assert_eq!(part.names(), vec!["n", "unit_id"]);
        }
        assert_eq!(read_table(&f).expect("read"), kept);
        assert_eq!(
            kept.text_column("unit_id", &f).expect("text"),
            vec![Some("U1"), Some("U2"), None, Some("U1")]
        );
        // A code with no value: nothing to keep.
        let mut bad = TableData::default();
        bad.push("unit_id", ColumnData::Dict { values: vec!["U1".into()], codes: cs(&[Some(1)]) });
        assert_eq!(bad.into_read_back(), None);
    }

    /// Codes are in first-use order when each new code is the next one and every value is used.
    #[test]
    fn first_use_order() {
        let c = cs;
        assert!(in_first_use_order(3, &c(&[Some(0), Some(0), None, Some(1), Some(0), Some(2), Some(1)])));
        assert!(!in_first_use_order(4, &c(&[Some(0), Some(1), Some(2)])), "a value never used");
        assert!(!in_first_use_order(3, &c(&[Some(0), Some(2), Some(1)])), "a code ahead of its turn");
        assert!(!in_first_use_order(1, &c(&[None, Some(1)])));
        assert!(in_first_use_order(0, &c(&[None, None])));
        // Runs longer than one block: a new code late in a long run, and one out of turn there.
        let mut long: Vec<Option<u32>> = (0..300).map(|k| Some((k % 7) as u32 / 3)).collect();
        assert!(in_first_use_order(3, &cs(&long)));
        long[250] = Some(3);
        assert!(in_first_use_order(4, &cs(&long)));
        long[250] = Some(4);
        assert!(!in_first_use_order(5, &cs(&long)), "code 4 before code 3");
        long[250] = None;
        long[130] = Some(u32::MAX - 1);
        assert!(!in_first_use_order(3, &cs(&long)));
    }

    /// A dictionary column is written as the text of each row's code: values never used, one
    /// string under two codes and missing rows included.
    #[test]
    fn dictionary_columns_are_written_as_their_rows_text() {
        let (_dir, f) = scratch();
        let mut t = TableData::default();
        t.push(
            "unit_id",
            ColumnData::Dict {
                values: vec![
                    "U9".into(),
                    "PUSKESMAS-NUSANIWE-01".into(),
                    "U1".into(),
                    "PUSKESMAS-NUSANIWE-01".into(),
                ],
                codes: cs(&[Some(1), Some(2), None, Some(3), Some(2), Some(1)]),
            },
        );
        t.push("n", ColumnData::I64(vec![Some(1), None, Some(3), Some(4), Some(5), Some(6)]));
        write_parquet(t, &f).expect("write");
        let back = read_table(&f).expect("read");
        let long = Some("PUSKESMAS-NUSANIWE-01");
        assert_eq!(
            back.text_column("unit_id", &f).expect("unit_id"),
            vec![long, Some("U1"), None, long, Some("U1"), long]
        );
        assert_eq!(back.names(), vec!["unit_id", "n"]);
        assert_eq!(back.height(), 6);
        // A code with no value is refused, not written as a missing value.
        let mut bad = TableData::default();
        bad.push("unit_id", ColumnData::Dict { values: vec!["U1".into()], codes: cs(&[Some(0), Some(1)]) });
        assert!(write_parquet(bad, &f).is_err());
    }
}
