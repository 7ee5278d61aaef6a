//! Simultaneous ("sup-t") confidence bands from an estimated covariance matrix.
//!
//! A pointwise 95% interval covers each event-time effect 95% of the time; a band must cover all
//! of them at once, so its critical value is the 95% quantile of max_j |Z_j| / sd_j for
//! Z ~ N(0, Σ) (Montiel Olea & Plagborg-Møller 2019). This is what the multiplier bootstrap of
//! `mutasi estimate --bootstrap` approximates, computed here from the analytic covariance of the
//! influence functions, so the monthly run gets a band without resampling n employees.
//! The draws are ziggurat normals from seeded ChaCha streams, one per fixed chunk of draws, run
//! in parallel: the same covariance gives the same value on any number of cores. Every band reads
//! prefixes of the same streams, so the normals are generated once per process and shared, and
//! laid out sixteen draws side by side once per dimension; the draws are combined in the order
//! one draw at a time would use, which keeps every critical value bit for bit what a fresh
//! generator gives.

use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};
use rand_distr::StandardNormal;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

/// Seed of the band's draws (fixed: the band is part of the published numbers).
pub const BAND_SEED: u64 = 20_251_231;
/// Number of Gaussian draws.
pub const BAND_DRAWS: usize = 20_000;
/// Draws per stream: chunks run on any free core.
const CHUNK: usize = 2_500;

/// Critical value c such that P(max_j |Z_j| / sd_j ≤ c) = `level` for Z ~ N(0, `cov`), `cov`
/// being k × k row-major. Components with zero or non-finite variance are left out. `None` when
/// no component is left or the matrix is not a covariance matrix.
pub fn sup_t_critical(cov: &[f64], k: usize, level: f64, draws: usize, seed: u64) -> Option<f64> {
    if cov.len() != k * k || draws == 0 || !(0.0..1.0).contains(&level) {
        return None;
    }
    let keep: Vec<usize> = (0..k).filter(|&j| cov[j * k + j].is_finite() && cov[j * k + j] > 0.0).collect();
    let m = keep.len();
    if m == 0 {
        return None;
    }
    // Correlation matrix of the kept components.
    let mut corr = vec![0.0; m * m];
    for (a, &i) in keep.iter().enumerate() {
        for (b, &j) in keep.iter().enumerate() {
            let c = cov[i * k + j];
            if !c.is_finite() {
                return None;
            }
            corr[a * m + b] = c / (cov[i * k + i] * cov[j * k + j]).sqrt();
        }
    }
    let l = cholesky_psd(&corr, m);
    // Lᵀ row by row: column b of L is contiguous, so z = L u is a sum of scaled columns (axpy),
    // which vectorises without reordering any sum.
    let mut columns = vec![0.0; m * m];
    for a in 0..m {
        for b in 0..=a {
            columns[b * m + a] = l[a * m + b];
        }
    }
    // Fixed chunks of draws, each from its own stream of the seed: the same value whatever the
    // number of threads, since the quantile is read by rank.
    let chunks = draws.div_ceil(CHUNK);
    let mut maxima: Vec<f64> = (0..chunks)
        .into_par_iter()
        .flat_map_iter(|c| {
            let count = CHUNK.min(draws - c * CHUNK);
            maxima_of(&lanes(seed, c as u64, m, count), &columns, m, count)
        })
        .collect();
    // The quantile is the idx-th smallest maximum: selected in linear time, the value a full
    // sort would put there.
    let idx = ((draws as f64 * level).ceil() as usize).clamp(1, draws) - 1;
    if idx >= maxima.len() {
        return None;
    }
    Some(*maxima.select_nth_unstable_by(idx, f64::total_cmp).1)
}

/// Draws whose sums are carried together through one row of L.
const LANES: usize = 16;

/// max_a |z_a| of each draw z = L u of one chunk, u being m consecutive values of `normals` per
/// draw and `columns` holding Lᵀ row by row ([`maxima_of`] of their [`transpose`]).
#[cfg(test)]
fn chunk_maxima(normals: &[f64], columns: &[f64], m: usize, count: usize) -> Vec<f64> {
    maxima_of(&transpose(normals, m, count), columns, m, count)
}

