//! Per-cohort moments of a panel, and influence functions held as per-cohort coefficients
//! ([`LinearSpace`]).
//!
//! Without covariates, the influence function of every ATT(g,t) and of every aggregation is, for
//! entity i of cohort c,
//!
//!   IF_i = Σ_t 1{i observed at t} (a_ct Y_it + β_ct) + b_c,
//!
//! linear in the entity's observed outcomes with coefficients that depend only on its cohort (CS
//! 2021 §4 closed form; R `did`'s repeated-cross-section form with influence functions summed per
//! entity when some months are missing; the weight-estimation terms depend on the cohort alone).
//! Writing Y_it = m_ct + e_it with m_ct the cohort's mean over the entities observed at t, and
//! β̃ = β + a m, every cross-product Σ_i IF_i IF'_i is
//!
//!   Σ_c [ Σ_s,t (a_s a'_t S_st + a_s β̃'_t E_st + β̃_s a'_t E_ts + β̃_s β̃'_t N_st)
//!         + b Σ_t (a'_t E_tt + β̃'_t N_tt) + b' Σ_t (a_t E_tt + β̃_t N_tt) + n_c b b' ]
//!
//! with, over the entities of cohort c observed at both s and t, N_st their number, E_st = Σ e_is
//! and S_st = Σ e_is e_it — computed once, in one O(n × periods²) pass. Every SE, covariance and
//! Wald test then costs O(cohorts × periods²) instead of O(n), which is what makes national panels
//! fast. On a balanced panel N_st = n_c and E_st = 0.

use rayon::prelude::*;

use super::influence::InfluenceSpace;
use super::panel::Panel;

/// Counts, means and centred cross-products of the outcomes of each cohort.
#[derive(Debug, Clone)]
pub struct CohortMoments {
    /// Number of periods T.
    pub periods: usize,
    /// Distinct cohorts of the estimation sample, ascending (0 = never treated).
    pub cohorts: Vec<i64>,
    /// Entities per cohort.
    pub count: Vec<usize>,
    /// Cohort-major means over the entities observed, `mean[c * T + t]` (0 when none is).
    pub mean: Vec<f64>,
    /// Entities observed at both s and t, `both[(c * T + s) * T + t]` (symmetric; the diagonal is
    /// the number observed at t).
    pub both: Vec<f64>,
    /// Σ e_is over the entities observed at both s and t, `edge[(c * T + s) * T + t]`.
    pub edge: Vec<f64>,
    /// `edge` transposed within each cohort (`edge_t[(c * T + s) * T + t]` holds
    /// `edge[(c * T + t) * T + s]`): the products that read `edge` down a column read this row
    /// instead, contiguously (same values, so the same sums).
    pub edge_t: Vec<f64>,
    /// Centred cross-products Σ e_is e_it over the same entities (symmetric).
    pub cross: Vec<f64>,
}

/// Entities per parallel block. Blocks are fixed by n alone and summed in order, so the result
/// does not depend on the number of threads.
const BLOCK: usize = 16_384;

/// One block's partial sums: counts and cross-products of entities with gaps, plus, for entities
/// observed in every period, their number and Σ e per period (their N and E are filled in at the
/// end, which keeps balanced panels at one T²/2 update per entity).
struct Partial {
    both: Vec<f64>,
    edge: Vec<f64>,
    cross: Vec<f64>,
    full: Vec<f64>,
    full_sum: Vec<f64>,
}

impl Partial {
    fn zeros(n_c: usize, t_n: usize) -> Partial {
        let tt = t_n * t_n;
        Partial {
            both: vec![0.0; n_c * tt],
            edge: vec![0.0; n_c * tt],
            cross: vec![0.0; n_c * tt],
            full: vec![0.0; n_c],
            full_sum: vec![0.0; n_c * t_n],
        }
    }
}

/// Adds the upper triangle of d dᵀ to `cross` (T × T, row-major): for every j ≤ l,
/// `cross[j * T + l] += d[j] * d[l]`, one multiplication and one addition per element.
fn add_upper_outer(cross: &mut [f64], d: &[f64]) {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU supports AVX2, checked just above.
        return unsafe { add_upper_outer_avx2(cross, d) };
    }
    add_upper_outer_portable(cross, d)
}

/// [`add_upper_outer`] compiled for AVX2: 4 elements per instruction instead of 2. Each element
/// is still one multiplication then one addition (no fused multiply-add), so the sums are bit for
/// bit those of the portable loop.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn add_upper_outer_avx2(cross: &mut [f64], d: &[f64]) {
    add_upper_outer_portable(cross, d)
}

#[inline(always)]
fn add_upper_outer_portable(cross: &mut [f64], d: &[f64]) {
    let t_n = d.len();
    for (j, dj) in d.iter().enumerate() {
        for (acc, dk) in cross[j * t_n + j..(j + 1) * t_n].iter_mut().zip(&d[j..]) {
            *acc += dj * dk;
        }
    }
}

/// The never-treated class's moments from one computation ([`CohortMoments::never_treated`]),
/// for another over the same never-treated entities: every subgroup of an outcome keeps all the
/// never-transferred employees, whose sums are then the same, added in the same order.
#[derive(Debug, Clone, PartialEq)]
pub struct NeverTreated {
    /// Panel ids of the class's entities, in the order they were summed.
    ids: Vec<i64>,
    times: Vec<i64>,
    count: usize,
    mean: Vec<f64>,
    both: Vec<f64>,
    edge: Vec<f64>,
    cross: Vec<f64>,
}

