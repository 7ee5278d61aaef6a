//! Real-layout exports (issue 31): each fixture in `tests/data/real/` is laid out as SIASN,
//! SIMPEG, e-Kinerja or a survey tool writes it (made-up people; `make_fixtures.py` says how each
//! was built and from which public layout). Each test runs `mutasi validate` with no config (or
//! the one the layout needs) and asserts, field by field, what was read.

use std::collections::HashMap;
use std::path::Path;

use mutasi_io::data::table::{ColumnData, TableData};

use super::util::*;

const KOTA: &str = "8A2E0000000000000000000000000A01";
const DINKES: &str = "8A2E0000000000000000000000000A02";
const PASSO: &str = "8A2E0000000000000000000000000A03";
const LATUHALAT: &str = "8A2E0000000000000000000000000A04";
const BKPSDM: &str = "8A2E0000000000000000000000000A05";
const SEKDINKES: &str = "8A2E0000000000000000000000000A06";

/// The six fixture people: NIP, birth date, sex, status, golongan, unit.
const PEOPLE: [(&str, &str, &str, &str, &str, &str); 6] = [
    ("198609262015051001", "1986-09-26", "L", "PNS", "III/b", PASSO),
    ("199001152014032002", "1990-01-15", "P", "PNS", "III/c", LATUHALAT),
    ("197512302000121003", "1975-12-30", "L", "PNS", "IV/a", DINKES),
    ("199312282025212001", "1993-12-28", "P", "PPPK", "IX", PASSO),
    ("198204112008011004", "1982-04-11", "L", "PNS", "III/d", BKPSDM),
    ("199107072019022005", "1991-07-07", "P", "PNS", "III/a", SEKDINKES),
];

/// A scratch folder whose input is a copy of the fixture folder `name`.
fn fixture(name: &str) -> Scratch {
    let s = Scratch::new();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/real").join(name);
    for e in std::fs::read_dir(&src).expect("fixture folder") {
        let p = e.expect("entry").path();
        let bytes = std::fs::read(&p).expect("fixture file");
        s.write_bytes(&format!("in/{}", p.file_name().and_then(|n| n.to_str()).expect("name")), &bytes);
    }
    s
}

fn validate_with_config(s: &Scratch) -> Run {
    let cfg = s.input().join("mutasi.toml");
    if cfg.exists() {
        s.validate(&["--with-identities", "--config", &cfg.display().to_string()])
    } else {
        s.validate(&["--with-identities"])
    }
}

fn dates(t: &TableData, col: &str) -> Vec<Option<String>> {
    match t.get(col) {
        Some(ColumnData::Date(v)) => v.iter().map(|d| d.map(|d| d.to_string())).collect(),
        other => panic!("{col} is not a date column: {other:?}"),
    }
}

fn ints(t: &TableData, col: &str) -> Vec<Option<i64>> {
    match t.get(col) {
        Some(ColumnData::I64(v)) => v.clone(),
        other => panic!("{col} is not an integer column: {other:?}"),
    }
}

/// Rows of a table keyed by NIP: column → text of each row.
fn by_nip(t: &TableData, cols: &[&str]) -> HashMap<String, Vec<Option<String>>> {
    let nips = strings(t, "nip");
    (0..t.height())
        .map(|i| {
            let values = cols
                .iter()
                .map(|c| match t.get(c) {
                    Some(ColumnData::Date(v)) => v[i].map(|d| d.to_string()),
                    Some(_) if t.is_text(c) => t.str_at(c, i).map(String::from),
                    other => panic!("{c}: {other:?}"),
                })
                .collect();
            (nips[i].clone().expect("nip"), values)
        })
        .collect()
}

/// Every file of the run balances: read = accepted + rejected.
fn balanced(s: &Scratch) -> serde_json::Value {
    let sum = summary(s);
    for f in sum["berkas"].as_array().expect("files") {
        let (read, acc, rej) =
            (f["baris_dibaca"].as_u64(), f["baris_diterima"].as_u64(), f["baris_ditolak"].as_u64());
        assert_eq!(read, Some(acc.unwrap_or(0) + rej.unwrap_or(0)), "{f}");
    }
    sum
}

fn file<'a>(sum: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    sum["berkas"]
        .as_array()
        .expect("files")
        .iter()
        .find(|f| f["berkas"] == name)
        .unwrap_or_else(|| panic!("no file {name} in {sum}"))
}

