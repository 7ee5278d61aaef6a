//! Multiplier bootstrap for standard errors and simultaneous (uniform) confidence bands.
//!
//! As R `did::mboot` (CS 2021 Algorithm 1): each draw b multiplies the influence functions by
//! i.i.d. weights V with mean 0 and variance 1 — per entity, or per cluster applied to the
//! cluster sums of the entity influence functions (CS 2021 Remark 10) — giving
//! d_b = (1/n) Σ_c V_bc S_c. The standard error of each estimate is the interquartile range of
//! d_b divided by that of the standard normal; the band's critical value is the 1 − α quantile of
//! max_k |d_bk| / se_k over the band's estimates. Draws come from a seeded ChaCha8 stream, so a run
//! is reproducible.

use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};

use super::dist::normal_quantile;
use super::quantile;

/// Distribution of the multipliers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weights {
    /// ±1 with probability 1/2.
    Rademacher,
    /// Mammen's two-point distribution (mean 0, variance 1, third moment 1).
    Mammen,
}

impl Weights {
    pub fn as_str(self) -> &'static str {
        match self {
            Weights::Rademacher => "rademacher",
            Weights::Mammen => "mammen",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BootstrapOptions {
    pub draws: usize,
    pub seed: u64,
    pub weights: Weights,
    pub alpha: f64,
}

/// Bootstrap results for one aggregation: the overall value and its elements.
#[derive(Debug, Clone, PartialEq)]
pub struct Bands {
    pub overall_se: f64,
    pub element_se: Vec<f64>,
    /// Critical value of the simultaneous band over the elements.
    pub crit: f64,
}

/// Runs the bootstrap over influence-function columns (each of length n). `clusters` gives each
/// entity's cluster (0..count); `band` lists the columns the simultaneous band covers.
/// Returns the bootstrap SE of every column and the band's critical value.
pub fn multiplier(
    columns: &[&[f64]],
    clusters: Option<(&[usize], usize)>,
    band: &[usize],
    opts: &BootstrapOptions,
) -> (Vec<f64>, f64) {
    let k = columns.len();
    let n = columns.first().map_or(0, |c| c.len());
    if k == 0 || n == 0 || opts.draws == 0 {
        return (vec![f64::NAN; k], f64::NAN);
    }
    // Cluster sums S (clusters × columns); without clusters every entity is its own cluster.
    let (g, sums): (usize, Vec<f64>) = match clusters {
        Some((of, count)) => {
            let mut s = vec![0.0; count * k];
            for (i, c) in of.iter().enumerate() {
                for (j, col) in columns.iter().enumerate() {
                    s[c * k + j] += col[i];
                }
            }
            (count, s)
        }
        None => {
            let mut s = vec![0.0; n * k];
            for (j, col) in columns.iter().enumerate() {
                for (i, v) in col.iter().enumerate() {
                    s[i * k + j] = *v;
                }
            }
            (n, s)
        }
    };
    let mut rng = ChaCha8Rng::seed_from_u64(opts.seed);
    let sqrt5 = 5f64.sqrt();
    let (m_lo, m_hi, p_lo) = ((1.0 - sqrt5) / 2.0, (1.0 + sqrt5) / 2.0, (sqrt5 + 1.0) / (2.0 * sqrt5));
    let mut draws = vec![0.0; opts.draws * k];
    let mut v = vec![0.0; g];
    for b in 0..opts.draws {
        for x in v.iter_mut() {
            *x = match opts.weights {
                Weights::Rademacher => {
                    if rng.random::<bool>() {
                        1.0
                    } else {
                        -1.0
                    }
                }
                Weights::Mammen => {
                    if rng.random::<f64>() < p_lo {
                        m_lo
                    } else {
                        m_hi
                    }
                }
            };
        }
        let row = &mut draws[b * k..(b + 1) * k];
        for (c, vc) in v.iter().enumerate() {
            for (acc, s) in row.iter_mut().zip(&sums[c * k..(c + 1) * k]) {
                *acc += vc * s;
            }
        }
        row.iter_mut().for_each(|x| *x /= n as f64);
    }
    let iqr_normal = normal_quantile(0.75) - normal_quantile(0.25);
    let se: Vec<f64> = (0..k)
        .map(|j| {
            let mut col: Vec<f64> = (0..opts.draws).map(|b| draws[b * k + j]).collect();
            col.sort_by(f64::total_cmp);
            (quantile::type1(&col, 0.75) - quantile::type1(&col, 0.25)) / iqr_normal
        })
        .collect();
    let usable: Vec<usize> = band.iter().copied().filter(|j| se[*j] > f64::EPSILON.sqrt() * 10.0).collect();
    let crit = if usable.is_empty() {
        f64::NAN
    } else {
        let mut t: Vec<f64> = (0..opts.draws)
            .map(|b| usable.iter().map(|j| (draws[b * k + j] / se[*j]).abs()).fold(0.0, f64::max))
            .collect();
        t.sort_by(f64::total_cmp);
        // A band narrower than the pointwise interval is not credible; fall back as R does.
        quantile::type1(&t, 1.0 - opts.alpha).max(normal_quantile(1.0 - opts.alpha / 2.0))
    };
    (se, crit)
}
