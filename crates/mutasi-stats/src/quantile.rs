//! Sample quantiles of sorted values, in R's definitions: the one place they are computed.
//!
//! Type 7 (R's default, linear interpolation) for medians and descriptive quantiles; type 1 (the
//! inverse empirical CDF) for the bootstrap critical values, as R `did` takes them.

/// R's `quantile(x, p, type = 7)` of ascending `sorted`; `None` when empty.
pub fn type7(sorted: &[f64], p: f64) -> Option<f64> {
    if sorted.is_empty() || !(0.0..=1.0).contains(&p) {
        return None;
    }
    let h = (sorted.len() - 1) as f64 * p;
    let (lo, hi) = (h.floor() as usize, h.ceil() as usize);
    Some(sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo]))
}

/// R's `quantile(x, p, type = 1)` of ascending `sorted`; NaN when empty.
pub fn type1(sorted: &[f64], p: f64) -> f64 {
    let n = sorted.len();
    if n == 0 {
        return f64::NAN;
    }
    let k = ((n as f64 * p).ceil() as usize).clamp(1, n);
    sorted[k - 1]
}

/// The median of ascending `sorted` (type 7 at ½: the mean of the two middle values).
pub fn median(sorted: &[f64]) -> Option<f64> {
    type7(sorted, 0.5)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn match_r() {
        let x = [1.0, 2.0, 4.0, 7.0, 11.0];
        // R: quantile(c(1,2,4,7,11), c(.1,.25,.9), type=7) = 1.4 2.0 9.4
        assert!((type7(&x, 0.1).unwrap() - 1.4).abs() < 1e-12);
        assert_eq!(type7(&x, 0.25), Some(2.0));
        assert!((type7(&x, 0.9).unwrap() - 9.4).abs() < 1e-12);
        // R: quantile(c(1,2,4,7,11), c(.1,.5,.95), type=1) = 1 4 11
        assert_eq!(type1(&x, 0.1), 1.0);
        assert_eq!(type1(&x, 0.5), 4.0);
        assert_eq!(type1(&x, 0.95), 11.0);
        assert_eq!(median(&[1.0, 2.0, 4.0, 7.0]), Some(3.0));
        assert_eq!(median(&[]), None);
        assert!(type1(&[], 0.5).is_nan());
    }
}