/// The SIASN export's people as every layout of it must read them.
fn assert_siasn_people(s: &Scratch) {
    let p = table(s, "pegawai");
    assert_eq!(p.height(), 6);
    let rows = by_nip(&p, &["tanggal_lahir", "jenis_kelamin", "status_asn", "golongan", "unit_id", "nama"]);
    for (nip, lahir, sex, status, gol, unit) in PEOPLE {
        let r = &rows[nip];
        assert_eq!(r[0].as_deref(), Some(lahir), "{nip} tanggal_lahir");
        assert_eq!(r[1].as_deref(), Some(sex), "{nip} jenis_kelamin");
        assert_eq!(r[2].as_deref(), Some(status), "{nip} status_asn");
        assert_eq!(r[3].as_deref(), Some(gol), "{nip} golongan");
        assert_eq!(r[4].as_deref(), Some(unit), "{nip} unit_id");
    }
    assert_eq!(rows["198609262015051001"][5].as_deref(), Some("YOHANIS TAHALELE"));
    // No literal `null` and no apostrophe survives in any text of the table.
    for col in p.names() {
        if p.is_text(col) {
            for v in strings(&p, col).into_iter().flatten() {
                assert!(!v.eq_ignore_ascii_case("null") && !v.starts_with('\''), "{col}: {v}");
            }
        }
    }
}

/// The unit tree: parents and the OPD worked out from it.
fn assert_unit_tree(s: &Scratch) {
    let u = table(s, "unit_kerja");
    assert_eq!(u.height(), 6);
    let ids = strings(&u, "unit_id");
    let parent = strings(&u, "induk_unit_id");
    let opd = strings(&u, "opd");
    let at = |id: &str| ids.iter().position(|x| x.as_deref() == Some(id)).expect("unit");
    assert_eq!(parent[at(PASSO)].as_deref(), Some(DINKES));
    assert_eq!(parent[at(KOTA)], None);
    assert_eq!(opd[at(PASSO)].as_deref(), Some("Dinas Kesehatan"));
    assert_eq!(opd[at(SEKDINKES)].as_deref(), Some("Dinas Kesehatan"));
    assert_eq!(opd[at(DINKES)].as_deref(), Some("Dinas Kesehatan"));
    assert_eq!(opd[at(BKPSDM)].as_deref(), Some("Badan Kepegawaian dan Pengembangan Sumber Daya Manusia"));
    assert_eq!(opd[at(KOTA)], None, "the root is the instansi, no OPD");
}

#[test]
fn siasn_export_data_asn_csv_needs_no_config() {
    let s = fixture("siasn_export");
    let r = validate_with_config(&s);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert_siasn_people(&s);
    assert_unit_tree(&s);
    let sum = balanced(&s);
    assert_eq!(file(&sum, "Data_ASN_20251201.csv")["tabel"], "pegawai");
    assert_eq!(file(&sum, "HierarkiUnor_20251201.xlsx")["tabel"], "unit_kerja");
    assert!(rejects(&s).is_empty());
    assert!(warnings(&s).is_empty(), "{:#?}", warnings(&s));
}

#[test]
fn siasn_export_with_pipes_and_newer_columns() {
    let s = fixture("siasn_export_pipe");
    let r = validate_with_config(&s);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert_siasn_people(&s);
    let sum = balanced(&s);
    assert_eq!(file(&sum, "Data_ASN_pipa.csv")["pemisah"], "|");
}

#[test]
fn siasn_export_xlsx_rejects_a_nip_typed_as_a_number() {
    let s = fixture("siasn_export_xlsx");
    let r = validate_with_config(&s);
    assert_eq!(r.code, 1, "one damaged NIP is a reject: {}{}", r.stdout, r.stderr);
    assert_siasn_people(&s);
    let rej = rejects(&s);
    let x = one_reject(&rej, "nip_rusak_excel");
    assert_eq!(
        (x["berkas"].as_str(), x["baris"].as_str(), x["kolom"].as_str()),
        ("Data_ASN_7171.xlsx", "8", "nip")
    );
    balanced(&s);
}

