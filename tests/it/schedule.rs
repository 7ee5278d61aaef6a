//! Unattended monthly runs (the real binary on generated data): identical hashes on a re-run, the
//! manifest checked against an independent Parquet reader, every gate failing on a fixture made to
//! fail it (and `--force`), `--backfill`, two concurrent runs, runs killed with SIGKILL at points
//! spread over the stages, `mutasi init`, and settings from the environment and the config file.

use std::collections::BTreeMap;
use std::fs::File;
use std::path::Path;
use std::process::Stdio;
use std::time::Instant;

use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

use super::util::*;

/// Generated exports (800 employees, January 2023 – June 2025) in `in/`.
fn sample(s: &Scratch) {
    let input = s.path("in").display().to_string();
    let r = run(&[
        "sample",
        "--employees",
        "800",
        "--months",
        "30",
        "--start",
        "2023-01",
        "--seed",
        "9",
        "--no-bad-rows",
        "--out",
        &input,
    ]
    .map(String::from));
    assert_eq!(r.code, 0, "{}", r.stderr);
}

fn args(s: &Scratch, out: &str, extra: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = ["run", "--input"].map(String::from).to_vec();
    v.push(s.path("in").display().to_string());
    v.extend(["--config".to_string(), s.path("in/mutasi.toml").display().to_string()]);
    v.extend(["--out".to_string(), s.path(out).display().to_string()]);
    v.extend(extra.iter().map(|x| x.to_string()));
    v
}

fn mutasi(s: &Scratch, out: &str, extra: &[&str]) -> Run {
    run(&args(s, out, extra))
}

fn manifest(dir: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).expect("manifest.json"))
        .expect("json")
}

/// (file, hash) of every output the manifest lists.
fn hashes(m: &serde_json::Value) -> BTreeMap<String, String> {
    m["keluaran"]
        .as_array()
        .expect("keluaran")
        .iter()
        .map(|f| {
            (f["berkas"].as_str().unwrap_or("").to_string(), f["blake3"].as_str().unwrap_or("").to_string())
        })
        .collect()
}

/// The folder holds exactly the files its manifest lists, each with its hash.
fn intact(dir: &Path) -> Result<(), String> {
    let m = manifest(dir);
    let listed = hashes(&m);
    for (f, h) in &listed {
        let bytes = std::fs::read(dir.join(f)).map_err(|e| format!("{f}: {e}"))?;
        if blake3::hash(&bytes).to_hex().to_string() != *h {
            return Err(format!("{f}: hash differs from the manifest"));
        }
    }
    let mut on_disk = Vec::new();
    fn walk(base: &Path, d: &Path, out: &mut Vec<String>) {
        for e in std::fs::read_dir(d).expect("ls").flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(base, &p, out);
            } else if let Ok(rel) = p.strip_prefix(base) {
                out.push(rel.to_string_lossy().to_string());
            }
        }
    }
    walk(dir, dir, &mut on_disk);
    on_disk.retain(|f| f != "manifest.json");
    on_disk.sort();
    let listed: Vec<String> = listed.into_keys().collect();
    if on_disk != listed {
        return Err(format!("files on disk differ from the manifest: {} vs {}", on_disk.len(), listed.len()));
    }
    Ok(())
}

fn entries(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .map(|r| r.flatten().map(|e| e.file_name().to_string_lossy().to_string()).collect())
        .unwrap_or_default();
    v.sort();
    v
}

