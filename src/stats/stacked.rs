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
        controls: Vec<usize>,
    }
    let mut subs = Vec::new();
    for &g in &periods {
        let (lo, hi) = (g - pre, g + post);
        let mut treated = Vec::new();
        let mut controls = Vec::new();
        for (i, x) in entities.iter().enumerate() {
            if x.at(g - 1).is_none() {
                continue;
            }
            // The entity's events in the window: none (a clean control) or only this one.
            let mut in_window = x.events.iter().copied().filter(|t| (lo..=hi).contains(t));
            match (in_window.next(), in_window.next()) {
                (None, _) => controls.push(i),
                (Some(only), None) if only == g && treated_event(i, g) => treated.push(i),
                _ => {}
            }
        }
        if treated.len() >= min_treated && !controls.is_empty() {
            subs.push(Sub { g, treated, controls });
        }
    }
    let es: Vec<i64> = (-pre..=post).filter(|e| *e != -1).collect();
    let ne = es.len();
    // Pass 1, sub-experiment by sub-experiment: the sums and counts of the observed changes of
    // each side at every event time. Each member's series is read once per sub-experiment.
    let mut sides = Vec::with_capacity(subs.len());
    for s in &subs {
        sides.push((Side::of(entities, &s.treated, s.g, &es), Side::of(entities, &s.controls, s.g, &es)));
    }
    // Weights per event time over the sub-experiments that observe both sides at it.
    let observed = |k: usize, j: usize| sides[k].0.n[j] > 0 && sides[k].1.n[j] > 0;
    let weight_total: Vec<usize> = (0..ne)
        .map(|j| (0..subs.len()).filter(|k| observed(*k, j)).map(|k| subs[k].treated.len()).sum())
        .collect();
    let mut att = vec![0.0; ne];
    let mut events = vec![0usize; ne];
    let mut used = vec![0usize; ne];
    // Pass 2: the influence terms, entity-major (`psi[i * ne + j]`), added sub-experiment by
    // sub-experiment in the same order as the effect itself.
    let mut psi = vec![0.0; entities.len() * ne];
    let mut w: Vec<Option<f64>> = vec![None; ne];
    for (k, s) in subs.iter().enumerate() {
        let (t, c) = &sides[k];
        for j in 0..ne {
            w[j] = observed(k, j).then(|| s.treated.len() as f64 / weight_total[j] as f64);
            if let Some(wj) = w[j] {
                att[j] += wj * (t.mean(j) - c.mean(j));
                events[j] += t.n[j];
                used[j] += 1;
            }
        }
        t.add_influence(entities, &s.treated, s.g, &es, &w, 1.0, &mut psi);
        c.add_influence(entities, &s.controls, s.g, &es, &w, -1.0, &mut psi);
    }
    let mut out = Vec::new();
    for (j, e) in es.iter().enumerate() {
        if weight_total[j] == 0 {
            continue;
        }
        let se = (0..entities.len()).map(|i| psi[i * ne + j] * psi[i * ne + j]).sum::<f64>().sqrt();
        out.push(StackedPoint { e: *e, att: att[j], se, n_events: events[j], n_subexperiments: used[j] });
    }
    out
}

/// One side (treated or clean controls) of a sub-experiment at g: per event time, the sum and
/// number of the observed changes Y(g + e) − Y(g − 1) of its members.
struct Side {
    sum: Vec<f64>,
    n: Vec<usize>,
}

impl Side {
    fn of(entities: &[Entity], members: &[usize], g: i64, es: &[i64]) -> Side {
        // −0.0 is the neutral element `Iterator::sum` starts from.
        let mut side = Side { sum: vec![-0.0; es.len()], n: vec![0; es.len()] };
        for i in members {
            let x = &entities[*i];
            let Some(base) = x.at(g - 1) else { continue };
            for (j, e) in es.iter().enumerate() {
                if let Some(v) = x.at(g + e) {
                    side.sum[j] += v - base;
                    side.n[j] += 1;
                }
            }
        }
        side
    }

    fn mean(&self, j: usize) -> f64 {
        self.sum[j] / self.n[j] as f64
    }

    /// Adds `sign · w_j (d − mean_j) / n_j` to `psi[i * ne + j]` for every member i observed at
    /// an event time j that has a weight. `sign` is ±1, so the sum is exact either way.
    #[allow(clippy::too_many_arguments)]
    fn add_influence(
        &self,
        entities: &[Entity],
        members: &[usize],
        g: i64,
        es: &[i64],
        w: &[Option<f64>],
        sign: f64,
        psi: &mut [f64],
    ) {
        let ne = es.len();
        for i in members {
            let x = &entities[*i];
            let Some(base) = x.at(g - 1) else { continue };
            for (j, e) in es.iter().enumerate() {
                let (Some(wj), Some(v)) = (w[j], x.at(g + e)) else { continue };
                psi[i * ne + j] += sign * (wj * ((v - base) - self.mean(j)) / self.n[j] as f64);
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
}
