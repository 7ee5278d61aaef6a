//! Test harness: a scratch input folder, running the real binary, and reading its outputs.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use std::process::Command;

use mutasi_io::data::table::{ColumnData, TableData, read_table};

/// Valid NIPs for fixtures (PNS unless noted).
pub const NIP_A: &str = "198609262015051001";
pub const NIP_B: &str = "199001152014032002";
pub const NIP_C: &str = "197512302000121003";
/// PPPK.
pub const NIP_P: &str = "199312282025212001";

pub const UNIT_CSV: &str = "unit_id,nama_unit,opd,jenis_unit,kecamatan,induk_unit_id\n\
DINKES,Dinas Kesehatan,Dinas Kesehatan,Kantor,Sirimau,\n\
PKM01,Puskesmas Latuhalat,Dinas Kesehatan,Puskesmas,Nusaniwe,DINKES\n\
PKM17,Puskesmas Passo,Dinas Kesehatan,Puskesmas,Teluk Ambon Baguala,DINKES\n";

pub fn pegawai_csv() -> String {
    format!(
        "nip,nama,jenis_kelamin,unit_id\n{NIP_A},dr. Yohanis Wattimena,L,PKM01\n{NIP_B},\"Maria Ely, S.Kep\",P,PKM17\n{NIP_C},Petrus Lopis,L,DINKES\n{NIP_P},Siti Tuasikal,P,PKM01\n"
    )
}

/// A scratch folder that is removed at the end of the test.
pub struct Scratch {
    pub dir: tempfile::TempDir,
}

impl Scratch {
    pub fn new() -> Scratch {
        Scratch { dir: tempfile::tempdir().expect("temp dir") }
    }

    /// Input folder with `unit_kerja.csv` and `pegawai.csv` already in place.
    pub fn with_base() -> Scratch {
        let s = Scratch::new();
        s.write("in/unit_kerja.csv", UNIT_CSV);
        s.write("in/pegawai.csv", &pegawai_csv());
        s
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn write(&self, rel: &str, text: &str) {
        self.write_bytes(rel, text.as_bytes());
    }

    pub fn write_bytes(&self, rel: &str, bytes: &[u8]) {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, bytes).expect("write fixture");
    }

    pub fn input(&self) -> PathBuf {
        self.path("in")
    }

    pub fn out(&self) -> PathBuf {
        self.path("out")
    }

    /// Runs `mutasi validate --input in --out out [extra…]`.
    pub fn validate(&self, extra: &[&str]) -> Run {
        let mut args = vec![
            "validate".to_string(),
            "--input".into(),
            self.input().display().to_string(),
            "--out".into(),
            self.out().display().to_string(),
        ];
        args.extend(extra.iter().map(|s| s.to_string()));
        run(&args)
    }
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// The binary with the test environment: no pseudonym key from the caller's environment, and a
/// state folder shared by this test process (one key file, so runs agree on ids), never the
/// user's own.
pub fn mutasi_cmd() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_mutasi"));
    cmd.env_remove("MUTASI_PSEUDONYM_KEY")
        .env_remove("STATE_DIRECTORY")
        .env("MUTASI_STATE_DIR", test_state_dir());
    cmd
}

/// This test process's state folder (under the system temp folder).
pub fn test_state_dir() -> PathBuf {
    std::env::temp_dir().join(format!("mutasi-it-state-{}", std::process::id()))
}

pub fn run(args: &[String]) -> Run {
    let out = mutasi_cmd().args(args).output().expect("run mutasi");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// One row of `rejects.csv` or `warnings.csv`, by column name.
pub type Row = HashMap<String, String>;

pub fn read_csv(path: &Path) -> Vec<Row> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let text = text.trim_start_matches('\u{feff}');
    let mut rdr = csv::ReaderBuilder::new().delimiter(b';').from_reader(text.as_bytes());
    let headers: Vec<String> = rdr.headers().expect("headers").iter().map(String::from).collect();
    rdr.records()
        .map(|r| {
            let r = r.expect("record");
            headers.iter().cloned().zip(r.iter().map(String::from)).collect()
        })
        .collect()
}

pub fn rejects(s: &Scratch) -> Vec<Row> {
    read_csv(&s.out().join("rejects.csv"))
}

pub fn warnings(s: &Scratch) -> Vec<Row> {
    read_csv(&s.out().join("warnings.csv"))
}

/// The summary JSON of a run.
pub fn summary(s: &Scratch) -> serde_json::Value {
    let text = std::fs::read_to_string(s.out().join("ringkasan.json")).expect("ringkasan.json");
    serde_json::from_str(&text).expect("valid json")
}

/// A canonical table as read back through the data layer.
pub fn table(s: &Scratch, name: &str) -> TableData {
    read_table(&s.out().join(format!("{name}.parquet"))).expect("read parquet")
}

/// Asserts that exactly one reject has this code, and returns it.
pub fn one_reject<'a>(rows: &'a [Row], code: &str) -> &'a Row {
    let hits: Vec<&Row> = rows.iter().filter(|r| r["kode_alasan"] == code).collect();
    assert_eq!(hits.len(), 1, "expected one `{code}` reject, got {}: {rows:#?}", hits.len());
    hits[0]
}

/// Strings of a string column.
pub fn strings(t: &TableData, col: &str) -> Vec<Option<String>> {
    assert!(t.is_text(col), "{col} is not a text column: {:?}", t.get(col));
    (0..t.height()).map(|i| t.str_at(col, i).map(String::from)).collect()
}

/// Floats of a numeric column.
pub fn floats(t: &TableData, col: &str) -> Vec<Option<f64>> {
    match t.get(col) {
        Some(ColumnData::F64(v)) => v.clone(),
        other => panic!("{col} is not a float column: {other:?}"),
    }
}

/// Every Parquet summary `mutasi run` publishes in `<out>/<period>/`.
pub const RUN_FILES: [&str; 19] = [
    "transfer_windows",
    "prepost_summary",
    "ikm_per_unit",
    "unit_effects",
    "movement_units",
    "movement_opd",
    "flows_opd",
    "transfer_compliance",
    "mobility",
    "permohonan_funnel",
    "permohonan_fairness",
    "permohonan_match",
    "permohonan_share",
    "permohonan_rules",
    "mutasi_bulanan",
    "subgroup_differences",
    "att_gt",
    "aggregates",
    "event_study",
];
