//! The employee × month panel of one kinerja indicator, built from validated canonical tables.
//!
//! Reads `kinerja.parquet` and `mutasi.parquet` written by `mutasi validate`. Each employee's
//! cohort is the month of their **first** transfer within the data (rotasi, promosi or demosi),
//! the absorbing-treatment definition of CS 2021; employees never transferred have cohort 0.
//! Transfers in or out of the instansi are not treatments here: such employees are only observed
//! for part of the window. Periods are numbered consecutively (`t` = 1 for the first month
//! present), so event time is t − cohort in months.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{Datelike, NaiveDate};

use mutasi_domain::normalize::period::Period;
use mutasi_io::data::table::{Code, ColumnData, TableData, at, code, read_columns_shared, read_table_shared};

use crate::error::AnalysisError;
use mutasi_stats::bucket_sort::sort_by_bucket;

/// The long panel, one row per employee and month, sorted by employee and month.
#[derive(Debug, Default, PartialEq)]
pub struct HrPanel {
    /// Distinct pegawai_id, sorted.
    pub ids: Vec<String>,
    /// Per row: the employee, as an index into `ids`.
    pub entity: Vec<u32>,
    pub t: Vec<i64>,
    pub cohort: Vec<i64>,
    pub nilai: Vec<f64>,
    /// First month of the numbering (`t` = 1), as `YYYY-MM`.
    pub first_month: String,
    /// Month key of `t` = 0 (months since year 0), to map other months onto `t`.
    pub origin: i64,
    pub dropped_for_standardizing: usize,
}

/// Month key: months since year 0 (one definition, [`Period::month_key`]).
fn month_key(year: i32, month: u32) -> i64 {
    i64::from(Period::month(year, month).month_key())
}

/// `YYYY-MM` of a month key.
fn month_label(key: i64) -> String {
    Period::from_month_key(key).label()
}

/// The kinerja columns the panels and the before/after windows read: one shared read of the
/// validated table serves both within a run (`data::cache`).
pub const KINERJA_COLUMNS: [&str; 7] =
    ["pegawai_id", "periode", "jenis_periode", "periode_mulai", "indikator", "nilai", "unit_id"];

/// Builds the panel from the months up to `until` (a [`Period::month_key`]; all when `None`), so a
/// monthly run for an earlier period sees only what was known then. With `standardize`, each value
/// becomes a z-score within its unit and month (`(v − mean) / sd` over the employees of that unit
/// in that month), which takes out unit-level rating habits and forced distributions; values in
/// unit-months with fewer than two employees or no variation are dropped and counted in
/// `dropped_for_standardizing`.
///
/// Text columns are handled through their dictionary codes: each distinct id and period is looked
/// at once, not once per row.
pub fn build(
    validated: &Path,
    indikator: &str,
    standardize: bool,
    until: Option<i64>,
) -> Result<HrPanel, AnalysisError> {
    gather(validated, &[indikator.to_string()], standardize, until)?.panel(0)
}

/// One panel row before numbering: (employee rank, month key, value, unit code).
type Row = (u32, i64, f64, Option<Code>);

/// What the panels of several indicators are built from ([`gather`]): the kinerja table the
/// run already holds, and what each of its distinct values means (month key, monthly or not,
/// the employee's rank). Each panel's rows are gathered when it is asked for
/// ([`PanelRows::panel`]), so only one indicator's rows and panel are held at a time: at 250,000
/// employees × 60 months the rows of every indicator at once took 1.2 GiB (`docs/benchmarks.md`).
pub struct PanelRows {
    kin: std::sync::Arc<TableData>,
    /// The kinerja file, for the errors.
    file: std::path::PathBuf,
    /// Every employee id of the kinerja rows, ascending (a row holds its id's rank).
    ids: Vec<String>,
    /// Per id code: the employee's rank in `ids`.
    rank: Vec<u32>,
    /// Per period code: its month key (`None`: not `YYYY-MM`).
    keys: Vec<Option<i64>>,
    /// Per `jenis_periode` code: a monthly period.
    monthly: Vec<bool>,
    events: BTreeMap<String, Vec<i64>>,
    standardize: bool,
    until: Option<i64>,
    /// Every indicator of the kinerja rows, for the hint when one asked has no monthly value.
    present: String,
    indikators: Vec<String>,
}

