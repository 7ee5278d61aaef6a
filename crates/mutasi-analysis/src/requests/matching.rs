//! Which transfers did the employee ask for? Matching transfers to approved requests, on plain
//! data.
//!
//! Rule (documented in `docs/outputs.md`): a transfer is *requested* (`diminta`) when the same
//! employee has an approved request whose decision (or, without one, submission) date is on or
//! before the TMT and at most `window_days` before it, and whose requested destination, when
//! given, is the transfer's destination. Requests and transfers are paired one to one: transfers
//! in TMT order each take the most recent eligible request not yet used. `kandidat` counts the
//! eligible requests a transfer had, so ambiguous pairings are visible; approved requests left
//! over are listed as unmatched.

use chrono::NaiveDate;

/// An approved request.
#[derive(Debug, Clone, PartialEq)]
pub struct Approved {
    pub employee: u32,
    /// The decision date, or the submission date when there is none.
    pub date: NaiveDate,
    pub destination: Option<String>,
}

/// A transfer into a unit.
#[derive(Debug, Clone, PartialEq)]
pub struct TransferIn {
    pub employee: u32,
    pub tmt: NaiveDate,
    pub destination: String,
}

/// The request matched to each transfer (index into the requests) and its number of eligible
/// candidates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Matches {
    pub of_transfer: Vec<Option<usize>>,
    pub candidates: Vec<usize>,
    pub request_used: Vec<bool>,
}

pub fn match_requests(transfers: &[TransferIn], requests: &[Approved], window_days: i64) -> Matches {
    let mut order: Vec<usize> = (0..transfers.len()).collect();
    order.sort_by_key(|k| (transfers[*k].employee, transfers[*k].tmt));
    let mut used = vec![false; requests.len()];
    let mut of_transfer = vec![None; transfers.len()];
    let mut candidates = vec![0; transfers.len()];
    // Requests by employee, so each transfer looks at its own employee's only.
    let mut by_employee: std::collections::HashMap<u32, Vec<usize>> = std::collections::HashMap::new();
    for (j, r) in requests.iter().enumerate() {
        by_employee.entry(r.employee).or_default().push(j);
    }
    let none: Vec<usize> = Vec::new();
    for k in order {
        let t = &transfers[k];
        let eligible: Vec<usize> = by_employee
            .get(&t.employee)
            .unwrap_or(&none)
            .iter()
            .copied()
            .filter(|j| {
                let r = &requests[*j];
                let gap = (t.tmt - r.date).num_days();
                r.employee == t.employee
                    && (0..=window_days).contains(&gap)
                    && r.destination.as_ref().is_none_or(|d| *d == t.destination)
            })
            .collect();
        candidates[k] = eligible.len();
        if let Some(j) = eligible.into_iter().filter(|j| !used[*j]).max_by_key(|j| (requests[*j].date, *j)) {
            used[j] = true;
            of_transfer[k] = Some(j);
        }
    }
    Matches { of_transfer, candidates, request_used: used }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    fn req(e: u32, date: NaiveDate, dest: Option<&str>) -> Approved {
        Approved { employee: e, date, destination: dest.map(String::from) }
    }

    fn tr(e: u32, tmt: NaiveDate, dest: &str) -> TransferIn {
        TransferIn { employee: e, tmt, destination: dest.into() }
    }

    #[test]
    fn matches_by_employee_destination_and_window() {
        let requests = vec![
            req(1, d(2024, 1, 10), Some("PKM17")), // 0: matches transfer 0
            req(2, d(2024, 1, 10), Some("PKM01")), // 1: wrong destination
            req(3, d(2022, 1, 10), None),          // 2: too early (window 365 days)
            req(4, d(2024, 3, 10), None),          // 3: after the TMT
        ];
        let transfers = vec![
            tr(1, d(2024, 3, 1), "PKM17"),
            tr(2, d(2024, 3, 1), "PKM17"),
            tr(3, d(2024, 3, 1), "PKM17"),
            tr(4, d(2024, 3, 1), "PKM17"),
            tr(5, d(2024, 3, 1), "PKM17"),
        ];
        let m = match_requests(&transfers, &requests, 365);
        assert_eq!(m.of_transfer, vec![Some(0), None, None, None, None]);
        assert_eq!(m.candidates, vec![1, 0, 0, 0, 0]);
        assert_eq!(m.request_used, vec![true, false, false, false]);
    }

    /// Two approved requests and two transfers of one person: paired one to one in time order;
    /// a second transfer with only one request left shows its two candidates.
    #[test]
    fn ambiguous_cases_pair_one_to_one_and_count_candidates() {
        let requests = vec![req(1, d(2024, 1, 1), None), req(1, d(2024, 2, 1), None)];
        let transfers = vec![tr(1, d(2024, 3, 1), "PKM17"), tr(1, d(2024, 4, 1), "PKM01")];
        let m = match_requests(&transfers, &requests, 365);
        // The March transfer takes the most recent request (February); April takes January.
        assert_eq!(m.of_transfer, vec![Some(1), Some(0)]);
        assert_eq!(m.candidates, vec![2, 2]);
        // One request, two transfers: only the first transfer is requested.
        let m = match_requests(&transfers, &requests[..1], 365);
        assert_eq!(m.of_transfer, vec![Some(0), None]);
        assert_eq!(m.candidates, vec![1, 1]);
    }
}
