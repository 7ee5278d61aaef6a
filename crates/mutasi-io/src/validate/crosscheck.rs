//! Checks that need more than one row or more than one table.
//!
//! Referential integrity (every NIP known, every unit known), duplicate keys, same-day transfers,
//! the predikat matrix, late decrees, and the derivation of `jenis_mutasi` where the export did
//! not say it. Unit references are resolved by `unit_id`, then by the unit's name, so exports
//! that carry "Unit Kerja" names instead of codes still join.

use std::collections::BTreeMap;
use std::sync::Arc;

use foldhash::{HashMap, HashSet};

use crate::ingest::{FileReport, Loaded};
use mutasi_domain::Finding;
use mutasi_domain::model::{JenisMutasi, KinerjaRow, Prov, Sym};
use mutasi_domain::normalize::period::Period;
use mutasi_domain::normalize::rating::{predikat_from_ratings, predikat_label};
use mutasi_domain::reason::Reason;
use mutasi_stats::bucket_sort::sort_by_bucket;
use rayon::prelude::*;

/// Settings of the cross-table checks.
#[derive(Debug, Clone, Copy)]
pub struct CrossOptions {
    pub sk_tolerance_days: i64,
}

fn fold(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// Resolves unit references by id, then by unique folded name, to an interned canonical id.
pub struct UnitIndex {
    ids: HashMap<String, Arc<str>>,
    by_name: HashMap<String, Option<Arc<str>>>,
}

impl UnitIndex {
    /// The index of units given as (id, name) pairs; a name two units share resolves to none.
    pub fn from_units(units: &[(&str, &str)]) -> UnitIndex {
        let ids: HashMap<String, Arc<str>> =
            units.iter().map(|(id, _)| (id.to_string(), Arc::from(*id))).collect();
        let mut by_name: HashMap<String, Option<Arc<str>>> = HashMap::default();
        for (id, name) in units {
            let id = ids.get(*id).cloned();
            by_name.entry(fold(name)).and_modify(|v| *v = None).or_insert(id);
        }
        UnitIndex { ids, by_name }
    }

    pub fn resolve(&self, reference: &str) -> Option<Arc<str>> {
        let r = reference.trim();
        if let Some(id) = self.ids.get(r) {
            return Some(id.clone());
        }
        self.by_name.get(&fold(r)).cloned().flatten()
    }

    fn resolve_string(&self, reference: &str) -> Option<String> {
        self.resolve(reference).map(|a| a.to_string())
    }
}

fn place(files: &[FileReport], p: Prov) -> String {
    let name = files.get(p.file as usize).map_or("?", |f| f.name.as_str());
    format!("{name}:{}", p.row)
}

/// Rough level of a post, from its name: 4 JPT, 3 administrator, 2 pengawas or unit head,
/// 1 fungsional/pelaksana. Used only to tell promosi and demosi from rotasi when the export does
/// not say which (`docs/data-contract.md`).
pub fn jabatan_level(jabatan: &str) -> u8 {
    let s = fold(jabatan);
    let starts = |p: &str| s.starts_with(p);
    if s.contains("sekretaris daerah")
        || starts("kepala dinas")
        || starts("kepala badan")
        || starts("kepala satuan")
        || starts("asisten")
        || starts("staf ahli")
        || (starts("inspektur") && !s.contains("pembantu"))
    {
        4
    } else if starts("sekretaris")
        || starts("kepala bidang")
        || starts("kepala bagian")
        || starts("camat")
        || starts("inspektur pembantu")
    {
        3
    } else if starts("kepala")
        || starts("lurah")
        || starts("kasubag")
        || starts("kasi ")
        || starts("kasubbid")
    {
        2
    } else {
        1
    }
}

/// Runs every cross-table check, moving failing rows to the rejects.
pub fn crosscheck(loaded: &mut Loaded, opts: CrossOptions) {
    let files = loaded.files.clone();
    let mut rejects: Vec<Finding> = Vec::new();
    let mut warnings: Vec<Finding> = Vec::new();
    let mut riwayat_counts = None;
    let t = &mut loaded.tables;

    // unit_kerja: unique ids.
    let mut first_unit: HashMap<String, Prov> = HashMap::default();
    t.unit_kerja.retain(|u| match first_unit.get(&u.unit_id) {
        Some(first) => {
            rejects.push(
                Finding::new(u.prov, "unit_id", &u.unit_id, Reason::DuplicateUnit)
                    .with_detail(format!("baris pertama / first row: {}", place(&files, *first))),
            );
            false
        }
        None => {
            first_unit.insert(u.unit_id.clone(), u.prov);
            true
        }
    });
    let pairs: Vec<(&str, &str)> =
        t.unit_kerja.iter().map(|u| (u.unit_id.as_str(), u.nama_unit.as_str())).collect();
    let units = UnitIndex::from_units(&pairs);
    for u in &mut t.unit_kerja {
        if let Some(parent) = u.induk_unit_id.clone() {
            match units.resolve_string(&parent) {
                Some(id) => u.induk_unit_id = Some(id),
                None => {
                    warnings.push(Finding::new(u.prov, "induk_unit_id", parent, Reason::UnknownUnitKept));
                    u.induk_unit_id = None;
                }
            }
        }
    }

    // OPD from the unit tree (SIASN HierarkiUnor, ref-unor) where the export names none: the
    // ancestor right under the tree's root (the instansi), or the unit itself at that level.
    let parent: HashMap<String, String> =
        t.unit_kerja.iter().filter_map(|u| u.induk_unit_id.clone().map(|p| (u.unit_id.clone(), p))).collect();
    if !parent.is_empty() {
        let names: HashMap<String, String> =
            t.unit_kerja.iter().map(|u| (u.unit_id.clone(), u.nama_unit.clone())).collect();
        for u in t.unit_kerja.iter_mut().filter(|u| u.opd.is_none()) {
            let mut path = vec![u.unit_id.clone()];
            while let Some(p) = parent.get(path.last().map_or("", String::as_str)) {
                if path.contains(p) || path.len() > 64 {
                    path.clear(); // a cycle: no OPD
                    break;
                }
                path.push(p.clone());
            }
            if path.len() >= 2 {
                u.opd = names.get(&path[path.len() - 2]).cloned();
            }
        }
    }

    // pegawai: unique NIPs; unit references.
    let mut first_nip: HashMap<u64, Prov> = HashMap::default();
    t.pegawai.retain(|p| match first_nip.get(&p.nip.value) {
        Some(first) => {
            rejects.push(
                Finding::new(p.prov, "nip", p.nip.text(), Reason::DuplicateNip)
                    .with_detail(format!("baris pertama / first row: {}", place(&files, *first))),
            );
            false
        }
        None => {
            first_nip.insert(p.nip.value, p.prov);
            true
        }
    });
    for p in &mut t.pegawai {
        if let Some(r) = p.unit_id.clone() {
            p.unit_id = units.resolve_string(&r);
            if p.unit_id.is_none() {
                warnings.push(Finding::new(p.prov, "unit_id", r, Reason::UnknownUnitKept));
            }
        }
    }
    let nips: HashSet<u64> = t.pegawai.iter().map(|p| p.nip.value).collect();
    let unknown_nip =
        |prov: Prov, nip: u64| Finding::new(prov, "nip", format!("{nip:018}"), Reason::UnknownNip);

    // mutasi: known NIP and units; same-day transfers; late SK; derived jenis.
    t.mutasi.retain_mut(|m| {
        if !nips.contains(&m.nip) {
            rejects.push(unknown_nip(m.prov, m.nip));
            return false;
        }
        if let Some(a) = m.unit_asal_id.clone() {
            m.unit_asal_id = units.resolve_string(&a);
            if m.unit_asal_id.is_none() {
                match m.jenis_mutasi {
                    // An origin outside the instansi is what makes a transfer `mutasi_masuk`.
                    None => m.jenis_mutasi = Some(JenisMutasi::MutasiMasuk),
                    Some(JenisMutasi::MutasiMasuk) => {}
                    Some(_) => {
                        warnings.push(Finding::new(m.prov, "unit_asal_id", a, Reason::UnknownUnitKept))
                    }
                }
            }
        }
        match units.resolve_string(&m.unit_tujuan_id) {
            Some(id) => m.unit_tujuan_id = id,
            None if m.jenis_mutasi == Some(JenisMutasi::MutasiKeluar) => {}
            None => {
                rejects.push(Finding::new(m.prov, "unit_tujuan_id", &m.unit_tujuan_id, Reason::UnknownUnit));
                return false;
            }
        }
        if let Some(sk) = m.tanggal_sk
            && (sk - m.tmt).num_days() > opts.sk_tolerance_days
        {
            warnings.push(
                Finding::new(m.prov, "tanggal_sk", mutasi_domain::normalize::date::iso(sk), Reason::LateSk)
                    .with_detail(format!(
                        "{} hari setelah TMT / days after the TMT",
                        (sk - m.tmt).num_days()
                    )),
            );
        }
        true
    });
    // Job histories: their events, and the transfers they imply, checked below like the rest.
    if !t.riwayat_jabatan.is_empty() {
        let (derived, counts) = crate::validate::riwayat::derive(
            &mut t.riwayat_jabatan,
            &units,
            &|n| nips.contains(&n),
            &t.mutasi,
            &mut rejects,
            &mut warnings,
        );
        t.mutasi.extend(derived);
        riwayat_counts = Some(counts);
    }
    let mut groups: BTreeMap<(u64, chrono::NaiveDate), Vec<usize>> = BTreeMap::new();
    for (i, m) in t.mutasi.iter().enumerate() {
        groups.entry((m.nip, m.tmt)).or_default().push(i);
    }
    let mut drop: HashSet<usize> = HashSet::default();
    for idx in groups.values().filter(|v| v.len() > 1) {
        let first = &t.mutasi[idx[0]];
        let same = idx.iter().all(|i| t.mutasi[*i].unit_tujuan_id == first.unit_tujuan_id);
        if same {
            for i in &idx[1..] {
                let m = &t.mutasi[*i];
                rejects.push(
                    Finding::new(
                        m.prov,
                        "tmt",
                        mutasi_domain::normalize::date::iso(m.tmt),
                        Reason::DuplicateIdentical,
                    )
                    .with_detail(format!("baris pertama / first row: {}", place(&files, first.prov))),
                );
                drop.insert(*i);
            }
        } else {
            let all: Vec<String> = idx.iter().map(|i| place(&files, t.mutasi[*i].prov)).collect();
            for i in idx {
                let m = &t.mutasi[*i];
                rejects.push(
                    Finding::new(m.prov, "unit_tujuan_id", &m.unit_tujuan_id, Reason::SameDayTransfers)
                        .with_detail(format!("baris terkait / rows: {}", all.join(", "))),
                );
                drop.insert(*i);
            }
        }
    }
    let mut i = 0;
    t.mutasi.retain(|_| {
        i += 1;
        !drop.contains(&(i - 1))
    });
    derive_jenis_mutasi(&mut t.mutasi);
    // A rotation must move the person: origin and destination the same is a data error.
    t.mutasi.retain(|m| {
        let same = m.jenis_mutasi == Some(JenisMutasi::Rotasi)
            && m.unit_asal_id.as_deref() == Some(m.unit_tujuan_id.as_str());
        if same {
            rejects.push(Finding::new(
                m.prov,
                "unit_tujuan_id",
                &m.unit_tujuan_id,
                Reason::RotationToSameUnit,
            ));
        }
        !same
    });
    // The last known employment: a person whose latest transfer is `mutasi_keluar` left on its TMT.
    let mut exits: HashMap<u64, Option<chrono::NaiveDate>> = HashMap::default();
    let mut latest: Vec<&mutasi_domain::model::MutasiRow> = t.mutasi.iter().collect();
    latest.sort_by_key(|m| (m.nip, m.tmt));
    for m in latest {
        let left = (m.jenis_mutasi == Some(JenisMutasi::MutasiKeluar)).then_some(m.tmt);
        exits.insert(m.nip, left);
    }

    // kinerja: known NIP; unit; unique (nip, periode, indikator); predikat matrix.
    // Millions of rows share a few hundred unit codes: one resolution per code, to the code of
    // the canonical id.
    let mut unit_memo: Vec<Option<Option<Sym>>> = Vec::new();
    // An export lists a person's rows together: the NIP lookups are made once per run of rows.
    let mut person: Option<(u64, bool, Option<chrono::NaiveDate>)> = None;
    let (mut people, mut periods) = (Distinct::default(), Distinct::default());
    let symbols = &mut t.symbols;
    t.kinerja.retain_mut(|k| {
        let (known, left) = match person {
            Some((nip, known, left)) if nip == k.nip => (known, left),
            _ => {
                let (known, left) = (nips.contains(&k.nip), exits.get(&k.nip).copied().flatten());
                person = Some((k.nip, known, left));
                (known, left)
            }
        };
        if !known {
            rejects.push(unknown_nip(k.prov, k.nip));
            return false;
        }
        // The period's first day only for a person who left (most have not).
        if let Some(left) = left
            && let Some(start) = k.periode.start()
            && start >= left
        {
            rejects.push(
                Finding::new(k.prov, "periode", k.periode.label(), Reason::KinerjaAfterExit)
                    .with_detail(format!("keluar / left: {}", mutasi_domain::normalize::date::iso(left))),
            );
            return false;
        }
        if let Some(u) = k.unit_id {
            let slot = u as usize;
            if unit_memo.len() <= slot {
                unit_memo.resize(slot + 1, None);
            }
            let resolved = match unit_memo[slot] {
                Some(r) => r,
                None => {
                    let r = units.resolve(symbols.name(u)).map(|id| symbols.code(&id));
                    unit_memo[slot] = Some(r);
                    r
                }
            };
            k.unit_id = resolved;
            if resolved.is_none() {
                warnings.push(Finding::new(k.prov, "unit_id", &**symbols.name(u), Reason::UnknownUnitKept));
            }
        }
        // The kept rows' people and periods, gathered in this pass over the rows.
        people.add(k.nip);
        periods.add(k.periode);
        true
    });
    // (nip, periode, indikator) as one integer: NIPs and periods by their rank among the
    // distinct ones, indicators by their code, so the sort compares integers, not structs. A
    // person-period's rows are adjacent whatever the indicators' order. The three parts take
    // only the bits their counts need, so the key fits 64 bits for any real instansi (4.5
    // million people, a few hundred periods and texts take 23 + 9 + 17 bits); an entry is then
    // 16 bytes, half a 128-bit key's, which matters at tens of millions of rows.
    let (people, periods) = (people.ranks(), periods.ranks());
    let bits = |n: usize| (usize::BITS - n.saturating_sub(1).leading_zeros()).max(1);
    let (code_bits, period_bits) = (bits(t.symbols.len()), bits(periods.len()));
    let person_bits = bits(people.len());
    // The predikat-matrix slot of each indicator code.
    let slot_of: Vec<Option<usize>> = (0..t.symbols.len() as Sym)
        .map(|c| match &**t.symbols.name(c) {
            "rating_hasil_kerja" => Some(0),
            "rating_perilaku" => Some(1),
            "predikat" => Some(2),
            _ => None,
        })
        .collect();
    let (keep, mismatches) = if person_bits + period_bits + code_bits <= 64 {
        let person_shift = period_bits + code_bits;
        let order = kinerja_keys(
            &t.kinerja,
            &people,
            &periods,
            |person, period, code| {
                (u64::from(person) << person_shift) | (u64::from(period) << code_bits) | u64::from(code)
            },
            |k| (k >> person_shift) as usize,
        );
        check_kinerja_groups(&t.kinerja, &order, code_bits, &slot_of, &files, &mut rejects)
    } else {
        let order = kinerja_keys(
            &t.kinerja,
            &people,
            &periods,
            |person, period, code| (u128::from(person) << 64) | (u128::from(period) << 32) | u128::from(code),
            |k| (k >> 64) as usize,
        );
        check_kinerja_groups(&t.kinerja, &order, 32, &slot_of, &files, &mut rejects)
    };
    retain_mask(&mut t.kinerja, &keep);
    warnings.extend(mismatches);

    // layanan and skm: known units; unique layanan keys.
    t.layanan.retain_mut(|l| match units.resolve_string(&l.unit_id) {
        Some(id) => {
            l.unit_id = id;
            true
        }
        None => {
            rejects.push(Finding::new(l.prov, "unit_id", &l.unit_id, Reason::UnknownUnit));
            false
        }
    });
    let keep = dedupe(
        &t.layanan,
        |l| (l.unit_id.clone(), l.periode, interned_ptr(&l.indikator)),
        |l| l.nilai,
        |l| l.prov,
        &files,
        &mut rejects,
    );
    retain_mask(&mut t.layanan, &keep);
    t.skm.retain_mut(|s| match units.resolve_string(&s.unit_id) {
        Some(id) => {
            s.unit_id = id;
            true
        }
        None => {
            rejects.push(Finding::new(s.prov, "unit_id", &s.unit_id, Reason::UnknownUnit));
            false
        }
    });

    // permohonan and pelatihan: known NIP; unit references resolved (kept when unknown).
    t.permohonan.retain_mut(|p| {
        if !nips.contains(&p.nip) {
            rejects.push(unknown_nip(p.prov, p.nip));
            return false;
        }
        for (column, unit) in
            [("unit_asal_id", &mut p.unit_asal_id), ("unit_tujuan_diminta_id", &mut p.unit_tujuan_diminta_id)]
        {
            if let Some(raw) = unit.clone() {
                *unit = units.resolve_string(&raw);
                if unit.is_none() {
                    warnings.push(Finding::new(p.prov, column, raw, Reason::UnknownUnitKept));
                }
            }
        }
        true
    });
    t.pelatihan.retain(|p| {
        let known = nips.contains(&p.nip);
        if !known {
            rejects.push(unknown_nip(p.prov, p.nip));
        }
        known
    });

    // An input row is accepted or rejected as a whole: a wide kinerja row with one rejected
    // indicator loses its other indicators too.
    let rejected: HashSet<Prov> = loaded.rejects.iter().chain(&rejects).map(|f| f.prov).collect();
    loaded.riwayat = riwayat_counts;
    let t = &mut loaded.tables;
    if !rejected.is_empty() {
        t.kinerja.retain(|k| !rejected.contains(&k.prov));
        // A job-history record whose transfer a later check rejected is rejected with it.
        let before = t.riwayat_jabatan.len();
        t.riwayat_jabatan.retain(|r| !rejected.contains(&r.prov));
        if t.riwayat_jabatan.len() != before
            && let Some(c) = &mut loaded.riwayat
        {
            *c = crate::validate::riwayat::recount(&t.riwayat_jabatan, c.mutasi_sudah_ada);
        }
    }
    loaded.rejects.extend(rejects);
    loaded.warnings.extend(warnings);
    // One order for every run, whatever order the checks found things in: by file, row, column.
    let order = |a: &Finding, b: &Finding| (a.prov, &a.column, a.reason).cmp(&(b.prov, &b.column, b.reason));
    loaded.rejects.sort_by(order);
    loaded.warnings.sort_by(order);
}

/// An interned text (indicator name, unit id) by its address: one address per text.
fn interned_ptr(name: &Arc<str>) -> usize {
    Arc::as_ptr(name) as *const u8 as usize
}

/// The distinct values seen, gathered while another pass reads the rows.
struct Distinct<T> {
    last: Option<T>,
    seen: HashSet<T>,
}

impl<T> Default for Distinct<T> {
    fn default() -> Self {
        Distinct { last: None, seen: HashSet::default() }
    }
}

impl<T: Ord + std::hash::Hash + Copy> Distinct<T> {
    /// A column repeats values in runs (a person's months, a month's indicators): each run is
    /// hashed once.
    fn add(&mut self, v: T) {
        if self.last != Some(v) {
            self.seen.insert(v);
            self.last = Some(v);
        }
    }

    fn ranks(self) -> Ranks<T> {
        let mut distinct: Vec<T> = self.seen.into_iter().collect();
        distinct.sort_unstable();
        Ranks(distinct)
    }
}

/// The distinct values of a column, sorted: a value's rank among them sorts as the value does,
/// so integer ranks can stand in for values that are slow to compare.
struct Ranks<T>(Vec<T>);

impl<T: Ord + std::hash::Hash + Copy> Ranks<T> {
    /// The rank of a value the ranking was built from (another value would take the rank of the
    /// next larger one).
    fn rank(&self, value: &T) -> u32 {
        self.0.binary_search(value).unwrap_or_else(|i| i) as u32
    }

    /// The number of distinct values.
    fn len(&self) -> usize {
        self.0.len()
    }
}

/// Each kinerja row's key (built by `key` from the ranks of its person and period and its
/// indicator code) and index, sorted. A person's rows are adjacent, and a period's (one per
/// indicator): each rank is looked up once per run of a stretch of rows.
///
/// Built on every core, stretch by stretch. With more than one core they are sorted by one
/// parallel unstable sort, which orders them as a stable sort by key would because no two
/// entries share an index (row order breaks ties): at 51 million rows (250,000 × 60) it took
/// 1.1 s against 3.1 s for the counting sort by person (`person_of`) on one core
/// (`docs/benchmarks.md`). On one core the counting sort stays: it is linear.
fn kinerja_keys<K: Ord + Send + Copy>(
    rows: &[KinerjaRow],
    people: &Ranks<u64>,
    periods: &Ranks<Period>,
    key: impl Fn(u32, u32, Sym) -> K + Sync,
    person_of: impl Fn(&K) -> usize,
) -> Vec<(K, u32)> {
    type Runs = (Option<(u64, u32)>, Option<(Period, u32)>);
    let mut order: Vec<(K, u32)> = rows
        .par_iter()
        .enumerate()
        .map_init(
            || -> Runs { (None, None) },
            |(last_person, last_period), (i, k)| {
                let person = match *last_person {
                    Some((nip, r)) if nip == k.nip => r,
                    _ => {
                        let r = people.rank(&k.nip);
                        *last_person = Some((k.nip, r));
                        r
                    }
                };
                let period = match *last_period {
                    Some((p, r)) if p == k.periode => r,
                    _ => {
                        let r = periods.rank(&k.periode);
                        *last_period = Some((k.periode, r));
                        r
                    }
                };
                (key(person, period, k.indikator), i as u32)
            },
        )
        .collect();
    if rayon::current_num_threads() > 1 {
        order.par_sort_unstable();
        order
    } else {
        // One core (a partition of a national run): a counting sort by person is linear.
        sort_by_bucket(order, people.len(), |e| person_of(&e.0), |e| e.0)
    }
}

/// The duplicate check and the predikat matrix over kinerja entries sorted by key, whose lowest
/// `code_bits` bits are the indicator code: which rows to keep, and the matrix mismatches.
fn check_kinerja_groups<K>(
    rows: &[KinerjaRow],
    order: &[(K, u32)],
    code_bits: u32,
    slot_of: &[Option<usize>],
    files: &[FileReport],
    rejects: &mut Vec<Finding>,
) -> (Vec<bool>, Vec<Finding>)
where
    K: PackedKey,
{
    let keep = mark_duplicates(rows, order, |(k, i)| (k, *i), |k| k.nilai, |k| k.prov, files, rejects);
    // Predikat matrix: the rows of one person-period are adjacent in the same order, so the
    // three ratings of each are gathered without another sort.
    let mut mismatches: Vec<Finding> = Vec::new();
    for group in order.chunk_by(|a, b| a.0.above(code_bits) == b.0.above(code_bits)) {
        let mut found = [None; 3];
        for (key, i) in group.iter().filter(|(_, i)| keep[*i as usize]) {
            if let Some(s) = slot_of.get(key.code(code_bits)).copied().flatten() {
                found[s] = Some((*i as usize, rows[*i as usize].nilai as u8));
            }
        }
        if let [Some((_, h)), Some((_, p)), Some((pred, given))] = found
            && let Some(expected) = predikat_from_ratings(h, p)
            && expected != given
        {
            mismatches.push(
                Finding::new(rows[pred].prov, "predikat", predikat_label(given), Reason::PredikatMismatch)
                    .with_detail(format!("matriks memberi / the matrix gives: {}", predikat_label(expected))),
            );
        }
    }
    (keep, mismatches)
}

/// A kinerja key packed into an integer, its indicator code in the lowest bits.
trait PackedKey: Copy + Eq {
    /// The (person, period) part: the key without its lowest `code_bits` bits.
    fn above(self, code_bits: u32) -> Self;
    /// The indicator code: the lowest `code_bits` bits.
    fn code(self, code_bits: u32) -> usize;
}

impl PackedKey for u64 {
    fn above(self, code_bits: u32) -> u64 {
        self >> code_bits
    }
    fn code(self, code_bits: u32) -> usize {
        (self & ((1u64 << code_bits) - 1)) as usize
    }
}

impl PackedKey for u128 {
    fn above(self, code_bits: u32) -> u128 {
        self >> code_bits
    }
    fn code(self, code_bits: u32) -> usize {
        (self & ((1u128 << code_bits) - 1)) as usize
    }
}

fn retain_mask<T>(rows: &mut Vec<T>, keep: &[bool]) {
    let mut i = 0;
    rows.retain(|_| {
        i += 1;
        keep[i - 1]
    });
}

/// Marks duplicates of a key: identical values keep the first row, conflicting values reject all.
fn dedupe<T, K: Ord>(
    rows: &[T],
    key: impl Fn(&T) -> K,
    value: impl Fn(&T) -> f64,
    prov: impl Fn(&T) -> Prov,
    files: &[FileReport],
    rejects: &mut Vec<Finding>,
) -> Vec<bool> {
    mark_duplicates(rows, &sorted_keys(rows, key), |(k, i)| (k, *i), value, prov, files, rejects)
}

/// Every row's key and index, sorted (row order breaks ties). Groups are found by sorting, which
/// needs far less memory than a hash map of groups when kinerja has tens of millions of rows.
fn sorted_keys<T, K: Ord>(rows: &[T], key: impl Fn(&T) -> K) -> Vec<(K, u32)> {
    let mut order: Vec<(K, u32)> = rows.iter().enumerate().map(|(i, r)| (key(r), i as u32)).collect();
    order.sort_unstable();
    order
}

/// [`dedupe`] over the rows' sorted entries; `entry` gives an entry's key and row index.
fn mark_duplicates<T, E, K: Eq>(
    rows: &[T],
    order: &[E],
    entry: impl Fn(&E) -> (&K, u32),
    value: impl Fn(&T) -> f64,
    prov: impl Fn(&T) -> Prov,
    files: &[FileReport],
    rejects: &mut Vec<Finding>,
) -> Vec<bool> {
    let mut keep = vec![true; rows.len()];
    let row = |e: &E| &rows[entry(e).1 as usize];
    for g in order.chunk_by(|a, b| entry(a).0 == entry(b).0).filter(|g| g.len() > 1) {
        let first = row(&g[0]);
        let conflict = g.iter().any(|e| value(row(e)) != value(first));
        if conflict {
            let all: Vec<String> = g.iter().map(|e| place(files, prov(row(e)))).collect();
            for e in g {
                keep[entry(e).1 as usize] = false;
                rejects.push(
                    Finding::new(
                        prov(row(e)),
                        "nilai",
                        format!("{}", value(row(e))),
                        Reason::DuplicateConflict,
                    )
                    .with_detail(format!("baris bertentangan / conflicting rows: {}", all.join(", "))),
                );
            }
        } else {
            for e in &g[1..] {
                keep[entry(e).1 as usize] = false;
                rejects.push(
                    Finding::new(
                        prov(row(e)),
                        "nilai",
                        format!("{}", value(row(e))),
                        Reason::DuplicateIdentical,
                    )
                    .with_detail(format!("baris pertama / first row: {}", place(files, prov(first)))),
                );
            }
        }
    }
    keep
}

/// Fills `jenis_mutasi` where the export left it open, and `unit_asal_id` from the previous
/// transfer. An origin outside the instansi has already made it `mutasi_masuk`; otherwise the
/// level of the new post against the previous one makes `promosi`, `demosi` or `rotasi`.
fn derive_jenis_mutasi(rows: &mut [mutasi_domain::model::MutasiRow]) {
    let mut order: Vec<usize> = (0..rows.len()).collect();
    order.sort_by_key(|i| (rows[*i].nip, rows[*i].tmt, rows[*i].prov));
    let mut prev: Option<(u64, String, Option<String>)> = None;
    for i in order {
        let m = &mut rows[i];
        let same_person = prev.as_ref().filter(|(nip, _, _)| *nip == m.nip);
        if m.unit_asal_id.is_none()
            && m.jenis_mutasi != Some(JenisMutasi::MutasiMasuk)
            && let Some((_, unit, _)) = same_person
        {
            m.unit_asal_id = Some(unit.clone());
        }
        if m.jenis_mutasi.is_none() {
            let prev_level = same_person.and_then(|(_, _, j)| j.as_deref()).map(jabatan_level);
            let new_level = m.jabatan_baru.as_deref().map(jabatan_level);
            m.jenis_mutasi = Some(match (prev_level, new_level) {
                (Some(a), Some(b)) if b > a => JenisMutasi::Promosi,
                (Some(a), Some(b)) if b < a => JenisMutasi::Demosi,
                _ => JenisMutasi::Rotasi,
            });
        }
        let jab = m.jabatan_baru.clone().or_else(|| same_person.and_then(|(_, _, j)| j.clone()));
        prev = Some((m.nip, m.unit_tujuan_id.clone(), jab));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mutasi_domain::normalize::period::{Period, PeriodKind};

    /// Ranks sort as the values do: a key built from them orders rows like the tuple of the
    /// values, across period kinds, negative and large years, and duplicates.
    #[test]
    fn ranked_keys_sort_like_the_tuple() {
        let kinds = [PeriodKind::Bulan, PeriodKind::Triwulan, PeriodKind::Semester, PeriodKind::Tahun];
        let mut tuples = Vec::new();
        for nip in [0u64, 1, 199_001_012_020_121_001, u64::MAX] {
            for kind in kinds {
                for year in [i32::MIN, -1, 0, 1999, 2025, i32::MAX] {
                    for index in [0u32, 1, 12, u32::MAX] {
                        for slot in [0usize, 2, usize::MAX] {
                            tuples.push((nip, Period { kind, year, index }, slot));
                        }
                    }
                }
            }
        }
        // A fixed shuffle, and every tuple twice, so both sorts start unsorted and meet ties.
        let n = tuples.len();
        for i in 0..n {
            tuples.swap(i, (i * 7919 + 13) % n);
        }
        tuples.extend(tuples.clone());
        let periods = {
            let mut d = Distinct::default();
            tuples.iter().for_each(|t| d.add(t.1));
            d.ranks()
        };
        let slots = {
            let mut d = Distinct::default();
            tuples.iter().for_each(|t| d.add(t.2));
            d.ranks()
        };
        assert_eq!(periods.0.len(), kinds.len() * 6 * 4);
        let key = |t: &(u64, Period, usize)| {
            (u128::from(t.0) << 64) | (u128::from(periods.rank(&t.1)) << 32) | u128::from(slots.rank(&t.2))
        };
        let mut by_tuple = tuples.clone();
        by_tuple.sort();
        let mut by_key = tuples.clone();
        by_key.sort_by_key(key);
        assert_eq!(by_tuple, by_key);
    }

    /// Both key widths find the same duplicates and the same predikat mismatch: identical
    /// repeats keep their first row, conflicting ones lose every row, and a person-period whose
    /// predikat disagrees with its two ratings is flagged.
    #[test]
    fn both_key_widths_check_kinerja_alike() {
        let mut symbols = mutasi_domain::model::Symbols::default();
        let (hasil, perilaku, predikat, iki) = (
            symbols.code("rating_hasil_kerja"),
            symbols.code("rating_perilaku"),
            symbols.code("predikat"),
            symbols.code("capaian_iki"),
        );
        let row = |n: u32, nip: u64, month: u32, indikator: Sym, nilai: f64| KinerjaRow {
            prov: Prov { file: 0, row: n },
            nip,
            periode: Period::month(2024, month),
            indikator,
            nilai,
            unit_id: None,
            penilai_nip: None,
        };
        let rows = vec![
            row(2, 7, 1, iki, 80.0),
            row(3, 7, 1, iki, 80.0), // identical repeat: dropped, the first kept
            row(4, 3, 2, iki, 70.0),
            row(5, 3, 2, iki, 71.0),  // conflict: both rejected
            row(6, 3, 1, hasil, 3.0), // ratings 3/3 give predikat 5 (sangat baik), not 4
            row(7, 3, 1, perilaku, 3.0),
            row(8, 3, 1, predikat, 4.0),
            row(9, 7, 2, iki, 90.0),
        ];
        let mut people = Distinct::default();
        let mut periods = Distinct::default();
        rows.iter().for_each(|k| {
            people.add(k.nip);
            periods.add(k.periode);
        });
        let (people, periods) = (people.ranks(), periods.ranks());
        let slot_of: Vec<Option<usize>> = (0..symbols.len() as Sym)
            .map(|c| [hasil, perilaku, predikat].iter().position(|x| *x == c))
            .collect();
        let narrow_keys = || {
            kinerja_keys(
                &rows,
                &people,
                &periods,
                |a, b, c| (u64::from(a) << 8) | (u64::from(b) << 4) | u64::from(c),
                |k| (k >> 8) as usize,
            )
        };
        let narrow = narrow_keys();
        let wide = kinerja_keys(
            &rows,
            &people,
            &periods,
            |a, b, c| (u128::from(a) << 64) | (u128::from(b) << 32) | u128::from(c),
            |k| (k >> 64) as usize,
        );
        // On one core the keys come out of the counting sort, in the same order.
        let one = rayon::ThreadPoolBuilder::new().num_threads(1).build().expect("pool");
        let counted = one.install(narrow_keys);
        assert_eq!(counted, narrow);
        assert!(narrow.windows(2).all(|w| w[0] < w[1]), "sorted: {narrow:?}");
        let (mut r1, mut r2) = (Vec::new(), Vec::new());
        let (keep1, mis1) = check_kinerja_groups(&rows, &narrow, 4, &slot_of, &[], &mut r1);
        let (keep2, mis2) = check_kinerja_groups(&rows, &wide, 32, &slot_of, &[], &mut r2);
        assert_eq!(keep1, [true, false, false, false, true, true, true, true]);
        assert_eq!(r1.len(), 3, "one identical repeat and two conflicting rows");
        assert_eq!((keep1, r1.len(), mis1.len()), (keep2, r2.len(), mis2.len()));
        assert_eq!((mis2.len(), mis2[0].prov.row), (1, 8));
    }

    #[test]
    fn post_levels() {
        assert_eq!(jabatan_level("Kepala Dinas Kesehatan"), 4);
        assert_eq!(jabatan_level("Sekretaris Daerah"), 4);
        assert_eq!(jabatan_level("Sekretaris Dinas Pendidikan"), 3);
        assert_eq!(jabatan_level("Kepala Bidang Pelayanan Kesehatan"), 3);
        assert_eq!(jabatan_level("Kepala Puskesmas Passo"), 2);
        assert_eq!(jabatan_level("Kepala Sekolah SD Negeri 5 Ambon"), 2);
        assert_eq!(jabatan_level("Dokter Ahli Pertama"), 1);
        assert_eq!(jabatan_level("Guru Ahli Muda"), 1);
    }
}
