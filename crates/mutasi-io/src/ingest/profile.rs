//! One pass over a file before its rows are parsed: what the file's own values say about how to
//! read them.
//!
//! - **Decimal style** of its numeric columns, from a sample ([`detect_style`]).
//! - **Day/month order** of each date column, from *all* its values: the loader observes them
//!   while it reads the rows ([`DateColumn::observe`]) and reads a file again only when the
//!   column turns out month-first; a `periode` column, which holds full dates only rarely, is
//!   decided here from the same sample as the decimal style. A first part above 12 means
//!   day-first, a second part above 12 means month-first. A column with both is mixed: the
//!   majority order is used and the others are rejected when the rows are parsed. A column whose
//!   every numeric date reads both ways is a US-locale Google Forms `Timestamp` (month-first) if
//!   it is one, and otherwise Indonesian day-first, with a warning naming the column.
//!
//! The order is decided per column and never per value, so `03/05/2024` is the same day in
//! every row of a column.

use std::path::Path;

use super::cell::Cell;
use super::file_error::FileError;
use super::source::{RowEvent, Source};
use mutasi_domain::normalize::date::{DateOrder, OrderHint, order_hint};
use mutasi_domain::normalize::number::{DecimalStyle, detect_style};
use mutasi_domain::schema::header_key;

/// How many numeric values decide a file's decimal style.
const DECIMAL_SAMPLE: usize = 200_000;

/// What one date column's values say about its day/month order.
#[derive(Debug, Clone, Default)]
pub struct DateColumn {
    /// Canonical column name (`tmt`, `tanggal_lahir`, …).
    pub column: &'static str,
    /// Position in the file's header.
    pub index: usize,
    /// The header as the file writes it.
    pub header: String,
    /// Values only day-first reads (first part above 12).
    pub day_first: u64,
    /// Values only month-first reads (second part above 12).
    pub month_first: u64,
    /// Values both orders read, as different days.
    pub either: u64,
    /// Numeric dates carrying a time of day.
    pub with_time: u64,
    /// The number of files of the table whose evidence decided this column (more than one when
    /// pooled, [`DatePool`]).
    pub pooled_files: usize,
    /// The first value of each kind: row and raw text, for messages.
    pub first_either: Option<(u32, String)>,
    pub first_day_first: Option<(u32, String)>,
    pub first_month_first: Option<(u32, String)>,
}

/// Why a column got its order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderBasis {
    /// No numeric date reads two ways: the order changes nothing.
    NotNeeded,
    /// Some values read only one way, none only the other.
    Evidence,
    /// Values read only one way and others only the other: the majority wins.
    Mixed,
    /// Every numeric date reads both ways, and the column is a Google Forms `Timestamp` with
    /// times, which Forms writes month-first (US locale).
    FormsTimestamp,
    /// Every numeric date reads both ways: Indonesian day-first is assumed.
    Assumed,
}

impl OrderBasis {
    /// How the basis is written in the summary and `mutasi inspect`.
    pub fn label(self) -> &'static str {
        match self {
            OrderBasis::NotNeeded => "tidak diperlukan / not needed",
            OrderBasis::Evidence => "dari nilainya / from its values",
            OrderBasis::Mixed => "campuran, mayoritas / mixed, majority",
            OrderBasis::FormsTimestamp => {
                "Timestamp Google Forms (lokal AS) / Google Forms Timestamp (US locale)"
            }
            OrderBasis::Assumed => "diasumsikan (urutan Indonesia) / assumed (Indonesian order)",
        }
    }
}

impl DateColumn {
    /// A column with no evidence yet.
    pub fn new(column: &'static str, index: usize, header: &str) -> DateColumn {
        DateColumn { column, index, header: header.to_string(), ..DateColumn::default() }
    }

    /// Takes one value's evidence (none for values that read the same either way).
    pub fn observe(&mut self, row: u32, raw: &str) {
        if let Some((hint, time)) = order_hint(raw) {
            self.add(row, raw, hint, time);
        }
    }

