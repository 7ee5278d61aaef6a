//! Golden tests of `queries/**/*.sql`, in the style of sqllogictest (as DataFusion keeps them):
//! `queries/golden/*.slt` hold small input tables and, per query, the rows it must return after
//! suppression. The queries run exactly as `mutasi run` runs them ([`super::run_queries`]), so a
//! change in a mart, its order of evaluation or its suppression shows as a diff of rows.
//!
//! File format (`|` separates values, `NULL` is a missing value, floats are written with six
//! decimals and trailing zeros dropped):
//!
//! ```text
//! min_group 2                      # k of the small-cell suppression (default 5)
//!
//! table mutasi                     # an input table: typed header, then rows, then a blank line
//! tmt:date|jenis_mutasi:str        # types: str, i64, f64, bool, date
//! 2024-01-15|rotasi
//!
//! query mutasi_per_bulan           # a query's result: header, then rows, in the query's order
//! ----
//! bulan|n_mutasi
//! 2024-01|3
//! ```
//!
//! `MUTASI_BLESS=1 cargo test --release golden` rewrites the expected blocks
//! from the current results; review the diff before committing it.

use std::path::{Path, PathBuf};

use polars::prelude::*;

/// One input table of a golden file.
struct InputTable {
    name: String,
    header: String,
    rows: Vec<String>,
}

/// One expected query result.
struct Expected {
    name: String,
    lines: Vec<String>,
}

struct Golden {
    min_group: u64,
    tables: Vec<InputTable>,
    queries: Vec<Expected>,
}

/// The lines up to the next blank one.
/// Test helper results: any error, shown with its message.
type Fallible<T> = Result<T, Box<dyn std::error::Error>>;

fn block<'a>(lines: &mut std::iter::Peekable<impl Iterator<Item = &'a str>>) -> Vec<String> {
    let mut out = Vec::new();
    while let Some(l) = lines.peek() {
        if l.trim().is_empty() {
            break;
        }
        out.push(l.trim().to_string());
        lines.next();
    }
    out
}

fn parse(text: &str) -> Fallible<Golden> {
    let mut g = Golden { min_group: 5, tables: Vec::new(), queries: Vec::new() };
    let mut lines = text.lines().map(|l| l.split(" #").next().unwrap_or("").trim_end()).peekable();
    while let Some(line) = lines.next() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(k) = line.strip_prefix("min_group ") {
            g.min_group = k.trim().parse().map_err(|_| format!("min_group `{k}`"))?;
        } else if let Some(name) = line.strip_prefix("table ") {
            let mut rows = block(&mut lines);
            if rows.is_empty() {
                return Err(format!("table {name}: no header").into());
            }
            let header = rows.remove(0);
            g.tables.push(InputTable { name: name.trim().to_string(), header, rows });
        } else if let Some(name) = line.strip_prefix("query ") {
            if lines.next().map(str::trim) != Some("----") {
                return Err(format!("query {name}: `----` expected on the next line").into());
            }
            g.queries.push(Expected { name: name.trim().to_string(), lines: block(&mut lines) });
        } else {
            return Err(format!("unexpected line `{line}`").into());
        }
    }
    Ok(g)
}

/// The input table as a DataFrame, from its typed header and `|`-separated rows.
fn frame(t: &InputTable) -> Fallible<DataFrame> {
    let fields: Vec<(&str, &str)> = t
        .header
        .split('|')
        .map(|f| f.split_once(':').ok_or_else(|| format!("table {}: `{f}` needs a type", t.name)))
        .collect::<Result<_, _>>()?;
    let cells: Vec<Vec<&str>> = t.rows.iter().map(|r| r.split('|').collect()).collect();
    if let Some(r) = cells.iter().find(|r| r.len() != fields.len()) {
        return Err(format!(
            "table {}: row `{}` has {} values, not {}",
            t.name,
            r.join("|"),
            r.len(),
            fields.len()
        )
        .into());
    }
    let mut columns = Vec::new();
    for (j, (name, ty)) in fields.iter().enumerate() {
        let raw: Vec<Option<&str>> = cells.iter().map(|r| Some(r[j]).filter(|v| *v != "NULL")).collect();
        let bad = |v: &str| format!("table {}: `{v}` is not a {ty}", t.name);
        let col = match *ty {
            "str" => Column::new((*name).into(), raw),
            "i64" => Column::new(
                (*name).into(),
                raw.iter()
                    .map(|v| v.map(|v| v.parse::<i64>().map_err(|_| bad(v))).transpose())
                    .collect::<Result<Vec<_>, _>>()?,
            ),
            "f64" => Column::new(
                (*name).into(),
                raw.iter()
                    .map(|v| v.map(|v| v.parse::<f64>().map_err(|_| bad(v))).transpose())
                    .collect::<Result<Vec<_>, _>>()?,
            ),
            "bool" => Column::new(
                (*name).into(),
                raw.iter()
                    .map(|v| v.map(|v| v.parse::<bool>().map_err(|_| bad(v))).transpose())
                    .collect::<Result<Vec<_>, _>>()?,
            ),
            "date" => {
                let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).ok_or("epoch")?;
                let days: Vec<Option<i32>> = raw
                    .iter()
                    .map(|v| {
                        v.map(|v| {
                            chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d")
                                .map(|d| (d - epoch).num_days() as i32)
                                .map_err(|_| bad(v))
                        })
                        .transpose()
                    })
                    .collect::<Result<_, _>>()?;
                Column::new((*name).into(), days).cast(&DataType::Date)?
            }
            other => return Err(format!("table {}: unknown type `{other}`", t.name).into()),
        };
        columns.push(col);
    }
    Ok(DataFrame::new(cells.len(), columns)?)
}

