//! Stacked event study over every transfer, not only the first (Cengiz et al. 2019; Wing,
//! Freedman & Hollingsworth 2024).
//!
//! One sub-experiment per event period g: the treated are entities with an event at g and no
//! other event in the window [g − pre, g + post]; the clean controls are entities with no event in
//! that window. Both must be observed in the reference period g − 1. For event time e,
//! ATT_g(e) = [Ȳ_T(g+e) − Ȳ_T(g−1)] − [Ȳ_C(g+e) − Ȳ_C(g−1)] over entities observed at g + e, and
//! the stacked effect θ(e) = Σ_g w_g ATT_g(e) with weights proportional to the number of treated
//! events (the trimmed aggregate ATT). Its linear representation sums, per entity, its terms across
//! every sub-experiment it enters (as treated or as control), so the standard error is clustered
//! on the entity: SE = √Σ_i ψ_i². Sub-experiment weights are treated as fixed.

use std::sync::{Arc, OnceLock};

use rayon::prelude::*;

/// The outcome series of one entity and its event periods.
#[derive(Debug, Clone, Default)]
pub struct Entity {
    /// Period of `y[0]`.
    pub start: i64,
    /// Outcomes of consecutive periods from `start`; NaN where not observed.
    pub y: Vec<f64>,
    pub events: Vec<i64>,
}

impl Entity {
    /// An entity from (period, value) pairs in any order.
    pub fn from_points(points: &[(i64, f64)], events: Vec<i64>) -> Entity {
        let (Some(lo), Some(hi)) = (points.iter().map(|p| p.0).min(), points.iter().map(|p| p.0).max())
        else {
            return Entity { start: 0, y: Vec::new(), events };
        };
        let mut y = vec![f64::NAN; (hi - lo + 1) as usize];
        for (t, v) in points {
            y[(t - lo) as usize] = *v;
        }
        Entity { start: lo, y, events }
    }