    fn add(&mut self, row: u32, raw: &str, hint: OrderHint, time: bool) {
        let (count, first) = match hint {
            OrderHint::DayFirst => (&mut self.day_first, &mut self.first_day_first),
            OrderHint::MonthFirst => (&mut self.month_first, &mut self.first_month_first),
            OrderHint::Either => (&mut self.either, &mut self.first_either),
        };
        *count += 1;
        if first.is_none() {
            *first = Some((row, raw.to_string()));
        }
        self.with_time += u64::from(time);
    }

    /// The column's order and why.
    pub fn decide(&self) -> (DateOrder, OrderBasis) {
        match (self.day_first > 0, self.month_first > 0) {
            (true, false) => (DateOrder::DayFirst, OrderBasis::Evidence),
            (false, true) => (DateOrder::MonthFirst, OrderBasis::Evidence),
            (true, true) if self.month_first > self.day_first => (DateOrder::MonthFirst, OrderBasis::Mixed),
            (true, true) => (DateOrder::DayFirst, OrderBasis::Mixed),
            (false, false) if self.either == 0 => (DateOrder::DayFirst, OrderBasis::NotNeeded),
            (false, false) if header_key(&self.header) == "timestamp" && self.with_time > 0 => {
                (DateOrder::MonthFirst, OrderBasis::FormsTimestamp)
            }
            (false, false) => (DateOrder::DayFirst, OrderBasis::Assumed),
        }
    }
}

