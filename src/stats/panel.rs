//! A balanced entity × period panel built from long vectors.
//!
//! Callers pass one value per observation (entity id, period, cohort, outcome); entities missing a
//! period are dropped and counted (R `did`'s `panel = TRUE` default), so every remaining entity has
//! an outcome in every period. The cohort is the first treated period, 0 for never treated.

use rayon::prelude::*;

use super::EstimateError;

#[derive(Debug, Clone, PartialEq)]
pub struct Panel {
    /// Entity ids, sorted.
    pub ids: Vec<i64>,
    /// Periods, sorted ascending.
    pub times: Vec<i64>,
    /// First treated period per entity; 0 = never treated.
    pub cohort: Vec<i64>,
    /// Outcomes, entity-major: `y[i * times.len() + t]`.
    pub y: Vec<f64>,
    /// Entities dropped because they were not observed in every period.
    pub dropped_incomplete: usize,
    /// Time-invariant covariates, entity-major (`n_cov` per entity); empty without covariates.
    pub covariates: Vec<f64>,
    pub n_cov: usize,
}

impl Panel {
    /// Builds a balanced panel from long-format vectors: entities missing a period are dropped.
    pub fn from_long(id: &[i64], time: &[i64], cohort: &[i64], y: &[f64]) -> Result<Panel, EstimateError> {
        Panel::build(id, time, cohort, y, false)
    }

    /// Keeps every entity; a period an entity was not observed in holds NaN. The estimator then
    /// uses the repeated-cross-section form (R `did`'s `allow_unbalanced_panel = TRUE`).
    pub fn from_long_unbalanced(
        id: &[i64],
        time: &[i64],
        cohort: &[i64],
        y: &[f64],
    ) -> Result<Panel, EstimateError> {
        Panel::build(id, time, cohort, y, true)
    }

    /// True when some entity misses some period.
    pub fn has_gaps(&self) -> bool {
        self.y.iter().any(|v| v.is_nan())
    }

    fn build(
        id: &[i64],
        time: &[i64],
        cohort: &[i64],
        y: &[f64],
        keep_incomplete: bool,
    ) -> Result<Panel, EstimateError> {
        let n_obs = id.len();
        if time.len() != n_obs || cohort.len() != n_obs || y.len() != n_obs {
            return Err(EstimateError::LengthMismatch);
        }
        if n_obs == 0 {
            return Err(EstimateError::Empty);
        }
        let times = distinct_sorted(time);
        if times.len() < 2 {
            return Err(EstimateError::TooFewPeriods);
        }
        let n_t = times.len();
        // Group observations by entity by sorting their indices (no per-entity allocation), then
        // place each entity's outcomes by period.
        let mut order: Vec<u32> = (0..n_obs as u32).collect();
        let key = |k: usize| (id[k], time[k]);
        // Panel files usually come sorted; otherwise sort on every core (keys are unique unless
        // the data has duplicates, which is an error below, so the order is deterministic).
        if !(1..n_obs).all(|k| key(k - 1) < key(k)) {
            order.par_sort_unstable_by_key(|k| key(*k as usize));
        }
        let mut panel = Panel {
            ids: Vec::new(),
            times,
            cohort: Vec::new(),
            y: Vec::with_capacity(n_obs),
            dropped_incomplete: 0,
            covariates: Vec::new(),
            n_cov: 0,
        };
        // Periods are usually consecutive integers (months, years): index them directly.
        let (first_t, consecutive) =
            (panel.times[0], panel.times[n_t - 1] - panel.times[0] + 1 == n_t as i64);
        let times_ref = &panel.times;
        let period_index = |t: i64| -> Option<usize> {
            if consecutive {
                usize::try_from(t - first_t).ok().filter(|i| *i < n_t)
            } else {
                times_ref.binary_search(&t).ok()
            }
        };
        let mut row = vec![f64::NAN; n_t];
        for run in order.chunk_by(|a, b| id[*a as usize] == id[*b as usize]) {
            let first = run[0] as usize;
            let (entity, c) = (id[first], cohort[first]);
            row.iter_mut().for_each(|v| *v = f64::NAN);
            let mut last_t: Option<i64> = None;
            for &k in run {
                let k = k as usize;
                if cohort[k] != c {
                    return Err(EstimateError::CohortNotConstant(entity));
                }
                if !y[k].is_finite() {
                    return Err(EstimateError::NonFiniteOutcome(entity, time[k]));
                }
                if last_t == Some(time[k]) {
                    return Err(EstimateError::DuplicateObservation(entity, time[k]));
                }
                last_t = Some(time[k]);
                let t = period_index(time[k]).ok_or(EstimateError::Empty)?;
                row[t] = y[k];
            }
            if run.len() < n_t && !keep_incomplete {
                panel.dropped_incomplete += 1;
                continue;
            }
            panel.ids.push(entity);
            panel.cohort.push(c);
            panel.y.extend_from_slice(&row);
        }
        if panel.ids.is_empty() {
            return Err(EstimateError::Empty);
        }
        Ok(panel)
    }

