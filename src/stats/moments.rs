//! Per-cohort moments of a balanced panel, and influence functions held as per-cohort
//! coefficients ([`LinearSpace`]).
//!
//! Without covariates, the influence function of every ATT(g,t) and of every aggregation is, for
//! entity i of cohort c, IF_i = a_c · Y_i + b_c: linear in the entity's outcome row Y_i with
//! coefficients that depend only on its cohort (CS 2021 §4 closed form; the weight-estimation
//! terms depend on the cohort alone). Writing Y_i = ȳ_c + e_i,
//!
//!   Σ_i IF_i IF'_i = Σ_c [ a_c' S_c a'_c + n_c (a_c·ȳ_c + b_c)(a'_c·ȳ_c + b'_c) ],
//!
//! with n_c, ȳ_c and the centred cross-products S_c = Σ_{i∈c} e_i e_i' computed once, in one
//! O(n × periods²) pass. Every SE, covariance and Wald test then costs O(cohorts × periods²)
//! instead of O(n), which is what makes national panels fast.

use rayon::prelude::*;

use super::influence::InfluenceSpace;
use super::panel::Panel;

/// Count, mean and centred cross-products of the outcome rows of each cohort.
#[derive(Debug, Clone)]
pub struct CohortMoments {
    /// Number of periods T.
    pub periods: usize,
    /// Distinct cohorts of the estimation sample, ascending (0 = never treated).
    pub cohorts: Vec<i64>,
    pub count: Vec<usize>,
    /// Cohort-major means, `mean[c * T + t]`.
    pub mean: Vec<f64>,
    /// Centred cross-products, `cross[(c * T + s) * T + t]` (symmetric).
    pub cross: Vec<f64>,
}

/// Entities per parallel block. Blocks are fixed by n alone and summed in order, so the result
/// does not depend on the number of threads.
const BLOCK: usize = 16_384;

impl CohortMoments {
    /// Moments of the entities `keep` of a balanced `panel`, whose cohorts are `cohort`.
    pub fn new(panel: &Panel, keep: &[usize], cohort: &[i64]) -> CohortMoments {
        let t_n = panel.times.len();
        let mut cohorts = cohort.to_vec();
        cohorts.sort_unstable();
        cohorts.dedup();
        let n_c = cohorts.len();
        let class: Vec<usize> = cohort.iter().map(|c| cohorts.binary_search(c).unwrap_or(0)).collect();
        let row = |k: usize| &panel.y[keep[k] * t_n..(keep[k] + 1) * t_n];
        let blocks: Vec<(usize, usize)> =
            (0..keep.len()).step_by(BLOCK).map(|s| (s, (s + BLOCK).min(keep.len()))).collect();
        // Pass 1: counts and sums.
        let partial: Vec<(Vec<usize>, Vec<f64>)> = blocks
            .par_iter()
            .map(|&(s, e)| {
                let (mut count, mut sum) = (vec![0usize; n_c], vec![0.0; n_c * t_n]);
                for k in s..e {
                    count[class[k]] += 1;
                    for (acc, v) in sum[class[k] * t_n..(class[k] + 1) * t_n].iter_mut().zip(row(k)) {
                        *acc += v;
                    }
                }
                (count, sum)
            })
            .collect();
        let (mut count, mut mean) = (vec![0usize; n_c], vec![0.0; n_c * t_n]);
        for (c, s) in &partial {
            count.iter_mut().zip(c).for_each(|(a, b)| *a += b);
            mean.iter_mut().zip(s).for_each(|(a, b)| *a += b);
        }
        for c in 0..n_c {
            let m = count[c].max(1) as f64;
            mean[c * t_n..(c + 1) * t_n].iter_mut().for_each(|v| *v /= m);
        }
        // Pass 2: centred cross-products (upper triangle, mirrored below).
        let partial: Vec<Vec<f64>> = blocks
            .par_iter()
            .map(|&(s, e)| {
                let mut cross = vec![0.0; n_c * t_n * t_n];
                let mut d = vec![0.0; t_n];
                for (k, &c) in (s..e).zip(&class[s..e]) {
                    for ((dj, y), m) in d.iter_mut().zip(row(k)).zip(&mean[c * t_n..(c + 1) * t_n]) {
                        *dj = y - m;
                    }
                    let block = &mut cross[c * t_n * t_n..(c + 1) * t_n * t_n];
                    for (j, dj) in d.iter().enumerate() {
                        for (acc, dk) in block[j * t_n + j..(j + 1) * t_n].iter_mut().zip(&d[j..]) {
                            *acc += dj * dk;
                        }
                    }
                }
                cross
            })
            .collect();
        let mut cross = vec![0.0; n_c * t_n * t_n];
        for p in &partial {
            cross.iter_mut().zip(p).for_each(|(a, b)| *a += b);
        }
        for c in 0..n_c {
            let block = &mut cross[c * t_n * t_n..(c + 1) * t_n * t_n];
            for j in 0..t_n {
                for k in 0..j {
                    block[j * t_n + k] = block[k * t_n + j];
                }
            }
        }
        CohortMoments { periods: t_n, cohorts, count, mean, cross }
    }

