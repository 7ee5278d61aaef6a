//! Transfers derived from job histories (riwayat jabatan).
//!
//! SIASN has no transfer export: an office's record of transfers is each employee's job history,
//! one record per decree (SIASN `rw-jabatan`, SIMPEG riwayat jabatan). A person's records, in TMT
//! order, become events:
//!
//! - the first record is the appointment (`penempatan_awal`), not a transfer;
//! - a record in the same unit as the one before is a new post there (`perubahan_jabatan`),
//!   neither a transfer nor a reject;
//! - a record in another unit is a transfer (`mutasi`) from the previous record's unit, dated
//!   by its TMT: `mutasi_masuk` from a unit outside the instansi, `mutasi_keluar` to one, and
//!   otherwise promosi, demosi or rotasi by the level of the new post against the old one
//!   ([`post_level`]: eselon when given, else the post's name, as [`jabatan_level`] reads it);
//! - the same decree recorded twice (same TMT and unit) counts once (`duplikat`);
//! - two records of one person on one TMT in different units cannot both hold: both are
//!   rejected (`mutasi_ganda_hari_sama`).
//!
//! Units are resolved by id, then by name, as everywhere else; a unit not in `unit_kerja` is
//! outside the instansi (and warned about, since it may be a missing unit).

use foldhash::HashSet;

use crate::validate::crosscheck::{UnitIndex, jabatan_level};
use mutasi_domain::Finding;
use mutasi_domain::model::{JenisMutasi, MutasiRow, Peristiwa, Prov, RiwayatRow};
use mutasi_domain::reason::Reason;

/// How many records became what: the derivation's report.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct RiwayatCounts {
    pub rekaman: usize,
    pub penempatan_awal: usize,
    pub perubahan_jabatan: usize,
    pub mutasi: usize,
    pub duplikat: usize,
    pub di_luar_instansi: usize,
    /// Transfers already in the `mutasi` table, not added again.
    pub mutasi_sudah_ada: usize,
}

/// The level of a post: from its eselon (I–II JPT = 4, III administrator = 3, IV–V pengawas = 2)
/// in SIASN's spellings ("II.a", "III.b", the ids 21, 32, 41), else from its name.
pub fn post_level(eselon: Option<&str>, jabatan: Option<&str>) -> Option<u8> {
    let from_eselon = eselon.and_then(|e| {
        let s: String =
            e.chars().filter(|c| c.is_ascii_alphanumeric()).collect::<String>().to_ascii_uppercase();
        let roman = s.trim_end_matches(['A', 'B']);
        match roman {
            "I" | "II" => Some(4),
            "III" => Some(3),
            "IV" | "V" => Some(2),
            _ => match s.as_str() {
                "10" | "11" | "12" | "21" | "22" => Some(4),
                "31" | "32" => Some(3),
                "41" | "42" | "51" | "52" => Some(2),
                _ => None,
            },
        }
    });
    from_eselon.or_else(|| jabatan.map(jabatan_level))
}

