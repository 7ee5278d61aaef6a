//! `ikm_per_unit.parquet`: the IKM of every unit and survey period, from the validated `skm`
//! answers, with the sample-adequacy flag and, where `layanan` also reports an IKM for the same
//! unit and period, both values and whether they disagree.
//!
//! The period is the survey's own frequency (semester by default): SKM is never spread into
//! monthly values. The service population N of a unit and period, when the configured `layanan`
//! indicator (visits by default) has values in that period, is their sum; without it
//! `sampel_cukup` is null.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use polars::prelude::*;

use mutasi_domain::ikm::{Grading, Ikm, Mutu, check_weights, ikm, krejcie_morgan};
use mutasi_domain::normalize::period::{Period, PeriodKind};
use mutasi_io::data::frame::{FrameError, collect, scan};

/// Reported IKM values further apart than this (konversi points) are flagged.
pub const DISAGREEMENT: f64 = 0.5;

#[derive(Debug, Clone, PartialEq)]
pub struct IkmOptions {
    /// The survey period.
    pub period: PeriodKind,
    /// `layanan` indicator whose sum over the period is the service population N.
    pub population_indikator: String,
    /// `layanan` indicator holding a pre-aggregated IKM konversi (25–100).
    pub reported_indikator: String,
    /// Per-unit unsur weights (summing to 1), by unit_id.
    pub weights: BTreeMap<String, Vec<f64>>,
    /// Last day used (later answers are ignored).
    pub until: Option<chrono::NaiveDate>,
    /// Mutu intervals of a 9-unsur and of a 14-unsur survey.
    pub grading_9: Grading,
    pub grading_14: Grading,
}

impl IkmOptions {
    /// The intervals a survey of `unsur` unsur is graded by.
    pub fn grading(&self, unsur: usize) -> Grading {
        if unsur == 14 { self.grading_14 } else { self.grading_9 }
    }
}

impl Default for IkmOptions {
    fn default() -> Self {
        IkmOptions {
            period: PeriodKind::Semester,
            population_indikator: "kunjungan".into(),
            reported_indikator: "ikm".into(),
            weights: BTreeMap::new(),
            until: None,
            grading_9: Grading::PERMENPANRB_14_2017,
            grading_14: Grading::KEPMENPAN_25_2004,
        }
    }
}

/// One row of the table.
#[derive(Debug, Clone, PartialEq)]
pub struct IkmRow {
    pub unit_id: String,
    pub period: Period,
    /// 9, or 14 for the older layout.
    pub unsur: usize,
    pub raw: Option<Ikm>,
    pub populasi: Option<f64>,
    pub reported: Option<f64>,
    /// The intervals this survey is graded by.
    pub grading: Grading,
}

impl IkmRow {
    /// The mutu of the reported IKM, by the same intervals.
    pub fn reported_mutu(&self) -> Option<Mutu> {
        self.reported.map(|v| self.grading.grade(v))
    }

    /// The reported IKM disagrees with the one computed from the answers: by more than
    /// [`DISAGREEMENT`] points, or by its mutu however small the gap (portals that weight with
    /// 0,111 instead of 1/9 can cross a boundary).
    pub fn disagrees(&self) -> Option<bool> {
        let computed = self.raw.as_ref()?.konversi?;
        let reported = self.reported?;
        Some(
            (computed - reported).abs() > DISAGREEMENT
                || self.grading.grade(computed) != self.grading.grade(reported),
        )
    }

    pub fn sampel_minimum(&self) -> Option<u64> {
        self.populasi.map(|n| krejcie_morgan(n.round().max(0.0) as u64))
    }

    pub fn sampel_cukup(&self) -> Option<bool> {
        Some(self.raw.as_ref()?.n_responden as u64 >= self.sampel_minimum()?)
    }
}

