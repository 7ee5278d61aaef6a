//! Two-period DiD estimators with covariates for repeated cross-sections, for one ATT(g,t) cell of
//! a panel with missing periods (Sant'Anna & Zhao 2020 §3.2): the locally efficient doubly robust
//! estimator (R DRDID's `drdid_rc`), outcome regression (`reg_did_rc`) and standardised inverse
//! probability weighting (`std_ipw_did_rc`) — what R `did` calls per cell with
//! `allow_unbalanced_panel = TRUE` and `est_method` dr, reg or ipw.
//!
//! Each observation is one entity in one of the cell's two periods, with `post` (the later period)
//! and `d` (treated). The propensity score is a logit of d on the covariates over all
//! observations; outcome models are OLS within treated/comparison × pre/post. Each estimator
//! returns the ATT and its influence function over the n1 observations, with the estimation
//! effects of the nuisance models included; checked against moderndid 0.2.0 (`stats::validation`).

use super::EstimateError;
use super::drdid::{Design, Method, TRIM_LEVEL, invert, logit};

/// The ATT of one cell and its influence function over the n1 observations.
pub fn rcs_att(
    y: &[f64],
    post: &[bool],
    d: &[bool],
    x: &Design<'_>,
    method: Method,
) -> Result<(f64, Vec<f64>), EstimateError> {
    let n = y.len();
    let c = Ctx { x, n: n as f64, p: x.p };
    let dd: Vec<f64> = d.iter().map(|v| f64::from(u8::from(*v))).collect();
    let pp: Vec<f64> = post.iter().map(|v| f64::from(u8::from(*v))).collect();
    // Outcome regressions: comparison (and, for dr, treated) × pre / post.
    let fit = |treated: bool, later: bool| c.ols(y, &|i| d[i] == treated && post[i] == later);
    match method {
        Method::Regression => {
            let (pre, post_fit) = (fit(false, false)?, fit(false, true)?);
            let w_tpre: Vec<f64> = (0..n).map(|i| dd[i] * (1.0 - pp[i])).collect();
            let w_tpost: Vec<f64> = (0..n).map(|i| dd[i] * pp[i]).collect();
            let w_c = &dd;
            let cont: Vec<f64> = (0..n).map(|i| w_c[i] * (post_fit.fitted[i] - pre.fitted[i])).collect();
            let (m_tpre, m_tpost, m_c) = (c.mean(&w_tpre), c.mean(&w_tpost), c.mean(w_c));
            let eta_tpre = (0..n).map(|i| w_tpre[i] * y[i]).sum::<f64>() / c.n / m_tpre;
            let eta_tpost = (0..n).map(|i| w_tpost[i] * y[i]).sum::<f64>() / c.n / m_tpost;
            let eta_c = c.mean(&cont) / m_c;
            let rep_pre = c.ols_rep(y, &pre.fitted, &|i| (1.0 - dd[i]) * (1.0 - pp[i]))?;
            let rep_post = c.ols_rep(y, &post_fit.fitted, &|i| (1.0 - dd[i]) * pp[i])?;
            let m1 = c.col_mean(&|i| w_c[i]);
            let inf = (0..n)
                .map(|i| {
                    let treat = (w_tpost[i] * y[i] - w_tpost[i] * eta_tpost) / m_tpost
                        - (w_tpre[i] * y[i] - w_tpre[i] * eta_tpre) / m_tpre;
                    let control =
                        (cont[i] - w_c[i] * eta_c + dot(&rep_post[i], &m1) - dot(&rep_pre[i], &m1)) / m_c;
                    treat - control
                })
                .collect();
            Ok(((eta_tpost - eta_tpre) - eta_c, inf))
        }
        Method::Ipw => {
            let ps = c.pscore(d)?;
            let trim: Vec<f64> = (0..n).map(|i| f64::from(u8::from(d[i] || ps[i] < TRIM_LEVEL))).collect();
            let odds: Vec<f64> = (0..n).map(|i| trim[i] * ps[i] * (1.0 - dd[i]) / (1.0 - ps[i])).collect();
            let w = [
                (0..n).map(|i| trim[i] * dd[i] * (1.0 - pp[i])).collect::<Vec<f64>>(),
                (0..n).map(|i| trim[i] * dd[i] * pp[i]).collect(),
                (0..n).map(|i| odds[i] * (1.0 - pp[i])).collect(),
                (0..n).map(|i| odds[i] * pp[i]).collect(),
            ];
            let m: Vec<f64> = w.iter().map(|v| c.mean(v)).collect();
            let att: Vec<f64> =
                (0..4).map(|k| (0..n).map(|i| w[k][i] * y[i]).sum::<f64>() / c.n / m[k]).collect();
            let rep_ps = c.ps_rep(d, &ps)?;
            let m2_pre: Vec<f64> =
                c.col_mean(&|i| w[2][i] * (y[i] - att[2])).iter().map(|v| v / m[2]).collect();
            let m2_post: Vec<f64> =
                c.col_mean(&|i| w[3][i] * (y[i] - att[3])).iter().map(|v| v / m[3]).collect();
            let m2: Vec<f64> = m2_post.iter().zip(&m2_pre).map(|(a, b)| a - b).collect();
            let part = |k: usize, i: usize| (w[k][i] * y[i] - w[k][i] * att[k]) / m[k];
            let inf = (0..n)
                .map(|i| {
                    let treat = part(1, i) - part(0, i);
                    let control = part(3, i) - part(2, i) + dot(&rep_ps[i], &m2);
                    treat - control
                })
                .collect();
            Ok(((att[1] - att[0]) - (att[3] - att[2]), inf))
        }
        Method::DoublyRobust => c.dr(y, &dd, &pp, d, &fit),
    }
}

