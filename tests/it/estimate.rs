//! `mutasi estimate` end to end: R `did` numbers through the CLI, bootstrap reproducibility,
//! input formats and clear errors.

use serde_json::Value;

use super::util::*;
use mutasi_io::data::table::{ColumnData, TableData, read_table};

fn mpdta_path() -> String {
    format!("{}/tests/data/validation/mpdta.csv", env!("CARGO_MANIFEST_DIR"))
}

fn reference(config: &str) -> Value {
    let text = std::fs::read_to_string(format!(
        "{}/tests/data/validation/mpdta_did_reference.json",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("reference");
    serde_json::from_str::<Value>(&text).expect("json")[config].clone()
}

fn estimate(s: &Scratch, panel: &str, out: &str, extra: &[&str]) -> Run {
    let mut args: Vec<String> = [
        "estimate",
        "--panel",
        panel,
        "--id",
        "countyreal",
        "--time",
        "year",
        "--cohort",
        "first.treat",
        "--outcome",
        "lemp",
        "--out",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    args.push(s.path(out).display().to_string());
    args.extend(extra.iter().map(|s| s.to_string()));
    run(&args)
}

/// `mutasi estimate` on a small panel with columns id, t, g, y.
fn estimate_small(panel: &std::path::Path, out: &std::path::Path, extra: &[&str]) -> Run {
    let mut args: Vec<String> = [
        "estimate",
        "--panel",
        &panel.display().to_string(),
        "--id",
        "id",
        "--time",
        "t",
        "--cohort",
        "g",
        "--outcome",
        "y",
        "--out",
        &out.display().to_string(),
    ]
    .map(String::from)
    .to_vec();
    args.extend(extra.iter().map(|x| x.to_string()));
    run(&args)
}

/// Generates clean synthetic HR data (`in/`, with `truth.json`) and validates it into `val/`.
fn generated_and_validated(s: &Scratch, employees: &str, months: &str, seed: &str) {
    let p = |x: &str| s.path(x).display().to_string();
    let sample = [
        "sample",
        "--employees",
        employees,
        "--months",
        months,
        "--start",
        "2022-01",
        "--seed",
        seed,
        "--no-bad-rows",
        "--out",
        &p("in"),
    ];
    let r = run(&sample.map(String::from));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = run(&["validate", "--input", &p("in"), "--config", &p("in/mutasi.toml"), "--out", &p("val")]
        .map(String::from));
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
}

fn f64s(t: &TableData, col: &str) -> Vec<Option<f64>> {
    match t.get(col) {
        Some(ColumnData::F64(v)) => v.clone(),
        other => panic!("{col}: {other:?}"),
    }
}

fn i64s(t: &TableData, col: &str) -> Vec<Option<i64>> {
    match t.get(col) {
        Some(ColumnData::I64(v)) => v.clone(),
        other => panic!("{col}: {other:?}"),
    }
}

#[test]
fn cli_reproduces_r_did_on_mpdta() {
    let s = Scratch::new();
    for (config, control) in [("nocov_never_dr_analytic", "never"), ("nocov_notyet_dr_analytic", "notyet")] {
        let r = estimate(&s, &mpdta_path(), control, &["--control", control]);
        assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
        let want = reference(config);
        let t = read_table(&s.path(control).join("att_gt.parquet")).expect("att_gt");
        let (att, se) = (f64s(&t, "att"), f64s(&t, "se"));
        for (k, w) in want["att"].as_array().expect("att").iter().enumerate() {
            assert!((att[k].expect("att") - w.as_f64().expect("n")).abs() < 1e-10, "{config} cell {k}");
            assert!(
                (se[k].expect("se") - want["se"][k].as_f64().expect("n")).abs() < 1e-10,
                "{config} cell {k}"
            );
        }
        assert_eq!(i64s(&t, "group")[0], Some(2004));
        let a = read_table(&s.path(control).join("aggregates.parquet")).expect("aggregates");
        let kinds: Vec<Option<String>> = strings(&a, "type");
        let el = i64s(&a, "element");
        let dyn_overall = kinds
            .iter()
            .zip(&el)
            .position(|(k, e)| k.as_deref() == Some("dynamic") && e.is_none())
            .expect("row");
        let want_dyn = want["aggte"]["dynamic"]["overall_att"].as_f64().expect("n");
        assert!((f64s(&a, "att")[dyn_overall].expect("att") - want_dyn).abs() < 1e-10);
        let json: Value = serde_json::from_str(
            &std::fs::read_to_string(s.path(control).join("estimate.json")).expect("json"),
        )
        .expect("json");
        assert_eq!(json["entities"], 500);
        let p = json["pretest"]["p_value"].as_f64().expect("p");
        assert!((p - want["wald_pvalue"][0][0].as_f64().expect("p")).abs() < 5e-6);
    }
}

#[test]
fn bootstrap_is_seeded_close_to_analytic_and_gives_bands() {
    let s = Scratch::new();
    for out in ["a", "b"] {
        assert_eq!(estimate(&s, &mpdta_path(), out, &["--bootstrap", "999", "--seed", "7"]).code, 0);
    }
    assert_eq!(estimate(&s, &mpdta_path(), "analytic", &[]).code, 0);
    for f in ["att_gt.parquet", "aggregates.parquet", "estimate.json"] {
        assert_eq!(
            std::fs::read(s.path("a").join(f)).expect("a"),
            std::fs::read(s.path("b").join(f)).expect("b"),
            "{f}"
        );
    }
    let boot = read_table(&s.path("a").join("aggregates.parquet")).expect("boot");
    let analytic = read_table(&s.path("analytic").join("aggregates.parquet")).expect("analytic");
    let (bs, an) = (f64s(&boot, "se"), f64s(&analytic, "se"));
    for (b, a) in bs.iter().zip(&an) {
        let (b, a) = (b.expect("b"), a.expect("a"));
        assert!((b / a - 1.0).abs() < 0.2, "bootstrap SE {b} vs analytic {a}");
    }
    // Simultaneous bands are wider than pointwise intervals, with a sup-t critical value near
    // what `did` reports for mpdta (about 2.3–2.8).
    let (lo, blo, att) = (f64s(&boot, "ci_low"), f64s(&boot, "band_low"), f64s(&boot, "att"));
    let kinds = strings(&boot, "type");
    for k in 0..att.len() {
        if kinds[k].as_deref() == Some("dynamic")
            && let Some(bl) = blo[k]
        {
            let crit = (att[k].expect("att") - bl) / bs[k].expect("se");
            assert!((2.0..3.2).contains(&crit), "critical value {crit}");
            assert!(bl <= lo[k].expect("lo"));
        }
    }
    assert!(read_table(&s.path("a").join("att_gt.parquet")).expect("t").get("band_low").is_some());
    // The event study repeats the dynamic elements with their bands, labelled as CS.
    let es = read_table(&s.path("a").join("event_study.parquet")).expect("event study");
    assert_eq!(i64s(&es, "e"), vec![Some(-3), Some(-2), Some(-1), Some(0), Some(1), Some(2), Some(3)]);
    assert_eq!(strings(&es, "estimator")[0].as_deref(), Some("cs"));
    assert!(f64s(&es, "band_low").iter().all(Option::is_some));
}

#[test]
fn low_memory_mode_gives_the_same_numbers() {
    let s = Scratch::new();
    assert_eq!(estimate(&s, &mpdta_path(), "full", &["--bootstrap", "199"]).code, 0);
    let r = estimate(&s, &mpdta_path(), "low", &["--bootstrap", "199", "--low-memory"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // Same numbers up to floating-point summation order.
    let (fa, la) = (
        read_table(&s.path("full").join("aggregates.parquet")).expect("a"),
        read_table(&s.path("low").join("aggregates.parquet")).expect("a"),
    );
    assert_eq!(strings(&fa, "type"), strings(&la, "type"));
    assert_eq!(i64s(&fa, "element"), i64s(&la, "element"));
    for col in ["att", "se", "band_low", "band_high"] {
        for (x, y) in f64s(&fa, col).iter().zip(f64s(&la, col)) {
            match (x, y) {
                (Some(x), Some(y)) => assert!((x - y).abs() < 1e-12, "{col}"),
                (x, y) => assert_eq!(*x, y, "{col}: null in one output only"),
            }
        }
    }
    let (full, low) = (
        read_table(&s.path("full").join("att_gt.parquet")).expect("t"),
        read_table(&s.path("low").join("att_gt.parquet")).expect("t"),
    );
    assert_eq!(f64s(&full, "att"), f64s(&low, "att"));
    assert!(low.get("band_low").is_none(), "no cell band in low-memory mode");
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(s.path("low").join("estimate.json")).expect("json"))
            .expect("json");
    assert!(json["notes"].to_string().contains("memory-saving"));
}

#[test]
fn parquet_panel_with_text_ids_gives_the_same_numbers() {
    let s = Scratch::new();
    let text = std::fs::read_to_string(mpdta_path()).expect("mpdta");
    let (mut id, mut year, mut first, mut y) = (vec![], vec![], vec![], vec![]);
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        year.push(f[0].parse::<i64>().ok());
        id.push(Some(format!("county-{}", f[1])));
        y.push(f[3].parse::<f64>().ok());
        first.push(f[4].parse::<i64>().ok().filter(|g| *g > 0));
    }
    let mut t = TableData::default();
    t.push("countyreal", ColumnData::Str(id));
    t.push("year", ColumnData::I64(year));
    t.push("first.treat", ColumnData::I64(first));
    t.push("lemp", ColumnData::F64(y));
    std::fs::create_dir_all(s.dir.path()).expect("dir");
    mutasi_io::data::table::write_parquet(t, &s.path("mpdta.parquet")).expect("write");
    assert_eq!(estimate(&s, &s.path("mpdta.parquet").display().to_string(), "pq", &[]).code, 0);
    assert_eq!(estimate(&s, &mpdta_path(), "csv", &[]).code, 0);
    let a = f64s(&read_table(&s.path("pq").join("att_gt.parquet")).expect("pq"), "att");
    let b = f64s(&read_table(&s.path("csv").join("att_gt.parquet")).expect("csv"), "att");
    assert_eq!(a, b);
}

#[test]
fn clear_errors() {
    let s = Scratch::new();
    // A missing column names the file and lists the columns.
    let r = run(&[
        "estimate",
        "--panel",
        &mpdta_path(),
        "--id",
        "county",
        "--time",
        "year",
        "--cohort",
        "first.treat",
        "--outcome",
        "lemp",
        "--out",
        &s.path("x").display().to_string(),
    ]
    .map(String::from));
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("mpdta.csv") && r.stderr.contains("`county`") && r.stderr.contains("countyreal"),
        "{}",
        r.stderr
    );
    // No treated entity: an error, not NaN.
    s.write("none.csv", "id,t,g,y\n1,1,0,1.0\n1,2,0,2.0\n2,1,0,1.5\n2,2,0,2.5\n");
    let r = estimate_small(&s.path("none.csv"), &s.path("y"), &[]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("no treated entity"), "{}", r.stderr);
    // A bad value names row, column and value.
    s.write("bad.csv", "id,t,g,y\n1,1,0,1.0\n1,2,0,abc\n");
    let r = estimate_small(&s.path("bad.csv"), &s.path("z"), &[]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("baris 3") && r.stderr.contains("`y`") && r.stderr.contains("abc"),
        "{}",
        r.stderr
    );
    // An unbalanced panel is estimated as it is by default; --balanced drops incomplete entities.
    s.write("unb.csv", "id,t,g,y,x\n1,1,0,1.0,1\n1,2,0,2.0,1\n2,1,2,1.5,2\n2,2,2,2.5,2\n3,1,0,1.0,3\n4,1,2,1.2,1\n4,2,2,2.9,1\n5,2,0,2.2,2\n");
    let r = estimate_small(&s.path("unb.csv"), &s.path("u"), &[]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(s.path("u").join("estimate.json")).expect("json"))
            .expect("json");
    assert_eq!(json["entities"], 5);
    assert!(json["notes"].to_string().contains("unbalanced"), "{json}");
    assert_eq!(estimate_small(&s.path("unb.csv"), &s.path("u"), &["--balanced"]).code, 0);
}

/// Covariates on a panel with gaps, through the CLI: the repeated-cross-section doubly robust
/// ATT(g,t) equal moderndid's `drdid_rc` on the same observations.
#[test]
fn covariates_with_gaps_match_the_reference_cells() {
    let s = Scratch::new();
    let text = std::fs::read_to_string(mpdta_path()).expect("mpdta");
    let mut lines = text.lines();
    let mut gapped = format!("{}\n", lines.next().expect("header"));
    for (k, line) in lines.enumerate() {
        if k % 9 != 4 {
            gapped.push_str(line);
            gapped.push('\n');
        }
    }
    s.write("gapped.csv", &gapped);
    let r = estimate(&s, &s.path("gapped.csv").display().to_string(), "g", &["--covariates", "lpop"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let reference: Value = serde_json::from_str(
        &std::fs::read_to_string(format!(
            "{}/tests/data/validation/mpdta_moderndid_reference.json",
            env!("CARGO_MANIFEST_DIR")
        ))
        .expect("reference"),
    )
    .expect("json");
    let t = read_table(&s.path("g").join("att_gt.parquet")).expect("att_gt");
    let (groups, times, att) = (i64s(&t, "group"), i64s(&t, "time"), f64s(&t, "att"));
    let mut checked = 0;
    for c in reference["rcs_cells_lpop"].as_array().expect("cells").iter().filter(|c| c["method"] == "dr") {
        let (g, time) = (c["group"].as_i64(), c["t"].as_i64());
        let k = (0..t.height()).find(|k| groups[*k] == g && times[*k] == time).expect("cell");
        let (got, want) = (att[k].expect("att"), c["att"].as_f64().expect("att"));
        assert!((got - want).abs() < 1e-8, "ATT({g:?},{time:?}): {got} vs moderndid {want}");
        checked += 1;
    }
    assert_eq!(checked, 2);
}

/// The whole chain on generated data: the estimate recovers the planted effect of first
/// transfers on `capaian_iki`, and the event-study pre-trend test does not reject.
#[test]
fn recovers_the_planted_effect_from_generated_hr_data() {
    let s = Scratch::new();
    let p = |x: &str| s.path(x).display().to_string();
    generated_and_validated(&s, "3000", "36", "5");
    let r =
        run(&["panel", "--validated", &p("val"), "--indikator", "capaian_iki", "--out", &p("panel.parquet")]
            .map(String::from));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = run(&[
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
        "--min-e",
        "-12",
        "--max-e",
        "11",
        "--out",
        &p("est"),
    ]
    .map(String::from));
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);

    let truth: Value =
        serde_json::from_str(&std::fs::read_to_string(s.path("in/truth.json")).expect("truth"))
            .expect("json");
    let planted: Vec<(i64, f64)> = truth["att_capaian_iki_transfer_pertama"]
        .as_array()
        .expect("list")
        .iter()
        .map(|p| (p["e"].as_i64().expect("e"), p["att"].as_f64().expect("att")))
        .filter(|(e, _)| (0..=11).contains(e))
        .collect();
    let truth_mean = planted.iter().map(|(_, a)| a).sum::<f64>() / planted.len() as f64;

    let a = read_table(&s.path("est").join("aggregates.parquet")).expect("aggregates");
    let (kinds, el, att, se) = (strings(&a, "type"), i64s(&a, "element"), f64s(&a, "att"), f64s(&a, "se"));
    let row = |e: Option<i64>| {
        kinds.iter().zip(&el).position(|(k, x)| k.as_deref() == Some("dynamic") && *x == e).expect("row")
    };
    let overall = row(None);
    let (est, sd) = (att[overall].expect("att"), se[overall].expect("se"));
    assert!((est - truth_mean).abs() < 2.5 * sd, "dynamic ATT {est} (SE {sd}) vs planted {truth_mean}");
    // Every post-period event time within 3 SE of its planted value; pre-periods near zero.
    for (e, want) in &planted {
        let k = row(Some(*e));
        let (got, sd) = (att[k].expect("att"), se[k].expect("se"));
        assert!((got - want).abs() < 3.0 * sd, "e = {e}: {got} (SE {sd}) vs planted {want}");
    }
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(s.path("est").join("estimate.json")).expect("json"))
            .expect("json");
    assert!(json["pretest_event_study"]["p_value"].as_f64().expect("p") > 0.05);

    // The stacked event study uses every transfer; in 36 months nearly all are first transfers, so
    // it recovers the same planted path, and finds nothing before the transfer.
    let r = run(&[
        "stacked",
        "--validated",
        &p("val"),
        "--indikator",
        "capaian_iki",
        "--pre",
        "6",
        "--post",
        "9",
        "--out",
        &p("st"),
    ]
    .map(String::from));
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let st = read_table(&s.path("st").join("event_study.parquet")).expect("event study");
    let (es, att, se) = (i64s(&st, "e"), f64s(&st, "att"), f64s(&st, "se"));
    assert_eq!(strings(&st, "estimator")[0].as_deref(), Some("stacked"));
    for k in 0..st.height() {
        let (e, got, sd) = (es[k].expect("e"), att[k].expect("att"), se[k].expect("se"));
        let want = if e < 0 { 0.0 } else { planted.iter().find(|(x, _)| *x == e).map_or(0.0, |(_, a)| *a) };
        assert!((got - want).abs() < 3.0 * sd, "stacked e = {e}: {got} (SE {sd}) vs planted {want}");
    }
}

/// Descriptive before/after windows: the documented window rules, planted signs by jenis_mutasi,
/// and small groups suppressed.
#[test]
fn prepost_windows_follow_their_rules() {
    let s = Scratch::new();
    let p = |x: &str| s.path(x).display().to_string();
    generated_and_validated(&s, "1500", "36", "9");
    let r =
        run(&["prepost", "--validated", &p("val"), "--min-group", "40", "--out", &p("pp")].map(String::from));
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("DESKRIPTIF, BUKAN KAUSAL"));
    let w = read_table(&s.path("pp").join("transfer_windows.parquet")).expect("windows");
    let (npre, npost, delta) = (i64s(&w, "n_pre"), i64s(&w, "n_post"), f64s(&w, "delta"));
    assert!(w.height() > 100);
    for k in 0..w.height() {
        let ok = npre[k].expect("n") >= 3 && npost[k].expect("n") >= 3;
        assert_eq!(delta[k].is_some(), ok, "row {k}: validity must follow the 3-month minimum");
        assert!(npre[k].expect("n") <= 6 && npost[k].expect("n") <= 6);
    }
    let t = read_table(&s.path("pp").join("prepost_summary.parquet")).expect("summary");
    let (ind, dim, grp, mean, n) = (
        strings(&t, "indikator"),
        strings(&t, "dimensi"),
        strings(&t, "kelompok"),
        f64s(&t, "rata_delta"),
        i64s(&t, "n_mutasi"),
    );
    let sup = match t.get("ditekan") {
        Some(ColumnData::Bool(v)) => v.clone(),
        other => panic!("{other:?}"),
    };
    let get = |g: &str| {
        (0..t.height())
            .find(|k| {
                ind[*k].as_deref() == Some("capaian_iki")
                    && dim[*k].as_deref() == Some("jenis_mutasi")
                    && grp[*k].as_deref() == Some(g)
            })
            .expect("row")
    };
    assert!(mean[get("rotasi")].expect("rotasi") > 0.0);
    for k in 0..t.height() {
        assert_eq!(sup[k], Some(n[k].expect("n") < 40), "suppression follows --min-group");
        assert_eq!(mean[k].is_none(), sup[k] == Some(true));
    }
}

/// `mutasi panel --standardize`: z-scores within unit and month have mean 0 overall, and the
/// dropped values are reported.
#[test]
fn standardized_panel_is_centred() {
    let s = Scratch::new();
    let p = |x: &str| s.path(x).display().to_string();
    generated_and_validated(&s, "600", "24", "4");
    let r = run(&[
        "panel",
        "--validated",
        &p("val"),
        "--indikator",
        "capaian_iki",
        "--standardize",
        "--out",
        &p("z.parquet"),
    ]
    .map(String::from));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("dibuang"), "{}", r.stdout);
    let t = read_table(&s.path("z.parquet")).expect("panel");
    let v: Vec<f64> = f64s(&t, "nilai").into_iter().flatten().collect();
    let mean = v.iter().sum::<f64>() / v.len() as f64;
    let sd = (v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / v.len() as f64).sqrt();
    assert!(mean.abs() < 1e-9, "mean {mean}");
    assert!((0.85..=1.0).contains(&sd), "sd {sd}");
    // Unknown indicators are a clear error listing the ones present.
    let r = run(&["panel", "--validated", &p("val"), "--indikator", "gaji", "--out", &p("x.parquet")]
        .map(String::from));
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("capaian_iki"), "{}", r.stderr);
}