fn write(df: &mut DataFrame, path: &Path) -> Fallible<()> {
    let file = std::fs::File::create(path)?;
    ParquetWriter::new(file).finish(df)?;
    Ok(())
}

fn render(v: &AnyValue) -> String {
    match v {
        AnyValue::Null => "NULL".into(),
        AnyValue::Float64(x) => float(*x),
        AnyValue::Float32(x) => float(f64::from(*x)),
        AnyValue::String(s) => s.to_string(),
        AnyValue::StringOwned(s) => s.to_string(),
        AnyValue::Date(days) => chrono::NaiveDate::from_ymd_opt(1970, 1, 1)
            .and_then(|e| e.checked_add_signed(chrono::Duration::days(i64::from(*days))))
            .map_or_else(|| days.to_string(), |d| d.to_string()),
        other => other.to_string(),
    }
}

fn float(x: f64) -> String {
    let s = format!("{x:.6}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.to_string() }
}

/// A result file as lines: its header, then one line per row.
fn lines_of(path: &Path) -> Fallible<Vec<String>> {
    let file = std::fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let df = ParquetReader::new(file).finish()?;
    let mut out = vec![df.get_column_names().iter().map(|n| n.to_string()).collect::<Vec<_>>().join("|")];
    for i in 0..df.height() {
        let row: Vec<String> = df
            .columns()
            .iter()
            .map(|c| c.get(i).map(|v| render(&v)).unwrap_or_else(|e| e.to_string()))
            .collect();
        out.push(row.join("|"));
    }
    Ok(out)
}

fn queries_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../queries")
}

/// Runs the repository's queries over one golden file's tables; returns each query's lines.
fn run(g: &Golden) -> Fallible<Vec<(String, Vec<String>)>> {
    let tmp = tempfile::tempdir()?;
    let mut tables = Vec::new();
    for t in &g.tables {
        let path = tmp.path().join(format!("{}.parquet", t.name));
        write(&mut frame(t)?, &path)?;
        tables.push((t.name.clone(), path));
    }
    let out = tmp.path().join("kueri");
    let results = super::run_queries(&queries_dir(), &tables, &out, g.min_group)?;
    results
        .iter()
        .map(|r| Ok((r.nama.clone(), lines_of(&out.join(format!("{}.parquet", r.nama)))?)))
        .collect()
}

fn golden_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(queries_dir().join("golden"))
        .map(|d| {
            d.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|e| e == "slt")).collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

/// Rewrites the expected blocks of `text` with `actual`.
fn bless(text: &str, actual: &[(String, Vec<String>)]) -> String {
    let mut out = Vec::new();
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        out.push(line.to_string());
        let Some(name) = line.trim().strip_prefix("query ") else { continue };
        if let Some(sep) = lines.next() {
            out.push(sep.to_string());
        }
        while lines.peek().is_some_and(|l| !l.trim().is_empty()) {
            lines.next();
        }
        if let Some((_, got)) = actual.iter().find(|(n, _)| n == name.trim()) {
            out.extend(got.iter().cloned());
        }
    }
    out.join("\n") + "\n"
}

#[test]
fn every_query_returns_its_golden_rows() {
    let files = golden_files();
    assert!(!files.is_empty(), "no queries/golden/*.slt");
    let names: Vec<String> =
        super::discover(&queries_dir()).expect("queries").into_iter().map(|q| q.name).collect();
    let mut covered = std::collections::BTreeSet::new();
    let mut failures = Vec::new();
    for path in files {
        let text = std::fs::read_to_string(&path).expect("golden file");
        let g = parse(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let actual = run(&g).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        if std::env::var_os("MUTASI_BLESS").is_some() {
            std::fs::write(&path, bless(&text, &actual)).expect("bless");
            continue;
        }
        for want in &g.queries {
            covered.insert(want.name.clone());
            match actual.iter().find(|(n, _)| *n == want.name) {
                None => failures.push(format!("{}: no query `{}` in queries/", path.display(), want.name)),
                Some((_, got)) if *got != want.lines => failures.push(format!(
                    "{}: query `{}`\n--- expected\n{}\n+++ actual\n{}",
                    path.display(),
                    want.name,
                    want.lines.join("\n"),
                    got.join("\n")
                )),
                Some(_) => {}
            }
        }
    }
    if std::env::var_os("MUTASI_BLESS").is_none() {
        let missing: Vec<&String> = names.iter().filter(|n| !covered.contains(*n)).collect();
        assert!(missing.is_empty(), "queries without a golden result: {missing:?}");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn the_format_parses_and_floats_round() {
    let g = parse(
        "min_group 1\n\ntable pegawai\npegawai_id:str\nA\nA\n\nquery pegawai_unik\n----\npegawai_id|n\nA|2\n",
    )
    .expect("parse");
    assert_eq!(g.queries[0].lines, ["pegawai_id|n", "A|2"]);
    assert_eq!(float(1.0), "1");
    assert_eq!(float(2.5), "2.5");
    assert_eq!(float(1.0 / 3.0), "0.333333");
    assert_eq!(float(-1e-9), "0");
    assert!(parse("query x\nnot a separator\n").is_err());
}