/// A fitted OLS model: fitted values for every observation.
struct Ols {
    fitted: Vec<f64>,
}

/// The design and sample size shared by the pieces of one cell.
struct Ctx<'a> {
    x: &'a Design<'a>,
    n: f64,
    p: usize,
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

impl Ctx<'_> {
    fn len(&self) -> usize {
        self.n as usize
    }

    fn mean(&self, v: &[f64]) -> f64 {
        v.iter().sum::<f64>() / self.n
    }

    /// mean_i(w_i x_i), a p-vector.
    fn col_mean(&self, w: &dyn Fn(usize) -> f64) -> Vec<f64> {
        let mut out = vec![0.0; self.p];
        for i in 0..self.len() {
            let wi = w(i);
            for (o, v) in out.iter_mut().zip(self.x.row(i)) {
                *o += wi * v;
            }
        }
        out.iter().map(|v| v / self.n).collect()
    }

    /// OLS of y on x over the observations in `subset`; fitted values for all.
    fn ols(&self, y: &[f64], subset: &dyn Fn(usize) -> bool) -> Result<Ols, EstimateError> {
        let p = self.p;
        let (mut xtx, mut xty) = (vec![vec![0.0; p]; p], vec![0.0; p]);
        let mut count = 0;
        for i in (0..self.len()).filter(|i| subset(*i)) {
            count += 1;
            let r = self.x.row(i);
            for a in 0..p {
                xty[a] += r[a] * y[i];
                for b in 0..p {
                    xtx[a][b] += r[a] * r[b];
                }
            }
        }
        if count < p {
            return Err(EstimateError::SingularDesign);
        }
        let coef = super::cs::solve(xtx, xty).ok_or(EstimateError::SingularDesign)?;
        Ok(Ols { fitted: (0..self.len()).map(|i| dot(self.x.row(i), &coef)).collect() })
    }

    /// Asymptotic linear representation of an OLS fit with observation weights `w` (1 inside the
    /// subset, 0 outside): w_i (y_i − ŷ_i) x_i' (Σ w x x' / n)⁻¹.
    fn ols_rep(
        &self,
        y: &[f64],
        fitted: &[f64],
        w: &dyn Fn(usize) -> f64,
    ) -> Result<Vec<Vec<f64>>, EstimateError> {
        let p = self.p;
        let mut gram = vec![vec![0.0; p]; p];
        for i in 0..self.len() {
            let (wi, r) = (w(i), self.x.row(i));
            for a in 0..p {
                for b in 0..p {
                    gram[a][b] += wi * r[a] * r[b] / self.n;
                }
            }
        }
        let inv = invert(&gram).ok_or(EstimateError::SingularDesign)?;
        Ok((0..self.len())
            .map(|i| {
                let e = w(i) * (y[i] - fitted[i]);
                let r = self.x.row(i);
                (0..p).map(|b| (0..p).map(|a| e * r[a] * inv[a][b]).sum()).collect()
            })
            .collect())
    }

    /// Propensity score of `d` given the covariates, clipped to [1e-6, 1 − 1e-6].
    fn pscore(&self, d: &[bool]) -> Result<Vec<f64>, EstimateError> {
        Ok(logit(self.x, d)?.into_iter().map(|v| v.clamp(1e-6, 1.0 - 1e-6)).collect())
    }

    /// Asymptotic linear representation of the logit: (d_i − p_i) x_i' (Σ p(1−p) x x')⁻¹ n.
    fn ps_rep(&self, d: &[bool], ps: &[f64]) -> Result<Vec<Vec<f64>>, EstimateError> {
        let p = self.p;
        let mut xwx = vec![vec![0.0; p]; p];
        for (i, psi) in ps.iter().enumerate() {
            let (w, r) = (psi * (1.0 - psi), self.x.row(i));
            for a in 0..p {
                for b in 0..p {
                    xwx[a][b] += w * r[a] * r[b];
                }
            }
        }
        let hess = invert(&xwx).ok_or(EstimateError::SingularDesign)?;
        Ok((0..self.len())
            .map(|i| {
                let s = f64::from(u8::from(d[i])) - ps[i];
                let r = self.x.row(i);
                (0..p).map(|b| (0..p).map(|a| s * r[a] * hess[a][b] * self.n).sum()).collect()
            })
            .collect())
    }

    /// The locally efficient doubly robust estimator (Sant'Anna & Zhao 2020, eq. 3.4).
    fn dr(
        &self,
        y: &[f64],
        dd: &[f64],
        pp: &[f64],
        d: &[bool],
        fit: &dyn Fn(bool, bool) -> Result<Ols, EstimateError>,
    ) -> Result<(f64, Vec<f64>), EstimateError> {
        let n = self.len();
        let ps = self.pscore(d)?;
        let trim: Vec<f64> = (0..n).map(|i| f64::from(u8::from(d[i] || ps[i] < TRIM_LEVEL))).collect();
        let (c_pre, c_post, t_pre, t_post) =
            (fit(false, false)?, fit(false, true)?, fit(true, false)?, fit(true, true)?);
        let out_c: Vec<f64> =
            (0..n).map(|i| pp[i] * c_post.fitted[i] + (1.0 - pp[i]) * c_pre.fitted[i]).collect();
        let odds: Vec<f64> = (0..n).map(|i| trim[i] * ps[i] * (1.0 - dd[i]) / (1.0 - ps[i])).collect();
        // Weights: treated pre/post, comparison pre/post, treated, treated post, treated pre.
        let w_tpre: Vec<f64> = (0..n).map(|i| trim[i] * dd[i] * (1.0 - pp[i])).collect();
        let w_tpost: Vec<f64> = (0..n).map(|i| trim[i] * dd[i] * pp[i]).collect();
        let w_cpre: Vec<f64> = (0..n).map(|i| odds[i] * (1.0 - pp[i])).collect();
        let w_cpost: Vec<f64> = (0..n).map(|i| odds[i] * pp[i]).collect();
        let w_d: Vec<f64> = (0..n).map(|i| trim[i] * dd[i]).collect();
        let (w_dt1, w_dt0) = (&w_tpost, &w_tpre);
        let resid: Vec<f64> = (0..n).map(|i| y[i] - out_c[i]).collect();
        let gap_post: Vec<f64> = (0..n).map(|i| t_post.fitted[i] - c_post.fitted[i]).collect();
        let gap_pre: Vec<f64> = (0..n).map(|i| t_pre.fitted[i] - c_pre.fitted[i]).collect();
        // η terms (per observation) and their means (the att pieces).
        let eta = |w: &[f64], v: &[f64]| -> (Vec<f64>, f64) {
            let mw = self.mean(w);
            let e: Vec<f64> = (0..n).map(|i| w[i] * v[i] / mw).collect();
            let a = self.mean(&e);
            (e, a)
        };
        let (e_tpre, a_tpre) = eta(&w_tpre, &resid);
        let (e_tpost, a_tpost) = eta(&w_tpost, &resid);
        let (e_cpre, a_cpre) = eta(&w_cpre, &resid);
        let (e_cpost, a_cpost) = eta(&w_cpost, &resid);
        let (e_dpost, a_dpost) = eta(&w_d, &gap_post);
        let (e_dt1, a_dt1) = eta(w_dt1, &gap_post);
        let (e_dpre, a_dpre) = eta(&w_d, &gap_pre);
        let (e_dt0, a_dt0) = eta(w_dt0, &gap_pre);
        let att = (a_tpost - a_tpre) - (a_cpost - a_cpre) + (a_dpost - a_dt1) - (a_dpre - a_dt0);
        // Estimation effects of the four outcome regressions and the propensity score.
        let rep = |f: &Ols, treated: f64, later: f64| {
            self.ols_rep(y, &f.fitted, &|i| {
                (if treated > 0.5 { dd[i] } else { 1.0 - dd[i] })
                    * (if later > 0.5 { pp[i] } else { 1.0 - pp[i] })
            })
        };
        let (r_cpre, r_cpost, r_tpre, r_tpost) = (
            rep(&c_pre, 0.0, 0.0)?,
            rep(&c_post, 0.0, 1.0)?,
            rep(&t_pre, 1.0, 0.0)?,
            rep(&t_post, 1.0, 1.0)?,
        );
        let r_ps = self.ps_rep(d, &ps)?;
        let (m_tpre, m_tpost, m_cpre, m_cpost, m_d, m_dt1, m_dt0) = (
            self.mean(&w_tpre),
            self.mean(&w_tpost),
            self.mean(&w_cpre),
            self.mean(&w_cpost),
            self.mean(&w_d),
            self.mean(w_dt1),
            self.mean(w_dt0),
        );
        let scaled = |v: Vec<f64>, s: f64| -> Vec<f64> { v.into_iter().map(|x| x / s).collect() };
        let treat_mom_post = scaled(self.col_mean(&|i| -w_tpost[i] * pp[i]), m_tpost);
        let treat_mom_pre = scaled(self.col_mean(&|i| -w_tpre[i] * (1.0 - pp[i])), m_tpre);
        let cont_mom_pre = scaled(self.col_mean(&|i| w_cpre[i] * (resid[i] - a_cpre)), m_cpre);
        let cont_mom_post = scaled(self.col_mean(&|i| w_cpost[i] * (resid[i] - a_cpost)), m_cpost);
        let cont_ps_mom: Vec<f64> = cont_mom_post.iter().zip(&cont_mom_pre).map(|(a, b)| a - b).collect();
        let cont_reg_post = scaled(self.col_mean(&|i| -w_cpost[i] * pp[i]), m_cpost);
        let cont_reg_pre = scaled(self.col_mean(&|i| -w_cpre[i] * (1.0 - pp[i])), m_cpre);
        let mom_post = self.col_mean(&|i| w_d[i] / m_d - w_dt1[i] / m_dt1);
        let mom_pre = self.col_mean(&|i| w_d[i] / m_d - w_dt0[i] / m_dt0);
        let inf = (0..n)
            .map(|i| {
                let inf_treat = (e_tpost[i] - w_tpost[i] * a_tpost / m_tpost)
                    - (e_tpre[i] - w_tpre[i] * a_tpre / m_tpre)
                    + dot(&r_cpost[i], &treat_mom_post)
                    + dot(&r_cpre[i], &treat_mom_pre);
                let inf_cont = (e_cpost[i] - w_cpost[i] * a_cpost / m_cpost)
                    - (e_cpre[i] - w_cpre[i] * a_cpre / m_cpre)
                    + dot(&r_ps[i], &cont_ps_mom)
                    + dot(&r_cpost[i], &cont_reg_post)
                    + dot(&r_cpre[i], &cont_reg_pre);
                let inf_eff = ((e_dpost[i] - w_d[i] * a_dpost / m_d) - (e_dt1[i] - w_dt1[i] * a_dt1 / m_dt1))
                    - ((e_dpre[i] - w_d[i] * a_dpre / m_d) - (e_dt0[i] - w_dt0[i] * a_dt0 / m_dt0));
                let diff = |a: &[f64], b: &[f64], m: &[f64]| dot(a, m) - dot(b, m);
                let inf_or =
                    diff(&r_tpost[i], &r_cpost[i], &mom_post) - diff(&r_tpre[i], &r_cpre[i], &mom_pre);
                inf_treat - inf_cont + inf_eff + inf_or
            })
            .collect();
        Ok((att, inf))
    }
}
