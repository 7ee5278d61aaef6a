//! Transfer requests (issue #5 §2): is the request process open and even-handed?
//!
//! From the validated `permohonan`, `pegawai` and `unit_kerja`:
//! - `permohonan_funnel`: per month and OPD, requests submitted, decided, approved, rejected, the
//!   open backlog at the month's end, and days from submission to decision (median, 90th
//!   percentile);
//! - `permohonan_fairness`: approval rates by gender, golongan group, status_asn, origin OPD and
//!   jenis_jabatan with Wilson 95% intervals, a chi-square test that the groups of a dimension
//!   share one rate, and a flag on groups whose gap is large (10 points or more from the other
//!   groups pooled) and credible (a two-group test and the dimension's test both reject at 5 %).
//!   **Descriptive**: a gap is not proof of nepotism; group composition (jabatan, timing) can
//!   explain it. Groups under the small-group threshold are suppressed.

pub mod matching;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use chrono::NaiveDate;
use polars::prelude::*;

use mutasi_domain::normalize::period::Period;
use mutasi_io::data::frame::{collect, scan};
use mutasi_io::data::table::{ColumnData as C, TableData, read_table_shared};
use mutasi_stats::proportion::{equal_rates_test, wilson};

#[derive(Debug, Clone, PartialEq)]
pub struct RequestOptions {
    /// Last day used.
    pub until: Option<NaiveDate>,
    /// Groups with fewer decided requests are suppressed.
    pub min_group: usize,
    /// Gap from the overall rate that counts as large (share points).
    pub flag_gap: f64,
    /// Longest time from a request's approval to the transfer it explains.
    pub window_days: i64,
    /// Years a CPNS must serve before requesting a transfer (local rule; 0 turns the check off).
    pub cpns_min_years: i64,
    /// Blackout windows (Pilkada) for approvals.
    pub blackouts: Vec<mutasi_domain::tenure::Blackout>,
}

impl Default for RequestOptions {
    fn default() -> Self {
        RequestOptions {
            until: None,
            min_group: 5,
            flag_gap: 0.10,
            window_days: 365,
            cpns_min_years: 10,
            blackouts: mutasi_domain::tenure::default_blackouts(),
        }
    }
}

/// One request with what the tables say about its author.
struct Request {
    submitted: NaiveDate,
    status: String,
    decided: Option<NaiveDate>,
    opd: String,
    attrs: [String; 5],
}

const DIMENSIONS: [&str; 5] =
    ["jenis_kelamin", "golongan_kelompok", "status_asn", "opd_asal", "jenis_jabatan"];
const UNKNOWN: &str = "tidak_diketahui";

fn decided(status: &str) -> bool {
    matches!(status, "disetujui" | "ditolak")
}

/// The golongan's group: I … IV for PNS; PPPK golongan (I … XVII in roman) as "PPPK".
fn golongan_group(g: &str) -> String {
    match g.split('/').next() {
        Some(head) if g.contains('/') => head.to_string(),
        Some(_) if !g.is_empty() => "PPPK".into(),
        _ => UNKNOWN.into(),
    }
}

/// OPD of each unit (the unit itself when it names none).
fn opd_of_units(validated: &Path) -> Result<HashMap<String, String>, String> {
    let uf = validated.join("unit_kerja.parquet");
    let units = read_table_shared(&uf, None, None)?;
    Ok(units
        .text_column("unit_id", &uf)?
        .into_iter()
        .zip(units.text_column("opd", &uf)?)
        .filter_map(|(u, o)| Some((u?.to_string(), o.or(u)?.to_string())))
        .collect())
}

