//! Proof that no row was lost: for every input file, rows read = rows accepted + rows rejected.
//!
//! Accepted rows are counted from the canonical tables themselves (distinct source rows), and
//! rejected rows from the rejects table, so a row dropped by mistake anywhere shows up as a
//! mismatch and fails the run as an internal error.

use crate::ingest::Loaded;
use mutasi_domain::model::Prov;

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

/// Per-file bitmaps of source rows, indexed by row number.
struct RowSets(Vec<Vec<bool>>);

impl RowSets {
    fn new(files: usize) -> RowSets {
        RowSets(vec![Vec::new(); files])
    }

    fn insert(&mut self, p: Prov) {
        if let Some(set) = self.0.get_mut(p.file as usize) {
            let row = p.row as usize;
            if set.len() <= row {
                set.resize(row + 1, false);
            }
            set[row] = true;
        }
    }

    fn contains(&self, p: Prov) -> bool {
        self.0.get(p.file as usize).and_then(|s| s.get(p.row as usize)).copied().unwrap_or(false)
    }

    fn count(&self, file: usize) -> u64 {
        self.0.get(file).map_or(0, |s| s.iter().filter(|b| **b).count() as u64)
    }
}

fn accepted_provs(loaded: &Loaded) -> impl Iterator<Item = Prov> + '_ {
    let t = &loaded.tables;
    t.unit_kerja
        .iter()
        .map(|r| r.prov)
        .chain(t.pegawai.iter().map(|r| r.prov))
        .chain(t.mutasi.iter().map(|r| r.prov))
        .chain(t.riwayat_jabatan.iter().map(|r| r.prov))
        .chain(t.kinerja.iter().map(|r| r.prov))
        .chain(t.layanan.iter().map(|r| r.prov))
        .chain(t.skm.iter().map(|r| r.prov))
        .chain(t.permohonan.iter().map(|r| r.prov))
        .chain(t.pelatihan.iter().map(|r| r.prov))
}

/// Counts accepted and rejected source rows per file.
pub fn reconcile(loaded: &Loaded) -> Vec<Reconciliation> {
    let n = loaded.files.len();
    let mut accepted = RowSets::new(n);
    for p in accepted_provs(loaded) {
        accepted.insert(p);
    }
    let mut rejected = RowSets::new(n);
    for f in &loaded.rejects {
        rejected.insert(f.prov);
    }
    loaded
        .files
        .iter()
        .enumerate()
        .map(|(i, f)| Reconciliation {
            file: f.name.clone(),
            table: f.table.name(),
            rows_read: f.rows_read,
            rows_accepted: accepted.count(i),
            rows_rejected: rejected.count(i),
        })
        .collect()
}

/// Source rows that are both accepted and rejected: always a bug.
pub fn overlap(loaded: &Loaded) -> usize {
    let mut rejected = RowSets::new(loaded.files.len());
    for f in &loaded.rejects {
        rejected.insert(f.prov);
    }
    let mut both = RowSets::new(loaded.files.len());
    for p in accepted_provs(loaded).filter(|p| rejected.contains(*p)) {
        both.insert(p);
    }
    (0..loaded.files.len()).map(|i| both.count(i) as usize).sum()
}
