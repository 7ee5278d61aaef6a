//! `permohonan_funnel` and `permohonan_fairness` as Polars queries over the validated tables.
//!
//! [`requests`] joins each request to its author (`pegawai`) and origin OPD (`unit_kerja`) once;
//! [`funnel`] counts per month and OPD (a grid of every month and OPD, left-joined to the
//! counts, so a quiet month reads 0), and [`fairness`] groups the decided requests per
//! dimension. Only the rates' intervals and tests run on plain slices, in `mutasi_stats`.

use std::path::Path;

use chrono::NaiveDate;
use polars::prelude::*;

use super::{RequestOptions, UNKNOWN};
use mutasi_io::data::frame::{TableError, scan};
use mutasi_stats::proportion::{equal_rates_test, wilson};

/// The attributes approval rates are compared by, as columns of [`requests`].
pub const DIMENSIONS: [&str; 5] =
    ["jenis_kelamin", "golongan_kelompok", "status_asn", "opd_asal", "jenis_jabatan"];

/// Whether a status closes a request with a decision.
fn is_decided(status: Expr) -> Expr {
    status.clone().eq(lit("disetujui")).or(status.eq(lit("ditolak")))
}

/// The golongan's group: I … IV for PNS; PPPK golongan (I … XVII in roman) as "PPPK".
pub fn golongan_group(g: &str) -> String {
    match g.split('/').next() {
        Some(head) if g.contains('/') => head.to_string(),
        Some(_) if !g.is_empty() => "PPPK".into(),
        _ => UNKNOWN.into(),
    }
}

/// Days since 1970-01-01 of a date column, as an integer.
fn day_number(e: Expr) -> Expr {
    e.cast(DataType::Int32).cast(DataType::Int64)
}

/// Month key (year × 12 + month − 1) of a date column.
fn month_key(e: Expr) -> Expr {
    e.clone().dt().year().cast(DataType::Int64) * lit(12i64) + e.dt().month().cast(DataType::Int64)
        - lit(1i64)
}

/// The requests submitted up to `until`, one row each: `diajukan` (date), `status`,
/// `diputuskan` (the decision date, null when none is known by `until`), `opd` (of the origin
/// unit, else of the author's unit) and the [`DIMENSIONS`]. A decision after `until` is not known
/// yet: its request reads `diproses`. Requests without an author, status or date are left out.
pub fn requests(validated: &Path, until: Option<NaiveDate>) -> Result<LazyFrame, TableError> {
    let pf = validated.join("pegawai.parquet");
    // One row per employee, read once: the golongan lookup below comes from these rows.
    let people = mutasi_io::data::frame::collect(
        scan(&pf)?
            .select([
                col("pegawai_id"),
                col("jenis_kelamin"),
                col("golongan"),
                col("status_asn"),
                col("jenis_jabatan"),
                col("unit_id").alias("unit_pegawai"),
            ])
            .unique_stable(Some(cols(["pegawai_id"])), UniqueKeepStrategy::Last),
        &pf,
    )?;
    // The golongan groups of the few distinct golongan texts, as a lookup table.
    let distinct = people
        .column("golongan")
        .and_then(|c| c.as_materialized_series().drop_nulls().unique_stable())
        .map_err(|source| TableError::Polars { path: pf.clone(), source })?;
    let texts: Vec<Option<&str>> = distinct
        .str()
        .map(|s| s.iter().collect())
        .map_err(|source| TableError::Polars { path: pf.clone(), source })?;
    let people = people.lazy();
    let groups: Vec<String> = texts.iter().map(|g| golongan_group(g.unwrap_or_default())).collect();
    let golongan = DataFrame::new(
        texts.len(),
        vec![Column::new("golongan".into(), texts), Column::new("golongan_kelompok".into(), groups)],
    )
    .map_err(|source| TableError::Polars { path: pf.clone(), source })?;
    let uf = validated.join("unit_kerja.parquet");
    let opd_of = crate::descriptive::units::opd_of(scan(&uf)?);
    let rf = validated.join("permohonan.parquet");
    let mut reqs = scan(&rf)?
        .select([
            col("pegawai_id"),
            col("status"),
            col("unit_asal_id"),
            col("tanggal_pengajuan").alias("diajukan"),
            col("tanggal_keputusan"),
        ])
        .filter(
            col("pegawai_id")
                .is_not_null()
                .and(col("status").is_not_null())
                .and(col("diajukan").is_not_null()),
        );
    let known = |e: Expr| match until {
        Some(u) => e.lt_eq(lit(u)),
        None => lit(true),
    };
    if until.is_some() {
        reqs = reqs.filter(known(col("diajukan")));
    }
    let decided = is_decided(col("status"));
    let unknown = |name: &str| col(name).fill_null(lit(UNKNOWN));
    Ok(reqs
        .join(people, [col("pegawai_id")], [col("pegawai_id")], JoinArgs::new(JoinType::Left))
        .join(golongan.lazy(), [col("golongan")], [col("golongan")], JoinArgs::new(JoinType::Left))
        .with_column(
            when(col("unit_asal_id").is_null())
                .then(col("unit_pegawai"))
                .otherwise(col("unit_asal_id"))
                .alias("unit"),
        )
        .join(opd_of, [col("unit")], [col("unit_id")], JoinArgs::new(JoinType::Left))
        .with_column(
            when(known(col("tanggal_keputusan")))
                .then(col("tanggal_keputusan"))
                .otherwise(lit(NULL).cast(DataType::Date))
                .alias("diputuskan"),
        )
        .select([
            col("diajukan"),
            when(decided.and(col("diputuskan").is_null()).and(col("tanggal_keputusan").is_not_null()))
                .then(lit("diproses"))
                .otherwise(col("status"))
                .alias("status"),
            col("diputuskan"),
            unknown("opd"),
            unknown("jenis_kelamin"),
            unknown("golongan_kelompok"),
            unknown("status_asn"),
            unknown("opd").alias("opd_asal"),
            unknown("jenis_jabatan"),
        ]))
}