fn read_requests(validated: &Path, until: Option<NaiveDate>) -> Result<Vec<Request>, String> {
    let opd_of = opd_of_units(validated)?;
    let pf = validated.join("pegawai.parquet");
    let peg = read_table_shared(&pf, None, None)?;
    let col = |name: &str| peg.text_column(name, &pf);
    let (pid, jk, gol, asn, jenis, punit) = (
        col("pegawai_id")?,
        col("jenis_kelamin")?,
        col("golongan")?,
        col("status_asn")?,
        col("jenis_jabatan")?,
        col("unit_id")?,
    );
    let person: HashMap<&str, usize> = pid.iter().enumerate().filter_map(|(k, p)| Some(((*p)?, k))).collect();
    let rf = validated.join("permohonan.parquet");
    let req = read_table_shared(&rf, None, None)?;
    let (rid, rstatus, rasal) = (
        req.text_column("pegawai_id", &rf)?,
        req.text_column("status", &rf)?,
        req.text_column("unit_asal_id", &rf)?,
    );
    let (rsub, rdec) =
        (req.date_column("tanggal_pengajuan", &rf)?, req.date_column("tanggal_keputusan", &rf)?);
    let text = |v: Option<&str>| v.map_or(UNKNOWN.to_string(), String::from);
    let mut out = Vec::new();
    for k in 0..req.height() {
        let (Some(id), Some(st), Some(sub)) = (rid[k], rstatus[k], rsub[k]) else { continue };
        if until.is_some_and(|u| sub > u) {
            continue;
        }
        let p = person.get(id).copied();
        let unit = rasal[k].or_else(|| p.and_then(|p| punit[p]));
        let opd = unit.and_then(|u| opd_of.get(u)).map_or(UNKNOWN.to_string(), |o| o.to_string());
        // A decision after the period is not known yet.
        let dec = rdec[k].filter(|d| until.is_none_or(|u| *d <= u));
        let status = if decided(st) && dec.is_none() && rdec[k].is_some() { "diproses" } else { st };
        out.push(Request {
            submitted: sub,
            status: status.to_string(),
            decided: dec,
            attrs: [
                text(p.and_then(|p| jk[p])),
                p.and_then(|p| gol[p]).map_or(UNKNOWN.to_string(), golongan_group),
                text(p.and_then(|p| asn[p])),
                opd.clone(),
                text(p.and_then(|p| jenis[p])),
            ],
            opd,
        });
    }
    Ok(out)
}

fn month_key(d: NaiveDate) -> i64 {
    i64::from(Period::of_date(d).month_key())
}

fn month_end(key: i64) -> NaiveDate {
    Period::from_month_key(key).end().unwrap_or_default()
}

/// The funnel per month and OPD.
fn funnel(reqs: &[Request], until: Option<NaiveDate>) -> TableData {
    let first = reqs.iter().map(|r| month_key(r.submitted)).min();
    let last = until.map(month_key).or_else(|| reqs.iter().map(|r| month_key(r.submitted)).max());
    let mut rows: BTreeMap<(i64, String), [i64; 5]> = BTreeMap::new();
    let mut days: BTreeMap<(i64, String), Vec<f64>> = BTreeMap::new();
    if let (Some(first), Some(last)) = (first, last) {
        let opds: Vec<String> = {
            let mut v: Vec<String> = reqs.iter().map(|r| r.opd.clone()).collect();
            v.sort();
            v.dedup();
            v
        };
        for m in first..=last {
            for o in &opds {
                rows.insert((m, o.clone()), [0; 5]);
            }
        }
        for r in reqs {
            let opd = r.opd.clone();
            if let Some(x) = rows.get_mut(&(month_key(r.submitted), opd.clone())) {
                x[0] += 1;
            }
            if let (true, Some(d)) = (decided(&r.status), r.decided) {
                if let Some(x) = rows.get_mut(&(month_key(d), opd.clone())) {
                    x[1] += 1;
                    x[if r.status == "disetujui" { 2 } else { 3 }] += 1;
                }
                days.entry((month_key(d), opd.clone()))
                    .or_default()
                    .push((d - r.submitted).num_days() as f64);
            }
            // Open at the end of each month from submission until decided (cancelled requests
            // are not counted: their cancellation date is unknown).
            if r.status == "dibatalkan" {
                continue;
            }
            let open_until = r.decided.map_or(last + 1, month_key);
            for m in month_key(r.submitted)..open_until.min(last + 1) {
                if let Some(x) = rows.get_mut(&(m, opd.clone())) {
                    x[4] += 1;
                }
            }
        }
    }
    for v in days.values_mut() {
        v.sort_by(f64::total_cmp);
    }
    let keys: Vec<&(i64, String)> = rows.keys().collect();
    let mut d = TableData::default();
    d.push(
        "periode",
        C::Str(keys.iter().map(|(m, _)| Some(Period::of_date(month_end(*m)).label())).collect()),
    );
    d.push("opd", C::Str(keys.iter().map(|(_, o)| Some(o.clone())).collect()));
    for (j, name) in ["diajukan", "diputuskan", "disetujui", "ditolak", "belum_diputuskan"].iter().enumerate()
    {
        d.push(name, C::I64(rows.values().map(|x| Some(x[j])).collect()));
    }
    let q = |p: f64| -> Vec<Option<f64>> {
        keys.iter().map(|k| days.get(*k).and_then(|v| mutasi_stats::quantile::type7(v, p))).collect()
    };
    d.push("hari_median", C::F64(q(0.5)));
    d.push("hari_p90", C::F64(q(0.9)));
    d
}

