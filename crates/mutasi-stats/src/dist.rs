//! Distribution functions the estimators need (normal, Student t, chi-square), from `statrs`.
//!
//! Thin wrappers so the statistics core calls plain functions of `f64`; the test holds R's values
//! (`qnorm`, `pnorm`, `pchisq`, `qt`) to the tolerances the outputs need.

use statrs::distribution::{ChiSquared, ContinuousCDF, Normal, StudentsT};

fn standard_normal() -> Normal {
    Normal::standard()
}

/// Standard normal quantile; NaN outside (0, 1).
pub fn normal_quantile(p: f64) -> f64 {
    if !(0.0 < p && p < 1.0) {
        return f64::NAN;
    }
    standard_normal().inverse_cdf(p)
}

/// Standard normal CDF.
pub fn normal_cdf(x: f64) -> f64 {
    standard_normal().cdf(x)
}

/// Student t quantile with `df` degrees of freedom; NaN outside (0, 1) or for df ≤ 0.
pub fn student_t_quantile(p: f64, df: f64) -> f64 {
    if !(0.0 < p && p < 1.0) {
        return f64::NAN;
    }
    match StudentsT::new(0.0, 1.0, df) {
        Ok(t) => t.inverse_cdf(p),
        Err(_) => f64::NAN,
    }
}

/// P(X > x) for X ~ chi-square with `df` degrees of freedom.
pub fn chi2_sf(x: f64, df: usize) -> f64 {
    match ChiSquared::new(df as f64) {
        Ok(c) => c.sf(x),
        Err(_) => f64::NAN,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_quantiles_and_tails() {
        // R: qnorm(0.975) = 1.959963984540054
        assert!((normal_quantile(0.975) - 1.959_963_984_540_054).abs() < 1e-14);
        assert!((normal_quantile(0.5)).abs() < 1e-15);
        assert!((normal_quantile(0.001) + 3.090_232_306_167_813_5).abs() < 1e-10);
        // R: pnorm(1.5) = 0.9331927987311419 (statrs' erfc is good to about 3e-12 here, ample for
        // p-values; the hand-written series it replaced was 1e-15)
        assert!((normal_cdf(1.5) - 0.933_192_798_731_141_9).abs() < 1e-11);
        // R: 1 - pchisq(3.84, 1) = 0.05004352124870519; 1 - pchisq(10, 4) = 0.04042768199451279
        assert!((chi2_sf(3.84, 1) - 0.050_043_521_248_705_19).abs() < 1e-12);
        assert!((chi2_sf(10.0, 4) - 0.040_427_681_994_512_79).abs() < 1e-12);
        assert!((chi2_sf(1.0, 7) - 0.994_828_536_516_515_5).abs() < 1e-12);
        assert!(normal_quantile(1.5).is_nan());
        // R: qt(0.975, 4) = 2.776445105197793, qt(0.975, 30) = 2.042272456301238, qt(0.95, 1) = 6.313751514675041
        assert!((student_t_quantile(0.975, 4.0) - 2.776_445_105_197_793).abs() < 1e-9);
        assert!((student_t_quantile(0.975, 30.0) - 2.042_272_456_301_238).abs() < 1e-9);
        assert!((student_t_quantile(0.95, 1.0) - 6.313_751_514_675_041).abs() < 1e-7);
        assert!(student_t_quantile(0.5, 0.0).is_nan());
    }
}
