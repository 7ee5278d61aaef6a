//! The report's language: one translation table for every string a reader sees (Bahasa
//! Indonesia first, English second), and number formatting by language (`3,2` in Indonesian,
//! `3.2` in English; thousands `1.234` / `1,234`).
//!
//! A missing key is a programming error caught by the tests, never a blank in a report: [`tr`]
//! returns the key itself, and `every_key_used_is_in_the_table` fails on any `tr("…")` of this
//! crate whose key the table lacks.

/// Report language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Id,
    En,
}

impl Lang {
    /// Parses `id` or `en`.
    pub fn parse(s: &str) -> Option<Lang> {
        match s.trim().to_ascii_lowercase().as_str() {
            "id" => Some(Lang::Id),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Id => "id",
            Lang::En => "en",
        }
    }
}

/// (key, Bahasa Indonesia, English).
const TABLE: &[(&str, &str, &str)] = &[
    // Charts.
    ("bulan_sejak_mutasi", "Bulan sejak mutasi", "Months since transfer"),
    ("efek", "Efek (selisih dari pembanding)", "Effect (difference from comparison)"),
    ("ik95", "IK 95% titik", "Pointwise 95% CI"),
    ("pita", "Pita simultan 95%", "Simultaneous 95% band"),
    ("sebelum", "Sebelum", "Before"),
    ("sesudah", "Sesudah", "After"),
    ("pra_mutasi", "Sebelum mutasi", "Before transfer"),
    ("pasca_mutasi", "Sesudah mutasi", "After transfer"),
    ("jumlah_pegawai", "Jumlah pegawai", "Employees"),
    ("jumlah", "Jumlah", "Count"),
    ("perubahan", "Perubahan (sesudah − sebelum)", "Change (after − before)"),
    ("periode", "Periode", "Period"),
    ("kedatangan", "Kepala unit baru datang", "New unit head arrives"),
    ("opd_asal", "OPD asal", "Origin OPD"),
    ("opd_tujuan", "OPD tujuan", "Destination OPD"),
    ("awal", "Awal", "Start"),
    ("masuk", "Masuk", "In"),
    ("keluar", "Keluar", "Out"),
    ("lainnya", "Lainnya", "Other"),
    ("akhir", "Akhir", "End"),
    ("disamarkan", "Disamarkan", "Suppressed"),
    ("diajukan", "Diajukan", "Submitted"),
    ("diputuskan", "Diputuskan", "Decided"),
    ("disetujui", "Disetujui", "Approved"),
    ("ditolak", "Ditolak", "Rejected"),
    ("hari_keputusan", "Hari dari pengajuan sampai keputusan", "Days from request to decision"),
    ("tingkat_persetujuan", "Tingkat persetujuan", "Approval rate"),
    ("permohonan", "Permohonan", "Requests"),
    ("nilai_rata", "Nilai", "Value"),
    // Report frame.
    ("laporan", "Laporan", "Report"),
    (
        "peringatan",
        "PERINGATAN: diterbitkan walau gerbang data gagal.",
        "WARNING: published although a data gate failed.",
    ),
    ("periode_laporan", "Periode laporan", "Report period"),
    ("dibuat_oleh", "Dibuat oleh mutasi", "Produced by mutasi"),
    ("daftar_isi", "Daftar isi", "Contents"),
    ("ringkasan", "Ringkasan eksekutif", "Executive summary"),
    ("metodologi", "Metodologi", "Methodology"),
    ("kualitas_data", "Kualitas data", "Data quality"),
    ("hasil_opd", "Hasil per OPD dan studi kasus", "Results by OPD and case study"),
    ("permohonan_judul", "Proses permohonan mutasi", "The transfer-request process"),
    ("lampiran", "Lampiran: definisi dan glosarium", "Appendix: definitions and glossary"),
    ("cara_membaca", "Cara membaca", "How to read this"),
    (
        "cara_membaca_teks",
        "Angka efek dibandingkan dengan pegawai atau unit yang belum/tidak dimutasi pada bulan yang sama. IK 95% adalah rentang nilai yang masuk akal; bila rentang itu memuat nol, perubahan belum dapat disimpulkan.",
        "Effects are compared with employees or units not (yet) transferred in the same month. The 95% CI is the range of plausible values; when it includes zero, no change can be concluded yet.",
    ),
    (
        "tidak_ada_temuan",
        "Tidak ada estimasi yang cukup data untuk disimpulkan.",
        "No estimate had enough data to conclude anything.",
    ),
    // Methodology.
    (
        "metode_cs",
        "Efek mutasi terhadap kinerja pegawai diestimasi dengan selisih-dalam-selisih bertahap (Callaway & Sant'Anna 2021): setiap kelompok pegawai yang dimutasi pada bulan yang sama dibandingkan dengan pegawai yang tidak dimutasi pada bulan-bulan yang sama, sebelum dan sesudah mutasi. Cara ini menghilangkan perubahan yang dialami semua pegawai (misalnya pergeseran penilaian antar tahun) dan tidak tercampur oleh waktu mutasi yang berbeda-beda.",
        "The effect of transfers on staff performance is estimated with staggered difference-in-differences (Callaway & Sant'Anna 2021): each group of employees transferred in the same month is compared with employees not transferred over the same months, before and after the transfer. This removes changes every employee shares (for example rating drift between years) and is not confounded by staggered timing.",
    ),
    (
        "metode_es",
        "Studi peristiwa menunjukkan efek per bulan sejak mutasi. Bulan-bulan sebelum mutasi menguji apakah kedua kelompok sudah berbeda arah sebelum mutasi (uji pra-tren); bila ya, perbandingan tidak kredibel. Pita simultan 95% mencakup semua bulan sekaligus.",
        "The event study shows the effect by month since the transfer. Months before the transfer test whether the groups were already diverging (pre-trend test); if so, the comparison is not credible. The simultaneous 95% band covers all months at once.",
    ),
    (
        "metode_deskriptif",
        "Perbandingan sebelum/sesudah per mutasi bersifat deskriptif: perubahan itu juga memuat pergeseran penilaian dan regresi ke rata-rata, sehingga bukan bukti sebab-akibat.",
        "Per-transfer before/after comparisons are descriptive: they also contain rating drift and regression to the mean, so they are not causal evidence.",
    ),
    (
        "metode_unit",
        "Mutu layanan unit (IKM, PermenPANRB 14/2017) dibandingkan dengan unit sejenis yang belum menerima kepala atau tenaga baru.",
        "Unit service quality (IKM, PermenPANRB 14/2017) is compared with similar units that had not yet received a new head or staff member.",
    ),
    ("jendela", "Jendela dan pembanding", "Windows and comparison groups"),
    ("kelompok_pembanding", "Kelompok pembanding", "Comparison group"),
    ("pembanding_never", "pegawai yang tidak pernah dimutasi", "employees never transferred"),
    ("pembanding_notyet", "pegawai yang belum dimutasi", "employees not yet transferred"),
    ("jendela_deskriptif", "Jendela sebelum/sesudah (bulan)", "Before/after window (months)"),
    ("jendela_peristiwa", "Rentang studi peristiwa (bulan)", "Event-study range (months)"),
    ("min_mutasi", "Minimal pegawai bermutasi per estimasi", "Minimum transferred employees per estimate"),
    ("ambang_sel", "Ambang penyamaran (k)", "Suppression threshold (k)"),
    // Data quality.
    ("berkas", "Berkas", "File"),
    ("baris_dibaca", "Dibaca", "Read"),
    ("baris_diterima", "Diterima", "Accepted"),
    ("baris_ditolak", "Ditolak", "Rejected"),
    ("alasan", "Alasan", "Reason"),
    ("tolak_per_alasan", "Baris ditolak menurut alasan", "Rejected rows by reason"),
    ("cek_data", "Cek data (queries/checks)", "Data checks (queries/checks)"),
    ("cek_lulus", "Semua cek data lulus.", "Every data check passed."),
    ("cek_gagal", "gagal", "failed"),
    ("kecukupan", "Kecukupan sampel", "Sample adequacy"),
    (
        "sampel_kurang",
        "periode unit dengan responden SKM di bawah sampel minimum (Krejcie–Morgan)",
        "unit periods with fewer SKM respondents than the minimum sample (Krejcie–Morgan)",
    ),
    ("tak_terukur", "Yang tidak dapat diukur", "What could not be measured"),
    (
        "semua_terukur",
        "Semua estimasi yang diminta dapat dihitung.",
        "Every requested estimate could be computed.",
    ),
    // Results.
    (
        "deskriptif_judul",
        "Sebelum dan sesudah mutasi (deskriptif)",
        "Before and after transfer (descriptive)",
    ),
    (
        "sebaran_delta",
        "Sebaran perubahan per mutasi (deskriptif)",
        "Distribution of per-transfer changes (descriptive)",
    ),
    ("studi_peristiwa", "Studi peristiwa", "Event study"),
    ("efek_keseluruhan", "Efek keseluruhan", "Overall effects"),
    ("indikator", "Indikator", "Indicator"),
    ("kelompok", "Kelompok", "Group"),
    ("estimasi", "Estimasi", "Estimate"),
    ("uji_pratren", "Uji pra-tren (p)", "Pre-trend test (p)"),
    ("tafsiran", "Tafsiran", "Reading"),
    ("layanan_unit", "Layanan unit", "Unit services"),
    ("efek_unit", "Efek terhadap layanan unit", "Effects on unit services"),
    ("arus_opd", "Arus mutasi antar-OPD", "Transfer flows between OPD"),
    ("jumlah_pegawai_opd", "Perubahan jumlah pegawai", "Headcount changes"),
    ("mobilitas", "Mobilitas per OPD", "Mobility by OPD"),
    ("tahun", "Tahun", "Year"),
    ("laju", "Laju", "Rate"),
    ("semua", "semua", "all"),
    ("mutu", "Mutu", "Grade"),
    ("pita_mutu", "Pita mutu A/B/C/D (PermenPANRB 14/2017)", "Quality bands A/B/C/D (PermenPANRB 14/2017)"),
    (
        "disamarkan_catatan",
        "Sel dengan kurang dari k pegawai, dan sel pendampingnya, disamarkan (—).",
        "Cells with fewer than k employees, and their complementary cells, are suppressed (—).",
    ),
    // Requests.
    (
        "permohonan_catatan",
        "Angka ini deskriptif. Selisih tingkat persetujuan antar-kelompok bukan bukti nepotisme atau diskriminasi: kelompok dapat berbeda dalam jabatan, masa kerja dan alasan permohonan.",
        "These figures are descriptive. A gap in approval rates between groups is not proof of nepotism or discrimination: groups can differ in position, tenure and the reasons for their requests.",
    ),
    ("ditandai", "ditandai", "flagged"),
    ("alur_permohonan", "Alur permohonan", "Request funnel"),
    ("waktu_keputusan", "Lama keputusan", "Decision time"),
    ("persetujuan_kelompok", "Persetujuan menurut kelompok", "Approval by group"),
    ("selisih_subkelompok", "Selisih antar-subkelompok", "Differences between subgroups"),
    (
        "pelatihan_catatan",
        "Pelatihan atau pendampingan terjadi sesudah mutasi dan dipilih, bukan diacak: selisihnya adalah asosiasi, bukan efek sebab-akibat pelatihan.",
        "Training or mentoring happens after the transfer and is chosen, not assigned at random: the difference is an association, not a causal effect of training.",
    ),
    // Appendix.
    ("glosarium", "Glosarium", "Glossary"),
    ("istilah", "Istilah", "Term"),
    ("arti", "Arti", "Meaning"),
    (
        "g_mutasi",
        "Perpindahan ASN antar-jabatan atau unit (rotasi, promosi, demosi).",
        "A civil servant's move between positions or units (rotation, promotion, demotion).",
    ),
    (
        "g_opd",
        "Organisasi Perangkat Daerah: dinas, badan atau kantor pemerintah kota.",
        "A city government office (dinas, badan).",
    ),
    (
        "g_ikm",
        "Indeks Kepuasan Masyarakat dari Survei Kepuasan Masyarakat (SKM), skala 25–100.",
        "Public satisfaction index from the satisfaction survey (SKM), scale 25–100.",
    ),
    (
        "g_skp",
        "Sasaran Kinerja Pegawai: penilaian kinerja tahunan dan bulanan (e-Kinerja).",
        "The employee performance plan and its annual and monthly ratings (e-Kinerja).",
    ),
    (
        "g_ik",
        "Interval kepercayaan 95%: rentang nilai yang masuk akal bagi efek.",
        "95% confidence interval: the range of plausible values of the effect.",
    ),
    (
        "g_did",
        "Selisih-dalam-selisih: perubahan kelompok yang dimutasi dikurangi perubahan kelompok pembanding.",
        "Difference-in-differences: the change of the transferred group minus that of the comparison group.",
    ),
    (
        "g_pratren",
        "Uji apakah kelompok sudah berbeda arah sebelum mutasi; p < 0,05 berarti perbandingan tidak kredibel.",
        "Tests whether groups diverged before the transfer; p < 0.05 means the comparison is not credible.",
    ),
    (
        "g_penyamaran",
        "Kelompok dengan kurang dari k pegawai tidak ditampilkan, untuk melindungi data pribadi (UU 27/2022).",
        "Groups with fewer than k employees are not shown, to protect personal data (UU 27/2022).",
    ),
    // Findings.
    ("naik", "naik", "rose"),
    ("turun", "turun", "fell"),
    ("poin", "poin", "points"),
    ("belum_dapat", "belum dapat disimpulkan", "cannot yet be concluded"),
    ("tidak_kredibel", "perbandingan tidak kredibel", "the comparison is not credible"),
];