/// One group's approval line.
struct GroupRate {
    dimension: &'static str,
    group: String,
    n: u64,
    approved: u64,
    /// `None` when suppressed (small group).
    rate: Option<f64>,
    ci: Option<(f64, f64)>,
    p_value: Option<f64>,
    flagged: bool,
    median_days: Option<f64>,
}

/// Approval rates by group.
fn fairness(reqs: &[Request], opts: &RequestOptions) -> TableData {
    let decided_reqs: Vec<&Request> =
        reqs.iter().filter(|r| decided(&r.status) && r.decided.is_some()).collect();
    let mut out: Vec<GroupRate> = Vec::new();
    for (j, dim) in DIMENSIONS.iter().enumerate() {
        let mut groups: BTreeMap<&str, (u64, u64, Vec<f64>)> = BTreeMap::new();
        for r in &decided_reqs {
            let g = groups.entry(r.attrs[j].as_str()).or_default();
            g.1 += 1;
            g.0 += u64::from(r.status == "disetujui");
            if let Some(d) = r.decided {
                g.2.push((d - r.submitted).num_days() as f64);
            }
        }
        let big: Vec<(u64, u64)> = groups
            .values()
            .filter(|(_, n, _)| *n as usize >= opts.min_group)
            .map(|(s, n, _)| (*s, *n))
            .collect();
        let (s_all, n_all) = big.iter().fold((0, 0), |(a, b), (s, n)| (a + s, b + n));
        let p_value = equal_rates_test(&big).map(|(_, _, p)| p);
        for (name, (s, n, mut days)) in groups {
            days.sort_by(f64::total_cmp);
            let small = (n as usize) < opts.min_group;
            let rate = (!small).then(|| s as f64 / n as f64);
            let ci = if small { None } else { wilson(s, n, 0.05) };
            // Against the other groups of the dimension pooled: a large gap that a two-group test
            // also finds, in a dimension whose groups differ.
            let (s_o, n_o) = if small { (s_all, n_all) } else { (s_all - s, n_all - n) };
            let flagged = match (rate, p_value) {
                (Some(r), Some(p)) if n_o > 0 => {
                    let gap = r - s_o as f64 / n_o as f64;
                    let pair = equal_rates_test(&[(s, n), (s_o, n_o)]).map(|(_, _, q)| q);
                    gap.abs() >= opts.flag_gap && pair.is_some_and(|q| q < 0.05) && p < 0.05
                }
                _ => false,
            };
            out.push(GroupRate {
                dimension: dim,
                group: name.to_string(),
                n,
                approved: s,
                rate,
                ci,
                p_value,
                flagged,
                median_days: if small { None } else { mutasi_stats::quantile::median(&days) },
            });
        }
    }
    let mut d = TableData::default();
    d.push("dimensi", C::Str(out.iter().map(|r| Some(r.dimension.to_string())).collect()));
    d.push("kelompok", C::Str(out.iter().map(|r| Some(r.group.clone())).collect()));
    d.push("n", C::I64(out.iter().map(|r| Some(r.n as i64)).collect()));
    d.push("disetujui", C::I64(out.iter().map(|r| r.rate.map(|_| r.approved as i64)).collect()));
    d.push("tingkat_persetujuan", C::F64(out.iter().map(|r| r.rate).collect()));
    d.push("ci_low", C::F64(out.iter().map(|r| r.ci.map(|c| c.0)).collect()));
    d.push("ci_high", C::F64(out.iter().map(|r| r.ci.map(|c| c.1)).collect()));
    d.push("p_value", C::F64(out.iter().map(|r| r.p_value).collect()));
    d.push("ditandai", C::Bool(out.iter().map(|r| Some(r.flagged)).collect()));
    d.push("ditekan", C::Bool(out.iter().map(|r| Some(r.rate.is_none())).collect()));
    d.push("hari_median", C::F64(out.iter().map(|r| r.median_days).collect()));
    d
}

