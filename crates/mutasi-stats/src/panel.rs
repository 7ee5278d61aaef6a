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

    /// The panel [`Panel::from_long_unbalanced`] builds from the observations of the entities
    /// whose `keep` is true (one flag per entity): their rows, over the periods at least one of
    /// them is observed in. For a panel without covariates; subgroups of one outcome's panel
    /// are taken this way instead of being rebuilt from long rows.
    pub fn select(&self, keep: &[bool]) -> Result<Panel, EstimateError> {
        let n_t = self.times.len();
        if keep.len() != self.ids.len() || self.n_cov > 0 {
            return Err(EstimateError::LengthMismatch);
        }
        let kept: Vec<usize> = (0..self.ids.len()).filter(|i| keep[*i]).collect();
        if kept.is_empty() {
            return Err(EstimateError::Empty);
        }
        let mut present = vec![false; n_t];
        for i in &kept {
            for (p, v) in present.iter_mut().zip(&self.y[i * n_t..(i + 1) * n_t]) {
                *p |= !v.is_nan();
            }
        }
        let columns: Vec<usize> = (0..n_t).filter(|t| present[*t]).collect();
        if columns.len() < 2 {
            return Err(EstimateError::TooFewPeriods);
        }
        let mut y = Vec::with_capacity(kept.len() * columns.len());
        for i in &kept {
            let row = &self.y[i * n_t..(i + 1) * n_t];
            if columns.len() == n_t {
                y.extend_from_slice(row);
            } else {
                y.extend(columns.iter().map(|t| row[*t]));
            }
        }
        Ok(Panel {
            ids: kept.iter().map(|i| self.ids[*i]).collect(),
            times: columns.iter().map(|t| self.times[*t]).collect(),
            cohort: kept.iter().map(|i| self.cohort[*i]).collect(),
            y,
            dropped_incomplete: 0,
            covariates: Vec::new(),
            n_cov: 0,
        })
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

    /// A selection of entities equals the panel built from their observations alone, including
    /// when the others hold the only observations of some periods.
    #[test]
    fn selected_entities_equal_their_own_panel() {
        let (mut id, mut time, mut cohort, mut y) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for e in 0..40i64 {
            for t in 1..=12i64 {
                // Entity 7 alone holds period 12; every fifth entity misses some months.
                if (t == 12 && e != 7) || (e % 5 == 0 && (e + t) % 4 == 0) {
                    continue;
                }
                id.push(e * 3);
                time.push(t);
                cohort.push(if e % 3 == 0 { 0 } else { 4 + e % 5 });
                y.push((e * 31 + t * 7) as f64 / 10.0);
            }
        }
        let full = Panel::from_long_unbalanced(&id, &time, &cohort, &y).expect("panel");
        let pick = |keep: &dyn Fn(i64) -> bool| {
            let rows: Vec<usize> = (0..id.len()).filter(|k| keep(id[*k] / 3)).collect();
            let own = |v: &[i64]| rows.iter().map(|k| v[*k]).collect::<Vec<i64>>();
            let ys: Vec<f64> = rows.iter().map(|k| y[*k]).collect();
            let built = Panel::from_long_unbalanced(&own(&id), &own(&time), &own(&cohort), &ys);
            let mask: Vec<bool> = full.ids.iter().map(|i| keep(i / 3)).collect();
            (full.select(&mask), built)
        };
        for keep in [&(|e: i64| e % 2 == 0) as &dyn Fn(i64) -> bool, &|e| e % 3 == 0 || e == 7, &|_| true] {
            let (selected, built) = pick(keep);
            // Debug text compares NaN (a month not observed) as equal to itself.
            assert_eq!(format!("{selected:?}"), format!("{built:?}"));
            assert!(selected.is_ok());
        }
        let (selected, built) = pick(&|e| e % 2 == 0);
        assert_eq!(selected.expect("panel").times.len(), 11, "period 12 belongs to entity 7 only");
        assert!(built.is_ok());
        assert_eq!(full.select(&vec![false; full.n()]), Err(EstimateError::Empty));
        let only_one: Vec<bool> = full.ids.iter().map(|i| *i == 21).collect();
        assert_eq!(full.select(&only_one).map(|p| p.n()), Ok(1));
    }

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
