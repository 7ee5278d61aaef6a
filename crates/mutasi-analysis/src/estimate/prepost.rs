//! Descriptive before/after windows around each transfer (issue #3 §1), from validated tables.
//!
//! For every transfer (any `jenis_mutasi` with a destination inside the instansi) and every
//! monthly kinerja indicator: the mean over `pre` months before the TMT month and over `post`
//! months after it (the TMT month itself excluded unless asked), with the number of months on each
//! side. A window counts only with at least `min_obs` months on both sides. The summary groups the
//! changes overall, by jenis_mutasi, by origin and destination OPD and by the destination's
//! jenis_unit. **Descriptive, not causal**: drifts, forced rating distributions and regression to
//! the mean all move these numbers; `mutasi estimate` gives comparison-group estimates.

use crate::error::AnalysisError;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use rayon::prelude::*;

use crate::estimate::hr_panel::KINERJA_COLUMNS;
use mutasi_io::data::table::{
    ColumnData as C, DictBuilder, TableData, at, read_columns_shared, read_table_shared,
};
use mutasi_stats::bucket_sort::sort_by_bucket;
use mutasi_stats::describe::{Summary, summarise};

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WindowOptions {
    pub pre: i64,
    pub post: i64,
    pub include_transfer_month: bool,
    pub min_obs: usize,
    /// Groups with fewer transfers are suppressed in the summary (personal-data protection).
    pub min_group: usize,
    pub bootstrap: usize,
    pub seed: u64,
    /// Last month used (a month key); all months when `None`.
    pub until: Option<i64>,
}

impl Default for WindowOptions {
    fn default() -> Self {
        WindowOptions {
            pre: 6,
            post: 6,
            include_transfer_month: false,
            min_obs: 3,
            min_group: 5,
            bootstrap: 999,
            seed: 2026,
            until: None,
        }
    }
}

/// One transfer × indicator window.
#[derive(Debug, Clone, PartialEq)]
pub struct Window {
    pub pegawai_id: String,
    pub tmt: chrono::NaiveDate,
    pub jenis_mutasi: String,
    pub unit_asal_id: Option<String>,
    pub unit_tujuan_id: String,
    pub opd_asal: Option<String>,
    pub opd_tujuan: Option<String>,
    pub jenis_unit_tujuan: Option<String>,
    pub indikator: String,
    pub n_pre: usize,
    pub n_post: usize,
    pub mean_pre: Option<f64>,
    pub mean_post: Option<f64>,
    pub delta: Option<f64>,
}

fn month_key(d: chrono::NaiveDate) -> i64 {
    i64::from(mutasi_domain::normalize::period::Period::of_date(d).month_key())
}

/// `points` (person code, indicator code, month key, value) in a stable sort by (person,
/// indicator, month), with `people` and `indicators` codes: equal to
/// `sort_by_key(|p| (p.0, p.1, p.2))`, in linear time ([`sort_by_bucket`]).
fn sort_points(
    points: Vec<(u32, u32, i64, f64)>,
    people: usize,
    indicators: usize,
) -> Vec<(u32, u32, i64, f64)> {
    sort_by_bucket(points, people * indicators, |p| p.0 as usize * indicators + p.1 as usize, |p| p.2)
}