impl CohortMoments {
    /// Moments of the entities `keep` of `panel` (missing periods hold NaN), whose cohorts are
    /// `cohort`.
    pub fn new(panel: &Panel, keep: &[usize], cohort: &[i64]) -> CohortMoments {
        CohortMoments::sharing(panel, keep, cohort, None)
    }

    /// [`CohortMoments::new`], taking the never-treated class's moments from `shared` when they
    /// were computed over the same entities in the same order, in one block each way (so their
    /// sums are the same bits); computing them otherwise.
    pub fn sharing(
        panel: &Panel,
        keep: &[usize],
        cohort: &[i64],
        shared: Option<&NeverTreated>,
    ) -> CohortMoments {
        let t_n = panel.times.len();
        let tt = t_n * t_n;
        let mut cohorts = cohort.to_vec();
        cohorts.sort_unstable();
        cohorts.dedup();
        let n_c = cohorts.len();
        let class: Vec<usize> = cohort.iter().map(|c| cohorts.binary_search(c).unwrap_or(0)).collect();
        // Class 0 is the never treated when cohort 0 is the smallest (cohorts are ascending).
        let shared = shared.filter(|s| {
            keep.len() <= BLOCK
                && cohorts.first() == Some(&0)
                && s.times == panel.times
                && keep
                    .iter()
                    .zip(&class)
                    .filter(|(_, c)| **c == 0)
                    .map(|(k, _)| panel.ids[*k])
                    .eq(s.ids.iter().copied())
        });
        // The class whose entities the passes leave out, its sums taken from `shared`.
        let skip = shared.map(|_| 0usize);
        let row = |k: usize| &panel.y[keep[k] * t_n..(keep[k] + 1) * t_n];
        let blocks: Vec<(usize, usize)> =
            (0..keep.len()).step_by(BLOCK).map(|s| (s, (s + BLOCK).min(keep.len()))).collect();
        // Pass 1: entity counts, and sums and counts of the observed values.
        let partial: Vec<(Vec<usize>, Vec<f64>, Vec<f64>)> = blocks
            .par_iter()
            .map(|&(s, e)| {
                let (mut count, mut sum, mut seen) =
                    (vec![0usize; n_c], vec![0.0; n_c * t_n], vec![0.0; n_c * t_n]);
                for (k, &c) in (s..e).zip(&class[s..e]) {
                    if skip == Some(c) {
                        continue;
                    }
                    count[c] += 1;
                    for (t, y) in row(k).iter().enumerate() {
                        if !y.is_nan() {
                            sum[c * t_n + t] += y;
                            seen[c * t_n + t] += 1.0;
                        }
                    }
                }
                (count, sum, seen)
            })
            .collect();
        let (mut count, mut mean, mut seen) = (vec![0usize; n_c], vec![0.0; n_c * t_n], vec![0.0; n_c * t_n]);
        for (c, s, n) in &partial {
            count.iter_mut().zip(c).for_each(|(a, b)| *a += b);
            mean.iter_mut().zip(s).for_each(|(a, b)| *a += b);
            seen.iter_mut().zip(n).for_each(|(a, b)| *a += b);
        }
        mean.iter_mut().zip(&seen).for_each(|(m, n)| *m = if *n > 0.0 { *m / n } else { 0.0 });
        if let Some(s) = shared {
            count[0] = s.count;
            mean[..t_n].copy_from_slice(&s.mean);
        }
        // Pass 2: counts, edge sums and cross-products over pairs of observed periods.
        let partial: Vec<Partial> = blocks
            .par_iter()
            .map(|&(s, e)| {
                let mut p = Partial::zeros(n_c, t_n);
                let mut d = vec![0.0; t_n];
                let mut obs: Vec<usize> = Vec::with_capacity(t_n);
                for (k, &c) in (s..e).zip(&class[s..e]) {
                    if skip == Some(c) {
                        continue;
                    }
                    obs.clear();
                    for (t, ((dj, y), m)) in
                        d.iter_mut().zip(row(k)).zip(&mean[c * t_n..(c + 1) * t_n]).enumerate()
                    {
                        *dj = if y.is_nan() { 0.0 } else { y - m };
                        if !y.is_nan() {
                            obs.push(t);
                        }
                    }
                    let block = c * tt..(c + 1) * tt;
                    if obs.len() == t_n {
                        p.full[c] += 1.0;
                        p.full_sum[c * t_n..(c + 1) * t_n].iter_mut().zip(&d).for_each(|(a, b)| *a += b);
                        add_upper_outer(&mut p.cross[block], &d);
                    } else {
                        let (both, edge, cross) =
                            (&mut p.both[block.clone()], &mut p.edge[block.clone()], &mut p.cross[block]);
                        for (a, &j) in obs.iter().enumerate() {
                            for &l in &obs[a..] {
                                both[j * t_n + l] += 1.0;
                                cross[j * t_n + l] += d[j] * d[l];
                                edge[j * t_n + l] += d[j];
                                if l != j {
                                    edge[l * t_n + j] += d[l];
                                }
                            }
                        }
                    }
                }
                p
            })
            .collect();
        // The blocks' sums, in block order. A single block's sums are taken as they are: they
        // start from +0.0, so adding them to zeros would give the same values.
        let Partial { mut both, mut edge, mut cross, full, full_sum } = if partial.len() == 1 {
            partial.into_iter().next().unwrap_or_else(|| Partial::zeros(n_c, t_n))
        } else {
            let mut sum = Partial::zeros(n_c, t_n);
            for p in &partial {
                sum.both.iter_mut().zip(&p.both).for_each(|(a, b)| *a += b);
                sum.edge.iter_mut().zip(&p.edge).for_each(|(a, b)| *a += b);
                sum.cross.iter_mut().zip(&p.cross).for_each(|(a, b)| *a += b);
                sum.full.iter_mut().zip(&p.full).for_each(|(a, b)| *a += b);
                sum.full_sum.iter_mut().zip(&p.full_sum).for_each(|(a, b)| *a += b);
            }
            sum
        };
        for c in 0..n_c {
            let (b, e, x) = (
                &mut both[c * tt..(c + 1) * tt],
                &mut edge[c * tt..(c + 1) * tt],
                &mut cross[c * tt..(c + 1) * tt],
            );
            for j in 0..t_n {
                for l in 0..t_n {
                    if l < j {
                        // Mirror the upper triangle of the symmetric counts and cross-products.
                        b[j * t_n + l] = b[l * t_n + j];
                        x[j * t_n + l] = x[l * t_n + j];
                    } else {
                        b[j * t_n + l] += full[c];
                    }
                    e[j * t_n + l] += full_sum[c * t_n + j];
                }
            }
        }
        if let Some(s) = shared {
            both[..tt].copy_from_slice(&s.both);
            edge[..tt].copy_from_slice(&s.edge);
            cross[..tt].copy_from_slice(&s.cross);
        }
        let mut edge_t = vec![0.0; edge.len()];
        for (e, et) in edge.chunks_exact(tt).zip(edge_t.chunks_exact_mut(tt)) {
            for j in 0..t_n {
                for l in 0..t_n {
                    et[l * t_n + j] = e[j * t_n + l];
                }
            }
        }
        CohortMoments { periods: t_n, cohorts, count, mean, both, edge, edge_t, cross }
    }

