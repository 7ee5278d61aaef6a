//! Headcount waterfalls on plain data: for every unit (or OPD) and month,
//! start + in − out ± other = end, and what does not close.
//!
//! Presence comes from where each employee is seen each month (the kinerja rows); movements from
//! the recorded transfers. `in` and `out` are recorded transfers of the month (from and to outside
//! the instansi included); `other` is joiners minus leavers without a record (new hires,
//! retirements, gaps in the data). When the records and the presence data agree, the waterfall
//! closes exactly; a transfer recorded without the person moving, or a move without a record,
//! leaves a `selisih` (discrepancy) that the report shows instead of hiding.

use std::collections::BTreeMap;

use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};

/// One recorded transfer, in month `month` (a month key).
#[derive(Debug, Clone, PartialEq)]
pub struct Move {
    pub employee: u32,
    pub from: Option<u32>,
    pub to: Option<u32>,
    pub month: i64,
}

/// One line of the waterfall.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Waterfall {
    pub start: i64,
    pub masuk: i64,
    pub keluar: i64,
    pub lainnya: i64,
    pub end: i64,
    /// end − (start + masuk − keluar + lainnya): 0 when records and presence agree.
    pub selisih: i64,
}

/// Waterfalls by (group, month) for the months after the first one seen. `presence` maps
/// (employee, month) to the group the employee is in; `moves` are recorded transfers between
/// groups (moves within one group are ignored).
pub fn waterfalls(presence: &HashMap<(u32, i64), u32>, moves: &[Move]) -> BTreeMap<(u32, i64), Waterfall> {
    let months: Vec<i64> = {
        let mut m: Vec<i64> = presence.keys().map(|(_, m)| *m).collect();
        m.sort_unstable();
        m.dedup();
        m
    };
    // Accumulated in a hash map (millions of employee-months), ordered at the end.
    let mut out: HashMap<(u32, i64), Waterfall> = HashMap::new();
    let mut recorded_in: HashSet<(u32, u32, i64)> = HashSet::new();
    let mut recorded_out: HashSet<(u32, u32, i64)> = HashSet::new();
    for m in moves.iter().filter(|m| m.from != m.to) {
        if let Some(to) = m.to {
            out.entry((to, m.month)).or_default().masuk += 1;
            recorded_in.insert((m.employee, to, m.month));
        }
        if let Some(from) = m.from {
            out.entry((from, m.month)).or_default().keluar += 1;
            recorded_out.insert((m.employee, from, m.month));
        }
    }
    for (&(employee, month), &group) in presence {
        out.entry((group, month)).or_default().end += 1;
        if months.binary_search(&(month + 1)).is_ok() {
            out.entry((group, month + 1)).or_default().start += 1;
        }
        // A joiner: here now, nowhere last month, and not a recorded arrival.
        let before = presence.get(&(employee, month - 1));
        if before.is_none()
            && months.first() != Some(&month)
            && !recorded_in.contains(&(employee, group, month))
        {
            out.entry((group, month)).or_default().lainnya += 1;
        }
    }
    for (&(employee, month), &group) in presence {
        // A leaver: here last month, nowhere now, and not a recorded departure.
        let next = month + 1;
        if months.binary_search(&next).is_ok()
            && !presence.contains_key(&(employee, next))
            && !recorded_out.contains(&(employee, group, next))
        {
            out.entry((group, next)).or_default().lainnya -= 1;
        }
    }
    let first = months.first().copied().unwrap_or(0);
    let last = months.last().copied().unwrap_or(0);
    out.into_iter()
        .filter(|((_, m), _)| *m > first && *m <= last)
        .map(|(k, mut w)| {
            w.selisih = w.end - (w.start + w.masuk - w.keluar + w.lainnya);
            (k, w)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Three people, two units, three months: a recorded move closes; a hire and a departure go
    /// to `lainnya`; a move without a record leaves a discrepancy.
    #[test]
    fn waterfalls_close_when_records_match_presence() {
        let mut p = HashMap::new();
        // Employee 0 moves from unit 0 to unit 1 in month 2, with a record.
        p.insert((0, 1), 0);
        p.insert((0, 2), 1);
        p.insert((0, 3), 1);
        // Employee 1 stays in unit 0 until month 2, then leaves the data.
        p.insert((1, 1), 0);
        p.insert((1, 2), 0);
        // Employee 2 joins unit 1 in month 3.
        p.insert((2, 3), 1);
        let moves = vec![Move { employee: 0, from: Some(0), to: Some(1), month: 2 }];
        let w = waterfalls(&p, &moves);
        assert_eq!(w[&(0, 2)], Waterfall { start: 2, masuk: 0, keluar: 1, lainnya: 0, end: 1, selisih: 0 });
        assert_eq!(w[&(1, 2)], Waterfall { start: 0, masuk: 1, keluar: 0, lainnya: 0, end: 1, selisih: 0 });
        assert_eq!(w[&(0, 3)], Waterfall { start: 1, masuk: 0, keluar: 0, lainnya: -1, end: 0, selisih: 0 });
        assert_eq!(w[&(1, 3)], Waterfall { start: 1, masuk: 0, keluar: 0, lainnya: 1, end: 2, selisih: 0 });
        assert!(w.values().all(|x| x.selisih == 0));
        // The same presence without the record: the move shows as a discrepancy in both units.
        let w = waterfalls(&p, &[]);
        assert_eq!(w[&(0, 2)].selisih, -1);
        assert_eq!(w[&(1, 2)].selisih, 1);
        // A record without the move: the person is still in unit 0.
        p.insert((0, 2), 0);
        p.insert((0, 3), 0);
        let w = waterfalls(&p, &moves);
        assert_eq!((w[&(0, 2)].selisih, w[&(1, 2)].selisih), (1, -1));
    }
}
