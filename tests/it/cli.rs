//! The CLI contract: exit codes, messages that name the file, and no partial output.

use super::util::*;
use mutasi_io::data::table::read_table;

fn clean_kinerja() -> String {
    format!("nip,periode,indikator,nilai\n{NIP_A},2024-01,capaian_iki,88.5\n{NIP_B},2024-01,capaian_iki,91\n")
}

#[test]
fn clean_data_exits_0_and_says_where_outputs_went() {
    let s = Scratch::with_base();
    s.write("in/kinerja.csv", &clean_kinerja());
    let r = s.validate(&[]);
    assert_eq!(r.code, 0, "stdout: {}\nstderr: {}", r.stdout, r.stderr);
    assert!(r.stdout.contains(&s.out().display().to_string()), "{}", r.stdout);
    assert!(r.stdout.contains("LULUS / PASS"));
    for f in [
        "pegawai.parquet",
        "unit_kerja.parquet",
        "kinerja.parquet",
        "rejects.parquet",
        "rejects.csv",
        "reconciliation.parquet",
        "ringkasan.json",
    ] {
        assert!(s.out().join(f).is_file(), "{f} missing");
    }
    assert!(rejects(&s).is_empty());
}

#[test]
fn rejected_rows_exit_1_unless_within_the_configured_rate() {
    let s = Scratch::with_base();
    s.write("in/kinerja.csv", &format!("{}{NIP_A},2024-02,capaian_iki,abc\n", clean_kinerja()));
    let r = s.validate(&[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stdout.contains("GAGAL / FAIL"));
    // The outputs are still written, so the rejects can be read and fixed.
    assert_eq!(rejects(&s).len(), 1);

    s.write("cfg.toml", "[validate]\nmax_reject_rate = 0.2\n");
    let r = s.validate(&["--config", &s.path("cfg.toml").display().to_string()]);
    assert_eq!(r.code, 0, "1 of 10 rows rejected is within 20 %: {}", r.stdout);
}

#[test]
fn unreadable_file_exits_1_names_the_file_and_writes_nothing() {
    let s = Scratch::with_base();
    s.write_bytes("in/kinerja.csv", b"PK\x03\x04\x14\x00\x00\x00binary");
    let r = s.validate(&[]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("kinerja.csv"), "{}", r.stderr);
    assert!(r.stderr.contains("hint:"), "{}", r.stderr);
    assert!(!s.out().exists(), "no partial output");
}

#[test]
fn missing_required_column_is_one_clear_message() {
    let s = Scratch::with_base();
    s.write("in/mutasi.csv", &format!("nip,unit_tujuan_id\n{NIP_A},PKM17\n"));
    let r = s.validate(&[]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("mutasi.csv") && r.stderr.contains("`tmt`"), "{}", r.stderr);
    assert!(r.stderr.contains("[tables.mutasi.aliases]"), "hint names the config key: {}", r.stderr);
    assert!(!s.out().exists());
}

#[test]
fn usage_and_config_errors_exit_2() {
    let s = Scratch::with_base();
    let r = run(&[
        "validate".into(),
        "--input".into(),
        s.path("nowhere").display().to_string(),
        "--out".into(),
        s.out().display().to_string(),
    ]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    s.write("bad.toml", "[validate]\nmax_rejct_rate = 0.1\n");
    let r = s.validate(&["--config", &s.path("bad.toml").display().to_string()]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("bad.toml"), "{}", r.stderr);
    let r = run(&["validate".into()]);
    assert_eq!(r.code, 2);
    let r = run(&["frobnicate".into()]);
    assert_eq!(r.code, 2);
}

#[test]
fn output_folder_with_foreign_files_is_not_overwritten() {
    let s = Scratch::with_base();
    s.write("out/thesis.docx", "precious");
    let r = s.validate(&[]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(s.path("out/thesis.docx").exists());
    // A folder written by an earlier run is replaced.
    std::fs::remove_file(s.path("out/thesis.docx")).expect("rm");
    assert_eq!(s.validate(&[]).code, 0);
    assert_eq!(s.validate(&[]).code, 0);
}

#[test]
fn identities_only_when_asked() {
    let s = Scratch::with_base();
    s.write("in/kinerja.csv", &clean_kinerja());
    assert_eq!(s.validate(&[]).code, 0);
    let peg = table(&s, "pegawai");
    let names: Vec<String> = peg.names().iter().map(|c| c.to_string()).collect();
    assert!(!names.contains(&"nip".to_string()) && !names.contains(&"nama".to_string()), "{names:?}");
    let ids = strings(&peg, "pegawai_id");
    assert!(ids.iter().all(|i| i.as_deref().is_some_and(|i| i.starts_with('P') && i.len() == 17)));
    let all_bytes = std::fs::read(s.out().join("kinerja.parquet")).expect("read");
    assert!(
        !all_bytes.windows(NIP_A.len()).any(|w| w == NIP_A.as_bytes()),
        "NIP leaked into kinerja.parquet"
    );

    assert_eq!(s.validate(&["--with-identities"]).code, 0);
    let peg = table(&s, "pegawai");
    assert_eq!(strings(&peg, "nip")[0].as_deref(), Some(NIP_A));
    assert_eq!(strings(&peg, "nama_tampilan")[0].as_deref(), Some("Yohanis Wattimena"));
}

#[test]
fn same_inputs_give_byte_identical_outputs() {
    let s = Scratch::with_base();
    s.write("in/kinerja.csv", &clean_kinerja());
    assert_eq!(s.validate(&[]).code, 0);
    let first: Vec<Vec<u8>> = ["pegawai.parquet", "kinerja.parquet", "rejects.csv", "ringkasan.json"]
        .iter()
        .map(|f| std::fs::read(s.out().join(f)).expect("read"))
        .collect();
    assert_eq!(s.validate(&[]).code, 0);
    let second: Vec<Vec<u8>> = ["pegawai.parquet", "kinerja.parquet", "rejects.csv", "ringkasan.json"]
        .iter()
        .map(|f| std::fs::read(s.out().join(f)).expect("read"))
        .collect();
    assert_eq!(first, second);
}

/// Without a secret in the environment or config, the first run creates `pseudonym.key` in the
/// state folder (0600, in a 0700 folder) and later runs reuse it, so ids are stable across
/// months; `MUTASI_PSEUDONYM_KEY` takes precedence; the key itself is never in an output.
#[test]
fn the_pseudonym_key_file_is_created_private_and_keeps_ids_stable() {
    let s = Scratch::with_base();
    s.write("in/kinerja.csv", &clean_kinerja());
    let state = s.path("status");
    let validate = |out: &str, key: Option<&str>| {
        let mut cmd = mutasi_cmd();
        cmd.args(["validate", "--input"]).arg(s.input()).arg("--out").arg(s.path(out));
        cmd.env("MUTASI_STATE_DIR", &state);
        if let Some(k) = key {
            cmd.env("MUTASI_PSEUDONYM_KEY", k);
        }
        let o = cmd.output().expect("run");
        assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
        let ids = read_table(&s.path(out).join("pegawai.parquet")).expect("pegawai");
        (strings(&ids, "pegawai_id"), String::from_utf8_lossy(&o.stderr).into_owned())
    };
    let (first, says) = validate("bulan1", None);
    let key_file = state.join("pseudonym.key");
    assert!(key_file.exists() && says.contains("pseudonym.key"), "{says}");
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(std::fs::metadata(&key_file).expect("key").permissions().mode() & 0o777, 0o600);
    assert_eq!(std::fs::metadata(&state).expect("dir").permissions().mode() & 0o777, 0o700);
    let key = std::fs::read_to_string(&key_file).expect("key");
    let (second, says) = validate("bulan2", None);
    assert_eq!(first, second, "same key file, same ids");
    assert!(!says.contains("pseudonym.key"), "no creation notice the second time: {says}");
    assert_eq!(std::fs::read_to_string(&key_file).expect("key"), key, "the key is not rewritten");
    let (from_env, _) = validate("bulan3", Some("rahasia-lingkungan-yang-panjang"));
    assert_ne!(first, from_env, "the environment's key takes precedence");
    for out in ["bulan1", "bulan2"] {
        for f in std::fs::read_dir(s.path(out)).expect("out").flatten() {
            let bytes = std::fs::read(f.path()).expect("read");
            assert!(!bytes.windows(32).any(|w| w == &key.as_bytes()[..32]), "key in {}", f.path().display());
        }
    }
}

/// A reader that closes stdout early (`mutasi … | head`) ends the command with 0 and nothing on
/// stderr: no panic message, no death by signal (ripgrep's handling of `BrokenPipe`).
#[test]
fn a_closed_stdout_ends_quietly_with_0() {
    let s = Scratch::with_base();
    let mut child = mutasi_cmd()
        .args(["init", "--out"])
        .arg(s.path("mutasi.toml"))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run mutasi");
    // Close the reading end before mutasi writes its first line.
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("wait");
    assert_eq!(out.status.code(), Some(0), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    assert!(out.stderr.is_empty(), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    assert!(s.path("mutasi.toml").is_file(), "the command still did its work");
}
