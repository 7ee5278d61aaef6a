//! Tenure rules and blackout windows on plain data.
//!
//! - PP 11/2017 Pasal 190(3): a PNS moves at least 2 and at most 5 years apart. A move after less
//!   than 24 months in post is flagged; so is a stay of more than 60 months.
//! - UU 10/2016 Pasal 71(2): no replacement of officials from six months before the Pilkada
//!   candidates are set until the end of the term; transfers dated inside a configured window are
//!   flagged (the 2024 window is the default).
//!
//! Time in post is counted from the employee's previous arrival (a recorded transfer) or, without
//! one, from the first month the employee is seen; in the second case it is a lower bound, and a
//! move is only flagged as early when the arrival is known.

use chrono::NaiveDate;

/// A configured blackout window, both ends included.
#[derive(Debug, Clone, PartialEq)]
pub struct Blackout {
    pub label: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
}

/// The default window: Pilkada 2024, six months before the candidates were set (22 September
/// 2024) until the new heads of region took office (20 February 2025).
pub fn default_blackouts() -> Vec<Blackout> {
    vec![Blackout {
        label: "Pilkada 2024 (UU 10/2016 Pasal 71(2))".into(),
        start: NaiveDate::from_ymd_opt(2024, 3, 22).unwrap_or_default(),
        end: NaiveDate::from_ymd_opt(2025, 2, 20).unwrap_or_default(),
    }]
}

/// The window a date falls in, if any.
pub fn blackout_of(d: NaiveDate, windows: &[Blackout]) -> Option<&Blackout> {
    windows.iter().find(|w| w.start <= d && d <= w.end)
}

/// Whole months from `a` to `b` (negative when `b` is earlier), by calendar month and day.
pub fn months_between(a: NaiveDate, b: NaiveDate) -> i64 {
    use chrono::Datelike;
    let m = i64::from(b.year() - a.year()) * 12 + i64::from(b.month()) - i64::from(a.month());
    if b.day() < a.day() { m - 1 } else { m }
}

/// Minimum and maximum time in post, in months (PP 11/2017 Pasal 190(3)).
pub const MIN_MONTHS_IN_POST: i64 = 24;
pub const MAX_MONTHS_IN_POST: i64 = 60;

/// How a transfer stands against the tenure rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TenureCheck {
    /// Months in post before the move; a lower bound when `known_arrival` is false.
    pub months_in_post: i64,
    pub known_arrival: bool,
    /// Moved after less than 2 years in post (only when the arrival is known).
    pub too_early: bool,
}

/// Checks a move on `tmt` by someone who arrived on `arrival` (a recorded transfer) or was first
/// seen on `first_seen`.
pub fn check_move(
    tmt: NaiveDate,
    arrival: Option<NaiveDate>,
    first_seen: Option<NaiveDate>,
) -> Option<TenureCheck> {
    let (since, known) = match (arrival, first_seen) {
        (Some(a), _) => (a, true),
        (None, Some(f)) => (f, false),
        (None, None) => return None,
    };
    let months = months_between(since, tmt);
    Some(TenureCheck {
        months_in_post: months,
        known_arrival: known,
        too_early: known && months < MIN_MONTHS_IN_POST,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    #[test]
    fn months_count_whole_calendar_months() {
        assert_eq!(months_between(d(2022, 3, 1), d(2024, 3, 1)), 24);
        assert_eq!(months_between(d(2022, 3, 15), d(2024, 3, 1)), 23);
        assert_eq!(months_between(d(2024, 3, 1), d(2022, 3, 1)), -24);
    }

    #[test]
    fn early_moves_are_flagged_only_with_a_known_arrival() {
        let early = check_move(d(2023, 6, 1), Some(d(2022, 3, 1)), None).expect("check");
        assert!(early.too_early && early.known_arrival && early.months_in_post == 15);
        let ok = check_move(d(2024, 3, 1), Some(d(2022, 3, 1)), None).expect("check");
        assert!(!ok.too_early);
        let unknown = check_move(d(2023, 6, 1), None, Some(d(2022, 3, 1))).expect("check");
        assert!(!unknown.too_early && !unknown.known_arrival);
        assert_eq!(check_move(d(2023, 6, 1), None, None), None);
    }

    #[test]
    fn the_2024_pilkada_window_is_the_default() {
        let w = default_blackouts();
        assert!(blackout_of(d(2024, 3, 22), &w).is_some());
        assert!(blackout_of(d(2025, 2, 20), &w).is_some());
        assert!(blackout_of(d(2024, 3, 21), &w).is_none());
        assert!(blackout_of(d(2025, 3, 1), &w).is_none());
    }
}