impl PanelRows {
    /// The panel of the `k`-th indicator asked ([`build`]'s result for it), from one pass over
    /// the rows of the kinerja table that the indicator's code marks.
    pub fn panel(&self, k: usize) -> Result<HrPanel, AnalysisError> {
        let indikator = self.indikators.get(k).ok_or(AnalysisError::NoSuchPanel(k))?;
        let rows = self.rows(indikator)?;
        finish(rows, self.standardize, &self.ids, &self.events).ok_or_else(|| AnalysisError::NoValues {
            path: self.file.clone(),
            indicator: indikator.clone(),
            present: self.present.clone(),
        })
    }

    /// The monthly rows of `indikator` up to `until`, in table order; the first malformed
    /// period among them is an error.
    fn rows(&self, indikator: &str) -> Result<Vec<Row>, AnalysisError> {
        let (kin, file) = (&self.kin, &self.file);
        let (_, id_codes) = kin.coded("pegawai_id", file)?;
        let (period_values, period_codes) = kin.coded("periode", file)?;
        let (_, kind_codes) = kin.coded("jenis_periode", file)?;
        let (ind_values, ind_codes) = kin.coded("indikator", file)?;
        let values = kin.f64_column("nilai", file)?;
        let unit_codes = kin.coded("unit_id", file).map(|(_, c)| c).unwrap_or_default();
        let wanted: Vec<bool> = ind_values.iter().map(|v| *v == indikator).collect();
        let count = ind_codes.iter().filter(|c| c.is_some_and(|i| wanted[at(i)])).count();
        let mut rows: Vec<Row> = Vec::with_capacity(count);
        // The indicator first: the other columns of a row no panel wants are never read.
        for (k, ind) in ind_codes.iter().enumerate() {
            if !ind.is_some_and(|i| wanted[at(i)]) {
                continue;
            }
            let (Some(id), Some(p), Some(kind), Some(v)) =
                (id_codes[k], period_codes[k], kind_codes[k], values[k])
            else {
                continue;
            };
            if !self.monthly[at(kind)] {
                continue;
            }
            let Some(key) = self.keys[at(p)] else {
                return Err(AnalysisError::Value {
                    path: file.clone(),
                    column: "periode".into(),
                    value: period_values[at(p)].to_string(),
                });
            };
            if self.until.is_some_and(|u| key > u) {
                continue;
            }
            rows.push((self.rank[at(id)], key, v, unit_codes.get(k).copied().flatten()));
        }
        Ok(rows)
    }
}

/// What the panels of `indikators` ([`build`] for each) are built from: the kinerja table's
/// dictionaries, worked out once for every panel. An indicator with a malformed period, or
/// without monthly values, fails alone, when its panel is asked for.
pub fn gather(
    validated: &Path,
    indikators: &[String],
    standardize: bool,
    until: Option<i64>,
) -> Result<PanelRows, AnalysisError> {
    let kin_file = validated.join("kinerja.parquet");
    // Every indicator's rows: the panels of all outcomes share this read within a run
    // (`data::cache`), and the windows read the same columns.
    let kin = read_columns_shared(&kin_file, &KINERJA_COLUMNS)?;
    let (id_values, _) = kin.coded("pegawai_id", &kin_file)?;
    let (period_values, _) = kin.coded("periode", &kin_file)?;
    let (kind_values, _) = kin.coded("jenis_periode", &kin_file)?;
    let (ind_values, _) = kin.coded("indikator", &kin_file)?;
    let monthly: Vec<bool> = kind_values.iter().map(|k| *k == "bulan").collect();
    let keys: Vec<Option<i64>> = period_values
        .iter()
        .map(|p| {
            let (y, m) = p.split_once('-')?;
            Some(month_key(y.parse().ok()?, m.parse().ok()?))
        })
        .collect();
    // Employees in sorted order: rank of each id code.
    let mut order: Vec<u32> = (0..id_values.len() as u32).collect();
    order.sort_unstable_by_key(|c| id_values[*c as usize]);
    let mut rank = vec![0u32; id_values.len()];
    for (r, c) in order.iter().enumerate() {
        rank[*c as usize] = r as u32;
    }
    // The read holds every indicator: its dictionary lists them.
    let mut present = ind_values.clone();
    present.sort_unstable();
    present.dedup();
    let present = present.join(", ");
    let ids = order.iter().map(|c| id_values[*c as usize].to_string()).collect();
    Ok(PanelRows {
        ids,
        rank,
        keys,
        monthly,
        events: transfer_months(validated, until)?,
        standardize,
        until,
        present,
        indikators: indikators.to_vec(),
        file: kin_file,
        kin,
    })
}

