//! Restricting validated tables to a report's scope ([`super::spec::Scope`]): the units of the
//! chosen OPD, every employee ever seen in or moved to or from them (with their whole history, so
//! that arrivals keep their pre-transfer months), and the service data of the chosen unit types.
//! The restricted tables are written beside the full ones (`cakupan/`), so a reader can see what a
//! case study used.

use std::collections::HashSet;
use std::path::Path;

use super::spec::Scope;
use crate::data::table::{read_table, read_table_shared, write_parquet};

/// Writes the scoped copies of the canonical tables from `validated` into `dir`.
pub fn write_scoped(validated: &Path, scope: &Scope, dir: &Path) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let uf = validated.join("unit_kerja.parquet");
    let units = read_table(&uf)?;
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
    write_parquet(units.filter_rows(&in_opd), &dir.join("unit_kerja.parquet"))?;

    // Employees ever seen in a scoped unit or moved to or from one.
    let kf = validated.join("kinerja.parquet");
    // Every column of kinerja, as the validation wrote it (kept in memory during a run): read once
    // for finding the people and for their scoped copy.
    let kin = read_table_shared(&kf, None, None)?;
    let (kid, kunit) = (kin.text_column("pegawai_id", &kf)?, kin.text_column("unit_id", &kf)?);
    let mf = validated.join("mutasi.parquet");
    let mutasi = read_table(&mf)?;
    let (mid, masal, mtujuan) = (
        mutasi.text_column("pegawai_id", &mf)?,
        mutasi.text_column("unit_asal_id", &mf)?,
        mutasi.text_column("unit_tujuan_id", &mf)?,
    );
    let pf = validated.join("pegawai.parquet");
    let pegawai = read_table(&pf)?;
    let (pid, punit) = (pegawai.text_column("pegawai_id", &pf)?, pegawai.text_column("unit_id", &pf)?);
    let inside = |u: Option<&str>| u.is_some_and(|u| scoped_units.contains(u));
    let mut people: HashSet<&str> = HashSet::new();
    people.extend((0..kin.height()).filter(|k| inside(kunit[*k])).filter_map(|k| kid[k]));
    people.extend(
        (0..mutasi.height()).filter(|k| inside(masal[*k]) || inside(mtujuan[*k])).filter_map(|k| mid[k]),
    );
    people.extend((0..pegawai.height()).filter(|k| inside(punit[*k])).filter_map(|k| pid[k]));
    let of_people = |ids: &[Option<&str>]| -> Vec<bool> {
        ids.iter().map(|i| i.is_some_and(|i| people.contains(i))).collect()
    };
    // One decision per distinct person, not per row.
    let (values, codes) = kin.coded("pegawai_id", &kf)?;
    let in_scope: Vec<bool> = values.iter().map(|v| people.contains(v)).collect();
    let keep: Vec<bool> =
        codes.iter().map(|c| c.is_some_and(|c| in_scope.get(c as usize) == Some(&true))).collect();
    write_parquet(kin.filter_rows(&keep), &dir.join("kinerja.parquet"))?;
    write_parquet(mutasi.filter_rows(&of_people(&mid)), &dir.join("mutasi.parquet"))?;
    write_parquet(pegawai.filter_rows(&of_people(&pid)), &dir.join("pegawai.parquet"))?;
    for table in ["permohonan", "pelatihan"] {
        let f = validated.join(format!("{table}.parquet"));
        let t = read_table(&f)?;
        let ids = t.text_column("pegawai_id", &f)?;
        write_parquet(t.filter_rows(&of_people(&ids)), &dir.join(format!("{table}.parquet")))?;
    }
    for table in ["layanan", "skm"] {
        let f = validated.join(format!("{table}.parquet"));
        let t = read_table(&f)?;
        let units = t.text_column("unit_id", &f)?;
        let keep: Vec<bool> = units.iter().map(|u| u.is_some_and(|u| service_units.contains(u))).collect();
        write_parquet(t.filter_rows(&keep), &dir.join(format!("{table}.parquet")))?;
    }
    Ok(())
}
