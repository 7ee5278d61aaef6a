//! The data-quality summary of a validate run: printed for people, saved as JSON for machines.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::ingest::Loaded;
use crate::validate::reconcile::Reconciliation;
use mutasi_domain::Finding;
use mutasi_domain::reason::Reason;

#[derive(Debug, Serialize)]
pub struct FileSummary {
    pub berkas: String,
    pub tabel: String,
    pub format: String,
    pub encoding: Option<String>,
    pub pemisah: Option<String>,
    pub desimal: Option<String>,
    pub lembar: Option<String>,
    pub baris_dibaca: u64,
    pub baris_diterima: u64,
    pub baris_ditolak: u64,
    pub kolom_tidak_dipakai: Vec<String>,
    /// How each date column's day/month order was decided.
    pub urutan_tanggal: Vec<DateOrderSummary>,
    /// Sheet rows read as header or layout (column numbers), not data.
    pub baris_header: Vec<u64>,
    /// Values taken from the sheet's title or name, or the config (a survey's unit and period).
    pub konteks: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct DateOrderSummary {
    pub kolom: String,
    pub header: String,
    pub urutan: String,
    pub dasar: String,
}

/// A data file or sheet of the input folder that no table takes.
#[derive(Debug, Serialize)]
pub struct UnusedSummary {
    pub berkas: String,
    pub lembar: Option<String>,
    pub alasan: String,
}

#[derive(Debug, Serialize)]
pub struct ReasonCount {
    pub kode: String,
    pub jumlah: usize,
    pub pesan_id: String,
    pub pesan_en: String,
    /// Up to three examples: `file:row column "raw"`.
    pub contoh: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct Summary {
    pub berkas: Vec<FileSummary>,
    /// Data files and sheets not read, and why.
    pub tidak_dipakai: Vec<UnusedSummary>,
    /// What the job-history records became.
    pub riwayat_jabatan: Option<crate::validate::riwayat::RiwayatCounts>,
    pub baris_tabel_kanonik: BTreeMap<String, usize>,
    pub penolakan: Vec<ReasonCount>,
    pub peringatan: Vec<ReasonCount>,
    pub baris_dibaca: u64,
    pub baris_ditolak: u64,
    pub rasio_tolak: f64,
    pub rasio_tolak_maksimum: f64,
    pub lulus: bool,
}

/// Columns whose raw values identify a person, and `*` (a whole raw line): their examples in the
/// summary name the file, row and column but not the value.
pub const IDENTITY_COLUMNS: &[&str] =
    &["nip", "nip_lama", "nip_baru", "nama", "tanggal_lahir", "penilai_id", "penilai_nip", "*"];

fn by_reason(findings: &[Finding], loaded: &Loaded) -> Vec<ReasonCount> {
    let mut groups: BTreeMap<Reason, Vec<&Finding>> = BTreeMap::new();
    for f in findings {
        groups.entry(f.reason).or_default().push(f);
    }
    let mut out: Vec<ReasonCount> = groups
        .into_iter()
        .map(|(r, fs)| ReasonCount {
            kode: r.code().to_string(),
            jumlah: fs.len(),
            pesan_id: r.message_id().to_string(),
            pesan_en: r.message_en().to_string(),
            contoh: fs
                .iter()
                .take(3)
                .map(|f| {
                    let file = loaded.files.get(f.prov.file as usize).map_or("?", |x| x.name.as_str());
                    if IDENTITY_COLUMNS.contains(&f.column.as_str()) {
                        // ringkasan.json is published with the month; the raw value stays in
                        // rejects/warnings (owner-only files).
                        format!(
                            "{file}:{} kolom {} (nilai disamarkan / value withheld)",
                            f.prov.row, f.column
                        )
                    } else {
                        let raw: String = f.raw.chars().take(60).collect();
                        format!("{file}:{} kolom {} \"{raw}\"", f.prov.row, f.column)
                    }
                })
                .collect(),
        })
        .collect();
    out.sort_by(|a, b| b.jumlah.cmp(&a.jumlah).then(a.kode.cmp(&b.kode)));
    out
}

pub fn build(loaded: &Loaded, recon: &[Reconciliation], max_reject_rate: f64) -> Summary {
    let berkas = loaded
        .files
        .iter()
        .zip(recon)
        .map(|(f, r)| FileSummary {
            berkas: f.name.clone(),
            tabel: f.table.name().to_string(),
            format: f.info.format.to_string(),
            encoding: f.info.encoding.map(String::from),
            pemisah: f.info.delimiter.map(|d| if d == '\t' { "\\t".to_string() } else { d.to_string() }),
            desimal: f.decimal.map(|d| d.as_str().to_string()),
            lembar: f.info.sheet.clone(),
            baris_dibaca: r.rows_read,
            baris_diterima: r.rows_accepted,
            baris_ditolak: r.rows_rejected,
            kolom_tidak_dipakai: f.unused_headers.clone(),
            urutan_tanggal: f
                .date_orders
                .iter()
                .map(|d| DateOrderSummary {
                    kolom: d.column.to_string(),
                    header: d.header.clone(),
                    urutan: d.order.label().to_string(),
                    dasar: if d.files > 1 {
                        format!("{}; {} berkas tabel ini / files of this table", d.basis.label(), d.files)
                    } else {
                        d.basis.label().to_string()
                    },
                })
                .collect(),
            baris_header: f.info.header_rows.clone(),
            konteks: f.context.clone(),
        })
        .collect();
    let t = &loaded.tables;
    let baris_tabel_kanonik = BTreeMap::from([
        ("unit_kerja".to_string(), t.unit_kerja.len()),
        ("pegawai".to_string(), t.pegawai.len()),
        ("mutasi".to_string(), t.mutasi.len()),
        ("kinerja".to_string(), t.kinerja.len()),
        ("layanan".to_string(), t.layanan.len()),
        ("skm".to_string(), t.skm.len()),
        ("permohonan".to_string(), t.permohonan.len()),
        ("pelatihan".to_string(), t.pelatihan.len()),
        ("riwayat_jabatan".to_string(), t.riwayat_jabatan.len()),
    ]);
    let read: u64 = recon.iter().map(|r| r.rows_read).sum();
    let rejected: u64 = recon.iter().map(|r| r.rows_rejected).sum();
    let rate = if read == 0 { 0.0 } else { rejected as f64 / read as f64 };
    Summary {
        berkas,
        tidak_dipakai: loaded
            .unused
            .iter()
            .map(|u| UnusedSummary {
                berkas: u.file.clone(),
                lembar: u.sheet.clone(),
                alasan: u.reason.clone(),
            })
            .collect(),
        riwayat_jabatan: loaded.riwayat.clone(),
        baris_tabel_kanonik,
        penolakan: by_reason(&loaded.rejects, loaded),
        peringatan: by_reason(&loaded.warnings, loaded),
        baris_dibaca: read,
        baris_ditolak: rejected,
        rasio_tolak: rate,
        rasio_tolak_maksimum: max_reject_rate,
        lulus: rate <= max_reject_rate,
    }
}

/// The human-readable summary, Bahasa Indonesia first.
pub fn render(s: &Summary) -> String {
    use std::fmt::Write;
    let mut o = String::new();
    let _ = writeln!(o, "Ringkasan mutu data / Data-quality summary");
    let _ = writeln!(o, "\nBerkas / Files (dibaca = diterima + ditolak / read = accepted + rejected):");
    for f in &s.berkas {
        let mut fmt = f.format.clone();
        if let Some(e) = &f.encoding {
            fmt.push_str(&format!(", {e}"));
        }
        if let Some(d) = &f.pemisah {
            fmt.push_str(&format!(", pemisah '{d}'"));
        }
        if let Some(d) = &f.desimal {
            fmt.push_str(&format!(", desimal {d}"));
        }
        if let Some(l) = &f.lembar {
            fmt.push_str(&format!(", lembar '{l}'"));
        }
        let _ = writeln!(
            o,
            "  {:<28} {:<10} {:>9} = {:>9} + {:>7}   ({fmt})",
            f.berkas, f.tabel, f.baris_dibaca, f.baris_diterima, f.baris_ditolak
        );
        if !f.kolom_tidak_dipakai.is_empty() {
            let _ = writeln!(
                o,
                "      kolom tidak dipakai / unused columns: {}",
                f.kolom_tidak_dipakai.join(", ")
            );
        }
        for k in &f.konteks {
            let _ = writeln!(o, "      {k}");
        }
        for d in f.urutan_tanggal.iter().filter(|d| !d.dasar.starts_with("tidak diperlukan")) {
            let _ = writeln!(o, "      tanggal / dates `{}`: {} ({})", d.header, d.urutan, d.dasar);
        }
    }
    if !s.tidak_dipakai.is_empty() {
        let _ = writeln!(o, "\nTidak dibaca / Not read:");
        for u in &s.tidak_dipakai {
            let sheet = u.lembar.as_deref().map(|l| format!(" lembar '{l}'")).unwrap_or_default();
            let _ = writeln!(o, "  {}{sheet}: {}", u.berkas, u.alasan);
        }
    }
    if let Some(r) = &s.riwayat_jabatan {
        let _ = writeln!(
            o,
            "\nRiwayat jabatan / Job history: {} rekaman / records → {} mutasi, {} penempatan awal / first appointments, {} perubahan jabatan di unit yang sama / new posts in the same unit, {} duplikat, {} di luar instansi / outside the instansi; {} mutasi sudah ada di tabel mutasi / already in the mutasi table",
            r.rekaman,
            r.mutasi,
            r.penempatan_awal,
            r.perubahan_jabatan,
            r.duplikat,
            r.di_luar_instansi,
            r.mutasi_sudah_ada
        );
    }
    let _ = writeln!(o, "\nTabel kanonik / Canonical tables (baris / rows):");
    for (t, n) in &s.baris_tabel_kanonik {
        let _ = writeln!(o, "  {t:<16} {n:>10}");
    }
    for (title, list) in [
        ("Baris ditolak per alasan / Rejected rows by reason", &s.penolakan),
        ("Peringatan per alasan / Warnings by reason", &s.peringatan),
    ] {
        let _ = writeln!(o, "\n{title}:");
        if list.is_empty() {
            let _ = writeln!(o, "  (tidak ada / none)");
        }
        for r in list {
            let _ = writeln!(o, "  {:<34} {:>7}  {} / {}", r.kode, r.jumlah, r.pesan_id, r.pesan_en);
            for c in &r.contoh {
                let _ = writeln!(o, "      contoh / e.g. {c}");
            }
        }
    }
    let _ = writeln!(
        o,
        "\nDitolak / Rejected: {} dari / of {} baris ({:.2}%; batas / limit {:.2}%) → {}",
        s.baris_ditolak,
        s.baris_dibaca,
        s.rasio_tolak * 100.0,
        s.rasio_tolak_maksimum * 100.0,
        if s.lulus { "LULUS / PASS" } else { "GAGAL / FAIL" }
    );
    o
}