    /// The outcome at period `t`, if observed.
    pub fn at(&self, t: i64) -> Option<f64> {
        let k = usize::try_from(t - self.start).ok()?;
        self.y.get(k).copied().filter(|v| !v.is_nan())
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct StackedPoint {
    pub e: i64,
    pub att: f64,
    pub se: f64,
    /// Treated events contributing at this event time.
    pub n_events: usize,
    pub n_subexperiments: usize,
}

/// Stacked event-study estimates for e = −pre ..= post (e = −1 is the reference, 0 by definition,
/// and is omitted).
pub fn stacked(entities: &[Entity], pre: i64, post: i64, min_treated: usize) -> Vec<StackedPoint> {
    stacked_where(entities, pre, post, min_treated, &|_, _| true)
}

/// [`stacked`] for a subgroup of events: only events for which `treated(entity, period)` holds
/// make an entity treated; every event still keeps an entity out of the clean controls of windows
/// it falls in.
pub fn stacked_where(
    entities: &[Entity],
    pre: i64,
    post: i64,
    min_treated: usize,
    treated_event: &dyn Fn(usize, i64) -> bool,
) -> Vec<StackedPoint> {
    Stack::new(entities, pre, post).estimate(min_treated, treated_event)
}

/// The entities of one stacked event study and what its subgroups share: their series on one
/// grid, and each event period's clean controls with their sums (which do not depend on which
/// events a subgroup counts as treated). Each subgroup's [`Stack::estimate`] equals
/// [`stacked_where`] on the same entities bit for bit.
///
/// The work is spread over the rayon pool where it does not change a single bit: the event
/// periods are classified and their sides summed one period per task (each sum in the same order
/// as alone), and the influence terms are added in blocks of entities, each entity's terms in the
/// same order (sub-experiment by sub-experiment) whatever the blocks.
pub struct Stack<'a> {
    entities: &'a [Entity],
    pre: i64,
    post: i64,
    grid: Grid,
    /// Event times −pre ..= post (e = −1, the reference, included but never observed).
    es: Vec<i64>,
    /// Per event period g, computed when first asked: the clean controls, the entities whose only
    /// event in the window is g (both observed at g − 1), and the controls' side.
    periods: std::cell::RefCell<std::collections::HashMap<i64, Arc<Period>>>,
    /// Entities per block of the influence pass (one task each).
    block: usize,
}

/// One event period's members ([`Stack::periods`]), each list in entity order.
struct Period {
    controls: Vec<usize>,
    sole: Vec<usize>,
    /// Formed when a subgroup first uses the period.
    control_side: OnceLock<Side>,
}

impl Period {
    /// The members of event period g among `entities`, for a window of `pre` periods before and
    /// `post` after it.
    fn classify(entities: &[Entity], g: i64, pre: i64, post: i64) -> Period {
        let (lo, hi) = (g - pre, g + post);
        let (mut controls, mut sole) = (Vec::new(), Vec::new());
        for (i, x) in entities.iter().enumerate() {
            if x.at(g - 1).is_none() {
                continue;
            }
            // The entity's events in the window: none (a clean control) or only this one.
            let mut in_window = x.events.iter().copied().filter(|t| (lo..=hi).contains(t));
            match (in_window.next(), in_window.next()) {
                (None, _) => controls.push(i),
                (Some(only), None) if only == g => sole.push(i),
                _ => {}
            }
        }
        Period { controls, sole, control_side: OnceLock::new() }
    }
}

/// Entities per task of the influence pass: a block's rows of the influence matrix (a few
/// hundred kilobytes at 25 event times) stay in one core's cache while every sub-experiment adds
/// to them.
const BLOCK: usize = 2048;

impl<'a> Stack<'a> {
    pub fn new(entities: &'a [Entity], pre: i64, post: i64) -> Stack<'a> {
        Self::with_block(entities, pre, post, BLOCK)
    }

    /// [`Stack::new`] with `block` entities per task of the influence pass (tests use small
    /// blocks to cross many block edges).
    fn with_block(entities: &'a [Entity], pre: i64, post: i64, block: usize) -> Stack<'a> {
        // Event times as one contiguous range, so a member's values at them are one slice of its
        // row; e = −1, the reference, is never observed (it gets no weight and no point).
        let es: Vec<i64> = (-pre..=post).collect();
        let grid = Grid::of(entities, pre.max(post).max(0) + 1);
        Stack { entities, pre, post, grid, es, periods: Default::default(), block: block.max(1) }
    }

    /// The entities, in the order of their indices.
    pub fn entities(&self) -> &'a [Entity] {
        self.entities
    }

    /// The members of event periods `gs`, each classified once for every subgroup (the new ones
    /// side by side).
    fn periods(&self, gs: &[i64]) -> Vec<Arc<Period>> {
        let missing: Vec<i64> = {
            let known = self.periods.borrow();
            gs.iter().copied().filter(|g| !known.contains_key(g)).collect()
        };
        let (entities, pre, post) = (self.entities, self.pre, self.post);
        let made: Vec<(i64, Arc<Period>)> = missing
            .into_par_iter()
            .map(|g| (g, Arc::new(Period::classify(entities, g, pre, post))))
            .collect();
        let mut known = self.periods.borrow_mut();
        known.extend(made);
        gs.iter().filter_map(|g| known.get(g).cloned()).collect()
    }

    /// The stacked effects of the events for which `treated_event(entity, period)` holds.
    pub fn estimate(
        &self,
        min_treated: usize,
        treated_event: &dyn Fn(usize, i64) -> bool,
    ) -> Vec<StackedPoint> {
        let (entities, pre, grid, es) = (self.entities, self.pre, &self.grid, &self.es);
        let mut periods: Vec<i64> = entities
            .iter()
            .enumerate()
            .flat_map(|(i, x)| x.events.iter().copied().filter(move |t| treated_event(i, *t)))
            .collect();
        periods.sort_unstable();
        periods.dedup();
        // Sub-experiments: treated and clean controls per event period.
        struct Sub {
            g: i64,
            treated: Vec<usize>,
            period: Arc<Period>,
        }
        let mut subs = Vec::new();
        for (&g, period) in periods.iter().zip(self.periods(&periods)) {
            let treated: Vec<usize> = period.sole.iter().copied().filter(|i| treated_event(*i, g)).collect();
            if treated.len() >= min_treated && !period.controls.is_empty() {
                subs.push(Sub { g, treated, period });
            }
        }
        let ne = es.len();
        // Pass 1, sub-experiment by sub-experiment: the sums and counts of the observed changes
        // of the treated at every event time (the controls' are the period's). Each member's
        // series is read once per sub-experiment.
        let sides: Vec<(Side, &Side)> = subs
            .par_iter()
            .map(|s| {
                let controls = &s.period.control_side;
                let controls = controls.get_or_init(|| Side::of(grid, &s.period.controls, s.g, es));
                (Side::of(grid, &s.treated, s.g, es), controls)
            })
            .collect();
        // Weights per event time over the sub-experiments that observe both sides at it.
        let observed = |k: usize, j: usize| sides[k].0.n[j] > 0 && sides[k].1.n[j] > 0;
        let weight_total: Vec<usize> = (0..ne)
            .map(|j| (0..subs.len()).filter(|k| observed(*k, j)).map(|k| subs[k].treated.len()).sum())
            .collect();
        let mut att = vec![0.0; ne];
        let mut events = vec![0usize; ne];
        let mut used = vec![0usize; ne];
        // Each sub-experiment's influence terms of its treated and of its controls.
        let mut terms = Vec::with_capacity(subs.len());
        for (k, s) in subs.iter().enumerate() {
            let (t, c) = &sides[k];
            let w: Vec<Option<f64>> = (0..ne)
                .map(|j| observed(k, j).then(|| s.treated.len() as f64 / weight_total[j] as f64))
                .collect();
            for (j, wj) in w.iter().enumerate() {
                if let Some(wj) = wj {
                    att[j] += wj * (t.mean(j) - c.mean(j));
                    events[j] += t.n[j];
                    used[j] += 1;
                }
            }
            terms.push((t.terms(&w, 1.0), c.terms(&w, -1.0)));
        }
        // Pass 2: the influence terms, entity-major (`psi[i * ne + j]`), added sub-experiment by
        // sub-experiment in the same order as the effect itself, one block of entities per task.
        let mut psi = vec![0.0; entities.len() * ne];
        let block = self.block;
        psi.par_chunks_mut(block * ne.max(1)).enumerate().for_each(|(b, rows)| {
            let first = b * block;
            let end = first + rows.len() / ne.max(1);
            // Every member list is in entity order: a block's members are one run of it.
            for (s, (t, c)) in subs.iter().zip(&terms) {
                t.add(grid, within_sub(&s.treated, first, end), s.g, pre, rows, first);
                c.add(grid, within_sub(&s.period.controls, first, end), s.g, pre, rows, first);
            }
        });
        // Each event time's sum of squares, entity by entity (the order of a sum per event time).
        let mut squares = vec![-0.0; ne];
        for row in psi.chunks_exact(ne.max(1)) {
            for (sq, p) in squares.iter_mut().zip(row) {
                *sq += p * p;
            }
        }
        let mut out = Vec::new();
        for (j, e) in es.iter().enumerate() {
            if weight_total[j] == 0 || *e == -1 {
                continue;
            }
            let se = squares[j].sqrt();
            out.push(StackedPoint { e: *e, att: att[j], se, n_events: events[j], n_subexperiments: used[j] });
        }
        out
    }
}

/// The members of a sorted member list that fall in entities `first..end`.
fn within_sub(members: &[usize], first: usize, end: usize) -> &[usize] {
    &members[members.partition_point(|i| *i < first)..members.partition_point(|i| *i < end)]
}

/// Every entity's series on one grid of periods, entity by entity: the sub-experiments read
/// their members' values from one block of memory instead of through a vector per entity.
struct Grid {
    /// Period of column 0.
    lo: i64,
    width: usize,
    /// `y[i * width + (t − lo)]`; NaN where entity i is not observed.
    y: Vec<f64>,
}

impl Grid {
    /// The grid of `entities` with `pad` unobserved periods on either side, so that a window of
    /// up to `pad` periods around an observed period stays on it.
    fn of(entities: &[Entity], pad: i64) -> Grid {
        let spans = entities.iter().filter(|x| !x.y.is_empty());
        let lo = spans.clone().map(|x| x.start).min().unwrap_or(0) - pad;
        let hi = spans.map(|x| x.start + x.y.len() as i64).max().unwrap_or(lo + pad) + pad;
        let width = (hi - lo) as usize;
        let mut y = vec![f64::NAN; entities.len() * width];
        for (i, x) in entities.iter().enumerate().filter(|(_, x)| !x.y.is_empty()) {
            let from = i * width + (x.start - lo) as usize;
            y[from..from + x.y.len()].copy_from_slice(&x.y);
        }
        Grid { lo, width, y }
    }