/// [`chunk_maxima`] through the portable loop whatever the CPU.
#[cfg(test)]
fn chunk_maxima_portable(normals: &[f64], columns: &[f64], m: usize, count: usize) -> Vec<f64> {
    maxima_with(&transpose(normals, m, count), m, count, |u, w| group_maxima(u, columns, m, w))
}

/// The first `count` draws of m normals each laid out for [`maxima_of`]: group g of LANES
/// draws as m rows, `out[g * m + b][k]` being component b of draw g · LANES + k (zeros past the
/// last draw).
fn transpose(normals: &[f64], m: usize, count: usize) -> Vec<[f64; LANES]> {
    let mut out = vec![[0.0f64; LANES]; count.div_ceil(LANES) * m];
    for (d, draw) in normals[..count * m].chunks_exact(m).enumerate() {
        let (rows, k) = (&mut out[(d / LANES) * m..(d / LANES + 1) * m], d % LANES);
        for (row, x) in rows.iter_mut().zip(draw) {
            row[k] = *x;
        }
    }
    out
}

/// Draws laid out by [`transpose`] kept for reuse, in f64s: about eight dimensions of a ±12-month
/// study for every stream (a band's draws are the same for every fit of the same dimension).
const KEEP_LANES: usize = 4_000_000;

/// [`transpose`] of the first `count` draws of m normals of stream `stream` of `seed`, kept
/// and shared by every band of dimension m (its groups past `count` hold later draws of the
/// stream, whose maxima are never kept).
fn lanes(seed: u64, stream: u64, m: usize, count: usize) -> Arc<Vec<[f64; LANES]>> {
    type Kept = BTreeMap<(u64, u64, usize), Arc<Vec<[f64; LANES]>>>;
    static KEPT: Mutex<Kept> = Mutex::new(BTreeMap::new());
    let need = count.div_ceil(LANES) * m;
    // A poisoned lock only means another thread panicked while holding it; the map is still whole.
    let lock = || KEPT.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(v) = lock().get(&(seed, stream, m)).filter(|v| v.len() >= need) {
        return Arc::clone(v);
    }
    let v = Arc::new(transpose(&normals(seed, stream, count * m), m, count));
    let mut kept = lock();
    let held: usize = kept.values().map(|v| v.len() * LANES).sum();
    if held + v.len() * LANES <= KEEP_LANES && count * m <= KEEP_NORMALS {
        kept.insert((seed, stream, m), Arc::clone(&v));
    }
    v
}

/// max_a |z_a| of each of the first `count` draws of `lanes` ([`transpose`]'s layout), with
/// `columns` holding Lᵀ row by row. Each z_a sums its terms in the order b = 0, 1, …, a, so the
/// values are those of one draw at a time.
///
/// On a CPU with AVX2 each group of draws runs through [`group_maxima_avx2`], 4 draws per
/// instruction with the sixteen sums in registers. Each lane does the same multiplications and
/// additions in the same order (no fused multiply-add, no reordering), so the maxima are bit for
/// bit those of the portable loop (tested).
fn maxima_of(lanes: &[[f64; LANES]], columns: &[f64], m: usize, count: usize) -> Vec<f64> {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU supports AVX2, checked just above.
        return maxima_with(lanes, m, count, |u, w| unsafe { group_maxima_avx2(u, columns, m, w) });
    }
    maxima_with(lanes, m, count, |u, w| group_maxima(u, columns, m, w))
}

/// The maxima of the first `count` draws of `lanes`, each group's from `group`.
#[inline(always)]
fn maxima_with(
    lanes: &[[f64; LANES]],
    m: usize,
    count: usize,
    group: impl Fn(&[[f64; LANES]], &mut [f64]),
) -> Vec<f64> {
    let mut out = vec![0.0; count];
    for (g, w) in out.chunks_mut(LANES).enumerate() {
        group(&lanes[g * m..(g + 1) * m], w);
    }
    out
}

