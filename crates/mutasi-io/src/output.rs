//! Writing the canonical tables, rejects, warnings and reconciliation of a validate run.
//!
//! Builds plain [`TableData`] from the model and hands it to the data layer. Column names and the
//! meaning of each are documented in `docs/data-contract.md` ("Keluaran / outputs").

use std::path::Path;

use foldhash::HashMap;

use crate::data::table::{Code, ColumnData as C, DictBuilder, TableData, TableError, write_parquet};
use crate::ingest::{FileReport, Loaded};
use crate::privacy::Pseudonymizer;
use crate::validate::reconcile::Reconciliation;
use mutasi_domain::Finding;
use mutasi_domain::model::{KinerjaRow, SKM_MAX_UNSUR, Symbols, Tables};
use mutasi_domain::normalize::period::{Period, PeriodKind};
use mutasi_domain::schema::Table;

fn s(v: impl Iterator<Item = Option<String>>) -> C {
    C::Str(v.collect())
}

pub fn unit_kerja(t: &Tables) -> TableData {
    let u = &t.unit_kerja;
    let mut d = TableData::default();
    d.push("unit_id", s(u.iter().map(|r| Some(r.unit_id.clone()))));
    d.push("nama_unit", s(u.iter().map(|r| Some(r.nama_unit.clone()))));
    d.push("opd", s(u.iter().map(|r| r.opd.clone())));
    d.push("jenis_unit", s(u.iter().map(|r| r.jenis_unit.clone())));
    d.push("kecamatan", s(u.iter().map(|r| r.kecamatan.clone())));
    d.push("induk_unit_id", s(u.iter().map(|r| r.induk_unit_id.clone())));
    d
}

pub fn pegawai(t: &Tables, ids: &Pseudonymizer, identities: bool) -> TableData {
    let p = &t.pegawai;
    let mut d = TableData::default();
    d.push("pegawai_id", s(p.iter().map(|r| Some(ids.pegawai_id(r.nip.value)))));
    if identities {
        d.push("nip", s(p.iter().map(|r| Some(r.nip.text()))));
        d.push("nama", s(p.iter().map(|r| r.nama.clone())));
        d.push("nama_tampilan", s(p.iter().map(|r| r.nama_tampilan.clone())));
        d.push("tanggal_lahir", C::Date(p.iter().map(|r| Some(r.tanggal_lahir)).collect()));
    }
    d.push(
        "tahun_lahir",
        C::I64(p.iter().map(|r| Some(chrono::Datelike::year(&r.tanggal_lahir) as i64)).collect()),
    );
    d.push("jenis_kelamin", s(p.iter().map(|r| Some(r.jenis_kelamin.code().to_string()))));
    d.push("status_asn", s(p.iter().map(|r| Some(r.status_asn.as_str().to_string()))));
    // Year of the CPNS appointment: digits 9–12 of a PNS NIP (PPPK numbers carry no such date).
    d.push(
        "tahun_cpns",
        C::I64(
            p.iter()
                .map(|r| {
                    (r.nip.status == mutasi_domain::normalize::nip::AsnStatus::Pns)
                        .then_some(((r.nip.value / 1_000_000) % 10_000) as i64)
                })
                .collect(),
        ),
    );
    d.push("golongan", s(p.iter().map(|r| r.golongan.clone())));
    d.push("jenis_jabatan", s(p.iter().map(|r| r.jenis_jabatan.clone())));
    d.push("jabatan", s(p.iter().map(|r| r.jabatan.clone())));
    d.push("unit_id", s(p.iter().map(|r| r.unit_id.clone())));
    d
}

