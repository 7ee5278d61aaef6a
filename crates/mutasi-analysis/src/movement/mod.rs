//! Movement accounting (issue #4 §3): who moved where, whether the headcounts close, and how the
//! moves stand against the tenure rule and the Pilkada blackout.
//!
//! Reads the validated `kinerja` (where each employee is seen each month), `mutasi` and
//! `unit_kerja`; the arithmetic lives in [`accounting`] and [`tenure`] on plain data. Tables
//! (`docs/outputs.md`): `movement_units`, `movement_opd` (waterfalls), `flows_opd` (OPD × OPD),
//! `transfer_compliance` (one row per transfer) and `mobility` (per OPD and year).

pub mod accounting;

use crate::error::AnalysisError;
use std::collections::BTreeMap;

use foldhash::{HashMap, HashMapExt};
use std::path::Path;

use chrono::{Datelike, NaiveDate};
use polars::prelude::*;

use accounting::{Move, Presence, Waterfall, waterfalls};
use mutasi_domain::normalize::period::Period;
use mutasi_domain::tenure::{
    self, Blackout, MAX_MONTHS_IN_POST, MIN_MONTHS_IN_POST, blackout_of, check_move, default_blackouts,
};
use mutasi_io::data::table::{ColumnData as C, TableData, at, read_columns_shared, read_table_shared};

/// Name used for the world outside the instansi in flows.
pub const OUTSIDE: &str = "luar_instansi";

#[derive(Debug, Clone, PartialEq)]
pub struct MovementOptions {
    pub blackouts: Vec<Blackout>,
    /// Last day used.
    pub until: Option<NaiveDate>,
    /// The monthly kinerja indicator whose rows say where each employee is (every monthly
    /// indicator when it has none).
    pub presence_indikator: String,
}

impl Default for MovementOptions {
    fn default() -> Self {
        MovementOptions {
            blackouts: default_blackouts(),
            until: None,
            presence_indikator: "capaian_iki".into(),
        }
    }
}

/// Where each employee is seen each month, from the monthly kinerja rows of `indikator` (or of
/// every monthly indicator when it has none), as unit codes. Units not in `units` are skipped;
/// employees are interned in `people`.
pub(crate) fn read_presence(
    validated: &Path,
    indikator: &str,
    until: Option<NaiveDate>,
    units: &Codes,
    people: &mut Codes,
) -> Result<Presence, AnalysisError> {
    let kf = validated.join("kinerja.parquet");
    // The whole table as kept in memory, its rows of `indikator` picked here (no filtered copy
    // of its columns); every monthly row when no row has that indicator.
    let cols = ["pegawai_id", "unit_id", "periode_mulai", "jenis_periode", "indikator"];
    let kin = read_columns_shared(&kf, &cols)?;
    let (kid, kunit, kkind, kind_of) = (
        kin.coded("pegawai_id", &kf)?,
        kin.coded("unit_id", &kf)?,
        kin.coded("jenis_periode", &kf)?,
        kin.coded("indikator", &kf)?,
    );
    let kstart = kin.date_column("periode_mulai", &kf)?;
    let wanted: Vec<bool> = kind_of.0.iter().map(|v| *v == indikator).collect();
    let has_indikator = kind_of.1.iter().any(|c| c.is_some_and(|c| wanted[at(c)]));
    let monthly: Vec<bool> = kkind.0.iter().map(|k| *k == "bulan").collect();
    let picked = |k: usize| match has_indikator {
        true => kind_of.1[k].is_some_and(|c| wanted[at(c)]),
        false => kkind.1[k].is_some_and(|c| monthly[at(c)]),
    };
    // Employees are interned in the order they first appear among the picked rows.
    let mut id_codes: Vec<Option<u32>> = vec![None; kid.0.len()];
    let unit_codes: Vec<Option<u32>> = kunit.0.iter().map(|s| units.index.get(*s).copied()).collect();
    let mut sightings: Vec<(u32, i64, u32)> = Vec::new();
    for (k, (((i, u), kind), d)) in
        kid.1.iter().zip(kunit.1.iter()).zip(kkind.1.iter()).zip(kstart).enumerate()
    {
        if !picked(k) {
            continue;
        }
        let Some(i) = *i else { continue };
        let person = *id_codes[at(i)].get_or_insert_with(|| people.code(kid.0[at(i)]));
        let (Some(u), Some(kind), Some(d)) = (*u, *kind, *d) else { continue };
        let Some(unit) = unit_codes[at(u)] else { continue };
        if !monthly[at(kind)] || until.is_some_and(|x| d > x) {
            continue;
        }
        sightings.push((person, month_key(d), unit));
    }
    Ok(Presence::from_sightings(&sightings))
}

