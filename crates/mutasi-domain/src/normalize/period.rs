//! Reporting periods: months, quarters (triwulan), semesters and years.
//!
//! e-Kinerja rates monthly or quarterly, SKM surveys run per semester or year, and annual SKP
//! covers a whole year. A period therefore carries its type explicitly; a quarter is never
//! silently spread over months. Accepted: `YYYY-MM`, `YYYYMM`, `MM/YYYY`, "Januari 2024",
//! `2024-01-31` (its month), "TW I 2024", "Triwulan 2 2024", "Q3 2024", "Semester 2 2023",
//! "S1 2023", `2024-TW1`, `2024-S2` and a bare year.

use chrono::{Datelike, NaiveDate};

use super::date::{DateOrder, check_range, parse_date_ordered};
use super::month::month_from_word;

/// The length of a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PeriodKind {
    Bulan,
    Triwulan,
    Semester,
    Tahun,
}

impl PeriodKind {
    /// Canonical name, as written in output tables.
    pub fn as_str(self) -> &'static str {
        match self {
            PeriodKind::Bulan => "bulan",
            PeriodKind::Triwulan => "triwulan",
            PeriodKind::Semester => "semester",
            PeriodKind::Tahun => "tahun",
        }
    }

    /// Months in one period of this kind.
    pub fn months(self) -> u32 {
        match self {
            PeriodKind::Bulan => 1,
            PeriodKind::Triwulan => 3,
            PeriodKind::Semester => 6,
            PeriodKind::Tahun => 12,
        }
    }
}

/// One reporting period. `index` is the month (1–12), quarter (1–4), semester (1–2), or 1 for a
/// year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Period {
    pub kind: PeriodKind,
    pub year: i32,
    pub index: u32,
}

/// Why a text is not a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodError {
    Unrecognised,
    OutOfRange,
}

impl Period {
    pub fn month(year: i32, month: u32) -> Period {
        Period { kind: PeriodKind::Bulan, year, index: month }
    }

    /// The month of a month key ([`Period::month_key`]), the inverse of `month_key` for months.
    pub fn from_month_key(key: i64) -> Period {
        Period::month(key.div_euclid(12) as i32, key.rem_euclid(12) as u32 + 1)
    }

    /// The month containing a date.
    pub fn of_date(d: NaiveDate) -> Period {
        Period::month(d.year(), d.month())
    }

    /// The period of length `kind` containing a date.
    pub fn containing(kind: PeriodKind, d: NaiveDate) -> Period {
        Period { kind, year: d.year(), index: (d.month() - 1) / kind.months() + 1 }
    }

    /// Canonical label: `2024-01`, `2024-TW1`, `2024-S2`, `2024`.
    pub fn label(&self) -> String {
        match self.kind {
            PeriodKind::Bulan => format!("{:04}-{:02}", self.year, self.index),
            PeriodKind::Triwulan => format!("{:04}-TW{}", self.year, self.index),
            PeriodKind::Semester => format!("{:04}-S{}", self.year, self.index),
            PeriodKind::Tahun => format!("{:04}", self.year),
        }
    }

    /// First month (1–12) covered.
    pub fn first_month(&self) -> u32 {
        (self.index.max(1) - 1) * self.kind.months() + 1
    }

    /// First day of the period.
    pub fn start(&self) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(self.year, self.first_month(), 1)
    }

    /// Last day of the period.
    pub fn end(&self) -> Option<NaiveDate> {
        let last_month = self.first_month() + self.kind.months() - 1;
        let (y, m) = if last_month == 12 { (self.year + 1, 1) } else { (self.year, last_month + 1) };
        NaiveDate::from_ymd_opt(y, m, 1)?.pred_opt()
    }

    /// Months since year 0 of the first month: a monotone key for ordering monthly periods.
    pub fn month_key(&self) -> i32 {
        self.year * 12 + self.first_month() as i32 - 1
    }

    fn checked(self) -> Result<Period, PeriodError> {
        let valid_index = match self.kind {
            PeriodKind::Bulan => (1..=12).contains(&self.index),
            PeriodKind::Triwulan => (1..=4).contains(&self.index),
            PeriodKind::Semester => (1..=2).contains(&self.index),
            PeriodKind::Tahun => self.index == 1,
        };
        if !valid_index {
            return Err(PeriodError::Unrecognised);
        }
        match self.start() {
            Some(d) if check_range(d).is_ok() => Ok(self),
            _ => Err(PeriodError::OutOfRange),
        }
    }
}

fn roman_or_digit(s: &str) -> Option<u32> {
    match s.to_ascii_uppercase().as_str() {
        "1" | "I" => Some(1),
        "2" | "II" => Some(2),
        "3" | "III" => Some(3),
        "4" | "IV" => Some(4),
        _ => None,
    }
}

fn year_of(s: &str) -> Option<i32> {
    if s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit()) { s.parse().ok() } else { None }
}

