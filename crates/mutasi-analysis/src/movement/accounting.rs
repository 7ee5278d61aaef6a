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

/// Where each employee is each month: a dense employee × month grid of group codes (units or
/// OPDs), one cell per employee and month between the first and the last month seen. A grid, not
/// a hash map, because every pass over it (waterfalls, tenure, mobility) walks it in order and
/// looks up neighbouring months: 4 bytes an employee-month, read sequentially.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Presence {
    /// Month key of the grid's first column.
    first: i64,
    /// Months per employee row.
    span: usize,
    /// The group of employee `e` in month `first + m` at `e * span + m`; [`ABSENT`] when not seen.
    cells: Vec<u32>,
}

const ABSENT: u32 = u32::MAX;

impl Presence {
    /// From (employee, month key, group) sightings; the first sighting of an employee-month wins.
    pub fn from_sightings(sightings: &[(u32, i64, u32)]) -> Presence {
        let (Some(first), Some(last)) =
            (sightings.iter().map(|s| s.1).min(), sightings.iter().map(|s| s.1).max())
        else {
            return Presence::default();
        };
        let employees = sightings.iter().map(|s| s.0 as usize + 1).max().unwrap_or(0);
        let span = (last - first + 1) as usize;
        let mut cells = vec![ABSENT; employees * span];
        for &(e, m, g) in sightings {
            let cell = &mut cells[e as usize * span + (m - first) as usize];
            if *cell == ABSENT {
                *cell = g;
            }
        }
        Presence { first, span, cells }
    }

    /// The group employee `e` is in in month `m`.
    pub fn get(&self, e: u32, m: i64) -> Option<u32> {
        let offset = usize::try_from(m - self.first).ok().filter(|o| *o < self.span)?;
        self.cells.get(e as usize * self.span + offset).copied().filter(|g| *g != ABSENT)
    }

    /// Every (employee, month key, group), by employee and then month.
    pub fn iter(&self) -> impl Iterator<Item = (u32, i64, u32)> + '_ {
        let span = self.span.max(1);
        self.cells
            .iter()
            .enumerate()
            .filter(|(_, g)| **g != ABSENT)
            .map(move |(k, g)| ((k / span) as u32, self.first + (k % span) as i64, *g))
    }

    /// The same sightings with every group renamed by `f` (units to their OPD).
    pub fn map_groups(&self, f: impl Fn(u32) -> u32) -> Presence {
        let cells = self.cells.iter().map(|g| if *g == ABSENT { ABSENT } else { f(*g) }).collect();
        Presence { cells, ..*self }
    }

    /// The months in which anyone is seen, ascending.
    pub fn months(&self) -> Vec<i64> {
        let mut seen = vec![false; self.span];
        for row in self.cells.chunks(self.span.max(1)) {
            for (s, g) in seen.iter_mut().zip(row) {
                *s |= *g != ABSENT;
            }
        }
        (0..self.span).filter(|m| seen[*m]).map(|m| self.first + m as i64).collect()
    }
}

/// Waterfalls by (group, month) for the months after the first one seen. `presence` says which
/// group each employee is in each month; `moves` are recorded transfers between groups (moves
/// within one group are ignored).
pub fn waterfalls(presence: &Presence, moves: &[Move]) -> BTreeMap<(u32, i64), Waterfall> {
    let months = presence.months();
    let seen = |m: i64| months.binary_search(&m).is_ok();
    // Accumulated in a hash map, ordered at the end.
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
    for (employee, month, group) in presence.iter() {
        out.entry((group, month)).or_default().end += 1;
        let next = month + 1;
        if seen(next) {
            out.entry((group, next)).or_default().start += 1;
            // A leaver: here this month, nowhere the next, and not a recorded departure.
            if presence.get(employee, next).is_none() && !recorded_out.contains(&(employee, group, next)) {
                out.entry((group, next)).or_default().lainnya -= 1;
            }
        }
        // A joiner: here now, nowhere last month, and not a recorded arrival.
        if presence.get(employee, month - 1).is_none()
            && months.first() != Some(&month)
            && !recorded_in.contains(&(employee, group, month))
        {
            out.entry((group, month)).or_default().lainnya += 1;
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

    /// The grid keeps the first sighting of an employee-month, answers nothing outside its
    /// months, and walks by employee and then month.
    #[test]
    fn presence_grid_keeps_first_sightings_in_order() {
        let p = Presence::from_sightings(&[(1, 7, 3), (0, 5, 2), (1, 7, 4), (1, 5, 9), (0, 8, 2)]);
        assert_eq!(p.get(1, 7), Some(3), "the first sighting wins");
        assert_eq!((p.get(0, 6), p.get(0, 4), p.get(0, 9), p.get(2, 5)), (None, None, None, None));
        assert_eq!(p.iter().collect::<Vec<_>>(), vec![(0, 5, 2), (0, 8, 2), (1, 5, 9), (1, 7, 3)]);
        assert_eq!(p.months(), vec![5, 7, 8]);
        assert_eq!(p.map_groups(|g| g * 10).get(1, 5), Some(90));
        let empty = Presence::from_sightings(&[]);
        assert_eq!((empty.iter().count(), empty.months(), empty.get(0, 0)), (0, vec![], None));
        assert!(waterfalls(&empty, &[]).is_empty());
    }

    /// Three people, two units, three months: a recorded move closes; a hire and a departure go
    /// to `lainnya`; a move without a record leaves a discrepancy.
    #[test]
    fn waterfalls_close_when_records_match_presence() {
        let mut sightings = vec![
            // Employee 0 moves from unit 0 to unit 1 in month 2, with a record.
            (0, 1, 0),
            (0, 2, 1),
            (0, 3, 1),
            // Employee 1 stays in unit 0 until month 2, then leaves the data.
            (1, 1, 0),
            (1, 2, 0),
            // Employee 2 joins unit 1 in month 3.
            (2, 3, 1),
        ];
        let p = Presence::from_sightings(&sightings);
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
        sightings[1].2 = 0;
        sightings[2].2 = 0;
        let w = waterfalls(&Presence::from_sightings(&sightings), &moves);
        assert_eq!((w[&(0, 2)].selisih, w[&(1, 2)].selisih), (1, -1));
    }
}
