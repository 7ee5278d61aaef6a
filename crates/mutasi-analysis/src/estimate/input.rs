//! Reading a long panel from CSV or Parquet into the vectors the statistics core takes.
//!
//! Entity ids may be text (e.g. `pegawai_id`); they are numbered in sorted order, so results do
//! not depend on row order. Periods and cohorts must be integers (years, or month indices); an
//! empty or 0 cohort means never treated. A bad value stops the run with file, row, column and
//! value.

use std::collections::BTreeMap;
use std::path::Path;

use mutasi_domain::normalize::number::{DecimalStyle, detect_style, parse_number};
use mutasi_io::data::table::{ColumnData, PlainColumn, read_plain_columns, read_table, read_table_where};

/// The long panel, one entry per observation.
#[derive(Debug, Default)]
pub struct LongPanel {
    pub id: Vec<i64>,
    pub time: Vec<i64>,
    pub cohort: Vec<i64>,
    pub y: Vec<f64>,
    /// Optional cluster of each observation (numbered like the ids).
    pub cluster: Option<Vec<i64>>,
    /// Covariates, row-major (one row of `covariates.len()` values per observation).
    pub x: Vec<f64>,
}

/// Column names to read.
#[derive(Debug, Clone)]
pub struct PanelColumns {
    pub id: String,
    pub time: String,
    pub cohort: String,
    pub outcome: String,
    pub cluster: Option<String>,
    pub covariates: Vec<String>,
}

/// Why a panel file could not be read into the estimator's columns.
#[derive(Debug, thiserror::Error)]
pub enum PanelInputError {
    /// A Parquet panel could not be read.
    #[error(transparent)]
    Table(#[from] mutasi_io::data::table::TableError),
    /// A CSV panel could not be opened or read.
    #[error(transparent)]
    File(#[from] mutasi_io::ingest::file_error::FileError),
    /// A column named on the command line is not in the file.
    #[error(
        "{path}: kolom `{column}` tidak ada / column not found; kolom yang ada / columns: {found}\n\nhint: sebutkan kolom yang benar dengan --id, --time, --cohort, --outcome"
    )]
    MissingColumn { path: std::path::PathBuf, column: String, found: String },
    /// A cell that cannot be used, by row and column as a viewer shows them.
    #[error(
        "{path}: baris {row}, kolom `{column}`, nilai \"{value}\": {reason}\n\nhint: periksa nilai ini di berkas panel / check this value in the panel file"
    )]
    Cell { path: std::path::PathBuf, row: usize, column: String, value: String, reason: String },
}

fn cell_error(path: &Path, row: usize, col: &str, raw: &str, what: &str) -> PanelInputError {
    PanelInputError::Cell {
        path: path.to_path_buf(),
        row,
        column: col.to_string(),
        value: raw.to_string(),
        reason: what.to_string(),
    }
}

/// Text columns of the file, by name, with the row number of each value as a viewer shows it.
fn read_columns(path: &Path, names: &[&str]) -> Result<(Vec<Vec<String>>, usize), PanelInputError> {
    let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).unwrap_or_default();
    let missing = |found: &[String], name: &str| PanelInputError::MissingColumn {
        path: path.to_path_buf(),
        column: name.to_string(),
        found: found.join(", "),
    };
    if ext == "parquet" {
        let t = read_table(path)?;
        let found: Vec<String> = t.names().iter().map(|s| s.to_string()).collect();
        let mut out = Vec::new();
        for name in names {
            let col = t.get(name).ok_or_else(|| missing(&found, name))?;
            out.push((0..t.height()).map(|i| col.text(i)).collect());
            if let ColumnData::F64(v) = col
                && let Some(i) = v.iter().position(|x| x.is_some_and(|x| !x.is_finite()))
            {
                return Err(cell_error(
                    path,
                    i + 1,
                    name,
                    &col.text(i),
                    "bukan angka hingga / not a finite number",
                ));
            }
        }
        return Ok((out, 1));
    }
    let src = mutasi_io::ingest::csv_source::CsvSource::open(path)?;
    let idx: Vec<usize> = names
        .iter()
        .map(|n| src.headers.iter().position(|h| h == n).ok_or_else(|| missing(&src.headers, n)))
        .collect::<Result<_, _>>()?;
    let mut out: Vec<Vec<String>> = vec![Vec::new(); names.len()];
    let mut bad: Option<PanelInputError> = None;
    src.for_each(path, &mut |ev| match ev {
        mutasi_io::ingest::source::RowEvent::Row { cells, .. } => {
            for (k, i) in idx.iter().enumerate() {
                out[k].push(cells.get(*i).map(|c| c.raw()).unwrap_or_default());
            }
            true
        }
        mutasi_io::ingest::source::RowEvent::Ragged { number, found, expected, raw } => {
            bad = Some(cell_error(
                path,
                number as usize,
                "*",
                &raw,
                &format!("{found} kolom, header {expected} / field count"),
            ));
            false
        }
    })?;
    if let Some(b) = bad {
        return Err(b);
    }
    Ok((out, 2))
}