    /// Index of cohort `g`, if present.
    pub fn class_of(&self, g: i64) -> Option<usize> {
        self.cohorts.binary_search(&g).ok()
    }

    /// Mean outcome of cohort class `c` in period index `t`.
    pub fn mean_at(&self, c: usize, t: usize) -> f64 {
        self.mean[c * self.periods + t]
    }
}

/// An influence function IF_i = a[c_i] · Y_i + b[c_i] (c_i the cohort class of entity i).
#[derive(Debug, Clone, PartialEq)]
pub struct LinearIf {
    /// Cohort-major coefficients, `a[c * T + t]`.
    pub a: Vec<f64>,
    /// One constant per cohort class.
    pub b: Vec<f64>,
}

/// Influence functions held as [`LinearIf`], measured with [`CohortMoments`].
pub struct LinearSpace<'a> {
    pub moments: &'a CohortMoments,
    pub n: usize,
}

impl LinearSpace<'_> {
    /// a_c · ȳ_c + b_c: the influence function's mean over cohort `c`.
    fn class_mean(&self, f: &LinearIf, c: usize) -> f64 {
        let t_n = self.moments.periods;
        let a = &f.a[c * t_n..(c + 1) * t_n];
        a.iter().zip(&self.moments.mean[c * t_n..(c + 1) * t_n]).map(|(x, m)| x * m).sum::<f64>() + f.b[c]
    }
}