    /// Each member observed at g − 1 with its value there and its row's `len` values from period
    /// `from` (in the grid's padding when `from` and `len` stay within it).
    fn windows<'a>(
        &'a self,
        members: &'a [usize],
        g: i64,
        from: i64,
        len: usize,
    ) -> impl Iterator<Item = (usize, f64, &'a [f64])> + 'a {
        let offset = usize::try_from(from - self.lo).ok();
        members.iter().filter_map(move |&i| {
            let base = self.at(i, g - 1)?;
            let start = i * self.width + offset?;
            Some((i, base, self.y.get(start..start + len)?))
        })
    }

    /// [`Entity::at`] of entity `i`.
    fn at(&self, i: usize, t: i64) -> Option<f64> {
        let k = usize::try_from(t - self.lo).ok().filter(|k| *k < self.width)?;
        Some(self.y[i * self.width + k]).filter(|v| !v.is_nan())
    }
}

/// One side (treated or clean controls) of a sub-experiment at g: per event time, the sum and
/// number of the observed changes Y(g + e) − Y(g − 1) of its members.
struct Side {
    sum: Vec<f64>,
    n: Vec<usize>,
}

impl Side {
    /// The side's sums and counts at event times `es` (contiguous, from −pre; e = −1 is left
    /// out). Unobserved values add −0.0, which leaves every sum unchanged bit for bit, so the
    /// loop has no branch.
    fn of(grid: &Grid, members: &[usize], g: i64, es: &[i64]) -> Side {
        let ne = es.len();
        // −0.0 is the neutral element `Iterator::sum` starts from.
        let mut side = Side { sum: vec![-0.0; ne], n: vec![0; ne] };
        let on: Vec<bool> = es.iter().map(|e| *e != -1).collect();
        let from = g + es.first().copied().unwrap_or(0);
        for (_, base, row) in grid.windows(members, g, from, ne) {
            for (((sum, n), v), on) in side.sum.iter_mut().zip(side.n.iter_mut()).zip(row).zip(&on) {
                let seen = *on && !v.is_nan();
                *sum += if seen { v - base } else { -0.0 };
                *n += usize::from(seen);
            }
        }
        side
    }

