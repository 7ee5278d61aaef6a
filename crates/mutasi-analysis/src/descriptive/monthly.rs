//! `mutasi_bulanan`: transfers per month and kind, with the month before and the change, for
//! "what happened this month" (descriptive counts, not effects).
//!
//! Every month from the first transfer to the run's period appears for every kind seen, so a
//! month without transfers of a kind reads 0 rather than missing (a cross join of months and
//! kinds, left-joined to the counts). Counts of 1 to k − 1 are withheld; because the month's
//! total (`n_bulan`) is shown, the next smallest count of that month is withheld with it
//! (complementary suppression), and a withheld count stays withheld where it reappears as the
//! next month's `n_bulan_lalu`. A month whose total is itself under k shows no numbers.

use std::path::Path;

use polars::prelude::*;

use mutasi_domain::suppress::complementary;
use mutasi_io::data::frame::{TableError, categorical, collect, scan};

/// The label of transfers whose kind the data do not give.
pub const UNKNOWN_KIND: &str = "tidak_diketahui";

/// `YYYY-MM` of a month key (year × 12 + month − 1).
fn label(key: i64) -> String {
    format!("{:04}-{:02}", key.div_euclid(12), key.rem_euclid(12) + 1)
}

/// Transfers per month (up to the month key `until`) and kind from `validated/mutasi.parquet`,
/// with counts under `k` suppressed as the module says.
pub fn monthly_transfers(validated: &Path, until: Option<i64>, k: u64) -> Result<DataFrame, TableError> {
    let path = validated.join("mutasi.parquet");
    let fail = |source: PolarsError| TableError::Polars { path: path.clone(), source };
    let month = (col("tmt").dt().year().cast(DataType::Int64) * lit(12i64)
        + col("tmt").dt().month().cast(DataType::Int64)
        - lit(1i64))
    .alias("bulan_ke");
    let kind = col("jenis_mutasi").cast(DataType::String).fill_null(lit(UNKNOWN_KIND)).alias("jenis_mutasi");
    let mut rows = scan(&path)?.select([month, kind]);
    if let Some(u) = until {
        rows = rows.filter(col("bulan_ke").lt_eq(lit(u)));
    }
    let counts = collect(
        rows.group_by([col("bulan_ke"), col("jenis_mutasi")])
            .agg([len().cast(DataType::Int64).alias("n_mutasi")]),
        &path,
    )?;
    let keys = counts.column("bulan_ke").and_then(|c| c.i64().cloned()).map_err(fail)?;
    let (Some(first), Some(last_seen)) = (keys.min(), keys.max()) else {
        return empty().map_err(fail);
    };
    let last = until.unwrap_or(last_seen).max(last_seen);
    let span: Vec<i64> = (first..=last).collect();
    let labels: Vec<String> = span.iter().map(|m| label(*m)).collect();
    let months = DataFrame::new(
        span.len(),
        vec![Column::new("bulan_ke".into(), span), Column::new("bulan".into(), labels)],
    )
    .map_err(fail)?;
    let kinds = counts.clone().lazy().select([col("jenis_mutasi")]).unique(None, UniqueKeepStrategy::First);
    let by_month = |e: Expr| e.over([col("bulan_ke")]);
    let grid = months
        .lazy()
        .cross_join(kinds, None)
        .join(
            counts.lazy(),
            [col("bulan_ke"), col("jenis_mutasi")],
            [col("bulan_ke"), col("jenis_mutasi")],
            JoinArgs::new(JoinType::Left),
        )
        .with_column(col("n_mutasi").fill_null(lit(0i64)))
        .with_column(by_month(col("n_mutasi").sum()).map_err(fail)?.alias("n_bulan"))
        .sort(["bulan_ke", "jenis_mutasi"], SortMultipleOptions::default());
    let grid = collect(grid, &path)?;

    // Which cells to withhold: per month, on plain slices (mutasi_domain::suppress).
    let month_of = grid.column("bulan_ke").and_then(|c| c.i64().cloned()).map_err(fail)?;
    let n = grid.column("n_mutasi").and_then(|c| c.i64().cloned()).map_err(fail)?;
    let total = grid.column("n_bulan").and_then(|c| c.i64().cloned()).map_err(fail)?;
    let month_of: Vec<i64> = month_of.into_no_null_iter().collect();
    let n: Vec<u64> = n.into_no_null_iter().map(|x| x.max(0) as u64).collect();
    let total: Vec<u64> = total.into_no_null_iter().map(|x| x.max(0) as u64).collect();
    let mut hidden = vec![false; n.len()];
    let mut start = 0;
    while start < n.len() {
        let end = (start..n.len()).find(|i| month_of[*i] != month_of[start]).unwrap_or(n.len());
        let small_month = total[start] > 0 && total[start] < k;
        let flags = complementary(&n[start..end], k);
        for (i, f) in (start..end).zip(flags) {
            hidden[i] = f || (small_month && n[i] > 0);
        }
        start = end;
    }
    let mut grid = grid;
    grid.with_column(Column::new("ditekan".into(), hidden)).map_err(fail)?;

    let withheld = |e: Expr, hide: Expr| when(hide).then(lit(NULL).cast(DataType::Int64)).otherwise(e);
    let previous = |e: Expr| {
        e.shift(lit(1)).over_with_options(
            Some([col("jenis_mutasi")]),
            Some(([col("bulan_ke")], SortOptions::default())),
            WindowMapping::default(),
        )
    };
    let small_month = col("n_bulan").gt(lit(0i64)).and(col("n_bulan").lt(lit(k as i64)));
    let out = grid
        .lazy()
        .with_columns([
            previous(col("n_mutasi")).map_err(fail)?.alias("lalu"),
            previous(col("ditekan")).map_err(fail)?.alias("lalu_ditekan"),
        ])
        .select([
            col("bulan"),
            col("jenis_mutasi").cast(categorical()),
            withheld(col("n_mutasi"), col("ditekan")).alias("n_mutasi"),
            withheld(col("lalu"), col("lalu_ditekan").fill_null(lit(false))).alias("n_bulan_lalu"),
            withheld(
                col("n_mutasi") - col("lalu"),
                col("ditekan").or(col("lalu_ditekan").fill_null(lit(false))),
            )
            .alias("perubahan"),
            withheld(col("n_bulan"), small_month).alias("n_bulan"),
            col("ditekan"),
        ]);
    collect(out, &path)
}