/// SIASN API responses as saved: one data-utama and one rw-jabatan file per person, rw-skp22 and
/// rw-kursus naming people by SIASN id or NIP, ref-unor as a bare array.
#[test]
fn siasn_api_responses() {
    let s = fixture("siasn_api");
    let r = validate_with_config(&s);
    // One rw-kursus record has a date that does not exist.
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    let sum = balanced(&s);
    assert_siasn_people_api(&s);
    assert_unit_tree(&s);
    assert_job_history(&s, &sum);
    // rw-skp22: yearly periods, SIASN codes turned into ordinals (higher is better), the rated
    // person found through their SIASN id.
    let k = table(&s, "kinerja");
    assert_eq!(k.height(), 6 * 2 * 3);
    let (nip, periode, ind, nilai) =
        (strings(&k, "nip"), strings(&k, "periode"), strings(&k, "indikator"), floats(&k, "nilai"));
    let get = |n: &str, p: &str, i: &str| {
        (0..k.height())
            .find(|r| {
                nip[*r].as_deref() == Some(n)
                    && periode[*r].as_deref() == Some(p)
                    && ind[*r].as_deref() == Some(i)
            })
            .and_then(|r| nilai[r])
    };
    // Person 1: codes (1, 1, 1) = Di Atas, Di Atas, Sangat Baik.
    assert_eq!(get(PEOPLE[0].0, "2024", "rating_hasil_kerja"), Some(3.0));
    assert_eq!(get(PEOPLE[0].0, "2023", "rating_perilaku"), Some(3.0));
    assert_eq!(get(PEOPLE[0].0, "2024", "predikat"), Some(5.0));
    // Person 3: codes (2, 1, 2) = Sesuai, Di Atas, Baik.
    assert_eq!(get(PEOPLE[2].0, "2023", "rating_hasil_kerja"), Some(2.0));
    assert_eq!(get(PEOPLE[2].0, "2023", "predikat"), Some(4.0));
    assert!(strings(&k, "jenis_periode").iter().all(|j| j.as_deref() == Some("tahun")));
    // rw-kursus: 01-01-0001 is no end date; the impossible date is record 3 of its file.
    let pl = table(&s, "pelatihan");
    assert_eq!(pl.height(), 2);
    assert_eq!(dates(&pl, "tanggal_mulai"), vec![Some("2024-02-10".into()), Some("2024-11-21".into())]);
    assert_eq!(dates(&pl, "tanggal_selesai"), vec![Some("2024-02-14".into()), None]);
    assert_eq!(strings(&pl, "jenis"), vec![Some("kursus".into()), Some("seminar".into())]);
    assert_eq!(floats(&pl, "jam_pelajaran"), vec![Some(40.0), None]);
    let rej = rejects(&s);
    let x = one_reject(&rej, "tanggal_tidak_ada");
    assert_eq!(
        (x["berkas"].as_str(), x["baris"].as_str(), x["kolom"].as_str()),
        ("rw-kursus.json", "3", "tanggal_mulai")
    );
    assert_eq!(x["nilai_mentah"], "31-02-2024");
}

fn assert_siasn_people_api(s: &Scratch) {
    let p = table(s, "pegawai");
    assert_eq!(p.height(), 6);
    let rows = by_nip(&p, &["tanggal_lahir", "jenis_kelamin", "status_asn", "golongan", "unit_id"]);
    for (nip, lahir, sex, status, gol, unit) in PEOPLE {
        assert_eq!(
            rows[nip],
            vec![
                Some(lahir.into()),
                Some(sex.into()),
                Some(status.into()),
                Some(gol.into()),
                Some(unit.into())
            ],
            "{nip}"
        );
    }
}

/// The summary's job-history counts: records, transfers, first appointments, new posts in the
/// same unit, duplicates.
fn history_counts(sum: &serde_json::Value) -> [u64; 5] {
    let c = &sum["riwayat_jabatan"];
    ["rekaman", "mutasi", "penempatan_awal", "perubahan_jabatan", "duplikat"]
        .map(|k| c[k].as_u64().unwrap_or(u64::MAX))
}

/// The fixture histories: person 1 moves Latuhalat → Passo (rotasi) after a new post in
/// Latuhalat and a repeated decree; person 3 is promoted BKPSDM → Dinas Kesehatan (III.a →
/// II.b); person 5 comes in from a unit outside the instansi.
fn assert_job_history(s: &Scratch, sum: &serde_json::Value) {
    let m = table(s, "mutasi");
    assert_eq!(m.height(), 3, "three transfers");
    let rows = by_nip(&m, &["tmt", "unit_asal_id", "unit_tujuan_id", "jenis_mutasi"]);
    assert_eq!(
        rows[PEOPLE[0].0],
        vec![Some("2020-03-01".into()), Some(LATUHALAT.into()), Some(PASSO.into()), Some("rotasi".into())]
    );
    assert_eq!(
        rows[PEOPLE[2].0],
        vec![Some("2021-08-15".into()), Some(BKPSDM.into()), Some(DINKES.into()), Some("promosi".into())]
    );
    assert_eq!(
        rows[PEOPLE[4].0],
        vec![Some("2016-06-01".into()), None, Some(BKPSDM.into()), Some("mutasi_masuk".into())]
    );
    let rw = table(s, "riwayat_jabatan");
    assert_eq!(rw.height(), 8);
    let mut events: Vec<String> = strings(&rw, "peristiwa").into_iter().flatten().collect();
    events.sort();
    assert_eq!(
        events,
        [
            "duplikat",
            "mutasi",
            "mutasi",
            "mutasi",
            "penempatan_awal",
            "penempatan_awal",
            "penempatan_awal",
            "perubahan_jabatan"
        ]
    );
    assert_eq!(history_counts(sum), [8, 3, 3, 1, 1]);
}