/// One indicator's panel from its rows: standardised when asked, sorted by employee and month,
/// employees numbered densely, cohorts from `events`. `None` when no row is left.
fn finish(
    mut rows: Vec<Row>,
    standardize: bool,
    ids_by_rank: &[String],
    events: &BTreeMap<String, Vec<i64>>,
) -> Option<HrPanel> {
    let mut dropped = 0;
    if standardize {
        let mut stats: std::collections::HashMap<(Option<Code>, i64), (f64, f64, usize)> =
            std::collections::HashMap::new();
        for r in &rows {
            let e = stats.entry((r.3, r.1)).or_default();
            e.0 += r.2;
            e.1 += r.2 * r.2;
            e.2 += 1;
        }
        let before = rows.len();
        rows.retain_mut(|r| {
            let (s, s2, n) = stats[&(r.3, r.1)];
            let nf = n as f64;
            let var = (s2 - s * s / nf) / (nf - 1.0);
            if n >= 2 && var > 1e-12 {
                r.2 = (r.2 - s / nf) / var.sqrt();
                true
            } else {
                false
            }
        });
        dropped = before - rows.len();
    }
    if rows.is_empty() {
        return None;
    }
    // (employee, month) keys are distinct (validation keeps one value per NIP, period and
    // indicator), so this is the order of any sort.
    let rows = sort_by_bucket(rows, ids_by_rank.len(), |r| r.0 as usize, |r| r.1);
    // Keep only employees with a row; renumber them densely in sorted order.
    let mut used: Vec<u32> = rows.iter().map(|r| r.0).collect();
    used.dedup();
    let ids: Vec<String> = used.iter().map(|r| ids_by_rank[*r as usize].clone()).collect();
    let origin = rows.iter().map(|r| r.1).min().unwrap_or(0) - 1;
    // A first transfer in or before the first month is t = 1: treated from the start, with no
    // month before it, which the estimators drop as always treated (as R `did` does). Numbering
    // it from the origin would give 0, the code of the never transferred, or a negative cohort,
    // neither treated nor comparison.
    let cohort_of: Vec<i64> = ids
        .iter()
        .map(|id| events.get(id).and_then(|m| m.first()).map_or(0, |g| (g - origin).max(1)))
        .collect();
    let mut out = HrPanel {
        first_month: month_label(origin + 1),
        origin,
        dropped_for_standardizing: dropped,
        ..HrPanel::default()
    };
    out.entity.reserve(rows.len());
    out.t.reserve(rows.len());
    out.cohort.reserve(rows.len());
    out.nilai.reserve(rows.len());
    let mut e = 0u32;
    for (k, (r, key, v, _)) in rows.iter().enumerate() {
        if k > 0 && rows[k - 1].0 != *r {
            e += 1;
        }
        out.entity.push(e);
        out.t.push(key - origin);
        out.cohort.push(cohort_of[e as usize]);
        out.nilai.push(*v);
    }
    out.ids = ids;
    Some(out)
}

/// Months (as month keys) of every rotasi, promosi and demosi of each employee up to `until`,
/// ascending.
pub fn transfer_months(
    validated: &Path,
    until: Option<i64>,
) -> Result<BTreeMap<String, Vec<i64>>, AnalysisError> {
    let mut_file = validated.join("mutasi.parquet");
    let mutasi = read_table_shared(&mut_file, None, None)?;
    let (m_ids, m_kind) =
        (mutasi.text_column("pegawai_id", &mut_file)?, mutasi.text_column("jenis_mutasi", &mut_file)?);
    let tmt = mutasi.date_column("tmt", &mut_file)?;
    let mut out: BTreeMap<String, Vec<i64>> = BTreeMap::new();
    for k in 0..mutasi.height() {
        let (Some(id), Some(kind), Some(d)) = (&m_ids[k], &m_kind[k], tmt[k]) else { continue };
        let key = month_key(d.year(), d.month());
        if matches!(*kind, "rotasi" | "promosi" | "demosi") && until.is_none_or(|u| key <= u) {
            out.entry(id.to_string()).or_default().push(key);
        }
    }
    for v in out.values_mut() {
        v.sort_unstable();
        v.dedup();
    }
    Ok(out)
}