/// `permohonan_match` (every transfer, requested or not, and every approved request without a
/// transfer) and `permohonan_rules` (every approved request against the rules).
pub fn request_checks(validated: &Path, opts: &RequestOptions) -> Result<(TableData, TableData), String> {
    use matching::{Approved, TransferIn, match_requests};
    use mutasi_domain::tenure::{MIN_MONTHS_IN_POST, blackout_of, months_between};
    let rf = validated.join("permohonan.parquet");
    let req = read_table_shared(&rf, None, None)?;
    let (rid, rstatus, rdest) = (
        req.text_column("pegawai_id", &rf)?,
        req.text_column("status", &rf)?,
        req.text_column("unit_tujuan_diminta_id", &rf)?,
    );
    let (rsub, rdec) =
        (req.date_column("tanggal_pengajuan", &rf)?, req.date_column("tanggal_keputusan", &rf)?);
    let mf = validated.join("mutasi.parquet");
    let mt = read_table_shared(&mf, None, None)?;
    let (mid, mdest, mkind) = (
        mt.text_column("pegawai_id", &mf)?,
        mt.text_column("unit_tujuan_id", &mf)?,
        mt.text_column("jenis_mutasi", &mf)?,
    );
    let mtmt = mt.date_column("tmt", &mf)?;
    let pf = validated.join("pegawai.parquet");
    let peg = read_table_shared(&pf, None, None)?;
    let (pid, pasn) = (peg.text_column("pegawai_id", &pf)?, peg.text_column("status_asn", &pf)?);
    let pcpns: Vec<Option<i64>> = match peg.get("tahun_cpns") {
        Some(C::I64(v)) => v.clone(),
        _ => vec![None; peg.height()],
    };
    let person: HashMap<&str, usize> = pid.iter().enumerate().filter_map(|(k, p)| Some(((*p)?, k))).collect();
    let mut employees: HashMap<String, u32> = HashMap::new();
    let mut code = |id: &str| -> u32 {
        let n = employees.len() as u32;
        *employees.entry(id.to_string()).or_insert(n)
    };
    // Approved requests up to the period.
    let approved: Vec<usize> = (0..req.height())
        .filter(|k| {
            rstatus[*k] == Some("disetujui")
                && rsub[*k].is_some_and(|d| opts.until.is_none_or(|u| d <= u))
                && rdec[*k].is_none_or(|d| opts.until.is_none_or(|u| d <= u))
        })
        .collect();
    let requests: Vec<Approved> = approved
        .iter()
        .filter_map(|k| {
            Some(Approved {
                employee: code(rid[*k]?),
                date: rdec[*k].or(rsub[*k])?,
                destination: rdest[*k].map(String::from),
            })
        })
        .collect();
    let transfer_rows: Vec<usize> = (0..mt.height())
        .filter(|k| {
            matches!(mkind[*k], Some("rotasi" | "promosi" | "demosi"))
                && mdest[*k].is_some()
                && mtmt[*k].is_some_and(|d| opts.until.is_none_or(|u| d <= u))
        })
        .collect();
    let transfers: Vec<TransferIn> = transfer_rows
        .iter()
        .filter_map(|k| {
            Some(TransferIn { employee: code(mid[*k]?), tmt: mtmt[*k]?, destination: mdest[*k]?.to_string() })
        })
        .collect();
    let m = match_requests(&transfers, &requests, opts.window_days);
    let mut t = TableData::default();
    let n_t = transfers.len();
    let unused: Vec<usize> = (0..requests.len()).filter(|j| !m.request_used[*j]).collect();
    let kinds: Vec<Option<String>> = (0..n_t)
        .map(|_| Some("mutasi".to_string()))
        .chain(unused.iter().map(|_| Some("permohonan_tanpa_mutasi".to_string())))
        .collect();
    t.push("baris", C::Str(kinds));
    let ids = |rows: &[usize], col: &[Option<&str>]| -> Vec<Option<String>> {
        rows.iter().map(|k| col[*k].map(String::from)).collect()
    };
    let mut pegawai = ids(&transfer_rows, &mid);
    pegawai.extend(unused.iter().map(|j| rid[approved[*j]].map(String::from)));
    t.push("pegawai_id", C::Str(pegawai));
    let mut tmt: Vec<Option<NaiveDate>> = transfer_rows.iter().map(|k| mtmt[*k]).collect();
    tmt.extend(unused.iter().map(|_| None));
    t.push("tmt", C::Date(tmt));
    let mut dest = ids(&transfer_rows, &mdest);
    dest.extend(unused.iter().map(|_| None));
    t.push("unit_tujuan_id", C::Str(dest));
    let req_of = |k: usize| m.of_transfer[k].map(|j| approved[j]);
    let mut sub: Vec<Option<NaiveDate>> = (0..n_t).map(|k| req_of(k).and_then(|r| rsub[r])).collect();
    sub.extend(unused.iter().map(|j| rsub[approved[*j]]));
    t.push("tanggal_pengajuan", C::Date(sub));
    let mut dec: Vec<Option<NaiveDate>> = (0..n_t).map(|k| req_of(k).and_then(|r| rdec[r])).collect();
    dec.extend(unused.iter().map(|j| rdec[approved[*j]]));
    t.push("tanggal_keputusan", C::Date(dec));
    let mut asked: Vec<Option<String>> =
        (0..n_t).map(|k| req_of(k).and_then(|r| rdest[r].map(String::from))).collect();
    asked.extend(unused.iter().map(|j| rdest[approved[*j]].map(String::from)));
    t.push("unit_tujuan_diminta_id", C::Str(asked));
    let mut diminta: Vec<Option<bool>> = (0..n_t).map(|k| Some(m.of_transfer[k].is_some())).collect();
    diminta.extend(unused.iter().map(|_| None));
    t.push("diminta", C::Bool(diminta));
    let mut cand: Vec<Option<i64>> = m.candidates.iter().map(|c| Some(*c as i64)).collect();
    cand.extend(unused.iter().map(|_| None));
    t.push("kandidat", C::I64(cand));

    // Rules for every approved request.
    // Each employee's arrival dates (transfers with a destination), looked up per request.
    let mut arrivals: HashMap<&str, Vec<NaiveDate>> = HashMap::new();
    for k in (0..mt.height()).filter(|k| mdest[*k].is_some()) {
        if let (Some(id), Some(d)) = (mid[k], mtmt[k]) {
            arrivals.entry(id).or_default().push(d);
        }
    }
    let arrival = |id: &str, at: NaiveDate| -> Option<NaiveDate> {
        arrivals.get(id)?.iter().copied().filter(|d| *d < at).max()
    };
    let mut r = TableData::default();
    let rows: Vec<(usize, NaiveDate)> =
        approved.iter().filter_map(|k| Some((*k, rdec[*k].or(rsub[*k])?))).collect();
    r.push("pegawai_id", C::Str(rows.iter().map(|(k, _)| rid[*k].map(String::from)).collect()));
    r.push("tanggal_pengajuan", C::Date(rows.iter().map(|(k, _)| rsub[*k]).collect()));
    r.push("tanggal_keputusan", C::Date(rows.iter().map(|(k, _)| rdec[*k]).collect()));
    let p_of = |k: usize| rid[k].and_then(|i| person.get(i)).copied();
    r.push(
        "status_asn",
        C::Str(rows.iter().map(|(k, _)| p_of(*k).and_then(|p| pasn[p]).map(String::from)).collect()),
    );
    let months: Vec<Option<i64>> = rows
        .iter()
        .map(|(k, at)| rid[*k].and_then(|i| arrival(i, *at)).map(|a| months_between(a, *at)))
        .collect();
    r.push("bulan_di_jabatan", C::I64(months.clone()));
    r.push("kurang_2_tahun", C::Bool(months.iter().map(|m| m.map(|m| m < MIN_MONTHS_IN_POST)).collect()));
    r.push(
        "masa_larangan",
        C::Str(
            rows.iter().map(|(_, at)| blackout_of(*at, &opts.blackouts).map(|b| b.label.clone())).collect(),
        ),
    );
    r.push(
        "pppk",
        C::Bool(rows.iter().map(|(k, _)| p_of(*k).and_then(|p| pasn[p]).map(|s| s == "PPPK")).collect()),
    );
    r.push(
        "cpns_kurang_10_tahun",
        C::Bool(
            rows.iter()
                .map(|(k, _)| {
                    let cpns = p_of(*k).and_then(|p| pcpns[p])?;
                    let year = i64::from(chrono::Datelike::year(&rsub[*k]?));
                    Some(opts.cpns_min_years > 0 && year - cpns < opts.cpns_min_years)
                })
                .collect(),
        ),
    );
    Ok((t, r))
}

