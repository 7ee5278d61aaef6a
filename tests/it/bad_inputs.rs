//! The bad-input catalogue (issue 9 §1, first cases): each broken file gives a clear error or
//! reject naming the file (and row and column where they apply), never a panic, and an unreadable
//! file leaves no partial output.

use super::util::*;

/// Runs validate on the base fixture with `kinerja.<ext>` replaced by `bytes`.
fn with_kinerja(name: &str, bytes: &[u8]) -> (Scratch, Run) {
    let s = Scratch::with_base();
    s.write_bytes(&format!("in/{name}"), bytes);
    let r = s.validate(&[]);
    (s, r)
}

/// An unreadable file: exit 1, the file named, a hint, no panic, nothing written.
fn unreadable(name: &str, bytes: &[u8], says: &str) {
    let (s, r) = with_kinerja(name, bytes);
    assert_eq!(r.code, 1, "{name}: {}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains(name) && r.stderr.contains(says), "{name}: {}", r.stderr);
    assert!(r.stderr.contains("hint:"), "{name}: a hint: {}", r.stderr);
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    assert!(
        !s.out().exists() || std::fs::read_dir(s.out()).map(|mut d| d.next().is_none()).unwrap_or(true),
        "{name}: partial output"
    );
}

#[test]
fn files_that_cannot_be_read() {
    unreadable("kinerja.csv", b"", "berkas kosong");
    unreadable("kinerja.csv", b"nip,periode,indikator,nilai\n", "hanya berisi header");
    let mut binary = vec![0u8, 159, 146, 150, 0, 1, 2, 3];
    binary.extend((0..4000u32).map(|i| (i * 7919 % 251) as u8));
    unreadable("kinerja.csv", &binary, "data biner");
    // Text named .xlsx is read as the CSV its bytes are: it lacks kinerja's columns.
    unreadable("kinerja.xlsx", pegawai_csv().as_bytes(), "kolom wajib tidak ditemukan");
    let xlsx =
        std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/sample_data/unit_kerja.xlsx")).expect("xlsx");
    unreadable("kinerja.xlsx", &xlsx[..xlsx.len() / 2], "bukan berkas Excel yang sah");
    unreadable(
        "kinerja.csv",
        format!("nip,periode,indikator,nilai,nilai\n{NIP_A},2024-01,capaian_iki,88,89\n").as_bytes(),
        "muncul dua kali",
    );
}

/// A 50 MB line is one row with a wrong column count, not a crash or a hang.
#[test]
fn a_fifty_megabyte_line() {
    let mut text = format!("nip,periode,indikator,nilai\n{NIP_A},2024-01,capaian_iki,88\n");
    text.push_str(&"x".repeat(50 * 1024 * 1024));
    text.push('\n');
    let (s, r) = with_kinerja("kinerja.csv", text.as_bytes());
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let rows = rejects(&s);
    assert_eq!(rows.len(), 1, "the long line is one rejected row");
    assert_eq!(rows[0]["baris"], "3");
    assert!(!rows[0]["kode_alasan"].is_empty());
    let kinerja = table(&s, "kinerja");
    assert_eq!(kinerja.height(), 1, "the good row is kept");
}

/// Rows with every value empty, and a delimiter that changes mid-file, are rejected row by row
/// with the file, row and column; the other rows are kept.
#[test]
fn empty_values_and_a_changing_delimiter() {
    let (s, r) = with_kinerja(
        "kinerja.csv",
        format!("nip,periode,indikator,nilai\n{NIP_A},2024-01,capaian_iki,88\n,,,\n").as_bytes(),
    );
    assert_eq!(r.code, 1);
    let rows = rejects(&s);
    assert!(rows.iter().all(|r| r["berkas"] == "kinerja.csv" && r["baris"] == "3"), "{rows:?}");
    let cols: Vec<&str> = rows.iter().map(|r| r["kolom"].as_str()).collect();
    for c in ["nip", "periode", "indikator"] {
        assert!(cols.contains(&c), "{c} named: {cols:?}");
    }
    let (s, r) = with_kinerja(
        "kinerja.csv",
        format!(
            "nip,periode,indikator,nilai\n{NIP_A},2024-01,capaian_iki,88\n{NIP_B};2024-02;capaian_iki;89\n"
        )
        .as_bytes(),
    );
    assert_eq!(r.code, 1);
    let rows = rejects(&s);
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!((rows[0]["baris"].as_str(), rows[0]["kolom"].as_str()), ("3", "*"));
    assert!(rows[0]["nilai_mentah"].contains(';'), "the raw line is kept for the steward");
    assert_eq!(table(&s, "kinerja").height(), 1);
}

/// A quoted field with an embedded newline is one value, not two rows.
#[test]
fn quoted_newlines_stay_in_their_field() {
    let s = Scratch::new();
    s.write("in/unit_kerja.csv", UNIT_CSV);
    s.write(
        "in/pegawai.csv",
        &format!(
            "nip,nama,jenis_kelamin,unit_id\n{NIP_A},\"Yohanis\nWattimena\",L,PKM01\n{NIP_B},Maria,P,PKM17\n"
        ),
    );
    let r = s.validate(&["--with-identities"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let p = table(&s, "pegawai");
    assert_eq!(p.height(), 2, "two employees, not three rows");
    assert!(rejects(&s).is_empty());
}

/// A Windows-1252 export with rows pasted from a UTF-8 one: no mojibake, and the summary says
/// the file mixes encodings.
#[test]
fn mixed_encodings_are_decoded_line_by_line_and_reported() {
    let s = Scratch::new();
    s.write("in/unit_kerja.csv", UNIT_CSV);
    let mut bytes = format!("nip,nama,jenis_kelamin,unit_id\n{NIP_A},Jos").into_bytes();
    bytes.push(0xE9); // é in Windows-1252
    bytes.extend(format!(" Wattimena,L,PKM01\n{NIP_B},Maria ").as_bytes());
    bytes.extend("Pé,P,PKM17\n".as_bytes()); // é in UTF-8
    s.write_bytes("in/pegawai.csv", &bytes);
    let r = s.validate(&["--with-identities"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let names: Vec<String> = strings(&table(&s, "pegawai"), "nama").into_iter().flatten().collect();
    assert!(names.iter().any(|n| n.starts_with("Jos\u{e9}")), "{names:?}");
    assert!(
        names.iter().any(|n| n.contains("P\u{e9}")) && !names.iter().any(|n| n.contains('Ã')),
        "{names:?}"
    );
    let summary = summary(&s);
    let pegawai = summary["berkas"]
        .as_array()
        .expect("berkas")
        .iter()
        .find(|f| f["berkas"] == "pegawai.csv")
        .expect("pegawai");
    assert!(pegawai["encoding"].as_str().is_some_and(|e| e.contains("mixed")), "{pegawai}");
}

/// Parquet surprises: NaN and infinite scores are rejected on their row and column, NIPs stored
/// as int64 are read as NIPs, and a time-zone-aware timestamp gives the local calendar date (a
/// TMT written at 00:30 WIT is that day, not the previous UTC day).
#[test]
fn parquet_types_and_special_values() {
    use mutasi_io::data::table::{ColumnData as C, TableData, write_parquet};
    let s = Scratch::with_base();
    let mut k = TableData::default();
    k.push("nip", C::Str(vec![Some(NIP_A.into()); 3]));
    k.push("periode", C::Str(vec![Some("2024-01".into()), Some("2024-02".into()), Some("2024-03".into())]));
    k.push("indikator", C::Str(vec![Some("capaian_iki".into()); 3]));
    k.push("nilai", C::F64(vec![Some(f64::NAN), Some(f64::INFINITY), Some(88.0)]));
    write_parquet(k, &s.path("in/kinerja.parquet")).expect("kinerja");
    let mut m = TableData::default();
    let nip: i64 = NIP_B.parse().expect("digits");
    m.push("nip", C::I64(vec![Some(nip)]));
    m.push("tmt", C::Date(vec![chrono::NaiveDate::from_ymd_opt(2024, 3, 1)]));
    m.push("unit_asal_id", C::Str(vec![Some("DINKES".into())]));
    m.push("unit_tujuan_id", C::Str(vec![Some("PKM17".into())]));
    m.push("jenis_mutasi", C::Str(vec![Some("rotasi".into())]));
    write_parquet(m, &s.path("in/mutasi.parquet")).expect("mutasi");
    let r = s.validate(&[]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    let rows = rejects(&s);
    assert_eq!(rows.len(), 2, "{rows:?}");
    for (row, raw) in [("1", "NaN"), ("2", "inf")] {
        let found = rows.iter().find(|x| x["baris"] == row).expect("row");
        assert_eq!((found["kolom"].as_str(), found["nilai_mentah"].as_str()), ("nilai", raw));
        assert_eq!(found["berkas"], "kinerja.parquet");
    }
    assert_eq!(table(&s, "mutasi").height(), 1, "the int64 NIP is a known employee");

    // A timestamp with a time zone, written by the Apache implementation.
    use arrow::array::{StringArray, TimestampMicrosecondArray};
    use arrow::datatypes::{DataType, Field, Schema, TimeUnit};
    use std::sync::Arc;
    let t = Scratch::with_base();
    let write = |tz: &str, path: &std::path::Path| {
        // 2024-03-01 00:30 at +09:00 = 2024-02-29 15:30 UTC.
        let micros = chrono::NaiveDate::from_ymd_opt(2024, 2, 29)
            .and_then(|d| d.and_hms_opt(15, 30, 0))
            .map(|d| d.and_utc().timestamp_micros())
            .expect("time");
        let schema = Arc::new(Schema::new(vec![
            Field::new("nip", DataType::Utf8, false),
            Field::new("tmt", DataType::Timestamp(TimeUnit::Microsecond, Some(tz.into())), false),
            Field::new("unit_asal_id", DataType::Utf8, false),
            Field::new("unit_tujuan_id", DataType::Utf8, false),
            Field::new("jenis_mutasi", DataType::Utf8, false),
        ]));
        let batch = arrow::record_batch::RecordBatch::try_new(
            schema.clone(),
            vec![
                Arc::new(StringArray::from(vec![NIP_A])),
                Arc::new(TimestampMicrosecondArray::from(vec![micros]).with_timezone(tz)),
                Arc::new(StringArray::from(vec!["DINKES"])),
                Arc::new(StringArray::from(vec!["PKM01"])),
                Arc::new(StringArray::from(vec!["rotasi"])),
            ],
        )
        .expect("batch");
        let file = std::fs::File::create(path).expect("create");
        let mut w = parquet::arrow::ArrowWriter::try_new(file, schema, None).expect("writer");
        w.write(&batch).expect("write");
        w.close().expect("close");
    };
    write("Asia/Jayapura", &t.path("in/mutasi.parquet"));
    let r = t.validate(&[]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let tmt = table(&t, "mutasi");
    assert_eq!(tmt.get("tmt").map(|c| c.text(0)).as_deref(), Some("2024-03-01"), "the local date in WIT");
    // A zone with daylight saving is refused with the column named.
    write("Europe/Paris", &t.path("in/mutasi.parquet"));
    let r = t.validate(&[]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("mutasi.parquet") && r.stderr.contains("tmt") && r.stderr.contains("Europe/Paris"),
        "{}",
        r.stderr
    );
}

/// An xlsx whose used range reaches the last cell of the sheet (XFD1048576) is read cell by
/// cell: no dense 17-billion-cell allocation, the stray far cell is a row of its own.
#[test]
fn an_xlsx_with_a_huge_used_range() {
    let s = Scratch::new();
    s.write("in/unit_kerja.csv", UNIT_CSV);
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ["nip", "nama", "jenis_kelamin", "unit_id"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).expect("header");
    }
    for (c, v) in [NIP_A, "Yohanis", "L", "PKM01"].iter().enumerate() {
        ws.write_string(1, c as u16, *v).expect("cell");
    }
    ws.write_string(1_048_575, 16_383, "x").expect("far cell");
    wb.save(s.path("in/pegawai.xlsx")).expect("save");
    let started = std::time::Instant::now();
    let r = s.validate(&[]);
    assert!(!r.stderr.contains("panicked") && !r.stderr.contains("memory allocation"), "{}", r.stderr);
    assert!(r.code == 0 || r.code == 1, "a clean exit, not a crash: {} {}", r.code, r.stderr);
    assert!(started.elapsed().as_secs() < 60, "read cell by cell, not densely");
    assert_eq!(table(&s, "pegawai").height(), 1, "the real employee is kept");
}

/// Bad values and inconsistent records from the catalogue, each rejected on its file,
/// row and column with its reason code, with every read row accounted for (the shared checker
/// of `rejects.rs`).
#[test]
fn bad_values_and_inconsistent_records() {
    use super::rejects::{Case, case, check, kin, mut_};
    let with_birth = |rows: &str| format!("nip,nama,jenis_kelamin,unit_id,tanggal_lahir\n{rows}");
    let cases = vec![
        case(
            "tanggal_di_luar_rentang",
            "mutasi.csv",
            mut_(&format!("{NIP_A},01-07-1900,PKM17,rotasi,\n")),
            "2",
            "tmt",
        ),
        case(
            "tanggal_di_luar_rentang",
            "mutasi.csv",
            mut_(&format!("{NIP_A},2100-01-01,PKM17,rotasi,\n")),
            "2",
            "tmt",
        ),
        case(
            "nilai_di_luar_rentang",
            "kinerja.csv",
            kin(&format!("{NIP_A},2024-01,capaian_iki,-5\n")),
            "2",
            "nilai",
        ),
        case(
            "nilai_di_luar_rentang",
            "kinerja.csv",
            kin(&format!("{NIP_A},2024-01,capaian_iki,1000000000\n")),
            "2",
            "nilai",
        ),
        case(
            "nilai_di_luar_rentang",
            "kinerja.csv",
            kin(&format!("{NIP_A},2024-01,rating_perilaku,7\n")),
            "2",
            "nilai",
        ),
        // Duplicated NIPs with conflicting birth dates: the second record is rejected, naming the first.
        case(
            "nip_ganda",
            "pegawai.csv",
            with_birth(&format!("{NIP_A},Satu,L,PKM01,26-09-1986\n{NIP_A},Dua,L,PKM01,01-01-1990\n")),
            "3",
            "nip",
        ),
        // A chain that returns the person to the same unit on the same day: both rows rejected.
        case(
            "mutasi_ganda_hari_sama",
            "mutasi.csv",
            format!(
                "nip,tmt,unit_asal_id,unit_tujuan_id,jenis_mutasi\n{NIP_A},01-07-2024,PKM01,PKM17,rotasi\n{NIP_A},01-07-2024,PKM17,PKM01,rotasi\n"
            ),
            "3",
            "unit_tujuan_id",
        ),
        case(
            "rotasi_ke_unit_sama",
            "mutasi.csv",
            format!(
                "nip,tmt,unit_asal_id,unit_tujuan_id,jenis_mutasi\n{NIP_B},01-07-2024,PKM17,PKM17,rotasi\n"
            ),
            "2",
            "unit_tujuan_id",
        ),
        case(
            "unit_tidak_dikenal",
            "mutasi.csv",
            mut_(&format!("{NIP_A},01-07-2024,PKM404,rotasi,\n")),
            "2",
            "unit_tujuan_id",
        ),
        Case {
            code: "kinerja_setelah_keluar",
            files: vec![
                ("mutasi.csv", mut_(&format!("{NIP_B},15-06-2024,LUAR,mutasi_keluar,\n"))),
                (
                    "kinerja.csv",
                    kin(&format!("{NIP_B},2024-06,capaian_iki,80\n{NIP_B},TW III 2024,capaian_iki,81\n")),
                ),
            ],
            file: "kinerja.csv",
            row: "3",
            column: "periode",
        },
        case(
            "sel_error_excel",
            "kinerja.csv",
            kin(&format!("{NIP_A},2024-01,capaian_iki,#REF!\n")),
            "2",
            "nilai",
        ),
        case("nip_rusak_excel", "kinerja.csv", kin("1.98609E+17,2024-01,capaian_iki,80\n"), "2", "nip"),
    ];
    for c in &cases {
        check(c);
    }
}

/// The exit is the last known employment only while the person stays out: a later return
/// (mutasi_masuk) makes the later ratings valid again.
#[test]
fn ratings_after_a_return_are_kept() {
    let s = Scratch::with_base();
    s.write(
        "in/mutasi.csv",
        &format!(
            "nip,tmt,unit_tujuan_id,jenis_mutasi\n{NIP_B},01-03-2024,LUAR,mutasi_keluar\n{NIP_B},01-06-2024,PKM17,mutasi_masuk\n"
        ),
    );
    s.write(
        "in/kinerja.csv",
        &format!(
            "nip,periode,indikator,nilai\n{NIP_B},2024-04,capaian_iki,80\n{NIP_B},2024-07,capaian_iki,81\n"
        ),
    );
    let r = s.validate(&[]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert_eq!(table(&s, "kinerja").height(), 2);
}

/// A required column missing is one file-level error naming the column, with no output.
#[test]
fn a_required_column_missing() {
    let s = Scratch::with_base();
    s.write("in/mutasi.csv", &format!("nip,unit_tujuan_id,jenis_mutasi\n{NIP_A},PKM17,rotasi\n"));
    let r = s.validate(&[]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stderr.contains("mutasi.csv") && r.stderr.contains("tmt") && r.stderr.contains("hint:"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("panicked"));
    assert!(!s.out().join("mutasi.parquet").exists(), "no partial output");
}

/// Layout oddities a spreadsheet export really has are read, not rejected: a UTF-8 BOM, CRLF
/// line ends, Excel's `sep=;` line, header case and padding.
#[test]
fn bom_crlf_sep_line_and_header_case_are_read() {
    let s = Scratch::with_base();
    let mut bytes = vec![0xEF, 0xBB, 0xBF];
    bytes.extend(
        format!("sep=;\r\n NIP ;Periode;INDIKATOR;Nilai\r\n{NIP_A};2024-01;capaian_iki;88,5\r\n{NIP_B};2024-01;capaian_iki;90\r\n")
            .as_bytes(),
    );
    s.write_bytes("in/kinerja.csv", &bytes);
    let r = s.validate(&[]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let k = table(&s, "kinerja");
    assert_eq!(k.height(), 2);
    let mut v: Vec<String> = (0..2).map(|i| k.get("nilai").map(|c| c.text(i)).unwrap_or_default()).collect();
    v.sort();
    assert_eq!(v, ["88.5", "90"]);
}

/// An unterminated quote swallows the rest of the file into one field: that row is rejected
/// with its raw text (wrong column count), earlier rows are kept, nothing crashes.
#[test]
fn an_unterminated_quote() {
    let (s, r) = with_kinerja(
        "kinerja.csv",
        format!("nip,periode,indikator,nilai\n{NIP_A},2024-01,capaian_iki,88\n{NIP_B},2024-01,\"capaian_iki,89\n{NIP_C},2024-01,capaian_iki,70\n")
            .as_bytes(),
    );
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    let rows = rejects(&s);
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!((rows[0]["berkas"].as_str(), rows[0]["baris"].as_str()), ("kinerja.csv", "3"));
    assert_eq!(table(&s, "kinerja").height(), 1);
}

/// NUL bytes inside an otherwise textual CSV are a binary file, refused naming the file.
#[test]
fn nul_bytes_in_a_text_file() {
    let mut bytes = format!("nip,periode,indikator,nilai\n{NIP_A},2024-01,capaian_iki,88\n").into_bytes();
    bytes.extend([0u8; 64]);
    bytes.extend(format!("{NIP_B},2024-01,capaian_iki,89\n").as_bytes());
    let (s, r) = with_kinerja("kinerja.csv", &bytes);
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    // Either refused as binary, or the damaged row rejected: never silently accepted.
    let refused = r.stderr.contains("kinerja.csv") && r.stderr.contains("biner");
    let rejected = s.out().join("rejects.csv").exists() && rejects(&s).iter().any(|x| x["baris"] == "3");
    assert!(refused || rejected, "{}", r.stderr);
}