/// Same inputs and config twice: the same output hashes, every file byte-identical except the
/// manifest, whose inputs, config, stages and gates are all recorded.
#[test]
fn a_month_twice_gives_identical_hashes_and_a_complete_manifest() {
    let s = Scratch::new();
    sample(&s);
    for out in ["a", "b"] {
        let r = mutasi(&s, out, &["--period", "2025-03"]);
        assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    }
    let (a, b) = (s.path("a/2025-03"), s.path("b/2025-03"));
    let (ma, mb) = (manifest(&a), manifest(&b));
    assert_eq!(hashes(&ma), hashes(&mb), "output hashes differ between two identical runs");
    intact(&a).expect("a matches its manifest");
    // The manifest: inputs with hashes and row counts, config, version, stages, gates.
    let inputs = ma["masukan"].as_array().expect("masukan");
    let pegawai = inputs
        .iter()
        .find(|i| i["berkas"].as_str().is_some_and(|b| b.ends_with("pegawai.csv")))
        .expect("pegawai.csv");
    let bytes = std::fs::read(s.path("in/pegawai.csv")).expect("pegawai.csv");
    assert_eq!(pegawai["blake3"], blake3::hash(&bytes).to_hex().to_string());
    assert_eq!(pegawai["ukuran"], bytes.len() as u64);
    assert!(pegawai["baris_dibaca"].as_u64().is_some_and(|n| n > 0));
    assert!(
        inputs.iter().any(|i| i["berkas"].as_str().is_some_and(|b| b.ends_with("mutasi.toml"))),
        "the config is an input"
    );
    assert_eq!(ma["konfigurasi"]["gates"]["volume_band"], 0.5);
    assert_eq!(ma["versi"], env!("CARGO_PKG_VERSION"));
    let stages: Vec<&str> =
        ma["tahap"].as_array().expect("tahap").iter().filter_map(|t| t["tahap"].as_str()).collect();
    assert_eq!(
        stages,
        [
            "validasi",
            "gerbang",
            "analisis",
            "analisis/deskriptif",
            "analisis/panel",
            "analisis/estimator",
            "analisis/kueri",
            "analisis/laporan",
            "manifest"
        ]
    );
    // The parts of the analyses that run one after another add up to no more than the stage
    // that holds them; the descriptive part runs beside the panels and estimators, and is no
    // longer than the stage either.
    let seconds = |name: &str| {
        ma["tahap"]
            .as_array()
            .expect("tahap")
            .iter()
            .find(|t| t["tahap"] == name)
            .and_then(|t| t["detik"].as_f64())
    };
    let parts: f64 = ["panel", "estimator", "kueri", "laporan"]
        .iter()
        .filter_map(|p| seconds(&format!("analisis/{p}")))
        .sum();
    let total = seconds("analisis").expect("analisis");
    assert!(parts > 0.0 && parts <= total + 0.01, "{parts} of {total}");
    let descriptive = seconds("analisis/deskriptif").expect("deskriptif");
    assert!(descriptive > 0.0 && descriptive <= total + 0.01, "{descriptive} of {total}");
    let gates: Vec<&str> =
        ma["gerbang"].as_array().expect("gerbang").iter().filter_map(|g| g["nama"].as_str()).collect();
    assert_eq!(gates, ["rasio_tolak", "kesegaran", "volume", "cek"]);
    assert_eq!(ma["dipaksa"], false);
}

/// Every Parquet file a run writes is read by the Apache implementation with the schema and the
/// row count its manifest records.
#[test]
fn apache_arrow_reads_every_output_as_the_manifest_says() {
    let s = Scratch::new();
    sample(&s);
    let r = mutasi(&s, "out", &["--period", "2025-03"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let dir = s.path("out/2025-03");
    let m = manifest(&dir);
    let mut checked = 0;
    for f in m["keluaran"].as_array().expect("keluaran") {
        let name = f["berkas"].as_str().expect("berkas");
        if !name.ends_with(".parquet") {
            continue;
        }
        let builder =
            ParquetRecordBatchReaderBuilder::try_new(File::open(dir.join(name)).expect(name)).expect(name);
        let fields: Vec<String> = builder.schema().fields().iter().map(|f| f.name().clone()).collect();
        let rows = builder.metadata().file_metadata().num_rows();
        let expected: Vec<String> = f["kolom"]
            .as_array()
            .expect("kolom")
            .iter()
            .filter_map(|c| c.as_str().map(String::from))
            .collect();
        assert_eq!(fields, expected, "{name}: columns");
        assert_eq!(rows as u64, f["baris"].as_u64().expect("baris"), "{name}: rows");
        let read: usize = builder.build().expect(name).map(|b| b.expect(name).num_rows()).sum();
        assert_eq!(read as i64, rows, "{name}: every row decodes");
        checked += 1;
    }
    assert!(checked >= 30, "only {checked} Parquet files");
}

fn failed_gate(root: &Path, period: &str) -> String {
    let f: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root.join(format!("{period}.failed.json"))).expect("failed.json"),
    )
    .expect("json");
    f["gerbang"].as_str().unwrap_or("").to_string()
}