/// The five movement tables.
pub struct MovementTables {
    pub units: TableData,
    pub opd: TableData,
    pub flows: DataFrame,
    pub transfers: TableData,
    pub mobility: TableData,
}

fn month_key(d: NaiveDate) -> i64 {
    i64::from(Period::of_date(d).month_key())
}

fn month_label(key: i64) -> String {
    Period::from_month_key(key).label()
}

fn first_day(key: i64) -> NaiveDate {
    Period::from_month_key(key).start().unwrap_or_default()
}

/// Interns strings as dense codes.
#[derive(Default)]
pub(crate) struct Codes {
    pub index: HashMap<String, u32>,
    pub names: Vec<String>,
}

impl Codes {
    pub fn code(&mut self, s: &str) -> u32 {
        if let Some(c) = self.index.get(s) {
            return *c;
        }
        self.names.push(s.to_string());
        let c = (self.names.len() - 1) as u32;
        self.index.insert(s.to_string(), c);
        c
    }
}

/// One recorded transfer with its details.
struct Transfer {
    employee: u32,
    tmt: NaiveDate,
    from: Option<u32>,
    to: Option<u32>,
    jenis: Option<String>,
    derived: Option<bool>,
    /// The origin was blank in the export and taken from where the employee was seen.
    from_inferred: bool,
}