pub fn mutasi(t: &Tables, ids: &Pseudonymizer, identities: bool) -> TableData {
    let m = &t.mutasi;
    let mut d = TableData::default();
    d.push("pegawai_id", s(m.iter().map(|r| Some(ids.pegawai_id(r.nip)))));
    if identities {
        d.push("nip", s(m.iter().map(|r| Some(format!("{:018}", r.nip)))));
    }
    d.push("tmt", C::Date(m.iter().map(|r| Some(r.tmt)).collect()));
    d.push("unit_asal_id", s(m.iter().map(|r| r.unit_asal_id.clone())));
    d.push("unit_tujuan_id", s(m.iter().map(|r| Some(r.unit_tujuan_id.clone()))));
    d.push("jenis_mutasi", s(m.iter().map(|r| r.jenis_mutasi.map(|j| j.as_str().to_string()))));
    d.push("jenis_mutasi_turunan", C::Bool(m.iter().map(|r| Some(r.jenis_mutasi_turunan)).collect()));
    d.push("jabatan_baru", s(m.iter().map(|r| r.jabatan_baru.clone())));
    d.push("nomor_sk", s(m.iter().map(|r| r.nomor_sk.clone())));
    d.push("tanggal_sk", C::Date(m.iter().map(|r| r.tanggal_sk).collect()));
    d.push("dari_riwayat", C::Bool(m.iter().map(|r| Some(r.dari_riwayat)).collect()));
    d
}

/// The job-history records, each with the event it turned out to be.
pub fn riwayat_jabatan(t: &Tables, ids: &Pseudonymizer, identities: bool) -> TableData {
    let m = &t.riwayat_jabatan;
    let mut d = TableData::default();
    d.push("pegawai_id", s(m.iter().map(|r| Some(ids.pegawai_id(r.nip)))));
    if identities {
        d.push("nip", s(m.iter().map(|r| Some(format!("{:018}", r.nip)))));
    }
    d.push("tmt", C::Date(m.iter().map(|r| Some(r.tmt)).collect()));
    d.push("unit_id", s(m.iter().map(|r| r.unit_dikenal.then(|| r.unit.clone()))));
    d.push("unit_di_luar", s(m.iter().map(|r| (!r.unit_dikenal).then(|| r.unit.clone()))));
    d.push("jabatan", s(m.iter().map(|r| r.jabatan.clone())));
    d.push("eselon", s(m.iter().map(|r| r.eselon.clone())));
    d.push("jenis_jabatan", s(m.iter().map(|r| r.jenis_jabatan.clone())));
    d.push("nomor_sk", s(m.iter().map(|r| r.nomor_sk.clone())));
    d.push("tanggal_sk", C::Date(m.iter().map(|r| r.tanggal_sk).collect()));
    d.push("jenis_mutasi_siasn", s(m.iter().map(|r| r.jenis_mutasi_siasn.clone())));
    d.push("peristiwa", s(m.iter().map(|r| r.peristiwa.map(|p| p.as_str().to_string()))));
    d
}

pub fn permohonan(t: &Tables, ids: &Pseudonymizer, identities: bool) -> TableData {
    let m = &t.permohonan;
    let mut d = TableData::default();
    d.push("pegawai_id", s(m.iter().map(|r| Some(ids.pegawai_id(r.nip)))));
    if identities {
        d.push("nip", s(m.iter().map(|r| Some(format!("{:018}", r.nip)))));
    }
    d.push("tanggal_pengajuan", C::Date(m.iter().map(|r| Some(r.tanggal_pengajuan)).collect()));
    d.push("status", s(m.iter().map(|r| Some(r.status.as_str().to_string()))));
    d.push("unit_asal_id", s(m.iter().map(|r| r.unit_asal_id.clone())));
    d.push("unit_tujuan_diminta_id", s(m.iter().map(|r| r.unit_tujuan_diminta_id.clone())));
    d.push("alasan", s(m.iter().map(|r| r.alasan.clone())));
    d.push("tanggal_keputusan", C::Date(m.iter().map(|r| r.tanggal_keputusan).collect()));
    d.push("nomor_sk", s(m.iter().map(|r| r.nomor_sk.clone())));
    d
}

pub fn pelatihan(t: &Tables, ids: &Pseudonymizer, identities: bool) -> TableData {
    let m = &t.pelatihan;
    let mut d = TableData::default();
    d.push("pegawai_id", s(m.iter().map(|r| Some(ids.pegawai_id(r.nip)))));
    if identities {
        d.push("nip", s(m.iter().map(|r| Some(format!("{:018}", r.nip)))));
    }
    d.push("tanggal_mulai", C::Date(m.iter().map(|r| Some(r.tanggal_mulai)).collect()));
    d.push("jenis", s(m.iter().map(|r| Some(r.jenis.clone()))));
    d.push("tanggal_selesai", C::Date(m.iter().map(|r| r.tanggal_selesai).collect()));
    d.push("jam_pelajaran", C::F64(m.iter().map(|r| r.jam_pelajaran).collect()));
    d.push("penyelenggara", s(m.iter().map(|r| r.penyelenggara.clone())));
    d
}