/// Each of the `w.len()` draws' maximum |z_a| over a = 0, 1, …, m − 1, where
/// z_a = Σ_{b ≤ a} L_ab u_b is summed in the order b = 0, 1, …, a, for LANES draws at a time.
fn group_maxima(u: &[[f64; LANES]], columns: &[f64], m: usize, w: &mut [f64]) {
    w.iter_mut().for_each(|x| *x = 0.0);
    for a in 0..m {
        let mut z = [0.0f64; LANES];
        for b in 0..=a {
            let lab = columns[b * m + a];
            for (zx, ux) in z.iter_mut().zip(&u[b]) {
                *zx += lab * ux;
            }
        }
        for (w, x) in w.iter_mut().zip(&z) {
            *w = w.max(x.abs());
        }
    }
}

/// [`group_maxima`] with AVX2 intrinsics: two rows a and a + 1 of L at a time share the loads
/// of u, which gives eight independent sums of four draws in registers. Each sum still takes
/// its terms in the order b = 0, 1, …, a, each as a multiplication then an addition, as in the
/// portable loop (whose compiled code spilled its sums to the stack).
///
/// # Safety
/// The CPU must support AVX2.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn group_maxima_avx2(u: &[[f64; LANES]], columns: &[f64], m: usize, w: &mut [f64]) {
    use std::arch::x86_64::*;
    const _: () = assert!(LANES == 16, "four registers of four draws");
    let rows = &u[..m];
    let columns = &columns[..m * m];
    let sign = _mm256_set1_pd(-0.0);
    // SAFETY (every load): a row holds 16 values, read as four groups of four.
    let load = |row: &[f64; LANES], k: usize| unsafe { _mm256_loadu_pd(row.as_ptr().add(4 * k)) };
    let mut mx = [_mm256_setzero_pd(); 4];
    let mut a = 0;
    while a < m {
        let pair = a + 1 < m;
        let (mut z0, mut z1) = ([_mm256_setzero_pd(); 4], [_mm256_setzero_pd(); 4]);
        for (b, row) in rows[..=a].iter().enumerate() {
            let l0 = _mm256_set1_pd(columns[b * m + a]);
            let l1 = _mm256_set1_pd(if pair { columns[b * m + a + 1] } else { 0.0 });
            for k in 0..4 {
                let x = load(row, k);
                z0[k] = _mm256_add_pd(z0[k], _mm256_mul_pd(l0, x));
                z1[k] = _mm256_add_pd(z1[k], _mm256_mul_pd(l1, x));
            }
        }
        // max(|z|, w): |z| when larger, w otherwise (w when |z| is NaN, as `f64::max`).
        for k in 0..4 {
            mx[k] = _mm256_max_pd(_mm256_andnot_pd(sign, z0[k]), mx[k]);
        }
        if pair {
            let (row, l1) = (&rows[a + 1], _mm256_set1_pd(columns[(a + 1) * m + a + 1]));
            for k in 0..4 {
                z1[k] = _mm256_add_pd(z1[k], _mm256_mul_pd(l1, load(row, k)));
                mx[k] = _mm256_max_pd(_mm256_andnot_pd(sign, z1[k]), mx[k]);
            }
        }
        a += 2;
    }
    let mut all = [0.0f64; LANES];
    for (k, mk) in mx.iter().enumerate() {
        // SAFETY: `all` holds 16 values, written as four groups of four.
        unsafe { _mm256_storeu_pd(all.as_mut_ptr().add(4 * k), *mk) };
    }
    let n = w.len();
    w.copy_from_slice(&all[..n]);
}

/// Normals of one stream kept for reuse: up to this many per stream (the 25 event times of a
/// ±12-month study need 62,500).
const KEEP_NORMALS: usize = CHUNK * 64;

