//! Restricting validated tables to a report's scope ([`super::spec::Scope`]): the units of the
//! chosen OPD, every employee ever seen in or moved to or from them (with their whole history, so
//! that arrivals keep their pre-transfer months), and the service data of the chosen unit types.
//! The restricted tables are written beside the full ones (`cakupan/`), so a reader can see what a
//! case study used.

use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;

use super::spec::Scope;
use crate::error::PipelineError;
use mutasi_io::data::table::{TableData, TableError, at, read_table_shared, write_parquet};

/// Writes the scoped copies of the canonical tables from `validated` into `dir`.
pub fn write_scoped(validated: &Path, scope: &Scope, dir: &Path) -> Result<(), PipelineError> {
    std::fs::create_dir_all(dir).map_err(PipelineError::io(dir))?;
    let uf = validated.join("unit_kerja.parquet");
    let units = read_table_shared(&uf, None, None)?;
    let (ids, opd, jenis) = (
        units.text_column("unit_id", &uf)?,
        units.text_column("opd", &uf)?,
        units.text_column("jenis_unit", &uf)?,
    );
    let in_opd: Vec<bool> = (0..units.height())
        .map(|k| scope.opd.is_empty() || opd[k].is_some_and(|o| scope.opd.iter().any(|x| x == o)))
        .collect();
    let scoped_units: HashSet<String> =
        (0..units.height()).filter(|k| in_opd[*k]).filter_map(|k| ids[k].map(String::from)).collect();
    let service_units: HashSet<String> = (0..units.height())
        .filter(|k| {
            in_opd[*k]
                && (scope.jenis_unit.is_empty()
                    || jenis[*k].is_some_and(|j| scope.jenis_unit.iter().any(|x| x == j)))
        })
        .filter_map(|k| ids[k].map(String::from))
        .collect();
    write_subset(&units, &in_opd, &uf, &dir.join("unit_kerja.parquet"))?;

    // Employees ever seen in a scoped unit or moved to or from one.
    let kf = validated.join("kinerja.parquet");
    // Every column of kinerja, as the validation wrote it (kept in memory during a run): read once
    // for finding the people and for their scoped copy.
    let kin = read_table_shared(&kf, None, None)?;
    // The people seen in a scoped unit, decided once per distinct unit and person (the columns
    // are dictionaries), not once per row.
    let (kunits, kunit_codes) = kin.coded("unit_id", &kf)?;
    let (kpeople, kpeople_codes) = kin.coded("pegawai_id", &kf)?;
    let unit_inside: Vec<bool> = kunits.iter().map(|u| scoped_units.contains(*u)).collect();
    let mut seen_inside = vec![false; kpeople.len()];
    for (u, p) in kunit_codes.iter().zip(kpeople_codes.iter()) {
        if let (Some(u), Some(p)) = (u, p)
            && unit_inside.get(at(*u)) == Some(&true)
            && let Some(s) = seen_inside.get_mut(at(*p))
        {
            *s = true;
        }
    }
    let mf = validated.join("mutasi.parquet");
    let mutasi = read_table_shared(&mf, None, None)?;
    let (mid, masal, mtujuan) = (
        mutasi.text_column("pegawai_id", &mf)?,
        mutasi.text_column("unit_asal_id", &mf)?,
        mutasi.text_column("unit_tujuan_id", &mf)?,
    );
    let pf = validated.join("pegawai.parquet");
    let pegawai = read_table_shared(&pf, None, None)?;
    let (pid, punit) = (pegawai.text_column("pegawai_id", &pf)?, pegawai.text_column("unit_id", &pf)?);
    let inside = |u: Option<&str>| u.is_some_and(|u| scoped_units.contains(u));
    let mut people: HashSet<&str> = HashSet::new();
    people.extend(kpeople.iter().zip(&seen_inside).filter(|(_, s)| **s).map(|(p, _)| *p));
    people.extend(
        (0..mutasi.height()).filter(|k| inside(masal[*k]) || inside(mtujuan[*k])).filter_map(|k| mid[k]),
    );
    people.extend((0..pegawai.height()).filter(|k| inside(punit[*k])).filter_map(|k| pid[k]));
    let of_people = |ids: &[Option<&str>]| -> Vec<bool> {
        ids.iter().map(|i| i.is_some_and(|i| people.contains(i))).collect()
    };
    // One decision per distinct person, not per row.
    let in_scope: Vec<bool> = kpeople.iter().map(|v| people.contains(v)).collect();
    let keep: Vec<bool> =
        kpeople_codes.iter().map(|c| c.is_some_and(|c| in_scope.get(at(c)) == Some(&true))).collect();
    write_subset(&kin, &keep, &kf, &dir.join("kinerja.parquet"))?;
    write_subset(&mutasi, &of_people(&mid), &mf, &dir.join("mutasi.parquet"))?;
    write_subset(&pegawai, &of_people(&pid), &pf, &dir.join("pegawai.parquet"))?;
    for table in ["permohonan", "pelatihan"] {
        let f = validated.join(format!("{table}.parquet"));
        let t = read_table_shared(&f, None, None)?;
        let ids = t.text_column("pegawai_id", &f)?;
        write_subset(&t, &of_people(&ids), &f, &dir.join(format!("{table}.parquet")))?;
    }
    for table in ["layanan", "skm"] {
        let f = validated.join(format!("{table}.parquet"));
        let t = read_table_shared(&f, None, None)?;
        let units = t.text_column("unit_id", &f)?;
        let keep: Vec<bool> = units.iter().map(|u| u.is_some_and(|u| service_units.contains(u))).collect();
        write_subset(&t, &keep, &f, &dir.join(format!("{table}.parquet")))?;
    }
    Ok(())
}