    /// The never-treated class's moments, for [`CohortMoments::sharing`] over the same
    /// never-treated entities of `panel` (`keep` and `cohort` as given to the computation);
    /// `None` without never-treated entities or when they were summed in more than one block.
    pub fn never_treated(&self, panel: &Panel, keep: &[usize], cohort: &[i64]) -> Option<NeverTreated> {
        if keep.len() > BLOCK || self.cohorts.first() != Some(&0) {
            return None;
        }
        let (t_n, tt) = (self.periods, self.periods * self.periods);
        Some(NeverTreated {
            ids: keep.iter().zip(cohort).filter(|(_, c)| **c == 0).map(|(k, _)| panel.ids[*k]).collect(),
            times: panel.times.clone(),
            count: self.count[0],
            mean: self.mean[..t_n].to_vec(),
            both: self.both[..tt].to_vec(),
            edge: self.edge[..tt].to_vec(),
            cross: self.cross[..tt].to_vec(),
        })
    }

    /// Index of cohort `g`, if present.
    pub fn class_of(&self, g: i64) -> Option<usize> {
        self.cohorts.binary_search(&g).ok()
    }

    /// Mean outcome of cohort class `c` in period index `t`, over the entities observed then.
    pub fn mean_at(&self, c: usize, t: usize) -> f64 {
        self.mean[c * self.periods + t]
    }

    /// Entities of cohort class `c` observed in period index `t`.
    pub fn observed_at(&self, c: usize, t: usize) -> usize {
        self.both[(c * self.periods + t) * self.periods + t] as usize
    }
}

/// An influence function IF_i = Σ_t 1{observed} (a[c_i, t] Y_it + beta[c_i, t]) + b[c_i] (c_i the
/// cohort class of entity i).
///
/// The (a, beta) coefficients are sparse: a cell's influence function touches its cohort and its
/// controls in two periods, so it holds a handful of terms instead of cohorts × periods zeros
/// (which made every fit allocate and scan hundreds of megabytes at 60 months).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LinearIf {
    /// Non-zero coefficients `(c * T + t, a, beta)`, by ascending index, each index once.
    pub terms: Vec<(u32, f64, f64)>,
    /// One constant per cohort class, for every entity of it.
    pub b: Vec<f64>,
}

impl LinearIf {
    /// From cohort-major dense coefficients `a[c * T + t]`, `beta[c * T + t]` (zeros left out).
    pub fn from_dense(a: &[f64], beta: &[f64], b: Vec<f64>) -> LinearIf {
        let terms = a
            .iter()
            .zip(beta)
            .enumerate()
            .filter(|(_, (x, y))| **x != 0.0 || **y != 0.0)
            .map(|(k, (x, y))| (k as u32, *x, *y))
            .collect();
        LinearIf { terms, b }
    }