/// The first `len` standard normals of stream `stream` of `seed`. Every draw of a band reads the
/// next m normals of its chunk's stream, so a chunk uses a prefix of a fixed sequence whatever m
/// is: the prefixes are generated once per process and shared by every fit (they are the values
/// a fresh generator gives, so the critical values do not change). Longer prefixes than
/// [`KEEP_NORMALS`] are generated and not kept.
fn normals(seed: u64, stream: u64, len: usize) -> Arc<Vec<f64>> {
    type Kept = BTreeMap<(u64, u64), Arc<Vec<f64>>>;
    static KEPT: Mutex<Kept> = Mutex::new(BTreeMap::new());
    let generate = |len: usize| {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        rng.set_stream(stream);
        Arc::new((0..len).map(|_| rng.sample(StandardNormal)).collect::<Vec<f64>>())
    };
    if len > KEEP_NORMALS {
        return generate(len);
    }
    // A poisoned lock only means another thread panicked while holding it; the map is still whole.
    let mut kept = KEPT.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    match kept.get(&(seed, stream)) {
        Some(v) if v.len() >= len => Arc::clone(v),
        _ => {
            let v = generate(len);
            kept.insert((seed, stream), Arc::clone(&v));
            v
        }
    }
}

/// Lower-triangular L with L Lᵀ = A for a positive semi-definite A: a pivot that is zero (a
/// component that is a combination of earlier ones) gives a zero column instead of failing.
fn cholesky_psd(a: &[f64], m: usize) -> Vec<f64> {
    let mut l = vec![0.0; m * m];
    for i in 0..m {
        for j in 0..=i {
            let s: f64 = (0..j).map(|p| l[i * m + p] * l[j * m + p]).sum();
            if i == j {
                let d = a[i * m + i] - s;
                l[i * m + i] = if d > 1e-12 { d.sqrt() } else { 0.0 };
            } else if l[j * m + j] > 0.0 {
                l[i * m + j] = (a[i * m + j] - s) / l[j * m + j];
            }
        }
    }
    l
}

#[cfg(test)]
mod tests {
    use super::*;

    fn crit(cov: &[f64], k: usize) -> f64 {
        sup_t_critical(cov, k, 0.95, BAND_DRAWS, BAND_SEED).expect("a critical value")
    }

    /// One component: the pointwise value 1.96.
    #[test]
    fn one_component_is_pointwise() {
        assert!((crit(&[4.0], 1) - 1.959_964).abs() < 0.04, "{}", crit(&[4.0], 1));
    }

    /// Independent components: Φ⁻¹((1 + 0.95^{1/k}) / 2), e.g. 2.236 for k = 2 and 2.491 for k = 4.
    #[test]
    fn independent_components_follow_sidak() {
        let two = crit(&[1.0, 0.0, 0.0, 9.0], 2);
        assert!((two - 2.236).abs() < 0.04, "{two}");
        let mut four = vec![0.0; 16];
        for j in 0..4 {
            four[j * 4 + j] = 1.0 + j as f64;
        }
        let c4 = crit(&four, 4);
        assert!((c4 - 2.491).abs() < 0.04, "{c4}");
    }

    /// Perfectly correlated components move together: the band is the pointwise interval, and a
    /// singular matrix does not fail. Zero-variance components are left out.
    #[test]
    fn correlated_and_degenerate_components() {
        let same = crit(&[1.0, 2.0, 2.0, 4.0], 2);
        assert!((same - 1.96).abs() < 0.04, "{same}");
        let with_zero = crit(&[1.0, 0.0, 0.0, 0.0], 2);
        assert!((with_zero - 1.96).abs() < 0.04, "{with_zero}");
        assert_eq!(sup_t_critical(&[0.0], 1, 0.95, 100, 1), None);
        assert_eq!(sup_t_critical(&[1.0, 0.0], 2, 0.95, 100, 1), None, "wrong size");
    }

