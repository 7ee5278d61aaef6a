//! Two-period panel DiD estimators with covariates, for one ATT(g,t) cell (Sant'Anna & Zhao
//! 2020): doubly robust (`drdid_panel`), outcome regression (`reg_did_panel`) and standardized
//! inverse probability weighting (`std_ipw_did_panel`), as implemented in R DRDID 1.2.3, which
//! R `did` calls for each cell. The propensity score is a logit fitted by Newton's method; the
//! outcome model is OLS of ΔY on the covariates among comparison entities. Each returns the ATT
//! and its influence function over the n1 entities of the cell (treated and comparison), with
//! the estimation effects of both nuisance models included.

use super::EstimateError;
use super::cs::solve;

/// Which estimator a cell uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    DoublyRobust,
    Regression,
    Ipw,
}

/// Controls with a propensity score at or above this are trimmed (DRDID's `trim.level`).
pub(crate) const TRIM_LEVEL: f64 = 0.995;

/// Row-major n × p design matrix (first column the intercept).
pub struct Design<'a> {
    pub x: &'a [f64],
    pub p: usize,
}

impl Design<'_> {
    pub(crate) fn row(&self, i: usize) -> &[f64] {
        &self.x[i * self.p..(i + 1) * self.p]
    }
}

pub(crate) fn invert(m: &[Vec<f64>]) -> Option<Vec<Vec<f64>>> {
    let p = m.len();
    let mut inv = vec![vec![0.0; p]; p];
    for j in 0..p {
        let mut e = vec![0.0; p];
        e[j] = 1.0;
        let col = solve(m.to_vec(), e)?;
        for i in 0..p {
            inv[i][j] = col[i];
        }
    }
    Some(inv)
}

/// Logit by Newton–Raphson (IRLS) to full convergence; returns fitted probabilities.
pub(crate) fn logit(x: &Design<'_>, d: &[bool]) -> Result<Vec<f64>, EstimateError> {
    let (n, p) = (d.len(), x.p);
    let mut beta = vec![0.0; p];
    let mut mu = vec![0.5; n];
    for _ in 0..100 {
        let mut h = vec![vec![0.0; p]; p];
        let mut g = vec![0.0; p];
        for i in 0..n {
            let r = x.row(i);
            let w = mu[i] * (1.0 - mu[i]);
            let resid = f64::from(u8::from(d[i])) - mu[i];
            for a in 0..p {
                g[a] += r[a] * resid;
                for b in 0..p {
                    h[a][b] += w * r[a] * r[b];
                }
            }
        }
        let step = solve(h, g).ok_or(EstimateError::SingularDesign)?;
        let size = step.iter().map(|s| s.abs()).fold(0.0, f64::max);
        for (b, s) in beta.iter_mut().zip(&step) {
            *b += s;
        }
        for (i, m) in mu.iter_mut().enumerate() {
            let eta: f64 = x.row(i).iter().zip(&beta).map(|(a, b)| a * b).sum();
            *m = 1.0 / (1.0 + (-eta).exp());
        }
        if size < 1e-12 {
            return Ok(mu);
        }
    }
    Err(EstimateError::NoConvergence)
}