/// The two request tables (`docs/outputs.md`); empty tables with their columns when there is no
/// `permohonan` data.
pub fn request_tables(validated: &Path, opts: &RequestOptions) -> Result<(TableData, TableData), String> {
    let reqs = read_requests(validated, opts.until)?;
    Ok((funnel(&reqs, opts.until), fairness(&reqs, opts)))
}

/// `permohonan_share`: per year and destination OPD, transfers (rotasi, promosi, demosi), how many
/// were requested, their share, and approved requests left without a transfer (by the requested
/// unit's OPD; `tidak_diketahui` when none was named). Built from `permohonan_match`.
pub fn request_share(validated: &Path, matched: &TableData) -> Result<DataFrame, String> {
    let uf = validated.join("unit_kerja.parquet");
    let opd_of = crate::descriptive::units::opd_of(scan(&uf).map_err(|e| e.to_string())?)
        .select([col("unit_id").alias("unit"), col("opd").alias("opd_tujuan")]);
    // A transfer counts in its year and destination OPD; an approved request without one in the
    // year of its decision (else its submission) and the requested unit's OPD.
    let transfer = col("baris").eq(lit("mutasi")).fill_null(lit(false));
    let share = matched
        .to_frame()?
        .lazy()
        .select([
            transfer.clone().alias("pindah"),
            (transfer.clone().and(col("diminta").fill_null(lit(false)))).alias("diminta"),
            when(transfer.clone())
                .then(col("tmt"))
                .otherwise(
                    when(col("tanggal_keputusan").is_null())
                        .then(col("tanggal_pengajuan"))
                        .otherwise(col("tanggal_keputusan")),
                )
                .alias("tanggal"),
            when(transfer).then(col("unit_tujuan_id")).otherwise(col("unit_tujuan_diminta_id")).alias("unit"),
        ])
        .filter(col("tanggal").is_not_null())
        .join(opd_of, [col("unit")], [col("unit")], JoinArgs::new(JoinType::Left))
        .group_by([
            col("tanggal").dt().year().cast(DataType::Int64).alias("tahun"),
            col("opd_tujuan").fill_null(lit(UNKNOWN)),
        ])
        .agg([
            col("pindah").sum().cast(DataType::Int64).alias("mutasi"),
            col("diminta").sum().cast(DataType::Int64).alias("mutasi_diminta"),
            col("pindah").not().sum().cast(DataType::Int64).alias("disetujui_tanpa_mutasi"),
        ])
        .select([
            col("tahun"),
            col("opd_tujuan"),
            col("mutasi"),
            col("mutasi_diminta"),
            when(col("mutasi").gt(lit(0i64)))
                .then(col("mutasi_diminta").cast(DataType::Float64) / col("mutasi").cast(DataType::Float64))
                .otherwise(lit(NULL).cast(DataType::Float64))
                .alias("porsi_diminta"),
            col("disetujui_tanpa_mutasi"),
        ])
        .sort(["tahun", "opd_tujuan"], SortMultipleOptions::default());
    collect(share, &uf).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    fn req(sub: NaiveDate, status: &str, dec: Option<NaiveDate>, gender: &str) -> Request {
        Request {
            submitted: sub,
            status: status.into(),
            decided: dec,
            opd: "Dinas Kesehatan".into(),
            attrs: [gender.into(), "III".into(), "PNS".into(), "Dinas Kesehatan".into(), "Fungsional".into()],
        }
    }

    #[test]
    fn funnel_counts_submissions_decisions_and_the_backlog() {
        let reqs = vec![
            req(d(2024, 1, 5), "disetujui", Some(d(2024, 2, 4)), "L"),
            req(d(2024, 1, 20), "ditolak", Some(d(2024, 1, 30)), "P"),
            req(d(2024, 2, 1), "diproses", None, "P"),
            req(d(2024, 2, 3), "dibatalkan", None, "L"),
        ];
        let t = funnel(&reqs, Some(d(2024, 3, 31)));
        assert_eq!(t.height(), 3);
        let col = |name: &str| match t.get(name) {
            Some(C::I64(v)) => v.iter().map(|x| x.expect("v")).collect::<Vec<_>>(),
            other => panic!("{other:?}"),
        };
        assert_eq!(col("diajukan"), [2, 2, 0]);
        assert_eq!(col("diputuskan"), [1, 1, 0]);
        assert_eq!(col("disetujui"), [0, 1, 0]);
        assert_eq!(col("ditolak"), [1, 0, 0]);
        // January: the first request is open at month end; February: the pending one; March too.
        assert_eq!(col("belum_diputuskan"), [1, 1, 1]);
        match t.get("hari_median") {
            Some(C::F64(v)) => assert_eq!((v[0], v[1], v[2]), (Some(10.0), Some(30.0), None)),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_large_credible_gap_is_flagged_and_small_groups_suppressed() {
        let mut reqs = Vec::new();
        for k in 0..60 {
            // Men approved 45 of 60, women 24 of 60.
            let status = if k < 45 { "disetujui" } else { "ditolak" };
            reqs.push(req(d(2024, 1, 1), status, Some(d(2024, 2, 1)), "L"));
            let status = if k < 24 { "disetujui" } else { "ditolak" };
            reqs.push(req(d(2024, 1, 1), status, Some(d(2024, 2, 1)), "P"));
        }
        reqs.push(req(d(2024, 1, 1), "disetujui", Some(d(2024, 2, 1)), "X"));
        let t = fairness(&reqs, &RequestOptions::default());
        let rows: Vec<(String, String)> = (0..t.height())
            .map(|i| {
                (
                    t.str_at("dimensi", i).unwrap_or_default().into(),
                    t.str_at("kelompok", i).unwrap_or_default().into(),
                )
            })
            .collect();
        let flag = match t.get("ditandai") {
            Some(C::Bool(v)) => v.clone(),
            other => panic!("{other:?}"),
        };
        let rate = match t.get("tingkat_persetujuan") {
            Some(C::F64(v)) => v.clone(),
            other => panic!("{other:?}"),
        };
        let at = |dim: &str, g: &str| rows.iter().position(|(a, b)| a == dim && b == g).expect("row");
        assert_eq!(rate[at("jenis_kelamin", "L")], Some(0.75));
        assert_eq!(rate[at("jenis_kelamin", "P")], Some(0.40));
        assert_eq!(flag[at("jenis_kelamin", "L")], Some(true));
        assert_eq!(flag[at("jenis_kelamin", "P")], Some(true));
        assert_eq!(rate[at("jenis_kelamin", "X")], None, "a group of one is suppressed");
        assert_eq!(flag[at("status_asn", "PNS")], Some(false), "one group: nothing to compare");
    }
}