    /// Adds `a` and `beta` to the coefficients at `index` (`c * T + t`).
    pub fn add(&mut self, index: usize, a: f64, beta: f64) {
        let index = index as u32;
        match self.terms.binary_search_by_key(&index, |e| e.0) {
            Ok(k) => {
                self.terms[k].1 += a;
                self.terms[k].2 += beta;
            }
            Err(k) => self.terms.insert(k, (index, a, beta)),
        }
    }

    /// The coefficients (a, beta) at `index`, zero when absent.
    pub fn coefficient(&self, index: usize) -> (f64, f64) {
        self.terms
            .binary_search_by_key(&(index as u32), |e| e.0)
            .map_or((0.0, 0.0), |k| (self.terms[k].1, self.terms[k].2))
    }

    /// Where the terms of cohort class `c` are in `terms`, searching from `from` (an earlier
    /// cohort's end): its indices are c·T .. (c + 1)·T, contiguous since terms are sorted.
    fn cohort_range(&self, c: usize, periods: usize, from: usize) -> std::ops::Range<usize> {
        let (lo, hi) = ((c * periods) as u32, ((c + 1) * periods) as u32);
        let start = from + self.terms[from..].partition_point(|e| e.0 < lo);
        start..start + self.terms[start..].partition_point(|e| e.0 < hi)
    }

    /// The cohort classes, ascending, in which the function has terms or a non-zero constant:
    /// it is zero for every entity of any other cohort.
    fn cohorts(&self, periods: usize) -> Vec<usize> {
        let mut out: Vec<usize> = Vec::new();
        for e in &self.terms {
            let c = e.0 as usize / periods;
            if out.last() != Some(&c) {
                out.push(c);
            }
        }
        if self.b.iter().any(|b| *b != 0.0) {
            out.extend(self.b.iter().enumerate().filter(|(_, b)| **b != 0.0).map(|(c, _)| c));
            out.sort_unstable();
            out.dedup();
        }
        out
    }

    /// The value at each entity of the estimation sample, IF_i = Σ_t 1{observed} (a Y_it + β) + b,
    /// in the order of `entities` (indices into `panel`'s entities, whose cohorts are `cohort`, as
    /// in `AttGt::entities` and `AttGt::entity_cohort`): the entity-level influence function of
    /// the dense path, formed only for the estimates that need it (the difference of two
    /// subgroups' effects, matched employee by employee).
    pub fn expand(
        &self,
        moments: &CohortMoments,
        panel: &Panel,
        entities: &[usize],
        cohort: &[i64],
    ) -> Vec<f64> {
        let t_n = moments.periods;
        let mut at = 0;
        let ranges: Vec<std::ops::Range<usize>> = (0..moments.cohorts.len())
            .map(|c| {
                let r = self.cohort_range(c, t_n, at);
                at = r.end;
                r
            })
            .collect();
        entities
            .iter()
            .zip(cohort)
            .map(|(&e, &g)| {
                let Some(c) = moments.class_of(g) else { return 0.0 };
                let row = &panel.y[e * t_n..(e + 1) * t_n];
                let observed: f64 = self.terms[ranges[c].clone()]
                    .iter()
                    .filter_map(|&(index, a, beta)| {
                        let y = row[index as usize - c * t_n];
                        (!y.is_nan()).then_some(a * y + beta)
                    })
                    .sum();
                observed + self.b.get(c).copied().unwrap_or(0.0)
            })
            .collect()
    }
}

/// One period's (t, a, β̃ = β + a m) within a cohort, for [`LinearSpace::dot`].
type Tilde = (usize, f64, f64);

/// One influence function's part in one cohort, for [`LinearSpace::gram`]: its (t, a, β̃) terms
/// and constant b, and what any other function's terms are multiplied by in their dot product
/// with it: `p[t]` for a_t, `q[t]` for β̃_t, `r` for the other's constant (empty `p` and `q`
/// when this function is zero in the cohort).
struct Projection {
    terms: Vec<Tilde>,
    b: f64,
    p: Vec<f64>,
    q: Vec<f64>,
    r: f64,
}

/// Dense coefficient arrays of [`InfluenceSpace::weighted_sum`], kept per thread between calls
/// (an aggregation makes hundreds of them): all zeros and unmarked between calls.
#[derive(Default)]
struct Scratch {
    a: Vec<f64>,
    beta: Vec<f64>,
    touched: Vec<bool>,
    /// The indices marked in `touched` by the current call.
    indices: Vec<u32>,
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch::default());
}

/// Influence functions held as [`LinearIf`], measured with [`CohortMoments`].
pub struct LinearSpace<'a> {
    pub moments: &'a CohortMoments,
    pub n: usize,
}

