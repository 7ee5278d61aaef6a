//! Analysts' summary tables as SQL (`queries/**/*.sql`, issue #6 §1): one table per file, named
//! after the file, run in the order the tables they read require (no templating), over the
//! canonical tables, the analysis outputs and earlier queries. `queries/checks/*.sql` are data
//! tests: each passes when it returns no row.
//!
//! The order is worked out here on plain data ([`order`]); running the SQL is the data layer's
//! job ([`mutasi_io::data::sql`]).

use std::path::{Path, PathBuf};

use serde::Serialize;

use mutasi_io::data::sql::{SqlRunner, tables_read};
use mutasi_io::data::table::{TableError, read_table, write_parquet};

#[cfg(test)]
mod golden;
pub mod suppress;

/// One `.sql` file.
#[derive(Debug, Clone, PartialEq)]
pub struct QueryFile {
    /// The file stem, lower case: the table the query makes.
    pub name: String,
    pub path: PathBuf,
    pub sql: String,
    /// Under `checks/`: a data test.
    pub check: bool,
}

/// Why the analysts' queries could not run.
#[derive(Debug, thiserror::Error)]
pub enum QueryError {
    /// The queries folder or a query file could not be read, or the output folder made.
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A query's SQL could not be parsed.
    #[error("{path}: {source}")]
    Parse {
        path: PathBuf,
        #[source]
        source: TableError,
    },
    /// A query failed when it ran.
    #[error("{path}: {source}\n\nhint: periksa kueri ini / check this query")]
    Failed {
        path: PathBuf,
        #[source]
        source: TableError,
    },
    /// Two files make the same table.
    #[error("{path}: nama tabel `{name}` dipakai lebih dari satu berkas / two files make the same table")]
    DuplicateName { path: PathBuf, name: String },
    /// A query reads a table that neither the month nor another query makes.
    #[error(
        "{path}:{line}:{column}: tabel `{table}` tidak dikenal / unknown table\n\nhint: tabel yang ada / tables: {known}"
    )]
    UnknownTable { path: PathBuf, line: usize, column: usize, table: String, known: String },
    /// Queries read each other in a cycle.
    #[error("{path}:{line}:{column}: siklus antar-kueri / queries read each other in a cycle: {files}")]
    Cycle { path: PathBuf, line: usize, column: usize, files: String },
    /// A result could not be read back or written.
    #[error(transparent)]
    Table(#[from] TableError),
}

/// Every `.sql` file under `dir`, sorted by path.
pub fn discover(dir: &Path) -> Result<Vec<QueryFile>, QueryError> {
    fn walk(d: &Path, out: &mut Vec<PathBuf>) -> Result<(), QueryError> {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(d)
            .map_err(|source| QueryError::Io { path: d.to_path_buf(), source })?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                walk(&p, out)?;
            } else if p.extension().is_some_and(|e| e == "sql") {
                out.push(p);
            }
        }
        Ok(())
    }
    let mut paths = Vec::new();
    walk(dir, &mut paths)?;
    paths
        .into_iter()
        .map(|path| {
            let sql = std::fs::read_to_string(&path)
                .map_err(|source| QueryError::Io { path: path.clone(), source })?;
            let name = path.file_stem().map(|s| s.to_string_lossy().to_lowercase()).unwrap_or_default();
            let check = path.parent().and_then(|p| p.file_name()).is_some_and(|n| n == "checks");
            Ok(QueryFile { name, path, sql, check })
        })
        .collect()
}

/// Names a query defines itself with `WITH name AS (…)` (common table expressions): they are not
/// tables to look for elsewhere.
pub fn cte_names(sql: &str) -> Vec<String> {
    let lower = sql.to_lowercase();
    let mut tokens: Vec<String> = Vec::new();
    let mut word = String::new();
    for c in lower.chars() {
        if c.is_alphanumeric() || c == '_' {
            word.push(c);
            continue;
        }
        if !word.is_empty() {
            tokens.push(std::mem::take(&mut word));
        }
        if c == '(' || c == ',' {
            tokens.push(c.to_string());
        }
    }
    if !word.is_empty() {
        tokens.push(word);
    }
    let mut out = Vec::new();
    for w in tokens.windows(4) {
        if (w[0] == "with" || w[0] == "," || w[0] == "recursive") && w[2] == "as" && w[3] == "(" {
            out.push(w[1].clone());
        }
    }
    out
}

/// Line and column (1-based) of the first whole-word, case-insensitive occurrence of `word`.
fn locate(text: &str, word: &str) -> (usize, usize) {
    // An empty name (a quoted `""` identifier) matches everywhere and would never advance.
    if word.is_empty() {
        return (1, 1);
    }
    let lower = text.to_lowercase();
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    let mut from = 0;
    while let Some(i) = lower[from..].find(word) {
        let at = from + i;
        let before = lower[..at].chars().next_back().is_none_or(|c| !is_word(c));
        let after = lower[at + word.len()..].chars().next().is_none_or(|c| !is_word(c));
        if before && after {
            let line = lower[..at].matches('\n').count() + 1;
            let col = at - lower[..at].rfind('\n').map_or(0, |n| n + 1) + 1;
            return (line, col);
        }
        from = at + word.len();
    }
    (1, 1)
}