/// A dictionary column built from per-row keys, computing each distinct value once: a row costs
/// one lookup of its key (none when it repeats the row before, as a person's months do); the
/// text is made and interned only for a key not seen before.
struct KeyedDict<K, F> {
    codes: HashMap<K, u32>,
    last: Option<(K, u32)>,
    builder: DictBuilder,
    value: F,
}

impl<K: std::hash::Hash + Eq + Copy, F: Fn(K) -> String> KeyedDict<K, F> {
    fn new(rows: usize, value: F) -> Self {
        KeyedDict { codes: HashMap::default(), last: None, builder: DictBuilder::with_capacity(rows), value }
    }

    fn push(&mut self, key: Option<K>) {
        let code = key.map(|k| match self.last {
            Some((seen, code)) if seen == k => code,
            _ => {
                let (builder, value) = (&mut self.builder, &self.value);
                let code = *self.codes.entry(k).or_insert_with(|| builder.intern(&value(k)));
                self.last = Some((k, code));
                code
            }
        });
        self.builder.push_code(code);
    }

    fn finish(self) -> C {
        self.builder.finish()
    }

    /// The codes pushed so far; the dictionary stays for the next part.
    fn take(&mut self) -> Vec<Option<Code>> {
        self.builder.take_codes()
    }

    /// The column of this dictionary and `codes`.
    fn finish_with(self, codes: Vec<Option<Code>>) -> C {
        self.builder.finish_with(codes)
    }
}

/// Rows of kinerja turned into columns at a time by [`kinerja`].
const KINERJA_PART: usize = 1 << 20;

/// The validated kinerja table, its columns filled in one pass over the rows: millions of rows
/// of about a hundred bytes each are read from memory once, not once per column.
///
/// The rows are read in parts from the last one back. With `release`, each part's rows are
/// freed once its columns are built, so the rows and the table they become are not both whole
/// in memory at once: at 50 million rows (one instansi of 250,000 ASN over five years) the two
/// together took 7 GiB. Without it the rows stay, emptied of nothing, for a run that reuses their
/// memory for its next partition ([`crate::ingest::recycle`]).
pub fn kinerja(
    rows: &mut Vec<KinerjaRow>,
    symbols: &Symbols,
    ids: &Pseudonymizer,
    identities: bool,
    release: bool,
) -> TableData {
    kinerja_in_parts(rows, symbols, ids, identities, release, KINERJA_PART)
}

