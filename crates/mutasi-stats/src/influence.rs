//! How influence functions are held and combined, so one aggregation and testing code serves two
//! representations:
//!
//! - [`DenseSpace`]: one value per entity (`Vec<f64>` of length n). Works for every design
//!   (covariates, gaps) and is what the multiplier bootstrap draws on.
//! - [`super::moments::LinearSpace`]: on a balanced panel without covariates every influence
//!   function is linear in the entity's outcome row with coefficients that depend only on its
//!   cohort, so it is held as cohorts × periods coefficients and its sums of squares come from
//!   per-cohort moments: O(cohorts × periods) per estimate instead of O(n).
//!
//! Both give the same numbers (tested); SE = √(Σ IF²) / n as in R `did`.

/// SEs at or below this are reported as unknown (NaN, written as null), as R `did` does
/// (`sqrt(.Machine$double.eps) * 10`): an estimate fixed by construction, such as the universal
/// base period's event time −1, has no sampling variance to report.
pub const SE_FLOOR: f64 = 1.490_116_119_384_765_6e-8 * 10.0;

/// `se`, or NaN when it is at or below [`SE_FLOOR`].
pub fn reported_se(se: f64) -> f64 {
    if se > SE_FLOOR { se } else { f64::NAN }
}

/// Operations the aggregations and the Wald test need from an influence-function representation.
pub trait InfluenceSpace {
    type Inf: Clone;
    /// The number of entities n.
    fn n(&self) -> usize;
    /// The zero influence function.
    fn zero(&self) -> Self::Inf;
    /// `acc += w · f`.
    fn axpy(&self, acc: &mut Self::Inf, w: f64, f: &Self::Inf);
    /// `Σ w_k f_k`, accumulated in the order given: the same as [`InfluenceSpace::axpy`] part
    /// by part onto [`InfluenceSpace::zero`], which is the default.
    fn weighted_sum(&self, parts: &[(f64, &Self::Inf)]) -> Self::Inf {
        let mut acc = self.zero();
        for (w, f) in parts {
            self.axpy(&mut acc, *w, f);
        }
        acc
    }
    /// Adds `term(cohort of i)` to every entity i (the weight-estimation terms depend on the
    /// entity only through its cohort).
    fn add_by_cohort(&self, acc: &mut Self::Inf, term: &dyn Fn(i64) -> f64);
    /// Σ_i a_i b_i.
    fn dot(&self, a: &Self::Inf, b: &Self::Inf) -> f64;
    /// Σ_i f_a,i f_b,i for every pair of `fs`, row-major and symmetric: the cross-products of a
    /// set of estimates (their covariance times n²). By default one dot product per pair.
    fn gram(&self, fs: &[&Self::Inf]) -> Vec<f64> {
        let k = fs.len();
        let mut g = vec![0.0; k * k];
        for i in 0..k {
            for j in 0..=i {
                let c = self.dot(fs[i], fs[j]);
                g[i * k + j] = c;
                g[j * k + i] = c;
            }
        }
        g
    }

    /// SE at the n scale: √(Σ IF²) / n.
    fn se(&self, f: &Self::Inf) -> f64 {
        self.dot(f, f).max(0.0).sqrt() / self.n() as f64
    }
}

/// Influence functions stored entity by entity.
pub struct DenseSpace<'a> {
    /// Cohort of each entity (0 = never treated); may be empty when `add_by_cohort` is not used.
    pub entity_cohort: &'a [i64],
    pub n: usize,
}

impl InfluenceSpace for DenseSpace<'_> {
    type Inf = Vec<f64>;

    fn n(&self) -> usize {
        self.n
    }

    fn zero(&self) -> Vec<f64> {
        vec![0.0; self.n]
    }

    fn axpy(&self, acc: &mut Vec<f64>, w: f64, f: &Vec<f64>) {
        for (a, v) in acc.iter_mut().zip(f) {
            *a += w * v;
        }
    }

    fn add_by_cohort(&self, acc: &mut Vec<f64>, term: &dyn Fn(i64) -> f64) {
        // Cohorts are few: compute each cohort's term once, then look entities up.
        let mut cohorts: Vec<i64> = self.entity_cohort.to_vec();
        cohorts.sort_unstable();
        cohorts.dedup();
        let terms: Vec<f64> = cohorts.iter().map(|c| term(*c)).collect();
        for (a, c) in acc.iter_mut().zip(self.entity_cohort) {
            if let Ok(k) = cohorts.binary_search(c) {
                *a += terms[k];
            }
        }
    }

    fn dot(&self, a: &Vec<f64>, b: &Vec<f64>) -> f64 {
        a.iter().zip(b).map(|(x, y)| x * y).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dense_space_combines_and_adds_cohort_terms() {
        let cohorts = [0, 3, 3, 5];
        let s = DenseSpace { entity_cohort: &cohorts, n: 4 };
        let mut acc = s.zero();
        s.axpy(&mut acc, 2.0, &vec![1.0, -1.0, 0.5, 0.0]);
        s.add_by_cohort(&mut acc, &|g| if g == 3 { 10.0 } else { 0.0 });
        assert_eq!(acc, vec![2.0, 8.0, 11.0, 0.0]);
        assert_eq!(s.dot(&acc, &vec![1.0, 0.0, 0.0, 1.0]), 2.0);
        assert!((s.se(&vec![3.0, 4.0, 0.0, 0.0]) - 5.0 / 4.0).abs() < 1e-15);
    }
}