/// Numbers text ids in sorted order.
fn number_ids(values: &[String]) -> Vec<i64> {
    let mut sorted: Vec<&str> = values.iter().map(String::as_str).collect();
    sorted.sort_unstable();
    sorted.dedup();
    let index: BTreeMap<&str, i64> = sorted.into_iter().enumerate().map(|(i, s)| (s, i as i64)).collect();
    values.iter().map(|v| index[v.as_str()]).collect()
}

/// Fast path for Parquet panels whose columns are already typed (as `mutasi panel` writes them):
/// integer periods and cohorts, float outcome and covariates, text or integer ids.
fn read_typed_parquet(path: &Path, cols: &PanelColumns) -> Result<Option<LongPanel>, PanelInputError> {
    if path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() != Some("parquet") {
        return Ok(None);
    }
    let mut wanted: Vec<&str> =
        vec![cols.id.as_str(), cols.time.as_str(), cols.cohort.as_str(), cols.outcome.as_str()];
    wanted.extend(cols.covariates.iter().map(String::as_str));
    wanted.extend(cols.cluster.as_deref());
    // Only the columns the estimate uses; a missing one falls back to the reader that names it.
    if let Some(p) = read_plain_parquet(path, cols, &wanted) {
        return Ok(Some(p));
    }
    let Ok(t) = read_table_where(path, Some(&wanted), None) else { return Ok(None) };
    let int = |name: &str, zero_if_null: bool| -> Option<Vec<i64>> {
        match t.get(name)? {
            ColumnData::I64(v) if zero_if_null || v.iter().all(Option::is_some) => {
                Some(v.iter().map(|x| x.unwrap_or(0)).collect())
            }
            _ => None,
        }
    };
    let float = |name: &str| -> Option<Vec<f64>> {
        match t.get(name)? {
            ColumnData::F64(v) if v.iter().all(|x| x.is_some_and(f64::is_finite)) => {
                Some(v.iter().map(|x| x.unwrap_or(0.0)).collect())
            }
            _ => None,
        }
    };
    let ids = |name: &str| -> Option<Vec<i64>> {
        if t.is_text(name) {
            let v: Option<Vec<String>> =
                (0..t.height()).map(|i| t.str_at(name, i).map(String::from)).collect();
            return Some(number_ids(&v?));
        }
        match t.get(name)? {
            ColumnData::I64(v) if v.iter().all(Option::is_some) => {
                Some(v.iter().map(|x| x.unwrap_or(0)).collect())
            }
            _ => None,
        }
    };
    let (Some(id), Some(time), Some(cohort), Some(y)) =
        (ids(&cols.id), int(&cols.time, false), int(&cols.cohort, true), float(&cols.outcome))
    else {
        return Ok(None);
    };
    let mut x = vec![0.0; y.len() * cols.covariates.len()];
    for (j, c) in cols.covariates.iter().enumerate() {
        let Some(v) = float(c) else { return Ok(None) };
        for (r, value) in v.into_iter().enumerate() {
            x[r * cols.covariates.len() + j] = value;
        }
    }
    let cluster = match &cols.cluster {
        None => None,
        Some(c) => match ids(c) {
            Some(v) => Some(v),
            None => return Ok(None),
        },
    };
    Ok(Some(LongPanel { id, time, cohort, y, cluster, x }))
}

