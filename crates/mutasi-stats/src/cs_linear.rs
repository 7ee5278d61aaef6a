//! ATT(g,t) of a panel without covariates from per-cohort moments: the fast path of `mutasi
//! estimate` and `mutasi run`.
//!
//! Same estimand, cells, order and numbers as [`super::cs::att_gt`] (tested to 1e-10 against it
//! and against R `did`), balanced or with missing periods (the repeated-cross-section form, which
//! on a balanced panel is the panel form), but each cell reads only cohort means and counts, and
//! influence functions are [`LinearIf`] coefficients measured by [`CohortMoments`]: one
//! O(n × periods²) pass over the panel, then work independent of n. Entity-level influence
//! functions, which the multiplier bootstrap needs, are not formed here.

use super::EstimateError;
use super::cs::{AttGt, Cell, CsOptions, Setup, is_control, pretest, setup};
use super::influence::InfluenceSpace;
use super::moments::{CohortMoments, LinearIf, LinearSpace, NeverTreated};
use super::panel::Panel;

/// Every ATT(g,t) with its influence function in the [`LinearSpace`] of the returned moments.
/// `AttGt::inf` is left empty; the cell-level pre-test is computed.
pub fn att_gt_linear(
    panel: &Panel,
    opts: &CsOptions,
) -> Result<(AttGt, Vec<LinearIf>, CohortMoments), EstimateError> {
    att_gt_linear_sharing(panel, opts, None).map(|(res, inf, moments, _)| (res, inf, moments))
}

/// [`att_gt_linear`], reusing the never-treated moments of an earlier estimate over the same
/// never-treated entities when `shared` holds them ([`CohortMoments::sharing`]); also returns
/// this estimate's, for the next.
pub fn att_gt_linear_sharing(
    panel: &Panel,
    opts: &CsOptions,
    shared: Option<&NeverTreated>,
) -> Result<(AttGt, Vec<LinearIf>, CohortMoments, Option<NeverTreated>), EstimateError> {
    if panel.n_cov > 0 {
        return Err(EstimateError::CovariatesNeedEntityLevel);
    }
    let Setup { keep, cohort, dropped_always_treated, tasks, used_groups } = setup(panel, opts)?;
    let n = keep.len();
    let moments = CohortMoments::sharing(panel, &keep, &cohort, shared);
    let never = moments.never_treated(panel, &keep, &cohort);
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
        let treated = moments.class_of(g);
        let controls: Vec<usize> = (0..moments.cohorts.len())
            .filter(|c| moments.cohorts[*c] != g && is_control(opts, g, later, moments.cohorts[*c]))
            .collect();
        // Slots as in the repeated-cross-section form: treated at t and at the base, comparison
        // at t and at the base; each with its count of observed entities and mean.
        let slot = |classes: &[usize], period: usize| -> (usize, f64) {
            let n: usize = classes.iter().map(|c| moments.observed_at(*c, period)).sum();
            let sum: f64 = classes
                .iter()
                .map(|c| moments.observed_at(*c, period) as f64 * moments.mean_at(*c, period))
                .sum();
            (n, if n > 0 { sum / n as f64 } else { 0.0 })
        };
        let d: Vec<usize> = treated.into_iter().collect();
        let slots = [(&d, tt, 1.0), (&d, base, -1.0), (&controls, tt, -1.0), (&controls, base, 1.0)];
        let stats: Vec<(usize, f64)> = slots.iter().map(|(cl, period, _)| slot(cl, *period)).collect();
        cell.n_treated = stats[0].0;
        cell.n_control = stats[2].0;
        if stats.iter().all(|(n, _)| *n > 0) {
            // Each observation's term n · sign · (Y − μ_slot) / count_slot (see `cs::rcs_cell`).
            for ((classes, period, sign), (count, mu)) in slots.iter().zip(&stats) {
                let w = sign * n as f64 / *count as f64;
                for &c in classes.iter() {
                    f.add(c * t_n + period, w, -(w * mu));
                }
            }
            cell.att = Some((stats[0].1 - stats[1].1) - (stats[2].1 - stats[3].1));
            cell.se = Some(space.se(&f));
        }
        cells.push(cell);
        inf.push(f);
    }
    if cells.iter().all(|c| c.att.is_none()) {
        return Err(EstimateError::NoControls);
    }
    let wald = pretest(&space, &cells, &inf);
    let mut res = AttGt::from_setup(
        panel,
        Setup { keep, cohort, dropped_always_treated, tasks: Vec::new(), used_groups },
        cells,
    );
    res.wald = wald;
    Ok((res, inf, moments, never))
}
