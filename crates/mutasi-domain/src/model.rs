//! Canonical rows, as the loader accepts them.
//!
//! Each row remembers where it came from ([`Prov`]), so a later cross-table check can still reject
//! it with its file and row number. Units are referred to by their canonical `unit_id`.

use std::sync::Arc;

use chrono::NaiveDate;

use crate::normalize::nip::{AsnStatus, Gender, Nip};
use crate::normalize::period::Period;

/// Source file (index into the run's file list) and spreadsheet row number. A row number fits
/// 32 bits (a file of more rows is refused when read, `ingest`): every kinerja row carries one,
/// and tens of millions of them are held at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Prov {
    pub file: u32,
    pub row: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct UnitRow {
    pub prov: Prov,
    pub unit_id: String,
    pub nama_unit: String,
    pub opd: Option<String>,
    pub jenis_unit: Option<String>,
    pub kecamatan: Option<String>,
    pub induk_unit_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PegawaiRow {
    pub prov: Prov,
    pub nip: Nip,
    /// SIASN's id of the person (`PNS ID`), when the export gives it.
    pub pns_id: Option<String>,
    pub nama: Option<String>,
    pub nama_tampilan: Option<String>,
    pub jenis_kelamin: Gender,
    pub tanggal_lahir: NaiveDate,
    pub status_asn: AsnStatus,
    pub golongan: Option<String>,
    pub jenis_jabatan: Option<String>,
    pub jabatan: Option<String>,
    pub unit_id: Option<String>,
}

/// Kind of transfer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum JenisMutasi {
    Rotasi,
    Promosi,
    Demosi,
    MutasiMasuk,
    MutasiKeluar,
}

impl JenisMutasi {
    pub const ALL: [JenisMutasi; 5] = [
        JenisMutasi::Rotasi,
        JenisMutasi::Promosi,
        JenisMutasi::Demosi,
        JenisMutasi::MutasiMasuk,
        JenisMutasi::MutasiKeluar,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            JenisMutasi::Rotasi => "rotasi",
            JenisMutasi::Promosi => "promosi",
            JenisMutasi::Demosi => "demosi",
            JenisMutasi::MutasiMasuk => "mutasi_masuk",
            JenisMutasi::MutasiKeluar => "mutasi_keluar",
        }
    }

    /// Parses a `jenis_mutasi` value. `Ok(None)` means "derive it" (SIASN `MJ`, plain "mutasi").
    pub fn parse(raw: &str) -> Result<Option<JenisMutasi>, UnknownJenisMutasi> {
        let s: String = raw.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect();
        Ok(Some(match s.as_str() {
            "rotasi" | "mu" | "mutasiunor" | "rotation" => JenisMutasi::Rotasi,
            "promosi" | "promotion" => JenisMutasi::Promosi,
            "demosi" | "demotion" => JenisMutasi::Demosi,
            "mutasimasuk" | "masuk" | "pindahmasuk" | "transferin" => JenisMutasi::MutasiMasuk,
            "mutasikeluar" | "keluar" | "pindahkeluar" | "transferout" => JenisMutasi::MutasiKeluar,
            "mj" | "mutasijabatan" | "mutasi" | "" => return Ok(None),
            _ => return Err(UnknownJenisMutasi),
        }))
    }
}

/// A `jenis_mutasi` value that is none of the known kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnknownJenisMutasi;

#[derive(Debug, Clone, PartialEq)]
pub struct MutasiRow {
    pub prov: Prov,
    pub nip: u64,
    pub tmt: NaiveDate,
    pub unit_tujuan_id: String,
    pub unit_asal_id: Option<String>,
    pub jenis_mutasi: Option<JenisMutasi>,
    /// True when `jenis_mutasi` was derived rather than given.
    pub jenis_mutasi_turunan: bool,
    pub jabatan_baru: Option<String>,
    pub nomor_sk: Option<String>,
    pub tanggal_sk: Option<NaiveDate>,
    /// The transfer was derived from a job-history record (`riwayat_jabatan`).
    pub dari_riwayat: bool,
}

