//! SKM answers written as the questionnaire's labels, turned into the 1–4 scale.
//!
//! Google Forms exports the option a respondent ticked, not its number. The labels follow the
//! PermenPANRB 14/2017 questionnaire, one set per unsur (numbered as the unsur list: 8 =
//! pengaduan, 9 = sarana):
//!
//! | unsur | 1 | 2 | 3 | 4 |
//! |---|---|---|---|---|
//! | 1, 5 | Tidak sesuai | Kurang sesuai | Sesuai | Sangat sesuai |
//! | 2 | Tidak mudah | Kurang mudah | Mudah | Sangat mudah |
//! | 3 | Tidak cepat | Kurang cepat | Cepat | Sangat cepat |
//! | 4 | Sangat mahal | Cukup mahal | Murah | Gratis |
//! | 6 | Tidak kompeten | Kurang kompeten | Kompeten | Sangat kompeten |
//! | 7 | Tidak sopan dan ramah | Kurang sopan dan ramah | Sopan dan ramah | Sangat sopan dan ramah |
//! | 8 | Tidak ada | Ada tetapi tidak berfungsi | Berfungsi kurang maksimal | Dikelola dengan baik |
//! | 9 | Buruk | Cukup | Baik | Sangat baik |
//!
//! Satisfaction wording (Tidak puas … Sangat puas) and Baik-scales are read for every unsur. An
//! option written with its number ("4", "4 - Sangat sesuai", "d. Sangat sesuai", "Sangat
//! sesuai (4)") is read by the number; a label and a number that disagree are not read.