/// A date column of one table, across files: the table, the column and its folded header.
pub type PoolKey = (mutasi_domain::schema::Table, &'static str, String);

/// The pool key of a date column.
pub fn pool_key(table: mutasi_domain::schema::Table, d: &DateColumn) -> PoolKey {
    (table, d.column, header_key(&d.header))
}

/// Date-order evidence summed over the files of a table that share a column's header.
#[derive(Debug, Default)]
pub struct DatePool {
    columns: std::collections::HashMap<PoolKey, (DateColumn, usize)>,
}

impl DatePool {
    /// Adds one file's evidence.
    pub fn add(&mut self, table: mutasi_domain::schema::Table, prof: &Profile) {
        for d in &prof.dates {
            let (sum, files) = self.columns.entry(pool_key(table, d)).or_insert_with(|| (d.clone(), 0));
            if *files > 0 {
                sum.day_first += d.day_first;
                sum.month_first += d.month_first;
                sum.either += d.either;
                sum.with_time += d.with_time;
            }
            *files += 1;
        }
    }

    /// Replaces a file's counts by the pooled ones where the column was seen in several files;
    /// the file keeps its own first examples (its warnings name its own rows).
    pub fn apply(&self, table: mutasi_domain::schema::Table, prof: &mut Profile) {
        for d in &mut prof.dates {
            if let Some((sum, files)) = self.columns.get(&pool_key(table, d))
                && *files > 1
            {
                d.day_first = sum.day_first;
                d.month_first = sum.month_first;
                d.either = sum.either;
                d.with_time = sum.with_time;
                d.pooled_files = *files;
            }
        }
    }
}

/// What the profile pass learned about one file.
#[derive(Debug, Clone)]
pub struct Profile {
    pub decimal: DecimalStyle,
    pub dates: Vec<DateColumn>,
}

impl Profile {
    /// The order of every column of the file, by position (day-first where not a date column).
    pub fn orders(&self, width: usize) -> Vec<DateOrder> {
        let mut orders = vec![DateOrder::DayFirst; width];
        for d in &self.dates {
            if let Some(slot) = orders.get_mut(d.index) {
                *slot = d.decide().0;
            }
        }
        orders
    }
}

/// Reads the file once: decimal samples from `numeric` columns, order evidence from `dates`
/// (canonical name, position, header).
pub fn profile(
    src: &Source,
    path: &Path,
    numeric: &[usize],
    dates: &[(&'static str, usize, String)],
) -> Result<Profile, FileError> {
    let mut columns: Vec<DateColumn> = dates
        .iter()
        .map(|(column, index, header)| DateColumn {
            column,
            index: *index,
            header: header.clone(),
            ..DateColumn::default()
        })
        .collect();
    if numeric.is_empty() && columns.is_empty() {
        return Ok(Profile { decimal: DecimalStyle::Dot, dates: columns });
    }
    let mut samples: Vec<String> = Vec::new();
    // A column repeats values in runs: each run is looked at once.
    let mut last: Vec<String> = vec![String::new(); columns.len()];
    // Date columns read whole; a `periode` column (a kinerja export's month, tens of millions of
    // rows, a full date only rarely) only over the sample's rows.
    let whole = columns.iter().any(|c| c.column != "periode");
    let mut rows = 0usize;
    let wanted: Vec<usize> = numeric.iter().copied().chain(columns.iter().map(|c| c.index)).collect();
    src.for_each_only(path, &wanted, &mut |ev| {
        if let RowEvent::Row { number, cells } = ev {
            rows += 1;
            let sampling = samples.len() < DECIMAL_SAMPLE && rows <= DECIMAL_SAMPLE;
            if sampling {
                for c in numeric {
                    if let Some(Cell::Text(s)) = cells.get(*c) {
                        samples.push((*s).to_string());
                    }
                }
            }
            for (col, seen) in columns.iter_mut().zip(&mut last) {
                if col.column == "periode" && !sampling {
                    continue;
                }
                let Some(Cell::Text(s)) = cells.get(col.index) else { continue };
                if *seen == *s {
                    continue;
                }
                seen.clear();
                seen.push_str(s);
                // A row beyond 32 bits stops here; reading the file refuses it (`ingest`).
                let Ok(number) = u32::try_from(number) else { return false };
                if let Some((hint, time)) = order_hint(s) {
                    col.add(number, s, hint, time);
                }
            }
            return whole || (samples.len() < DECIMAL_SAMPLE && rows < DECIMAL_SAMPLE);
        }
        true
    })?;
    let decimal =
        if numeric.is_empty() { DecimalStyle::Dot } else { detect_style(samples.iter().map(String::as_str)) };
    Ok(Profile { decimal, dates: columns })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn column(values: &[&str], header: &str) -> DateColumn {
        let mut c = DateColumn { column: "tanggal", header: header.into(), ..DateColumn::default() };
        for (i, v) in values.iter().enumerate() {
            if let Some((h, t)) = order_hint(v) {
                c.add(i as u32 + 2, v, h, t);
            }
        }
        c
    }

    #[test]
    fn a_column_is_decided_by_all_its_values() {
        let us = ["1/5/2024", "1/17/2024", "2/3/2024"];
        assert_eq!(column(&us, "tanggal").decide(), (DateOrder::MonthFirst, OrderBasis::Evidence));
        let id = ["5/1/2024", "17/1/2024", "3/2/2024"];
        assert_eq!(column(&id, "tanggal").decide(), (DateOrder::DayFirst, OrderBasis::Evidence));
        let ambiguous = ["5/1/2024", "3/2/2024"];
        assert_eq!(column(&ambiguous, "tanggal").decide(), (DateOrder::DayFirst, OrderBasis::Assumed));
        let forms = ["1/5/2024 10:23:45", "3/2/2024 9:01:02"];
        assert_eq!(column(&forms, "Timestamp").decide(), (DateOrder::MonthFirst, OrderBasis::FormsTimestamp));
        // Without times, or under another header, the Timestamp rule does not apply.
        assert_eq!(column(&ambiguous, "Timestamp").decide().0, DateOrder::DayFirst);
        assert_eq!(column(&forms, "Tanggal").decide().0, DateOrder::DayFirst);
        let mixed = ["17/1/2024", "18/1/2024", "1/25/2024", "2/3/2024"];
        let c = column(&mixed, "tanggal");
        assert_eq!(c.decide(), (DateOrder::DayFirst, OrderBasis::Mixed));
        assert_eq!(c.first_month_first, Some((4, "1/25/2024".to_string())));
        let iso = ["2024-01-05", "17 Januari 2024", "05/05/2024"];
        assert_eq!(column(&iso, "tanggal").decide(), (DateOrder::DayFirst, OrderBasis::NotNeeded));
    }
}
