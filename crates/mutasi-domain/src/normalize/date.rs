//! Calendar dates as offices write them.
//!
//! Accepted (see `docs/data-contract.md`): `yyyy-mm-dd`, `dd-mm-yyyy` (SIASN), `dd/mm/yyyy`,
//! `dd/mm/yy`, `dd.mm.yyyy`, "17 Agustus 2023" with Indonesian month names and abbreviations, an
//! optional leading weekday ("Jumat, 19 Desember 2025"), a trailing time ("10:23:45", "10.23.45",
//! "9:05 PM"), and Excel serial numbers.
//!
//! A date written only with numbers (`05/03/2024`) is read in its column's [`DateOrder`], which
//! the loader decides from all the column's values ([`order_hint`]): Indonesian day-first unless
//! the column shows otherwise. A value that can only be read in the other order is rejected
//! ([`DateError::ContradictsOrder`]), never reinterpreted.

use chrono::{Datelike, NaiveDate};

use super::month::month_from_word;

/// Why a text is not a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateError {
    /// Not in any accepted layout.
    Unrecognised,
    /// The parts do not form a real calendar day (e.g. 31-02-2024).
    NotACalendarDay,
    /// A real day, but outside the range the column allows (e.g. 1900 or 2100).
    OutOfRange,
    /// Only a reading in the other day/month order than its column's gives a real day
    /// (`01/25/2024` in a day-first column).
    ContradictsOrder,
}

/// Which part of a numeric date is the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum DateOrder {
    /// `dd/mm/yyyy`: Indonesian, SIASN, Excel in the id-ID locale.
    #[default]
    DayFirst,
    /// `mm/dd/yyyy`: the US locale (Google Forms, Excel en-US).
    MonthFirst,
}

impl DateOrder {
    /// How the order is written for people, in both languages.
    pub fn label(self) -> &'static str {
        match self {
            DateOrder::DayFirst => "hari-bulan-tahun / day-month-year",
            DateOrder::MonthFirst => "bulan-hari-tahun / month-day-year",
        }
    }

    /// The order in Bahasa Indonesia, and in English.
    pub fn words(self) -> (&'static str, &'static str) {
        match self {
            DateOrder::DayFirst => ("hari-bulan-tahun", "day-month-year"),
            DateOrder::MonthFirst => ("bulan-hari-tahun", "month-day-year"),
        }
    }
}

/// What one numeric date says about its column's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderHint {
    /// The first part is above 12: only day-first reads it.
    DayFirst,
    /// The second part is above 12: only month-first reads it.
    MonthFirst,
    /// Both parts are 12 or less and differ: either order gives a real, different day.
    Either,
}

/// The order evidence of a date written with numbers (`5/3/2024`, `05-03-24 10:23`), and whether
/// it carries a time. `None` for values whose reading does not depend on the order: ISO dates,
/// month names, serial numbers, equal day and month (`05/05/2024`), and non-dates.
pub fn order_hint(raw: &str) -> Option<(OrderHint, bool)> {
    let s = raw.trim().trim_matches('\'').trim();
    // Cheap exits for the values most columns hold (ISO dates, periods, words).
    // The day or month comes first, in one or two digits: `2024-01-31` and `45291` stop here.
    let lead = s.bytes().take_while(u8::is_ascii_digit).count();
    if !(1..=2).contains(&lead) {
        return None;
    }
    let (date, time) = split_time(s);
    let parts: Vec<&str> = date.split(['-', '/', '.']).collect();
    let [a, b, c] = parts.as_slice() else { return None };
    let small = |p: &str| !p.is_empty() && p.len() <= 2 && all_digits(p);
    if !small(a) || !small(b) || !all_digits(c) || !(c.len() == 2 || c.len() == 4) {
        return None;
    }
    let (x, y): (u32, u32) = (a.parse().ok()?, b.parse().ok()?);
    let hint = match (x, y) {
        (1..=12, 1..=12) if x != y => OrderHint::Either,
        (13..=31, 1..=12) => OrderHint::DayFirst,
        (1..=12, 13..=31) => OrderHint::MonthFirst,
        _ => return None,
    };
    Some((hint, time.is_some()))
}

