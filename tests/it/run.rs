//! `mutasi run`: one month end to end on generated data — the published Parquet summaries and
//! their documented columns, byte-identical re-runs, the period cut-off, the reject-rate gate and
//! small-group suppression.

use std::collections::BTreeSet;
use std::path::Path;

use super::util::*;
use mutasi_io::data::table::{ColumnData, TableData, read_table};

fn sample(s: &Scratch, bad_rows: bool) {
    let input = s.path("in").display().to_string();
    let mut args =
        vec!["sample", "--employees", "1200", "--months", "30", "--start", "2023-01", "--seed", "9"];
    if !bad_rows {
        args.push("--no-bad-rows");
    }
    args.extend(["--out", &input]);
    let r = run(&args.iter().map(|x| x.to_string()).collect::<Vec<_>>());
    assert_eq!(r.code, 0, "{}", r.stderr);
}

/// `mutasi run` on `in/`, with the sample's own config (its NIP crosswalk) unless `extra` names one.
fn mutasi_run(s: &Scratch, out: &str, extra: &[&str]) -> Run {
    let (input, out) = (s.path("in").display().to_string(), s.path(out).display().to_string());
    let cfg = s.path("in/mutasi.toml").display().to_string();
    let mut args = vec!["run", "--input", &input, "--out", &out];
    if !extra.contains(&"--config") {
        args.extend(["--config", &cfg]);
    }
    args.extend(extra);
    run(&args.iter().map(|x| x.to_string()).collect::<Vec<_>>())
}

fn texts(t: &TableData, col: &str) -> Vec<String> {
    (0..t.height()).map(|i| t.str_at(col, i).unwrap_or_default().to_string()).collect()
}

fn ints(t: &TableData, col: &str) -> Vec<Option<i64>> {
    match t.get(col) {
        Some(ColumnData::I64(v)) => v.clone(),
        other => panic!("{col}: {other:?}"),
    }
}

fn floats(t: &TableData, col: &str) -> Vec<Option<f64>> {
    match t.get(col) {
        Some(ColumnData::F64(v)) => v.clone(),
        other => panic!("{col}: {other:?}"),
    }
}

#[test]
fn a_month_publishes_every_summary_with_its_documented_columns() {
    let s = Scratch::new();
    sample(&s, false);
    let r = mutasi_run(&s, "out", &["--period", "2025-03"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let dir = s.path("out/2025-03");
    for f in RUN_FILES {
        assert!(dir.join(format!("{f}.parquet")).exists(), "{f}");
    }
    assert!(dir.join("validated/kinerja.parquet").exists() && dir.join("run.json").exists());
    // Nothing but the period folder (and the run lock) under --out: no staging folder left.
    let mut names: Vec<String> = std::fs::read_dir(s.path("out"))
        .expect("ls")
        .map(|e| e.expect("entry").file_name().to_string_lossy().to_string())
        .collect();
    names.sort();
    assert_eq!(names, vec![".mutasi.lock".to_string(), "2025-03".to_string()]);

    let cols = |f: &str| read_table(&dir.join(format!("{f}.parquet"))).expect(f);
    let att = cols("att_gt");
    assert_eq!(
        att.names(),
        [
            "outcome",
            "subgroup",
            "estimator",
            "group",
            "time",
            "att",
            "se",
            "ci_low",
            "ci_high",
            "n_treated",
            "n_control"
        ]
    );
    let agg = cols("aggregates");
    assert_eq!(
        agg.names(),
        ["outcome", "subgroup", "estimator", "type", "element", "att", "se", "ci_low", "ci_high"]
    );
    let es = cols("event_study");
    assert_eq!(
        es.names(),
        [
            "outcome",
            "subgroup",
            "estimator",
            "e",
            "att",
            "se",
            "ci_low",
            "ci_high",
            "band_low",
            "band_high",
            "n_events",
            "n_subexperiments"
        ]
    );
    let estimators: BTreeSet<String> = texts(&es, "estimator").into_iter().collect();
    assert_eq!(estimators, BTreeSet::from(["cs".to_string(), "stacked".to_string()]));
    let outcomes: BTreeSet<String> = texts(&agg, "outcome").into_iter().collect();
    assert!(outcomes.contains("capaian_iki") && outcomes.contains("predikat"), "{outcomes:?}");
    let subgroups: BTreeSet<String> = texts(&agg, "subgroup").into_iter().collect();
    for want in ["semua", "jenis_mutasi=rotasi", "jenis_mutasi=promosi", "jenis_unit_tujuan=Puskesmas"] {
        assert!(subgroups.contains(want), "{want} missing from {subgroups:?}");
    }
    // The planted effects: promotions (base +4) above rotations (+2) above demotions (−3).
    let dynamic = |sub: &str| -> f64 {
        let (o, sg, ty, el, a) = (
            texts(&agg, "outcome"),
            texts(&agg, "subgroup"),
            texts(&agg, "type"),
            ints(&agg, "element"),
            floats(&agg, "att"),
        );
        (0..agg.height())
            .find(|i| o[*i] == "capaian_iki" && sg[*i] == sub && ty[*i] == "dynamic" && el[*i].is_none())
            .and_then(|i| a[i])
            .unwrap_or_else(|| panic!("no dynamic overall for {sub}"))
    };
    let (pro, rot, all) = (dynamic("jenis_mutasi=promosi"), dynamic("jenis_mutasi=rotasi"), dynamic("semua"));
    assert!(pro > rot && rot > 0.0 && all > 0.0, "promosi {pro}, rotasi {rot}, semua {all}");
    // Event times within the configured window (default −12..12).
    assert!(ints(&es, "e").iter().all(|e| e.is_some_and(|e| (-12..=12).contains(&e))));
    // Small ATT(g,t) cells are suppressed, never published.
    let (nt, a) = (ints(&att, "n_treated"), floats(&att, "att"));
    assert!(nt.iter().zip(&a).all(|(n, a)| n.unwrap_or(0) >= 5 || a.is_none()));
    assert!(nt.iter().zip(&a).any(|(n, a)| n.unwrap_or(0) < 5 && n.unwrap_or(0) > 0 && a.is_none()));
    // The default 999 bootstrap draws: every published group has a percentile interval around its
    // mean.
    let summary = cols("prepost_summary");
    let (mean, low, high) = (
        floats(&summary, "rata_delta"),
        floats(&summary, "ci_low_bootstrap"),
        floats(&summary, "ci_high_bootstrap"),
    );
    assert!(mean.iter().filter(|m| m.is_some()).count() > 5);
    for k in 0..summary.height() {
        if let Some(m) = mean[k] {
            let (l, h) = (low[k].expect("ci_low_bootstrap"), high[k].expect("ci_high_bootstrap"));
            assert!(l <= m && m <= h, "row {k}: {l} ≤ {m} ≤ {h}");
        }
    }
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("run.json")).expect("run.json"))
            .expect("json");
    assert_eq!(json["periode"], "2025-03");
    assert!(json["estimasi"].as_array().expect("notes").iter().any(|n| n["estimator"] == "stacked"));
}