/// Why the IKM table could not be built.
#[derive(Debug, thiserror::Error)]
pub enum IkmError {
    #[error(transparent)]
    Frame(#[from] FrameError),
    #[error("{}: kolom u1 … u9 tidak lengkap / columns u1 … u9 missing", .0.display())]
    Columns(PathBuf),
    #[error("service.unsur_weights.{unit}: {message}")]
    Weights { unit: String, message: String },
}

/// The survey period's year and index (`Period::containing`) of a date column, as `tahun` and
/// `indeks`.
fn survey_period(date: &str, kind: PeriodKind) -> [Expr; 2] {
    let months = kind.months() as i32;
    [
        col(date).dt().year().cast(DataType::Int32).alias("tahun"),
        ((col(date).dt().month().cast(DataType::Int32) - lit(1i32)).floor_div(lit(months)) + lit(1i32))
            .alias("indeks"),
    ]
}

/// The survey period of a `tahun` and `indeks`.
fn period_of(kind: PeriodKind, year: i32, index: i32) -> Period {
    Period { kind, year, index: index.max(0) as u32 }
}

/// A column of a collected frame as a typed slice source, with the file it came from.
fn column<'a>(df: &'a DataFrame, name: &str, path: &Path) -> Result<&'a Column, FrameError> {
    df.column(name).map_err(|source| FrameError::Polars { path: path.to_path_buf(), source })
}

/// Every unit × survey period with SKM answers or a reported IKM, in (unit, period) order.
///
/// The answers of each unit and period come from one Polars query (filtered to the period
/// `until`, tagged with the survey period, sorted stably so a group's answers keep the export's
/// order); the service population and the reported IKM from two group-bys over `layanan`. The
/// IKM of each group is computed on its slice of answers (`mutasi_domain::ikm`).
pub fn ikm_rows(validated: &Path, opts: &IkmOptions) -> Result<Vec<IkmRow>, IkmError> {
    let sf = validated.join("skm.parquet");
    let mut skm = scan(&sf)?;
    let schema = skm.collect_schema().map_err(|source| FrameError::Polars { path: sf.clone(), source })?;
    let unsur: Vec<String> = (1..=14).map(|u| format!("u{u}")).take_while(|u| schema.contains(u)).collect();
    if unsur.len() < 9 {
        return Err(IkmError::Columns(sf));
    }
    let width = unsur.len();
    let mut answers = skm.filter(col("unit_id").is_not_null().and(col("tanggal").is_not_null()));
    if let Some(u) = opts.until {
        answers = answers.filter(col("tanggal").lt_eq(lit(u)));
    }
    let [tahun, indeks] = survey_period("tanggal", opts.period);
    let answers = collect(
        answers
            .select(
                [col("unit_id"), tahun, indeks]
                    .into_iter()
                    // An answer is a small number: 32 bits each (Polars is built without
                    // 8-bit columns), half the file's 64.
                    .chain(unsur.iter().map(|u| col(u.as_str()).cast(DataType::Int32)))
                    .collect::<Vec<_>>(),
            )
            .sort(["unit_id", "tahun", "indeks"], SortMultipleOptions::default().with_maintain_order(true)),
        &sf,
    )?;
    let units = column(&answers, "unit_id", &sf)?
        .str()
        .map_err(|source| FrameError::Polars { path: sf.clone(), source })?;
    let years = column(&answers, "tahun", &sf)?
        .i32()
        .map_err(|source| FrameError::Polars { path: sf.clone(), source })?;
    let indexes = column(&answers, "indeks", &sf)?
        .i32()
        .map_err(|source| FrameError::Polars { path: sf.clone(), source })?;
    let cells: Vec<Vec<Option<u8>>> = unsur
        .iter()
        .map(|u| {
            let c = column(&answers, u, &sf)?
                .i32()
                .map_err(|source| FrameError::Polars { path: sf.clone(), source })?;
            Ok(c.iter().map(|v| v.and_then(|v| u8::try_from(v).ok())).collect())
        })
        .collect::<Result<_, FrameError>>()?;
    // (unit, period) → its answers, one row of `width` after another.
    let mut groups: Vec<(UnitPeriod, Vec<Option<u8>>)> = Vec::new();
    for (k, ((unit, year), index)) in units.iter().zip(years.iter()).zip(indexes.iter()).enumerate() {
        let (Some(unit), Some(year), Some(index)) = (unit, year, index) else { continue };
        let key = (unit, period_of(opts.period, year, index));
        match groups.last_mut() {
            Some(((u, p), _)) if u == key.0 && *p == key.1 => {}
            _ => groups.push(((key.0.to_string(), key.1), Vec::new())),
        }
        if let Some((_, rows)) = groups.last_mut() {
            rows.extend(cells.iter().map(|c| c[k]));
        }
    }
    let (population, reported) = layanan_values(validated, opts)?;
    let mut keys: Vec<UnitPeriod> =
        groups.iter().map(|(k, _)| k.clone()).chain(reported.keys().cloned()).collect();
    keys.sort();
    keys.dedup();
    let answers_of: std::collections::HashMap<&UnitPeriod, &Vec<Option<u8>>> =
        groups.iter().map(|(k, a)| (k, a)).collect();
    keys.into_iter()
        .map(|key| {
            let answers = answers_of.get(&key).copied();
            // The older layout when any respondent answered u10 … u14.
            let unsur =
                if answers.is_some_and(|a| a.chunks(width).any(|r| r.iter().skip(9).any(Option::is_some))) {
                    14
                } else {
                    9
                };
            let weights = opts.weights.get(&key.0);
            if let Some(w) = weights {
                check_weights(w, unsur)
                    .map_err(|e| IkmError::Weights { unit: key.0.clone(), message: e.to_string() })?;
            }
            let grading = opts.grading(unsur);
            let raw = answers.map(|a| {
                let trimmed: Vec<&[Option<u8>]> = a.chunks(width).map(|r| &r[..unsur.min(r.len())]).collect();
                let mut x = ikm(&trimmed, unsur, weights.map(Vec::as_slice));
                x.mutu = x.konversi.map(|k| grading.grade(k));
                x
            });
            Ok(IkmRow {
                grading,
                populasi: population.get(&key).copied(),
                reported: reported.get(&key).copied(),
                unit_id: key.0,
                period: key.1,
                unsur,
                raw,
            })
        })
        .collect()
}