/// The order to run `files` in, given the tables each reads (`reads[k]`) and the tables already
/// there (`known`). An unknown table or a cycle is an error naming the file, line and column.
pub fn order(files: &[QueryFile], reads: &[Vec<String>], known: &[String]) -> Result<Vec<usize>, QueryError> {
    let mut done: Vec<bool> = vec![false; files.len()];
    let mut out = Vec::new();
    for (k, f) in files.iter().enumerate() {
        if files.iter().filter(|g| g.name == f.name).count() > 1 {
            return Err(QueryError::DuplicateName { path: f.path.clone(), name: f.name.clone() });
        }
        for t in &reads[k] {
            if !known.contains(t) && !files.iter().any(|g| g.name == *t) {
                let (line, column) = locate(&f.sql, t);
                return Err(QueryError::UnknownTable {
                    path: f.path.clone(),
                    line,
                    column,
                    table: t.clone(),
                    known: known.join(", "),
                });
            }
        }
    }
    while out.len() < files.len() {
        let ready = (0..files.len()).find(|k| {
            !done[*k]
                && reads[*k].iter().all(|t| {
                    known.contains(t) || files.iter().enumerate().any(|(j, g)| g.name == *t && done[j])
                })
        });
        match ready {
            Some(k) => {
                done[k] = true;
                out.push(k);
            }
            None => {
                let stuck: Vec<String> = (0..files.len())
                    .filter(|k| !done[*k])
                    .map(|k| files[k].path.display().to_string())
                    .collect();
                let first = (0..files.len()).find(|k| !done[*k]).unwrap_or(0);
                let dep = reads[first].iter().find(|t| !known.contains(t)).cloned().unwrap_or_default();
                let (line, column) = locate(&files[first].sql, &dep);
                return Err(QueryError::Cycle {
                    path: files[first].path.clone(),
                    line,
                    column,
                    files: stuck.join(" → "),
                });
            }
        }
    }
    Ok(out)
}

/// What the queries produced, for `run.json`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct QueryResult {
    pub nama: String,
    pub berkas: String,
    pub baris: usize,
    /// For checks: passed when no row came back.
    pub cek: bool,
    pub lulus: bool,
    /// Rows whose numbers were withheld (fewer than k employees, or their complement).
    pub ditekan: usize,
}

