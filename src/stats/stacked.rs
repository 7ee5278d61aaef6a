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
    let mut out = Vec::new();
    for e in (-pre..=post).filter(|e| *e != -1) {
        let mut psi = vec![0.0; entities.len()];
        let (mut att, mut events, mut used) = (0.0, 0usize, 0usize);
        // Weights over the sub-experiments that observe both sides at e.
        let mut parts = Vec::new();
        for s in &subs {
            let delta = |i: &usize| Some(entities[*i].at(s.g + e)? - entities[*i].at(s.g - 1)?);
            let t: Vec<(usize, f64)> = s.treated.iter().filter_map(|i| Some((*i, delta(i)?))).collect();
            let c: Vec<(usize, f64)> = s.controls.iter().filter_map(|i| Some((*i, delta(i)?))).collect();
            if t.is_empty() || c.is_empty() {
                continue;
            }
            parts.push((t, c, s.treated.len()));
        }
        let weight_total: usize = parts.iter().map(|p| p.2).sum();
        if weight_total == 0 {
            continue;
        }
        for (t, c, n_treated) in &parts {
            let w = *n_treated as f64 / weight_total as f64;
            let mu_t = t.iter().map(|(_, d)| d).sum::<f64>() / t.len() as f64;
            let mu_c = c.iter().map(|(_, d)| d).sum::<f64>() / c.len() as f64;
            att += w * (mu_t - mu_c);
            for (i, d) in t {
                psi[*i] += w * (d - mu_t) / t.len() as f64;
            }
            for (i, d) in c {
                psi[*i] -= w * (d - mu_c) / c.len() as f64;
            }
            events += t.len();
            used += 1;
        }
        let se = psi.iter().map(|v| v * v).sum::<f64>().sqrt();
        out.push(StackedPoint { e, att, se, n_events: events, n_subexperiments: used });
    }
    out
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
