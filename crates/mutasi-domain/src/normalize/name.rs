//! Display names without gelar (academic and professional titles).
//!
//! Local SIMPEG exports put titles inside the name ("dr. Maria Tuhumury, Sp.PD", "DRS.SULASTONO",
//! "HERIANI,S.Pd,M.Pd"). The raw name is always kept; [`display_name`] gives a clean name for
//! display only (`../shared/domain/asn-domain.md` §6.4).

/// Titles written before the name (compared case-insensitively, without dots).
const PREFIX_TITLES: [&str; 13] =
    ["dr", "drg", "drs", "dra", "ir", "prof", "h", "hj", "ns", "bapak", "bpk", "ibu", "sdr"];

fn bare(s: &str) -> String {
    s.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

fn title_case(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    let mut start = true;
    for c in word.chars() {
        if start {
            out.extend(c.to_uppercase());
        } else {
            out.extend(c.to_lowercase());
        }
        start = c == '-' || c == '\'';
    }
    out
}

/// Strips gelar and returns the name for display. ALL-CAPS names are title-cased.
pub fn display_name(raw: &str) -> String {
    // Everything after the first comma is suffix titles ("S.Pd., M.Pd.").
    let head = raw.split(',').next().unwrap_or("").trim();
    // Split on spaces, and on dots that glue a title to the name ("DRS.SULASTONO").
    let mut words: Vec<&str> = Vec::new();
    for part in head.split_whitespace() {
        let mut rest = part;
        while let Some(dot) = rest.find('.') {
            let (w, tail) = rest.split_at(dot + 1);
            words.push(w);
            rest = tail;
        }
        if !rest.is_empty() {
            words.push(rest);
        }
    }
    let kept: Vec<&str> = words
        .iter()
        .copied()
        .filter(|w| {
            let b = bare(w);
            !(PREFIX_TITLES.contains(&b.as_str()) || b.is_empty())
        })
        .collect();
    let all_caps = kept.iter().all(|w| !w.chars().any(char::is_lowercase));
    kept.iter()
        .map(|w| w.trim_end_matches('.'))
        .map(|w| if all_caps { title_case(w) } else { w.to_string() })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_titles_before_and_after() {
        assert_eq!(display_name("dr. Maria Tuhumury, Sp.PD"), "Maria Tuhumury");
        assert_eq!(display_name("DRS.SULASTONO"), "Sulastono");
        assert_eq!(display_name("HERIANI,S.Pd,M.Pd"), "Heriani");
        assert_eq!(display_name("Dr. BUNTARAN SUPRIANTO, M.Kes"), "Buntaran Suprianto");
        assert_eq!(display_name("drg. Farhatun Qolbiyah"), "Farhatun Qolbiyah");
        assert_eq!(display_name("Ns. Maria Pattiasina, S.Kep"), "Maria Pattiasina");
        assert_eq!(display_name("Hj. Siti Latuconsina, S.E."), "Siti Latuconsina");
        assert_eq!(display_name("Yohanis Wattimena"), "Yohanis Wattimena");
    }
}