/// [`kinerja`] with parts of `part_rows` rows.
fn kinerja_in_parts(
    rows: &mut Vec<KinerjaRow>,
    symbols: &Symbols,
    ids: &Pseudonymizer,
    identities: bool,
    release: bool,
    part_rows: usize,
) -> TableData {
    let n = rows.len();
    let mut pegawai = KeyedDict::new(0, |x| ids.pegawai_id(x));
    let mut nip = identities.then(|| KeyedDict::new(0, |x: u64| format!("{x:018}")));
    let mut periode = KeyedDict::new(0, |p: Period| p.label());
    let mut jenis = KeyedDict::new(0, |p: PeriodKind| p.as_str().to_string());
    let name = |c| symbols.name(c).to_string();
    let mut indikator = KeyedDict::new(0, name);
    let mut unit = KeyedDict::new(0, name);
    let mut penilai = KeyedDict::new(0, |x| ids.pegawai_id(x));
    // Each column's parts, the last rows' first.
    let mut parts: Vec<[Vec<Option<Code>>; 7]> = Vec::new();
    let (mut mulai_parts, mut nilai_parts) = (Vec::new(), Vec::new());
    let mut last_start: Option<(Period, Option<chrono::NaiveDate>)> = None;
    let mut end = n;
    while end > 0 {
        let start = end.saturating_sub(part_rows.max(1));
        let part = &rows[start..end];
        let (mut mulai, mut nilai) = (Vec::with_capacity(part.len()), Vec::with_capacity(part.len()));
        for r in part {
            pegawai.push(Some(r.nip));
            if let Some(d) = nip.as_mut() {
                d.push(Some(r.nip));
            }
            periode.push(Some(r.periode));
            jenis.push(Some(r.periode.kind));
            // A person's rows repeat a period once per indicator: its date is worked out once.
            let start = match last_start {
                Some((p, d)) if p == r.periode => d,
                _ => {
                    let d = r.periode.start();
                    last_start = Some((r.periode, d));
                    d
                }
            };
            mulai.push(start);
            indikator.push(Some(r.indikator));
            nilai.push(Some(r.nilai));
            unit.push(r.unit_id);
            penilai.push(r.penilai_nip.map(std::num::NonZeroU64::get));
        }
        parts.push([
            pegawai.take(),
            nip.as_mut().map(KeyedDict::take).unwrap_or_default(),
            periode.take(),
            jenis.take(),
            indikator.take(),
            unit.take(),
            penilai.take(),
        ]);
        mulai_parts.push(mulai);
        nilai_parts.push(nilai);
        if release {
            rows.truncate(start);
            rows.shrink_to_fit();
        }
        end = start;
    }
    // One column at a time, its parts in row order, each freed once copied.
    let mut columns: [Vec<Vec<Option<Code>>>; 7] = Default::default();
    for part in parts.into_iter().rev() {
        for (column, codes) in columns.iter_mut().zip(part) {
            column.push(codes);
        }
    }
    let [c_pegawai, c_nip, c_periode, c_jenis, c_indikator, c_unit, c_penilai] = columns.map(concat);
    let mut d = TableData::default();
    d.push("pegawai_id", pegawai.finish_with(c_pegawai));
    if let Some(nip) = nip {
        d.push("nip", nip.finish_with(c_nip));
    }
    d.push("periode", periode.finish_with(c_periode));
    d.push("jenis_periode", jenis.finish_with(c_jenis));
    d.push("periode_mulai", C::Date(concat(mulai_parts.into_iter().rev().collect())));
    d.push("indikator", indikator.finish_with(c_indikator));
    d.push("nilai", C::F64(concat(nilai_parts.into_iter().rev().collect())));
    d.push("unit_id", unit.finish_with(c_unit));
    d.push("penilai_id", penilai.finish_with(c_penilai));
    d
}

/// The parts one after another, each freed once copied.
fn concat<T>(parts: Vec<Vec<T>>) -> Vec<T> {
    let mut out = Vec::with_capacity(parts.iter().map(Vec::len).sum());
    for p in parts {
        out.extend(p);
    }
    out
}

pub fn layanan(t: &Tables) -> TableData {
    let l = &t.layanan;
    let mut d = TableData::default();
    d.push("unit_id", s(l.iter().map(|r| Some(r.unit_id.clone()))));
    d.push("periode", s(l.iter().map(|r| Some(r.periode.label()))));
    d.push("jenis_periode", s(l.iter().map(|r| Some(r.periode.kind.as_str().to_string()))));
    d.push("periode_mulai", C::Date(l.iter().map(|r| r.periode.start()).collect()));
    d.push("indikator", s(l.iter().map(|r| Some(r.indikator.to_string()))));
    d.push("nilai", C::F64(l.iter().map(|r| Some(r.nilai)).collect()));
    d
}

pub fn skm(t: &Tables) -> TableData {
    let k = &t.skm;
    let mut d = TableData::default();
    // Texts as dictionaries built once here, each distinct text copied once, instead of a string
    // per row that writing then hashes into a dictionary (a unit has hundreds of responses).
    let mut unit = KeyedDict::new(k.len(), |x: &str| x.to_string());
    let mut responden = KeyedDict::new(k.len(), |x: &str| x.to_string());
    for r in k {
        unit.push(Some(r.unit_id.as_str()));
        responden.push(r.responden_id.as_deref());
    }
    d.push("unit_id", unit.finish());
    d.push("tanggal", C::Date(k.iter().map(|r| Some(r.tanggal)).collect()));
    let used = (0..SKM_MAX_UNSUR).filter(|i| *i < 9 || k.iter().any(|r| r.answers[*i].is_some()));
    for i in used {
        d.push(&format!("u{}", i + 1), C::I64(k.iter().map(|r| r.answers[i].map(i64::from)).collect()));
    }
    d.push("responden_id", responden.finish());
    d
}