/// An employee's first rotasi, promosi or demosi (the one that sets the CS cohort).
#[derive(Debug, Clone, PartialEq)]
pub struct FirstTransfer {
    pub month: i64,
    pub tmt: NaiveDate,
    pub jenis_mutasi: String,
    /// `jenis_unit` of the destination unit; `None` when the unit is not in `unit_kerja`.
    pub jenis_unit_tujuan: Option<String>,
}

/// Each employee's first transfer up to `until` (ties within a month broken by jenis_mutasi, so
/// the choice does not depend on row order).
pub fn first_transfers(
    validated: &Path,
    until: Option<i64>,
) -> Result<BTreeMap<String, FirstTransfer>, AnalysisError> {
    let (mf, uf) = (validated.join("mutasi.parquet"), validated.join("unit_kerja.parquet"));
    let (mutasi, units) = (read_table_shared(&mf, None, None)?, read_table_shared(&uf, None, None)?);
    let (uid, ujenis) = (units.text_column("unit_id", &uf)?, units.text_column("jenis_unit", &uf)?);
    let jenis_of: BTreeMap<&str, &str> =
        uid.iter().zip(&ujenis).filter_map(|(u, j)| Some(((*u)?, (*j)?))).collect();
    let (ids, kinds, dest) = (
        mutasi.text_column("pegawai_id", &mf)?,
        mutasi.text_column("jenis_mutasi", &mf)?,
        mutasi.text_column("unit_tujuan_id", &mf)?,
    );
    let tmt = mutasi.date_column("tmt", &mf)?;
    let mut out: BTreeMap<String, FirstTransfer> = BTreeMap::new();
    for k in 0..mutasi.height() {
        let (Some(id), Some(kind), Some(d)) = (ids[k], kinds[k], tmt[k]) else { continue };
        let month = month_key(d.year(), d.month());
        if !matches!(kind, "rotasi" | "promosi" | "demosi") || until.is_some_and(|u| month > u) {
            continue;
        }
        let candidate = FirstTransfer {
            month,
            tmt: d,
            jenis_mutasi: kind.to_string(),
            jenis_unit_tujuan: dest[k].and_then(|u| jenis_of.get(u)).map(|j| j.to_string()),
        };
        match out.get(id) {
            Some(f) if (f.month, &f.jenis_mutasi) <= (month, &candidate.jenis_mutasi) => {}
            _ => {
                out.insert(id.to_string(), candidate);
            }
        }
    }
    Ok(out)
}

/// Entities for the stacked event study: each employee's monthly series (on the panel's `t`
/// scale) and every transfer month.
pub fn stacked_entities(
    validated: &Path,
    indikator: &str,
    standardize: bool,
    until: Option<i64>,
) -> Result<Vec<mutasi_stats::stacked::Entity>, AnalysisError> {
    let panel = build(validated, indikator, standardize, until)?;
    let events = transfer_months(validated, until)?;
    Ok(panel.stacked_entities(&events))
}

impl HrPanel {
    /// pegawai_id of row `k`.
    pub fn pegawai_id(&self, k: usize) -> &str {
        &self.ids[self.entity[k] as usize]
    }

    /// Entities for the stacked event study: each employee's series and every transfer month
    /// (`events`, month keys by pegawai_id, as [`transfer_months`] gives), on the `t` scale.
    pub fn stacked_entities(
        &self,
        events: &BTreeMap<String, Vec<i64>>,
    ) -> Vec<mutasi_stats::stacked::Entity> {
        // Each employee's points as one run of `points` (no vector per employee): counted, then
        // placed in row order, a single pass in place when rows come sorted by employee.
        let mut bounds = vec![0usize; self.ids.len() + 1];
        for e in &self.entity {
            if let Some(b) = bounds.get_mut(*e as usize + 1) {
                *b += 1;
            }
        }
        for e in 0..self.ids.len() {
            bounds[e + 1] += bounds[e];
        }
        let mut next = bounds.clone();
        let mut points = vec![(0i64, 0.0f64); bounds[self.ids.len()]];
        for ((e, t), v) in self.entity.iter().zip(&self.t).zip(&self.nilai) {
            if let Some(at) = next.get_mut(*e as usize) {
                points[*at] = (*t, *v);
                *at += 1;
            }
        }
        let out: Vec<mutasi_stats::stacked::Entity> = bounds
            .windows(2)
            .map(|w| &points[w[0]..w[1]])
            .zip(&self.ids)
            .map(|(p, id)| {
                let events =
                    events.get(id).map(|m| m.iter().map(|k| k - self.origin).collect()).unwrap_or_default();
                mutasi_stats::stacked::Entity::from_points(p, events)
            })
            .collect();
        out
    }