pub fn movement(validated: &Path, opts: &MovementOptions) -> Result<MovementTables, AnalysisError> {
    let uf = validated.join("unit_kerja.parquet");
    let ut = read_table_shared(&uf, None, None)?;
    let mut units = Codes::default();
    let mut opds = Codes::default();
    let mut opd_of: Vec<u32> = Vec::new();
    for (u, o) in ut.text_column("unit_id", &uf)?.iter().zip(ut.text_column("opd", &uf)?) {
        let Some(u) = u else { continue };
        let c = units.code(u);
        if c as usize == opd_of.len() {
            opd_of.push(opds.code(o.unwrap_or(u)));
        }
    }
    let mut people = Codes::default();
    let presence = read_presence(validated, &opts.presence_indikator, opts.until, &units, &mut people)?;
    // Recorded transfers.
    let mf = validated.join("mutasi.parquet");
    let mt = read_table_shared(&mf, None, None)?;
    let (mid, masal, mtujuan, mjenis) = (
        mt.text_column("pegawai_id", &mf)?,
        mt.text_column("unit_asal_id", &mf)?,
        mt.text_column("unit_tujuan_id", &mf)?,
        mt.text_column("jenis_mutasi", &mf)?,
    );
    let derived: Vec<Option<bool>> = match mt.get("jenis_mutasi_turunan") {
        Some(C::Bool(v)) => v.clone(),
        _ => vec![None; mt.height()],
    };
    let tmt = mt.date_column("tmt", &mf)?;
    let mut transfers: Vec<Transfer> = Vec::new();
    for k in 0..mt.height() {
        let (Some(id), Some(d)) = (mid[k], tmt[k]) else { continue };
        if opts.until.is_some_and(|x| d > x) {
            continue;
        }
        transfers.push(Transfer {
            employee: people.code(id),
            tmt: d,
            from: masal[k].and_then(|u| units.index.get(u).copied()),
            to: mtujuan[k].and_then(|u| units.index.get(u).copied()),
            jenis: mjenis[k].map(String::from),
            derived: derived[k],
            from_inferred: false,
        });
    }
    transfers.sort_by_key(|t| (t.employee, t.tmt));
    // A missing origin (exports often leave `unit_asal_id` blank) is the unit the employee was
    // seen in the month before (the same unit for a change of post within it).
    for t in transfers.iter_mut().filter(|t| t.from.is_none()) {
        t.from = presence.get(t.employee, month_key(t.tmt) - 1);
        t.from_inferred = t.from.is_some();
    }
    let moves: Vec<Move> = transfers
        .iter()
        .map(|t| Move { employee: t.employee, from: t.from, to: t.to, month: month_key(t.tmt) })
        .collect();

    // Waterfalls for units and for OPDs.
    let unit_w = waterfalls(&presence, &moves);
    let opd_presence = presence.map_groups(|u| opd_of[u as usize]);
    let opd_moves: Vec<Move> = moves
        .iter()
        .map(|m| Move {
            from: m.from.map(|u| opd_of[u as usize]),
            to: m.to.map(|u| opd_of[u as usize]),
            ..m.clone()
        })
        .collect();
    let opd_w = waterfalls(&opd_presence, &opd_moves);

    // Arrival into the current post and first sighting, per employee (codes are dense).
    let mut first_seen: Vec<Option<i64>> = vec![None; people.names.len()];
    for (e, m, _) in presence.iter() {
        // By employee and then month: the first sighting comes first.
        first_seen[e as usize].get_or_insert(m);
    }
    let mut by_employee: Vec<Vec<&Transfer>> = vec![Vec::new(); people.names.len()];
    for t in &transfers {
        by_employee[t.employee as usize].push(t);
    }
    let first_seen_day = |e: u32| first_seen.get(e as usize).copied().flatten().map(first_day);
    let arrival_before = |e: u32, d: NaiveDate| -> Option<NaiveDate> {
        by_employee.get(e as usize)?.iter().filter(|t| t.tmt < d && t.to.is_some()).map(|t| t.tmt).max()
    };
    let arrival_by = |e: u32, d: NaiveDate| -> Option<NaiveDate> {
        by_employee.get(e as usize)?.iter().filter(|t| t.tmt <= d && t.to.is_some()).map(|t| t.tmt).max()
    };
    // Long stays: employees in post more than 5 years, per unit and month.
    let mut long_stay: HashMap<(u32, i64), i64> = HashMap::new();
    for (e, m, u) in presence.iter() {
        let since = arrival_by(e, first_day(m)).or_else(|| first_seen_day(e));
        if since.is_some_and(|s| tenure::months_between(s, first_day(m)) > MAX_MONTHS_IN_POST) {
            *long_stay.entry((u, m)).or_default() += 1;
        }
    }

    let units_table =
        waterfall_table(&unit_w, "unit_id", &units.names, Some((&opds.names, &opd_of)), &long_stay);
    let opd_table = waterfall_table(&opd_w, "opd", &opds.names, None, &HashMap::new());

    // One row per transfer: tenure and blackout.
    let checks: Vec<Option<tenure::TenureCheck>> = transfers
        .iter()
        .map(|t| check_move(t.tmt, arrival_before(t.employee, t.tmt), first_seen_day(t.employee)))
        .collect();
    let unit_name = |u: Option<u32>| u.map(|u| units.names[u as usize].clone());
    let mut tr = TableData::default();
    tr.push(
        "pegawai_id",
        C::Str(transfers.iter().map(|t| Some(people.names[t.employee as usize].clone())).collect()),
    );
    tr.push("tmt", C::Date(transfers.iter().map(|t| Some(t.tmt)).collect()));
    tr.push("jenis_mutasi", C::Str(transfers.iter().map(|t| t.jenis.clone()).collect()));
    tr.push("jenis_mutasi_turunan", C::Bool(transfers.iter().map(|t| t.derived).collect()));
    tr.push("unit_asal_id", C::Str(transfers.iter().map(|t| unit_name(t.from)).collect()));
    tr.push("unit_asal_disimpulkan", C::Bool(transfers.iter().map(|t| Some(t.from_inferred)).collect()));
    tr.push("unit_tujuan_id", C::Str(transfers.iter().map(|t| unit_name(t.to)).collect()));
    tr.push("bulan_di_jabatan", C::I64(checks.iter().map(|c| c.map(|c| c.months_in_post)).collect()));
    tr.push("kedatangan_diketahui", C::Bool(checks.iter().map(|c| c.map(|c| c.known_arrival)).collect()));
    tr.push("kurang_2_tahun", C::Bool(checks.iter().map(|c| c.map(|c| c.too_early)).collect()));
    tr.push(
        "masa_larangan",
        C::Str(
            transfers.iter().map(|t| blackout_of(t.tmt, &opts.blackouts).map(|b| b.label.clone())).collect(),
        ),
    );

    // Mobility among eligible employees: per OPD and year, those in post ≥ 2 years on 1 January
    // (or when first seen that year) and how many of them moved during the year.
    let mut eligible: BTreeMap<(u32, i32), (i64, i64)> = BTreeMap::new();
    // Each employee's first sighting of each year: the grid runs by employee and then month.
    let mut first_in_year: Vec<(u32, i32, i64, u32)> = Vec::new();
    for (e, m, u) in presence.iter() {
        let year = first_day(m).year();
        if first_in_year.last().is_none_or(|(pe, py, _, _)| (*pe, *py) != (e, year)) {
            first_in_year.push((e, year, m, u));
        }
    }
    for &(e, year, m, u) in &first_in_year {
        let at = first_day(m);
        let Some(since) = arrival_by(e, at).or_else(|| first_seen_day(e)) else {
            continue;
        };
        if tenure::months_between(since, at) < MIN_MONTHS_IN_POST {
            continue;
        }
        let moved = by_employee
            .get(e as usize)
            .is_some_and(|ts| ts.iter().any(|t| t.tmt > at && t.tmt.year() == year && t.from != t.to));
        let slot = eligible.entry((opd_of[u as usize], year)).or_default();
        slot.0 += 1;
        slot.1 += i64::from(moved);
    }
    let mut mob = TableData::default();
    mob.push("opd", C::Str(eligible.keys().map(|(o, _)| Some(opds.names[*o as usize].clone())).collect()));
    mob.push("tahun", C::I64(eligible.keys().map(|(_, y)| Some(i64::from(*y))).collect()));
    mob.push("pegawai_layak", C::I64(eligible.values().map(|(n, _)| Some(*n)).collect()));
    mob.push("pegawai_pindah", C::I64(eligible.values().map(|(_, m)| Some(*m)).collect()));
    mob.push(
        "laju_mobilitas",
        C::F64(eligible.values().map(|(n, m)| (*n > 0).then(|| *m as f64 / *n as f64)).collect()),
    );
    let flows = tr
        .to_frame()
        .and_then(|t| ut.to_frame().map(|u| (t, u)))
        .and_then(|(t, u)| flows_table(t, u))
        .map_err(|source| AnalysisError::Frame { table: "flows_opd", source })?;
    Ok(MovementTables { units: units_table, opd: opd_table, flows, transfers: tr, mobility: mob })
}

