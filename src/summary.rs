//! The data-quality summary of a validate run: printed for people, saved as JSON for machines.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::ingest::Loaded;
use crate::validate::Finding;
use crate::validate::reason::Reason;
use crate::validate::reconcile::Reconciliation;

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
    ]);
    let read: u64 = recon.iter().map(|r| r.rows_read).sum();
    let rejected: u64 = recon.iter().map(|r| r.rows_rejected).sum();
    let rate = if read == 0 { 0.0 } else { rejected as f64 / read as f64 };
    Summary {
        berkas,
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
    }
    let _ = writeln!(o, "\nTabel kanonik / Canonical tables (baris / rows):");
    for (t, n) in &s.baris_tabel_kanonik {
        let _ = writeln!(o, "  {t:<12} {n:>10}");
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