#[test]
fn re_running_a_month_gives_identical_files_and_ignores_later_data() {
    let s = Scratch::new();
    sample(&s, false);
    for out in ["a", "b"] {
        let r = mutasi_run(&s, out, &["--period", "2024-12", "--outcomes", "capaian_iki"]);
        assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    }
    let files: Vec<String> =
        RUN_FILES.iter().map(|f| format!("{f}.parquet")).chain(["run.json".to_string()]).collect();
    for f in &files {
        let read = |o: &str| std::fs::read(s.path(o).join("2024-12").join(f)).expect(f);
        assert_eq!(read("a"), read("b"), "{f} differs between two runs of the same month");
    }
    // Re-running into the same folder replaces the period as a whole.
    let r = mutasi_run(&s, "a", &["--period", "2024-12", "--outcomes", "capaian_iki"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // Nothing after December 2024: t runs from January 2023 (t = 1), so at most t = 24.
    let dir = s.path("a/2024-12");
    let att = read_table(&dir.join("att_gt.parquet")).expect("att_gt");
    let max_t = ints(&att, "time").into_iter().flatten().max().expect("cells");
    assert!(max_t <= 24, "ATT(g,t) uses months after the period: t = {max_t}");
    let w = read_table(&dir.join("transfer_windows.parquet")).expect("windows");
    let latest = (0..w.height()).filter_map(|i| w.get("tmt").map(|c| c.text(i))).max().expect("windows");
    assert!(latest.as_str() <= "2024-12-31", "a transfer after the period: {latest}");
}

#[test]
fn too_many_rejects_publish_nothing_and_say_why() {
    let s = Scratch::new();
    sample(&s, true);
    // A first, good month is published.
    let r = mutasi_run(&s, "out", &["--period", "2024-06", "--outcomes", "capaian_iki"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let before = std::fs::read(s.path("out/2024-06/aggregates.parquet")).expect("published");
    // The same data with no rejects allowed: exit 1, failed.json, and the published month intact.
    s.write("strict.toml", "[validate]\nmax_reject_rate = 0.0\n");
    let strict = s.path("strict.toml").display().to_string();
    let r = mutasi_run(&s, "out", &["--period", "2024-06", "--config", &strict, "--outcomes", "capaian_iki"]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("tidak diterbitkan"), "{}", r.stderr);
    let failed: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(s.path("out/2024-06.failed.json")).expect("failed.json"),
    )
    .expect("json");
    assert_eq!(failed["gerbang"], "rasio_tolak");
    assert_eq!(std::fs::read(s.path("out/2024-06/aggregates.parquet")).expect("still there"), before);
    let stray = std::fs::read_dir(s.path("out"))
        .expect("ls")
        .map(|e| e.expect("entry").file_name().to_string_lossy().to_string())
        .any(|n| n.starts_with('.') && n != ".mutasi.lock");
    assert!(!stray, "a staging folder was left behind");
}

#[test]
fn small_subgroups_are_not_estimated_and_bad_options_are_usage_errors() {
    let s = Scratch::new();
    sample(&s, false);
    s.write(
        "cfg.toml",
        "nip_crosswalk = \"nip_crosswalk.csv\"\n[analysis]\noutcomes = [\"capaian_iki\"]\nsubgroups = [\"jenis_mutasi\"]\nmin_treated = 100\nbootstrap = 0\n",
    );
    let cfg = s.path("cfg.toml").display().to_string();
    let r = mutasi_run(&s, "out", &["--period", "2025-06", "--config", &cfg]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let dir = s.path("out/2025-06");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("run.json")).expect("run.json"))
            .expect("json");
    let notes = json["estimasi"].as_array().expect("notes");
    let demosi = notes.iter().find(|n| n["subgroup"] == "jenis_mutasi=demosi").expect("demosi note");
    assert_eq!(demosi["status"], "dilewati", "{demosi}");
    assert!(demosi["treated"].as_u64().expect("n") < 100);
    let agg = read_table(&dir.join("aggregates.parquet")).expect("aggregates");
    assert!(
        !texts(&agg, "subgroup").iter().any(|g| g == "jenis_mutasi=demosi"),
        "a small subgroup was published"
    );
    assert!(texts(&agg, "subgroup").iter().any(|g| g == "jenis_mutasi=rotasi"));
    // `bootstrap = 0`: the summary keeps its t interval, and its bootstrap interval is empty.
    let summary = read_table(&dir.join("prepost_summary.parquet")).expect("summary");
    let t_low = floats(&summary, "ci_low_t");
    assert!(t_low.iter().filter(|v| v.is_some()).count() > 5, "{t_low:?}");
    for col in ["ci_low_bootstrap", "ci_high_bootstrap"] {
        assert!(floats(&summary, col).iter().all(Option::is_none), "{col} with bootstrap = 0");
    }

    // Standardised outcomes: effects in standard deviations of the unit-month, smaller than raw.
    let r = mutasi_run(&s, "outz", &["--period", "2025-06", "--config", &cfg, "--standardize"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let z: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(s.path("outz/2025-06/run.json")).expect("run.json"))
            .expect("json");
    assert_eq!(z["opsi"]["standardize"], true);
    let overall = |dir: &Path| -> f64 {
        let t = read_table(&dir.join("aggregates.parquet")).expect("aggregates");
        let (sg, ty, el, a) =
            (texts(&t, "subgroup"), texts(&t, "type"), ints(&t, "element"), floats(&t, "att"));
        (0..t.height())
            .find(|i| sg[*i] == "semua" && ty[*i] == "dynamic" && el[*i].is_none())
            .and_then(|i| a[i])
            .expect("dynamic overall")
    };
    let (raw, std) = (overall(&dir), overall(&s.path("outz/2025-06")));
    assert!(raw > 0.0 && std > 0.0 && std < raw / 2.0, "raw {raw}, standardised {std}");

    // No subgroup large enough: nothing estimated, yet every file has its documented columns.
    s.write("none.toml", "nip_crosswalk = \"nip_crosswalk.csv\"\n[analysis]\noutcomes = [\"capaian_iki\"]\nmin_treated = 1000000\n");
    let none = s.path("none.toml").display().to_string();
    let r = mutasi_run(&s, "outn", &["--period", "2025-06", "--config", &none]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let empty = read_table(&s.path("outn/2025-06/att_gt.parquet")).expect("att_gt");
    assert_eq!(empty.height(), 0);
    assert_eq!(&empty.names()[..4], ["outcome", "subgroup", "estimator", "group"]);
    let empty = read_table(&s.path("outn/2025-06/aggregates.parquet")).expect("aggregates");
    assert_eq!(empty.height(), 0);
    assert_eq!(empty.names().len(), 9);

    s.write("bad.toml", "[analysis]\nsubgroups = [\"golongan\"]\n");
    let bad = s.path("bad.toml").display().to_string();
    let r = mutasi_run(&s, "out2", &["--period", "2025-06", "--config", &bad]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("golongan"), "{}", r.stderr);
    // A quarter is not a report month.
    let r = mutasi_run(&s, "out2", &["--period", "TW II 2025"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("YYYY-MM"), "{}", r.stderr);
    assert!(!Path::new(&s.path("out2/2025-06")).exists());
}

/// `ikm_per_unit.parquet`: one row per Puskesmas and semester with the regulation's columns;
/// sample adequacy flagged, never rejected; a reported IKM in `layanan` is shown beside the one
/// computed from the answers, and a gap above 0.5 points is flagged.
#[test]
fn service_quality_is_published_per_unit_and_semester() {
    let s = Scratch::new();
    sample(&s, false);
    let r = mutasi_run(&s, "out", &["--period", "2024-12", "--outcomes", "capaian_iki"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let path = s.path("out/2024-12/ikm_per_unit.parquet");
    let t = read_table(&path).expect("ikm_per_unit");
    for col in [
        "unit_id",
        "periode",
        "n_responden",
        "nrr_u1",
        "nrr_u9",
        "ikm",
        "ikm_konversi",
        "mutu",
        "unsur_terlemah",
        "sampel_cukup",
    ] {
        assert!(t.get(col).is_some(), "{col} missing");
    }
    let (units, periods) = (texts(&t, "unit_id"), texts(&t, "periode"));
    assert!(periods.iter().all(|p| p.contains("-S")), "semester periods only: {periods:?}");
    assert!(periods.iter().all(|p| p.as_str() <= "2024-S2"), "nothing after the period");
    let (ikm, konv, n) = (floats(&t, "ikm"), floats(&t, "ikm_konversi"), ints(&t, "n_responden"));
    let (pop, smin) = (floats(&t, "n_populasi"), ints(&t, "sampel_minimum"));
    let cukup = match t.get("sampel_cukup") {
        Some(ColumnData::Bool(v)) => v.clone(),
        other => panic!("{other:?}"),
    };
    for k in 0..t.height() {
        let (i, c) = (ikm[k].expect("ikm"), konv[k].expect("konversi"));
        assert!((1.0..=4.0).contains(&i) && (c - 25.0 * i).abs() < 1e-9);
        // Flagged against Krejcie–Morgan, never dropped: the rows are there either way.
        if let (Some(_), Some(s_min)) = (pop[k], smin[k]) {
            assert_eq!(cukup[k], Some(n[k].expect("n") >= s_min));
        }
    }
    assert!(
        texts(&t, "unsur_terlemah").iter().filter(|u| *u == "u3").count() > t.height() / 2,
        "planted weakest unsur u3"
    );

    // Reported IKM values: one close to the computed value, one far, one for a semester without
    // answers.
    let (unit, period, computed) = (units[0].clone(), periods[0].clone(), konv[0].expect("konversi"));
    let (y, sem) = period.split_once("-S").expect("semester label");
    let close = format!("{:.2}", computed + 0.3).replace('.', ",");
    let mut layanan = std::fs::read_to_string(s.path("in/layanan.csv")).expect("layanan");
    layanan.push_str(&format!("{unit};Semester {sem} {y};IKM;{close}\n"));
    layanan.push_str(&format!(
        "{};Semester {sem} {y};IKM;50,00\n",
        units.iter().find(|u| **u != unit).expect("another unit")
    ));
    layanan.push_str(&format!("{unit};Semester 1 2022;IKM;90,00\n"));
    s.write("in/layanan.csv", &layanan);
    let r = mutasi_run(&s, "out", &["--period", "2024-12", "--outcomes", "capaian_iki"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let t = read_table(&path).expect("ikm_per_unit");
    let (units, periods, sources) = (texts(&t, "unit_id"), texts(&t, "periode"), texts(&t, "sumber"));
    let beda = match t.get("beda_laporan") {
        Some(ColumnData::Bool(v)) => v.clone(),
        other => panic!("{other:?}"),
    };
    let row = |u: &str, p: &str| (0..t.height()).find(|k| units[*k] == u && periods[*k] == p).expect("row");
    let k = row(&unit, &period);
    assert_eq!((sources[k].as_str(), beda[k]), ("skm+laporan", Some(false)));
    let far = (0..t.height())
        .find(|k| periods[*k] == period && units[*k] != unit && sources[*k] == "skm+laporan")
        .expect("far");
    assert_eq!(beda[far], Some(true));
    let only = row(&unit, "2022-S1");
    assert_eq!(sources[only], "laporan");
    assert_eq!(texts(&t, "mutu")[only], "A", "mutu of a reported-only row comes from the reported value");
}

/// The planted unit effects of `mutasi sample` (truth.json) lie inside the 95% intervals of the
/// unit analyses: a dokter arriving at a Puskesmas shortens the wait by 6 minutes, a new kepala
/// Puskesmas by 3 (both ramped over 6 months; later events add).
#[test]
fn planted_unit_effects_are_recovered() {
    let s = Scratch::new();
    let input = s.path("in").display().to_string();
    let r = run(&["sample", "--seed", "2026", "--out", &input].map(String::from));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = mutasi_run(&s, "out", &["--period", "2025-12", "--outcomes", "capaian_iki", "--subgroups", ""]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let truth: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(s.path("in/truth.json")).expect("truth"))
            .expect("json");
    let t = read_table(&s.path("out/2025-12/unit_effects.parquet")).expect("unit_effects");
    assert_eq!(
        &t.names()[..6],
        ["analisis", "indikator", "jenis_unit", "jenis_periode", "type", "element"],
        "documented columns"
    );
    let (an, ind, jenis, ty, el) = (
        texts(&t, "analisis"),
        texts(&t, "indikator"),
        texts(&t, "jenis_unit"),
        texts(&t, "type"),
        ints(&t, "element"),
    );
    let (att, lo, hi) = (floats(&t, "att"), floats(&t, "ci_low"), floats(&t, "ci_high"));
    for (analysis, key) in [
        ("kedatangan_dokter", "att_unit_kedatangan_dokter_waktu_tunggu"),
        ("kepala_baru", "att_unit_kepala_baru_waktu_tunggu"),
    ] {
        // The dynamic aggregation averages event times 0..=12 (the default 12-month window).
        let planted: Vec<f64> = truth[key]
            .as_array()
            .expect("points")
            .iter()
            .filter(|p| (0..=12).contains(&p["e"].as_i64().expect("e")))
            .map(|p| p["att"].as_f64().expect("att"))
            .collect();
        assert_eq!(planted.len(), 13);
        let want = planted.iter().sum::<f64>() / planted.len() as f64;
        let k = (0..t.height())
            .find(|k| {
                an[*k] == analysis
                    && ind[*k] == "waktu_tunggu_menit"
                    && jenis[*k] == "Puskesmas"
                    && ty[*k] == "dynamic"
                    && el[*k].is_none()
            })
            .unwrap_or_else(|| panic!("{analysis}: no dynamic overall row"));
        let (a, l, h) = (att[k].expect("att"), lo[k].expect("lo"), hi[k].expect("hi"));
        assert!(l <= want && want <= h, "{analysis}: planted {want} outside [{l}, {h}] (estimate {a})");
        assert!(a < 0.0, "{analysis}: waiting time must fall");
    }
    // Semester IKM is estimated per semester, never per month.
    let ikm_kinds: Vec<String> = (0..t.height())
        .filter(|k| ind[*k] == "ikm_konversi")
        .map(|k| t.str_at("jenis_periode", k).unwrap_or_default().to_string())
        .collect();
    assert!(!ikm_kinds.is_empty() && ikm_kinds.iter().all(|k| k == "semester"), "{ikm_kinds:?}");
}

/// The Dinas Kesehatan case study runs on `sample_data/` from its spec: Health Office units and
/// staff only, Puskesmas service, and the planted dokter effect on waiting time in its interval.
#[test]
fn the_health_office_spec_runs_on_sample_data() {
    let s = Scratch::new();
    let root = env!("CARGO_MANIFEST_DIR");
    let out = s.path("laporan").display().to_string();
    let args = [
        "run",
        "--input",
        &format!("{root}/sample_data"),
        "--config",
        &format!("{root}/sample_data/mutasi.toml"),
        "--spec",
        &format!("{root}/reports/dinas-kesehatan.toml"),
        "--out",
        &out,
        "--period",
        "2025-12",
    ];
    let r = run(&args.map(String::from));
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let dir = s.path("laporan/dinas-kesehatan/2025-12");
    for f in [
        "att_gt",
        "aggregates",
        "event_study",
        "unit_effects",
        "ikm_per_unit",
        "movement_units",
        "transfer_windows",
    ] {
        assert!(dir.join(format!("{f}.parquet")).exists(), "{f}");
    }
    assert!(dir.join("cakupan/kinerja.parquet").exists(), "the scoped tables are kept");
    let units = read_table(&dir.join("movement_units.parquet")).expect("movement");
    assert!(texts(&units, "opd").iter().all(|o| o == "Dinas Kesehatan"));
    let ue = read_table(&dir.join("unit_effects.parquet")).expect("unit effects");
    let analyses: BTreeSet<String> = texts(&ue, "analisis").into_iter().collect();
    assert_eq!(
        analyses,
        BTreeSet::from(["kedatangan_dokter".to_string(), "kepala_puskesmas_baru".to_string()])
    );
    assert!(texts(&ue, "jenis_unit").iter().all(|j| j == "Puskesmas"));
    let inds: BTreeSet<String> = texts(&ue, "indikator").into_iter().collect();
    assert_eq!(
        inds,
        BTreeSet::from(["ikm_konversi".into(), "kunjungan".into(), "waktu_tunggu_menit".into()])
    );
    let ikm = read_table(&dir.join("ikm_per_unit.parquet")).expect("ikm");
    assert!(ikm.height() > 0 && texts(&ikm, "unit_id").iter().all(|u| u.starts_with("PKM")));
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("run.json")).expect("run.json"))
            .expect("json");
    assert_eq!(json["laporan"]["nama"], "dinas-kesehatan");
    let agg = read_table(&dir.join("aggregates.parquet")).expect("aggregates");
    let outcomes: BTreeSet<String> = texts(&agg, "outcome").into_iter().collect();
    assert_eq!(outcomes, BTreeSet::from(["capaian_iki".to_string(), "predikat".to_string()]));

    // The spec's `[analysis]` leaves `bootstrap` at its default of 999 draws; `--bootstrap 0`
    // overrides the spec as well as the config file.
    let boot = |dir: &Path| {
        let t = read_table(&dir.join("prepost_summary.parquet")).expect("summary");
        let json: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join("run.json")).expect("run.json"))
                .expect("json");
        let with_interval = floats(&t, "ci_low_bootstrap").iter().filter(|v| v.is_some()).count();
        (json["opsi"]["bootstrap"].as_u64(), with_interval)
    };
    let (draws, intervals) = boot(&dir);
    assert_eq!(draws, Some(999));
    assert!(intervals > 0, "the default draws give percentile intervals");
    let out0 = s.path("tanpa-bootstrap").display().to_string();
    let mut args0: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    let at = args0.iter().position(|a| a == &out).expect("--out");
    args0[at] = out0;
    args0.extend(["--bootstrap".to_string(), "0".to_string()]);
    let r = run(&args0);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert_eq!(boot(&s.path("tanpa-bootstrap/dinas-kesehatan/2025-12")), (Some(0), 0));
}

/// The request funnel and approval rates through `mutasi run` on a hand-made request export.
#[test]
fn transfer_requests_are_summarised() {
    let s = Scratch::with_base();
    s.write(
        "in/kinerja.csv",
        &format!("nip,periode,indikator,nilai,unit_id\n{NIP_A},2024-01,capaian_iki,90,PKM01\n"),
    );
    s.write(
        "in/permohonan.csv",
        &format!(
            "nip,tanggal_pengajuan,status,unit_tujuan_diminta_id,tanggal_keputusan\n\
             {NIP_A},2024-01-05,disetujui,PKM17,2024-02-04\n\
             {NIP_B},2024-01-20,ditolak,PKM01,2024-01-30\n\
             {NIP_C},2024-02-01,diproses,PKM01,\n\
             {NIP_P},2024-02-03,disetujui,PKM17,2024-05-01\n"
        ),
    );
    let (input, out) = (s.path("in").display().to_string(), s.path("out").display().to_string());
    let r = run(&["run", "--input", &input, "--out", &out, "--period", "2024-03"].map(String::from));
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let f = read_table(&s.path("out/2024-03/permohonan_funnel.parquet")).expect("funnel");
    assert_eq!(
        f.names(),
        [
            "periode",
            "opd",
            "diajukan",
            "diputuskan",
            "disetujui",
            "ditolak",
            "belum_diputuskan",
            "hari_median",
            "hari_p90"
        ]
    );
    let total = |c: &str| ints(&f, c).into_iter().flatten().sum::<i64>();
    assert_eq!(total("diajukan"), 4);
    // P's decision in May is after the period: still open in March.
    assert_eq!((total("diputuskan"), total("disetujui"), total("ditolak")), (2, 1, 1));
    let march: i64 = (0..f.height())
        .filter(|k| f.str_at("periode", *k) == Some("2024-03"))
        .filter_map(|k| ints(&f, "belum_diputuskan")[k])
        .sum();
    assert_eq!(march, 2, "C and P are open at the end of March");
    let fair = read_table(&s.path("out/2024-03/permohonan_fairness.parquet")).expect("fairness");
    for col in [
        "dimensi",
        "kelompok",
        "n",
        "disetujui",
        "tingkat_persetujuan",
        "ci_low",
        "ci_high",
        "p_value",
        "ditandai",
    ] {
        assert!(fair.get(col).is_some(), "{col}");
    }
    // Two decided requests: every group is under the small-group threshold, so rates are withheld.
    assert!(floats(&fair, "tingkat_persetujuan").iter().all(Option::is_none));
}

/// Requested transfers are matched to approved requests, and approvals that break the rules are
/// flagged: under 2 years in post, inside the Pilkada window, a PPPK, a CPNS within 10 years.
#[test]
fn request_matching_and_rule_checks() {
    let s = Scratch::with_base();
    s.write(
        "in/kinerja.csv",
        &format!("nip,periode,indikator,nilai,unit_id\n{NIP_A},2024-01,capaian_iki,90,PKM01\n"),
    );
    // A arrived in PKM01 in March 2023; asks for PKM17 (approved Feb 2024), moves there in March.
    // B asks without a destination (approved May 2024, inside the Pilkada window) and is not moved.
    // P (PPPK) is approved in January 2024 and moved to DINKES, which it did not ask for.
    s.write(
        "in/mutasi.csv",
        &format!(
            "nip,tmt,unit_asal_id,unit_tujuan_id,jenis_mutasi\n\
             {NIP_A},2023-03-01,DINKES,PKM01,rotasi\n\
             {NIP_A},2024-03-01,PKM01,PKM17,rotasi\n\
             {NIP_P},2024-02-01,PKM01,DINKES,rotasi\n"
        ),
    );
    s.write(
        "in/permohonan.csv",
        &format!(
            "nip,tanggal_pengajuan,status,unit_tujuan_diminta_id,tanggal_keputusan\n\
             {NIP_A},2024-01-05,disetujui,PKM17,2024-02-04\n\
             {NIP_B},2024-04-20,disetujui,,2024-05-02\n\
             {NIP_P},2024-01-02,disetujui,PKM17,2024-01-10\n"
        ),
    );
    let (input, out) = (s.path("in").display().to_string(), s.path("out").display().to_string());
    // The fixture's kinerja ends before the freshness window: published with --force.
    let r =
        run(&["run", "--input", &input, "--out", &out, "--period", "2024-06", "--force"].map(String::from));
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let m = read_table(&s.path("out/2024-06/permohonan_match.parquet")).expect("match");
    let kinds = texts(&m, "baris");
    let diminta = match m.get("diminta") {
        Some(ColumnData::Bool(v)) => v.clone(),
        other => panic!("{other:?}"),
    };
    let dests = texts(&m, "unit_tujuan_id");
    let tmts: Vec<String> =
        (0..m.height()).map(|k| m.get("tmt").map(|c| c.text(k)).unwrap_or_default()).collect();
    let row =
        |tmt: &str| (0..m.height()).find(|k| tmts[*k] == tmt && kinds[*k] == "mutasi").expect("transfer");
    assert_eq!(diminta[row("2024-03-01")], Some(true), "A's move was requested");
    assert_eq!(diminta[row("2024-02-01")], Some(false), "P asked for PKM17, was moved to DINKES");
    assert_eq!(diminta[row("2023-03-01")], Some(false));
    assert_eq!(dests[row("2024-03-01")], "PKM17");
    let unmatched = kinds.iter().filter(|k| *k == "permohonan_tanpa_mutasi").count();
    assert_eq!(unmatched, 2, "B's and P's approvals have no transfer");
    // The share of requested transfers per year and destination OPD.
    let share = read_table(&s.path("out/2024-06/permohonan_share.parquet")).expect("share");
    let (years, mutasi, diminta) =
        (ints(&share, "tahun"), ints(&share, "mutasi"), ints(&share, "mutasi_diminta"));
    let y2024: Vec<usize> = (0..share.height()).filter(|k| years[*k] == Some(2024)).collect();
    let total = |v: &[Option<i64>]| y2024.iter().filter_map(|k| v[*k]).sum::<i64>();
    assert_eq!((total(&mutasi), total(&diminta)), (2, 1), "two transfers in 2024, A's requested");
    assert_eq!(y2024.iter().filter_map(|k| ints(&share, "disetujui_tanpa_mutasi")[*k]).sum::<i64>(), 2);

    let rules = read_table(&s.path("out/2024-06/permohonan_rules.parquet")).expect("rules");
    assert_eq!(rules.height(), 3);
    let flag = |col: &str| match rules.get(col) {
        Some(ColumnData::Bool(v)) => v.clone(),
        other => panic!("{col}: {other:?}"),
    };
    let decided: Vec<String> = (0..rules.height())
        .map(|k| rules.get("tanggal_keputusan").map(|c| c.text(k)).unwrap_or_default())
        .collect();
    let at = |d: &str| decided.iter().position(|x| x == d).expect("request");
    // A: 11 months in post at the February decision; NIP_A's CPNS year 2015, 9 years before.
    assert_eq!(flag("kurang_2_tahun")[at("2024-02-04")], Some(true));
    assert_eq!(flag("cpns_kurang_10_tahun")[at("2024-02-04")], Some(true));
    assert_eq!(flag("pppk")[at("2024-01-10")], Some(true));
    assert_eq!(flag("pppk")[at("2024-02-04")], Some(false));
    let blackout: Vec<Option<String>> =
        (0..rules.height()).map(|k| rules.str_at("masa_larangan", k).map(String::from)).collect();
    assert!(blackout[at("2024-05-02")].as_deref().is_some_and(|b| b.contains("Pilkada")));
    assert_eq!(blackout[at("2024-02-04")], None);
}

/// Subgroups by training after the transfer: every other transferred employee gets a training
/// starting on the transfer date; the run estimates both groups and their difference with an SE,
/// labelled as an association.
#[test]
fn training_subgroups_and_their_difference() {
    let s = Scratch::new();
    sample(&s, false);
    let mutasi = std::fs::read_to_string(s.path("in/mutasi.csv")).expect("mutasi");
    let mut pelatihan = String::from("nip,tanggal_mulai,jenis,jam_pelajaran\n");
    for (k, line) in mutasi.lines().skip(1).enumerate() {
        let f: Vec<&str> = line.split(',').collect();
        if k % 2 == 0 && f.len() > 2 && f[0].len() == 18 {
            pelatihan.push_str(&format!("{},{},bimbingan,24\n", f[0], f[1]));
        }
    }
    s.write("in/pelatihan.csv", &pelatihan);
    let r = mutasi_run(
        &s,
        "out",
        &["--period", "2025-06", "--outcomes", "capaian_iki", "--subgroups", "pelatihan"],
    );
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let agg = read_table(&s.path("out/2025-06/aggregates.parquet")).expect("aggregates");
    let groups: BTreeSet<String> = texts(&agg, "subgroup").into_iter().collect();
    assert!(groups.contains("pelatihan=ya") && groups.contains("pelatihan=tidak"), "{groups:?}");
    let d = read_table(&s.path("out/2025-06/subgroup_differences.parquet")).expect("differences");
    assert_eq!(d.height(), 1);
    assert_eq!(texts(&d, "dimensi"), ["pelatihan"]);
    let (a, b, diff, se) =
        (floats(&d, "att_a")[0], floats(&d, "att_b")[0], floats(&d, "selisih")[0], floats(&d, "se")[0]);
    let (a, b, diff, se) = (a.expect("a"), b.expect("b"), diff.expect("d"), se.expect("se"));
    assert!((diff - (a - b)).abs() < 1e-12);
    assert!(se > 0.0 && se < 2.0, "{se}");
    assert!(texts(&d, "tafsiran")[0].contains("bukan efek kausal"));
    // No planted training effect here: the difference is within its interval of zero.
    assert!(diff.abs() < 3.0 * se, "difference {diff} (SE {se})");
}

/// `mutasi sample` plants an approval gap (men 75 %, women 55 %) and a mentoring effect; the run
/// finds the gap (each rate's interval holds its planted probability, both groups flagged) and
/// the training difference inside its interval.
#[test]
fn planted_request_gap_and_training_difference_are_recovered() {
    let s = Scratch::new();
    let input = s.path("in").display().to_string();
    let r = run(&["sample", "--seed", "2026", "--out", &input].map(String::from));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = mutasi_run(
        &s,
        "out",
        &["--period", "2025-12", "--outcomes", "capaian_iki", "--subgroups", "pelatihan,diminta"],
    );
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let truth: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(s.path("in/truth.json")).expect("truth"))
            .expect("json");
    let dir = s.path("out/2025-12");
    let fair = read_table(&dir.join("permohonan_fairness.parquet")).expect("fairness");
    let (dims, groups) = (texts(&fair, "dimensi"), texts(&fair, "kelompok"));
    let (lo, hi) = (floats(&fair, "ci_low"), floats(&fair, "ci_high"));
    let flagged = match fair.get("ditandai") {
        Some(ColumnData::Bool(v)) => v.clone(),
        other => panic!("{other:?}"),
    };
    for g in ["L", "P"] {
        let k = (0..fair.height()).find(|k| dims[*k] == "jenis_kelamin" && groups[*k] == g).expect("group");
        let planted = truth["persetujuan_direncanakan"][g].as_f64().expect("planted");
        let (l, h) = (lo[k].expect("lo"), hi[k].expect("hi"));
        assert!(l <= planted && planted <= h, "{g}: planted {planted} outside [{l}, {h}]");
        assert_eq!(flagged[k], Some(true), "{g}: the planted 20-point gap is flagged");
    }
    let diff = read_table(&dir.join("subgroup_differences.parquet")).expect("differences");
    let k = texts(&diff, "dimensi").iter().position(|d| d == "pelatihan").expect("pelatihan row");
    let want = truth["selisih_pelatihan_capaian_iki"].as_f64().expect("truth");
    let (l, h) = (floats(&diff, "ci_low")[k].expect("lo"), floats(&diff, "ci_high")[k].expect("hi"));
    assert!(l <= want && want <= h, "training difference {want} outside [{l}, {h}]");
    assert!(l > 0.0, "the planted mentoring effect is detected");
    let m = read_table(&dir.join("permohonan_match.parquet")).expect("match");
    let requested = match m.get("diminta") {
        Some(ColumnData::Bool(v)) => v.iter().filter(|x| **x == Some(true)).count(),
        other => panic!("{other:?}"),
    };
    assert!(requested > 100, "about 30 % of rotasi follow an approved request: {requested}");
    // The stacked event study has the same subgroups, event by event; trained transfers gain more.
    let es = read_table(&dir.join("event_study.parquet")).expect("event study");
    let (est, sub, e, att) =
        (texts(&es, "estimator"), texts(&es, "subgroup"), ints(&es, "e"), floats(&es, "att"));
    let late = |g: &str| -> f64 {
        let v: Vec<f64> = (0..es.height())
            .filter(|k| est[*k] == "stacked" && sub[*k] == g && e[*k].is_some_and(|x| (6..=12).contains(&x)))
            .filter_map(|k| att[k])
            .collect();
        assert!(!v.is_empty(), "{g}: no stacked rows");
        v.iter().sum::<f64>() / v.len() as f64
    };
    assert!(late("pelatihan=ya") > late("pelatihan=tidak"), "mentoring adds to the stacked effect");
    assert!(sub.iter().any(|g| g == "diminta=ya"));
}

/// SQL summary tables: run in dependency order, written beside the outputs; an unknown table is an
/// error naming file, line and column; a failing check publishes nothing.
#[test]
fn sql_queries_and_checks() {
    let s = Scratch::new();
    sample(&s, false);
    s.write(
        "q/marts/per_jenis.sql",
        "SELECT jenis_mutasi, SUM(n) AS n FROM stg GROUP BY jenis_mutasi ORDER BY jenis_mutasi\n",
    );
    s.write("q/staging/stg.sql", "SELECT jenis_mutasi, COUNT(*) AS n FROM mutasi GROUP BY jenis_mutasi\n");
    s.write("q/checks/no_negative_ikm.sql", "SELECT * FROM ikm_per_unit WHERE ikm < 0\n");
    // Per unit and month, many groups are small: their numbers must not leave the pipeline.
    s.write(
        "q/marts/per_unit_bulan.sql",
        "SELECT unit_tujuan_id, STRFTIME(tmt, '%Y-%m') AS bulan, COUNT(*) AS n_mutasi FROM mutasi GROUP BY unit_tujuan_id, bulan\n",
    );
    let q = s.path("q").display().to_string();
    let r = mutasi_run(
        &s,
        "out",
        &["--period", "2024-12", "--outcomes", "capaian_iki", "--subgroups", "", "--queries", &q],
    );
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let t = read_table(&s.path("out/2024-12/kueri/per_jenis.parquet")).expect("query output");
    assert_eq!(t.names(), ["jenis_mutasi", "n"]);
    assert!(t.height() >= 3);
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(s.path("out/2024-12/run.json")).expect("run.json"))
            .expect("json");
    let names: Vec<&str> =
        json["kueri"].as_array().expect("kueri").iter().filter_map(|k| k["nama"].as_str()).collect();
    assert!(
        names.iter().position(|n| *n == "stg") < names.iter().position(|n| *n == "per_jenis"),
        "{names:?}"
    );
    let small = read_table(&s.path("out/2024-12/kueri/per_unit_bulan.parquet")).expect("per unit");
    let n = ints(&small, "n_mutasi");
    assert!(n.iter().all(|x| x.is_none_or(|x| x >= 5)), "a group below k left the pipeline: {n:?}");
    assert!(n.iter().any(Option::is_none), "the sample has small groups to suppress");
    let entry = json["kueri"]
        .as_array()
        .expect("kueri")
        .iter()
        .find(|k| k["nama"] == "per_unit_bulan")
        .expect("entry");
    assert_eq!(entry["ditekan"].as_u64(), Some(n.iter().filter(|x| x.is_none()).count() as u64));
    let before = std::fs::read(s.path("out/2024-12/kueri/per_jenis.parquet")).expect("published");

    // A check that fails: nothing published, the gate named, the earlier month intact.
    s.write("q/checks/fails.sql", "SELECT * FROM pegawai\n");
    let r = mutasi_run(
        &s,
        "out",
        &["--period", "2024-12", "--outcomes", "capaian_iki", "--subgroups", "", "--queries", &q],
    );
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    let failed: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(s.path("out/2024-12.failed.json")).expect("failed.json"),
    )
    .expect("json");
    assert_eq!(failed["gerbang"], "cek");
    assert!(failed["alasan"].as_str().expect("reason").contains("fails.sql"));
    assert_eq!(std::fs::read(s.path("out/2024-12/kueri/per_jenis.parquet")).expect("kept"), before);

    // An unknown table: a data error with file, line and column.
    std::fs::remove_file(s.path("q/checks/fails.sql")).expect("rm");
    s.write("q/marts/typo.sql", "SELECT *\nFROM mutasii\n");
    let r = mutasi_run(
        &s,
        "out",
        &["--period", "2024-12", "--outcomes", "capaian_iki", "--subgroups", "", "--queries", &q],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("typo.sql:2:6") && r.stderr.contains("mutasii"), "{}", r.stderr);
}
