//! The bad rows planted in generated data, recorded so tests can check that validation finds
//! exactly them (`truth.json` → `baris_buruk`).

use std::collections::BTreeMap;

use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct Planted {
    pub kode: String,
    pub berkas: String,
    pub baris: u64,
    pub nilai: String,
}

#[derive(Debug, Default)]
pub struct BadRows {
    pub enabled: bool,
    pub planted: Vec<Planted>,
    /// Expected rejected rows per reason code.
    pub rejects: BTreeMap<String, usize>,
    /// Expected warnings per reason code.
    pub warnings: BTreeMap<String, usize>,
}

impl BadRows {
    pub fn new(enabled: bool) -> BadRows {
        BadRows { enabled, ..BadRows::default() }
    }

    /// A planted row that validation must reject with `code`.
    pub fn plant(&mut self, code: &str, file: &str, row: u64, raw: &str) {
        self.planted.push(Planted {
            kode: code.into(),
            berkas: file.into(),
            baris: row,
            nilai: raw.chars().take(80).collect(),
        });
        *self.rejects.entry(code.into()).or_default() += 1;
    }

    /// A real row that a planted row drags into the rejects (e.g. the other half of a conflict).
    pub fn plant_unlocated(&mut self, code: &str) {
        *self.rejects.entry(code.into()).or_default() += 1;
    }

    pub fn warn(&mut self, code: &str) {
        *self.warnings.entry(code.into()).or_default() += 1;
    }
}