/// The rejects or warnings table.
pub fn findings(findings: &[Finding], files: &[FileReport]) -> TableData {
    let file = |f: &Finding| files.get(f.prov.file as usize);
    let mut d = TableData::default();
    d.push("berkas", s(findings.iter().map(|f| file(f).map(|x| x.name.clone()))));
    d.push("tabel", s(findings.iter().map(|f| file(f).map(|x| x.table.name().to_string()))));
    d.push("baris", C::I64(findings.iter().map(|f| Some(f.prov.row as i64)).collect()));
    d.push("kolom", s(findings.iter().map(|f| Some(f.column.clone()))));
    d.push("nilai_mentah", s(findings.iter().map(|f| Some(f.raw.clone()))));
    d.push("kode_alasan", s(findings.iter().map(|f| Some(f.reason.code().to_string()))));
    d.push("pesan_id", s(findings.iter().map(|f| Some(f.reason.message_id().to_string()))));
    d.push("pesan_en", s(findings.iter().map(|f| Some(f.reason.message_en().to_string()))));
    d.push("petunjuk", s(findings.iter().map(|f| Some(f.reason.hint().to_string()))));
    d.push("keterangan", s(findings.iter().map(|f| f.detail.clone())));
    d
}

pub fn reconciliation(rows: &[Reconciliation], files: &[FileReport]) -> TableData {
    let mut d = TableData::default();
    d.push("berkas", s(rows.iter().map(|r| Some(r.file.clone()))));
    d.push("tabel", s(rows.iter().map(|r| Some(r.table.to_string()))));
    d.push("format", s(files.iter().map(|f| Some(f.info.format.to_string()))));
    d.push("baris_dibaca", C::I64(rows.iter().map(|r| Some(r.rows_read as i64)).collect()));
    d.push("baris_diterima", C::I64(rows.iter().map(|r| Some(r.rows_accepted as i64)).collect()));
    d.push("baris_ditolak", C::I64(rows.iter().map(|r| Some(r.rows_rejected as i64)).collect()));
    d.push("seimbang", C::Bool(rows.iter().map(|r| Some(r.balanced())).collect()));
    d
}

/// Writes rejects or warnings as CSV for people who open them in Excel: `;`-separated with a
/// UTF-8 BOM, which Indonesian-locale Excel opens in columns.
pub fn write_findings_csv(findings_table: &TableData, path: &Path) -> Result<(), TableError> {
    let tmp = path.with_extension("csv.tmp");
    let csv_err = |source| TableError::Csv { path: tmp.clone(), source };
    let mut w = csv::WriterBuilder::new().delimiter(b';').from_path(&tmp).map_err(csv_err)?;
    let headers: Vec<&str> = findings_table.columns.iter().map(|(n, _)| n.as_str()).collect();
    let mut header_row: Vec<String> = headers.iter().map(|h| h.to_string()).collect();
    if let Some(first) = header_row.first_mut() {
        *first = format!("\u{feff}{first}");
    }
    w.write_record(&header_row).map_err(csv_err)?;
    for i in 0..findings_table.height() {
        let rec: Vec<String> = findings_table.columns.iter().map(|(_, c)| c.text(i)).collect();
        w.write_record(&rec).map_err(csv_err)?;
    }
    w.flush().map_err(TableError::io(&tmp))?;
    drop(w);
    std::fs::rename(&tmp, path).map_err(TableError::io(path))
}