/// Freshness, volume and checks each fail on a fixture made to fail them (the reject-rate gate is
/// `run::too_many_rejects_publish_nothing_and_say_why`); the previous month stays published;
/// `--force` publishes with the warning in the manifest.
#[test]
fn each_gate_fails_on_its_fixture_and_force_publishes_with_a_warning() {
    let s = Scratch::new();
    sample(&s);
    let r = mutasi(&s, "out", &["--period", "2025-02"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let before = hashes(&manifest(&s.path("out/2025-02")));

    // Freshness: kinerja ends in June 2025, three months before September minus a lag of 2.
    let r = mutasi(&s, "out", &["--period", "2025-09"]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert_eq!(failed_gate(&s.path("out"), "2025-09"), "kesegaran");
    assert!(!s.path("out/2025-09").exists());

    // Volume: a kinerja export cut to a fifth of its rows.
    let cut = Scratch::new();
    for e in std::fs::read_dir(s.path("in")).expect("ls").flatten() {
        let name = e.file_name().to_string_lossy().to_string();
        let text = std::fs::read(e.path()).expect("read");
        let text = if name.starts_with("kinerja") {
            let t = String::from_utf8_lossy(&text).to_string();
            let lines: Vec<&str> = t.lines().collect();
            let keep = 1 + (lines.len() - 1) / 5;
            (lines[..keep].join("\n") + "\n").into_bytes()
        } else {
            text
        };
        cut.write_bytes(&format!("in/{name}"), &text);
    }
    let mut a = args(&cut, "x", &["--period", "2025-03"]);
    let out_pos = a.iter().position(|x| x == "--out").expect("--out") + 1;
    a[out_pos] = s.path("out").display().to_string();
    let r = run(&a);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert_eq!(failed_gate(&s.path("out"), "2025-03"), "volume");
    assert!(r.stderr.contains("kinerja"), "{}", r.stderr);

    // Checks: a data test that returns rows.
    let q = s.path("q/checks");
    std::fs::create_dir_all(&q).expect("mkdir");
    std::fs::write(q.join("selalu_gagal.sql"), "SELECT pegawai_id FROM pegawai LIMIT 2\n").expect("sql");
    let qdir = s.path("q").display().to_string();
    let r = mutasi(&s, "out", &["--period", "2025-03", "--queries", &qdir]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert_eq!(failed_gate(&s.path("out"), "2025-03"), "cek");

    // The previous month is untouched by the three failures.
    assert_eq!(hashes(&manifest(&s.path("out/2025-02"))), before);
    intact(&s.path("out/2025-02")).expect("2025-02 intact");

    // --force publishes the failing month, and says so.
    let r = mutasi(&s, "out", &["--period", "2025-03", "--queries", &qdir, "--force"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let m = manifest(&s.path("out/2025-03"));
    assert_eq!(m["dipaksa"], true);
    assert!(m["peringatan"][0].as_str().is_some_and(|w| w.contains("cek")), "{}", m["peringatan"]);
    assert!(!s.path("out/2025-03.failed.json").exists(), "a published month has no failed.json");
}

/// `--backfill` runs a range in order; each month's volume gate compares with the one before.
#[test]
fn backfill_publishes_every_month_of_the_range() {
    let s = Scratch::new();
    sample(&s);
    let r = mutasi(&s, "out", &["--backfill", "2025-01..2025-03"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let root = s.path("out");
    assert_eq!(entries(&root), [".mutasi.lock", "2025-01", "2025-02", "2025-03"]);
    for p in ["2025-01", "2025-02", "2025-03"] {
        intact(&root.join(p)).expect(p);
    }
    let volume = &manifest(&root.join("2025-03"))["gerbang"][2];
    assert!(volume["keterangan"].as_str().is_some_and(|k| k.contains("2025-02")), "{volume}");
    let bad = mutasi(&s, "out", &["--backfill", "2025-03..2025-01"]);
    assert_eq!(bad.code, 2, "a reversed range is a usage error");
}

/// Two runs on one output folder at once: the second, started while the first is writing,
/// refuses with a clear message; the first publishes a complete month.
#[test]
fn two_concurrent_runs_do_not_corrupt_each_other() {
    let s = Scratch::new();
    sample(&s);
    let spawn = || {
        mutasi_cmd()
            .args(args(&s, "out", &["--period", "2025-03"]))
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn")
    };
    let first = spawn();
    // Wait until the first run is writing its staging folder (it holds the lock by then).
    let t0 = Instant::now();
    while !entries(&s.path("out")).iter().any(|n| n.starts_with(".2025-03.tmp-")) {
        assert!(t0.elapsed().as_secs() < 20, "the first run never started writing");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let second = spawn().wait_with_output().expect("second");
    let first = first.wait_with_output().expect("first");
    assert_eq!(first.status.code(), Some(0), "{}", String::from_utf8_lossy(&first.stderr));
    assert_eq!(second.status.code(), Some(2), "{}", String::from_utf8_lossy(&second.stdout));
    let why = String::from_utf8_lossy(&second.stderr);
    assert!(why.contains("another run") && why.contains(".mutasi.lock"), "the refused run says why: {why}");
    intact(&s.path("out/2025-03")).expect("the published month is complete");
}

/// A run killed with SIGKILL at twelve points spread over its stages leaves the published month
/// exactly as it was and nothing under its name; the next run cleans up and succeeds.
#[test]
fn runs_killed_at_any_point_leave_the_published_month_intact() {
    let s = Scratch::new();
    sample(&s);
    let t0 = Instant::now();
    let r = mutasi(&s, "out", &["--period", "2025-03"]);
    let full = t0.elapsed();
    assert_eq!(r.code, 0, "{}", r.stderr);
    let root = s.path("out");
    let published = hashes(&manifest(&root.join("2025-03")));
    let trials = 12;
    for k in 0..trials {
        // From the first milliseconds (validation) to the end (manifest and publication).
        let delay = full.mul_f64(0.02 + 1.1 * k as f64 / trials as f64);
        let mut child = mutasi_cmd()
            .args(args(&s, "out", &["--period", "2025-03"]))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn");
        std::thread::sleep(delay);
        let _ = child.kill(); // SIGKILL on Unix
        let _ = child.wait();
        intact(&root.join("2025-03")).unwrap_or_else(|e| panic!("trial {k} ({delay:?}): {e}"));
        assert_eq!(hashes(&manifest(&root.join("2025-03"))), published, "trial {k}: the month changed");
        let names = entries(&root);
        assert!(
            names.iter().all(|n| n == "2025-03" || n == ".mutasi.lock" || n.starts_with(".2025-03.tmp-")),
            "trial {k}: unexpected entries {names:?}"
        );
    }
    let r = mutasi(&s, "out", &["--period", "2025-03"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(entries(&root), [".mutasi.lock", "2025-03"], "the killed runs' staging folders are removed");
    intact(&root.join("2025-03")).expect("intact");
}

/// `mutasi init` writes a config that a run accepts; settings come from the flag, then the
/// environment, then the file.
#[test]
fn init_and_settings_from_file_and_environment() {
    let s = Scratch::new();
    sample(&s);
    let cfg = s.path("etc/mutasi.toml");
    let cfg_s = cfg.display().to_string();
    let r = run(&["init".to_string(), "--out".into(), cfg_s.clone()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let again = run(&["init".to_string(), "--out".into(), cfg_s.clone()]);
    assert_eq!(again.code, 2, "an existing file is not overwritten");
    // input and out from the file, relative to it; reject rate from the sample's needs.
    let text = std::fs::read_to_string(&cfg).expect("config");
    let text = text
        .replace("# input = \"/data/bkpsdm/ekspor\"", "input = \"../in\"")
        .replace("# out = \"/data/mutasi\"", "out = \"../dari-berkas\"")
        .replace("max_reject_rate = 0.0", "max_reject_rate = 0.01")
        .replace("# period = \"2026-10\"", "period = \"2025-03\"")
        .replace("# nip_crosswalk = \"nip_crosswalk.csv\"", "nip_crosswalk = \"nip_crosswalk.csv\"")
        .replace(
            "\nreports = []",
            &format!("\nreports = [\"{}\"]", concat!(env!("CARGO_MANIFEST_DIR"), "/reports/bulanan.toml")),
        );
    std::fs::write(&cfg, text).expect("write");
    // input, out, period and reports all from the file.
    let r = run(&["run".to_string(), "--config".into(), cfg_s.clone()]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(s.path("dari-berkas/2025-03/manifest.json").exists(), "out from the file");
    // The config's report specs are part of the month, in its manifest.
    let page = s.path("dari-berkas/2025-03/laporan/bulanan/report.html");
    assert!(page.exists(), "the monthly report of run.reports");
    assert!(r.stdout.contains(&page.display().to_string()), "{}", r.stdout);
    let listed = hashes(&manifest(&s.path("dari-berkas/2025-03")));
    assert!(listed.contains_key("laporan/bulanan/report.xlsx"), "report files are in the manifest");
    // The environment beats the file, the flag beats the environment.
    let env_run = |extra: &[&str]| {
        let mut cmd = mutasi_cmd();
        cmd.args(["run", "--config", &cfg_s, "--period", "2025-03"]).args(extra);
        cmd.env("MUTASI_OUT", s.path("dari-env")).env_remove("MUTASI_PSEUDONYM_KEY");
        cmd.output().expect("run")
    };
    assert!(env_run(&[]).status.success());
    assert!(s.path("dari-env/2025-03/manifest.json").exists(), "MUTASI_OUT over the file");
    let flag = s.path("dari-flag").display().to_string();
    assert!(env_run(&["--out", &flag]).status.success());
    assert!(s.path("dari-flag/2025-03/manifest.json").exists(), "--out over MUTASI_OUT");
    // Without input anywhere: a usage error that says where to set it.
    let r = run(&["run".to_string(), "--out".into(), s.path("x").display().to_string()]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("MUTASI_INPUT"), "{}", r.stderr);
}

/// `--on-failure` runs its command with the failure summary on stdin.
#[test]
fn on_failure_receives_the_summary() {
    let s = Scratch::new();
    sample(&s);
    let log = s.path("gagal.json");
    let cmd = format!("cat > {}", log.display());
    let r = mutasi(&s, "out", &["--period", "2025-09", "--on-failure", &cmd, "--log-format", "json"]);
    assert_eq!(r.code, 1);
    // Logs for a collector: every stderr line one JSON object; the refusal is an error event.
    let events: Vec<serde_json::Value> = r
        .stderr
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect();
    assert!(
        events
            .iter()
            .any(|e| e["level"] == "ERROR" && e["message"].as_str().is_some_and(|m| m.contains("kinerja"))),
        "{}",
        r.stderr
    );
    assert!(events.iter().any(|e| e["tahap"] == "validasi"), "stage timings are logged");
    // -q: errors only.
    let quiet = mutasi(&s, "out", &["--period", "2025-09", "-q"]);
    assert_eq!(quiet.code, 1);
    assert!(!quiet.stderr.contains("INFO") && quiet.stderr.contains("ERROR"), "{}", quiet.stderr);
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&log).expect("hook ran")).expect("json");
    assert_eq!(summary["gerbang"], "kesegaran");
    assert_eq!(summary["periode"], "2025-09");
}