#[test]
fn siasn_api_records_flattened_to_csv() {
    let s = fixture("siasn_api_flat");
    let r = validate_with_config(&s);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let sum = balanced(&s);
    assert_siasn_people_api(&s);
    assert_unit_tree(&s);
    assert_job_history(&s, &sum);
    assert_eq!(file(&sum, "rw-jabatan.csv")["tabel"], "riwayat_jabatan");
}

/// A SIMPEG DUK saved by "Export Excel": an HTML table named .xls, with a title block, a two-row
/// header, a row of column numbers, and the NIP on the name's second line.
#[test]
fn simpeg_duk_html_with_two_row_header() {
    let s = fixture("simpeg_duk");
    let r = validate_with_config(&s);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let sum = balanced(&s);
    let f = file(&sum, "DUK_PNS_2025.xls");
    assert_eq!((f["tabel"].as_str(), f["format"].as_str()), (Some("pegawai"), Some("html")));
    assert_eq!(f["baris_dibaca"], 5, "the column-number row is layout, not a row");
    assert_eq!(f["baris_header"], serde_json::json!([5, 6, 7]));
    let p = table(&s, "pegawai");
    let rows = by_nip(&p, &["nama", "golongan", "tanggal_lahir", "jabatan", "unit_id"]);
    assert_eq!(
        rows[PEOPLE[0].0],
        vec![
            Some("dr. Yohanis Tahalele".into()),
            Some("III/b".into()),
            Some("1986-09-26".into()),
            Some("Dokter Ahli Muda".into()),
            Some(PASSO.into())
        ]
    );
    assert_eq!(rows[PEOPLE[1].0][0].as_deref(), Some("Maria Lekransi, S.Kep"));
    assert_eq!(rows[PEOPLE[2].0][1].as_deref(), Some("IV/a"));
    assert!(!rows.contains_key(PEOPLE[3].0), "the DUK lists PNS only");
    assert!(rejects(&s).is_empty());
}

/// A SIMPEG riwayat jabatan export as a genuine BIFF .xls: units by name, a repeated decree, a
/// change of post in the same unit (not a transfer, not a reject).
#[test]
fn simpeg_job_history_biff_xls() {
    let s = fixture("simpeg_riwayat");
    let r = validate_with_config(&s);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let sum = balanced(&s);
    let f = file(&sum, "Riwayat_Jabatan_Pegawai.xls");
    assert_eq!((f["tabel"].as_str(), f["format"].as_str()), (Some("riwayat_jabatan"), Some("xls")));
    let m = table(&s, "mutasi");
    assert_eq!(m.height(), 1);
    let rows =
        by_nip(&m, &["tmt", "unit_asal_id", "unit_tujuan_id", "jenis_mutasi", "nomor_sk", "tanggal_sk"]);
    assert_eq!(
        rows[PEOPLE[1].0],
        vec![
            Some("2018-01-02".into()),
            Some(PASSO.into()),
            Some(LATUHALAT.into()),
            Some("rotasi".into()),
            Some("821/3/2018".into()),
            Some("2017-12-28".into())
        ]
    );
    assert_eq!(history_counts(&sum), [5, 1, 2, 1, 1]);
    assert!(rejects(&s).is_empty(), "a new post in the same unit is not a reject");
    // Every TMT of that file reads both ways: day-first, said once.
    let w = warnings(&s);
    let hits: Vec<&Row> = w.iter().filter(|r| r["kode_alasan"] == "urutan_tanggal_diasumsikan").collect();
    assert_eq!(hits.len(), 1, "{w:#?}");
    assert_eq!(hits[0]["kolom"], "tmt");
}

#[test]
fn simpeg_html_export_in_windows_1252() {
    let s = fixture("simpeg_html");
    let r = validate_with_config(&s);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    balanced(&s);
    let p = table(&s, "pegawai");
    let rows = by_nip(&p, &["tanggal_lahir", "jenis_kelamin", "golongan", "unit_id", "jabatan"]);
    for (nip, lahir, sex, _, gol, unit) in PEOPLE {
        assert_eq!(
            rows[nip][..4],
            [Some(lahir.into()), Some(sex.into()), Some(gol.into()), Some(unit.into())],
            "{nip}"
        );
    }
    assert_eq!(rows[PEOPLE[4].0][4].as_deref(), Some("Analis Sumber Daya Manusia Aparatur"));
}

