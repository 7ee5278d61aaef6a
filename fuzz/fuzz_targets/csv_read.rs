//! The CSV path: encoding detection, the `sep=` hint, delimiter sniffing, the header and every
//! record, on arbitrary bytes. Any outcome but a panic, a hang or a crash is fine.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mutasi_io::ingest::csv_source::{CsvSource, sniff_delimiter};

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = sniff_delimiter(text);
    }
    let path = std::env::temp_dir().join(format!("mutasi-fuzz-{}.csv", std::process::id()));
    if std::fs::write(&path, data).is_err() {
        return;
    }
    if let Ok(src) = CsvSource::open(&path) {
        let width = src.headers.len();
        let mut rows = 0usize;
        let _ = src.for_each(&path, &mut |_event| {
            rows += 1;
            true
        });
        assert!(width > 0 || rows == 0);
    }
});
