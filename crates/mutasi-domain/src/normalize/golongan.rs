//! Golongan ruang (PNS pay grade) and PPPK golongan.
//!
//! PNS grades are written "III/b", "III b", "IIIb", "III-b", "3b", "32" (the SIASN id), or only
//! as the pangkat name ("Penata Muda Tk.I"). All become the canonical `III/b`. PPPK golongan are
//! bare Roman numerals I–XVII and stay so. Source: `../shared/domain/asn-domain.md` §4.2.

/// SIASN id, canonical golongan and pangkat, in rank order.
pub const GOLONGAN_PNS: [(u8, &str, &str); 17] = [
    (11, "I/a", "Juru Muda"),
    (12, "I/b", "Juru Muda Tingkat I"),
    (13, "I/c", "Juru"),
    (14, "I/d", "Juru Tingkat I"),
    (21, "II/a", "Pengatur Muda"),
    (22, "II/b", "Pengatur Muda Tingkat I"),
    (23, "II/c", "Pengatur"),
    (24, "II/d", "Pengatur Tingkat I"),
    (31, "III/a", "Penata Muda"),
    (32, "III/b", "Penata Muda Tingkat I"),
    (33, "III/c", "Penata"),
    (34, "III/d", "Penata Tingkat I"),
    (41, "IV/a", "Pembina"),
    (42, "IV/b", "Pembina Tingkat I"),
    (43, "IV/c", "Pembina Utama Muda"),
    (44, "IV/d", "Pembina Utama Madya"),
    (45, "IV/e", "Pembina Utama"),
];

const ROMAN: [&str; 17] = [
    "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV", "XVI",
    "XVII",
];

fn roman_value(s: &str) -> Option<usize> {
    ROMAN.iter().position(|r| *r == s).map(|i| i + 1)
}

fn canonical(ruang: usize, letter: char) -> Option<&'static str> {
    let code = (ruang * 10) as u8 + (letter as u8).checked_sub(b'A')? + 1;
    GOLONGAN_PNS.iter().find(|(id, _, _)| *id == code).map(|(_, g, _)| *g)
}

/// Normalises a golongan to `III/b` (PNS) or a Roman numeral (PPPK).
pub fn normalize_golongan(raw: &str) -> Option<String> {
    let upper = raw.trim().to_uppercase();
    if upper.is_empty() {
        return None;
    }
    // Explicit ruang + letter, e.g. "III/B", "PEMBINA TK.I/ IV/B", "PENGATUR MUDA TK.I, II B".
    let tokens: Vec<&str> =
        upper.split(|c: char| !c.is_ascii_alphanumeric()).filter(|t| !t.is_empty()).collect();
    for (i, t) in tokens.iter().enumerate().rev() {
        // "IIIB", "3B"
        if t.len() >= 2 {
            let (head, last) = t.split_at(t.len() - 1);
            if let Some(letter) = last.chars().next().filter(|c| ('A'..='E').contains(c)) {
                let ruang = roman_value(head).or_else(|| head.parse().ok()).filter(|r| (1..=4).contains(r));
                if let Some(g) = ruang.and_then(|r| canonical(r, letter)) {
                    return Some(g.to_string());
                }
            }
        }
        // "III B", "3 B"
        if t.len() == 1
            && let Some(letter) = t.chars().next().filter(|c| ('A'..='E').contains(c))
            && i > 0
        {
            let head = tokens[i - 1];
            let ruang = roman_value(head).or_else(|| head.parse().ok()).filter(|r| (1..=4).contains(r));
            if let Some(g) = ruang.and_then(|r| canonical(r, letter)) {
                return Some(g.to_string());
            }
        }
    }
    // SIASN id "32".
    if let Ok(code) = upper.parse::<u8>()
        && let Some((_, g, _)) = GOLONGAN_PNS.iter().find(|(id, _, _)| *id == code)
    {
        return Some(g.to_string());
    }
    // Pangkat name alone: normalise "TK.I"/"TK I"/"TINGKAT I" and match the longest name.
    let words: Vec<&str> = upper
        .split(|c: char| !c.is_ascii_alphabetic())
        .filter(|t| !t.is_empty())
        .map(|t| if t == "TK" { "TINGKAT" } else { t })
        .collect();
    let joined = words.join(" ");
    let mut best: Option<(&str, usize)> = None;
    for (_, g, pangkat) in GOLONGAN_PNS {
        let p = pangkat.to_uppercase();
        if joined == p || joined.starts_with(&format!("{p} ")) {
            let better = best.is_none_or(|(_, len)| p.len() > len);
            if better {
                best = Some((g, p.len()));
            }
        }
    }
    if let Some((g, _)) = best {
        return Some(g.to_string());
    }
    // PPPK: a bare Roman numeral.
    if tokens.len() == 1 && roman_value(tokens[0]).is_some() {
        return Some(tokens[0].to_string());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> Option<String> {
        normalize_golongan(s)
    }

    #[test]
    fn every_written_form_of_iii_b() {
        for s in [
            "III/b",
            "III b",
            "IIIb",
            "III-b",
            "III.b",
            "3b",
            "3/b",
            "32",
            "Penata Muda Tk.I",
            "Penata Muda Tingkat I",
        ] {
            assert_eq!(n(s).as_deref(), Some("III/b"), "input {s}");
        }
    }

    #[test]
    fn pangkat_with_ruang_and_longest_names() {
        assert_eq!(n("Pembina Tk.I/ IV/b").as_deref(), Some("IV/b"));
        assert_eq!(n("Pengatur Muda Tk.I, II b").as_deref(), Some("II/b"));
        assert_eq!(n("Pembina Utama Muda").as_deref(), Some("IV/c"));
        assert_eq!(n("Pembina").as_deref(), Some("IV/a"));
        assert_eq!(n("Juru").as_deref(), Some("I/c"));
        assert_eq!(n("IV/e").as_deref(), Some("IV/e"));
    }

    #[test]
    fn pppk_and_garbage() {
        assert_eq!(n("IX").as_deref(), Some("IX"));
        assert_eq!(n("XVII").as_deref(), Some("XVII"));
        assert_eq!(n("V/a"), None);
        assert_eq!(n("IV/f"), None);
        assert_eq!(n("honorer"), None);
        assert_eq!(n(""), None);
    }
}