/// Builds every window.
pub fn windows(validated: &Path, opts: &WindowOptions) -> Result<Vec<Window>, AnalysisError> {
    let (kf, mf, uf) = (
        validated.join("kinerja.parquet"),
        validated.join("mutasi.parquet"),
        validated.join("unit_kerja.parquet"),
    );
    // The read the HR panels share (`hr_panel::KINERJA_COLUMNS`); monthly rows are kept below.
    let kin = read_columns_shared(&kf, &KINERJA_COLUMNS)?;
    let (mutasi, units) = (read_table_shared(&mf, None, None)?, read_table_shared(&uf, None, None)?);
    // Monthly values per (person, indicator), by month key, on the dictionary codes: one sorted
    // vector, each (person, indicator) a contiguous run found through `runs`.
    let (id_values, id_codes) = kin.coded("pegawai_id", &kf)?;
    let (ind_values, ind_codes) = kin.coded("indikator", &kf)?;
    let (kind_values, kind_codes) = kin.coded("jenis_periode", &kf)?;
    let monthly: Vec<bool> = kind_values.iter().map(|k| *k == "bulan").collect();
    let starts = kin.date_column("periode_mulai", &kf)?;
    let values = kin.f64_column("nilai", &kf)?;
    let id_code: HashMap<&str, u32> = id_values.iter().enumerate().map(|(c, v)| (*v, c as u32)).collect();
    let (mid, mjenis, masal, mtujuan) = (
        mutasi.text_column("pegawai_id", &mf)?,
        mutasi.text_column("jenis_mutasi", &mf)?,
        mutasi.text_column("unit_asal_id", &mf)?,
        mutasi.text_column("unit_tujuan_id", &mf)?,
    );
    let tmt = mutasi.date_column("tmt", &mf)?;
    // The months a window can read, by employee code: [tmt − pre, tmt + 1 + post) around each
    // of their transfers. No other month's value is looked at, so none is gathered and sorted.
    let mut reach: Vec<(u32, i64, i64)> = (0..mutasi.height())
        .filter_map(|k| {
            let (code, m0) = (*id_code.get(mid[k]?)?, month_key(tmt[k]?));
            Some((code, m0 - opts.pre.max(0), m0 + 1 + opts.post.max(0)))
        })
        .collect();
    reach.sort_unstable();
    let mut reach_from = vec![0usize; id_values.len() + 1];
    for (c, _, _) in &reach {
        reach_from[*c as usize + 1] += 1;
    }
    for c in 0..id_values.len() {
        reach_from[c + 1] += reach_from[c];
    }
    let in_reach = |c: u32, key: i64| {
        reach[reach_from[c as usize]..reach_from[c as usize + 1]]
            .iter()
            .any(|(_, lo, hi)| (*lo..*hi).contains(&key))
    };
    let mut points: Vec<(u32, u32, i64, f64)> = Vec::with_capacity(kin.height());
    for k in 0..kin.height() {
        let (Some(id), Some(ind), Some(kind), Some(start), Some(v)) =
            (id_codes[k], ind_codes[k], kind_codes[k], starts[k], values[k])
        else {
            continue;
        };
        if !monthly[at(kind)] {
            continue;
        }
        let (id, ind) = (id.get(), ind.get());
        let key = month_key(start);
        if opts.until.is_some_and(|u| key > u) || !in_reach(id, key) {
            continue;
        }
        points.push((id, ind, key, v));
    }
    // Stable: of several values for the same month, the last one read counts.
    // Of a month's values the last is kept, in place: no third copy of millions of points.
    let mut series = sort_points(points, id_values.len(), ind_values.len());
    let mut kept = 0;
    for k in 0..series.len() {
        let p = series[k];
        if series.get(k + 1).is_none_or(|q| (q.0, q.1, q.2) != (p.0, p.1, p.2)) {
            series[kept] = p;
            kept += 1;
        }
    }
    series.truncate(kept);
    let mut runs: HashMap<(u32, u32), (usize, usize)> = HashMap::new();
    let mut from = 0;
    for k in 0..series.len() {
        if series.get(k + 1).is_none_or(|q| (q.0, q.1) != (series[k].0, series[k].1)) {
            runs.insert((series[k].0, series[k].1), (from, k + 1));
            from = k + 1;
        }
    }
    // Indicators present, by name.
    let mut indicators: Vec<(String, u32)> = {
        let mut used = vec![false; ind_values.len()];
        for p in &series {
            used[p.1 as usize] = true;
        }
        ind_values
            .iter()
            .enumerate()
            .filter(|(c, _)| used[*c])
            .map(|(c, v)| (v.to_string(), c as u32))
            .collect()
    };
    indicators.sort_unstable();
    // Units: OPD and jenis_unit.
    let (uid, uopd, ujenis) = (
        units.text_column("unit_id", &uf)?,
        units.text_column("opd", &uf)?,
        units.text_column("jenis_unit", &uf)?,
    );
    let unit_info: HashMap<String, (Option<String>, Option<String>)> = uid
        .iter()
        .enumerate()
        .filter_map(|(k, u)| {
            Some(((*u)?.to_string(), (uopd[k].map(String::from), ujenis[k].map(String::from))))
        })
        .collect();
    let mut out = Vec::new();
    for k in 0..mutasi.height() {
        let (Some(id), Some(jenis), Some(tujuan), Some(d)) = (&mid[k], &mjenis[k], &mtujuan[k], tmt[k])
        else {
            continue;
        };
        if opts.until.is_some_and(|u| month_key(d) > u) {
            continue;
        }
        let Some((opd_tujuan, jenis_unit)) = unit_info.get(*tujuan).cloned() else { continue }; // left the instansi
        let Some(&idc) = id_code.get(*id) else { continue }; // no monthly kinerja
        let id = id.to_string();
        let m0 = month_key(d);
        let post_from = if opts.include_transfer_month { m0 } else { m0 + 1 };
        for (ind, indc) in &indicators {
            let Some(&(lo, hi)) = runs.get(&(idc, *indc)) else { continue };
            let s = &series[lo..hi];
            // The points of months [a, b), read in place.
            let range = |a: i64, b: i64| {
                let (i, j) = (s.partition_point(|p| p.2 < a), s.partition_point(|p| p.2 < b));
                &s[i..j]
            };
            let pre = range(m0 - opts.pre, m0);
            let post = range(post_from, post_from + opts.post);
            if pre.is_empty() && post.is_empty() {
                continue;
            }
            let mean = |v: &[(u32, u32, i64, f64)]| {
                (!v.is_empty()).then(|| v.iter().map(|p| p.3).sum::<f64>() / v.len() as f64)
            };
            let (mean_pre, mean_post) = (mean(pre), mean(post));
            let valid = pre.len() >= opts.min_obs && post.len() >= opts.min_obs;
            out.push(Window {
                pegawai_id: id.clone(),
                tmt: d,
                jenis_mutasi: jenis.to_string(),
                unit_asal_id: masal[k].map(String::from),
                unit_tujuan_id: tujuan.to_string(),
                opd_asal: masal[k].and_then(|u| unit_info.get(u)).and_then(|(o, _)| o.clone()),
                opd_tujuan: opd_tujuan.clone(),
                jenis_unit_tujuan: jenis_unit.clone(),
                indikator: ind.clone(),
                n_pre: pre.len(),
                n_post: post.len(),
                mean_pre,
                mean_post,
                delta: mean_post.zip(mean_pre).filter(|_| valid).map(|(b, a)| b - a),
            });
        }
    }
    Ok(out)
}