    /// Adds time-invariant covariates given per observation (`x` is row-major, `p` per row, in
    /// the same order as `id`). Each entity must have the same values in every period.
    pub fn set_covariates(&mut self, id: &[i64], x: &[f64], p: usize) -> Result<(), EstimateError> {
        let mut cov: Vec<Option<Vec<f64>>> = vec![None; self.ids.len()];
        for (k, i) in id.iter().enumerate() {
            let Ok(e) = self.ids.binary_search(i) else { continue };
            let row = x[k * p..(k + 1) * p].to_vec();
            if row.iter().any(|v| !v.is_finite()) {
                return Err(EstimateError::CovariateNotConstant(*i));
            }
            match &cov[e] {
                Some(prev) if *prev != row => return Err(EstimateError::CovariateNotConstant(*i)),
                _ => cov[e] = Some(row),
            }
        }
        self.covariates = cov.into_iter().flat_map(|c| c.unwrap_or_else(|| vec![0.0; p])).collect();
        self.n_cov = p;
        Ok(())
    }

    pub fn covariates_of(&self, i: usize) -> &[f64] {
        &self.covariates[i * self.n_cov..(i + 1) * self.n_cov]
    }

    pub fn n(&self) -> usize {
        self.ids.len()
    }

    pub fn y_at(&self, i: usize, t: usize) -> f64 {
        self.y[i * self.times.len() + t]
    }
}

/// The distinct values of `v`, ascending. Periods span a short range (months, years), so a
/// presence table over that range replaces sorting every observation; a wide range is sorted.
fn distinct_sorted(v: &[i64]) -> Vec<i64> {
    let (Some(lo), Some(hi)) = (v.iter().min(), v.iter().max()) else {
        return Vec::new();
    };
    match usize::try_from(hi.abs_diff(*lo)) {
        Ok(span) if span < v.len().max(1 << 16) => {
            let mut seen = vec![false; span + 1];
            for t in v {
                seen[t.abs_diff(*lo) as usize] = true;
            }
            (0..=span).filter(|k| seen[*k]).map(|k| lo + k as i64).collect()
        }
        _ => {
            let mut all = v.to_vec();
            all.sort_unstable();
            all.dedup();
            all
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The presence table and the sort give the same distinct periods, on short and wide ranges.
    #[test]
    fn distinct_periods_equal_the_sorted_dedup() {
        let sorted = |v: &[i64]| {
            let mut w = v.to_vec();
            w.sort_unstable();
            w.dedup();
            w
        };
        let short: Vec<i64> = (0..500).map(|k| 24_300 + (k * 7919) % 61 - 30).collect();
        let wide = [i64::MIN, 5, -3, i64::MAX, 5, 0];
        let spread: Vec<i64> = (0..100).map(|k| k * 1_000_003).collect();
        for v in [&short[..], &wide[..], &spread[..], &[42][..], &[][..]] {
            assert_eq!(distinct_sorted(v), sorted(v), "{v:?}");
        }
        assert_eq!(distinct_sorted(&short).len(), 61);
    }

    #[test]
    fn balances_and_checks() {
        let p = Panel::from_long(
            &[2, 1, 1, 2, 3],
            &[2000, 2000, 2001, 2001, 2000],
            &[0, 2001, 2001, 0, 0],
            &[1.0, 2.0, 3.0, 4.0, 5.0],
        )
        .expect("panel");
        assert_eq!(p.ids, vec![1, 2]);
        assert_eq!(p.dropped_incomplete, 1);
        assert_eq!(p.y_at(1, 1), 4.0);
        assert_eq!(
            Panel::from_long(&[1, 1], &[1, 2], &[0, 2], &[1.0, 1.0]),
            Err(EstimateError::CohortNotConstant(1))
        );
        assert_eq!(
            Panel::from_long(&[1, 1], &[1, 1], &[0, 0], &[1.0, 1.0]),
            Err(EstimateError::TooFewPeriods)
        );
        assert_eq!(
            Panel::from_long(&[1, 1], &[1, 2], &[0, 0], &[1.0, f64::NAN]),
            Err(EstimateError::NonFiniteOutcome(1, 2))
        );
    }
}
