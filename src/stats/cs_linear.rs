//! ATT(g,t) of a balanced panel without covariates from per-cohort moments: the fast path of
//! `mutasi estimate`.
//!
//! Same estimand, cells, order and numbers as [`super::cs::att_gt`] (tested to 1e-10 against it
//! and against R `did`), but each cell reads only cohort means, and influence functions are
//! [`LinearIf`] coefficients measured by [`CohortMoments`]: one O(n × periods²) pass over the
//! panel, then work independent of n. Entity-level influence functions, which the multiplier
//! bootstrap needs, are not formed here.

use super::EstimateError;
use super::cs::{AttGt, Cell, CsOptions, Setup, cohort_shares, is_control, pretest, setup};
use super::influence::InfluenceSpace;
use super::moments::{CohortMoments, LinearIf, LinearSpace};
use super::panel::Panel;

/// Every ATT(g,t) with its influence function in the [`LinearSpace`] of the returned moments.
/// `AttGt::inf` is left empty; the cell-level pre-test is computed.
pub fn att_gt_linear(
    panel: &Panel,
    opts: &CsOptions,
) -> Result<(AttGt, Vec<LinearIf>, CohortMoments), EstimateError> {
    if panel.n_cov > 0 {
        return Err(EstimateError::CovariatesNeedEntityLevel);
    }
    if opts.repeated_cross_section || panel.has_gaps() {
        return Err(EstimateError::Unbalanced);
    }
    let Setup { keep, cohort, dropped_always_treated, tasks, used_groups } = setup(panel, opts)?;
    let n = keep.len();
    let moments = CohortMoments::new(panel, &keep, &cohort);
    let space = LinearSpace { moments: &moments, n };
    let times = &panel.times;
    let t_n = times.len();
    let mut cells = Vec::with_capacity(tasks.len());
    let mut inf = Vec::with_capacity(tasks.len());
    for &(g, tt, base) in &tasks {
        let time = times[tt];
        let mut cell =
            Cell { group: g, time, base: times[base], att: None, se: None, n_treated: 0, n_control: 0 };
        let mut f = space.zero();
        if base == tt {
            // The universal base period itself: ATT is 0 by construction.
            cell.att = Some(0.0);
            cells.push(cell);
            inf.push(f);
            continue;
        }
        let later = time.max(times[base]);
        let diff = |c: usize| moments.mean_at(c, tt) - moments.mean_at(c, base);
        let treated = moments.class_of(g);
        let controls: Vec<usize> = (0..moments.cohorts.len())
            .filter(|c| moments.cohorts[*c] != g && is_control(opts, g, later, moments.cohorts[*c]))
            .collect();
        let n_d = treated.map_or(0, |c| moments.count[c]);
        let n_c: usize = controls.iter().map(|c| moments.count[*c]).sum();
        cell.n_treated = n_d;
        cell.n_control = n_c;
        if let (Some(d), true, true) = (treated, n_d > 0, n_c > 0) {
            let mu_d = diff(d);
            let mu_c = controls.iter().map(|c| moments.count[*c] as f64 * diff(*c)).sum::<f64>() / n_c as f64;
            let (p_d, p_c) = (n_d as f64 / n as f64, n_c as f64 / n as f64);
            // Treated: (ΔY − μ_D)/p_D; comparison: −(ΔY − μ_C)/p_C (see `cs`).
            f.a[d * t_n + tt] += 1.0 / p_d;
            f.a[d * t_n + base] -= 1.0 / p_d;
            f.b[d] -= mu_d / p_d;
            for &c in &controls {
                f.a[c * t_n + tt] -= 1.0 / p_c;
                f.a[c * t_n + base] += 1.0 / p_c;
                f.b[c] += mu_c / p_c;
            }
            cell.att = Some(mu_d - mu_c);
            cell.se = Some(space.se(&f));
        }
        cells.push(cell);
        inf.push(f);
    }
    if cells.iter().all(|c| c.att.is_none()) {
        return Err(EstimateError::NoControls);
    }
    let wald = pretest(&space, &cells, &inf);
    let res = AttGt {
        cells,
        inf: Vec::new(),
        n,
        shares: cohort_shares(&cohort),
        entities: keep,
        entity_cohort: cohort,
        groups: used_groups,
        dropped_always_treated,
        dropped_incomplete: panel.dropped_incomplete,
        wald,
    };
    Ok((res, inf, moments))
}