/// The text of `key` in `lang`; the key itself when missing (caught by the tests).
pub fn tr(key: &str, lang: Lang) -> &str {
    match TABLE.iter().find(|(k, _, _)| *k == key) {
        Some((_, id, en)) => match lang {
            Lang::Id => id,
            Lang::En => en,
        },
        None => key,
    }
}

/// Every key, for tests of the callers.
pub fn keys() -> impl Iterator<Item = &'static str> {
    TABLE.iter().map(|(k, _, _)| *k)
}

/// `x` with `decimals` decimals in the language's convention; `—` for a missing value.
pub fn num(x: f64, decimals: usize, lang: Lang) -> String {
    if !x.is_finite() {
        return "—".to_string();
    }
    let s = format!("{:.*}", decimals, x.abs());
    let negative = x < 0.0 && s.chars().any(|c| c.is_ascii_digit() && c != '0');
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i.to_string(), Some(f.to_string())),
        None => (s, None),
    };
    let (thousands, decimal) = match lang {
        Lang::Id => ('.', ','),
        Lang::En => (',', '.'),
    };
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(thousands);
        }
        grouped.push(c);
    }
    let mut out = if negative { format!("−{grouped}") } else { grouped };
    if let Some(f) = frac {
        out.push(decimal);
        out.push_str(&f);
    }
    out
}

