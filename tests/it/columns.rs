//! The naming rule of `docs/outputs.md` ("Bahasa nama kolom"): every column of every Parquet and
//! CSV file a month publishes is Indonesian, unless it belongs to the estimator vocabulary shared
//! with R `did` and the peers.

use std::path::Path;

use super::util::*;

/// English names allowed: the estimator vocabulary of `docs/outputs.md`.
const ESTIMATOR_VOCABULARY: [&str; 24] = [
    "outcome",
    "subgroup",
    "estimator",
    "group",
    "time",
    "e",
    "type",
    "element",
    "att",
    "att_a",
    "att_b",
    "se",
    "ci_low",
    "ci_high",
    "ci_low_t",
    "ci_high_t",
    "ci_low_bootstrap",
    "ci_high_bootstrap",
    "band_low",
    "band_high",
    "p_value",
    "delta",
    "n",
    "n_subexperiments",
];

/// Words that are English and not Indonesian (`status`, `format`, `unit`, `median` are both):
/// outside the vocabulary, no column may use them
/// (a count `n_*` may, as in `n_treated`).
const ENGLISH_ONLY: [&str; 41] = [
    "analysis", "valid", "mean", "average", "name", "date", "count", "value", "values", "rows", "file",
    "table", "row", "column", "reason", "message", "source", "total", "rate", "share", "year", "month",
    "week", "day", "label", "code", "flag", "level", "score", "weight", "note", "first", "last", "start",
    "end", "employee", "transfer", "request", "approved", "treated", "backlog",
];

fn is_allowed(column: &str) -> bool {
    let c = column.to_lowercase();
    // A count (`n_treated`, `n_mutasi`) keeps the estimators' `n_` prefix.
    ESTIMATOR_VOCABULARY.contains(&c.as_str())
        || c.starts_with("n_")
        || !c.split('_').any(|w| ENGLISH_ONLY.contains(&w))
}

fn columns_of(path: &Path) -> Vec<String> {
    match path.extension().and_then(|e| e.to_str()) {
        Some("parquet") => mutasi_io::data::table::parquet_shape(path).expect("parquet").1,
        Some("csv") => {
            let text = std::fs::read_to_string(path).expect("csv");
            let header = text.lines().next().unwrap_or("").trim_start_matches('\u{feff}').to_string();
            let sep = if header.contains(';') { ';' } else { ',' };
            header.split(sep).map(|c| c.trim_matches('"').to_string()).collect()
        }
        _ => Vec::new(),
    }
}

fn walk(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).expect("dir").flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(&p, out);
        } else if p.extension().is_some_and(|x| x == "parquet" || x == "csv") {
            out.push(p);
        }
    }
}

#[test]
fn the_rule_knows_english_from_indonesian() {
    for ok in
        ["pegawai_id", "rata_delta", "sah", "ci_low_bootstrap", "n_treated", "analisis", "unit_id", "p_value"]
    {
        assert!(is_allowed(ok), "{ok}");
    }
    for bad in ["valid", "analysis", "mean_pre", "file_name", "approval_rate"] {
        assert!(!is_allowed(bad), "{bad}");
    }
}

#[test]
fn every_published_column_follows_the_naming_rule() {
    let s = Scratch::new();
    let p = |x: &str| s.path(x).display().to_string();
    let sample = ["sample", "--employees", "300", "--months", "24", "--start", "2023-01", "--out", &p("in")];
    assert_eq!(run(&sample.map(String::from)).code, 0);
    let r = run(&[
        "run",
        "--input",
        &p("in"),
        "--config",
        &p("in/mutasi.toml"),
        "--out",
        &p("out"),
        "--period",
        "2024-12",
    ]
    .map(String::from));
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let mut files = Vec::new();
    walk(&s.path("out/2024-12"), &mut files);
    assert!(files.len() > 25, "{} files", files.len());
    let mut bad = Vec::new();
    for f in &files {
        for c in columns_of(f) {
            if !is_allowed(&c) {
                bad.push(format!("{}: {c}", f.strip_prefix(s.path("out/2024-12")).unwrap_or(f).display()));
            }
        }
    }
    assert!(bad.is_empty(), "columns outside the naming rule (docs/outputs.md):\n{}", bad.join("\n"));
}
