//! The value normalisers (dates, periods, numbers, NIPs, golongan, names, rating labels) on
//! arbitrary strings: each returns a value or an error, never panics, and what they accept is
//! consistent (`mutasi_domain::normalize::check_consistency`, shared with the property tests).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let raw = String::from_utf8_lossy(data);
    if let Err(e) = mutasi_domain::normalize::check_consistency(&raw) {
        panic!("{e}");
    }
});
