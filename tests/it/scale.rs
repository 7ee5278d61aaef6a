//! Inputs at scale (issue 8 §3): a sample written as hive partitions with Parquet kinerja, a run
//! over every partition (or `--only` some) with outputs in the same layout, readable as one
//! dataset by the Apache reader, and a broken partition that does not stop the others.

use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

use super::util::*;

fn args(v: &[&str]) -> Vec<String> {
    v.iter().map(|x| x.to_string()).collect()
}

/// Three instansi of about 100 employees × 24 months, kinerja in Parquet.
fn partitioned(s: &Scratch) {
    let out = s.path("in").display().to_string();
    let r = run(&args(&[
        "sample",
        "--employees",
        "330",
        "--months",
        "24",
        "--start",
        "2024-01",
        "--seed",
        "5",
        "--instansi",
        "3",
        "--format",
        "parquet",
        "--no-bad-rows",
        "--out",
        &out,
    ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
}

fn run_month(s: &Scratch, extra: &[&str]) -> Run {
    let (input, out, cfg) = (
        s.path("in").display().to_string(),
        s.path("out").display().to_string(),
        s.path("in/mutasi.toml").display().to_string(),
    );
    let mut a = vec!["run", "--input", &input, "--out", &out, "--config", &cfg, "--period", "2025-12"];
    a.extend(extra);
    run(&args(&a))
}

#[test]
fn a_partitioned_sample_runs_partition_by_partition() {
    let s = Scratch::new();
    partitioned(&s);
    for p in ["I0001", "I0002", "I0003"] {
        let dir = s.path(&format!("in/instansi={p}"));
        assert!(
            dir.join("kinerja_2024.parquet").exists() && dir.join("kinerja_2025.parquet").exists(),
            "{p}"
        );
        assert!(!dir.join("kinerja_2024.csv").exists(), "kinerja does not pass through CSV");
    }
    let r = run_month(&s, &[]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("3 diterbitkan / published"), "{}", r.stdout);
    // Every Parquet kinerja row was read and accepted, per partition.
    let mut heights = Vec::new();
    for p in ["I0001", "I0002", "I0003"] {
        let month = s.path(&format!("out/instansi={p}/2025-12"));
        let m: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(month.join("manifest.json")).expect("manifest"))
                .expect("json");
        let kinerja: Vec<&serde_json::Value> = m["masukan"]
            .as_array()
            .expect("inputs")
            .iter()
            .filter(|i| i["berkas"].as_str().is_some_and(|b| b.ends_with(".parquet")))
            .collect();
        assert_eq!(kinerja.len(), 2, "{p}");
        for k in kinerja {
            assert!(k["baris_dibaca"].as_u64().is_some_and(|n| n > 1000), "{k}");
            assert_eq!(k["baris_dibaca"], k["baris_diterima"], "{k}");
        }
        // The same summary in every partition, with the same columns: one dataset for a reader.
        let f = std::fs::File::open(month.join("aggregates.parquet")).expect("aggregates");
        let reader = ParquetRecordBatchReaderBuilder::try_new(f).expect("parquet");
        heights.push((reader.schema().clone(), reader.metadata().file_metadata().num_rows()));
    }
    assert!(heights.windows(2).all(|w| w[0].0 == w[1].0), "one schema across partitions");
    assert!(heights.iter().all(|(_, n)| *n > 0));

    // Two partitions at a time give the same bytes as one at a time.
    let out2 = s.path("out2").display().to_string();
    let (input, cfg) = (s.path("in").display().to_string(), s.path("in/mutasi.toml").display().to_string());
    let r = run(&args(&[
        "run", "--input", &input, "--out", &out2, "--config", &cfg, "--period", "2025-12", "--jobs", "2",
    ]));
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let mut compared = 0;
    for p in ["I0001", "I0002", "I0003"] {
        let (a, b) =
            (s.path(&format!("out/instansi={p}/2025-12")), s.path(&format!("out2/instansi={p}/2025-12")));
        for e in std::fs::read_dir(&a).expect("ls").flatten() {
            let name = e.file_name();
            if e.path().extension().is_some_and(|x| x == "parquet") {
                let same = std::fs::read(e.path()).expect("a") == std::fs::read(b.join(&name)).expect("b");
                assert!(same, "{p}/{name:?} differs with --jobs 2");
                compared += 1;
            }
        }
    }
    assert!(compared > 30, "{compared}");

    // --only: one partition again; a name that does not exist is a usage error listing them.
    std::fs::remove_dir_all(s.path("out/instansi=I0002")).expect("rm");
    let r = run_month(&s, &["--only", "instansi=I0002"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout.contains("1 diterbitkan / published") && r.stdout.contains("(dari / of 1)"),
        "{}",
        r.stdout
    );
    assert!(s.path("out/instansi=I0002/2025-12/manifest.json").exists());
    let r = run_month(&s, &["--only", "instansi=I0009"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("I0009") && r.stderr.contains("instansi=I0001"), "{}", r.stderr);
}

#[test]
fn a_broken_partition_does_not_stop_the_others() {
    let s = Scratch::new();
    partitioned(&s);
    s.write("in/instansi=I0002/pegawai.csv", "");
    let r = run_month(&s, &[]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("instansi=I0002") && r.stderr.contains("pegawai.csv"), "{}", r.stderr);
    assert!(
        r.stdout.contains("2 diterbitkan / published") && r.stdout.contains("1 galat / errors"),
        "{}",
        r.stdout
    );
    for p in ["I0001", "I0003"] {
        assert!(s.path(&format!("out/instansi={p}/2025-12/manifest.json")).exists(), "{p} published");
    }
    assert!(!s.path("out/instansi=I0002/2025-12").exists());
    // A flat input folder has no partitions to pick.
    let flat = Scratch::with_base();
    let (input, out) = (flat.input().display().to_string(), flat.out().display().to_string());
    let r = run(&args(&[
        "run",
        "--input",
        &input,
        "--out",
        &out,
        "--period",
        "2025-12",
        "--only",
        "instansi=I0001",
    ]));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("tidak berpartisi"), "{}", r.stderr);
}