/// A p-value: three decimals, or `< 0,001` when smaller.
pub fn pval(p: f64, lang: Lang) -> String {
    if p.is_finite() && p < 0.001 { format!("< {}", num(0.001, 3, lang)) } else { num(p, 3, lang) }
}

/// An integer count with thousands separators.
pub fn count(n: u64, lang: Lang) -> String {
    num(n as f64, 0, lang)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_used_is_in_the_table() {
        fn sources(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
            for e in std::fs::read_dir(dir).expect("src").flatten() {
                let p = e.path();
                if p.is_dir() {
                    sources(&p, out);
                } else if p.extension().is_some_and(|x| x == "rs") {
                    out.push(p);
                }
            }
        }
        let mut files = Vec::new();
        sources(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut files);
        let mut used = 0;
        for f in files {
            let text = std::fs::read_to_string(&f).expect("source");
            // The code, not its tests (which look up a missing key on purpose).
            let code = text.split("#[cfg(test)]").next().unwrap_or("");
            for part in code.split("tr(\"").skip(1) {
                let Some(key) = part.split('"').next() else { continue };
                // Keys are identifiers; anything else is prose about `tr` (like this module's docs).
                if key.is_empty() || !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                    continue;
                }
                used += 1;
                assert!(
                    TABLE.iter().any(|(k, _, _)| *k == key),
                    "{}: tr(\"{key}\") has no translation",
                    f.display()
                );
            }
        }
        assert!(used > 50, "only {used} keys found: the scan is broken");
    }

    #[test]
    fn every_key_is_translated_once() {
        let mut seen = std::collections::HashSet::new();
        for (k, id, en) in TABLE {
            assert!(seen.insert(*k), "duplicate key {k}");
            assert!(!id.trim().is_empty() && !en.trim().is_empty(), "{k}");
        }
        assert_eq!(tr("ringkasan", Lang::Id), "Ringkasan eksekutif");
        assert_eq!(tr("ringkasan", Lang::En), "Executive summary");
        assert_eq!(tr("no_such_key", Lang::En), "no_such_key");
        assert_eq!(Lang::parse(" EN "), Some(Lang::En));
        assert_eq!(Lang::parse("fr"), None);
    }

    #[test]
    fn numbers_follow_the_language() {
        assert_eq!(num(3.249, 1, Lang::Id), "3,2");
        assert_eq!(num(3.249, 1, Lang::En), "3.2");
        assert_eq!(num(-1234.5, 1, Lang::Id), "−1.234,5");
        assert_eq!(num(-1234.5, 1, Lang::En), "−1,234.5");
        assert_eq!(num(-0.01, 1, Lang::Id), "0,0", "no negative zero");
        assert_eq!(num(f64::NAN, 2, Lang::Id), "—");
        assert_eq!(count(1_234_567, Lang::Id), "1.234.567");
        assert_eq!(count(999, Lang::En), "999");
        assert_eq!(pval(0.00001, Lang::Id), "< 0,001");
        assert_eq!(pval(0.0312, Lang::En), "0.031");
    }
}