pub fn windows_table(w: &[Window]) -> TableData {
    // Text columns as dictionaries: each distinct text copied once, not once per window.
    let s = |f: &dyn Fn(&Window) -> Option<&str>| {
        let mut b = DictBuilder::with_capacity(w.len());
        for x in w {
            b.push(f(x));
        }
        b.finish()
    };
    let mut d = TableData::default();
    d.push("pegawai_id", s(&|x| Some(&x.pegawai_id)));
    d.push("tmt", C::Date(w.iter().map(|x| Some(x.tmt)).collect()));
    d.push("jenis_mutasi", s(&|x| Some(&x.jenis_mutasi)));
    d.push("unit_asal_id", s(&|x| x.unit_asal_id.as_deref()));
    d.push("unit_tujuan_id", s(&|x| Some(&x.unit_tujuan_id)));
    d.push("opd_asal", s(&|x| x.opd_asal.as_deref()));
    d.push("opd_tujuan", s(&|x| x.opd_tujuan.as_deref()));
    d.push("jenis_unit_tujuan", s(&|x| x.jenis_unit_tujuan.as_deref()));
    d.push("indikator", s(&|x| Some(&x.indikator)));
    d.push("n_pre", C::I64(w.iter().map(|x| Some(x.n_pre as i64)).collect()));
    d.push("n_post", C::I64(w.iter().map(|x| Some(x.n_post as i64)).collect()));
    d.push("rata_pre", C::F64(w.iter().map(|x| x.mean_pre).collect()));
    d.push("rata_post", C::F64(w.iter().map(|x| x.mean_post).collect()));
    d.push("delta", C::F64(w.iter().map(|x| x.delta).collect()));
    d.push("sah", C::Bool(w.iter().map(|x| Some(x.delta.is_some())).collect()));
    d
}

/// One row of `prepost_summary.parquet`.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupSummary {
    pub indikator: String,
    pub dimensi: &'static str,
    pub kelompok: String,
    pub summary: Option<Summary>,
    pub n: usize,
    pub suppressed: bool,
}