    pub fn to_table(&self) -> TableData {
        let mut d = TableData::default();
        d.push(
            "pegawai_id",
            ColumnData::Dict {
                values: self.ids.clone(),
                codes: self.entity.iter().map(|e| code(*e)).collect(),
            },
        );
        let mut months: Vec<i64> = self.t.clone();
        months.sort_unstable();
        months.dedup();
        let labels: Vec<String> = months.iter().map(|t| month_label(self.origin + t)).collect();
        let codes =
            self.t.iter().map(|t| months.binary_search(t).ok().and_then(|i| code(i as u32))).collect();
        d.push("periode", ColumnData::Dict { values: labels, codes });
        d.push("t", ColumnData::I64(self.t.iter().copied().map(Some).collect()));
        d.push("kohort", ColumnData::I64(self.cohort.iter().copied().map(Some).collect()));
        d.push("nilai", ColumnData::F64(self.nilai.iter().copied().map(Some).collect()));
        d
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mutasi_io::data::table::write_parquet;

    /// The stacked study's entities are each employee's series and transfers, whether the rows
    /// come sorted by employee (one run each) or not.
    #[test]
    fn stacked_entities_in_any_row_order() {
        let sorted = HrPanel {
            ids: vec!["a".into(), "b".into(), "c".into()],
            entity: vec![0, 0, 1, 2, 2, 2],
            t: vec![1, 3, 2, 1, 2, 4],
            cohort: vec![0; 6],
            nilai: vec![1.0, 3.0, 5.0, 7.0, 8.0, 9.0],
            origin: 100,
            ..HrPanel::default()
        };
        let order = [3, 0, 5, 2, 1, 4];
        let shuffled = HrPanel {
            entity: order.iter().map(|k| sorted.entity[*k]).collect(),
            t: order.iter().map(|k| sorted.t[*k]).collect(),
            nilai: order.iter().map(|k| sorted.nilai[*k]).collect(),
            ids: sorted.ids.clone(),
            cohort: sorted.cohort.clone(),
            origin: sorted.origin,
            ..HrPanel::default()
        };
        let events = BTreeMap::from([("c".to_string(), vec![103])]);
        let view = |p: &HrPanel| -> Vec<(i64, Vec<String>, Vec<i64>)> {
            p.stacked_entities(&events)
                .into_iter()
                .map(|e| (e.start, e.y.iter().map(|v| format!("{v}")).collect(), e.events))
                .collect()
        };
        let want = vec![
            (1, vec!["1".into(), "NaN".into(), "3".into()], vec![]),
            (2, vec!["5".into()], vec![]),
            (1, vec!["7".into(), "8".into(), "NaN".into(), "9".into()], vec![3]),
        ];
        assert_eq!(view(&sorted), want);
        assert_eq!(view(&shuffled), want);
    }

    /// Validated kinerja rows of three employees over four months and two indicators (rows
    /// interleaved as an export lists them, one employee's `predikat` missing in a month, one
    /// quarterly row), and one transfer.
    fn validated() -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("tmp");
        let text = |v: Vec<&str>| ColumnData::Str(v.into_iter().map(|s| Some(s.to_string())).collect());
        let (mut id, mut periode, mut jenis, mut mulai, mut ind, mut nilai, mut unit) =
            (vec![], vec![], vec![], vec![], vec![], vec![], vec![]);
        for (e, who) in ["p3", "p1", "p2"].iter().enumerate() {
            for m in 1..=4u32 {
                for (i, name) in ["capaian_iki", "predikat"].iter().enumerate() {
                    if *who == "p2" && *name == "predikat" && m == 3 {
                        continue;
                    }
                    id.push(*who);
                    periode.push(["2024-01", "2024-02", "2024-03", "2024-04"][m as usize - 1]);
                    jenis.push("bulan");
                    mulai.push(NaiveDate::from_ymd_opt(2024, m, 1));
                    ind.push(*name);
                    nilai.push(Some((e * 10 + i) as f64 + f64::from(m) / 10.0));
                    unit.push("U1");
                }
            }
        }
        id.push("p1");
        periode.push("2024-Q1");
        jenis.push("triwulan");
        mulai.push(NaiveDate::from_ymd_opt(2024, 1, 1));
        ind.push("capaian_iki");
        nilai.push(Some(99.0));
        unit.push("U1");
        let mut k = TableData::default();
        k.push("pegawai_id", text(id));
        k.push("periode", text(periode));
        k.push("jenis_periode", text(jenis));
        k.push("periode_mulai", ColumnData::Date(mulai));
        k.push("indikator", text(ind));
        k.push("nilai", ColumnData::F64(nilai));
        k.push("unit_id", text(unit));
        write_parquet(k, &dir.path().join("kinerja.parquet")).expect("kinerja");
        let mut m = TableData::default();
        m.push("pegawai_id", text(vec!["p2"]));
        m.push("jenis_mutasi", text(vec!["rotasi"]));
        m.push("tmt", ColumnData::Date(vec![NaiveDate::from_ymd_opt(2024, 3, 1)]));
        write_parquet(m, &dir.path().join("mutasi.parquet")).expect("mutasi");
        dir
    }

