//! The value normalisers (dates, periods, numbers, NIPs, golongan, names, rating labels) on
//! arbitrary strings: each returns a value or an error, never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mutasi::normalize::{date, golongan, name, nip, number, period, rating};

fuzz_target!(|data: &[u8]| {
    let raw = String::from_utf8_lossy(data);
    let raw = raw.as_ref();
    if let Ok(d) = date::parse_date(raw) {
        // A parsed date is in range and prints as ISO that parses back to itself.
        assert_eq!(date::parse_date(&date::iso(d)).ok(), Some(d));
    }
    if let Ok(p) = period::parse_period(raw) {
        let _ = (p.label(), p.start(), p.end(), p.month_key());
    }
    let style = number::detect_style(raw.split(['\n', '|']));
    let _ = number::parse_number(raw, style);
    for s in [number::DecimalStyle::Dot, number::DecimalStyle::Comma] {
        if let Ok(v) = number::parse_number(raw, s) {
            assert!(v.is_finite(), "an accepted number is finite");
        }
    }
    let _ = nip::clean_nip(raw);
    let _ = nip::looks_like_excel_scientific(raw);
    if let Ok(n) = nip::parse_nip(raw) {
        assert_eq!(n.text().len(), 18);
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
});
