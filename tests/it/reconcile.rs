//! Nothing is lost: rows read = accepted + rejected, per file, on messy inputs.

use super::util::*;

/// A deliberately messy set of exports: every table has good rows, bad rows, duplicates and
/// cross-table problems, in three formats.
fn messy(s: &Scratch) {
    s.write(
        "in/unit_kerja.csv",
        &format!("{UNIT_CSV}PKM01,Duplikat,Dinas Kesehatan,Puskesmas,Nusaniwe,DINKES\n,Tanpa Kode,,,,\n"),
    );
    s.write(
        "in/pegawai.csv",
        &format!(
            "{}1,98609E+17,Rusak,L,PKM01\n{NIP_A},Ganda,L,PKM01\n131110468,Lama,L,PKM01\n",
            pegawai_csv()
        ),
    );
    s.write(
        "in/mutasi.csv",
        &format!(
            "nip;tmt;unit_tujuan_id;jenis_mutasi\n{NIP_A};01-07-2023;PKM17;rotasi\n{NIP_A};01-07-2023;PKM17;rotasi\n{NIP_B};01-08-2023;PKM01;\n{NIP_B};01-08-2023;DINKES;\n{NIP_C};31-02-2023;PKM01;rotasi\n199001012015011999;01-01-2024;PKM01;rotasi\n{NIP_C};01-01-2024;PKM99;rotasi\n"
        ),
    );
    s.write(
        "in/kinerja_2021.csv",
        &format!("NIP;Periode;Indikator;Nilai\n{NIP_A};Januari 2021;Nilai SKP;76,48\n{NIP_A};Januari 2021;Nilai SKP;77,00\n{NIP_B};Januari 2021;Nilai SKP;abc\n{NIP_B};Februari 2021;Nilai SKP;80,10\n{NIP_B};Februari 2021;Nilai SKP;80,10\n"),
    );
    s.write(
        "in/kinerja_2022.csv",
        &format!("nipBaru,periode,hasilKinerjaNilai,perilakuKerjaNilai,kuadranKinerjaNilai\n{NIP_A},2022-01,2,2,2\n{NIP_A},2022-01,2,2,2\n{NIP_C},2022-02,2,9,2\n{NIP_C},2022-03,2,2,2,x\n199001012015011999,2022-01,1,1,1\n"),
    );
    s.write("in/layanan.csv", "unit_id;periode;indikator;nilai\nPKM01;2024-01;kunjungan;2.345\nPKM01;2024-01;kunjungan;2.400\nPKM99;2024-01;kunjungan;10\nPKM17;2024-01;waktu_tunggu;-3\nPKM17;TW I 2024;ikm;82,5\n");
    s.write("in/skm.csv", "unit_id,tanggal,u1,u2,u3,u4,u5,u6,u7,u8,u9\nPKM01,15/03/2024,3,3,3,3,3,3,3,3,3\nPKM01,16/03/2024,4,,3,3,3,3,3,3,3\nPKM01,17/03/2024,5,3,3,3,3,3,3,3,3\nPKM99,17/03/2024,3,3,3,3,3,3,3,3,3\nPKM17,,3,3,3,3,3,3,3,3,3\n");
}

#[test]
fn every_row_is_accepted_or_rejected_exactly_once() {
    let s = Scratch::new();
    messy(&s);
    let r = s.validate(&[]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    let sum = summary(&s);
    let files = sum["berkas"].as_array().expect("files");
    assert_eq!(files.len(), 7);
    let expected = [
        ("kinerja_2021.csv", 5, 1, 4),
        ("kinerja_2022.csv", 5, 1, 4),
        ("layanan.csv", 5, 1, 4),
        ("mutasi.csv", 7, 1, 6),
        ("pegawai.csv", 7, 4, 3),
        ("skm.csv", 5, 2, 3),
        ("unit_kerja.csv", 5, 3, 2),
    ];
    for (name, read, acc, rej) in expected {
        let f = files.iter().find(|f| f["berkas"] == name).unwrap_or_else(|| panic!("{name} missing"));
        assert_eq!(
            (f["baris_dibaca"].as_u64(), f["baris_diterima"].as_u64(), f["baris_ditolak"].as_u64()),
            (Some(read), Some(acc), Some(rej)),
            "{name}: {f}"
        );
    }
    // The rejects table holds each rejected row at least once, and nothing else.
    let rej = rejects(&s);
    let distinct: std::collections::HashSet<(String, String)> =
        rej.iter().map(|r| (r["berkas"].clone(), r["baris"].clone())).collect();
    assert_eq!(distinct.len() as u64, sum["baris_ditolak"].as_u64().expect("count"));
    // The reconciliation table says the same, and balances.
    let recon = table(&s, "reconciliation");
    let balanced = matches!(recon.get("seimbang"), Some(mutasi_io::data::table::ColumnData::Bool(v)) if v.iter().all(|b| *b == Some(true)));
    assert!(balanced);
    // Canonical rows: a wide row gives one row per indicator.
    assert_eq!(table(&s, "kinerja").height(), 1 + 3);
}

/// What `load` gives on `input` with a thread pool of `threads` threads.
fn load_with(threads: usize, input: &std::path::Path, cfg: &mutasi_domain::config::Config) -> String {
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("pool");
    let loaded = pool.install(|| mutasi_io::ingest::load(input, cfg)).expect("readable");
    let t = &loaded.tables;
    let symbols: Vec<String> = (0..t.symbols.len() as u32).map(|c| t.symbols.name(c).to_string()).collect();
    // Every row, finding, report and code, in order.
    format!(
        "{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}",
        t.kinerja, symbols, loaded.rejects, loaded.warnings, loaded.files, loaded.unused, t.pegawai
    )
}

/// Kinerja files read side by side (two threads) give exactly what reading them one after
/// another gives: the same rows, codes, rejects, warnings and file reports, in the same order.
/// On the messy folder (rejected rows in both kinerja files) and on the committed
/// sample (five kinerja files, a wide one with decimal commas, planted bad rows).
#[test]
fn kinerja_files_read_side_by_side_as_one_after_another() {
    let s = Scratch::new();
    messy(&s);
    let cfg = mutasi_domain::config::Config::default();
    let one = load_with(1, &s.path("in"), &cfg);
    assert_eq!(one, load_with(2, &s.path("in"), &cfg));
    assert!(
        one.contains("NumberInvalid") && one.contains("RaggedRow, detail: Some(\"6 kolom"),
        "both kinerja files reject rows: {one}"
    );
    let sample = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/sample_data"));
    let cfg = mutasi_domain::config::Config::load(&sample.join("mutasi.toml")).expect("config");
    let one = load_with(1, sample, &cfg);
    assert_eq!(one, load_with(2, sample, &cfg));
    assert!((2021..=2025).all(|y| one.contains(&format!("kinerja_{y}.csv"))), "five kinerja files were read");
}