#[test]
fn simpeg_biff_xls_with_title_and_typed_cells() {
    let s = fixture("simpeg_biff");
    let r = validate_with_config(&s);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let sum = balanced(&s);
    assert_eq!(file(&sum, "Data Pegawai.xls")["baris_header"], serde_json::json!([3]));
    let p = table(&s, "pegawai");
    let rows = by_nip(&p, &["tanggal_lahir", "golongan", "unit_id"]);
    for (nip, lahir, _, _, gol, unit) in PEOPLE {
        assert_eq!(rows[nip], vec![Some(lahir.into()), Some(gol.into()), Some(unit.into())], "{nip}");
    }
}

/// One sheet per OPD: both read and counted apart; the notes sheet and the hidden old copy are
/// listed with the reason, not read.
#[test]
fn workbook_with_a_sheet_per_opd() {
    let s = fixture("multisheet");
    let r = validate_with_config(&s);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let sum = balanced(&s);
    assert_eq!(file(&sum, "pegawai.xlsx#Dinas Kesehatan")["baris_diterima"], 5);
    assert_eq!(file(&sum, "pegawai.xlsx#BKPSDM")["baris_diterima"], 1);
    let skipped: Vec<(String, String)> = sum["tidak_dipakai"]
        .as_array()
        .expect("list")
        .iter()
        .map(|u| {
            (u["lembar"].as_str().unwrap_or("").to_string(), u["alasan"].as_str().unwrap_or("").to_string())
        })
        .collect();
    assert_eq!(skipped.len(), 2, "{skipped:?}");
    assert!(skipped[0].0 == "Keterangan" && skipped[0].1.contains("tidak ada header"), "{skipped:?}");
    assert!(skipped[1].0 == "Arsip 2023" && skipped[1].1.contains("tersembunyi"), "{skipped:?}");
    assert!(r.stdout.contains("Arsip 2023"), "the summary names the skipped sheet: {}", r.stdout);
    assert_eq!(table(&s, "pegawai").height(), 6);
}

#[test]
fn ods_spreadsheet() {
    let s = fixture("ods");
    let r = validate_with_config(&s);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let sum = balanced(&s);
    assert_eq!(file(&sum, "pegawai.ods")["format"], "ods");
    let p = table(&s, "pegawai");
    let rows = by_nip(&p, &["jenis_kelamin", "unit_id"]);
    for (nip, _, sex, _, _, unit) in PEOPLE {
        assert_eq!(rows[nip], vec![Some(sex.into()), Some(unit.into())]);
    }
}

/// An e-Kinerja recap: the perilaku rating is read (it was dropped before), label variants map,
/// "JANUARI - DESEMBER 2025" is the year, `CAPAIAN (%)` has a decimal comma; the annual SKP file
/// has "Tahun 2024" as its period.
#[test]
fn ekinerja_recap_and_annual_skp() {
    let s = fixture("ekinerja");
    let r = validate_with_config(&s);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let sum = balanced(&s);
    assert_eq!(file(&sum, "Rekap_SKP_2025.xlsx")["tabel"], "kinerja");
    assert_eq!(file(&sum, "Rekap_SKP_2025.xlsx")["desimal"], "koma");
    let k = table(&s, "kinerja");
    let (nip, periode, ind, nilai) =
        (strings(&k, "nip"), strings(&k, "periode"), strings(&k, "indikator"), floats(&k, "nilai"));
    let series = |i: &str, p: &str| -> Vec<Option<f64>> {
        PEOPLE
            .iter()
            .map(|(n, ..)| {
                (0..k.height())
                    .find(|r| {
                        nip[*r].as_deref() == Some(n)
                            && ind[*r].as_deref() == Some(i)
                            && periode[*r].as_deref() == Some(p)
                    })
                    .and_then(|r| nilai[r])
            })
            .collect()
    };
    let v = |x: [f64; 6]| x.iter().map(|v| Some(*v)).collect::<Vec<_>>();
    assert_eq!(series("rating_hasil_kerja", "2025"), v([3.0, 2.0, 2.0, 1.0, 1.0, 2.0]));
    assert_eq!(series("rating_perilaku", "2025"), v([3.0, 3.0, 1.0, 2.0, 1.0, 2.0]));
    assert_eq!(series("predikat", "2025"), v([5.0, 4.0, 2.0, 3.0, 1.0, 5.0]));
    assert_eq!(series("capaian_iki", "2025"), v([105.5, 98.0, 88.25, 71.0, 40.0, 100.0]));
    assert_eq!(series("predikat", "2024")[..3], [Some(4.0), Some(4.0), Some(4.0)]);
    // Only the last person's predikat (Luar Biasa) disagrees with Sesuai × Sesuai (Baik).
    let w = warnings(&s);
    let m = one_reject(&w, "predikat_tidak_sesuai_matriks");
    assert_eq!((m["berkas"].as_str(), m["baris"].as_str()), ("Rekap_SKP_2025.xlsx", "9"));
    assert!(!w.iter().any(|r| r["kode_alasan"] == "kolom_mirip_bidang"), "{w:#?}");
}