/// Per unit and survey period from `layanan`: the service population (the sum of the
/// population indicator over periods that fit in the survey period) and the reported IKM (of
/// the survey's own period kind; the last row when several give one).
type ByUnitPeriod = BTreeMap<UnitPeriod, f64>;

/// A unit and a survey period.
type UnitPeriod = (String, Period);

fn layanan_values(validated: &Path, opts: &IkmOptions) -> Result<(ByUnitPeriod, ByUnitPeriod), FrameError> {
    let lf = validated.join("layanan.parquet");
    let mut rows = scan(&lf)?.filter(
        ["unit_id", "indikator", "jenis_periode", "periode_mulai", "nilai"]
            .into_iter()
            .map(|c| col(c).is_not_null())
            .reduce(Expr::and)
            .unwrap_or(lit(true)),
    );
    if let Some(u) = opts.until {
        rows = rows.filter(col("periode_mulai").lt_eq(lit(u)));
    }
    let [tahun, indeks] = survey_period("periode_mulai", opts.period);
    let rows = rows.with_columns([tahun, indeks]).cache();
    let keys = || [col("unit_id"), col("tahun"), col("indeks")];
    let fitting = ["bulan", "triwulan", "semester", "tahun"]
        .into_iter()
        .filter(|k| kind_fits(k, opts.period))
        .map(|k| col("jenis_periode").eq(lit(k)))
        .reduce(Expr::or)
        .unwrap_or(lit(false));
    let is_population = col("indikator").eq(lit(opts.population_indikator.as_str())).and(fitting);
    let population =
        collect(rows.clone().filter(is_population.clone()).group_by(keys()).agg([col("nilai").sum()]), &lf)?;
    // A row counted in the population is not also a reported IKM.
    let reported = collect(
        rows.filter(
            col("indikator")
                .eq(lit(opts.reported_indikator.as_str()))
                .and(col("jenis_periode").eq(lit(opts.period.as_str())))
                .and(is_population.not()),
        )
        .group_by_stable(keys())
        .agg([col("nilai").last()]),
        &lf,
    )?;
    let by_key = |df: &DataFrame| -> Result<ByUnitPeriod, FrameError> {
        let fail = |source| FrameError::Polars { path: lf.clone(), source };
        let units = column(df, "unit_id", &lf)?.str().map_err(fail)?;
        let years = column(df, "tahun", &lf)?.i32().map_err(fail)?;
        let indexes = column(df, "indeks", &lf)?.i32().map_err(fail)?;
        let values = column(df, "nilai", &lf)?.f64().map_err(fail)?;
        Ok(units
            .iter()
            .zip(years.iter())
            .zip(indexes.iter())
            .zip(values.iter())
            .filter_map(|(((u, y), i), v)| Some(((u?.to_string(), period_of(opts.period, y?, i?)), v?)))
            .collect())
    };
    Ok((by_key(&population)?, by_key(&reported)?))
}

