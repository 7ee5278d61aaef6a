//! Descriptive summaries of per-transfer changes: mean, median, standard deviation, a t-based
//! 95% interval for the mean and a percentile bootstrap interval that resamples people (a person
//! with several transfers counts as one cluster, so their correlated changes are not treated as
//! independent). These are before/after descriptions, not causal effects.

use rand::rngs::ChaCha8Rng;
use rand::{Rng, RngExt, SeedableRng};
use rayon::prelude::*;

use super::dist::student_t_quantile;
use super::quantile;

/// Bootstrap draws per block of work: blocks run in parallel, each from its place in the stream.
const DRAW_BLOCK: usize = 64;

#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub n: usize,
    pub mean: f64,
    pub median: f64,
    pub sd: f64,
    pub t_low: f64,
    pub t_high: f64,
    /// The percentile bootstrap interval (low, high); `None` without draws.
    pub boot: Option<(f64, f64)>,
}

/// Draws whose clusters are picked before they are summed ([`summarise`]).
const DRAW_BATCH: usize = 512;

/// Summarises `values`, each belonging to `cluster[i]` (e.g. the person). `None` for fewer than
/// two values. The bootstrap draws clusters with replacement `draws` times from a seeded stream.
pub fn summarise(values: &[f64], cluster: &[usize], alpha: f64, draws: usize, seed: u64) -> Option<Summary> {
    let n = values.len();
    if n < 2 {
        return None;
    }
    let mean = values.iter().sum::<f64>() / n as f64;
    let sd = (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1) as f64).sqrt();
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let half = student_t_quantile(1.0 - alpha / 2.0, (n - 1) as f64) * sd / (n as f64).sqrt();
    // Clusters as (sum, count), resampled whole.
    let mut ids: Vec<usize> = cluster.to_vec();
    ids.sort_unstable();
    ids.dedup();
    let mut sums = vec![(0.0, 0usize); ids.len()];
    for (v, c) in values.iter().zip(cluster) {
        if let Ok(k) = ids.binary_search(c) {
            sums[k].0 += v;
            sums[k].1 += 1;
        }
    }
    let boot = (draws > 0).then(|| {
        let g = sums.len();
        // A cluster's sum and count side by side: a draw reads one place in memory, not two.
        let clusters: Vec<(f64, u64)> = sums.iter().map(|(s, c)| (*s, *c as u64)).collect();
        // Cluster k from one 32-bit word by multiply-shift (Lemire): a bias below g / 2³² (under
        // 1e-5 for 40,000 people), half the random bits of a 64-bit range draw. Clusters beyond
        // 2³² fall back to the exact range draw.
        let small = u32::try_from(g).is_ok();
        // Four independent running sums: one sum would chain every addition on the previous one's
        // latency. Draw i goes to sum i mod 4, except the last g mod 4 draws, which go to the
        // first; the clusters drawn, and their order, do not depend on it.
        let full = g / 4 * 4;
        let mean_of_draw = |rng: &mut ChaCha8Rng| {
            let (mut s, mut c) = ([0.0f64; 4], [0u64; 4]);
            let mut add = |i: usize, k: usize| {
                let lane = if i < full { i & 3 } else { 0 };
                let (total, count) = clusters[k];
                s[lane] += total;
                c[lane] += count;
            };
            if small {
                // The draws' places first, a batch at a time, then their sums: a loop that only
                // loads keeps many cache misses in flight, where one that also runs the generator
                // between loads waits for each (the clusters of a large instansi are megabytes,
                // read at random: `docs/benchmarks.md`, issue 32).
                let mut places = [0u32; DRAW_BATCH];
                let mut i = 0;
                while i < g {
                    let len = DRAW_BATCH.min(g - i);
                    for p in &mut places[..len] {
                        *p = ((u64::from(rng.next_u32()) * g as u64) >> 32) as u32;
                    }
                    for (j, p) in places[..len].iter().enumerate() {
                        add(i + j, *p as usize);
                    }
                    i += len;
                }
            } else {
                for i in 0..g {
                    add(i, rng.random_range(0..g));
                }
            }
            let (s, c) = ((s[0] + s[1]) + (s[2] + s[3]), c.iter().sum::<u64>());
            s / (c.max(1) as f64)
        };
        let mut means: Vec<f64> = if small {
            // Draw j takes words j·g to (j + 1)·g − 1 of the stream, so a block of draws starts
            // its own generator at its first word: blocks run on any core and draw what one
            // generator drawing them in turn draws.
            let starts: Vec<usize> = (0..draws).step_by(DRAW_BLOCK).collect();
            let blocks: Vec<Vec<f64>> = starts
                .into_par_iter()
                .map(|start| {
                    let mut rng = ChaCha8Rng::seed_from_u64(seed);
                    rng.set_word_pos(start as u128 * g as u128);
                    (start..(start + DRAW_BLOCK).min(draws)).map(|_| mean_of_draw(&mut rng)).collect()
                })
                .collect();
            blocks.concat()
        } else {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            (0..draws).map(|_| mean_of_draw(&mut rng)).collect()
        };
        means.sort_by(f64::total_cmp);
        let q = |p: f64| means[((p * draws as f64).ceil() as usize).clamp(1, draws) - 1];
        (q(alpha / 2.0), q(1.0 - alpha / 2.0))
    });
    Some(Summary {
        n,
        mean,
        median: quantile::median(&sorted).unwrap_or(f64::NAN),
        sd,
        t_low: mean - half,
        t_high: mean + half,
        boot,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_of_known_values() {
        let v = [1.0, 2.0, 3.0, 4.0, 10.0];
        let s = summarise(&v, &[0, 1, 2, 3, 4], 0.05, 999, 1).expect("summary");
        assert_eq!((s.n, s.mean, s.median), (5, 4.0, 3.0));
        assert!((s.sd - 3.535_533_905_932_737_6).abs() < 1e-12);
        // t(0.975, 4) = 2.776445105197793 (R: qt(0.975, 4)).
        assert!((s.t_high - (4.0 + 2.776_445_105_197_793 * s.sd / 5f64.sqrt())).abs() < 1e-9);
        let (low, high) = s.boot.expect("bootstrap interval");
        assert!(low < s.mean && s.mean < high);
        assert!(low >= 1.0 && high <= 10.0);
        assert!(summarise(&[1.0], &[0], 0.05, 10, 1).is_none());
        // One person with all values: the bootstrap can only redraw that person.
        let one = summarise(&v, &[7; 5], 0.05, 200, 1).expect("summary");
        assert_eq!(one.boot, Some((4.0, 4.0)));
    }

    /// The four running sums give the bootstrap means of one running sum over the same draws:
    /// the interval is the percentiles of a replay with the clusters drawn one by one.
    #[test]
    fn bootstrap_matches_a_one_sum_replay() {
        let values: Vec<f64> = (0..103).map(|i| ((i * 37) % 17) as f64 - 4.5).collect();
        let clusters: Vec<usize> = (0..103).map(|i| i / 3).collect();
        let (draws, seed) = (400, 11);
        let s = summarise(&values, &clusters, 0.05, draws, seed).expect("summary");
        let g = 35; // clusters 0..=34
        let mut sums = vec![(0.0, 0.0); g];
        for (v, c) in values.iter().zip(&clusters) {
            sums[*c].0 += v;
            sums[*c].1 += 1.0;
        }
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut means: Vec<f64> = (0..draws)
            .map(|_| {
                let (mut t, mut c) = (0.0, 0.0);
                for _ in 0..g {
                    let k = ((u64::from(rng.next_u32()) * g as u64) >> 32) as usize;
                    t += sums[k].0;
                    c += sums[k].1;
                }
                t / c
            })
            .collect();
        means.sort_by(f64::total_cmp);
        let q = |p: f64| means[(p * draws as f64).ceil() as usize - 1];
        let (low, high) = (q(0.025), q(0.975));
        let (got_low, got_high) = s.boot.expect("bootstrap interval");
        assert!((got_low - low).abs() < 1e-12 && (got_high - high).abs() < 1e-12, "{s:?} vs {low}, {high}");
        assert!(got_low < got_high);
        assert_eq!(summarise(&values, &clusters, 0.05, 0, seed).expect("summary").boot, None);
    }

    /// With more clusters than one batch of draws (three batches, the last short, and g mod 4 =
    /// 3), the interval is bit for bit the one of draws summed as they are drawn, in four sums
    /// (the code before batching).
    #[test]
    fn batched_draws_sum_as_drawn() {
        let g = 2 * DRAW_BATCH + 179;
        let values: Vec<f64> = (0..g).map(|i| ((i * 7919) % 1009) as f64 / 7.0 - 50.0).collect();
        let clusters: Vec<usize> = (0..g).collect();
        let (draws, seed) = (60, 5);
        let s = summarise(&values, &clusters, 0.1, draws, seed).expect("summary");
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut means: Vec<f64> = (0..draws)
            .map(|_| {
                let mut draw = || ((u64::from(rng.next_u32()) * g as u64) >> 32) as usize;
                let (mut t, mut c) = ([0.0f64; 4], [0u64; 4]);
                for _ in 0..g / 4 {
                    for lane in 0..4 {
                        let k = draw();
                        t[lane] += values[k];
                        c[lane] += 1;
                    }
                }
                for _ in 0..g % 4 {
                    let k = draw();
                    t[0] += values[k];
                    c[0] += 1;
                }
                ((t[0] + t[1]) + (t[2] + t[3])) / c.iter().sum::<u64>() as f64
            })
            .collect();
        means.sort_by(f64::total_cmp);
        let q = |p: f64| means[(p * draws as f64).ceil() as usize - 1];
        assert_eq!(s.boot, Some((q(0.05), q(0.95))));
    }
}