impl InfluenceSpace for LinearSpace<'_> {
    type Inf = LinearIf;

    fn n(&self) -> usize {
        self.n
    }

    fn zero(&self) -> LinearIf {
        let n_c = self.moments.cohorts.len();
        LinearIf { a: vec![0.0; n_c * self.moments.periods], b: vec![0.0; n_c] }
    }

    fn axpy(&self, acc: &mut LinearIf, w: f64, f: &LinearIf) {
        acc.a.iter_mut().zip(&f.a).for_each(|(x, y)| *x += w * y);
        acc.b.iter_mut().zip(&f.b).for_each(|(x, y)| *x += w * y);
    }

    fn add_by_cohort(&self, acc: &mut LinearIf, term: &dyn Fn(i64) -> f64) {
        for (b, g) in acc.b.iter_mut().zip(&self.moments.cohorts) {
            *b += term(*g);
        }
    }

    fn dot(&self, x: &LinearIf, y: &LinearIf) -> f64 {
        let m = self.moments;
        let t_n = m.periods;
        let mut total = 0.0;
        let (mut nz_x, mut nz_y) = (Vec::with_capacity(t_n), Vec::with_capacity(t_n));
        for c in 0..m.cohorts.len() {
            if m.count[c] == 0 {
                continue;
            }
            let (ax, ay) = (&x.a[c * t_n..(c + 1) * t_n], &y.a[c * t_n..(c + 1) * t_n]);
            nz_x.clear();
            nz_x.extend((0..t_n).filter(|j| ax[*j] != 0.0));
            nz_y.clear();
            nz_y.extend((0..t_n).filter(|j| ay[*j] != 0.0));
            let s = &m.cross[c * t_n * t_n..(c + 1) * t_n * t_n];
            let mut quad = 0.0;
            for &j in &nz_x {
                let row = &s[j * t_n..(j + 1) * t_n];
                quad += ax[j] * nz_y.iter().map(|&k| row[k] * ay[k]).sum::<f64>();
            }
            total += quad + m.count[c] as f64 * self.class_mean(x, c) * self.class_mean(y, c);
        }
        total
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::influence::DenseSpace;

    /// A small balanced panel: 7 entities × 4 periods, cohorts 0, 3 and 4.
    fn panel() -> Panel {
        let cohorts = [0, 0, 3, 3, 4, 0, 4];
        let (mut id, mut time, mut cohort, mut y) = (vec![], vec![], vec![], vec![]);
        for (i, g) in cohorts.iter().enumerate() {
            for t in 1..=4 {
                id.push(i as i64);
                time.push(t);
                cohort.push(*g);
                y.push(((i * 7 + t as usize * 3) % 11) as f64 * 0.5 + i as f64);
            }
        }
        Panel::from_long(&id, &time, &cohort, &y).expect("balanced")
    }

    #[test]
    fn moments_give_the_same_dot_products_as_entity_level_values() {
        let p = panel();
        let keep: Vec<usize> = (0..p.n()).collect();
        let m = CohortMoments::new(&p, &keep, &p.cohort);
        assert_eq!(m.cohorts, vec![0, 3, 4]);
        assert_eq!(m.count, vec![3, 2, 2]);
        let space = LinearSpace { moments: &m, n: p.n() };
        // Two arbitrary linear influence functions, expanded entity by entity.
        let f = LinearIf { a: (0..12).map(|k| (k as f64 * 0.37).sin()).collect(), b: vec![0.2, -1.0, 0.7] };
        let g = LinearIf {
            a: (0..12).map(|k| if k % 5 == 0 { 1.5 } else { 0.0 }).collect(),
            b: vec![1.0, 0.0, -0.3],
        };
        let expand = |h: &LinearIf| -> Vec<f64> {
            (0..p.n())
                .map(|i| {
                    let c = m.class_of(p.cohort[i]).expect("class");
                    (0..4).map(|t| h.a[c * 4 + t] * p.y_at(i, t)).sum::<f64>() + h.b[c]
                })
                .collect()
        };
        let dense = DenseSpace { entity_cohort: &p.cohort, n: p.n() };
        let (fd, gd) = (expand(&f), expand(&g));
        assert!((space.dot(&f, &g) - dense.dot(&fd, &gd)).abs() < 1e-12);
        assert!((space.se(&f) - dense.se(&fd)).abs() < 1e-12);
        let mut h = space.zero();
        space.axpy(&mut h, 2.0, &f);
        space.add_by_cohort(&mut h, &|c| c as f64);
        let mut hd = dense.zero();
        dense.axpy(&mut hd, 2.0, &fd);
        dense.add_by_cohort(&mut hd, &|c| c as f64);
        let he = expand(&h);
        assert!(he.iter().zip(&hd).all(|(a, b)| (a - b).abs() < 1e-12));
    }

    #[test]
    fn moments_over_several_blocks_match_entity_level_sums() {
        // Entities repeated past three parallel blocks: the blocked sums equal a plain sum.
        let p = panel();
        let keep: Vec<usize> = (0..p.n()).cycle().take(3 * BLOCK + 5).collect();
        let cohort: Vec<i64> = keep.iter().map(|i| p.cohort[*i]).collect();
        let m = CohortMoments::new(&p, &keep, &cohort);
        assert_eq!(m.count.iter().sum::<usize>(), keep.len());
        let space = LinearSpace { moments: &m, n: keep.len() };
        let f = LinearIf { a: (0..12).map(|k| (k as f64 * 0.91).cos()).collect(), b: vec![0.5, 0.0, -2.0] };
        let direct: f64 = keep
            .iter()
            .map(|&i| {
                let c = m.class_of(p.cohort[i]).expect("class");
                let v = (0..4).map(|t| f.a[c * 4 + t] * p.y_at(i, t)).sum::<f64>() + f.b[c];
                v * v
            })
            .sum();
        assert!((space.dot(&f, &f) - direct).abs() <= 1e-9 * direct, "{} vs {direct}", space.dot(&f, &f));
    }
}
