//! Honest uncertainty on HR-shaped data (issue #3 §4): over 200 seeded replications of a small
//! `mutasi sample` dataset, taken through `validate`, `panel` and `estimate` like a user would,
//! the 95% interval of the dynamic aggregation covers the truth between 92% and 98% of the time.
//!
//! The truth of each replication is the exact estimand of its analysis sample: the same chain run
//! on the oracle twin of the dataset (`mutasi sample --noise-free`: same people, transfers and
//! months, capaian_iki = base + planted effects), where the estimator has nothing left to
//! estimate.

use super::util::*;
use mutasi_io::data::table::{ColumnData, read_table};

const REPLICATIONS: u64 = 200;

/// Generates, validates, builds the capaian_iki panel and estimates; returns the dynamic
/// aggregation's overall ATT and SE.
fn chain(dir: &std::path::Path, seed: u64, noise_free: bool) -> (f64, f64) {
    let p = |x: &str| dir.join(x).display().to_string();
    let seed = seed.to_string();
    let mut sample = vec!["sample", "--employees", "300", "--months", "24", "--start", "2022-01"];
    sample.extend(["--seed", &seed, "--no-bad-rows", "--out"]);
    let input = p("in");
    sample.push(&input);
    if noise_free {
        sample.push("--noise-free");
    }
    let steps: Vec<Vec<String>> = vec![
        sample.iter().map(|s| s.to_string()).collect(),
        ["validate", "--input", &p("in"), "--config", &p("in/mutasi.toml"), "--out", &p("val")]
            .map(String::from)
            .to_vec(),
        ["panel", "--validated", &p("val"), "--indikator", "capaian_iki", "--out", &p("panel.parquet")]
            .map(String::from)
            .to_vec(),
        [
            "estimate",
            "--panel",
            &p("panel.parquet"),
            "--id",
            "pegawai_id",
            "--time",
            "t",
            "--cohort",
            "kohort",
            "--outcome",
            "nilai",
            "--balanced",
            "--max-e",
            "11",
            "--out",
            &p("est"),
        ]
        .map(String::from)
        .to_vec(),
    ];
    for args in &steps {
        let r = run(args);
        assert_eq!(r.code, 0, "seed {seed}: {args:?}\n{}{}", r.stdout, r.stderr);
    }
    let t = read_table(&dir.join("est/aggregates.parquet")).expect("aggregates");
    let row = (0..t.height())
        .find(|i| {
            t.str_at("type", *i) == Some("dynamic") && t.get("element").is_some_and(|c| c.text(*i).is_empty())
        })
        .expect("dynamic overall row");
    let num = |col: &str| match t.get(col) {
        Some(ColumnData::F64(v)) => v[row].expect("value"),
        other => panic!("{col}: {other:?}"),
    };
    (num("att"), num("se"))
}

#[test]
fn oracle_twin_has_the_same_people_and_transfers() {
    let s = Scratch::new();
    for (dir, flag) in [("a", false), ("b", true)] {
        let mut args = vec!["sample", "--employees", "60", "--months", "12", "--seed", "4", "--out"];
        let out = s.path(dir).display().to_string();
        args.push(&out);
        if flag {
            args.push("--noise-free");
        }
        let r = run(&args.iter().map(|x| x.to_string()).collect::<Vec<_>>());
        assert_eq!(r.code, 0, "{}", r.stderr);
    }
    for f in ["pegawai.csv", "mutasi.csv", "unit_kerja.xlsx", "layanan.csv"] {
        let (a, b) = (std::fs::read(s.path("a").join(f)), std::fs::read(s.path("b").join(f)));
        assert_eq!(a.expect("a"), b.expect("b"), "{f} differs between the noisy and the oracle dataset");
    }
    let (a, b) = (
        std::fs::read_to_string(s.path("a/kinerja_2021.csv")).expect("a"),
        std::fs::read_to_string(s.path("b/kinerja_2021.csv")).expect("b"),
    );
    assert_eq!(a.lines().count(), b.lines().count(), "same observations");
    assert_ne!(a, b, "the oracle's capaian_iki carries no noise");
    let truth = std::fs::read_to_string(s.path("b/truth.json")).expect("truth");
    assert!(truth.contains("\"tanpa_galat\": true"), "{truth}");
}

#[test]
fn dynamic_intervals_cover_the_truth_on_generated_hr_data() {
    let s = Scratch::new();
    let z = 1.959_963_984_540_054;
    let seeds: Vec<u64> = (1..=REPLICATIONS).collect();
    // Two workers: replications are independent and each is a handful of short processes.
    let results: Vec<(u64, f64, f64, f64)> = std::thread::scope(|scope| {
        let handles: Vec<_> = seeds
            .chunks(seeds.len().div_ceil(2))
            .map(|part| {
                let s = &s;
                scope.spawn(move || {
                    part.iter()
                        .map(|&seed| {
                            let (att, se) = chain(&s.path(&format!("r{seed}/noisy")), seed, false);
                            let (truth, _) = chain(&s.path(&format!("r{seed}/oracle")), seed, true);
                            std::fs::remove_dir_all(s.path(&format!("r{seed}"))).expect("clean up");
                            (seed, att, se, truth)
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().expect("worker")).collect()
    });
    assert_eq!(results.len() as u64, REPLICATIONS);
    let covered = results.iter().filter(|(_, att, se, truth)| (att - truth).abs() <= z * se).count();
    let coverage = covered as f64 / REPLICATIONS as f64;
    let zs: Vec<f64> = results.iter().map(|(_, att, se, truth)| (att - truth) / se).collect();
    let mean_z = zs.iter().sum::<f64>() / zs.len() as f64;
    eprintln!("coverage {coverage} over {REPLICATIONS} replications; mean standardised error {mean_z:.3}");
    assert!((0.92..=0.98).contains(&coverage), "coverage {coverage}: {results:?}");
    // Unbiased: the mean standardised error is within 3.5 standard errors (1/√200) of zero.
    assert!(mean_z.abs() < 0.25, "mean standardised error {mean_z}");
    // The truth varies with each replication's sample, so it is not a constant in disguise.
    let truths: Vec<f64> = results.iter().map(|r| r.3).collect();
    let spread =
        truths.iter().cloned().fold(f64::MIN, f64::max) - truths.iter().cloned().fold(f64::MAX, f64::min);
    assert!(spread > 0.05, "oracle truths {truths:?}");
}