impl LinearSpace<'_> {
    /// The (t, a, β̃) terms of `f` in cohort class `c`, searching its terms from `*at` (advanced
    /// past them).
    fn cohort_terms(&self, f: &LinearIf, c: usize, at: &mut usize, out: &mut Vec<Tilde>) {
        let m = self.moments;
        let t_n = m.periods;
        let range = f.cohort_range(c, t_n, *at);
        *at = range.end;
        out.clear();
        out.extend(
            f.terms[range]
                .iter()
                .map(|e| {
                    let t = e.0 as usize - c * t_n;
                    (t, e.1, e.2 + e.1 * m.mean[c * t_n + t])
                })
                .filter(|(_, a, bt)| *a != 0.0 || *bt != 0.0),
        );
    }

    /// `f` projected on each cohort's moments: O(terms × T) once, after which its dot product
    /// with any function costs O(that function's terms).
    fn project(&self, f: &LinearIf) -> Vec<Projection> {
        let m = self.moments;
        let t_n = m.periods;
        let tt = t_n * t_n;
        let mut at = 0;
        (0..m.cohorts.len())
            .map(|c| {
                let mut terms = Vec::new();
                self.cohort_terms(f, c, &mut at, &mut terms);
                let b = f.b.get(c).copied().unwrap_or(0.0);
                let (mut p, mut q, mut r) = (Vec::new(), Vec::new(), 0.0);
                if m.count[c] > 0 && (!terms.is_empty() || b != 0.0) {
                    let (both, edge, edge_t, cross) = (
                        &m.both[c * tt..(c + 1) * tt],
                        &m.edge[c * tt..(c + 1) * tt],
                        &m.edge_t[c * tt..(c + 1) * tt],
                        &m.cross[c * tt..(c + 1) * tt],
                    );
                    (p, q) = (vec![0.0; t_n], vec![0.0; t_n]);
                    for &(s, a, bt) in &terms {
                        // Row s of each matrix, read in order (edge down its column s: edge_t's row).
                        let row = s * t_n..(s + 1) * t_n;
                        let rows =
                            cross[row.clone()].iter().zip(&edge_t[row.clone()]).zip(&edge[row.clone()]);
                        for (((pt, qt), ((x, et), e)), n) in
                            p.iter_mut().zip(q.iter_mut()).zip(rows).zip(&both[row])
                        {
                            *pt += a * x + bt * et;
                            *qt += a * e + bt * n;
                        }
                        r += a * edge[s * t_n + s] + bt * both[s * t_n + s];
                    }
                    if b != 0.0 {
                        for t in 0..t_n {
                            p[t] += b * edge[t * t_n + t];
                            q[t] += b * both[t * t_n + t];
                        }
                    }
                }
                Projection { terms, b, p, q, r }
            })
            .collect()
    }
}

