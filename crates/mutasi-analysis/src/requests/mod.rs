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

pub mod funnel;
pub mod matching;

use crate::error::AnalysisError;
use std::collections::HashMap;
use std::path::Path;

use chrono::NaiveDate;
use polars::prelude::*;

use mutasi_io::data::frame::{TableError, collect, scan};
use mutasi_io::data::table::{ColumnData as C, TableData, read_table_shared};

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

/// The label of a value the tables do not give.
pub(crate) const UNKNOWN: &str = "tidak_diketahui";

/// `permohonan_match` (every transfer, requested or not, and every approved request without a
/// transfer) and `permohonan_rules` (every approved request against the rules).
pub fn request_checks(
    validated: &Path,
    opts: &RequestOptions,
) -> Result<(TableData, TableData), AnalysisError> {
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

/// The two request tables (`docs/outputs.md`), `permohonan_funnel` and `permohonan_fairness`;
/// empty tables with their columns when there is no `permohonan` data.
pub fn request_tables(validated: &Path, opts: &RequestOptions) -> Result<(DataFrame, DataFrame), TableError> {
    let reqs = funnel::requests(validated, opts.until)?.cache();
    let path = validated.join("permohonan.parquet");
    Ok((funnel::funnel(reqs.clone(), opts.until, &path)?, funnel::fairness(reqs, opts, &path)?))
}

/// `permohonan_share`: per year and destination OPD, transfers (rotasi, promosi, demosi), how many
/// were requested, their share, and approved requests left without a transfer (by the requested
/// unit's OPD; `tidak_diketahui` when none was named). Built from `permohonan_match`.
pub fn request_share(validated: &Path, matched: &TableData) -> Result<DataFrame, AnalysisError> {
    let uf = validated.join("unit_kerja.parquet");
    let opd_of = crate::descriptive::units::opd_of(scan(&uf)?)
        .select([col("unit_id").alias("unit"), col("opd").alias("opd_tujuan")]);
    // A transfer counts in its year and destination OPD; an approved request without one in the
    // year of its decision (else its submission) and the requested unit's OPD.
    let transfer = col("baris").eq(lit("mutasi")).fill_null(lit(false));
    let share = matched
        .to_frame()
        .map_err(|source| AnalysisError::Frame { table: "permohonan_share", source })?
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
    Ok(collect(share, &uf)?)
}