/// `YYYY-MM` of a month key.
fn label(key: i64) -> String {
    format!("{:04}-{:02}", key.div_euclid(12), key.rem_euclid(12) + 1)
}

/// The funnel per month and OPD, from the first month with a request to `until` (else the last
/// such month): requests submitted, decided, approved and rejected that month, still open at its
/// end (cancelled requests are not counted: their cancellation date is unknown), and the median
/// and 90th percentile of days from submission to decision (type 7, R's default).
pub fn funnel(reqs: LazyFrame, until: Option<NaiveDate>, path: &Path) -> Result<DataFrame, TableError> {
    let fail = |source: PolarsError| TableError::Polars { path: path.to_path_buf(), source };
    let reqs = reqs
        .select([
            col("opd"),
            col("status"),
            month_key(col("diajukan")).alias("bulan_diajukan"),
            month_key(col("diputuskan")).alias("bulan_diputuskan"),
            (day_number(col("diputuskan")) - day_number(col("diajukan")))
                .cast(DataType::Float64)
                .alias("hari"),
        ])
        .cache();
    let span = mutasi_io::data::frame::collect(
        reqs.clone()
            .select([col("bulan_diajukan").min().alias("first"), col("bulan_diajukan").max().alias("last")]),
        path,
    )?;
    let first = span.column("first").and_then(|c| c.i64().map(|c| c.get(0))).map_err(fail)?;
    let last = match until {
        Some(u) => Some(i64::from(mutasi_domain::normalize::period::Period::of_date(u).month_key())),
        None => span.column("last").and_then(|c| c.i64().map(|c| c.get(0))).map_err(fail)?,
    };
    let months: Vec<i64> = match (first, last) {
        (Some(f), Some(l)) => (f..=l).collect(),
        _ => Vec::new(),
    };
    let end = months.last().map_or(0, |l| l + 1);
    let labels: Vec<String> = months.iter().map(|m| label(*m)).collect();
    let months = DataFrame::new(
        months.len(),
        vec![Column::new("bulan_ke".into(), months), Column::new("periode".into(), labels)],
    )
    .map_err(fail)?;
    let opds = reqs.clone().select([col("opd")]).unique(None, UniqueKeepStrategy::First);
    let grid = months.lazy().cross_join(opds, None);
    let keys = || [col("bulan_ke"), col("opd")];
    let submitted = reqs
        .clone()
        .group_by([col("bulan_diajukan").alias("bulan_ke"), col("opd")])
        .agg([len().cast(DataType::Int64).alias("diajukan")]);
    let decided_rows =
        reqs.clone().filter(is_decided(col("status"))).filter(col("bulan_diputuskan").is_not_null());
    let decided = decided_rows.group_by([col("bulan_diputuskan").alias("bulan_ke"), col("opd")]).agg([
        len().cast(DataType::Int64).alias("diputuskan"),
        col("status").eq(lit("disetujui")).sum().cast(DataType::Int64).alias("disetujui"),
        col("status").eq(lit("ditolak")).sum().cast(DataType::Int64).alias("ditolak"),
        col("hari").quantile(lit(0.5), QuantileMethod::Linear).alias("hari_median"),
        col("hari").quantile(lit(0.9), QuantileMethod::Linear).alias("hari_p90"),
    ]);
    // Open at the end of month m: submitted by m, and decided after m (or not yet).
    let open = grid
        .clone()
        .join(
            reqs.filter(col("status").neq(lit("dibatalkan"))).select([
                col("opd"),
                col("bulan_diajukan"),
                col("bulan_diputuskan").fill_null(lit(end)).alias("sampai"),
            ]),
            [col("opd")],
            [col("opd")],
            JoinArgs::new(JoinType::Inner),
        )
        .filter(col("bulan_diajukan").lt_eq(col("bulan_ke")).and(col("bulan_ke").lt(col("sampai"))))
        .group_by(keys())
        .agg([len().cast(DataType::Int64).alias("belum_diputuskan")]);
    let left = || JoinArgs::new(JoinType::Left);
    let counts = ["diajukan", "diputuskan", "disetujui", "ditolak", "belum_diputuskan"];
    let table = grid
        .join(submitted, keys(), keys(), left())
        .join(decided, keys(), keys(), left())
        .join(open, keys(), keys(), left())
        .sort(["bulan_ke", "opd"], SortMultipleOptions::default())
        .select(
            [col("periode"), col("opd")]
                .into_iter()
                .chain(counts.iter().map(|c| col(*c).fill_null(lit(0i64))))
                .chain([col("hari_median"), col("hari_p90")])
                .collect::<Vec<_>>(),
        );
    mutasi_io::data::frame::collect(table, path)
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

/// Approval rates of the decided requests by group, for each of the [`DIMENSIONS`]: the groups
/// and their counts from a Polars group-by, the intervals and tests from `mutasi_stats`.
pub fn fairness(reqs: LazyFrame, opts: &RequestOptions, path: &Path) -> Result<DataFrame, TableError> {
    let fail = |source: PolarsError| TableError::Polars { path: path.to_path_buf(), source };
    let decided = reqs
        .filter(is_decided(col("status")))
        .filter(col("diputuskan").is_not_null())
        .with_column(
            (day_number(col("diputuskan")) - day_number(col("diajukan")))
                .cast(DataType::Float64)
                .alias("hari"),
        )
        .cache();
    let mut out: Vec<GroupRate> = Vec::new();
    for dim in DIMENSIONS {
        let groups = mutasi_io::data::frame::collect(
            decided
                .clone()
                .group_by([col(dim).alias("kelompok")])
                .agg([
                    len().cast(DataType::UInt64).alias("n"),
                    col("status").eq(lit("disetujui")).sum().cast(DataType::UInt64).alias("disetujui"),
                    col("hari").median().alias("hari_median"),
                ])
                .sort(["kelompok"], SortMultipleOptions::default()),
            path,
        )?;
        let names: Vec<String> = groups
            .column("kelompok")
            .and_then(|c| c.str().map(|s| s.iter().map(|g| g.unwrap_or(UNKNOWN).to_string()).collect()))
            .map_err(fail)?;
        let counts = |name: &str| -> Result<Vec<u64>, TableError> {
            groups
                .column(name)
                .and_then(|c| c.u64().map(|c| c.iter().map(|x| x.unwrap_or(0)).collect()))
                .map_err(fail)
        };
        let (n, approved) = (counts("n")?, counts("disetujui")?);
        let median: Vec<Option<f64>> =
            groups.column("hari_median").and_then(|c| c.f64().map(|c| c.iter().collect())).map_err(fail)?;
        let big: Vec<(u64, u64)> = approved
            .iter()
            .zip(&n)
            .filter(|(_, n)| **n as usize >= opts.min_group)
            .map(|(s, n)| (*s, *n))
            .collect();
        let (s_all, n_all) = big.iter().fold((0, 0), |(a, b), (s, n)| (a + s, b + n));
        let p_value = equal_rates_test(&big).map(|(_, _, p)| p);
        for (k, name) in names.into_iter().enumerate() {
            let (s, n) = (approved[k], n[k]);
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
                group: name,
                n,
                approved: s,
                rate,
                ci,
                p_value,
                flagged,
                median_days: if small { None } else { median[k] },
            });
        }
    }
    let f = |g: &dyn Fn(&GroupRate) -> Option<f64>| out.iter().map(g).collect::<Vec<_>>();
    DataFrame::new(
        out.len(),
        vec![
            Column::new("dimensi".into(), out.iter().map(|r| r.dimension).collect::<Vec<_>>()),
            Column::new("kelompok".into(), out.iter().map(|r| r.group.as_str()).collect::<Vec<_>>()),
            Column::new("n".into(), out.iter().map(|r| r.n as i64).collect::<Vec<_>>()),
            Column::new(
                "disetujui".into(),
                out.iter().map(|r| r.rate.map(|_| r.approved as i64)).collect::<Vec<_>>(),
            ),
            Column::new("tingkat_persetujuan".into(), f(&|r| r.rate)),
            Column::new("ci_low".into(), f(&|r| r.ci.map(|c| c.0))),
            Column::new("ci_high".into(), f(&|r| r.ci.map(|c| c.1))),
            Column::new("p_value".into(), f(&|r| r.p_value)),
            Column::new("ditandai".into(), out.iter().map(|r| r.flagged).collect::<Vec<_>>()),
            Column::new("ditekan".into(), out.iter().map(|r| r.rate.is_none()).collect::<Vec<_>>()),
            Column::new("hari_median".into(), f(&|r| r.median_days)),
        ],
    )
    .map_err(fail)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    /// A date column from dates (Polars' `Date`: days since 1970-01-01).
    fn dates(name: &str, v: &[Option<NaiveDate>]) -> Column {
        let epoch = d(1970, 1, 1);
        let days: Vec<Option<i32>> = v.iter().map(|x| x.map(|x| (x - epoch).num_days() as i32)).collect();
        Column::new(name.into(), days).cast(&DataType::Date).expect("date column")
    }

    /// Requests as [`requests`] gives them: every request by a man or a woman of golongan III in
    /// one OPD.
    fn reqs(rows: &[(NaiveDate, &str, Option<NaiveDate>, &str)]) -> LazyFrame {
        let n = rows.len();
        let text = |name: &str, f: &dyn Fn(usize) -> String| {
            Column::new(name.into(), (0..n).map(f).collect::<Vec<_>>())
        };
        DataFrame::new(
            n,
            vec![
                dates("diajukan", &rows.iter().map(|r| Some(r.0)).collect::<Vec<_>>()),
                text("status", &|i| rows[i].1.to_string()),
                dates("diputuskan", &rows.iter().map(|r| r.2).collect::<Vec<_>>()),
                text("opd", &|_| "Dinas Kesehatan".into()),
                text("jenis_kelamin", &|i| rows[i].3.to_string()),
                text("golongan_kelompok", &|_| "III".into()),
                text("status_asn", &|_| "PNS".into()),
                text("opd_asal", &|_| "Dinas Kesehatan".into()),
                text("jenis_jabatan", &|_| "Fungsional".into()),
            ],
        )
        .expect("frame")
        .lazy()
    }

    fn ints(df: &DataFrame, name: &str) -> Vec<i64> {
        df.column(name).expect("column").i64().expect("i64").into_no_null_iter().collect()
    }

    fn floats(df: &DataFrame, name: &str) -> Vec<Option<f64>> {
        df.column(name).expect("column").f64().expect("f64").iter().collect()
    }

    fn texts(df: &DataFrame, name: &str) -> Vec<String> {
        df.column(name)
            .expect("column")
            .str()
            .expect("str")
            .iter()
            .map(|s| s.unwrap_or("").to_string())
            .collect()
    }

    /// Worked by hand: January has two submissions and one decision (10 days), February two
    /// submissions and one approval (30 days), March nothing; the approval decided in February
    /// and the pending request are open at the ends of January and February/March; the cancelled
    /// request is never open.
    #[test]
    fn funnel_counts_submissions_decisions_and_the_backlog() {
        let r = reqs(&[
            (d(2024, 1, 5), "disetujui", Some(d(2024, 2, 4)), "L"),
            (d(2024, 1, 20), "ditolak", Some(d(2024, 1, 30)), "P"),
            (d(2024, 2, 1), "diproses", None, "P"),
            (d(2024, 2, 3), "dibatalkan", None, "L"),
        ]);
        let t = funnel(r, Some(d(2024, 3, 31)), Path::new("permohonan.parquet")).expect("funnel");
        assert_eq!(texts(&t, "periode"), ["2024-01", "2024-02", "2024-03"]);
        assert_eq!(ints(&t, "diajukan"), [2, 2, 0]);
        assert_eq!(ints(&t, "diputuskan"), [1, 1, 0]);
        assert_eq!(ints(&t, "disetujui"), [0, 1, 0]);
        assert_eq!(ints(&t, "ditolak"), [1, 0, 0]);
        assert_eq!(ints(&t, "belum_diputuskan"), [1, 1, 1]);
        assert_eq!(floats(&t, "hari_median"), [Some(10.0), Some(30.0), None]);
        assert_eq!(floats(&t, "hari_p90"), [Some(10.0), Some(30.0), None]);
    }

    /// Days 10, 20, 30, 40 decided in one month: median 25, 90th percentile (type 7) at
    /// h = 0.9 × 3 = 2.7, 30 + 0.7 × 10 = 37. Without a period, the funnel ends with the last
    /// month with a submission, so a later decision is outside it. No requests at all gives the
    /// columns and no rows.
    #[test]
    fn funnel_quantiles_are_type_7_and_an_empty_funnel_keeps_its_columns() {
        let r = reqs(&[
            (d(2024, 4, 21), "disetujui", Some(d(2024, 5, 1)), "L"),
            (d(2024, 4, 21), "disetujui", Some(d(2024, 5, 11)), "L"),
            (d(2024, 4, 21), "ditolak", Some(d(2024, 5, 21)), "L"),
            (d(2024, 4, 21), "ditolak", Some(d(2024, 5, 31)), "L"),
        ]);
        let t = funnel(r, Some(d(2024, 5, 31)), Path::new("p")).expect("funnel");
        assert_eq!(texts(&t, "periode"), ["2024-04", "2024-05"]);
        assert_eq!(floats(&t, "hari_median"), [None, Some(25.0)]);
        assert_eq!(floats(&t, "hari_p90"), [None, Some(37.0)]);
        assert_eq!(ints(&t, "belum_diputuskan"), [4, 0]);
        let r = reqs(&[
            (d(2024, 5, 1), "disetujui", Some(d(2024, 5, 11)), "L"),
            (d(2024, 4, 30), "ditolak", Some(d(2024, 6, 9)), "L"),
        ]);
        let t = funnel(r, None, Path::new("p")).expect("funnel");
        assert_eq!(texts(&t, "periode"), ["2024-04", "2024-05"]);
        assert_eq!(ints(&t, "diputuskan"), [0, 1]);
        assert_eq!(ints(&t, "belum_diputuskan"), [1, 1]);
        let t = funnel(reqs(&[]), None, Path::new("p")).expect("empty funnel");
        assert_eq!((t.height(), t.width()), (0, 9));
    }

    /// Men approved 45 of 60, women 24 of 60: both flagged; a group of one is suppressed; a
    /// dimension with one group has nothing to compare.
    #[test]
    fn a_large_credible_gap_is_flagged_and_small_groups_suppressed() {
        let mut rows = Vec::new();
        for k in 0..60 {
            rows.push((
                d(2024, 1, 1),
                if k < 45 { "disetujui" } else { "ditolak" },
                Some(d(2024, 2, 1)),
                "L",
            ));
            rows.push((
                d(2024, 1, 1),
                if k < 24 { "disetujui" } else { "ditolak" },
                Some(d(2024, 2, 1)),
                "P",
            ));
        }
        rows.push((d(2024, 1, 1), "disetujui", Some(d(2024, 2, 1)), "X"));
        let t = fairness(reqs(&rows), &RequestOptions::default(), Path::new("p")).expect("fairness");
        let (dims, groups) = (texts(&t, "dimensi"), texts(&t, "kelompok"));
        let at =
            |dim: &str, g: &str| (0..t.height()).find(|i| dims[*i] == dim && groups[*i] == g).expect("row");
        let rate = floats(&t, "tingkat_persetujuan");
        let flag: Vec<bool> =
            t.column("ditandai").expect("c").bool().expect("b").iter().map(|b| b.unwrap_or(false)).collect();
        assert_eq!(rate[at("jenis_kelamin", "L")], Some(0.75));
        assert_eq!(rate[at("jenis_kelamin", "P")], Some(0.40));
        assert!(flag[at("jenis_kelamin", "L")] && flag[at("jenis_kelamin", "P")]);
        assert_eq!(rate[at("jenis_kelamin", "X")], None, "a group of one is suppressed");
        assert!(!flag[at("status_asn", "PNS")], "one group: nothing to compare");
        assert_eq!(floats(&t, "hari_median")[at("jenis_kelamin", "L")], Some(31.0));
    }

    /// The joins: the author's attributes and golongan group, the origin unit's OPD (else the
    /// author's unit's), a decision after the period read as still in process, and a request
    /// without a status left out.
    #[test]
    fn requests_join_authors_and_units() {
        let dir = tempfile::tempdir().expect("tmp");
        let write = |name: &str, df: DataFrame| {
            mutasi_io::data::frame::write(df, &dir.path().join(name)).expect("write");
        };
        let s = |name: &str, v: &[Option<&str>]| Column::new(name.into(), v.to_vec());
        write(
            "pegawai.parquet",
            DataFrame::new(
                2,
                vec![
                    s("pegawai_id", &[Some("A"), Some("B")]),
                    s("jenis_kelamin", &[Some("P"), None]),
                    s("golongan", &[Some("III/b"), Some("IX")]),
                    s("status_asn", &[Some("PNS"), Some("PPPK")]),
                    s("jenis_jabatan", &[Some("Fungsional"), Some("Pelaksana")]),
                    s("unit_id", &[Some("PKM01"), Some("SD05")]),
                ],
            )
            .expect("pegawai"),
        );
        write(
            "unit_kerja.parquet",
            DataFrame::new(
                2,
                vec![
                    s("unit_id", &[Some("PKM01"), Some("SD05")]),
                    s("opd", &[Some("Dinas Kesehatan"), None]),
                ],
            )
            .expect("units"),
        );
        write(
            "permohonan.parquet",
            DataFrame::new(
                4,
                vec![
                    s("pegawai_id", &[Some("A"), Some("B"), Some("C"), Some("A")]),
                    s("status", &[Some("disetujui"), Some("ditolak"), Some("diproses"), None]),
                    s("unit_asal_id", &[None, Some("PKM01"), None, None]),
                    dates(
                        "tanggal_pengajuan",
                        &[Some(d(2024, 1, 5)), Some(d(2024, 1, 9)), Some(d(2024, 2, 1)), Some(d(2024, 2, 2))],
                    ),
                    dates("tanggal_keputusan", &[Some(d(2024, 4, 2)), Some(d(2024, 2, 1)), None, None]),
                ],
            )
            .expect("requests"),
        );
        let r = mutasi_io::data::frame::collect(
            requests(dir.path(), Some(d(2024, 3, 31))).expect("plan"),
            Path::new("p"),
        )
        .expect("requests");
        assert_eq!(r.height(), 3, "the request without a status is left out");
        assert_eq!(
            texts(&r, "status"),
            ["diproses", "ditolak", "diproses"],
            "April's approval is not known in March"
        );
        assert_eq!(texts(&r, "opd"), ["Dinas Kesehatan", "Dinas Kesehatan", UNKNOWN]);
        assert_eq!(texts(&r, "jenis_kelamin"), ["P", UNKNOWN, UNKNOWN]);
        assert_eq!(texts(&r, "golongan_kelompok"), ["III", "PPPK", UNKNOWN]);
        assert_eq!(texts(&r, "status_asn"), ["PNS", "PPPK", UNKNOWN]);
        assert!(r.column("diputuskan").expect("c").is_null().get(0).expect("row"));
    }

    #[test]
    fn golongan_groups() {
        assert_eq!(golongan_group("III/b"), "III");
        assert_eq!(golongan_group("IX"), "PPPK");
        assert_eq!(golongan_group(""), UNKNOWN);
    }
}
