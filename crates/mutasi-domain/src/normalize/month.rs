//! Indonesian (and English) month names, full and abbreviated, including old spellings.
//!
//! Shared by the date and period parsers so the list lives in one place
//! (`../shared/domain/asn-domain.md` §6.1: glibc `id_ID` names plus Agt/Ags, Nop, Pebruari, Djuli).

/// Looks up a month word (any case, trailing dot allowed) and returns 1..=12.
pub fn month_from_word(word: &str) -> Option<u32> {
    let w: String = word
        .trim()
        .trim_end_matches('.')
        .chars()
        .filter(|c| c.is_alphabetic())
        .flat_map(char::to_lowercase)
        .collect();
    let m = match w.as_str() {
        "januari" | "jan" | "january" | "djanuari" => 1,
        "februari" | "pebruari" | "feb" | "peb" | "february" => 2,
        "maret" | "mar" | "march" => 3,
        "april" | "apr" => 4,
        "mei" | "may" => 5,
        "juni" | "jun" | "june" => 6,
        "juli" | "jul" | "july" | "djuli" => 7,
        "agustus" | "agu" | "agt" | "ags" | "agust" | "agus" | "aug" | "august" => 8,
        "september" | "sep" | "sept" => 9,
        "oktober" | "okt" | "oct" | "october" => 10,
        "november" | "nopember" | "nov" | "nop" => 11,
        "desember" | "des" | "dec" | "december" | "dese" => 12,
        _ => return None,
    };
    Some(m)
}

/// Indonesian month name for display (1-based).
pub fn month_name_id(month: u32) -> &'static str {
    const NAMES: [&str; 12] = [
        "Januari",
        "Februari",
        "Maret",
        "April",
        "Mei",
        "Juni",
        "Juli",
        "Agustus",
        "September",
        "Oktober",
        "November",
        "Desember",
    ];
    NAMES.get((month as usize).wrapping_sub(1)).copied().unwrap_or("?")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indonesian_and_old_spellings() {
        assert_eq!(month_from_word("Mei"), Some(5));
        assert_eq!(month_from_word("AGT"), Some(8));
        assert_eq!(month_from_word("Agu."), Some(8));
        assert_eq!(month_from_word("Nopember"), Some(11));
        assert_eq!(month_from_word("Pebruari"), Some(2));
        assert_eq!(month_from_word("Okt"), Some(10));
        assert_eq!(month_from_word("Des"), Some(12));
        assert_eq!(month_from_word("Djuli"), Some(7));
        assert_eq!(month_from_word("Mai"), None);
    }
}