/// Whether values of a `layanan` period kind add up into the survey period (months into a
/// semester, not a year into a semester).
fn kind_fits(kind: &str, survey: PeriodKind) -> bool {
    let order = |k: &str| ["bulan", "triwulan", "semester", "tahun"].iter().position(|x| *x == k);
    matches!((order(kind), order(survey.as_str())), (Some(a), Some(b)) if a <= b)
}

/// The rows as the public table (`docs/outputs.md`).
pub fn ikm_table(rows: &[IkmRow]) -> PolarsResult<DataFrame> {
    let raw = |f: &dyn Fn(&Ikm) -> Option<f64>| -> Vec<Option<f64>> {
        rows.iter().map(|r| r.raw.as_ref().and_then(f)).collect()
    };
    let mutu_of = |r: &IkmRow| r.raw.as_ref().and_then(|x| x.mutu).or(r.reported_mutu());
    let gap = |r: &IkmRow| Some(r.raw.as_ref()?.konversi? - r.reported?);
    let mut columns = vec![
        Column::new("unit_id".into(), rows.iter().map(|r| r.unit_id.as_str()).collect::<Vec<_>>()),
        Column::new("periode".into(), rows.iter().map(|r| r.period.label()).collect::<Vec<_>>()),
        Column::new("jenis_periode".into(), rows.iter().map(|r| r.period.kind.as_str()).collect::<Vec<_>>()),
        Column::new(
            "n_responden".into(),
            rows.iter().map(|r| r.raw.as_ref().map(|x| x.n_responden as i64)).collect::<Vec<_>>(),
        ),
    ];
    for u in 0..14 {
        columns
            .push(Column::new(format!("nrr_u{}", u + 1).into(), raw(&|x| x.nrr.get(u).copied().flatten())));
    }
    columns.extend([
        Column::new("ikm".into(), raw(&|x| x.ikm)),
        Column::new("ikm_konversi".into(), raw(&|x| x.konversi)),
        Column::new("mutu".into(), rows.iter().map(|r| mutu_of(r).map(|m| m.as_str())).collect::<Vec<_>>()),
        Column::new(
            "kinerja_unit".into(),
            rows.iter().map(|r| mutu_of(r).map(|m| m.kinerja())).collect::<Vec<_>>(),
        ),
        Column::new(
            "unsur_terlemah".into(),
            rows.iter()
                .map(|r| r.raw.as_ref().and_then(|x| x.weakest).map(|u| format!("u{}", u + 1)))
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "jumlah_unsur".into(),
            rows.iter().map(|r| r.raw.as_ref().map(|_| r.unsur as i64)).collect::<Vec<_>>(),
        ),
        Column::new("n_populasi".into(), rows.iter().map(|r| r.populasi).collect::<Vec<_>>()),
        Column::new(
            "sampel_minimum".into(),
            rows.iter().map(|r| r.sampel_minimum().map(|s| s as i64)).collect::<Vec<_>>(),
        ),
        Column::new("sampel_cukup".into(), rows.iter().map(IkmRow::sampel_cukup).collect::<Vec<_>>()),
        Column::new("ikm_konversi_laporan".into(), rows.iter().map(|r| r.reported).collect::<Vec<_>>()),
        Column::new("selisih_laporan".into(), rows.iter().map(gap).collect::<Vec<_>>()),
        Column::new(
            "mutu_laporan".into(),
            rows.iter().map(|r| r.reported_mutu().map(|m| m.as_str())).collect::<Vec<_>>(),
        ),
        Column::new("beda_laporan".into(), rows.iter().map(IkmRow::disagrees).collect::<Vec<_>>()),
        Column::new(
            "sumber".into(),
            rows.iter()
                .map(|r| match (r.raw.is_some(), r.reported.is_some()) {
                    (true, true) => "skm+laporan",
                    (true, false) => "skm",
                    _ => "laporan",
                })
                .collect::<Vec<_>>(),
        ),
    ]);
    DataFrame::new(rows.len(), columns)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    fn dates(name: &str, v: &[NaiveDate]) -> Column {
        let epoch = d(1970, 1, 1);
        let days: Vec<i32> = v.iter().map(|x| (*x - epoch).num_days() as i32).collect();
        Column::new(name.into(), days).cast(&DataType::Date).expect("date column")
    }

    /// The query's survey period of every month of a year is `Period::containing`'s, for every
    /// period kind.
    #[test]
    fn survey_periods_are_the_domain_periods() {
        let days: Vec<NaiveDate> = (1..=12).map(|m| d(2024, m, 28)).collect();
        let df = DataFrame::new(12, vec![dates("tanggal", &days)]).expect("frame");
        for kind in [PeriodKind::Bulan, PeriodKind::Triwulan, PeriodKind::Semester, PeriodKind::Tahun] {
            let got = df.clone().lazy().select(survey_period("tanggal", kind)).collect().expect("periods");
            let (y, i) = (
                got.column("tahun").expect("c").i32().expect("i"),
                got.column("indeks").expect("c").i32().expect("i"),
            );
            for (k, day) in days.iter().enumerate() {
                let p = period_of(kind, y.get(k).expect("y"), i.get(k).expect("i"));
                assert_eq!(p, Period::containing(kind, *day), "{kind:?} {day}");
            }
        }
    }

    /// Worked by hand: visits of January and March add up in the first semester (3 + 4), an
    /// annual figure does not fit a semester, a month after the period is not counted yet; two
    /// reported IKMs of one semester keep the last, a quarterly one is not the survey's kind.
    #[test]
    fn population_and_reported_ikm_from_layanan() {
        let dir = tempfile::tempdir().expect("tmp");
        let rows: [(&str, &str, &str, NaiveDate, f64); 7] = [
            ("PKM01", "kunjungan", "bulan", d(2024, 1, 1), 3.0),
            ("PKM01", "kunjungan", "bulan", d(2024, 3, 1), 4.0),
            ("PKM01", "kunjungan", "tahun", d(2024, 1, 1), 100.0),
            ("PKM01", "kunjungan", "bulan", d(2024, 7, 1), 9.0),
            ("PKM01", "ikm", "semester", d(2024, 1, 1), 80.0),
            ("PKM01", "ikm", "semester", d(2024, 1, 1), 82.5),
            ("PKM02", "ikm", "triwulan", d(2024, 1, 1), 70.0),
        ];
        let text = |k: usize| rows.iter().map(|r| [r.0, r.1, r.2][k]).collect::<Vec<_>>();
        let df = DataFrame::new(
            rows.len(),
            vec![
                Column::new("unit_id".into(), text(0)),
                Column::new("indikator".into(), text(1)),
                Column::new("jenis_periode".into(), text(2)),
                dates("periode_mulai", &rows.iter().map(|r| r.3).collect::<Vec<_>>()),
                Column::new("nilai".into(), rows.iter().map(|r| r.4).collect::<Vec<_>>()),
            ],
        )
        .expect("layanan");
        mutasi_io::data::frame::write(df, &dir.path().join("layanan.parquet")).expect("write");
        let opts = IkmOptions { until: Some(d(2024, 6, 30)), ..IkmOptions::default() };
        let (population, reported) = layanan_values(dir.path(), &opts).expect("values");
        let s1 = |u: &str| (u.to_string(), Period { kind: PeriodKind::Semester, year: 2024, index: 1 });
        assert_eq!(population.into_iter().collect::<Vec<_>>(), [(s1("PKM01"), 7.0)]);
        assert_eq!(reported.into_iter().collect::<Vec<_>>(), [(s1("PKM01"), 82.5)]);
    }
}