/// Parses a period written as text; a full numeric date is read day first.
pub fn parse_period(raw: &str) -> Result<Period, PeriodError> {
    parse_period_ordered(raw, DateOrder::DayFirst)
}

/// Parses a period written as text; a full numeric date (its month) is read in `order`.
pub fn parse_period_ordered(raw: &str, order: DateOrder) -> Result<Period, PeriodError> {
    let s = raw.trim().trim_matches('\'').trim();
    if s.is_empty() {
        return Err(PeriodError::Unrecognised);
    }
    if let Some(y) = year_of(s) {
        return Period { kind: PeriodKind::Tahun, year: y, index: 1 }.checked();
    }
    // YYYYMM
    if s.len() == 6 && s.bytes().all(|b| b.is_ascii_digit()) {
        let y = s[0..4].parse().map_err(|_| PeriodError::Unrecognised)?;
        let m = s[4..6].parse().map_err(|_| PeriodError::Unrecognised)?;
        return Period::month(y, m).checked();
    }
    let tokens: Vec<String> =
        s.split(['-', '/', ' ', '_', '.']).filter(|t| !t.is_empty()).map(|t| t.to_string()).collect();
    let upper: Vec<String> = tokens.iter().map(|t| t.to_ascii_uppercase()).collect();
    let words: Vec<&str> = upper.iter().map(String::as_str).collect();
    match words.as_slice() {
        // 2024-01, 2024/1
        [y, m] if year_of(y).is_some() && m.len() <= 2 && m.bytes().all(|b| b.is_ascii_digit()) => {
            let year = year_of(y).ok_or(PeriodError::Unrecognised)?;
            let month = m.parse().map_err(|_| PeriodError::Unrecognised)?;
            return Period::month(year, month).checked();
        }
        // 01/2024
        [m, y] if year_of(y).is_some() && m.len() <= 2 && m.bytes().all(|b| b.is_ascii_digit()) => {
            let year = year_of(y).ok_or(PeriodError::Unrecognised)?;
            let month = m.parse().map_err(|_| PeriodError::Unrecognised)?;
            return Period::month(year, month).checked();
        }
        _ => {}
    }
    if let Some(p) = parse_labelled(&words) {
        return p.checked();
    }
    // A full date means its month.
    match parse_date_ordered(s, order) {
        Ok(d) => Ok(Period::of_date(d)),
        Err(super::date::DateError::OutOfRange) => Err(PeriodError::OutOfRange),
        Err(_) => Err(PeriodError::Unrecognised),
    }
}

/// A range of months within one year, as SKP prints write a rating period: "JANUARI - DESEMBER
/// 2025", "01 JANUARI SD 31 DESEMBER TAHUN 2022", "2 Januari s.d. 30 Juni 2021", "Januari 2024 -
/// Maret 2024". The range must be a whole year, semester, quarter or month.
fn parse_range(words: &[&str]) -> Option<Period> {
    let years: Vec<i32> = words.iter().filter_map(|w| year_of(w)).collect();
    let year = *years.first()?;
    let months: Vec<u32> = words.iter().filter_map(|w| month_from_word(w)).collect();
    let filler = |w: &str| {
        year_of(w).is_some()
            || month_from_word(w).is_some()
            || (w.len() <= 2 && w.bytes().all(|b| b.is_ascii_digit()))
            || ["SD", "S", "D", "SAMPAI", "HINGGA", "TAHUN", "PERIODE", "BULAN"].contains(&w)
    };
    if years.iter().any(|y| *y != year) || months.len() != 2 || !words.iter().all(|w| filler(w)) {
        return None;
    }
    let (first, last) = (months[0], months[1]);
    let span = last.checked_sub(first)? + 1;
    let (kind, index) = match span {
        12 => (PeriodKind::Tahun, 1),
        6 if first % 6 == 1 => (PeriodKind::Semester, first / 6 + 1),
        3 if first % 3 == 1 => (PeriodKind::Triwulan, first / 3 + 1),
        1 => (PeriodKind::Bulan, first),
        _ => return None,
    };
    Some(Period { kind, year, index })
}

/// "Januari 2024", "TW I 2024", "Triwulan II 2024", "Q1 2024", "Semester 2 2023", "S1 2023",
/// "2024 TW1", "2024-S2", "TW1-2024", "Tahun 2024", and month ranges ([`parse_range`]).
fn parse_labelled(words: &[&str]) -> Option<Period> {
    if let Some(p) = parse_range(words) {
        return Some(p);
    }
    let year_pos = words.iter().position(|w| year_of(w).is_some())?;
    let year = year_of(words[year_pos])?;
    let rest: Vec<&str> =
        words.iter().enumerate().filter(|(i, w)| *i != year_pos && **w != "TAHUN").map(|(_, w)| *w).collect();
    let (kind, index) = match rest.as_slice() {
        [] => (PeriodKind::Tahun, 1),
        [m] if month_from_word(m).is_some() => (PeriodKind::Bulan, month_from_word(m)?),
        ["TW" | "TRIWULAN" | "Q" | "KUARTAL", n] => (PeriodKind::Triwulan, roman_or_digit(n)?),
        ["SEMESTER" | "SMT" | "SM" | "S", n] => (PeriodKind::Semester, roman_or_digit(n)?),
        [one] => {
            let (prefix, n) = split_alpha_prefix(one)?;
            match prefix {
                "TW" | "Q" | "TRIWULAN" => (PeriodKind::Triwulan, roman_or_digit(n)?),
                "S" | "SMT" | "SEMESTER" => (PeriodKind::Semester, roman_or_digit(n)?),
                _ => return None,
            }
        }
        _ => return None,
    };
    Some(Period { kind, year, index })
}

