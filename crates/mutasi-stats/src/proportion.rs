//! Proportions: the Wilson score interval and the chi-square test that several groups share one
//! rate (Pearson, k − 1 degrees of freedom). Used for approval rates by group.

use super::dist::{chi2_sf, normal_quantile};

/// Wilson score interval for `successes` out of `n` at level 1 − `alpha`; `None` when n = 0.
pub fn wilson(successes: u64, n: u64, alpha: f64) -> Option<(f64, f64)> {
    if n == 0 {
        return None;
    }
    let (z, nf) = (normal_quantile(1.0 - alpha / 2.0), n as f64);
    let p = successes as f64 / nf;
    let denom = 1.0 + z * z / nf;
    let centre = (p + z * z / (2.0 * nf)) / denom;
    let half = z * (p * (1.0 - p) / nf + z * z / (4.0 * nf * nf)).sqrt() / denom;
    Some(((centre - half).max(0.0), (centre + half).min(1.0)))
}

/// Pearson chi-square test of equal rates across groups given as (successes, n). Groups with
/// n = 0 are ignored; `None` with fewer than two groups or when every outcome is the same.
pub fn equal_rates_test(groups: &[(u64, u64)]) -> Option<(f64, usize, f64)> {
    let used: Vec<(f64, f64)> =
        groups.iter().filter(|(_, n)| *n > 0).map(|(s, n)| (*s as f64, *n as f64)).collect();
    if used.len() < 2 {
        return None;
    }
    let (s_tot, n_tot): (f64, f64) = used.iter().fold((0.0, 0.0), |(a, b), (s, n)| (a + s, b + n));
    let p = s_tot / n_tot;
    if p <= 0.0 || p >= 1.0 {
        return None;
    }
    let stat: f64 = used
        .iter()
        .map(|(s, n)| {
            let (e1, e0) = (n * p, n * (1.0 - p));
            (s - e1).powi(2) / e1 + ((n - s) - e0).powi(2) / e0
        })
        .sum();
    let df = used.len() - 1;
    Some((stat, df, chi2_sf(stat, df)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reference values: Wilson 95% for 8/10 is [0.4902, 0.9433] (Agresti & Coull 1998);
    /// the 2×2 table 30/50 vs 20/50 gives χ² = 4.0, p = 0.0455.
    #[test]
    fn known_values() {
        let (lo, hi) = wilson(8, 10, 0.05).expect("ci");
        assert!((lo - 0.4902).abs() < 1e-4 && (hi - 0.9433).abs() < 1e-4, "{lo} {hi}");
        assert_eq!(wilson(0, 0, 0.05), None);
        let (lo, hi) = wilson(0, 20, 0.05).expect("ci");
        assert!(lo < 1e-12 && (hi - 0.1611).abs() < 1e-4, "{lo} {hi}");
        let (stat, df, p) = equal_rates_test(&[(30, 50), (20, 50)]).expect("test");
        assert!((stat - 4.0).abs() < 1e-12 && df == 1 && (p - 0.0455).abs() < 1e-4, "{stat} {p}");
        assert_eq!(equal_rates_test(&[(5, 10)]), None);
        assert_eq!(equal_rates_test(&[(10, 10), (4, 4)]), None);
    }
}