impl InfluenceSpace for LinearSpace<'_> {
    type Inf = LinearIf;

    fn n(&self) -> usize {
        self.n
    }

    fn zero(&self) -> LinearIf {
        LinearIf { terms: Vec::new(), b: vec![0.0; self.moments.cohorts.len()] }
    }

    fn axpy(&self, acc: &mut LinearIf, w: f64, f: &LinearIf) {
        // Merge of two sorted term lists: acc + w f, index by index.
        let (old, mut i, mut j) = (std::mem::take(&mut acc.terms), 0, 0);
        let mut out = Vec::with_capacity(old.len().max(f.terms.len()));
        while i < old.len() || j < f.terms.len() {
            match (old.get(i), f.terms.get(j)) {
                (Some(x), Some(y)) if x.0 == y.0 => {
                    out.push((x.0, x.1 + w * y.1, x.2 + w * y.2));
                    i += 1;
                    j += 1;
                }
                (Some(x), Some(y)) if x.0 < y.0 => {
                    out.push(*x);
                    i += 1;
                }
                (Some(x), None) => {
                    out.push(*x);
                    i += 1;
                }
                (_, Some(y)) => {
                    out.push((y.0, 0.0 + w * y.1, 0.0 + w * y.2));
                    j += 1;
                }
                (None, None) => break,
            }
        }
        acc.terms = out;
        acc.b.iter_mut().zip(&f.b).for_each(|(x, y)| *x += w * y);
    }

    /// Scattered into dense coefficient arrays and gathered once, instead of one merge of the
    /// growing term list per part (quadratic in the parts of an aggregation). Each coefficient
    /// receives the same additions in the same order as part-by-part [`InfluenceSpace::axpy`],
    /// and keeps every index a part touched, so the result is identical (tested).
    fn weighted_sum(&self, parts: &[(f64, &LinearIf)]) -> LinearIf {
        let size = self.moments.cohorts.len() * self.moments.periods;
        let mut acc = self.zero();
        SCRATCH.with_borrow_mut(|scratch| {
            let Scratch { a, beta, touched, indices } = scratch;
            // Zeros of the right size: every entry left is reset below, so only growth is paid.
            if a.len() < size {
                a.resize(size, 0.0);
                beta.resize(size, 0.0);
                touched.resize(size, false);
            }
            indices.clear();
            for (w, f) in parts {
                for &(k, x, y) in &f.terms {
                    let k = k as usize;
                    a[k] += w * x;
                    beta[k] += w * y;
                    if !touched[k] {
                        touched[k] = true;
                        indices.push(k as u32);
                    }
                }
                acc.b.iter_mut().zip(&f.b).for_each(|(x, y)| *x += w * y);
            }
            indices.sort_unstable();
            acc.terms = indices
                .iter()
                .map(|&k| {
                    let k = k as usize;
                    let term = (k as u32, a[k], beta[k]);
                    (a[k], beta[k], touched[k]) = (0.0, 0.0, false);
                    term
                })
                .collect();
        });
        acc
    }

    fn add_by_cohort(&self, acc: &mut LinearIf, term: &dyn Fn(i64) -> f64) {
        for (b, g) in acc.b.iter_mut().zip(&self.moments.cohorts) {
            *b += term(*g);
        }
    }

    /// Each function is projected once ([`LinearSpace::project`]), so the k² products cost
    /// O(terms) each instead of the O(terms²) per cohort of [`InfluenceSpace::dot`], which they
    /// equal up to rounding (tested): the event study's covariance over ±12 months is 325 of them.
    fn gram(&self, fs: &[&LinearIf]) -> Vec<f64> {
        let m = self.moments;
        let projections: Vec<Vec<Projection>> = fs.iter().map(|f| self.project(f)).collect();
        let k = fs.len();
        let mut g = vec![0.0; k * k];
        for i in 0..k {
            for j in 0..=i {
                let mut total = 0.0;
                for (c, (x, y)) in projections[i].iter().zip(&projections[j]).enumerate() {
                    if x.p.is_empty() || (y.terms.is_empty() && y.b == 0.0) {
                        continue;
                    }
                    let terms: f64 = y.terms.iter().map(|&(t, a, bt)| a * x.p[t] + bt * x.q[t]).sum();
                    total += terms + y.b * x.r + m.count[c] as f64 * x.b * y.b;
                }
                g[i * k + j] = total;
                g[j * k + i] = total;
            }
        }
        g
    }

    fn dot(&self, x: &LinearIf, y: &LinearIf) -> f64 {
        let m = self.moments;
        let t_n = m.periods;
        let tt = t_n * t_n;
        let mut total = 0.0;
        // Per operand and cohort: (t, a, β̃ = β + a m) of the periods where either is non-zero.
        let (mut xs, mut ys): (Vec<Tilde>, Vec<Tilde>) = (Vec::new(), Vec::new());
        let (mut ix, mut iy) = (0, 0);
        // A standard error is the dot product of a function with itself: its terms are found
        // once (the sums below run in the same order either way).
        let same = std::ptr::eq(x, y);
        // Only cohorts where both operands can be non-zero: a cell's function lives in its own
        // cohort and its controls', not in every cohort.
        let cx = x.cohorts(t_n);
        let cy = if same { Vec::new() } else { y.cohorts(t_n) };
        let both_active = cx.iter().filter(|c| same || cy.binary_search(c).is_ok());
        for &c in both_active {
            self.cohort_terms(x, c, &mut ix, &mut xs);
            if !same {
                self.cohort_terms(y, c, &mut iy, &mut ys);
            }
            let ys: &[Tilde] = if same { &xs } else { &ys };
            let (xb, yb) = (x.b.get(c).copied().unwrap_or(0.0), y.b.get(c).copied().unwrap_or(0.0));
            // A cohort where either operand is zero adds nothing (every term is a product of both).
            if m.count[c] == 0 || (xs.is_empty() && xb == 0.0) || (ys.is_empty() && yb == 0.0) {
                continue;
            }
            let (both, edge, edge_t, cross) = (
                &m.both[c * tt..(c + 1) * tt],
                &m.edge[c * tt..(c + 1) * tt],
                &m.edge_t[c * tt..(c + 1) * tt],
                &m.cross[c * tt..(c + 1) * tt],
            );
            let mut sum = 0.0;
            for &(s, ax, bx) in &xs {
                // Row s of each matrix (edge read down its column s: edge_t's row s).
                let row = s * t_n..(s + 1) * t_n;
                let (cross, edge, edge_t, both) =
                    (&cross[row.clone()], &edge[row.clone()], &edge_t[row.clone()], &both[row]);
                for &(t, ay, by) in ys {
                    sum += ax * ay * cross[t] + ax * by * edge[t] + bx * ay * edge_t[t] + bx * by * both[t];
                }
            }
            if xb != 0.0 {
                sum += xb
                    * ys.iter()
                        .map(|&(t, ay, by)| ay * edge[t * t_n + t] + by * both[t * t_n + t])
                        .sum::<f64>();
            }
            if yb != 0.0 {
                sum += yb
                    * xs.iter()
                        .map(|&(t, ax, bx)| ax * edge[t * t_n + t] + bx * both[t * t_n + t])
                        .sum::<f64>();
            }
            total += sum + m.count[c] as f64 * xb * yb;
        }
        total
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::influence::DenseSpace;

    /// The outer-product update compiled for the running CPU (AVX2 where it has it) gives the
    /// cross-products bit for bit as the portable loop, and as one product at a time.
    #[test]
    fn every_cpu_path_gives_the_same_cross_products() {
        for t_n in [1, 5, 60] {
            let d: Vec<f64> = (0..t_n).map(|i| ((i * 7919) % 101) as f64 / 37.0 - 1.3).collect();
            let start: Vec<f64> = (0..t_n * t_n).map(|i| ((i * 104_729) % 97) as f64 / 11.0).collect();
            let (mut fast, mut portable, mut naive) = (start.clone(), start.clone(), start);
            for _ in 0..3 {
                add_upper_outer(&mut fast, &d);
                add_upper_outer_portable(&mut portable, &d);
                for j in 0..t_n {
                    for l in j..t_n {
                        naive[j * t_n + l] += d[j] * d[l];
                    }
                }
            }
            let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<u64>>();
            assert_eq!(bits(&fast), bits(&portable), "T = {t_n}");
            assert_eq!(bits(&fast), bits(&naive), "T = {t_n}");
        }
    }

    /// A subgroup's moments with the never-treated class taken from the whole panel's equal
    /// those computed from scratch, bit for bit; the shared sums are used (a marked copy shows
    /// through), and refused when the never-treated entities differ.
    #[test]
    fn never_treated_moments_are_shared_only_over_the_same_entities() {
        let bits = |m: &CohortMoments| {
            let all = [&m.mean, &m.both, &m.edge, &m.edge_t, &m.cross];
            (m.count.clone(), all.iter().flat_map(|v| v.iter().map(|x| x.to_bits())).collect::<Vec<u64>>())
        };
        for gaps in [false, true] {
            let all = panel(gaps);
            let everyone: Vec<usize> = (0..all.n()).collect();
            let whole = CohortMoments::new(&all, &everyone, &all.cohort);
            let never = whole.never_treated(&all, &everyone, &all.cohort).expect("never treated");
            // The subgroup of cohort 3 and every never-treated entity, as an outcome's subgroups are.
            let sub = all.select(&all.cohort.iter().map(|g| *g != 4).collect::<Vec<_>>()).expect("select");
            let keep: Vec<usize> = (0..sub.n()).collect();
            let alone = CohortMoments::new(&sub, &keep, &sub.cohort);
            let shared = CohortMoments::sharing(&sub, &keep, &sub.cohort, Some(&never));
            assert_eq!(bits(&shared), bits(&alone));
            assert_eq!(shared.cohorts, vec![0, 3]);
            let mut marked = never.clone();
            marked.cross[0] += 1.0;
            assert_ne!(
                CohortMoments::sharing(&sub, &keep, &sub.cohort, Some(&marked)).cross[0],
                alone.cross[0]
            );
            // Without one never-treated entity, the shared sums are not used.
            let fewer = sub.select(&(0..sub.n()).map(|i| i != 0).collect::<Vec<_>>()).expect("select");
            let keep: Vec<usize> = (0..fewer.n()).collect();
            assert_eq!(
                bits(&CohortMoments::sharing(&fewer, &keep, &fewer.cohort, Some(&marked))),
                bits(&CohortMoments::new(&fewer, &keep, &fewer.cohort))
            );
        }
    }

    /// 7 entities × 4 periods, cohorts 0, 3 and 4; with `gaps`, some observations are missing.
    fn panel(gaps: bool) -> Panel {
        let cohorts = [0, 0, 3, 3, 4, 0, 4];
        let (mut id, mut time, mut cohort, mut y) = (vec![], vec![], vec![], vec![]);
        for (i, g) in cohorts.iter().enumerate() {
            for t in 1..=4 {
                if gaps && (i * 4 + t as usize).is_multiple_of(5) {
                    continue;
                }
                id.push(i as i64);
                time.push(t);
                cohort.push(*g);
                y.push(((i * 7 + t as usize * 3) % 11) as f64 * 0.5 + i as f64 + 40.0);
            }
        }
        Panel::from_long_unbalanced(&id, &time, &cohort, &y).expect("panel")
    }

    fn arbitrary(seed: f64) -> LinearIf {
        let a: Vec<f64> = (0..12).map(|k| ((k as f64 + seed) * 0.37).sin()).collect();
        let beta: Vec<f64> =
            (0..12).map(|k| if k % 3 == 0 { (k as f64 * seed).cos() } else { 0.0 }).collect();
        LinearIf::from_dense(&a, &beta, vec![0.2 * seed, -1.0, 0.7])
    }

    /// The influence function entity by entity.
    fn expand(p: &Panel, m: &CohortMoments, h: &LinearIf) -> Vec<f64> {
        (0..p.n())
            .map(|i| {
                let c = m.class_of(p.cohort[i]).expect("class");
                let observed: f64 = (0..4)
                    .filter(|t| !p.y_at(i, *t).is_nan())
                    .map(|t| {
                        let (a, beta) = h.coefficient(c * 4 + t);
                        a * p.y_at(i, t) + beta
                    })
                    .sum();
                observed + h.b[c]
            })
            .collect()
    }

    #[test]
    fn moments_give_the_same_dot_products_as_entity_level_values() {
        for gaps in [false, true] {
            let p = panel(gaps);
            assert_eq!(p.has_gaps(), gaps);
            let keep: Vec<usize> = (0..p.n()).collect();
            let m = CohortMoments::new(&p, &keep, &p.cohort);
            assert_eq!(m.cohorts, vec![0, 3, 4]);
            assert_eq!(m.count, vec![3, 2, 2]);
            let space = LinearSpace { moments: &m, n: p.n() };
            let dense = DenseSpace { entity_cohort: &p.cohort, n: p.n() };
            let (f, g) = (arbitrary(1.0), arbitrary(2.5));
            let (fd, gd) = (expand(&p, &m, &f), expand(&p, &m, &g));
            assert!((space.dot(&f, &g) - dense.dot(&fd, &gd)).abs() < 1e-9, "gaps {gaps}");
            assert!((space.se(&f) - dense.se(&fd)).abs() < 1e-12, "gaps {gaps}");
            let mut h = space.zero();
            space.axpy(&mut h, 2.0, &f);
            space.add_by_cohort(&mut h, &|c| c as f64);
            let mut hd = dense.zero();
            dense.axpy(&mut hd, 2.0, &fd);
            dense.add_by_cohort(&mut hd, &|c| c as f64);
            assert!(expand(&p, &m, &h).iter().zip(&hd).all(|(a, b)| (a - b).abs() < 1e-12));
            // A second, overlapping combination merges term by term like the dense sum.
            space.axpy(&mut h, -0.5, &g);
            dense.axpy(&mut hd, -0.5, &gd);
            assert!(expand(&p, &m, &h).iter().zip(&hd).all(|(a, b)| (a - b).abs() < 1e-12));
            assert!(h.terms.windows(2).all(|w| w[0].0 < w[1].0), "terms stay sorted and unique");
            // The dense weighted sum is the part-by-part merge, bit for bit (a term cancelled to
            // zero included), and the default sum of the dense space is its own axpy.
            let cancel =
                LinearIf { terms: f.terms.iter().map(|&(k, x, y)| (k, -x, -y)).collect(), b: f.b.clone() };
            let parts = [(2.0, &f), (-0.5, &g), (2.0, &cancel), (0.25, &h)];
            let mut merged = space.zero();
            for (w, x) in parts {
                space.axpy(&mut merged, w, x);
            }
            assert_eq!(space.weighted_sum(&parts), merged);
            let dense_parts = [(2.0, &fd), (-0.5, &gd)];
            let mut hd2 = dense.zero();
            dense.axpy(&mut hd2, 2.0, &fd);
            dense.axpy(&mut hd2, -0.5, &gd);
            assert_eq!(dense.weighted_sum(&dense_parts), hd2);
            assert!((space.dot(&h, &f) - dense.dot(&hd, &fd)).abs() < 1e-9, "gaps {gaps}");
        }
    }

    /// The projected cross-products equal pairwise dot products, on panels with and without
    /// gaps, for functions with and without terms or constants in a cohort; and `expand` gives
    /// the entity-level values.
    #[test]
    fn gram_equals_pairwise_dot_products() {
        for gaps in [false, true] {
            let p = panel(gaps);
            let keep: Vec<usize> = (0..p.n()).collect();
            let m = CohortMoments::new(&p, &keep, &p.cohort);
            let space = LinearSpace { moments: &m, n: p.n() };
            let mut only_b = space.zero();
            only_b.b[1] = 0.8;
            let mut one_cohort = space.zero();
            one_cohort.add(2 * 4 + 1, 0.3, -1.1);
            let fs = [arbitrary(1.0), arbitrary(2.5), only_b, one_cohort, space.zero(), arbitrary(-0.7)];
            let refs: Vec<&LinearIf> = fs.iter().collect();
            let g = space.gram(&refs);
            let k = fs.len();
            for i in 0..k {
                for j in 0..k {
                    let want = space.dot(&fs[i], &fs[j]);
                    assert!(
                        (g[i * k + j] - want).abs() <= 1e-12 * (1.0 + want.abs()),
                        "{i} {j}: {} vs {want}",
                        g[i * k + j]
                    );
                    assert_eq!(g[i * k + j], g[j * k + i], "symmetric");
                }
                let values = fs[i].expand(&m, &p, &keep, &p.cohort);
                assert!(values.iter().zip(expand(&p, &m, &fs[i])).all(|(a, b)| (a - b).abs() < 1e-12), "{i}");
            }
            assert_eq!(g[4 * k + 4], 0.0, "the zero function");
        }
    }

    #[test]
    fn sparse_terms_add_and_read_back() {
        let mut f = LinearIf { terms: Vec::new(), b: vec![0.0; 2] };
        f.add(5, 1.0, -2.0);
        f.add(1, 0.5, 0.0);
        f.add(5, 1.0, 1.0);
        assert_eq!(f.terms, vec![(1, 0.5, 0.0), (5, 2.0, -1.0)]);
        assert_eq!((f.coefficient(5), f.coefficient(3)), ((2.0, -1.0), (0.0, 0.0)));
        let dense = LinearIf::from_dense(
            &[0.0, 0.5, 0.0, 0.0, 0.0, 2.0],
            &[0.0, 0.0, 0.0, 0.0, 0.0, -1.0],
            vec![0.0; 2],
        );
        assert_eq!(dense, f);
    }

    #[test]
    fn moments_over_several_blocks_match_entity_level_sums() {
        // Entities repeated past three parallel blocks: the blocked sums equal a plain sum.
        let p = panel(true);
        let keep: Vec<usize> = (0..p.n()).cycle().take(3 * BLOCK + 5).collect();
        let cohort: Vec<i64> = keep.iter().map(|i| p.cohort[*i]).collect();
        let m = CohortMoments::new(&p, &keep, &cohort);
        assert_eq!(m.count.iter().sum::<usize>(), keep.len());
        let space = LinearSpace { moments: &m, n: keep.len() };
        let f = arbitrary(0.3);
        let per_entity = expand(&p, &m, &f);
        let direct: f64 = keep.iter().map(|&i| per_entity[i] * per_entity[i]).sum();
        assert!((space.dot(&f, &f) - direct).abs() <= 1e-9 * direct, "{} vs {direct}", space.dot(&f, &f));
    }
}