fn fold(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// Resolves every record's unit, sets its [`Peristiwa`], and returns the transfers it implies.
/// Records of people not in `pegawai` and same-day conflicts go to `rejects` (and out of
/// `rows`); transfers already in `existing` (same person, TMT and destination) are not returned
/// again.
pub fn derive(
    rows: &mut Vec<RiwayatRow>,
    units: &UnitIndex,
    known_nip: &dyn Fn(u64) -> bool,
    existing: &[MutasiRow],
    rejects: &mut Vec<Finding>,
    warnings: &mut Vec<Finding>,
) -> (Vec<MutasiRow>, RiwayatCounts) {
    rows.retain(|r| {
        let known = known_nip(r.nip);
        if !known {
            rejects.push(Finding::new(r.prov, "nip", format!("{:018}", r.nip), Reason::UnknownNip));
        }
        known
    });
    // Each distinct unit reference is resolved and warned about once.
    let mut unknown_seen: HashSet<String> = HashSet::default();
    for r in rows.iter_mut() {
        match units.resolve(&r.unit) {
            Some(id) => {
                r.unit = id.to_string();
                r.unit_dikenal = true;
            }
            None => {
                if unknown_seen.insert(fold(&r.unit)) {
                    warnings.push(
                        Finding::new(r.prov, "unit_id", &r.unit, Reason::UnknownUnitKept).with_detail(
                            "dianggap di luar instansi / taken as outside the instansi (tambahkan ke unit_kerja bila keliru / add it to unit_kerja if wrong)",
                        ),
                    );
                }
            }
        }
    }
    let existing: HashSet<(u64, chrono::NaiveDate, &str)> =
        existing.iter().map(|m| (m.nip, m.tmt, m.unit_tujuan_id.as_str())).collect();
    let same_unit = |a: &RiwayatRow, b: &RiwayatRow| {
        if a.unit_dikenal || b.unit_dikenal { a.unit == b.unit } else { fold(&a.unit) == fold(&b.unit) }
    };
    let mut order: Vec<usize> = (0..rows.len()).collect();
    order.sort_by_key(|i| (rows[*i].nip, rows[*i].tmt, rows[*i].prov));
    let mut conflicted: HashSet<Prov> = HashSet::default();
    let mut out: Vec<MutasiRow> = Vec::new();
    let mut counts = RiwayatCounts::default();
    let keys: Vec<(u64, chrono::NaiveDate)> = rows.iter().map(|r| (r.nip, r.tmt)).collect();
    for person in order.chunk_by(|a, b| keys[*a].0 == keys[*b].0) {
        // The person's records by TMT: one per date, duplicates marked, conflicts rejected.
        let mut kept: Vec<usize> = Vec::new();
        for day in person.chunk_by(|a, b| keys[*a].1 == keys[*b].1) {
            let first = day[0];
            if day.iter().all(|i| same_unit(&rows[*i], &rows[first])) {
                for i in &day[1..] {
                    rows[*i].peristiwa = Some(Peristiwa::Duplikat);
                }
                kept.push(first);
            } else {
                let all: Vec<String> = day.iter().map(|i| rows[*i].prov.row.to_string()).collect();
                for i in day {
                    let r = &rows[*i];
                    rejects.push(
                        Finding::new(r.prov, "unit_id", &r.unit, Reason::SameDayTransfers)
                            .with_detail(format!("baris terkait / rows: {}", all.join(", "))),
                    );
                    conflicted.insert(r.prov);
                }
            }
        }
        let mut prev: Option<usize> = None;
        for i in kept {
            let event = match prev {
                None => Peristiwa::PenempatanAwal,
                Some(p) if same_unit(&rows[p], &rows[i]) => Peristiwa::PerubahanJabatan,
                Some(p) if !rows[p].unit_dikenal && !rows[i].unit_dikenal => Peristiwa::DiLuarInstansi,
                Some(p) => {
                    let (from, to) = (&rows[p], &rows[i]);
                    let jenis = if !from.unit_dikenal {
                        JenisMutasi::MutasiMasuk
                    } else if !to.unit_dikenal {
                        JenisMutasi::MutasiKeluar
                    } else {
                        let before = post_level(from.eselon.as_deref(), from.jabatan.as_deref());
                        let after = post_level(to.eselon.as_deref(), to.jabatan.as_deref());
                        match (before, after) {
                            (Some(a), Some(b)) if b > a => JenisMutasi::Promosi,
                            (Some(a), Some(b)) if b < a => JenisMutasi::Demosi,
                            _ => JenisMutasi::Rotasi,
                        }
                    };
                    if existing.contains(&(to.nip, to.tmt, to.unit.as_str())) {
                        counts.mutasi_sudah_ada += 1;
                    } else {
                        out.push(MutasiRow {
                            prov: to.prov,
                            nip: to.nip,
                            tmt: to.tmt,
                            unit_tujuan_id: to.unit.clone(),
                            unit_asal_id: from.unit_dikenal.then(|| from.unit.clone()),
                            jenis_mutasi: Some(jenis),
                            jenis_mutasi_turunan: true,
                            jabatan_baru: to.jabatan.clone(),
                            nomor_sk: to.nomor_sk.clone(),
                            tanggal_sk: to.tanggal_sk,
                            dari_riwayat: true,
                        });
                    }
                    Peristiwa::Mutasi
                }
            };
            rows[i].peristiwa = Some(event);
            prev = Some(i);
        }
    }
    rows.retain(|r| !conflicted.contains(&r.prov));
    let already = counts.mutasi_sudah_ada;
    (out, recount(rows, already))
}

/// The counts of the records as they stand.
pub fn recount(rows: &[RiwayatRow], mutasi_sudah_ada: usize) -> RiwayatCounts {
    let mut counts = RiwayatCounts { rekaman: rows.len(), mutasi_sudah_ada, ..RiwayatCounts::default() };
    for r in rows {
        match r.peristiwa {
            Some(Peristiwa::PenempatanAwal) => counts.penempatan_awal += 1,
            Some(Peristiwa::PerubahanJabatan) => counts.perubahan_jabatan += 1,
            Some(Peristiwa::Mutasi) => counts.mutasi += 1,
            Some(Peristiwa::Duplikat) => counts.duplikat += 1,
            Some(Peristiwa::DiLuarInstansi) => counts.di_luar_instansi += 1,
            None => {}
        }
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    fn rec(
        row: u32,
        nip: u64,
        tmt: NaiveDate,
        unit: &str,
        jabatan: &str,
        eselon: Option<&str>,
    ) -> RiwayatRow {
        RiwayatRow {
            prov: Prov { file: 0, row },
            nip,
            tmt,
            unit: unit.into(),
            unit_dikenal: false,
            jabatan: Some(jabatan.into()),
            eselon: eselon.map(String::from),
            jenis_jabatan: None,
            nomor_sk: Some(format!("SK-{row}")),
            tanggal_sk: None,
            jenis_mutasi_siasn: None,
            peristiwa: None,
        }
    }

    #[test]
    fn post_levels_from_eselon_or_name() {
        assert_eq!(post_level(Some("II.b"), Some("Staf")), Some(4));
        assert_eq!(post_level(Some("III.a"), None), Some(3));
        assert_eq!(post_level(Some("32"), None), Some(3));
        assert_eq!(post_level(Some("IV.b"), None), Some(2));
        assert_eq!(post_level(Some("NON"), Some("Kepala Bidang Pelayanan")), Some(3));
        assert_eq!(post_level(Some("99"), Some("Perawat Ahli Muda")), Some(1));
        assert_eq!(post_level(None, None), None);
    }

    /// A hand-worked history: records out of order, a duplicate decree, a change of post in the
    /// same unit, a promotion to another unit, a stint outside the instansi, and a second person
    /// with two units on one TMT.
    #[test]
    fn events_of_a_history() {
        let units = UnitIndex::from_units(&[
            ("DINKES", "Dinas Kesehatan"),
            ("PKM01", "Puskesmas Latuhalat"),
            ("PKM17", "Puskesmas Passo"),
        ]);
        let (a, b) = (198_609_262_015_051_001u64, 199_001_152_014_032_002u64);
        let mut rows = vec![
            rec(5, a, d(2020, 3, 1), "Puskesmas Passo", "Kepala Puskesmas Passo", Some("IV.a")),
            rec(2, a, d(2015, 5, 1), "PKM01", "Dokter Ahli Pertama", None),
            rec(3, a, d(2018, 1, 2), "PKM01", "Dokter Ahli Muda", None),
            rec(4, a, d(2018, 1, 2), "puskesmas latuhalat", "Dokter Ahli Muda", None),
            rec(6, a, d(2022, 7, 1), "RSUD Kabupaten Seram", "Dokter Ahli Muda", None),
            rec(7, a, d(2024, 2, 1), "DINKES", "Staf", None),
            rec(8, b, d(2019, 1, 1), "PKM01", "Perawat", None),
            rec(9, b, d(2019, 1, 1), "PKM17", "Perawat", None),
            rec(10, 999, d(2019, 1, 1), "PKM17", "Perawat", None),
        ];
        let (mut rejects, mut warnings) = (Vec::new(), Vec::new());
        let known = |n: u64| n == a || n == b;
        let (transfers, counts) = derive(&mut rows, &units, &known, &[], &mut rejects, &mut warnings);
        let event = |row: u32| rows.iter().find(|r| r.prov.row == row).and_then(|r| r.peristiwa);
        assert_eq!(event(2), Some(Peristiwa::PenempatanAwal));
        assert_eq!(event(3), Some(Peristiwa::PerubahanJabatan));
        assert_eq!(event(4), Some(Peristiwa::Duplikat), "same TMT, same unit by name");
        assert_eq!(event(5), Some(Peristiwa::Mutasi));
        assert_eq!(event(6), Some(Peristiwa::Mutasi));
        assert_eq!(event(7), Some(Peristiwa::Mutasi));
        let got: Vec<(u32, Option<&str>, &str, Option<JenisMutasi>)> = transfers
            .iter()
            .map(|m| (m.prov.row, m.unit_asal_id.as_deref(), m.unit_tujuan_id.as_str(), m.jenis_mutasi))
            .collect();
        assert_eq!(
            got,
            vec![
                (5, Some("PKM01"), "PKM17", Some(JenisMutasi::Promosi)),
                (6, Some("PKM17"), "RSUD Kabupaten Seram", Some(JenisMutasi::MutasiKeluar)),
                (7, None, "DINKES", Some(JenisMutasi::MutasiMasuk)),
            ]
        );
        assert!(transfers.iter().all(|m| m.dari_riwayat && m.jenis_mutasi_turunan));
        assert_eq!(transfers[0].tmt, d(2020, 3, 1));
        // Person b: two units on one TMT are both rejected; the unknown NIP too.
        let reasons: Vec<(u32, Reason)> = rejects.iter().map(|f| (f.prov.row, f.reason)).collect();
        assert_eq!(
            reasons,
            vec![(10, Reason::UnknownNip), (8, Reason::SameDayTransfers), (9, Reason::SameDayTransfers)]
        );
        assert_eq!(warnings.len(), 1, "the outside unit is warned about once: {warnings:?}");
        assert_eq!(
            counts,
            RiwayatCounts {
                rekaman: 6,
                penempatan_awal: 1,
                perubahan_jabatan: 1,
                mutasi: 3,
                duplikat: 1,
                di_luar_instansi: 0,
                mutasi_sudah_ada: 0
            }
        );
    }

    /// A transfer the mutasi export already holds is not added twice.
    #[test]
    fn transfers_already_exported_are_not_repeated() {
        let units = UnitIndex::from_units(&[("PKM01", "Puskesmas Latuhalat"), ("PKM17", "Puskesmas Passo")]);
        let a = 198_609_262_015_051_001u64;
        let mut rows = vec![
            rec(2, a, d(2015, 5, 1), "PKM01", "Perawat", None),
            rec(3, a, d(2020, 3, 1), "PKM17", "Perawat", None),
        ];
        let existing = MutasiRow {
            prov: Prov { file: 1, row: 2 },
            nip: a,
            tmt: d(2020, 3, 1),
            unit_tujuan_id: "PKM17".into(),
            unit_asal_id: None,
            jenis_mutasi: None,
            jenis_mutasi_turunan: false,
            jabatan_baru: None,
            nomor_sk: None,
            tanggal_sk: None,
            dari_riwayat: false,
        };
        let (mut rj, mut wn) = (Vec::new(), Vec::new());
        let (out, counts) = derive(&mut rows, &units, &|_| true, &[existing], &mut rj, &mut wn);
        assert!(out.is_empty());
        assert_eq!((counts.mutasi, counts.mutasi_sudah_ada), (1, 1));
    }
}