/// `flows_opd`: transfers between OPDs per month, from the transfer table (origins already
/// inferred) and `unit_kerja`. A unit outside `unit_kerja`, or no unit, is the world outside the
/// instansi; a move within one unit is not a flow.
fn flows_table(transfers: DataFrame, units: DataFrame) -> PolarsResult<DataFrame> {
    let opd_of = crate::descriptive::units::opd_of(units.lazy());
    let side = |unit: &str, name: &str| {
        (opd_of.clone().select([col("unit_id").alias(unit), col("opd").alias(name)]), unit.to_string())
    };
    let (asal, asal_key) = side("unit_asal_id", "opd_asal");
    let (tujuan, tujuan_key) = side("unit_tujuan_id", "opd_tujuan");
    let left = JoinArgs::new(JoinType::Left);
    transfers
        .lazy()
        .filter(
            col("unit_asal_id")
                .is_null()
                .or(col("unit_asal_id").neq(col("unit_tujuan_id")).fill_null(lit(true))),
        )
        .join(asal, [col(asal_key.as_str())], [col(asal_key.as_str())], left.clone())
        .join(tujuan, [col(tujuan_key.as_str())], [col(tujuan_key.as_str())], left)
        .group_by([
            col("tmt").dt().strftime("%Y-%m").alias("periode"),
            col("opd_asal").fill_null(lit(OUTSIDE)),
            col("opd_tujuan").fill_null(lit(OUTSIDE)),
        ])
        .agg([len().cast(DataType::Int64).alias("n_mutasi")])
        .sort(["periode", "opd_asal", "opd_tujuan"], SortMultipleOptions::default())
        .collect()
}