/// The table with no rows (no transfer up to the period).
fn empty() -> PolarsResult<DataFrame> {
    let none = |name: &str, dtype: DataType| Column::new_empty(name.into(), &dtype);
    DataFrame::new(
        0,
        vec![
            none("bulan", DataType::String),
            none("jenis_mutasi", categorical()),
            none("n_mutasi", DataType::Int64),
            none("n_bulan_lalu", DataType::Int64),
            none("perubahan", DataType::Int64),
            none("n_bulan", DataType::Int64),
            none("ditekan", DataType::Boolean),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes a `mutasi.parquet` with these (tmt, jenis_mutasi) rows.
    fn mutasi(dir: &Path, rows: &[(&str, Option<&str>)]) {
        let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).expect("epoch");
        let days: Vec<i32> = rows
            .iter()
            .map(|(d, _)| {
                (chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").expect("date") - epoch).num_days() as i32
            })
            .collect();
        let kinds: Vec<Option<&str>> = rows.iter().map(|(_, k)| *k).collect();
        let mut df = DataFrame::new(
            rows.len(),
            vec![
                Column::new("tmt".into(), days).cast(&DataType::Date).expect("date"),
                Column::new("jenis_mutasi".into(), kinds),
            ],
        )
        .expect("frame");
        let file = std::fs::File::create(dir.join("mutasi.parquet")).expect("file");
        ParquetWriter::new(file).finish(&mut df).expect("write");
    }

    /// The table as text rows, `NULL` for a missing value.
    fn rows(df: &DataFrame) -> Vec<String> {
        (0..df.height())
            .map(|i| {
                df.columns()
                    .iter()
                    .map(|c| match c.get(i).expect("cell") {
                        AnyValue::Null => "NULL".to_string(),
                        AnyValue::String(s) => s.to_string(),
                        AnyValue::Categorical(..) | AnyValue::CategoricalOwned(..) => c
                            .cast(&DataType::String)
                            .expect("text")
                            .get(i)
                            .expect("cell")
                            .str_value()
                            .to_string(),
                        v => v.to_string(),
                    })
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect()
    }

    /// Worked by hand, k = 2. January: rotasi 3, promosi 2, demosi 1 (total 6): demosi is small,
    /// and the total is shown, so the next smallest (promosi) is withheld with it. February: none.
    /// March: rotasi 2 (on the 31st). April is after the period and left out. February's
    /// "month before" of demosi and promosi stays withheld.
    #[test]
    fn counts_changes_and_withheld_cells_by_hand() {
        let dir = tempfile::tempdir().expect("dir");
        mutasi(
            dir.path(),
            &[
                ("2024-01-02", Some("rotasi")),
                ("2024-01-15", Some("rotasi")),
                ("2024-01-31", Some("rotasi")),
                ("2024-01-10", Some("promosi")),
                ("2024-01-11", Some("promosi")),
                ("2024-01-20", Some("demosi")),
                ("2024-03-01", Some("rotasi")),
                ("2024-03-31", Some("rotasi")),
                ("2024-04-10", Some("rotasi")),
            ],
        );
        let until = 2024 * 12 + 2; // March 2024
        let df = monthly_transfers(dir.path(), Some(until), 2).expect("table");
        assert_eq!(
            df.get_column_names().iter().map(|c| c.as_str()).collect::<Vec<_>>(),
            ["bulan", "jenis_mutasi", "n_mutasi", "n_bulan_lalu", "perubahan", "n_bulan", "ditekan"]
        );
        assert_eq!(df.column("jenis_mutasi").expect("kind").dtype(), &categorical());
        assert_eq!(
            rows(&df),
            [
                "2024-01 demosi NULL NULL NULL 6 true",
                "2024-01 promosi NULL NULL NULL 6 true",
                "2024-01 rotasi 3 NULL NULL 6 false",
                "2024-02 demosi 0 NULL NULL 0 false",
                "2024-02 promosi 0 NULL NULL 0 false",
                "2024-02 rotasi 0 3 -3 0 false",
                "2024-03 demosi 0 0 0 2 false",
                "2024-03 promosi 0 0 0 2 false",
                "2024-03 rotasi 2 0 2 2 false",
            ]
        );
    }

    /// A month whose total is under k shows no numbers; a transfer without a kind is counted as
    /// unknown, not dropped.
    #[test]
    fn a_small_month_is_withheld_and_unknown_kinds_are_kept() {
        let dir = tempfile::tempdir().expect("dir");
        mutasi(dir.path(), &[("2024-05-02", Some("rotasi")), ("2024-05-03", None)]);
        let df = monthly_transfers(dir.path(), None, 3).expect("table");
        assert_eq!(
            rows(&df),
            ["2024-05 rotasi NULL NULL NULL NULL true", "2024-05 tidak_diketahui NULL NULL NULL NULL true"]
        );
        let none = monthly_transfers(dir.path(), Some(2024 * 12), 3).expect("table");
        assert_eq!(none.height(), 0);
        assert_eq!(none.width(), 7);
    }

    #[test]
    fn month_labels() {
        assert_eq!(label(2024 * 12), "2024-01");
        assert_eq!(label(2025 * 12 + 11), "2025-12");
    }
}
