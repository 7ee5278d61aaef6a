//! Every accepted format quirk of real exports, end to end through `mutasi validate`.

use super::util::*;

fn kinerja_triples(s: &Scratch) -> Vec<(String, String, f64)> {
    let k = table(s, "kinerja");
    let p = strings(&k, "periode");
    let i = strings(&k, "indikator");
    let v = floats(&k, "nilai");
    p.into_iter()
        .zip(i)
        .zip(v)
        .map(|((p, i), v)| (p.unwrap_or_default(), i.unwrap_or_default(), v.unwrap_or(f64::NAN)))
        .collect()
}

#[test]
fn semicolon_csv_with_sep_line_decimal_comma_and_month_names() {
    let s = Scratch::with_base();
    s.write("in/kinerja.csv", &format!("sep=;\nNIP;Periode;Indikator;Nilai\n{NIP_A};Januari 2024;Capaian IKI;76,475\n{NIP_A};Februari 2024;Jumlah Kegiatan;4.806\n{NIP_B};Mei 2024;Nilai SKP;82,5\n"));
    let r = s.validate(&[]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let k = kinerja_triples(&s);
    assert_eq!(k[0], ("2024-01".into(), "capaian_iki".into(), 76.475));
    // Dot thousands in an Indonesian file: 4.806 is four thousand eight hundred and six.
    assert_eq!(k[1].2, 4806.0);
    assert_eq!(k[2], ("2024-05".into(), "nilai_skp".into(), 82.5));
    let sum = summary(&s);
    let f = sum["berkas"]
        .as_array()
        .expect("files")
        .iter()
        .find(|f| f["berkas"] == "kinerja.csv")
        .expect("kinerja file")
        .clone();
    assert_eq!(f["pemisah"], ";");
    assert_eq!(f["desimal"], "koma");
}

#[test]
fn international_file_keeps_dot_decimals() {
    let s = Scratch::with_base();
    s.write("in/kinerja.csv", &format!("nip,periode,indikator,nilai\n{NIP_A},2024-01,capaian_iki,4.806\n{NIP_A},2024-02,jumlah_kegiatan,\"1,234.5\"\n"));
    assert_eq!(s.validate(&[]).code, 0);
    let k = kinerja_triples(&s);
    assert_eq!((k[0].2, k[1].2), (4.806, 1234.5));
}

#[test]
fn bom_tab_and_pipe_files() {
    let s = Scratch::new();
    s.write("in/unit_kerja.csv", &format!("\u{feff}{}", UNIT_CSV.replace(',', "\t")));
    s.write(
        "in/pegawai.csv",
        &pegawai_csv().replace("\"Maria Ely, S.Kep\"", "Maria Ely S.Kep").replace(',', "|"),
    );
    let r = s.validate(&["--with-identities"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert_eq!(table(&s, "unit_kerja").height(), 3);
    assert_eq!(strings(&table(&s, "pegawai"), "nip")[1].as_deref(), Some(NIP_B));
}

#[test]
fn windows_1252_and_utf16_are_decoded() {
    let s = Scratch::with_base();
    let mut bytes = b"nip,nama\n".to_vec();
    bytes.extend_from_slice(NIP_A.as_bytes());
    bytes.extend_from_slice(b",Jos\xE9 Pattiasina\n");
    s.write_bytes("in/pegawai.csv", &bytes);
    let r = s.validate(&["--with-identities"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(strings(&table(&s, "pegawai"), "nama")[0].as_deref(), Some("José Pattiasina"));
    assert!(r.stdout.contains("Windows-1252"), "{}", r.stdout);

    let text = format!("nip,nama\n{NIP_B},Ruth Ely\n");
    let mut utf16 = vec![0xFF, 0xFE];
    for u in text.encode_utf16() {
        utf16.extend_from_slice(&u.to_le_bytes());
    }
    s.write_bytes("in/pegawai.csv", &utf16);
    assert_eq!(s.validate(&["--with-identities"]).code, 0);
    assert_eq!(strings(&table(&s, "pegawai"), "nip")[0].as_deref(), Some(NIP_B));
}

#[test]
fn quoted_newlines_keep_spreadsheet_row_numbers() {
    let s = Scratch::with_base();
    s.write("in/mutasi.csv", &format!("nip,tmt,unit_tujuan_id,jabatan_baru\n{NIP_A},2023-08-01,PKM17,\"Perawat\nAhli Muda\"\n{NIP_B},2023-13-01,PKM01,Bidan\n"));
    assert_eq!(s.validate(&[]).code, 1);
    let rej = rejects(&s);
    let r = one_reject(&rej, "tanggal_tidak_ada");
    assert_eq!(r["baris"], "3", "the second record is spreadsheet row 3 despite the embedded newline");
    assert_eq!(strings(&table(&s, "mutasi"), "jabatan_baru")[0].as_deref(), Some("Perawat\nAhli Muda"));
}

#[test]
fn every_documented_date_layout() {
    let s = Scratch::with_base();
    let dates = [
        "2023-08-17",
        "17-08-2023",
        "17/08/2023",
        "17/08/23",
        "17 Agustus 2023",
        "1 Agt 2022",
        "3 Nopember 2022",
        "29 Pebruari 2024",
        "45291",
        "Jumat, 19 Desember 2025",
        "2024-01-31 08:30:00",
    ];
    let expected = [
        "2023-08-17",
        "2023-08-17",
        "2023-08-17",
        "2023-08-17",
        "2023-08-17",
        "2022-08-01",
        "2022-11-03",
        "2024-02-29",
        "2023-12-31",
        "2025-12-19",
        "2024-01-31",
    ];
    let mut csv = String::from("unit_id,tanggal,u1,u2,u3,u4,u5,u6,u7,u8,u9\n");
    for d in dates {
        csv.push_str(&format!("PKM01,\"{d}\",3,3,3,3,3,3,3,3,3\n"));
    }
    s.write("in/skm.csv", &csv);
    let r = s.validate(&[]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let t = table(&s, "skm");
    let col = t.get("tanggal").expect("tanggal");
    let got: Vec<String> = (0..t.height()).map(|i| col.text(i)).collect();
    assert_eq!(got, expected);
}

#[test]
fn periods_keep_their_type() {
    let s = Scratch::with_base();
    s.write("in/layanan.csv", "unit_id;periode;indikator;nilai\nPKM01;2024-01;Kunjungan;2.345\nPKM01;Februari 2024;Kunjungan;2.400\nPKM01;2024-03-31;Kunjungan;2.500\nPKM01;TW I 2024;IKM;82,5\nPKM01;Semester 2 2023;IKM;80,25\nPKM01;2023;Rapor Literasi;70\n");
    assert_eq!(s.validate(&[]).code, 0);
    let l = table(&s, "layanan");
    let labels: Vec<String> = strings(&l, "periode").into_iter().flatten().collect();
    let kinds: Vec<String> = strings(&l, "jenis_periode").into_iter().flatten().collect();
    assert_eq!(labels, ["2024-01", "2024-02", "2024-03", "2024-TW1", "2023-S2", "2023"]);
    assert_eq!(kinds, ["bulan", "bulan", "bulan", "triwulan", "semester", "tahun"]);
    assert_eq!(floats(&l, "nilai")[0], Some(2345.0));
}

#[test]
fn siasn_headers_nip_cleaning_and_derived_fields() {
    let s = Scratch::with_base();
    s.write(
        "in/pegawai.csv",
        &format!(
            "nipBaru,nama,golRuangAkhir,jenisJabatan,jabatanNama,unorId\n\"NIP. 19860926 201505 1 001\",\"dr. YOHANIS WATTIMENA\",Penata Muda Tk.I,Fungsional,Dokter Ahli Pertama,PKM01\n'{NIP_B},\"Maria Ely, S.Kep\",III b,Fungsional,Perawat Terampil,Puskesmas Passo\n{NIP_C},Petrus Lopis,IVa,Struktural,Kepala Dinas Kesehatan,DINKES\n{NIP_P},Siti Tuasikal,IX,Fungsional,Bidan Terampil,PKM01\n"
        ),
    );
    s.write(
        "in/mutasi.csv",
        &format!("nipBaru,tmtJabatan,unorId,jabatanNama,nomorSk,tanggalSk,jenisMutasi\n{NIP_C},01-03-2023,DINKES,Kepala Seksi Promkes,100 Tahun 2023,20-02-2023,\n{NIP_C},01-03-2025,DINKES,Kepala Dinas Kesehatan,200 Tahun 2025,20-02-2025,MJ\n{NIP_A},01-06-2024,PKM17,Dokter Ahli Pertama,300 Tahun 2024,20-05-2024,MU\n"),
    );
    let r = s.validate(&["--with-identities"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let p = table(&s, "pegawai");
    assert_eq!(strings(&p, "nip")[0].as_deref(), Some(NIP_A));
    assert_eq!(strings(&p, "nama_tampilan")[0].as_deref(), Some("Yohanis Wattimena"));
    assert_eq!(strings(&p, "nama")[0].as_deref(), Some("dr. YOHANIS WATTIMENA"), "raw name kept");
    assert_eq!(
        strings(&p, "golongan"),
        vec![Some("III/b".into()), Some("III/b".into()), Some("IV/a".into()), Some("IX".into())]
    );
    assert_eq!(
        strings(&p, "status_asn"),
        vec![Some("PNS".into()), Some("PNS".into()), Some("PNS".into()), Some("PPPK".into())]
    );
    assert_eq!(strings(&p, "jenis_kelamin")[1].as_deref(), Some("P"), "from NIP digit 15");
    // Unit given by name resolves to its id.
    assert_eq!(strings(&p, "unit_id")[1].as_deref(), Some("PKM17"));
    let m = table(&s, "mutasi");
    assert_eq!(
        strings(&m, "jenis_mutasi"),
        vec![Some("rotasi".into()), Some("promosi".into()), Some("rotasi".into())]
    );
    assert_eq!(
        strings(&m, "unit_asal_id")[1].as_deref(),
        Some("DINKES"),
        "origin filled from the previous transfer"
    );
}

#[test]
fn predikat_labels_siasn_codes_and_the_matrix() {
    let s = Scratch::with_base();
    s.write(
        "in/kinerja.csv",
        &format!(
            "nipBaru,periode,hasilKinerjaNilai,perilakuKerjaNilai,kuadranKinerjaNilai\n{NIP_A},2023-01,1,1,1\n{NIP_A},2023-02,DIATAS ESPEKTASI,SESUAI ESPEKTASI,BAIK\n{NIP_B},2023-01,3,2,1\n"
        ),
    );
    let r = s.validate(&[]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let k = kinerja_triples(&s);
    // SIASN code 1 (Di Atas / Sangat Baik) becomes the top ordinal.
    assert!(k.contains(&("2023-01".into(), "rating_hasil_kerja".into(), 3.0)));
    assert!(k.contains(&("2023-01".into(), "predikat".into(), 5.0)));
    assert!(k.contains(&("2023-02".into(), "predikat".into(), 4.0)));
    // Di Bawah × Sesuai is Butuh Perbaikan, not Sangat Baik: a warning, the row is kept.
    let w = warnings(&s);
    let hit = one_reject(&w, "predikat_tidak_sesuai_matriks");
    assert_eq!(hit["baris"], "4");
    assert!(hit["keterangan"].contains("Butuh Perbaikan"));
    assert_eq!(k.len(), 9);
}

#[test]
fn xlsx_with_title_block_typed_cells_and_named_sheet() {
    let s = Scratch::with_base();
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Catatan").expect("name");
    ws.write_string(0, 0, "bukan data").expect("write");
    let ws = wb.add_worksheet();
    ws.set_name("Riwayat").expect("name");
    ws.write_string(0, 0, "RIWAYAT MUTASI PEGAWAI").expect("w");
    ws.write_string(1, 0, "Dinas Kesehatan Kota Ambon").expect("w");
    for (c, h) in ["NIP Baru", "TMT Jabatan", "Unit Kerja", "Nomor SK"].iter().enumerate() {
        ws.write_string(3, c as u16, *h).expect("w");
    }
    ws.write_string(4, 0, NIP_A).expect("w");
    ws.write_number(4, 1, 45170.0).expect("w"); // 2023-09-01 as an Excel serial
    ws.write_string(4, 2, "Puskesmas Passo").expect("w");
    ws.write_number(5, 0, 198_609_262_015_051_001f64).expect("w"); // NIP typed as a number
    ws.write_string(5, 1, "01-10-2023").expect("w");
    ws.write_string(5, 2, "PKM01").expect("w");
    wb.save(s.path("in/mutasi.xlsx")).expect("save");
    s.write(
        "cfg.toml",
        "[tables.mutasi]\nsheet = \"Riwayat\"\n[tables.mutasi.aliases]\nunit_tujuan_id = [\"Unit Kerja\"]\n",
    );
    let r = s.validate(&["--config", &s.path("cfg.toml").display().to_string()]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    let m = table(&s, "mutasi");
    assert_eq!(m.height(), 1);
    assert_eq!(strings(&m, "unit_tujuan_id")[0].as_deref(), Some("PKM17"));
    let rej = rejects(&s);
    let r = one_reject(&rej, "nip_rusak_excel");
    assert_eq!((r["berkas"].as_str(), r["baris"].as_str(), r["kolom"].as_str()), ("mutasi.xlsx", "6", "nip"));
}

#[test]
fn parquet_input_with_typed_columns() {
    use mutasi_io::data::table::{ColumnData, TableData, write_parquet};
    let s = Scratch::with_base();
    let mut t = TableData::default();
    // NIP as int64, a structural surprise some exports have.
    t.push(
        "nip",
        ColumnData::I64(vec![Some(NIP_A.parse().expect("nip")), Some(NIP_B.parse().expect("nip"))]),
    );
    t.push(
        "tmt",
        ColumnData::Date(vec![
            chrono::NaiveDate::from_ymd_opt(2023, 7, 1),
            chrono::NaiveDate::from_ymd_opt(2024, 1, 1),
        ]),
    );
    t.push("unit_tujuan_id", ColumnData::Str(vec![Some("PKM17".into()), Some("PKM01".into())]));
    std::fs::create_dir_all(s.input()).expect("mkdir");
    write_parquet(t, &s.path("in/mutasi.parquet")).expect("write parquet");
    let r = s.validate(&["--with-identities"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let m = table(&s, "mutasi");
    assert_eq!(strings(&m, "nip"), vec![Some(NIP_A.to_string()), Some(NIP_B.to_string())]);
}

#[test]
fn old_nip_maps_through_the_crosswalk() {
    let s = Scratch::with_base();
    s.write("in/mutasi.csv", "nip,tmt,unit_tujuan_id\n131110468,2023-07-01,PKM17\n");
    s.write("in/crosswalk.csv", &format!("nip_lama,nip_baru\n131110468,{NIP_A}\n"));
    assert_eq!(s.validate(&[]).code, 1, "without the crosswalk the old NIP is rejected");
    one_reject(&rejects(&s), "nip_lama_tanpa_padanan");
    s.write("cfg.toml", "nip_crosswalk = \"crosswalk.csv\"\n");
    let r = s.validate(&["--config", &s.path("cfg.toml").display().to_string(), "--with-identities"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert_eq!(strings(&table(&s, "mutasi"), "nip")[0].as_deref(), Some(NIP_A));
}

#[test]
fn config_aliases_map_any_header_and_parts_are_combined() {
    let s = Scratch::with_base();
    s.write(
        "in/kinerja_2023.csv",
        &format!("Nomor Pegawai,Bulan,Ukuran,Skor\n{NIP_A},2023-12,capaian_iki,80\n"),
    );
    s.write(
        "in/kinerja_2024.csv",
        &format!("Nomor Pegawai,Bulan,Ukuran,Skor\n{NIP_A},2024-01,capaian_iki,81\n"),
    );
    s.write("cfg.toml", "[tables.kinerja.aliases]\nnip = [\"Nomor Pegawai\"]\nperiode = [\"Bulan\"]\nindikator = [\"Ukuran\"]\nnilai = [\"Skor\"]\n");
    let r = s.validate(&["--config", &s.path("cfg.toml").display().to_string()]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert_eq!(kinerja_triples(&s).len(), 2);
}

#[test]
fn blank_lines_count_as_spreadsheet_rows() {
    let s = Scratch::with_base();
    s.write("in/kinerja.csv", &format!("sep=,\nnip,periode,indikator,nilai\n{NIP_A},2024-01,capaian_iki,80\n\n{NIP_A},2024-02,capaian_iki,oops\n"));
    assert_eq!(s.validate(&[]).code, 1);
    // Excel hides the sep= line and shows the blank line as row 3.
    assert_eq!(one_reject(&rejects(&s), "angka_tidak_sah")["baris"], "4");
}

#[test]
fn english_headers_are_accepted() {
    let s = Scratch::new();
    s.write("in/unit_kerja.csv", "unit_code,unit_name,department,type\nPKM01,Puskesmas Latuhalat,Dinas Kesehatan,Puskesmas\nPKM17,Puskesmas Passo,Dinas Kesehatan,Puskesmas\n");
    s.write("in/pegawai.csv", &format!("employee_id,full_name,gender,date_of_birth,position\n{NIP_A},Yohanis Wattimena,M,26/09/1986,Dokter Ahli Pertama\n"));
    s.write("in/mutasi.csv", &format!("employee_id,effective_date,destination_unit,origin_unit,transfer_type\n{NIP_A},2024-07-01,PKM17,PKM01,rotation\n"));
    s.write(
        "in/kinerja.csv",
        &format!("employee_id,period,indicator,score\n{NIP_A},2024-07,capaian_iki,90\n"),
    );
    let r = s.validate(&[]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let m = table(&s, "mutasi");
    assert_eq!(strings(&m, "unit_tujuan_id")[0].as_deref(), Some("PKM17"));
    assert_eq!(strings(&m, "jenis_mutasi")[0].as_deref(), Some("rotasi"));
    assert_eq!(strings(&table(&s, "unit_kerja"), "opd")[0].as_deref(), Some("Dinas Kesehatan"));
    assert_eq!(strings(&table(&s, "pegawai"), "jabatan")[0].as_deref(), Some("Dokter Ahli Pertama"));
}