/// Summaries of the valid windows by indicator and grouping.
pub fn summarise_windows(w: &[Window], opts: &WindowOptions) -> Vec<GroupSummary> {
    type Key = fn(&Window) -> Option<&str>;
    let dims: [(&'static str, Key); 5] = [
        ("semua", |_| Some("semua")),
        ("jenis_mutasi", |x| Some(x.jenis_mutasi.as_str())),
        ("opd_asal", |x| x.opd_asal.as_deref()),
        ("opd_tujuan", |x| x.opd_tujuan.as_deref()),
        ("jenis_unit_tujuan", |x| x.jenis_unit_tujuan.as_deref()),
    ];
    let person: HashMap<&str, usize> = {
        let mut ids: Vec<&str> = w.iter().map(|x| x.pegawai_id.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        ids.into_iter().enumerate().map(|(i, s)| (s, i)).collect()
    };
    // (indicator, dimension, group) → the changes and the person each belongs to; keyed by the
    // windows' own texts (the order of owned ones), copied once per group below.
    type Groups<'w> = BTreeMap<(&'w str, usize, &'w str), (Vec<f64>, Vec<usize>)>;
    let mut groups: Groups = BTreeMap::new();
    for x in w.iter().filter(|x| x.delta.is_some()) {
        for (d, (_, key)) in dims.iter().enumerate() {
            if let (Some(g), Some(delta)) = (key(x), x.delta) {
                let e = groups.entry((x.indikator.as_str(), d, g)).or_default();
                e.0.push(delta);
                e.1.push(person[x.pegawai_id.as_str()]);
            }
        }
    }
    // Each group has its own seed (from its position), so groups run on any free core.
    let groups: Vec<_> = groups.into_iter().collect();
    groups
        .into_par_iter()
        .enumerate()
        .map(|(k, ((ind, d, g), (values, clusters)))| {
            let n = values.len();
            let suppressed = n < opts.min_group;
            let seed = opts.seed ^ (d as u64) << 32 ^ k as u64;
            let summary =
                if suppressed { None } else { summarise(&values, &clusters, 0.05, opts.bootstrap, seed) };
            GroupSummary {
                indikator: ind.to_string(),
                dimensi: dims[d].0,
                kelompok: g.to_string(),
                summary,
                n,
                suppressed,
            }
        })
        .collect()
}

pub fn summary_table(rows: &[GroupSummary]) -> TableData {
    let f = |g: &dyn Fn(&Summary) -> f64| C::F64(rows.iter().map(|r| r.summary.as_ref().map(g)).collect());
    let mut d = TableData::default();
    d.push("indikator", C::Str(rows.iter().map(|r| Some(r.indikator.clone())).collect()));
    d.push("dimensi", C::Str(rows.iter().map(|r| Some(r.dimensi.to_string())).collect()));
    d.push("kelompok", C::Str(rows.iter().map(|r| Some(r.kelompok.clone())).collect()));
    d.push("n_mutasi", C::I64(rows.iter().map(|r| Some(r.n as i64)).collect()));
    d.push("rata_delta", f(&|s| s.mean));
    d.push("median_delta", f(&|s| s.median));
    d.push("sd_delta", f(&|s| s.sd));
    d.push("ci_low_t", f(&|s| s.t_low));
    d.push("ci_high_t", f(&|s| s.t_high));
    // Without bootstrap draws (`bootstrap = 0`) the interval is missing.
    let boot = |g: fn((f64, f64)) -> f64| {
        C::F64(rows.iter().map(|r| r.summary.as_ref().and_then(|s| s.boot).map(g)).collect())
    };
    d.push("ci_low_bootstrap", boot(|b| b.0));
    d.push("ci_high_bootstrap", boot(|b| b.1));
    d.push("ditekan", C::Bool(rows.iter().map(|r| Some(r.suppressed)).collect()));
    d.push(
        "jenis_analisis",
        C::Str(
            rows.iter().map(|_| Some("deskriptif, bukan kausal / descriptive, not causal".into())).collect(),
        ),
    );
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The counting sort equals the stable library sort, duplicates (same person, indicator and
    /// month, told apart by their value) kept in the order read.
    #[test]
    fn sort_points_equals_the_stable_sort() {
        let mut points = Vec::new();
        let mut x: u64 = 7;
        for k in 0..5000 {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let id = ((x >> 33) % 37) as u32;
            let ind = ((x >> 20) % 3) as u32;
            let month = ((x >> 40) % 24) as i64 + 24_000;
            points.push((id, ind, month, k as f64));
        }
        let mut expected = points.clone();
        expected.sort_by_key(|p| (p.0, p.1, p.2));
        // Person 40 and indicator 3 have no points; the sort is told of 41 and 4 codes.
        let got = sort_points(points, 41, 4);
        assert_eq!(got, expected);
        assert!(got.windows(2).any(|w| (w[0].0, w[0].1, w[0].2) == (w[1].0, w[1].1, w[1].2)));
        assert!(sort_points(Vec::new(), 0, 0).is_empty());
        // Month by month, as an export lists them: every series arrives in order.
        let mut by_month = expected.clone();
        by_month.sort_by_key(|p| p.2);
        let mut want = by_month.clone();
        want.sort_by_key(|p| (p.0, p.1, p.2));
        assert_eq!(sort_points(by_month, 41, 4), want);
    }
}