/// Splits a trailing time ("10:23:45", "10.23.45", "9:05 PM", "08:00 WIT", `T08:30:00`) from a
/// date. The time must follow the date's first word, so `17.08.2023` alone stays a date.
pub fn split_time(s: &str) -> (&str, Option<&str>) {
    let s = s.trim();
    // ISO `2024-01-31T08:30:00`.
    if let Some(t) = s.find('T')
        && t >= 8
        && s[..t].bytes().filter(u8::is_ascii_digit).count() >= 6
        && s[t + 1..].bytes().next().is_some_and(|b| b.is_ascii_digit())
    {
        return (&s[..t], Some(&s[t + 1..]));
    }
    let mut start = None;
    let mut pos = 0;
    for (i, word) in s.split(' ').enumerate() {
        if i > 0 && !word.is_empty() && looks_like_time(word) {
            start = Some(pos);
            break;
        }
        pos += word.len() + 1;
    }
    match start {
        Some(p) => (s[..p].trim_end().trim_end_matches(','), Some(s[p..].trim())),
        None => (s, None),
    }
}

/// `10:23`, `10:23:45`, `10.23.45`, `10:23:45.123`, `0:00`.
fn looks_like_time(word: &str) -> bool {
    let parts: Vec<&str> = word.split([':', '.']).collect();
    if !(2..=4).contains(&parts.len()) || !word.contains([':', '.']) {
        return false;
    }
    let ok = |p: &str, max: u32| all_digits(p) && p.len() <= 2 && p.parse::<u32>().is_ok_and(|v| v <= max);
    ok(parts[0], 24)
        && parts[1].len() == 2
        && ok(parts[1], 59)
        && parts.get(2).is_none_or(|p| p.len() == 2 && ok(p, 60))
        && parts.get(3).is_none_or(|p| all_digits(p))
}

/// Earliest and latest dates any HR column may hold. Dates outside are typing errors
/// ("1900-01-01" placeholders, "2100" typos) and are rejected.
pub const MIN_DATE: (i32, u32, u32) = (1940, 1, 1);
pub const MAX_DATE: (i32, u32, u32) = (2099, 12, 31);

/// Converts an Excel serial day number (1900 date system) to a date.
///
/// Excel counts 1900-02-29, a day that never existed, so serials from 61 on are offset by one;
/// the usual trick is to count from 1899-12-30.
pub fn from_excel_serial(serial: f64) -> Option<NaiveDate> {
    if !serial.is_finite() || !(1.0..=2_958_465.0).contains(&serial) {
        return None;
    }
    let days = serial.floor() as i64;
    let base = if days < 61 {
        NaiveDate::from_ymd_opt(1899, 12, 31)?
    } else {
        NaiveDate::from_ymd_opt(1899, 12, 30)?
    };
    base.checked_add_signed(chrono::Duration::days(days))
}

/// Checks a date against [`MIN_DATE`]..=[`MAX_DATE`].
pub fn check_range(d: NaiveDate) -> Result<NaiveDate, DateError> {
    let min = NaiveDate::from_ymd_opt(MIN_DATE.0, MIN_DATE.1, MIN_DATE.2);
    let max = NaiveDate::from_ymd_opt(MAX_DATE.0, MAX_DATE.1, MAX_DATE.2);
    match (min, max) {
        (Some(min), Some(max)) if d >= min && d <= max => Ok(d),
        _ => Err(DateError::OutOfRange),
    }
}

/// Parses a date written as text, day first, then checks its range.
pub fn parse_date(raw: &str) -> Result<NaiveDate, DateError> {
    parse_date_ordered(raw, DateOrder::DayFirst)
}

/// Parses a date written as text in its column's order, then checks its range.
pub fn parse_date_ordered(raw: &str, order: DateOrder) -> Result<NaiveDate, DateError> {
    parse_date_unchecked(raw, order).and_then(check_range)
}

fn ymd(y: i32, m: u32, d: u32) -> Result<NaiveDate, DateError> {
    NaiveDate::from_ymd_opt(y, m, d).ok_or(DateError::NotACalendarDay)
}

/// Two-digit years: 00–49 are 20xx, 50–99 are 19xx (fixed, so runs are reproducible).
fn expand_year(y: &str) -> Option<i32> {
    let v: i32 = y.parse().ok()?;
    match y.len() {
        4 => Some(v),
        2 => Some(if v < 50 { 2000 + v } else { 1900 + v }),
        _ => None,
    }
}

fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