    fn mean(&self, j: usize) -> f64 {
        self.sum[j] / self.n[j] as f64
    }

    /// What each member observed at event time j adds to its influence term there:
    /// `sign · (d − mean_j) · (w_j / n_j)`, for the event times that have a weight (`w`, one per
    /// event time e = −pre, −pre + 1, …). `sign` is ±1, so the sum is exact either way.
    fn terms(&self, w: &[Option<f64>], sign: f64) -> Terms {
        let ne = w.len();
        Terms {
            on: w.iter().map(Option::is_some).collect(),
            mean: (0..ne).map(|j| self.mean(j)).collect(),
            // w_j / n_j once per event time: no division per member and event time.
            scale: w.iter().zip(&self.n).map(|(w, n)| w.unwrap_or(0.0) / *n as f64).collect(),
            sign,
        }
    }
}

/// One side's influence terms of one sub-experiment ([`Side::terms`]).
struct Terms {
    on: Vec<bool>,
    mean: Vec<f64>,
    scale: Vec<f64>,
    sign: f64,
}

impl Terms {
    /// Adds the terms of `members` (sub-experiment at g) to `psi`, the rows of entities from
    /// `first` on (`psi[(i − first) · ne + j]`). Every term is computed and the unused ones are
    /// replaced by −0.0, which leaves `psi` unchanged bit for bit, so the loop has no branch.
    fn add(&self, grid: &Grid, members: &[usize], g: i64, pre: i64, psi: &mut [f64], first: usize) {
        let ne = self.on.len();
        for (i, base, row) in grid.windows(members, g, g - pre, ne) {
            let Some(k) = i.checked_sub(first) else { continue };
            let Some(p) = psi.get_mut(k * ne..(k + 1) * ne) else { continue };
            for (((p, v), on), (m, scale)) in
                p.iter_mut().zip(row).zip(&self.on).zip(self.mean.iter().zip(&self.scale))
            {
                let term = self.sign * (((v - base) - m) * scale);
                *p += if *on && !v.is_nan() { term } else { -0.0 };
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Entities with a known step effect after each event: the stack recovers it at every e ≥ 0
    /// and finds zero before; repeated events are used, not only the first.
    #[test]
    fn recovers_a_known_step_from_repeated_events() {
        let mut entities = Vec::new();
        for i in 0..400i64 {
            let events: Vec<i64> = match i % 4 {
                0 => vec![10],
                1 => vec![14, 40],
                2 => vec![25],
                _ => vec![],
            };
            let mut y = Vec::new();
            for t in 0..60 {
                let effect: f64 = events.iter().filter(|g| t >= **g).map(|_| 2.0).sum();
                // Entity level, a common trend, and a small deterministic wiggle.
                let wiggle = (((i * 7 + t * 13) % 11) as f64 - 5.0) / 10.0;
                // Every 17th month of some entities is missing.
                if (i + t) % 17 != 0 || i % 2 == 0 {
                    y.push((t, i as f64 * 0.01 + 0.1 * t as f64 + effect + wiggle));
                }
            }
            entities.push(Entity::from_points(&y, events));
        }
        let pts = stacked(&entities, 4, 6, 1);
        assert_eq!(pts.len(), 10);
        for p in &pts {
            let want = if p.e >= 0 { 2.0 } else { 0.0 };
            assert!((p.att - want).abs() < 0.3, "e = {}: {} (want {want})", p.e, p.att);
            assert!(p.se > 0.0 && p.se < 0.3);
        }
        // The second event of group 1 (at 40) is a sub-experiment of its own.
        assert!(pts.iter().all(|p| p.n_subexperiments == 4), "{pts:?}");
        // A subgroup of events (only those at period 10): one sub-experiment, the same effect, and
        // entities of the other events are still not clean controls around them.
        let sub = stacked_where(&entities, 4, 6, 1, &|_, t| t == 10);
        assert!(sub.iter().all(|p| p.n_subexperiments == 1 && p.n_events <= 100), "{sub:?}");
        for p in &sub {
            let want = if p.e >= 0 { 2.0 } else { 0.0 };
            assert!((p.att - want).abs() < 0.3, "e = {}: {}", p.e, p.att);
        }
        // Entities whose event at 14 falls in the window of 10 are neither treated nor controls.
        let controls_only = stacked_where(&entities, 4, 6, 1, &|_, _| false);
        assert!(controls_only.is_empty());
    }

    /// One stack serves several subgroups in any order: each equals its own computation bit for
    /// bit, though the periods' controls were classified and summed for another subgroup first.
    #[test]
    fn a_shared_stack_equals_each_subgroup_alone() {
        let mut entities = Vec::new();
        for i in 0..240i64 {
            let events: Vec<i64> = match i % 4 {
                0 => vec![8 + i % 5],
                1 => vec![15, 30 + i % 3],
                _ => vec![],
            };
            let y: Vec<(i64, f64)> = (0..45)
                .filter(|t| (i + t) % 11 != 0)
                .map(|t| {
                    (
                        t,
                        ((i * 13 + t * 7) % 19) as f64 * 0.5
                            + if events.iter().any(|g| t >= *g) { 1.0 } else { 0.0 },
                    )
                })
                .collect();
            entities.push(Entity::from_points(&y, events));
        }
        let subgroups: [&dyn Fn(usize, i64) -> bool; 4] =
            [&|i, _| i % 3 == 0, &|_, _| true, &|_, t| t >= 15, &|i, t| i % 3 != 0 || t < 12];
        let stack = Stack::new(&entities, 4, 6);
        for treated in subgroups.iter().rev().chain(subgroups.iter()) {
            let shared = stack.estimate(3, *treated);
            let alone = Stack::new(&entities, 4, 6).estimate(3, *treated);
            assert!(!alone.is_empty());
            assert_eq!(shared, alone);
            for (a, b) in shared.iter().zip(&alone) {
                assert_eq!((a.att.to_bits(), a.se.to_bits()), (b.att.to_bits(), b.se.to_bits()));
            }
        }
        // The subgroups differ, so the test compares different estimates.
        assert_ne!(stack.estimate(3, subgroups[0]), stack.estimate(3, subgroups[1]));
    }

    /// The effect and its standard error event time by event time, straight from the formulas
    /// in the module comment: the fast path must give the same bits.
    fn by_event_time(entities: &[Entity], pre: i64, post: i64, min_treated: usize) -> Vec<StackedPoint> {
        let mut periods: Vec<i64> = entities.iter().flat_map(|x| x.events.clone()).collect();
        periods.sort_unstable();
        periods.dedup();
        let mut subs: Vec<(i64, Vec<usize>, Vec<usize>)> = Vec::new();
        for &g in &periods {
            let (mut treated, mut controls) = (Vec::new(), Vec::new());
            for (i, x) in entities.iter().enumerate().filter(|(_, x)| x.at(g - 1).is_some()) {
                let inside: Vec<i64> =
                    x.events.iter().copied().filter(|t| (g - pre..=g + post).contains(t)).collect();
                match inside.as_slice() {
                    [] => controls.push(i),
                    [only] if *only == g => treated.push(i),
                    _ => {}
                }
            }
            if treated.len() >= min_treated && !controls.is_empty() {
                subs.push((g, treated, controls));
            }
        }
        let mut out = Vec::new();
        for e in (-pre..=post).filter(|e| *e != -1) {
            let mut psi = vec![0.0; entities.len()];
            let delta = |i: usize, g: i64| Some(entities[i].at(g + e)? - entities[i].at(g - 1)?);
            let parts: Vec<_> = subs
                .iter()
                .map(|(g, t, c)| {
                    let side =
                        |m: &[usize]| m.iter().filter_map(|i| Some((*i, delta(*i, *g)?))).collect::<Vec<_>>();
                    (side(t), side(c), t.len())
                })
                .filter(|(t, c, _)| !t.is_empty() && !c.is_empty())
                .collect();
            let total: usize = parts.iter().map(|p| p.2).sum();
            if total == 0 {
                continue;
            }
            let (mut att, mut events) = (0.0, 0);
            for (t, c, n) in &parts {
                let w = *n as f64 / total as f64;
                let mu_t = t.iter().map(|(_, d)| d).sum::<f64>() / t.len() as f64;
                let mu_c = c.iter().map(|(_, d)| d).sum::<f64>() / c.len() as f64;
                att += w * (mu_t - mu_c);
                for (i, d) in t {
                    psi[*i] += (d - mu_t) * (w / t.len() as f64);
                }
                for (i, d) in c {
                    psi[*i] -= (d - mu_c) * (w / c.len() as f64);
                }
                events += t.len();
            }
            let se = psi.iter().map(|v| v * v).sum::<f64>().sqrt();
            out.push(StackedPoint { e, att, se, n_events: events, n_subexperiments: parts.len() });
        }
        out
    }

    /// Ragged series (different starts and lengths, gaps, an entity with no values, events near
    /// the edges): every point equals the event-time-by-event-time computation bit for bit.
    #[test]
    fn equals_the_event_time_by_event_time_computation() {
        let mut entities = Vec::new();
        for i in 0..300i64 {
            let events: Vec<i64> = match i % 5 {
                0 => vec![3 + i % 7],
                1 => vec![20 + i % 3, 31],
                2 => vec![44 - i % 4],
                _ => vec![],
            };
            let (from, to) = (i % 6, 50 - i % 9);
            let y: Vec<(i64, f64)> = (from..to)
                .filter(|t| (i * 3 + t) % 13 != 0)
                .map(|t| {
                    (
                        t,
                        ((i * 31 + t * 17) % 23) as f64 * 0.37 - (t as f64).sqrt()
                            + if events.iter().any(|g| t >= *g) { 1.5 } else { 0.0 },
                    )
                })
                .collect();
            entities.push(Entity::from_points(&y, events));
        }
        entities.push(Entity::from_points(&[], vec![12]));
        for (pre, post) in [(4, 6), (12, 12), (1, 0)] {
            let slow = by_event_time(&entities, pre, post, 2);
            // One block of entities, and blocks of 1, 7 and 64 whose edges cut through every
            // sub-experiment's treated and controls.
            for block in [BLOCK, 1, 7, 64] {
                let fast = Stack::with_block(&entities, pre, post, block).estimate(2, &|_, _| true);
                assert!(!fast.is_empty());
                assert_eq!(fast.len(), slow.len());
                for (a, b) in fast.iter().zip(&slow) {
                    assert_eq!((a.e, a.n_events, a.n_subexperiments), (b.e, b.n_events, b.n_subexperiments));
                    assert_eq!(a.att.to_bits(), b.att.to_bits(), "att at e = {}, block {block}", a.e);
                    assert_eq!(a.se.to_bits(), b.se.to_bits(), "se at e = {}, block {block}", a.e);
                }
            }
        }
    }
}
