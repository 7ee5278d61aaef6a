//! Every reject and warning reason, each asserted with its file, row and column.
//!
//! Table-driven: a case is a set of input files plus the finding it must produce. The last test
//! checks that every reason in the catalogue has a case here.

use std::collections::HashSet;

use super::util::*;
use mutasi_domain::reason::{Reason, Severity};
use mutasi_io::data::table::read_table;

pub struct Case {
    pub code: &'static str,
    /// Extra or replacing input files: (name, content).
    pub files: Vec<(&'static str, String)>,
    pub file: &'static str,
    pub row: &'static str,
    pub column: &'static str,
}

pub fn case(
    code: &'static str,
    file: &'static str,
    content: String,
    row: &'static str,
    column: &'static str,
) -> Case {
    Case { code, files: vec![(file, content)], file, row, column }
}

pub fn kin(rows: &str) -> String {
    format!("nip,periode,indikator,nilai\n{rows}")
}

pub fn mut_(rows: &str) -> String {
    format!("nip,tmt,unit_tujuan_id,jenis_mutasi,tanggal_sk\n{rows}")
}

pub fn peg(rows: &str) -> String {
    format!("{}{rows}", pegawai_csv())
}

fn cases() -> Vec<Case> {
    vec![
        case("wajib_kosong", "kinerja.csv", kin(&format!("{NIP_A},2024-01,capaian_iki,\n")), "2", "nilai"),
        case("sel_error_excel", "kinerja.csv", kin(&format!("{NIP_A},2024-01,capaian_iki,#N/A\n")), "2", "nilai"),
        case("jumlah_kolom_salah", "kinerja.csv", kin(&format!("{NIP_A},2024-01,capaian_iki,80\n{NIP_B},2024-01,capaian_iki,80,extra\n")), "3", "*"),
        case("nip_rusak_excel", "pegawai.csv", peg("1.98609E+17,Nama,L,PKM01\n"), "6", "nip"),
        case("nip_lama_tanpa_padanan", "pegawai.csv", peg("131110468,Nama,L,PKM01\n"), "6", "nip"),
        case("nip_panjang_salah", "pegawai.csv", peg("1986092620150510,Nama,L,PKM01\n"), "6", "nip"),
        case("nip_bukan_angka", "pegawai.csv", peg("19860926201505100X,Nama,L,PKM01\n"), "6", "nip"),
        case("nip_tanggal_lahir_salah", "pegawai.csv", peg("198602302015051001,Nama,L,PKM01\n"), "6", "nip"),
        case("nip_tmt_salah", "pegawai.csv", peg("198609262015001001,Nama,L,PKM01\n"), "6", "nip"),
        case("nip_kode_pppk_salah", "pegawai.csv", peg("199312282025312001,Nama,P,PKM01\n"), "6", "nip"),
        case("nip_digit_kelamin_salah", "pegawai.csv", peg("198609262015053001,Nama,L,PKM01\n"), "6", "nip"),
        case("tanggal_tidak_dikenal", "mutasi.csv", mut_(&format!("{NIP_A},kemarin,PKM17,,\n")), "2", "tmt"),
        case("tanggal_tidak_ada", "mutasi.csv", mut_(&format!("{NIP_A},31-02-2024,PKM17,,\n")), "2", "tmt"),
        case("tanggal_di_luar_rentang", "mutasi.csv", mut_(&format!("{NIP_A},01-01-1900,PKM17,,\n")), "2", "tmt"),
        case("periode_tidak_dikenal", "kinerja.csv", kin(&format!("{NIP_A},Bulan 13 2024,capaian_iki,80\n")), "2", "periode"),
        case("periode_di_luar_rentang", "kinerja.csv", kin(&format!("{NIP_A},2100-01,capaian_iki,80\n")), "2", "periode"),
        case("angka_tidak_sah", "kinerja.csv", kin(&format!("{NIP_A},2024-01,capaian_iki,delapan puluh\n")), "2", "nilai"),
        case("angka_format_campuran", "layanan.csv", "unit_id;periode;indikator;nilai\nPKM01;2024-01;waktu_tunggu;42,5\nPKM01;2024-02;waktu_tunggu;41,5\nPKM01;2024-03;waktu_tunggu;40.5\n".into(), "4", "nilai"),
        case("angka_tidak_hingga", "kinerja.csv", kin(&format!("{NIP_A},2024-01,capaian_iki,NaN\n")), "2", "nilai"),
        case("nilai_di_luar_rentang", "kinerja.csv", kin(&format!("{NIP_A},2024-01,nilai_skp,760\n")), "2", "nilai"),
        case("label_tidak_dikenal", "kinerja.csv", kin(&format!("{NIP_A},2024-01,predikat,Lumayan\n")), "2", "nilai"),
        case("jenis_mutasi_tidak_dikenal", "mutasi.csv", mut_(&format!("{NIP_A},01-07-2024,PKM17,pindah tugas,\n")), "2", "jenis_mutasi"),
        case("nip_tidak_dikenal", "kinerja.csv", kin("199001012015011999,2024-01,capaian_iki,80\n"), "2", "nip"),
        case("unit_tidak_dikenal", "mutasi.csv", mut_(&format!("{NIP_A},01-07-2024,PKM99,rotasi,\n")), "2", "unit_tujuan_id"),
        case("duplikat_bertentangan", "kinerja.csv", kin(&format!("{NIP_A},2024-01,capaian_iki,80\n{NIP_B},2024-01,capaian_iki,70\n{NIP_A},Januari 2024,Capaian IKI,81\n")), "4", "nilai"),
        case("duplikat_identik", "kinerja.csv", kin(&format!("{NIP_A},2024-01,capaian_iki,80\n{NIP_A},2024-01,capaian_iki,80\n")), "3", "nilai"),
        case("nip_ganda", "pegawai.csv", peg(&format!("{NIP_A},Lain,L,PKM17\n")), "6", "nip"),
        case("unit_ganda", "unit_kerja.csv", format!("{UNIT_CSV}PKM01,Puskesmas Lain,Dinas Kesehatan,Puskesmas,Nusaniwe,DINKES\n"), "5", "unit_id"),
        case("status_permohonan_tidak_dikenal", "permohonan.csv", format!("nip,tanggal_pengajuan,status\n{NIP_A},2024-01-02,ditimbang\n"), "2", "status"),
        case("rotasi_ke_unit_sama", "mutasi.csv", format!("nip,tmt,unit_asal_id,unit_tujuan_id,jenis_mutasi\n{NIP_A},01-07-2024,PKM01,PKM01,rotasi\n"), "2", "unit_tujuan_id"),
        Case {
            code: "kinerja_setelah_keluar",
            files: vec![
                ("mutasi.csv", mut_(&format!("{NIP_A},01-03-2024,LUAR,mutasi_keluar,\n"))),
                ("kinerja.csv", kin(&format!("{NIP_A},2024-02,capaian_iki,80\n{NIP_A},2024-03,capaian_iki,81\n"))),
            ],
            file: "kinerja.csv",
            row: "3",
            column: "periode",
        },
        case("mutasi_ganda_hari_sama", "mutasi.csv", mut_(&format!("{NIP_A},01-07-2024,PKM17,rotasi,\n{NIP_B},01-07-2024,DINKES,rotasi,\n{NIP_A},01-07-2024,DINKES,rotasi,\n")), "4", "unit_tujuan_id"),
        // Warnings: the row is kept.
        case("tanggal_sk_terlambat", "mutasi.csv", mut_(&format!("{NIP_A},01-07-2024,PKM17,rotasi,15-09-2024\n")), "2", "tanggal_sk"),
        case("predikat_tidak_sesuai_matriks", "kinerja.csv", kin(&format!("{NIP_A},2024-01,rating_hasil_kerja,1\n{NIP_A},2024-01,rating_perilaku,1\n{NIP_A},2024-01,predikat,Sangat Baik\n")), "4", "predikat"),
        case("status_asn_tidak_sesuai_nip", "pegawai.csv", format!("nip,status_asn\n{NIP_A},PPPK\n"), "2", "status_asn"),
        case("jenis_kelamin_tidak_sesuai_nip", "pegawai.csv", format!("nip,jenis_kelamin\n{NIP_A},Perempuan\n"), "2", "jenis_kelamin"),
        case("tanggal_lahir_tidak_sesuai_nip", "pegawai.csv", format!("nip,tanggal_lahir\n{NIP_A},27-09-1986\n"), "2", "tanggal_lahir"),
        case("nilai_opsional_tidak_dikenal", "pegawai.csv", format!("nip,golongan\n{NIP_A},Gol. Z\n"), "2", "golongan"),
        case("urutan_tanggal_salah", "pelatihan.csv", format!("nip,tanggal_mulai,jenis,tanggal_selesai\n{NIP_A},2024-02-01,pelatihan,2024-01-01\n"), "2", "tanggal_selesai"),
        case("unit_tidak_dikenal_dipertahankan", "pegawai.csv", format!("nip,unit_id\n{NIP_A},PKM99\n"), "2", "unit_id"),
        // Dates: a column's day/month order comes from all its values.
        case("tanggal_bertentangan_urutan", "mutasi.csv", mut_(&format!("{NIP_A},25-01-2024,PKM17,rotasi,\n{NIP_B},26-02-2024,DINKES,rotasi,\n{NIP_C},02-28-2024,PKM01,rotasi,\n")), "4", "tmt"),
        case("urutan_tanggal_campuran", "mutasi.csv", mut_(&format!("{NIP_A},25-01-2024,PKM17,rotasi,\n{NIP_B},26-02-2024,DINKES,rotasi,\n{NIP_C},02-28-2024,PKM01,rotasi,\n")), "4", "tmt"),
        case("urutan_tanggal_diasumsikan", "mutasi.csv", mut_(&format!("{NIP_A},01-02-2024,PKM17,rotasi,\n{NIP_B},03-04-2024,DINKES,rotasi,\n")), "2", "tmt"),
        case("jawaban_skm_tidak_dikenal", "skm.csv", "unit_id,tanggal,u1,u2,u3,u4,u5,u6,u7,u8,u9\nPKM01,2024-02-01,Lumayan,Mudah,Cepat,Gratis,Sesuai,Kompeten,Sopan dan ramah,Tidak ada,Baik\n".into(), "2", "u1"),
        case("pns_id_tidak_dikenal", "kinerja.csv", "pnsDinilaiId,tahun,predikat\nA8ACA7397AE599,2024,Baik\n".into(), "2", "pns_id"),
        case("mutasi_tampak_riwayat", "mutasi.csv", format!("nipBaru,tmtJabatan,unorId,nomorSk,tanggalSk,jabatanFungsionalNama\n{NIP_A},01-03-2015,PKM01,800/1/2015,20-02-2015,Perawat\n"), "1", "unit_asal_id"),
        case("kolom_mirip_bidang", "pegawai.csv", format!("nip,Golongan Ruang Akhir\n{NIP_A},III/b\n"), "1", "golongan"),
    ]
}

/// Runs validate on the base fixture plus the case's files and asserts the finding, its place,
/// its bilingual message and hint, the exit code, and that every read row is accounted for.
pub fn check(c: &Case) {
    let s = Scratch::with_base();
    check_in(&s, c);
}

pub fn check_in(s: &Scratch, c: &Case) {
    for (name, content) in &c.files {
        s.write(&format!("in/{name}"), content);
    }
    let r = s.validate(&[]);
    let reason =
        Reason::ALL.iter().find(|r| r.code() == c.code).unwrap_or_else(|| panic!("unknown code {}", c.code));
    let rows = match reason.severity() {
        Severity::Error => {
            assert_eq!(r.code, 1, "{}: a reject must give exit code 1\n{}{}", c.code, r.stdout, r.stderr);
            rejects(s)
        }
        // A column mixing both date orders always rejects its minority too.
        Severity::Warning if c.code == "urutan_tanggal_campuran" => warnings(s),
        Severity::Warning => {
            assert_eq!(r.code, 0, "{}: warnings never fail a run\n{}{}", c.code, r.stdout, r.stderr);
            assert!(rejects(s).is_empty(), "{}: warnings never drop rows", c.code);
            warnings(s)
        }
    };
    let hits: Vec<&Row> = rows.iter().filter(|r| r["kode_alasan"] == c.code).collect();
    assert!(!hits.is_empty(), "{}: not reported; got {rows:#?}", c.code);
    let hit = hits
        .iter()
        .find(|h| h["baris"] == c.row)
        .unwrap_or_else(|| panic!("{}: no finding at row {}: {hits:#?}", c.code, c.row));
    assert_eq!(hit["berkas"], c.file, "{}", c.code);
    assert_eq!(hit["kolom"], c.column, "{}", c.code);
    assert!(
        !hit["pesan_id"].is_empty() && !hit["pesan_en"].is_empty() && hit["petunjuk"].contains(" / "),
        "{}",
        c.code
    );
    // Every read row is accounted for.
    let sum = summary(s);
    for f in sum["berkas"].as_array().expect("files") {
        let (read, acc, rej) =
            (f["baris_dibaca"].as_u64(), f["baris_diterima"].as_u64(), f["baris_ditolak"].as_u64());
        assert_eq!(read, Some(acc.unwrap_or(0) + rej.unwrap_or(0)), "{}: {f}", c.code);
    }
}

#[test]
fn each_reason_is_reported_where_it_happened() {
    for c in cases() {
        check(&c);
    }
}

#[test]
fn every_reason_in_the_catalogue_has_a_case() {
    let covered: HashSet<&str> = cases().iter().map(|c| c.code).collect();
    let missing: Vec<&str> = Reason::ALL.iter().map(|r| r.code()).filter(|c| !covered.contains(c)).collect();
    assert!(missing.is_empty(), "reasons without a test case: {missing:?}");
}

#[test]
fn raw_values_are_recorded_verbatim() {
    let s = Scratch::with_base();
    s.write("in/pegawai.csv", &peg("\"'1,98609E+17\",Nama,L,PKM01\n"));
    assert_eq!(s.validate(&[]).code, 1);
    let rej = rejects(&s);
    assert_eq!(one_reject(&rej, "nip_rusak_excel")["nilai_mentah"], "'1,98609E+17");
}

#[test]
fn conflicting_duplicates_reject_every_copy_and_name_each_other() {
    let s = Scratch::with_base();
    s.write(
        "in/kinerja.csv",
        &kin(&format!(
            "{NIP_A},2024-01,capaian_iki,80\n{NIP_A},2024-01,capaian_iki,81\n{NIP_B},2024-01,capaian_iki,70\n"
        )),
    );
    assert_eq!(s.validate(&[]).code, 1);
    let rej = rejects(&s);
    let dup: Vec<&Row> = rej.iter().filter(|r| r["kode_alasan"] == "duplikat_bertentangan").collect();
    assert_eq!(dup.len(), 2);
    assert!(
        dup.iter()
            .all(|r| r["keterangan"].contains("kinerja.csv:2") && r["keterangan"].contains("kinerja.csv:3"))
    );
    assert_eq!(table(&s, "kinerja").height(), 1);
}

/// Transfer requests and training records: every row accepted or rejected with its reason, and the
/// counts reconcile; a decision before the request only loses the decision date.
#[test]
fn permohonan_and_pelatihan_rows_are_validated() {
    let s = Scratch::with_base();
    s.write(
        "in/permohonan.csv",
        &format!(
            "NIP;Tanggal Pengajuan;Status;Unit Tujuan;Tanggal Keputusan\n\
             {NIP_A};02/01/2024;Disetujui;PKM17;15/01/2024\n\
             {NIP_B};3 Januari 2024;approved;PKM01;\n\
             {NIP_C};2024-01-05;ditimbang;PKM01;\n\
             199001012015011999;2024-01-05;diajukan;PKM01;\n\
             {NIP_P};2024-02-01;ditolak;PKM99;2024-01-20\n"
        ),
    );
    s.write(
        "in/pelatihan.csv",
        &format!(
            "nip,tanggal_mulai,jenis,tanggal_selesai,jam_pelajaran\n\
             {NIP_A},2024-02-01,Bimbingan,2024-02-28,12\n\
             {NIP_B},2024-02-01,Pelatihan,2024-01-01,-3\n\
             {NIP_C},,Orientasi,,\n"
        ),
    );
    s.write("strict.toml", "[validate]\nmax_reject_rate = 1.0\n");
    let r = s.validate(&["--config", &s.path("strict.toml").display().to_string()]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let rejects = read_table(&s.out().join("rejects.parquet")).expect("rejects");
    let codes: Vec<(String, String)> = (0..rejects.height())
        .map(|i| {
            (
                rejects.str_at("berkas", i).unwrap_or_default().to_string(),
                rejects.str_at("kode_alasan", i).unwrap_or_default().to_string(),
            )
        })
        .collect();
    for want in [
        ("permohonan.csv", "status_permohonan_tidak_dikenal"),
        ("permohonan.csv", "nip_tidak_dikenal"),
        ("pelatihan.csv", "wajib_kosong"),
    ] {
        assert!(codes.iter().any(|(f, c)| f == want.0 && c == want.1), "{want:?} not in {codes:?}");
    }
    let p = read_table(&s.out().join("permohonan.parquet")).expect("permohonan");
    assert_eq!(p.height(), 3, "A, B and P's rows are accepted");
    let status: Vec<&str> = (0..p.height()).filter_map(|i| p.str_at("status", i)).collect();
    assert_eq!(status, ["disetujui", "disetujui", "ditolak"]);
    let warnings = read_table(&s.out().join("warnings.parquet")).expect("warnings");
    let wcodes: Vec<&str> =
        (0..warnings.height()).filter_map(|i| warnings.str_at("kode_alasan", i)).collect();
    assert!(wcodes.contains(&"urutan_tanggal_salah"), "{wcodes:?}");
    assert!(wcodes.contains(&"unit_tidak_dikenal_dipertahankan"), "PKM99 {wcodes:?}");
    // A negative number of hours is an optional value: dropped with a warning, the row kept.
    assert!(wcodes.contains(&"nilai_di_luar_rentang"), "{wcodes:?}");
    let t = read_table(&s.out().join("pelatihan.parquet")).expect("pelatihan");
    assert_eq!(t.height(), 2, "C's row has no start date");
    assert_eq!((t.str_at("jenis", 0), t.str_at("jenis", 1)), (Some("bimbingan"), Some("pelatihan")));
    let recon = read_table(&s.out().join("reconciliation.parquet")).expect("reconciliation");
    assert!(recon.height() >= 4);
}