/// Fastest path: every column numeric without nulls (integer ids, periods and cohorts; finite
/// numeric outcome and covariates), copied straight from Polars' buffers. `None` otherwise.
fn read_plain_parquet(path: &Path, cols: &PanelColumns, wanted: &[&str]) -> Option<LongPanel> {
    let mut plain = read_plain_columns(path, wanted).ok()?.into_iter();
    let mut int = || match plain.next()? {
        Some(PlainColumn::I64(v)) => Some(v),
        _ => None,
    };
    let (id, time, cohort) = (int()?, int()?, int()?);
    let mut float = || -> Option<Vec<f64>> {
        let v = match plain.next()? {
            Some(PlainColumn::F64(v)) => v,
            Some(PlainColumn::I64(v)) => v.into_iter().map(|x| x as f64).collect(),
            None => return None,
        };
        v.iter().all(|x| x.is_finite()).then_some(v)
    };
    let y = float()?;
    let k = cols.covariates.len();
    let mut x = vec![0.0; y.len() * k];
    for j in 0..k {
        for (r, value) in float()?.into_iter().enumerate() {
            x[r * k + j] = value;
        }
    }
    let cluster = match &cols.cluster {
        None => None,
        Some(_) => match plain.next()? {
            Some(PlainColumn::I64(v)) => Some(v),
            _ => return None,
        },
    };
    Some(LongPanel { id, time, cohort, y, cluster, x })
}

/// Reads the panel file.
pub fn read_panel(path: &Path, cols: &PanelColumns) -> Result<LongPanel, PanelInputError> {
    if let Some(p) = read_typed_parquet(path, cols)? {
        return Ok(p);
    }
    let mut names = vec![cols.id.as_str(), cols.time.as_str(), cols.cohort.as_str(), cols.outcome.as_str()];
    names.extend(cols.covariates.iter().map(String::as_str));
    if let Some(c) = &cols.cluster {
        names.push(c);
    }
    let n_cov = cols.covariates.len();
    let (data, first_row) = read_columns(path, &names)?;
    let style: DecimalStyle = detect_style(data[3].iter().map(String::as_str));
    let int = |k: usize, col: &str, empty_is_zero: bool| -> Result<Vec<i64>, PanelInputError> {
        data[k]
            .iter()
            .enumerate()
            .map(|(r, v)| {
                let t = v.trim();
                if t.is_empty() && empty_is_zero {
                    return Ok(0);
                }
                match parse_number(t, DecimalStyle::Dot) {
                    Ok(x) if x.fract() == 0.0 && x.abs() < 1e15 => Ok(x as i64),
                    _ => {
                        Err(cell_error(path, r + first_row, col, v, "bukan bilangan bulat / not an integer"))
                    }
                }
            })
            .collect()
    };
    let time = int(1, &cols.time, false)?;
    let cohort = int(2, &cols.cohort, true)?;
    let y = data[3]
        .iter()
        .enumerate()
        .map(|(r, v)| {
            parse_number(v, style)
                .map_err(|_| cell_error(path, r + first_row, &cols.outcome, v, "bukan angka / not a number"))
        })
        .collect::<Result<Vec<f64>, PanelInputError>>()?;
    let mut x = vec![0.0; y.len() * n_cov];
    for (j, name) in cols.covariates.iter().enumerate() {
        let style = detect_style(data[4 + j].iter().map(String::as_str));
        for (r, v) in data[4 + j].iter().enumerate() {
            x[r * n_cov + j] = parse_number(v, style)
                .map_err(|_| cell_error(path, r + first_row, name, v, "bukan angka / not a number"))?;
        }
    }
    let cluster = cols.cluster.as_ref().map(|_| number_ids(&data[4 + n_cov]));
    Ok(LongPanel { id: number_ids(&data[0]), time, cohort, y, cluster, x })
}
