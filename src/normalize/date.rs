//! Calendar dates as offices write them.
//!
//! Accepted (see `docs/data-contract.md`): `yyyy-mm-dd`, `dd-mm-yyyy` (SIASN), `dd/mm/yyyy`,
//! `dd/mm/yy`, `dd.mm.yyyy`, "17 Agustus 2023" with Indonesian month names and abbreviations, an
//! optional leading weekday ("Jumat, 19 Desember 2025"), and Excel serial numbers. Indonesian
//! order is always day first; `mm/dd/yyyy` is never guessed.

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

/// Parses a date written as text, then checks its range.
pub fn parse_date(raw: &str) -> Result<NaiveDate, DateError> {
    parse_date_unchecked(raw).and_then(check_range)
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

fn parse_date_unchecked(raw: &str) -> Result<NaiveDate, DateError> {
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
    // Strip a time part: "2024-01-31 00:00:00", "2024-01-31T08:00:00".
    let s = match s.find(['T', ' ']) {
        Some(i) if i >= 8 && s[..i].chars().filter(|c| c.is_ascii_digit()).count() >= 6 => &s[..i],
        _ => s,
    };
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
    let d: u32 = a.parse().map_err(|_| DateError::Unrecognised)?;
    let m: u32 = if all_digits(b) && b.len() <= 2 {
        b.parse().map_err(|_| DateError::Unrecognised)?
    } else {
        month_from_word(b).ok_or(DateError::Unrecognised)?
    };
    if !all_digits(c) {
        return Err(DateError::Unrecognised);
    }
    let y = expand_year(c).ok_or(DateError::Unrecognised)?;
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
        // Month-first is never guessed: 13 is not a month.
        assert_eq!(parse_date("08/13/2023"), Err(DateError::NotACalendarDay));
    }
}
