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
pub mod skm_answer;

/// A normaliser accepted `raw` but what it gave back is not consistent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{what}: {raw:?}")]
pub struct Inconsistency {
    pub what: &'static str,
    pub raw: String,
}

/// Runs every normaliser on `raw` and checks that what each accepts is consistent: a parsed
/// date prints and parses back to itself, a period round-trips through its label, an accepted
/// number is finite, an accepted NIP has 18 digits. Shared by the property tests and the
/// `normalizers` fuzz target; a panic inside any normaliser is the other failure they look for.
pub fn check_consistency(raw: &str) -> Result<(), Inconsistency> {
    let fail = |what: &'static str| Err(Inconsistency { what, raw: raw.to_string() });
    if let Ok(d) = date::parse_date(raw)
        && date::parse_date(&date::iso(d)).ok() != Some(d)
    {
        return fail("date does not round-trip");
    }
    if let Ok(p) = period::parse_period(raw) {
        let _ = (p.start(), p.end(), p.month_key());
        if period::parse_period(&p.label()).ok() != Some(p) {
            return fail("period does not round-trip");
        }
    }
    let style = number::detect_style(raw.split(['\n', '|']));
    for s in [style, number::DecimalStyle::Dot, number::DecimalStyle::Comma] {
        if number::parse_number(raw, s).is_ok_and(|v| !v.is_finite()) {
            return fail("accepted number is not finite");
        }
    }
    let _ = nip::clean_nip(raw);
    let _ = nip::looks_like_excel_scientific(raw);
    if nip::parse_nip(raw).is_ok_and(|n| n.text().len() != 18) {
        return fail("accepted NIP is not 18 digits");
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
    for u in 1..=14 {
        if skm_answer::answer_from_label(u, raw).is_some_and(|v| !(1..=4).contains(&v)) {
            return fail("SKM answer outside 1–4");
        }
    }
    let _ = nip::Gender::parse(raw);
    let _ = nip::AsnStatus::parse(raw);
    Ok(())
}

/// Property tests (issue 9): [`check_consistency`] on any string and on lookalikes.
#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::check_consistency;

    fn exercise(raw: &str) -> Result<(), TestCaseError> {
        check_consistency(raw).map_err(|e| TestCaseError::fail(e.to_string()))
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
