//! The generator: deterministic for a seed, realistic enough to validate, and honest about the
//! bad rows it plants (validation must find exactly those).

use std::collections::BTreeMap;

use super::util::*;

fn generate(s: &Scratch, dir: &str, seed: &str) -> Run {
    run(&[
        "sample".into(),
        "--employees".into(),
        "300".into(),
        "--months".into(),
        "24".into(),
        "--start".into(),
        "2021-07".into(),
        "--seed".into(),
        seed.into(),
        "--out".into(),
        s.path(dir).display().to_string(),
    ])
}

#[test]
fn same_seed_same_bytes_other_seed_other_data() {
    let s = Scratch::new();
    assert_eq!(generate(&s, "a", "7").code, 0);
    assert_eq!(generate(&s, "b", "7").code, 0);
    assert_eq!(generate(&s, "c", "8").code, 0);
    for f in [
        "unit_kerja.xlsx",
        "pegawai.csv",
        "mutasi.csv",
        "kinerja_2021.csv",
        "kinerja_2022.csv",
        "layanan.csv",
        "skm.csv",
        "truth.json",
    ] {
        let a = std::fs::read(s.path(&format!("a/{f}"))).expect("read");
        let b = std::fs::read(s.path(&format!("b/{f}"))).expect("read");
        assert!(a == b, "{f} differs between runs with the same seed");
    }
    assert_ne!(
        std::fs::read(s.path("a/kinerja_2022.csv")).expect("read"),
        std::fs::read(s.path("c/kinerja_2022.csv")).expect("read")
    );
}

#[test]
fn validation_finds_exactly_the_planted_bad_rows() {
    let s = Scratch::new();
    assert_eq!(generate(&s, "in", "11").code, 0);
    let r = s.validate(&["--config", &s.path("in/mutasi.toml").display().to_string()]);
    assert_eq!(r.code, 0, "within the sample's reject limit\n{}{}", r.stdout, r.stderr);
    let truth: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(s.path("in/truth.json")).expect("truth"))
            .expect("json");
    let planted: BTreeMap<String, u64> = truth["baris_buruk"]
        .as_object()
        .expect("map")
        .iter()
        .map(|(k, v)| (k.clone(), v.as_u64().unwrap_or(0)))
        .collect();
    let mut found: BTreeMap<String, u64> = BTreeMap::new();
    for row in rejects(&s) {
        *found.entry(row["kode_alasan"].clone()).or_default() += 1;
    }
    assert_eq!(found, planted);
    let planted_warn: BTreeMap<String, u64> = truth["peringatan_ditanam"]
        .as_object()
        .expect("map")
        .iter()
        .map(|(k, v)| (k.clone(), v.as_u64().unwrap_or(0)))
        .collect();
    let mut warned: BTreeMap<String, u64> = BTreeMap::new();
    for row in warnings(&s) {
        *warned.entry(row["kode_alasan"].clone()).or_default() += 1;
    }
    for (code, n) in &planted_warn {
        assert_eq!(warned.get(code), Some(n), "warning {code}: {warned:?}");
    }
    // Each planted row is reported at its file and row.
    let rej = rejects(&s);
    for p in truth["rincian_baris_buruk"].as_array().expect("list") {
        let (file, row, code) = (
            p["berkas"].as_str().expect("s"),
            p["baris"].as_u64().expect("n").to_string(),
            p["kode"].as_str().expect("s"),
        );
        assert!(
            rej.iter().any(|r| r["berkas"] == file && r["baris"] == row && r["kode_alasan"] == code),
            "planted {code} at {file}:{row} not reported"
        );
    }
    // Every transfer type and the regime change are present in the clean tables.
    let m = table(&s, "mutasi");
    let kinds: std::collections::BTreeSet<String> =
        strings(&m, "jenis_mutasi").into_iter().flatten().collect();
    assert_eq!(kinds.len(), 5, "{kinds:?}");
    let k = table(&s, "kinerja");
    let ind: std::collections::BTreeSet<String> = strings(&k, "indikator").into_iter().flatten().collect();
    for i in ["nilai_skp", "capaian_iki", "rating_hasil_kerja", "rating_perilaku", "predikat"] {
        assert!(ind.contains(i), "{i} missing: {ind:?}");
    }
}

#[test]
fn the_committed_sample_data_is_what_the_generator_writes() {
    // sample_data/ is generated with the documented command; regenerate and compare.
    let s = Scratch::new();
    let r = run(&["sample".into(), "--out".into(), s.path("gen").display().to_string()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_data");
    for f in [
        "unit_kerja.xlsx",
        "pegawai.csv",
        "mutasi.csv",
        "kinerja_2021.csv",
        "kinerja_2025.csv",
        "layanan.csv",
        "skm.csv",
        "truth.json",
        "mutasi.toml",
        "nip_crosswalk.csv",
    ] {
        let a = std::fs::read(root.join(f)).unwrap_or_else(|e| panic!("sample_data/{f}: {e}"));
        let b = std::fs::read(s.path(&format!("gen/{f}"))).expect("generated");
        assert!(a == b, "sample_data/{f} is stale: regenerate with `mutasi sample --out sample_data`");
    }
}