/// Writes every output of a validate run into `dir`; returns the files written. Tables are built
/// and written one at a time, so only one is in memory twice (plain and Polars) at once.
pub fn write_all(
    dir: &Path,
    loaded: &mut Loaded,
    recon: &[Reconciliation],
    ids: &Pseudonymizer,
    identities: bool,
) -> Result<Vec<String>, TableError> {
    // A run that validates one partition after another keeps the kinerja rows' memory for the
    // next; a single run frees them as their table is built.
    let release = !crate::ingest::keeps_tables();
    let mut written = Vec::new();
    for table in Table::ALL {
        let t = &mut loaded.tables;
        let data = match table {
            Table::UnitKerja => unit_kerja(t),
            Table::Pegawai => pegawai(t, ids, identities),
            Table::Mutasi => mutasi(t, ids, identities),
            Table::Kinerja => kinerja(&mut t.kinerja, &t.symbols, ids, identities, release),
            Table::Layanan => layanan(t),
            Table::Skm => skm(t),
            Table::Permohonan => permohonan(t, ids, identities),
            Table::Pelatihan => pelatihan(t, ids, identities),
            Table::RiwayatJabatan => riwayat_jabatan(t, ids, identities),
        };
        let name = format!("{}.parquet", table.name());
        write_parquet(data, &dir.join(&name))?;
        written.push(name);
    }
    for (name, findings_list) in [("rejects", &loaded.rejects), ("warnings", &loaded.warnings)] {
        let data = findings(findings_list, &loaded.files);
        write_findings_csv(&data, &dir.join(format!("{name}.csv")))?;
        write_parquet(data, &dir.join(format!("{name}.parquet")))?;
        // They hold raw input values (NIPs, names): readable by their owner only.
        for ext in ["csv", "parquet"] {
            owner_only(&dir.join(format!("{name}.{ext}")))?;
        }
        written.extend([format!("{name}.parquet"), format!("{name}.csv")]);
    }
    write_parquet(reconciliation(recon, &loaded.files), &dir.join("reconciliation.parquet"))?;
    written.push("reconciliation.parquet".into());
    Ok(written)
}

/// Restricts a file to its owner (0600).
fn owner_only(path: &Path) -> Result<(), TableError> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).map_err(TableError::io(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Built in parts from the last rows back, with the rows freed as it goes, the table reads
    /// back exactly as when built in one pass, and the rows are gone.
    #[test]
    fn kinerja_in_parts_equals_one_pass() {
        use mutasi_domain::model::Prov;
        use mutasi_domain::normalize::period::Period;
        let mut symbols = Symbols::default();
        let codes = [symbols.code("capaian_iki"), symbols.code("PKM01"), symbols.code("rating_perilaku")];
        let rows: Vec<KinerjaRow> = (0..23u64)
            .map(|i| KinerjaRow {
                prov: Prov { file: 0, row: i as u32 + 2 },
                nip: 199_001_012_020_121_001 + i / 4,
                periode: Period::month(2024, 1 + (i % 4) as u32),
                indikator: codes[(i % 3) as usize],
                nilai: i as f64 * 1.5,
                unit_id: (i % 5 != 0).then_some(codes[1]),
                penilai_nip: std::num::NonZeroU64::new(199_001_012_020_121_900).filter(|_| i % 2 == 0),
            })
            .collect();
        let ids = Pseudonymizer::new(Some("test-key"));
        let whole = kinerja_in_parts(&mut rows.clone(), &symbols, &ids, true, false, usize::MAX);
        let mut parted_rows = rows.clone();
        let parted = kinerja_in_parts(&mut parted_rows, &symbols, &ids, true, true, 5);
        assert!(parted_rows.is_empty());
        assert_eq!(parted.into_read_back(), whole.clone().into_read_back());
        assert_eq!(whole.height(), 23);
        assert_eq!(whole.get("nilai").map(|c| c.text(22)), Some("33".to_string()));
        assert_eq!(whole.str_at("periode", 5), Some("2024-02"));
    }

    /// Keys in runs, with gaps and returns, code as the texts would: each distinct value once,
    /// in order of first appearance.
    #[test]
    fn dict_codes_keys_as_their_texts() {
        let keys = [Some(7u64), Some(7), None, Some(7), Some(3), Some(3), Some(7), None, Some(9), Some(3)];
        let text = |k: u64| format!("P{k}");
        let mut expected = DictBuilder::default();
        for k in keys {
            expected.push(k.map(text).as_deref());
        }
        let mut d = KeyedDict::new(keys.len(), text);
        keys.iter().for_each(|k| d.push(*k));
        let got = d.finish();
        assert_eq!(got, expected.finish());
        let C::Dict { values, codes } = got else { panic!("a dictionary column") };
        assert_eq!(values, ["P7", "P3", "P9"]);
        assert_eq!(codes[..4], crate::data::table::cs(&[Some(0), Some(0), None, Some(0)]));
    }
}
