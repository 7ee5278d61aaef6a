//! Normalisers for the value formats Indonesian HR exports really contain.
//!
//! Each submodule turns one kind of raw text (a date, a period, a number, a NIP, a golongan, a
//! name, a rating label) into a canonical value, or explains why it cannot. They work on plain
//! strings and know nothing about files or Polars, so every quirk is unit-tested here and the
//! readers stay thin.

pub mod date;
pub mod golongan;
pub mod month;
pub mod name;
pub mod nip;
pub mod number;
pub mod period;
pub mod rating;

/// Property tests (issue 9): every normaliser returns a value or an error on any string, and
/// what it accepts is consistent (a parsed date prints and parses back to itself; an accepted
/// number is finite; an accepted NIP has 18 digits).
#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::{date, golongan, name, nip, number, period, rating};

    fn exercise(raw: &str) -> Result<(), TestCaseError> {
        if let Ok(d) = date::parse_date(raw) {
            prop_assert_eq!(date::parse_date(&date::iso(d)).ok(), Some(d), "{:?}", raw);
        }
        if let Ok(p) = period::parse_period(raw) {
            let _ = (p.label(), p.start(), p.end(), p.month_key());
            prop_assert_eq!(period::parse_period(&p.label()).ok(), Some(p), "{:?}", raw);
        }
        let style = number::detect_style(raw.split(['\n', '|']));
        for s in [style, number::DecimalStyle::Dot, number::DecimalStyle::Comma] {
            if let Ok(v) = number::parse_number(raw, s) {
                prop_assert!(v.is_finite(), "{:?} gave {}", raw, v);
            }
        }
        let _ = nip::clean_nip(raw);
        if let Ok(n) = nip::parse_nip(raw) {
            prop_assert_eq!(n.text().len(), 18);
        }
        if let Ok(v) = raw.trim().parse::<f64>() {
            let _ = nip::nip_text_from_number(v);
            let _ = date::from_excel_serial(v);
            let _ = rating::rating_from_siasn_code(v);
            let _ = rating::predikat_from_siasn_code(v);
        }
        let _ = golongan::normalize_golongan(raw);
        let _ = name::display_name(raw);
        let _ = rating::rating_from_label(raw);
        let _ = rating::predikat_from_label(raw);
        let _ = nip::Gender::parse(raw);
        let _ = nip::AsnStatus::parse(raw);
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, failure_persistence: None, ..ProptestConfig::default() })]

        #[test]
        fn normalisers_never_panic_on_any_string(raw in any::<String>()) {
            exercise(&raw)?;
        }

        /// Strings that look like the real thing (digits, separators, month words, Roman
        /// numerals) reach deeper branches than uniform Unicode does.
        #[test]
        fn normalisers_never_panic_on_lookalikes(
            raw in "[0-9 ./,:;eE+#'()-]{0,24}|(TW|Semester|Bulan|Januari|Des|IV|III|Gol\\.?) ?[0-9IV/a-e ]{0,10}|[0-9]{1,3}[./-][0-9]{1,3}[./-][0-9]{1,6}"
        ) {
            exercise(&raw)?;
        }
    }
}