    /// Chunks of draws run on any number of threads: one thread gives the same value.
    #[test]
    fn same_value_on_one_thread() {
        let cov = [1.0, 0.3, 0.1, 0.3, 2.0, 0.4, 0.1, 0.4, 1.5];
        let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build().expect("pool");
        let one = pool.install(|| crit(&cov, 3));
        assert_eq!(one, crit(&cov, 3));
        // A different seed moves the value a little, not a lot.
        let other = sup_t_critical(&cov, 3, 0.95, BAND_DRAWS, BAND_SEED + 1).expect("value");
        assert!(other != one && (other - one).abs() < 0.05, "{one} {other}");
    }

    /// The straightforward computation, one draw at a time from a fresh generator: what
    /// [`sup_t_critical`] must equal bit for bit with its shared normals and blocked sums.
    fn one_draw_at_a_time(cov: &[f64], k: usize, level: f64, draws: usize, seed: u64) -> f64 {
        let corr: Vec<f64> =
            (0..k * k).map(|x| cov[x] / (cov[(x / k) * (k + 1)] * cov[(x % k) * (k + 1)]).sqrt()).collect();
        let l = cholesky_psd(&corr, k);
        let mut maxima = Vec::new();
        for c in 0..draws.div_ceil(CHUNK) {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            rng.set_stream(c as u64);
            for _ in 0..CHUNK.min(draws - c * CHUNK) {
                let u: Vec<f64> = (0..k).map(|_| rng.sample(StandardNormal)).collect();
                let mut z = vec![0.0; k];
                for (b, ub) in u.iter().enumerate() {
                    for a in b..k {
                        z[a] += l[a * k + b] * ub;
                    }
                }
                maxima.push(z.iter().fold(0.0f64, |w, x| w.max(x.abs())));
            }
        }
        maxima.sort_by(f64::total_cmp);
        maxima[((draws as f64 * level).ceil() as usize).clamp(1, draws) - 1]
    }

    /// A k × k covariance with correlations that fall with distance, like an event study's.
    fn banded(k: usize) -> Vec<f64> {
        (0..k * k)
            .map(|x| {
                let (i, j) = (x / k, x % k);
                let sd = |i: usize| 1.0 + 0.1 * i as f64;
                0.7f64.powi((i as i32 - j as i32).abs()) * sd(i) * sd(j)
            })
            .collect()
    }

    /// Shared normals and blocked sums change no bit: sizes below, at and above a block, a
    /// partial last chunk, and more components than the kept normals cover.
    #[test]
    fn equals_one_draw_at_a_time() {
        for (k, draws) in [(1, 300), (3, 2_501), (25, BAND_DRAWS), (25, 5_000), (70, 2_600)] {
            let cov = banded(k);
            let fast = sup_t_critical(&cov, k, 0.95, draws, BAND_SEED).expect("value");
            assert_eq!(fast, one_draw_at_a_time(&cov, k, 0.95, draws, BAND_SEED), "k = {k}, {draws} draws");
            // A second call reads the kept normals and gives the same value.
            assert_eq!(fast, sup_t_critical(&cov, k, 0.95, draws, BAND_SEED).expect("value"));
        }
    }

    /// The loop compiled for the running CPU (AVX2 where it has it) gives every draw's maximum
    /// bit for bit as the portable one.
    #[test]
    fn every_cpu_path_gives_the_same_maxima() {
        for (m, count) in [(1, 7), (25, 600), (70, 300)] {
            let normals = normals(BAND_SEED, 3, m * count);
            let columns: Vec<f64> = (0..m * m).map(|i| ((i * 7919) % 101) as f64 / 50.0 - 1.0).collect();
            assert_eq!(
                chunk_maxima(&normals, &columns, m, count),
                chunk_maxima_portable(&normals, &columns, m, count),
                "m = {m}"
            );
        }
    }

    /// The same seed gives the same value; between pointwise and Bonferroni otherwise.
    #[test]
    fn seeded_and_between_bounds() {
        let cov = [1.0, 0.5, 0.2, 0.5, 1.0, 0.5, 0.2, 0.5, 1.0];
        let a = crit(&cov, 3);
        assert_eq!(a, crit(&cov, 3));
        assert!(a > 1.96 && a < 2.394, "{a}");
    }
}