fn fold(s: &str) -> String {
    s.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// The number written with an option: a leading `4`, `4.`, `4 -`, `(4)`, a letter `a.`–`d.`, or a
/// trailing `(4)`; and the label without it.
fn split_number(raw: &str) -> (Option<u8>, &str) {
    let s = raw.trim();
    let digit = |c: char| ('1'..='4').contains(&c).then(|| c as u8 - b'0');
    let mut chars = s.chars();
    let Some(first) = chars.next() else { return (None, s) };
    let rest = chars.as_str();
    // "(4) Sangat sesuai"
    if first == '('
        && let Some(d) = rest.chars().next().and_then(digit)
        && rest[1..].starts_with(')')
    {
        return (Some(d), rest[2..].trim());
    }
    let sep = rest.is_empty() || rest.starts_with(['.', ')', '-', ' ', ':']);
    if let Some(d) = digit(first).filter(|_| sep) {
        return (Some(d), rest.trim_start_matches(['.', ')', '-', ' ', ':']).trim());
    }
    // "a. Tidak sesuai" … "d. Sangat sesuai"
    let letter = first.to_ascii_lowercase();
    if rest.starts_with(['.', ')']) && ('a'..='d').contains(&letter) {
        return (Some(letter as u8 - b'a' + 1), rest[1..].trim());
    }
    // "Sangat sesuai (4)"
    if let Some(inner) = s.strip_suffix(')')
        && let Some(open) = inner.rfind('(')
        && let [d] = inner[open + 1..].trim().chars().collect::<Vec<_>>()[..]
        && let Some(d) = digit(d)
    {
        return (Some(d), inner[..open].trim());
    }
    (None, s)
}

/// The 1–4 value of a label for one unsur (1–9), without a number.
fn label_value(unsur: usize, label: &str) -> Option<u8> {
    let k = fold(label);
    if k.is_empty() {
        return None;
    }
    match unsur {
        4 => {
            return match k.as_str() {
                "sangatmahal" => Some(1),
                "cukupmahal" | "mahal" => Some(2),
                "murah" | "terjangkau" => Some(3),
                "gratis" | "sangatmurah" | "tidakdipungutbiaya" | "tanpabiaya" | "tidakberbayar" => Some(4),
                _ => generic(&k),
            };
        }
        8 => {
            let v = match k.as_str() {
                "tidakada" => Some(1),
                "adatetapitidakberfungsi" | "adatapitidakberfungsi" | "tidakberfungsi" => Some(2),
                "berfungsikurangmaksimal" | "kurangmaksimal" => Some(3),
                "dikeloladenganbaik" | "dikelolabaik" => Some(4),
                _ => None,
            };
            if v.is_some() {
                return v;
            }
        }
        _ => {}
    }
    generic(&k)
}

/// Scales that read alike for every unsur: "Tidak …", "Kurang …", plain, "Sangat …", and the
/// Buruk/Cukup/Baik/Sangat baik scale.
fn generic(k: &str) -> Option<u8> {
    const POSITIVE: [&str; 12] = [
        "sesuai",
        "mudah",
        "cepat",
        "kompeten",
        "sopandanramah",
        "sopan",
        "ramah",
        "puas",
        "baik",
        "jelas",
        "wajar",
        "bagus",
    ];
    if k == "buruk" || k == "sangatburuk" {
        return Some(1);
    }
    if k == "cukup" || (k.starts_with("cukup") && POSITIVE.contains(&&k[5..])) {
        return Some(2);
    }
    if let Some(rest) = k.strip_prefix("sangat") {
        return POSITIVE.contains(&rest).then_some(4);
    }
    if let Some(rest) = k.strip_prefix("tidak") {
        return POSITIVE.contains(&rest).then_some(1);
    }
    if let Some(rest) = k.strip_prefix("kurang") {
        return POSITIVE.contains(&rest).then_some(2);
    }
    POSITIVE.contains(&k).then_some(3)
}

/// The 1–4 value of an answer to unsur `unsur` (1–9, unsur numbering) written as a label, a
/// number with a label, or a letter option; `None` when it is none of these, or when its
/// number and label disagree.
pub fn answer_from_label(unsur: usize, raw: &str) -> Option<u8> {
    let (number, label) = split_number(raw);
    let from_label = label_value(unsur, label);
    match (number, from_label) {
        (Some(n), Some(l)) if n != l => None,
        (Some(n), _) => Some(n),
        (None, l) => l,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every option of the PermenPANRB 14/2017 questionnaire, unsur by unsur.
    #[test]
    fn the_questionnaire_labels() {
        let sets: [(usize, [&str; 4]); 9] = [
            (1, ["Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"]),
            (2, ["Tidak mudah", "Kurang mudah", "Mudah", "Sangat mudah"]),
            (3, ["Tidak cepat", "Kurang cepat", "Cepat", "Sangat cepat"]),
            (4, ["Sangat mahal", "Cukup mahal", "Murah", "Gratis"]),
            (5, ["Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"]),
            (6, ["Tidak kompeten", "Kurang kompeten", "Kompeten", "Sangat kompeten"]),
            (
                7,
                [
                    "Tidak sopan dan ramah",
                    "Kurang sopan dan ramah",
                    "Sopan dan ramah",
                    "Sangat sopan dan ramah",
                ],
            ),
            (
                8,
                [
                    "Tidak ada",
                    "Ada tetapi tidak berfungsi",
                    "Berfungsi kurang maksimal",
                    "Dikelola dengan baik",
                ],
            ),
            (9, ["Buruk", "Cukup", "Baik", "Sangat Baik"]),
        ];
        for (unsur, labels) in sets {
            for (i, l) in labels.iter().enumerate() {
                assert_eq!(answer_from_label(unsur, l), Some(i as u8 + 1), "U{unsur} {l}");
                assert_eq!(answer_from_label(unsur, &l.to_uppercase()), Some(i as u8 + 1), "U{unsur} {l}");
            }
        }
    }

    #[test]
    fn numbers_letters_and_disagreements() {
        assert_eq!(answer_from_label(1, "4 - Sangat sesuai"), Some(4));
        assert_eq!(answer_from_label(1, "d. Sangat sesuai"), Some(4));
        assert_eq!(answer_from_label(1, "Sangat sesuai (4)"), Some(4));
        assert_eq!(answer_from_label(1, "(2) Kurang sesuai"), Some(2));
        assert_eq!(answer_from_label(3, "Sangat puas"), Some(4));
        assert_eq!(answer_from_label(3, "Kurang baik"), Some(2));
        // A number and a label that disagree, and words that are no option, are not read.
        assert_eq!(answer_from_label(1, "1 - Sangat sesuai"), None);
        assert_eq!(answer_from_label(1, "Lumayan"), None);
        assert_eq!(answer_from_label(8, "Sangat mahal"), None);
        assert_eq!(answer_from_label(2, "Tidak tahu"), None);
    }
}