    /// A first transfer in the month before the first one (the origin) or earlier is cohort 1,
    /// treated from the start (the estimator drops it as always treated): not 0, the code of the
    /// never transferred, nor a negative cohort that is neither treated nor comparison.
    #[test]
    fn transfers_before_the_first_month_are_treated_from_the_start() {
        let dir = validated();
        let text = |v: Vec<&str>| ColumnData::Str(v.into_iter().map(|s| Some(s.to_string())).collect());
        let mut m = TableData::default();
        m.push("pegawai_id", text(vec!["p2", "p1", "p3"]));
        m.push("jenis_mutasi", text(vec!["rotasi", "promosi", "rotasi"]));
        let tmt = [(2024, 3), (2023, 12), (2023, 6)];
        m.push(
            "tmt",
            ColumnData::Date(tmt.iter().map(|(y, mo)| NaiveDate::from_ymd_opt(*y, *mo, 1)).collect()),
        );
        write_parquet(m, &dir.path().join("mutasi.parquet")).expect("mutasi");
        let iki = build(dir.path(), "capaian_iki", false, None).expect("panel");
        assert_eq!(iki.ids, ["p1", "p2", "p3"]);
        assert_eq!(iki.first_month, "2024-01");
        let per_person: Vec<i64> = iki.cohort.chunks(4).map(|c| c[0]).collect();
        assert_eq!(per_person, [1, 3, 1]);
    }

    /// Built from one gathering, every indicator gets the panel a build of its own gives, in any
    /// order asked (twice the same indicator included); one without monthly values fails alone.
    #[test]
    fn one_gathering_gives_each_indicator_its_own_panel() {
        let dir = validated();
        let asked: Vec<String> =
            ["predikat", "gaji", "capaian_iki", "predikat"].iter().map(|s| s.to_string()).collect();
        let rows = gather(dir.path(), &asked, false, None).expect("gather");
        let iki = rows.panel(2).expect("capaian_iki");
        assert_eq!(iki, build(dir.path(), "capaian_iki", false, None).expect("alone"));
        assert_eq!(iki.ids, ["p1", "p2", "p3"], "sorted ids");
        assert_eq!(iki.nilai.len(), 12, "monthly rows only");
        assert_eq!(iki.cohort[4..8], [3, 3, 3, 3], "p2 transferred in the third month");
        let predikat = rows.panel(0).expect("predikat");
        assert_eq!(predikat, build(dir.path(), "predikat", false, None).expect("alone"));
        assert_eq!(predikat.nilai.len(), 11);
        assert_eq!(rows.panel(3).expect("again"), predikat);
        let missing = rows.panel(1).expect_err("gaji has no rows").to_string();
        assert!(missing.contains("gaji") && missing.contains("capaian_iki, predikat"), "{missing}");
        assert!(rows.panel(4).is_err(), "out of range");
        // Standardising works per indicator as on its own.
        let z = gather(dir.path(), &asked[2..], true, None).expect("gather");
        assert_eq!(z.panel(0).ok(), build(dir.path(), "capaian_iki", true, None).ok());
    }
}