/// Runs every query in `dir` over `tables` (name, Parquet file) and writes each result to
/// `out/<name>.parquet`.
/// Summary tables (not checks) are written with small-cell suppression at `k` ([`suppress`]).
pub fn run_queries(
    dir: &Path,
    tables: &[(String, PathBuf)],
    out: &Path,
    min_group: u64,
) -> Result<Vec<QueryResult>, QueryError> {
    let files = discover(dir)?;
    if files.is_empty() {
        return Ok(Vec::new());
    }
    std::fs::create_dir_all(out).map_err(|source| QueryError::Io { path: out.to_path_buf(), source })?;
    let mut runner = SqlRunner::default();
    for (name, path) in tables {
        runner.register_parquet(name, path)?;
    }
    let known: Vec<String> = tables.iter().map(|(n, _)| n.to_lowercase()).collect();
    let reads: Vec<Vec<String>> = files
        .iter()
        .map(|f| {
            let own = cte_names(&f.sql);
            tables_read(&f.sql)
                .map(|t| t.into_iter().filter(|n| !own.contains(n)).collect())
                .map_err(|source| QueryError::Parse { path: f.path.clone(), source })
        })
        .collect::<Result<_, _>>()?;
    let mut results = Vec::new();
    for k in order(&files, &reads, &known)? {
        let f = &files[k];
        let path = out.join(format!("{}.parquet", f.name));
        let rows = runner
            .run(&f.name, &f.sql, &path)
            .map_err(|source| QueryError::Failed { path: f.path.clone(), source })?;
        let mut ditekan = 0;
        if !f.check && rows > 0 {
            let d = suppress::directives(&f.sql);
            let mut t = read_table(&path)?;
            let counts = suppress::count_columns(&t, &d.counts);
            ditekan = suppress::suppress(&mut t, &counts, d.groups.as_deref(), min_group);
            if ditekan > 0 {
                write_parquet(t, &path)?;
            }
        }
        results.push(QueryResult {
            nama: f.name.clone(),
            berkas: f.path.display().to_string(),
            baris: rows,
            cek: f.check,
            lulus: !f.check || rows == 0,
            ditekan,
        });
    }
    Ok(results)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(name: &str, sql: &str) -> QueryFile {
        QueryFile {
            name: name.into(),
            path: PathBuf::from(format!("queries/{name}.sql")),
            sql: sql.into(),
            check: false,
        }
    }

    #[test]
    fn queries_run_after_the_tables_they_read() {
        let files = vec![q("b", "SELECT * FROM a"), q("a", "SELECT * FROM mutasi")];
        let reads = vec![vec!["a".to_string()], vec!["mutasi".to_string()]];
        assert_eq!(order(&files, &reads, &["mutasi".into()]).expect("order"), vec![1, 0]);
    }

    #[test]
    fn ctes_are_the_query_s_own_names() {
        let sql = "WITH w AS (SELECT * FROM mutasi), v AS (SELECT 1 AS x)\nSELECT * FROM w JOIN v ON true";
        assert_eq!(cte_names(sql), ["w", "v"]);
        assert_eq!(cte_names("WITH RECURSIVE r AS (SELECT 1) SELECT * FROM r"), ["r"]);
        assert!(
            cte_names("SELECT a AS b, COUNT(*) AS n FROM t GROUP BY a").is_empty(),
            "aliases are not CTEs"
        );
    }

    #[test]
    fn a_query_the_parser_cannot_finish_is_an_error_not_a_hang() {
        // Found by the fuzzer (fuzz/regressions/query_order/sqlparser-exponential-chain): sqlparser
        // 0.62 takes exponential time on this 255-byte input.
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../fuzz/regressions/query_order/sqlparser-exponential-chain"
        );
        let text = String::from_utf8_lossy(&std::fs::read(path).expect("regression")).into_owned();
        let sql = text.split_once('\n').map_or("", |(_, s)| s);
        let started = std::time::Instant::now();
        let err = mutasi_io::data::sql::tables_read_within(sql, std::time::Duration::from_millis(300))
            .expect_err("gives up")
            .to_string();
        assert!(err.contains("tidak selesai diurai") && started.elapsed().as_secs() < 3, "{err}");
        // A real query is untouched by the limit.
        assert_eq!(
            tables_read("SELECT * FROM pegawai p JOIN kinerja k USING (pegawai_id)").expect("ok"),
            ["pegawai", "kinerja"]
        );
    }

    #[test]
    fn an_empty_identifier_is_reported_not_looped_over() {
        // Found by the fuzzer (fuzz/regressions/query_order/empty-quoted-identifier-hang): an empty quoted
        // identifier is an unknown table, reported at once instead of looping forever.
        assert_eq!(locate("FROM \"\"", ""), (1, 1));
        let sql = "FROM\t\t\"\"\t".to_string();
        let reads = vec![tables_read(&sql).unwrap_or_else(|_| vec![String::new()])];
        let files = vec![QueryFile { name: "xr".into(), path: "q.sql".into(), sql, check: false }];
        let started = std::time::Instant::now();
        let _ = order(&files, &reads, &["pegawai".to_string()]);
        let err =
            order(&files, &[vec![String::new()]], &["pegawai".to_string()]).expect_err("unknown").to_string();
        assert!(err.contains("q.sql:1:1") && started.elapsed().as_secs() < 5, "{err}");
        // Every input the fuzzer kept as a regression, through the fuzz target's own steps.
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../fuzz/regressions/query_order");
        let mut replayed = 0;
        for entry in std::fs::read_dir(dir).expect("regressions").flatten() {
            let text = String::from_utf8_lossy(&std::fs::read(entry.path()).expect("read")).into_owned();
            let (mut files, mut reads) = (Vec::new(), Vec::new());
            for (k, part) in text.split('\0').take(8).enumerate() {
                let (name, sql) = part.split_once('\n').unwrap_or((part, ""));
                let ctes = cte_names(sql);
                reads.push(
                    tables_read(sql).unwrap_or_default().into_iter().filter(|t| !ctes.contains(t)).collect(),
                );
                files.push(QueryFile {
                    name: name.trim().to_lowercase(),
                    path: format!("queries/{k}.sql").into(),
                    sql: sql.to_string(),
                    check: false,
                });
            }
            let _ = order(&files, &reads, &["pegawai".to_string(), "kinerja".to_string()]);
            replayed += 1;
        }
        assert!(replayed >= 1 && started.elapsed().as_secs() < 10);
    }

    #[test]
    fn unknown_tables_and_cycles_name_file_line_and_column() {
        let files = vec![q("x", "SELECT *\nFROM  mutasii")];
        let e =
            order(&files, &[vec!["mutasii".into()]], &["mutasi".into()]).expect_err("unknown").to_string();
        assert!(e.starts_with("queries/x.sql:2:7: tabel `mutasii`"), "{e}");
        let files = vec![q("a", "SELECT * FROM b"), q("b", "SELECT * FROM a")];
        let e = order(&files, &[vec!["b".into()], vec!["a".into()]], &[]).expect_err("cycle").to_string();
        assert!(e.contains("siklus") && e.starts_with("queries/a.sql:1:15"), "{e}");
    }
}