fn parse_date_unchecked(raw: &str, order: DateOrder) -> Result<NaiveDate, DateError> {
    let mut s = raw.trim().trim_matches('\'').trim();
    // "Jumat (19/12/2025)" and "Jumat, 19 Desember 2025": drop the weekday.
    if let Some(open) = s.find('(')
        && s.ends_with(')')
    {
        s = &s[open + 1..s.len() - 1];
    }
    let weekdays = ["senin", "selasa", "rabu", "kamis", "jumat", "jum'at", "sabtu", "minggu"];
    let lower = s.to_lowercase();
    for w in weekdays {
        if lower.starts_with(w) {
            s = s[w.len()..].trim_start_matches([',', ' ']);
            break;
        }
    }
    // Strip a time part: "2024-01-31 00:00:00", "2024-01-31T08:00:00", "1/17/2024 9:05:00".
    let (s, _) = split_time(s);
    let s = s.trim();
    if s.is_empty() {
        return Err(DateError::Unrecognised);
    }
    // Excel serial typed as text ("45291"), 5 digits only so that "20240131" is not a serial.
    if s.len() == 5 && all_digits(s) {
        let serial: f64 = s.parse().map_err(|_| DateError::Unrecognised)?;
        return from_excel_serial(serial).ok_or(DateError::Unrecognised);
    }
    // Compact yyyymmdd.
    if s.len() == 8 && all_digits(s) {
        let y = s[0..4].parse().map_err(|_| DateError::Unrecognised)?;
        let m = s[4..6].parse().map_err(|_| DateError::Unrecognised)?;
        let d = s[6..8].parse().map_err(|_| DateError::Unrecognised)?;
        return ymd(y, m, d);
    }
    let parts: Vec<&str> = s.split(['-', '/', '.', ' ']).filter(|p| !p.is_empty()).collect();
    if parts.len() != 3 {
        return Err(DateError::Unrecognised);
    }
    let (a, b, c) = (parts[0], parts[1], parts[2]);
    if all_digits(a) && a.len() == 4 && all_digits(b) && all_digits(c) {
        // yyyy-mm-dd
        let m = b.parse().map_err(|_| DateError::Unrecognised)?;
        let d = c.parse().map_err(|_| DateError::Unrecognised)?;
        let y = a.parse().map_err(|_| DateError::Unrecognised)?;
        return ymd(y, m, d);
    }
    if !(all_digits(a) && a.len() <= 2) {
        return Err(DateError::Unrecognised);
    }
    let x: u32 = a.parse().map_err(|_| DateError::Unrecognised)?;
    if !all_digits(c) {
        return Err(DateError::Unrecognised);
    }
    let y = expand_year(c).ok_or(DateError::Unrecognised)?;
    if !(all_digits(b) && b.len() <= 2) {
        // "17 Agustus 2023": the month is a word, the order does not matter.
        let m = month_from_word(b).ok_or(DateError::Unrecognised)?;
        return ymd(y, m, x);
    }
    let z: u32 = b.parse().map_err(|_| DateError::Unrecognised)?;
    let (d, m) = match order {
        DateOrder::DayFirst => (x, z),
        DateOrder::MonthFirst => (z, x),
    };
    // Only the other order gives a real day: the value contradicts its column.
    if m > 12 && d <= 12 && ymd(y, d, m).is_ok() {
        return Err(DateError::ContradictsOrder);
    }
    ymd(y, m, d)
}