fn split_alpha_prefix(s: &str) -> Option<(&str, &str)> {
    let cut = s.find(|c: char| c.is_ascii_digit())?;
    Some((&s[..cut], &s[cut..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn label(s: &str) -> String {
        parse_period(s).map(|p| p.label()).unwrap_or_else(|e| format!("{e:?}"))
    }

    #[test]
    fn months_in_every_layout() {
        assert_eq!(label("2024-01"), "2024-01");
        assert_eq!(label("202401"), "2024-01");
        assert_eq!(label("01/2024"), "2024-01");
        assert_eq!(label("Januari 2024"), "2024-01");
        assert_eq!(label("MEI 2023"), "2023-05");
        assert_eq!(label("Agt 2022"), "2022-08");
        assert_eq!(label("2024-01-31"), "2024-01");
        assert_eq!(label("31/01/2024"), "2024-01");
    }

    #[test]
    fn quarters_semesters_and_years_keep_their_type() {
        let tw = parse_period("TW I 2024").expect("quarter");
        assert_eq!((tw.kind, tw.label()), (PeriodKind::Triwulan, "2024-TW1".to_string()));
        assert_eq!(label("Triwulan III 2023"), "2023-TW3");
        assert_eq!(label("Q4 2022"), "2022-TW4");
        assert_eq!(label("2024-TW2"), "2024-TW2");
        let s = parse_period("Semester 2 2023").expect("semester");
        assert_eq!((s.kind, s.label()), (PeriodKind::Semester, "2023-S2".to_string()));
        assert_eq!(label("Semester II Tahun 2023"), "2023-S2");
        assert_eq!(label("S1 2024"), "2024-S1");
        assert_eq!(label("2024-S1"), "2024-S1");
        assert_eq!(parse_period("2023").map(|p| p.kind), Ok(PeriodKind::Tahun));
    }

    /// SKP prints write the rating period as a range of months, or "Tahun 2025".
    #[test]
    fn month_ranges_and_written_years() {
        assert_eq!(label("JANUARI - DESEMBER 2025"), "2025");
        assert_eq!(label("Tahun 2025"), "2025");
        assert_eq!(label("TAHUN 2025"), "2025");
        assert_eq!(label("01 JANUARI SD 31 DESEMBER TAHUN 2022"), "2022");
        assert_eq!(label("2 Januari s.d. 30 Juni 2021"), "2021-S1");
        assert_eq!(label("Juli - Desember 2024"), "2024-S2");
        assert_eq!(label("Januari 2024 - Maret 2024"), "2024-TW1");
        assert_eq!(label("Oktober-Desember 2024"), "2024-TW4");
        // Not a whole quarter, semester or year, or across years: not guessed.
        assert_eq!(parse_period("Februari - April 2024"), Err(PeriodError::Unrecognised));
        assert_eq!(parse_period("Desember 2023 - Januari 2024"), Err(PeriodError::Unrecognised));
    }

    #[test]
    fn bounds_of_periods() {
        let q = parse_period("TW IV 2024").expect("quarter");
        assert_eq!(q.start(), NaiveDate::from_ymd_opt(2024, 10, 1));
        assert_eq!(q.end(), NaiveDate::from_ymd_opt(2024, 12, 31));
        let s = parse_period("Semester 1 2024").expect("semester");
        assert_eq!(s.end(), NaiveDate::from_ymd_opt(2024, 6, 30));
        let m = parse_period("2024-02").expect("month");
        assert_eq!(m.end(), NaiveDate::from_ymd_opt(2024, 2, 29));
        assert!(Period::month(2024, 1).month_key() > Period::month(2023, 12).month_key());
    }

    #[test]
    fn rejects_nonsense() {
        assert_eq!(parse_period("2024-13"), Err(PeriodError::Unrecognised));
        assert_eq!(parse_period("TW V 2024"), Err(PeriodError::Unrecognised));
        assert_eq!(parse_period("Semester 3 2024"), Err(PeriodError::Unrecognised));
        assert_eq!(parse_period("bulan lalu"), Err(PeriodError::Unrecognised));
        assert_eq!(parse_period("1900-01"), Err(PeriodError::OutOfRange));
        assert_eq!(parse_period(""), Err(PeriodError::Unrecognised));
    }
}