/// The ATT of one cell and its influence function over the cell's n1 entities.
pub fn panel_att(
    dy: &[f64],
    d: &[bool],
    x: &Design<'_>,
    method: Method,
) -> Result<(f64, Vec<f64>), EstimateError> {
    let (n, p) = (d.len(), x.p);
    let nf = n as f64;
    let dd: Vec<f64> = d.iter().map(|v| f64::from(u8::from(*v))).collect();
    // Outcome regression on the comparison entities (not needed for IPW).
    let (out, ols_rep) = if method == Method::Ipw {
        (vec![0.0; n], None)
    } else {
        let mut xtx = vec![vec![0.0; p]; p];
        let mut xty = vec![0.0; p];
        for i in (0..n).filter(|i| !d[*i]) {
            let r = x.row(i);
            for a in 0..p {
                xty[a] += r[a] * dy[i];
                for b in 0..p {
                    xtx[a][b] += r[a] * r[b];
                }
            }
        }
        let coef = solve(xtx.clone(), xty).ok_or(EstimateError::SingularDesign)?;
        let out: Vec<f64> = (0..n).map(|i| x.row(i).iter().zip(&coef).map(|(a, b)| a * b).sum()).collect();
        // Asymptotic linear representation of the OLS coefficients: (1−D) e X (X'X/n)⁻¹.
        let xtx_n: Vec<Vec<f64>> = xtx.iter().map(|r| r.iter().map(|v| v / nf).collect()).collect();
        let inv = invert(&xtx_n).ok_or(EstimateError::SingularDesign)?;
        let rep: Vec<Vec<f64>> = (0..n)
            .map(|i| {
                let e = (1.0 - dd[i]) * (dy[i] - out[i]);
                (0..p).map(|b| (0..p).map(|a| e * x.row(i)[a] * inv[a][b]).sum()).collect()
            })
            .collect();
        (out, Some(rep))
    };
    let mean = |v: &[f64]| v.iter().sum::<f64>() / nf;
    let col_means = |w: &dyn Fn(usize) -> f64| -> Vec<f64> {
        (0..p).map(|a| (0..n).map(|i| w(i) * x.row(i)[a]).sum::<f64>() / nf).collect()
    };
    let dot = |rep: &[f64], m: &[f64]| rep.iter().zip(m).map(|(a, b)| a * b).sum::<f64>();

    if method == Method::Regression {
        let rep = ols_rep.as_ref().ok_or(EstimateError::SingularDesign)?;
        let att_treat: Vec<f64> = (0..n).map(|i| dd[i] * dy[i]).collect();
        let att_cont: Vec<f64> = (0..n).map(|i| dd[i] * out[i]).collect();
        let mw = mean(&dd);
        let (eta_t, eta_c) = (mean(&att_treat) / mw, mean(&att_cont) / mw);
        let m1 = col_means(&|i| dd[i]);
        let inf = (0..n)
            .map(|i| {
                let treat = (att_treat[i] - dd[i] * eta_t) / mw;
                let cont = (att_cont[i] - dd[i] * eta_c + dot(&rep[i], &m1)) / mw;
                treat - cont
            })
            .collect();
        return Ok((eta_t - eta_c, inf));
    }

    // Propensity score, trimmed as DRDID does.
    let ps: Vec<f64> = logit(x, d)?.into_iter().map(|v| v.min(1.0 - 1e-6)).collect();
    let trim: Vec<f64> = (0..n).map(|i| f64::from(u8::from(d[i] || ps[i] < TRIM_LEVEL))).collect();
    let w_t: Vec<f64> = (0..n).map(|i| trim[i] * dd[i]).collect();
    let w_c: Vec<f64> = (0..n).map(|i| trim[i] * ps[i] * (1.0 - dd[i]) / (1.0 - ps[i])).collect();
    let resid: Vec<f64> = (0..n).map(|i| dy[i] - out[i]).collect();
    let att_t: Vec<f64> = (0..n).map(|i| w_t[i] * resid[i]).collect();
    let att_c: Vec<f64> = (0..n).map(|i| w_c[i] * resid[i]).collect();
    let (mwt, mwc) = (mean(&w_t), mean(&w_c));
    let (eta_t, eta_c) = (mean(&att_t) / mwt, mean(&att_c) / mwc);
    // Asymptotic linear representation of the logit coefficients: score × (X'WX/n)⁻¹.
    let mut xwx = vec![vec![0.0; p]; p];
    for (i, psi) in ps.iter().enumerate() {
        let w = psi * (1.0 - psi);
        let r = x.row(i);
        for a in 0..p {
            for b in 0..p {
                xwx[a][b] += w * r[a] * r[b];
            }
        }
    }
    let hess = invert(&xwx).ok_or(EstimateError::SingularDesign)?;
    let ps_rep: Vec<Vec<f64>> = (0..n)
        .map(|i| {
            let s = dd[i] - ps[i];
            (0..p).map(|b| (0..p).map(|a| s * x.row(i)[a] * hess[a][b] * nf).sum()).collect()
        })
        .collect();
    let m2 = col_means(&|i| w_c[i] * (resid[i] - eta_c));
    let (m1, m3) = (col_means(&|i| w_t[i]), col_means(&|i| w_c[i]));
    let inf = (0..n)
        .map(|i| {
            let ols = |m: &[f64]| ols_rep.as_ref().map_or(0.0, |rep| dot(&rep[i], m));
            let treat = (att_t[i] - w_t[i] * eta_t - ols(&m1)) / mwt;
            let cont = (att_c[i] - w_c[i] * eta_c + dot(&ps_rep[i], &m2) - ols(&m3)) / mwc;
            treat - cont
        })
        .collect();
    Ok((eta_t - eta_c, inf))
}
