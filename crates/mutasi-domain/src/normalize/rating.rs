//! Performance rating labels and the PermenPANRB 6/2022 predikat matrix.
//!
//! Since 2022 there is no numeric score: a rating for hasil kerja and one for perilaku kerja
//! (Di Bawah / Sesuai / Di Atas Ekspektasi) give the predikat through a fixed 3×3 matrix
//! (`../shared/domain/asn-domain.md` §2.3). mutasi stores ordinals where **higher is better**:
//! ratings 1–3 (Di Bawah = 1, Sesuai = 2, Di Atas = 3) and predikat 1–5 (Sangat Kurang = 1,
//! Kurang = 2, Butuh Perbaikan = 3, Baik = 4, Sangat Baik = 5). SIASN numbers its codes the other
//! way round (1 = best); [`rating_from_siasn_code`] and [`predikat_from_siasn_code`] convert them.

fn squash(raw: &str) -> String {
    raw.chars().filter(|c| c.is_alphabetic()).flat_map(char::to_uppercase).collect()
}

/// Parses a rating label ("DIATAS ESPEKTASI" with SIASN's misspelling, "Di Atas Ekspektasi",
/// "Sesuai", "Di bawah ekspektasi", and the field variants "Melebihi/Melampaui Ekspektasi",
/// "Memenuhi Ekspektasi", "Tidak/Belum Memenuhi Ekspektasi") to 1–3.
pub fn rating_from_label(raw: &str) -> Option<u8> {
    let s = squash(raw);
    if s.starts_with("DIATAS")
        || s.starts_with("ATAS")
        || s.starts_with("MELAMPAUI")
        || s.starts_with("MELEBIHI")
    {
        Some(3)
    } else if s.starts_with("SESUAI") || s.starts_with("MEMENUHI") {
        Some(2)
    } else if s.starts_with("DIBAWAH")
        || s.starts_with("BAWAH")
        || s.starts_with("TIDAKMEMENUHI")
        || s.starts_with("BELUMMEMENUHI")
        || s.starts_with("KURANGDARI")
    {
        Some(1)
    } else {
        None
    }
}

/// Parses a predikat label to 1–5. Accepts "Sangat Baik", "Baik", "Butuh Perbaikan",
/// "Cukup/Butuh Perbaikan", "Cukup", "Kurang", "Kurang/Misconduct", "Misconduct", "Sangat Kurang",
/// and the five-step wording some e-Kinerja sheets use: "Luar Biasa", "Baik", "Cukup",
/// "Kurang", "Mengecewakan" (read as Sangat Baik … Sangat Kurang).
pub fn predikat_from_label(raw: &str) -> Option<u8> {
    match squash(raw).as_str() {
        "SANGATBAIK" | "ISTIMEWA" | "LUARBIASA" => Some(5),
        "BAIK" => Some(4),
        "BUTUHPERBAIKAN" | "CUKUP" | "CUKUPBUTUHPERBAIKAN" | "BUTUHPERBAIKANCUKUP" => Some(3),
        "KURANG" | "KURANGMISCONDUCT" | "MISCONDUCT" => Some(2),
        "SANGATKURANG" | "MENGECEWAKAN" => Some(1),
        _ => None,
    }
}

/// SIASN `perilakuDanKinerja` code (1 = Di Atas, 3 = Di Bawah) to the ordinal.
pub fn rating_from_siasn_code(code: f64) -> Option<u8> {
    if code.fract() == 0.0 && (1.0..=3.0).contains(&code) { Some(4 - code as u8) } else { None }
}

/// SIASN `kuadranNilai` code (1 = Sangat Baik … 5 = Sangat Kurang) to the ordinal.
pub fn predikat_from_siasn_code(code: f64) -> Option<u8> {
    if code.fract() == 0.0 && (1.0..=5.0).contains(&code) { Some(6 - code as u8) } else { None }
}

/// The predikat matrix of PermenPANRB 6/2022 (rows: hasil kerja, columns: perilaku).
pub fn predikat_from_ratings(hasil_kerja: u8, perilaku: u8) -> Option<u8> {
    let p = match (hasil_kerja, perilaku) {
        (3, 3) => 5,
        (3, 2) | (2, 2) | (2, 3) => 4,
        (1, 2) | (1, 3) => 3,
        (3, 1) | (2, 1) => 2,
        (1, 1) => 1,
        _ => return None,
    };
    Some(p)
}

/// Display label of a predikat ordinal.
pub fn predikat_label(p: u8) -> &'static str {
    match p {
        5 => "Sangat Baik",
        4 => "Baik",
        3 => "Butuh Perbaikan",
        2 => "Kurang/Misconduct",
        1 => "Sangat Kurang",
        _ => "?",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn siasn_spelling_and_plain_labels() {
        assert_eq!(rating_from_label("DIATAS ESPEKTASI"), Some(3));
        assert_eq!(rating_from_label("Di Atas Ekspektasi"), Some(3));
        assert_eq!(rating_from_label("SESUAI ESPEKTASI"), Some(2));
        assert_eq!(rating_from_label("dibawah ekspektasi"), Some(1));
        assert_eq!(rating_from_label("Baik"), None);
        assert_eq!(predikat_from_label("SANGAT BAIK"), Some(5));
        assert_eq!(predikat_from_label("Cukup/Butuh Perbaikan"), Some(3));
        assert_eq!(predikat_from_label("Kurang/Misconduct"), Some(2));
        assert_eq!(predikat_from_label("sangat kurang"), Some(1));
        assert_eq!(predikat_from_label("sangat luar biasa"), None);
        assert_eq!(rating_from_label("MEMENUHI EKSPEKTASI"), Some(2));
        assert_eq!(rating_from_label("Tidak Memenuhi Ekspektasi"), Some(1));
        assert_eq!(rating_from_label("Melebihi Ekspektasi"), Some(3));
        assert_eq!(predikat_from_label("LUAR BIASA"), Some(5));
        assert_eq!(predikat_from_label("Mengecewakan"), Some(1));
        assert_eq!(predikat_from_label("Cukup"), Some(3));
    }

    #[test]
    fn siasn_codes_are_reversed() {
        assert_eq!(rating_from_siasn_code(1.0), Some(3));
        assert_eq!(rating_from_siasn_code(3.0), Some(1));
        assert_eq!(rating_from_siasn_code(4.0), None);
        assert_eq!(predikat_from_siasn_code(1.0), Some(5));
        assert_eq!(predikat_from_siasn_code(5.0), Some(1));
        assert_eq!(predikat_from_siasn_code(2.5), None);
    }

    #[test]
    fn the_whole_matrix() {
        // Rows: hasil kerja Di Atas, Sesuai, Di Bawah; columns: perilaku Di Bawah, Sesuai, Di Atas.
        let expected = [[2, 4, 5], [2, 4, 4], [1, 3, 3]];
        for (row, hasil) in [3u8, 2, 1].iter().enumerate() {
            for (col, perilaku) in [1u8, 2, 3].iter().enumerate() {
                assert_eq!(predikat_from_ratings(*hasil, *perilaku), Some(expected[row][col]));
            }
        }
        assert_eq!(predikat_from_ratings(0, 2), None);
    }
}