/// Formats a date as `yyyy-mm-dd`.
pub fn iso(d: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).expect("valid test date")
    }

    #[test]
    fn accepts_every_documented_layout() {
        assert_eq!(parse_date("2023-08-17"), Ok(d(2023, 8, 17)));
        assert_eq!(parse_date("17-08-2023"), Ok(d(2023, 8, 17)));
        assert_eq!(parse_date("17/08/2023"), Ok(d(2023, 8, 17)));
        assert_eq!(parse_date("17/08/23"), Ok(d(2023, 8, 17)));
        assert_eq!(parse_date("17.08.2023"), Ok(d(2023, 8, 17)));
        assert_eq!(parse_date("17 Agustus 2023"), Ok(d(2023, 8, 17)));
        assert_eq!(parse_date("17 AGUSTUS 2023"), Ok(d(2023, 8, 17)));
        assert_eq!(parse_date("5 Mei 2021"), Ok(d(2021, 5, 5)));
        assert_eq!(parse_date("1 Agt 2021"), Ok(d(2021, 8, 1)));
        assert_eq!(parse_date("01-Okt-2022"), Ok(d(2022, 10, 1)));
        assert_eq!(parse_date("3 Nopember 2020"), Ok(d(2020, 11, 3)));
        assert_eq!(parse_date("29 Pebruari 2024"), Ok(d(2024, 2, 29)));
        assert_eq!(parse_date("31 Des 2024"), Ok(d(2024, 12, 31)));
        assert_eq!(parse_date("Jumat, 19 Desember 2025"), Ok(d(2025, 12, 19)));
        assert_eq!(parse_date("Jumat (19/12/2025)"), Ok(d(2025, 12, 19)));
        assert_eq!(parse_date("2024-01-31 00:00:00"), Ok(d(2024, 1, 31)));
        assert_eq!(parse_date("2024-01-31T08:30:00"), Ok(d(2024, 1, 31)));
        assert_eq!(parse_date("'2024-01-31"), Ok(d(2024, 1, 31)));
    }

    #[test]
    fn excel_serials() {
        assert_eq!(parse_date("45291"), Ok(d(2023, 12, 31)));
        assert_eq!(from_excel_serial(45291.75), Some(d(2023, 12, 31)));
        assert_eq!(from_excel_serial(1.0), Some(d(1900, 1, 1)));
        assert_eq!(from_excel_serial(61.0), Some(d(1900, 3, 1)));
        assert_eq!(from_excel_serial(-3.0), None);
        assert_eq!(from_excel_serial(f64::NAN), None);
    }

    #[test]
    fn rejects_impossible_and_implausible_dates() {
        assert_eq!(parse_date("31-02-2024"), Err(DateError::NotACalendarDay));
        assert_eq!(parse_date("29 Februari 2023"), Err(DateError::NotACalendarDay));
        assert_eq!(parse_date("1900-01-01"), Err(DateError::OutOfRange));
        assert_eq!(parse_date("2100-01-01"), Err(DateError::OutOfRange));
        assert_eq!(parse_date("kemarin"), Err(DateError::Unrecognised));
        assert_eq!(parse_date(""), Err(DateError::Unrecognised));
        assert_eq!(parse_date("08/2023"), Err(DateError::Unrecognised));
        // Month-first is never guessed: 13 is not a month, and only the other order reads it.
        assert_eq!(parse_date("08/13/2023"), Err(DateError::ContradictsOrder));
        assert_eq!(parse_date("13/13/2023"), Err(DateError::NotACalendarDay));
    }

    /// A month-first column reads `1/17/2024`, and rejects `17/01/2024` rather than swapping it.
    #[test]
    fn month_first_columns() {
        let us = DateOrder::MonthFirst;
        assert_eq!(parse_date_ordered("1/17/2024", us), Ok(d(2024, 1, 17)));
        assert_eq!(parse_date_ordered("1/17/2024 10:23:45", us), Ok(d(2024, 1, 17)));
        assert_eq!(parse_date_ordered("03/05/2024", us), Ok(d(2024, 3, 5)));
        assert_eq!(parse_date_ordered("03/05/2024", DateOrder::DayFirst), Ok(d(2024, 5, 3)));
        assert_eq!(parse_date_ordered("17/01/2024", us), Err(DateError::ContradictsOrder));
        // Month words and ISO dates do not depend on the order.
        assert_eq!(parse_date_ordered("17 Januari 2024", us), Ok(d(2024, 1, 17)));
        assert_eq!(parse_date_ordered("2024-01-17", us), Ok(d(2024, 1, 17)));
        assert_eq!(parse_date_ordered("2/30/2024", us), Err(DateError::NotACalendarDay));
    }

    #[test]
    fn order_hints_and_times() {
        assert_eq!(order_hint("17/01/2024"), Some((OrderHint::DayFirst, false)));
        assert_eq!(order_hint("1/17/2024 10:23:45"), Some((OrderHint::MonthFirst, true)));
        assert_eq!(order_hint("03/05/2024"), Some((OrderHint::Either, false)));
        assert_eq!(order_hint("03-05-24 08.15.00"), Some((OrderHint::Either, true)));
        assert_eq!(order_hint("05/05/2024"), None, "equal parts read the same either way");
        assert_eq!(order_hint("2024-01-17"), None);
        assert_eq!(order_hint("17 Januari 2024"), None);
        assert_eq!(order_hint("45291"), None);
        assert_eq!(order_hint("01/2024"), None);
        assert_eq!(split_time("1/7/24 9:05"), ("1/7/24", Some("9:05")));
        assert_eq!(split_time("17/01/2024 10.23.45"), ("17/01/2024", Some("10.23.45")));
        assert_eq!(split_time("17.08.2023"), ("17.08.2023", None));
        assert_eq!(split_time("17 Agustus 2023"), ("17 Agustus 2023", None));
        assert_eq!(split_time("2024-01-31T08:30:00"), ("2024-01-31", Some("08:30:00")));
        assert_eq!(split_time("1/17/2024 9:05:00 PM"), ("1/17/2024", Some("9:05:00 PM")));
        assert_eq!(parse_date("1/7/24 9:05"), Ok(d(2024, 7, 1)));
    }
}
