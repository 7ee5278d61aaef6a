//! SQL summary tables over Parquet files, through Polars SQL: the only place SQL meets Polars.
//!
//! Tables are registered from Parquet files (canonical tables, analysis outputs) and from earlier
//! queries' results; each query is one `SELECT` (CTEs allowed) and its result is written to
//! Parquet. Which tables a query reads comes from the SQL itself
//! (`polars::sql::extract_table_identifiers`), so the runner can order queries without templating.

use std::path::Path;

use polars::prelude::*;
use polars::sql::SQLContext;

use super::table::{TableError, write_frame};

/// A SQL context with registered tables.
pub struct SqlRunner {
    ctx: SQLContext,
    names: Vec<String>,
}

impl Default for SqlRunner {
    fn default() -> Self {
        SqlRunner { ctx: SQLContext::new(), names: Vec::new() }
    }
}

impl SqlRunner {
    /// Registers the Parquet file `path` as table `name`: a lazy scan, so a query reads only the
    /// columns and rows it needs, and unused tables are never read.
    pub fn register_parquet(&mut self, name: &str, path: &Path) -> Result<(), TableError> {
        let lf = super::frame::scan(path)?;
        self.ctx.register(name, lf);
        self.names.push(name.to_string());
        Ok(())
    }

    pub fn has(&self, name: &str) -> bool {
        self.names.iter().any(|n| n == name)
    }

    /// Runs `sql`, writes the result to `out`, registers it as `name`; returns its row count.
    pub fn run(&mut self, name: &str, sql: &str, out: &Path) -> Result<usize, TableError> {
        let df = self.ctx.execute(sql).and_then(|lf| lf.collect()).map_err(TableError::Sql)?;
        let rows = df.height();
        write_frame(df.clone(), out)?;
        self.ctx.register(name, df.lazy());
        self.names.push(name.to_string());
        Ok(rows)
    }
}

/// How long parsing one query may take. Real queries parse in microseconds; the SQL parser
/// Polars 0.55.2 pins (sqlparser 0.62) has exponential cases on some malformed inputs (chains of
/// dotted names and keywords, fixed upstream in apache/datafusion-sqlparser-rs #2344, #2350,
/// #2352, #2372), found here by the `query_order` fuzz target.
pub const PARSE_LIMIT: std::time::Duration = std::time::Duration::from_secs(5);

/// The tables a query reads (lower case, unique). Parsing runs on a helper thread and gives up
/// after [`PARSE_LIMIT`] with an error instead of hanging the run (the helper is left to finish
/// on its own; the run stops on the error).
pub fn tables_read(sql: &str) -> Result<Vec<String>, TableError> {
    tables_read_within(sql, PARSE_LIMIT)
}

/// [`tables_read`] with an explicit limit.
pub fn tables_read_within(sql: &str, limit: std::time::Duration) -> Result<Vec<String>, TableError> {
    let (send, receive) = std::sync::mpsc::channel();
    let text = sql.to_string();
    std::thread::Builder::new()
        .name("mutasi-sql-parse".into())
        .spawn(move || {
            let parsed = polars::sql::extract_table_identifiers(&text, false, true)
                .map(|v| v.into_iter().map(|t| t.to_lowercase()).collect())
                .map_err(TableError::Sql);
            let _ = send.send(parsed);
        })
        .map_err(TableError::Thread)?;
    match receive.recv_timeout(limit) {
        Ok(parsed) => parsed,
        Err(_) => Err(TableError::SqlTimeout { seconds: limit.as_secs() }),
    }
}
