//! The SQL-query dependency resolver: arbitrary query folders (files split on NUL bytes, each
//! `name\nSQL`) go through table extraction, CTE detection and ordering. The result is an order
//! or an error naming a file; never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mutasi_analysis::queries::{QueryFile, cte_names, order};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut files = Vec::new();
    let mut reads = Vec::new();
    for (k, part) in text.split('\0').take(8).enumerate() {
        let (name, sql) = part.split_once('\n').unwrap_or((part, ""));
        let name = name.trim().to_lowercase();
        let ctes = cte_names(sql);
        // The product's parse limit, shorter: sqlparser 0.62 (pinned by Polars 0.55.2) has known
        // exponential cases, which the limit turns into an error (docs/reliability.md).
        let limit = std::time::Duration::from_secs(2);
        let tables = mutasi_io::data::sql::tables_read_within(sql, limit).unwrap_or_default();
        reads.push(tables.into_iter().filter(|t| !ctes.contains(t)).collect::<Vec<_>>());
        files.push(QueryFile {
            name,
            path: std::path::PathBuf::from(format!("queries/{k}.sql")),
            sql: sql.to_string(),
            check: false,
        });
    }
    let known = vec!["pegawai".to_string(), "kinerja".to_string()];
    if let Ok(o) = order(&files, &reads, &known) {
        assert_eq!(o.len(), files.len());
    }
});