fn waterfall_table(
    w: &BTreeMap<(u32, i64), Waterfall>,
    key: &str,
    names: &[String],
    opd: Option<(&[String], &[u32])>,
    long_stay: &HashMap<(u32, i64), i64>,
) -> TableData {
    let mut rows: Vec<(&String, i64, &Waterfall, u32)> =
        w.iter().map(|((g, m), x)| (&names[*g as usize], *m, x, *g)).collect();
    rows.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
    let mut d = TableData::default();
    d.push(key, C::Str(rows.iter().map(|r| Some(r.0.clone())).collect()));
    if let Some((opd_names, opd_of)) = opd {
        d.push(
            "opd",
            C::Str(rows.iter().map(|r| Some(opd_names[opd_of[r.3 as usize] as usize].clone())).collect()),
        );
    }
    d.push("periode", C::Str(rows.iter().map(|r| Some(month_label(r.1))).collect()));
    let col = |f: &dyn Fn(&Waterfall) -> i64| C::I64(rows.iter().map(|r| Some(f(r.2))).collect());
    d.push("awal", col(&|x| x.start));
    d.push("masuk", col(&|x| x.masuk));
    d.push("keluar", col(&|x| x.keluar));
    d.push("neto", col(&|x| x.masuk - x.keluar));
    d.push("lainnya", col(&|x| x.lainnya));
    d.push("akhir", col(&|x| x.end));
    d.push("selisih", col(&|x| x.selisih));
    if opd.is_some() {
        d.push(
            "lebih_5_tahun",
            C::I64(rows.iter().map(|r| Some(long_stay.get(&(r.3, r.1)).copied().unwrap_or(0))).collect()),
        );
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;
    use mutasi_io::data::table::{DictBuilder, write_parquet};

    /// Where people are seen: the monthly rows of the indicator asked, or of every monthly
    /// indicator when no row has it; people interned in the order they first appear among those
    /// rows, units outside the list and yearly rows left out.
    #[test]
    fn presence_from_the_indicator_or_every_monthly_row() {
        let dir = tempfile::tempdir().expect("tempdir");
        let text = |v: &[&str]| {
            let mut b = DictBuilder::with_capacity(v.len());
            for x in v {
                b.push((!x.is_empty()).then_some(*x));
            }
            b.finish()
        };
        let day = |m: u32| NaiveDate::from_ymd_opt(2025, m, 1);
        let mut t = TableData::default();
        t.push("pegawai_id", text(&["P9", "P1", "P1", "P2", "P3", "P9"]));
        t.push("unit_id", text(&["U1", "U1", "U2", "U1", "UX", "U2"]));
        t.push("periode_mulai", C::Date(vec![day(1), day(1), day(2), day(1), day(3), day(1)]));
        t.push("jenis_periode", text(&["bulan", "bulan", "bulan", "tahun", "bulan", "bulan"]));
        t.push(
            "indikator",
            text(&["predikat", "capaian_iki", "capaian_iki", "capaian_iki", "predikat", "predikat"]),
        );
        write_parquet(t, &dir.path().join("kinerja.parquet")).expect("write");
        let mut units = Codes::default();
        for u in ["U1", "U2"] {
            units.code(u);
        }
        let seen = |indikator: &str| {
            let mut people = Codes::default();
            let p = read_presence(dir.path(), indikator, None, &units, &mut people).expect("presence");
            (people.names, p.iter().collect::<Vec<_>>())
        };
        let jan = i64::from(Period::of_date(NaiveDate::from_ymd_opt(2025, 1, 1).expect("day")).month_key());
        // capaian_iki: P1 in U1 then U2; P2's row is yearly (interned, not seen).
        assert_eq!(seen("capaian_iki"), (vec!["P1".into(), "P2".into()], vec![(0, jan, 0), (0, jan + 1, 1)]));
        // predikat: P9 twice in January (the first row read counts), P3 in a unit not listed.
        assert_eq!(seen("predikat"), (vec!["P9".into(), "P3".into()], vec![(0, jan, 0)]));
        // No row of the indicator: every monthly row; P2's yearly row is not read.
        let (names, sightings) = seen("kunjungan");
        assert_eq!(names, ["P9", "P1", "P3"]);
        assert_eq!(sightings, vec![(0, jan, 0), (1, jan, 0), (1, jan + 1, 1)]);
    }
}