/// Writes the rows of `table` (read from `source`) whose `keep` is true to `path`. A scope that
/// keeps every row links the source file instead of writing the same rows again (a copy where
/// the file system has no hard links); the run's read cache then holds the table under both
/// names.
fn write_subset(table: &Arc<TableData>, keep: &[bool], source: &Path, path: &Path) -> Result<(), TableError> {
    if keep.iter().all(|k| *k) {
        let _ = std::fs::remove_file(path);
        if std::fs::hard_link(source, path).is_ok() || std::fs::copy(source, path).is_ok() {
            mutasi_io::data::cache::keep_shared(path, Arc::clone(table));
            return Ok(());
        }
    }
    write_parquet(table.filter_rows(keep), path).map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;
    use mutasi_io::data::cache::ReadCache;
    use mutasi_io::data::table::{ColumnData, read_table};

    /// A subset keeping every row is the source file itself (one inode) and reads as the source
    /// table, in and out of the run's cache; a smaller subset is a file of its own with only the
    /// kept rows.
    #[test]
    fn a_whole_subset_links_its_source() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().expect("tempdir");
        let (source, whole, part) = (
            dir.path().join("skm.parquet"),
            dir.path().join("whole.parquet"),
            dir.path().join("part.parquet"),
        );
        let mut t = TableData::default();
        t.push("unit_id", ColumnData::Str(vec![Some("PKM01".into()), Some("PKM02".into()), None]));
        t.push("nilai", ColumnData::F64(vec![Some(1.0), None, Some(3.0)]));
        write_parquet(t, &source).expect("write");
        let table = Arc::new(read_table(&source).expect("read"));
        {
            let _cache = ReadCache::scope();
            write_subset(&table, &[true, true, true], &source, &whole).expect("whole");
            write_subset(&table, &[true, false, true], &source, &part).expect("part");
            let cached = read_table_shared(&whole, None, None).expect("cached");
            assert_eq!(*cached, *table);
            assert!(Arc::ptr_eq(&cached, &table), "the cache holds the source's table, not a copy");
        }
        let ino = |p: &Path| std::fs::metadata(p).expect("meta").ino();
        assert_eq!(ino(&whole), ino(&source), "linked, not written again");
        assert_ne!(ino(&part), ino(&source));
        assert_eq!(read_table(&whole).expect("read"), *table);
        let kept = read_table(&part).expect("read");
        assert_eq!(kept.height(), 2);
        assert_eq!(kept.text_column("unit_id", &part).expect("unit"), vec![Some("PKM01"), None]);
        // Written again over an existing file: the link replaces it.
        write_subset(&table, &[true, true, true], &source, &part).expect("again");
        assert_eq!(ino(&part), ino(&source));
    }
}