/// What one job-history record turned out to be, once a person's records are in TMT order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Peristiwa {
    /// The person's first record: an appointment, not a transfer.
    PenempatanAwal,
    /// A new post in the same unit as the record before: not a transfer.
    PerubahanJabatan,
    /// A post in another unit than the record before: a transfer, written to `mutasi`.
    Mutasi,
    /// The same decree recorded again (same TMT, unit and post): counted once.
    Duplikat,
    /// A post in a unit outside the instansi, after one outside too: nothing to derive.
    DiLuarInstansi,
}

impl Peristiwa {
    pub fn as_str(self) -> &'static str {
        match self {
            Peristiwa::PenempatanAwal => "penempatan_awal",
            Peristiwa::PerubahanJabatan => "perubahan_jabatan",
            Peristiwa::Mutasi => "mutasi",
            Peristiwa::Duplikat => "duplikat",
            Peristiwa::DiLuarInstansi => "di_luar_instansi",
        }
    }
}

/// One job-history record (SIASN `rw-jabatan`, SIMPEG riwayat jabatan).
#[derive(Debug, Clone, PartialEq)]
pub struct RiwayatRow {
    pub prov: Prov,
    pub nip: u64,
    pub tmt: NaiveDate,
    /// The unit as the record names it (its id, or its name when there is no id column);
    /// after the cross-table checks, the canonical `unit_id` when the unit is known.
    pub unit: String,
    /// True once the unit resolved to a row of `unit_kerja`.
    pub unit_dikenal: bool,
    pub jabatan: Option<String>,
    pub eselon: Option<String>,
    pub jenis_jabatan: Option<String>,
    pub nomor_sk: Option<String>,
    pub tanggal_sk: Option<NaiveDate>,
    /// SIASN `jenisMutasiId` (MJ, MU) as given.
    pub jenis_mutasi_siasn: Option<String>,
    /// Set by the cross-table checks.
    pub peristiwa: Option<Peristiwa>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct KinerjaRow {
    pub prov: Prov,
    pub nip: u64,
    pub periode: Period,
    /// Code in [`Tables::symbols`]: millions of rows share a handful of indicator names.
    pub indikator: Sym,
    pub nilai: f64,
    /// Code in [`Tables::symbols`]: millions of rows share a few hundred unit ids.
    pub unit_id: Option<Sym>,
    /// The appraiser's NIP (never 0, so an absent one costs no extra bytes).
    pub penilai_nip: Option<std::num::NonZeroU64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LayananRow {
    pub prov: Prov,
    pub unit_id: String,
    pub periode: Period,
    pub indikator: Arc<str>,
    pub nilai: f64,
}

/// Number of SKM answer columns accepted (9 unsur, or 14 in the older Kepmenpan 25/2004 layout).
pub const SKM_MAX_UNSUR: usize = 14;

#[derive(Debug, Clone, PartialEq)]
pub struct SkmRow {
    pub prov: Prov,
    pub unit_id: String,
    pub tanggal: NaiveDate,
    pub answers: [Option<u8>; SKM_MAX_UNSUR],
    pub responden_id: Option<String>,
}

/// State of a transfer request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum StatusPermohonan {
    Diajukan,
    Diproses,
    Disetujui,
    Ditolak,
    Dibatalkan,
}

impl StatusPermohonan {
    pub fn as_str(self) -> &'static str {
        match self {
            StatusPermohonan::Diajukan => "diajukan",
            StatusPermohonan::Diproses => "diproses",
            StatusPermohonan::Disetujui => "disetujui",
            StatusPermohonan::Ditolak => "ditolak",
            StatusPermohonan::Dibatalkan => "dibatalkan",
        }
    }