/// Google Forms in the US locale: 17 of 18 timestamps read both ways; the column is month-first
/// because one (6/24/2025) reads only that way. Nothing is swapped and no phantom semester appears.
#[test]
fn google_forms_us_locale() {
    let s = fixture("skm_forms_us");
    let r = validate_with_config(&s);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let sum = balanced(&s);
    let f = file(&sum, "Survei Kepuasan Masyarakat (Responses) - Form Responses 1.csv");
    assert_eq!(f["tabel"], "skm");
    assert_eq!(f["urutan_tanggal"][0]["urutan"], "bulan-hari-tahun / month-day-year");
    let t = table(&s, "skm");
    assert_eq!(t.height(), 18);
    let expected_dates: Vec<Option<String>> = (0..18)
        .map(|r| {
            Some(if r == 17 {
                "2025-06-24".to_string()
            } else {
                format!("2025-{:02}-{:02}", 1 + r % 6, 1 + (r * 5) % 12)
            })
        })
        .collect();
    assert_eq!(dates(&t, "tanggal"), expected_dates);
    assert!(dates(&t, "tanggal").iter().flatten().all(|d| d.as_str() < "2025-07-01"), "all in semester 1");
    // The answers, by the questionnaire's formula of the fixture: question q of respondent r.
    let answer = |r: i64, q: i64| if (r + q) % 5 != 0 { (r * 7 + q * 3) % 4 + 1 } else { 4 };
    for (u, q) in [(1, 0), (4, 3), (7, 6), (8, 8), (9, 7)] {
        // Question 8 is sarana (u9), question 9 pengaduan (u8), by their wording.
        let want: Vec<Option<i64>> = (0..18).map(|r| Some(answer(r, q))).collect();
        assert_eq!(ints(&t, &format!("u{u}")), want, "u{u}");
    }
    let units: Vec<Option<String>> = strings(&t, "unit_id");
    assert_eq!(units[0].as_deref(), Some(PASSO));
    assert_eq!(units[1].as_deref(), Some(LATUHALAT));
}

#[test]
fn google_forms_indonesian_locale_is_assumed_day_first_and_says_so() {
    let s = fixture("skm_forms_id");
    let r = validate_with_config(&s);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    balanced(&s);
    let t = table(&s, "skm");
    assert_eq!(
        dates(&t, "tanggal"),
        (0..6).map(|r| Some(format!("2025-{:02}-{:02}", 7 + r, 3 + r))).collect::<Vec<_>>()
    );
    let w = warnings(&s);
    let x = one_reject(&w, "urutan_tanggal_diasumsikan");
    assert_eq!((x["kolom"].as_str(), x["nilai_mentah"].as_str()), ("tanggal", "3/7/2025 10.00.00"));
    assert!(x["keterangan"].contains("Stempel waktu"), "the warning names the column: {x:?}");
}

/// A portal's per-unit IKM worksheet: unit and period from the title block, summary rows not
/// respondents, U8 = sarana and U9 = pengaduan (the config says so), the portal's own IKM kept.
#[test]
fn ikm_worksheet_of_a_regional_portal() {
    let s = fixture("skm_ikm_worksheet");
    let r = validate_with_config(&s);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let sum = balanced(&s);
    let f = file(&sum, "IKM_Passo.xlsx");
    assert_eq!(f["baris_dibaca"], 30, "29 respondents and the IKM row; the Σ, NRR and note rows are layout");
    let t = table(&s, "skm");
    assert_eq!(t.height(), 29);
    assert!(strings(&t, "unit_id").iter().all(|u| u.as_deref() == Some(PASSO)));
    assert!(dates(&t, "tanggal").iter().all(|d| d.as_deref() == Some("2025-01-01")));
    // The published example's totals, in the unsur numbering (u8 pengaduan 105, u9 sarana 115).
    let totals: Vec<i64> = (1..=9).map(|u| ints(&t, &format!("u{u}")).iter().flatten().sum()).collect();
    assert_eq!(totals, vec![105, 101, 100, 116, 102, 105, 106, 105, 115]);
    let l = table(&s, "layanan");
    assert_eq!(strings(&l, "indikator"), vec![Some("ikm".into())]);
    assert_eq!(strings(&l, "periode"), vec![Some("2025-S1".into())]);
    // The portal weighted with 0,111: 32.931 · 0.111 · 25 = 91.38 (the exact 1/9 gives 91.48).
    let reported = floats(&l, "nilai")[0].expect("ikm");
    assert!((reported - 91.38).abs() < 0.01, "{reported}");
    assert!(f["konteks"].to_string().contains("PUSKESMAS PASSO"), "{f}");
}

