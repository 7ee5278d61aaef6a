//! Smoke test of the benchmark harness (issue 8): `bench/run.sh --smoke` generates a tiny
//! dataset, runs the real binary end to end and reports a complete row, with every stage read
//! from the manifest. The benchmarks themselves never run in CI.

use std::process::Command;

use super::util::test_state_dir;

#[test]
fn the_benchmark_harness_runs_end_to_end_at_tiny_size() {
    let dir = tempfile::tempdir().expect("temp");
    let out = Command::new("bash")
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/bench/run.sh"))
        .arg("--smoke")
        .env("MUTASI_BIN", env!("CARGO_BIN_EXE_mutasi"))
        .env("BENCH_DIR", dir.path())
        .env("MUTASI_STATE_DIR", test_state_dir())
        .output()
        .expect("bash");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", String::from_utf8_lossy(&out.stderr));
    let results = std::fs::read_to_string(dir.path().join("results.md")).expect("results.md");
    let row = results.lines().find(|l| l.starts_with("| 1000x24 |")).expect("a row for the size");
    let cells: Vec<&str> = row.split('|').map(str::trim).filter(|c| !c.is_empty()).collect();
    assert_eq!(cells.len(), 15, "{row}");
    assert_eq!(cells[14], "ok", "{row}");
    let rows: u64 = cells[2].replace(',', "").parse().expect("input rows");
    assert!(rows > 10_000, "{row}");
    for (i, c) in cells.iter().enumerate().skip(4).take(10) {
        assert!(c.chars().next().is_some_and(|d| d.is_ascii_digit()), "column {i} `{c}` in {row}");
    }
    // The estimators and the report took measurable time: the stages come from the manifest.
    let seconds = |c: &str| c.trim_end_matches(" s").parse::<f64>().expect("seconds");
    assert!(seconds(cells[11]) > 0.0 && seconds(cells[13]) > 0.0, "{row}");
    assert!(results.contains("machine: "), "{results}");
}