    /// Parses a status in Indonesian or English, any case and spacing.
    pub fn parse(raw: &str) -> Option<StatusPermohonan> {
        let k: String = raw.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect();
        Some(match k.as_str() {
            "diajukan" | "baru" | "submitted" | "new" => StatusPermohonan::Diajukan,
            "diproses" | "proses" | "dalamproses" | "sedangdiproses" | "inprocess" | "processing"
            | "pending" => StatusPermohonan::Diproses,
            "disetujui" | "setuju" | "diterima" | "approved" | "accepted" => StatusPermohonan::Disetujui,
            "ditolak" | "tolak" | "rejected" | "declined" => StatusPermohonan::Ditolak,
            "dibatalkan" | "batal" | "cancelled" | "canceled" | "withdrawn" => StatusPermohonan::Dibatalkan,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct PermohonanRow {
    pub prov: Prov,
    pub nip: u64,
    pub tanggal_pengajuan: NaiveDate,
    pub status: StatusPermohonan,
    pub unit_asal_id: Option<String>,
    pub unit_tujuan_diminta_id: Option<String>,
    pub alasan: Option<String>,
    pub tanggal_keputusan: Option<NaiveDate>,
    pub nomor_sk: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PelatihanRow {
    pub prov: Prov,
    pub nip: u64,
    pub tanggal_mulai: NaiveDate,
    /// Lower case, as given (pelatihan, bimbingan, mentoring, orientasi, …).
    pub jenis: String,
    pub tanggal_selesai: Option<NaiveDate>,
    pub jam_pelajaran: Option<f64>,
    pub penyelenggara: Option<String>,
}

/// Every canonical table of one run.
#[derive(Debug, Clone, Default)]
pub struct Tables {
    pub unit_kerja: Vec<UnitRow>,
    pub pegawai: Vec<PegawaiRow>,
    pub mutasi: Vec<MutasiRow>,
    pub riwayat_jabatan: Vec<RiwayatRow>,
    pub kinerja: Vec<KinerjaRow>,
    pub layanan: Vec<LayananRow>,
    pub skm: Vec<SkmRow>,
    pub permohonan: Vec<PermohonanRow>,
    pub pelatihan: Vec<PelatihanRow>,
    /// The texts the kinerja rows refer to by code.
    pub symbols: Symbols,
}

/// Code of a text in a [`Symbols`] table.
pub type Sym = u32;

/// Texts that millions of rows repeat (indicator names, unit ids), each stored once. Rows hold a
/// four-byte code instead of a shared pointer: no reference counts to move on every row, and a
/// kinerja row a quarter smaller.
#[derive(Debug, Clone, Default)]
pub struct Symbols {
    names: Vec<Arc<str>>,
    codes: foldhash::HashMap<Arc<str>, Sym>,
}

impl Symbols {
    /// The code of `text`, added when it is new.
    pub fn code(&mut self, text: &str) -> Sym {
        if let Some(c) = self.codes.get(text) {
            return *c;
        }
        let code = self.names.len() as Sym;
        let name: Arc<str> = Arc::from(text);
        self.names.push(Arc::clone(&name));
        self.codes.insert(name, code);
        code
    }

    /// The number of texts (codes are below it).
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// True when no text was coded.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// The text of a code this table gave.
    pub fn name(&self, code: Sym) -> &Arc<str> {
        &self.names[code as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One instansi holds tens of millions of kinerja rows: codes, a 32-bit row number and a
    /// niche-packed appraiser keep each row at 56 bytes.
    #[test]
    fn a_kinerja_row_stays_small() {
        assert!(std::mem::size_of::<KinerjaRow>() <= 56, "{}", std::mem::size_of::<KinerjaRow>());
    }

    /// Codes are handed out in order of first appearance and name their text.
    #[test]
    fn symbols_code_each_text_once() {
        let mut s = Symbols::default();
        let (a, b) = (s.code("capaian_iki"), s.code("PKM01"));
        assert_eq!((a, b), (0, 1));
        assert_eq!(s.code("capaian_iki"), a);
        assert_eq!(&**s.name(b), "PKM01");
    }
}