#[test]
fn fourteen_unsur_survey() {
    let s = fixture("skm_14_unsur");
    let r = validate_with_config(&s);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    balanced(&s);
    let t = table(&s, "skm");
    assert_eq!(t.height(), 50);
    // NRR 3,06 2,98 3,06 2,90 3,06 3,14 3,04 3,06 3,18 3,08 3,20 3,18 3,10 3,04 of the worked
    // Kepmenpan 25/2004 example, over 50 respondents: these answer totals.
    let totals = [153, 149, 153, 145, 153, 157, 152, 153, 159, 154, 160, 159, 155, 152];
    for (u, want) in totals.iter().enumerate() {
        let sum: i64 = ints(&t, &format!("u{}", u + 1)).iter().flatten().sum();
        assert_eq!(sum, *want, "u{}", u + 1);
    }
}

/// The first row of a run's `ikm_per_unit.parquet`: computed konversi, mutu, reported konversi,
/// its mutu, whether they disagree, and the number of unsur.
type IkmRow = (Option<f64>, Option<String>, Option<f64>, Option<String>, Option<bool>, Option<i64>);

fn ikm_row(s: &Scratch, period: &str) -> IkmRow {
    let r = run(&[
        "run".into(),
        "--input".into(),
        s.input().display().to_string(),
        "--out".into(),
        s.path("runs").display().to_string(),
        "--period".into(),
        period.into(),
        "--force".into(),
    ]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let t = mutasi_io::data::table::read_table(&s.path("runs").join(period).join("ikm_per_unit.parquet"))
        .expect("ikm");
    let bools = match t.get("beda_laporan") {
        Some(ColumnData::Bool(v)) => v[0],
        other => panic!("{other:?}"),
    };
    (
        floats(&t, "ikm_konversi")[0],
        strings(&t, "mutu")[0].clone(),
        floats(&t, "ikm_konversi_laporan")[0],
        strings(&t, "mutu_laporan")[0].clone(),
        bools,
        ints(&t, "jumlah_unsur")[0],
    )
}

/// A 14-unsur survey is graded by Kepmenpan 25/2004: its report's 76,475 (weights 0,071) and the
/// exact 76,93 are both B there, so they agree; by PermenPANRB 14/2017's intervals the report
/// would be C and flagged.
#[test]
fn fourteen_unsur_survey_is_graded_by_its_own_regulation() {
    let s = fixture("skm_14_unsur");
    let (computed, mutu, reported, mutu_reported, differs, unsur) = ikm_row(&s, "2010-06");
    assert!((computed.expect("ikm") - 2154.0 / 700.0 * 25.0).abs() < 1e-9, "{computed:?}");
    assert_eq!(
        (mutu.as_deref(), mutu_reported.as_deref(), reported, unsur),
        (Some("B"), Some("B"), Some(76.475), Some(14))
    );
    assert_eq!(differs, Some(false));
}

/// A portal IKM 0,09 below the computed one but on the other side of 88,31 is flagged: the mutu
/// differs however small the gap.
#[test]
fn a_reported_ikm_of_another_mutu_is_flagged_however_small_the_gap() {
    let s = Scratch::with_base();
    // 200 respondents, every unsur 107 × 4 and 93 × 3: NRR 3,535, IKM 88,375 (A).
    let mut csv = String::from("unit_id,tanggal,u1,u2,u3,u4,u5,u6,u7,u8,u9\n");
    for r in 0..200 {
        let v = if r < 107 { 4 } else { 3 };
        csv.push_str(&format!("PKM01,{:02}-02-2025{}\n", 1 + r % 28, format!(",{v}").repeat(9)));
    }
    s.write("in/skm.csv", &csv);
    // The portal's 0,111 weights: 3,535 · 0,999 · 25 = 88,286 (B).
    s.write("in/layanan.csv", "unit_id,periode,indikator,nilai\nPKM01,2025-S1,ikm,88.29\n");
    let (computed, mutu, reported, mutu_reported, differs, _) = ikm_row(&s, "2025-06");
    assert!((computed.expect("ikm") - 88.375).abs() < 1e-9);
    assert_eq!((mutu.as_deref(), reported, mutu_reported.as_deref()), (Some("A"), Some(88.29), Some("B")));
    assert_eq!(differs, Some(true), "0,085 apart but A against B");
}

/// Three permohonan columns: month-first by evidence, all ambiguous, and mixed.
#[test]
fn date_order_is_decided_per_column() {
    let s = fixture("dates_us");
    assert_eq!(validate_with_config(&s).code, 0);
    let t = table(&s, "permohonan");
    assert_eq!(
        dates(&t, "tanggal_pengajuan"),
        ["2025-01-25", "2025-02-03", "2025-03-14", "2025-04-02"].map(|d| Some(d.to_string())).to_vec()
    );
    assert!(warnings(&s).is_empty());

    let s = fixture("dates_ambiguous");
    assert_eq!(validate_with_config(&s).code, 0);
    let t = table(&s, "permohonan");
    assert_eq!(
        dates(&t, "tanggal_pengajuan"),
        ["2025-02-01", "2025-04-03", "2025-06-05", "2025-08-07"].map(|d| Some(d.to_string())).to_vec()
    );
    assert_eq!(warnings(&s).len(), 1);

    let s = fixture("dates_mixed");
    assert_eq!(validate_with_config(&s).code, 1, "the contradicting date is a reject");
    let t = table(&s, "permohonan");
    assert_eq!(
        dates(&t, "tanggal_pengajuan"),
        ["2025-01-25", "2025-02-26", "2025-04-03"].map(|d| Some(d.to_string())).to_vec()
    );
    let rej = rejects(&s);
    let x = one_reject(&rej, "tanggal_bertentangan_urutan");
    assert_eq!((x["baris"].as_str(), x["nilai_mentah"].as_str()), ("5", "04/28/2025"));
    balanced(&s);
}

/// A table in two parts is one column per header: a part whose every date reads both ways takes
/// the order the other part's dates show, without a warning.
#[test]
fn date_order_is_pooled_over_the_parts_of_a_table() {
    let s = fixture("dates_ambiguous");
    std::fs::rename(s.input().join("permohonan.csv"), s.input().join("permohonan_1.csv")).expect("mv");
    s.write(
        "in/permohonan_2.csv",
        &format!("nip,tanggal_pengajuan,status\n{},01/25/2025,diajukan\n", PEOPLE[4].0),
    );
    let r = validate_with_config(&s);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let t = table(&s, "permohonan");
    assert_eq!(
        dates(&t, "tanggal_pengajuan"),
        ["2025-01-02", "2025-03-04", "2025-05-06", "2025-07-08", "2025-01-25"]
            .map(|d| Some(d.to_string()))
            .to_vec()
    );
    assert!(warnings(&s).is_empty(), "{:#?}", warnings(&s));
    let sum = balanced(&s);
    assert!(
        file(&sum, "permohonan_1.csv")["urutan_tanggal"][0]["dasar"]
            .as_str()
            .is_some_and(|d| d.contains("2 berkas"))
    );
}

/// `mutasi inspect` says what was understood of each file, suggests an alias for a column that
/// looks like a missing field, and writes nothing.
#[test]
fn inspect_shows_tables_mappings_dates_and_suggestions() {
    let s = fixture("siasn_export");
    s.write("in/pegawai_tambahan.csv", &format!("NIP,Nama,Golongan Ruang Akhir\n{},X,III/b\n", PEOPLE[0].0));
    let before: Vec<_> = std::fs::read_dir(s.input()).expect("dir").map(|e| e.expect("e").path()).collect();
    let r = run(&["inspect".into(), "--input".into(), s.input().display().to_string()]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let o = &r.stdout;
    for want in [
        "Data_ASN_20251201.csv",
        "tabel / table: pegawai",
        "GOL AKHIR NAMA",
        "→ golongan",
        "TANGGAL LAHIR",
        "hari-bulan-tahun",
        "HierarkiUnor_20251201.xlsx",
        "tabel / table: unit_kerja",
        "ID_ATASAN",
        "→ induk_unit_id",
        "[tables.pegawai.aliases] golongan = [\"Golongan Ruang Akhir\"]",
        "baris pertama / first rows",
    ] {
        assert!(o.contains(want), "inspect output lacks `{want}`:\n{o}");
    }
    assert!(!o.contains("198609262015051001"), "NIPs are masked:\n{o}");
    let after: Vec<_> = std::fs::read_dir(s.input()).expect("dir").map(|e| e.expect("e").path()).collect();
    assert_eq!(before, after, "inspect changes nothing");
    assert!(!s.out().exists());
}

/// A folder whose files do not include a required table says what it found, file by file.
#[test]
fn a_missing_table_lists_what_the_folder_holds() {
    let s = fixture("simpeg_biff");
    std::fs::remove_file(s.input().join("unit_kerja.csv")).expect("rm");
    s.write("in/catatan.json", "{\"judul\": \"catatan\"}");
    let r = s.validate(&[]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("`unit_kerja`"), "{}", r.stderr);
    assert!(
        r.stderr.contains("Data Pegawai.xls (lembar / sheet `Pegawai`): dibaca sebagai / read as pegawai"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("catatan.json: kolomnya tidak cocok"), "{}", r.stderr);
    assert!(!r.stderr.contains("unit_kerja.csv not found"), "{}", r.stderr);
}
