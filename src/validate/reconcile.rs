//! Proof that no row was lost: for every input file, rows read = rows accepted + rows rejected.
//!
//! Accepted rows are counted from the canonical tables themselves (distinct source rows), and
//! rejected rows from the rejects table, so a row dropped by mistake anywhere shows up as a
//! mismatch and fails the run as an internal error.

use std::collections::HashSet;

use crate::ingest::Loaded;
use crate::model::Prov;

/// One line of `reconciliation.parquet`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reconciliation {
    pub file: String,
    pub table: &'static str,
    pub rows_read: u64,
    pub rows_accepted: u64,
    pub rows_rejected: u64,
}

impl Reconciliation {
    pub fn balanced(&self) -> bool {
        self.rows_read == self.rows_accepted + self.rows_rejected
    }
}

/// Counts accepted and rejected source rows per file.
pub fn reconcile(loaded: &Loaded) -> Vec<Reconciliation> {
    let t = &loaded.tables;
    let mut accepted: HashSet<Prov> = HashSet::new();
    accepted.extend(t.unit_kerja.iter().map(|r| r.prov));
    accepted.extend(t.pegawai.iter().map(|r| r.prov));
    accepted.extend(t.mutasi.iter().map(|r| r.prov));
    accepted.extend(t.kinerja.iter().map(|r| r.prov));
    accepted.extend(t.layanan.iter().map(|r| r.prov));
    accepted.extend(t.skm.iter().map(|r| r.prov));
    let rejected: HashSet<Prov> = loaded.rejects.iter().map(|f| f.prov).collect();
    let n = loaded.files.len();
    let mut acc = vec![0u64; n];
    let mut rej = vec![0u64; n];
    for p in &accepted {
        if let Some(a) = acc.get_mut(p.file as usize) {
            *a += 1;
        }
    }
    for p in &rejected {
        if let Some(r) = rej.get_mut(p.file as usize) {
            *r += 1;
        }
    }
    loaded
        .files
        .iter()
        .enumerate()
        .map(|(i, f)| Reconciliation {
            file: f.name.clone(),
            table: f.table.name(),
            rows_read: f.rows_read,
            rows_accepted: acc[i],
            rows_rejected: rej[i],
        })
        .collect()
}

/// Source rows that are both accepted and rejected: always a bug.
pub fn overlap(loaded: &Loaded) -> usize {
    let rejected: HashSet<Prov> = loaded.rejects.iter().map(|f| f.prov).collect();
    let t = &loaded.tables;
    let provs = t
        .unit_kerja
        .iter()
        .map(|r| r.prov)
        .chain(t.pegawai.iter().map(|r| r.prov))
        .chain(t.mutasi.iter().map(|r| r.prov))
        .chain(t.kinerja.iter().map(|r| r.prov))
        .chain(t.layanan.iter().map(|r| r.prov))
        .chain(t.skm.iter().map(|r| r.prov));
    provs.filter(|p| rejected.contains(p)).collect::<HashSet<_>>().len()
}
