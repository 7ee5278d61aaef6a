//! Group-time average treatment effects, ATT(g,t), of Callaway & Sant'Anna (2021), with their
//! influence functions, for a balanced panel without covariates.
//!
//! For cohort g and period t, with base period b (the period just before t for pre-periods, and
//! the last period before g − δ for post-periods under the "varying" base; always the last period
//! before g − δ under "universal"), ΔY_i = Y_it − Y_ib and
//!
//!   ATT(g,t) = mean(ΔY | G = g) − mean(ΔY | comparison),
//!
//! the comparison being the never treated, or the never and not-yet treated (cohort beyond
//! max(t, b) + δ, other than g). The influence function over all n entities is
//! IF_i = D_i (ΔY_i − μ_D) / p_D − C_i (ΔY_i − μ_C) / p_C, and SE = √(Σ IF²) / n
//! (CS 2021 §4; R `did` 2.5.1 `compute.att_gt` with DRDID's `drdid_panel`, which reduce to this
//! closed form without covariates; see `../shared/validation/cs-estimator-notes.md`).
//! Entities already treated in the first period are dropped, as `did` does; entities first
//! treated after the last period (beyond the anticipation window) count as never treated.

use super::EstimateError;
use super::dist::chi2_sf;
use super::drdid::{Design, Method, panel_att};
use super::drdid_rc::rcs_att;
use super::influence::{DenseSpace, InfluenceSpace};
use super::panel::Panel;
use rayon::prelude::*;

/// Which entities serve as the comparison group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Control {
    NeverTreated,
    NotYetTreated,
}

/// How the base period of pre-treatment cells is chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BasePeriod {
    Varying,
    Universal,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CsOptions {
    pub control: Control,
    /// Periods of anticipation δ, in the time unit of the panel.
    pub anticipation: i64,
    pub base_period: BasePeriod,
    /// Estimator of each cell when the panel has covariates (without covariates all coincide).
    pub method: Method,
    /// Treat each period as its own sample and sum influence functions per entity (R `did`'s
    /// `allow_unbalanced_panel = TRUE`), so entities observed in only some periods still count.
    /// Without covariates it equals the panel form on a balanced panel.
    pub repeated_cross_section: bool,
}

impl Default for CsOptions {
    fn default() -> Self {
        CsOptions {
            control: Control::NeverTreated,
            anticipation: 0,
            base_period: BasePeriod::Varying,
            method: Method::DoublyRobust,
            repeated_cross_section: false,
        }
    }
}

/// One group-time cell.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub group: i64,
    pub time: i64,
    pub base: i64,
    /// `None` when the cell has no comparison entities (e.g. late periods with not-yet-treated
    /// controls and no never-treated entities).
    pub att: Option<f64>,
    pub se: Option<f64>,
    pub n_treated: usize,
    pub n_control: usize,
}

impl Cell {
    pub fn post(&self) -> bool {
        self.time >= self.group
    }
}

/// The pre-trend test: all pre-period ATT(g,t) jointly zero.
#[derive(Debug, Clone, PartialEq)]
pub struct Wald {
    pub stat: f64,
    pub df: usize,
    pub p_value: f64,
}

/// All ATT(g,t) of a panel.
#[derive(Debug, Clone, Default)]
pub struct AttGt {
    pub cells: Vec<Cell>,
    /// Influence function of each cell over all `n` entities (zero for cells without an estimate).
    pub inf: Vec<Vec<f64>>,
    pub n: usize,
    /// Index into the panel's entities of each entity in the estimation sample.
    pub entities: Vec<usize>,
    /// Cohort of each entity in the estimation sample (0 = never treated).
    pub entity_cohort: Vec<i64>,
    /// Cohorts with at least one cell, ascending.
    pub groups: Vec<i64>,
    pub dropped_always_treated: usize,
    pub dropped_incomplete: usize,
    pub wald: Option<Wald>,
    /// Share of the estimation sample in each cohort, by ascending cohort.
    pub shares: Vec<(i64, f64)>,
}

impl AttGt {
    /// Share of entities in cohort `g` (R `did`'s `pg`).
    pub fn share(&self, g: i64) -> f64 {
        self.shares.binary_search_by_key(&g, |(c, _)| *c).map_or(0.0, |k| self.shares[k].1)
    }
}

/// Share of entities in each cohort, by ascending cohort.
pub fn cohort_shares(entity_cohort: &[i64]) -> Vec<(i64, f64)> {
    let mut sorted = entity_cohort.to_vec();
    sorted.sort_unstable();
    let n = sorted.len() as f64;
    let mut out: Vec<(i64, f64)> = Vec::new();
    for g in sorted {
        match out.last_mut() {
            Some((c, k)) if *c == g => *k += 1.0,
            _ => out.push((g, 1.0)),
        }
    }
    out.into_iter().map(|(g, k)| (g, k / n)).collect()
}

/// SE from an influence function at the n scale: √(mean(IF²) / n).
pub fn se_of(inf: &[f64]) -> f64 {
    let n = inf.len() as f64;
    (inf.iter().map(|v| v * v).sum::<f64>() / n / n).sqrt()
}

/// Computes every ATT(g,t).
pub fn att_gt(panel: &Panel, opts: &CsOptions) -> Result<AttGt, EstimateError> {
    let mut inf = Vec::new();
    let mut res = att_gt_stream(panel, opts, &mut |_, _, f| inf.push(f))?;
    res.wald = pretest(&DenseSpace { entity_cohort: &res.entity_cohort, n: res.n }, &res.cells, &inf);
    res.inf = inf;
    Ok(res)
}

/// The estimation sample: indices of the entities kept (those not treated in the first period)
/// and their cohorts (0 = never treated, including cohorts beyond the last period), and how many
/// were dropped.
pub fn estimation_sample(panel: &Panel, opts: &CsOptions) -> (Vec<usize>, Vec<i64>, usize) {
    let (first, last) = (panel.times[0], panel.times[panel.times.len() - 1]);
    let delta = opts.anticipation;
    let mut keep: Vec<usize> = Vec::with_capacity(panel.n());
    let mut cohort: Vec<i64> = Vec::with_capacity(panel.n());
    let mut dropped = 0;
    for (i, &g) in panel.cohort.iter().enumerate() {
        let g = if g > last + delta { 0 } else { g };
        if g > 0 && g - delta <= first {
            dropped += 1;
            continue;
        }
        keep.push(i);
        cohort.push(g);
    }
    (keep, cohort, dropped)
}

/// Computes every ATT(g,t) and hands each cell's influence function to `sink` as soon as it is
/// computed, instead of keeping them all (n × cells values would not fit for national panels).
/// The returned [`AttGt`] has empty `inf` and no pre-test.
pub fn att_gt_stream(
    panel: &Panel,
    opts: &CsOptions,
    sink: &mut dyn FnMut(usize, &Cell, Vec<f64>),
) -> Result<AttGt, EstimateError> {
    let Setup { keep, cohort, dropped_always_treated, tasks, used_groups } = setup(panel, opts)?;
    let n_t = panel.times.len();
    if !opts.repeated_cross_section && panel.has_gaps() {
        return Err(EstimateError::Unbalanced);
    }
    // Period-major copy of the outcomes of the estimation sample: each cell reads two periods for
    // every entity, which is two sequential scans here instead of strided access.
    let by_period: Vec<Vec<f64>> = if opts.repeated_cross_section {
        Vec::new()
    } else {
        (0..n_t).map(|tt| keep.iter().map(|&i| panel.y_at(i, tt)).collect()).collect()
    };
    let ctx = CellContext { panel, opts, keep: &keep, cohort: &cohort, by_period: &by_period };
    // Cells are independent: compute a few at a time on every core, then hand them to the sink
    // in order, so results do not depend on scheduling and memory stays bounded.
    let mut cells: Vec<Cell> = Vec::with_capacity(tasks.len());
    let chunk = 2 * rayon::current_num_threads().max(1);
    for batch in tasks.chunks(chunk) {
        let done: Vec<Result<(Cell, Vec<f64>), EstimateError>> =
            batch.par_iter().map(|&(g, tt, base)| ctx.cell(g, tt, base)).collect();
        for r in done {
            let (cell, f) = r?;
            cells.push(cell);
            sink(cells.len() - 1, &cells[cells.len() - 1], f);
        }
    }
    if cells.iter().all(|c| c.att.is_none()) {
        return Err(EstimateError::NoControls);
    }
    Ok(AttGt::from_setup(
        panel,
        Setup { keep, cohort, dropped_always_treated, tasks: Vec::new(), used_groups },
        cells,
    ))
}

impl AttGt {
    /// The result of one estimation: its cells over the setup's sample, without stored influence
    /// functions or pre-test (the callers add those).
    pub(crate) fn from_setup(panel: &Panel, setup: Setup, cells: Vec<Cell>) -> AttGt {
        let n = setup.keep.len();
        AttGt {
            cells,
            inf: Vec::new(),
            n,
            shares: cohort_shares(&setup.cohort),
            entities: setup.keep,
            entity_cohort: setup.cohort,
            groups: setup.used_groups,
            dropped_always_treated: setup.dropped_always_treated,
            dropped_incomplete: panel.dropped_incomplete,
            wald: None,
        }
    }
}

/// The estimation sample and the cells to estimate.
pub(crate) struct Setup {
    pub keep: Vec<usize>,
    pub cohort: Vec<i64>,
    pub dropped_always_treated: usize,
    /// The cells, in output order: (cohort, period index, base index).
    pub tasks: Vec<(i64, usize, usize)>,
    /// Cohorts with at least one cell.
    pub used_groups: Vec<i64>,
}

/// Chooses the estimation sample and lists the cells, with the errors every estimator shares.
pub(crate) fn setup(panel: &Panel, opts: &CsOptions) -> Result<Setup, EstimateError> {
    let times = &panel.times;
    let delta = opts.anticipation;
    let (keep, cohort, dropped_always_treated) = estimation_sample(panel, opts);
    let mut groups: Vec<i64> = cohort.iter().copied().filter(|g| *g > 0).collect();
    groups.sort_unstable();
    groups.dedup();
    if groups.is_empty() {
        return Err(EstimateError::NoTreated);
    }
    if opts.control == Control::NeverTreated && !cohort.contains(&0) {
        return Err(EstimateError::NoControls);
    }
    let start = if opts.base_period == BasePeriod::Varying { 1 } else { 0 };
    let mut tasks: Vec<(i64, usize, usize)> = Vec::new();
    let mut used_groups = Vec::new();
    for &g in &groups {
        // Last period before g − δ: the base of every post-period cell.
        let Some(pre_g) = times.iter().rposition(|t| t + delta < g) else { continue };
        used_groups.push(g);
        for (tt, &time) in times.iter().enumerate().skip(start) {
            let base = match opts.base_period {
                BasePeriod::Universal => pre_g,
                BasePeriod::Varying if g <= time => pre_g,
                BasePeriod::Varying => tt - 1,
            };
            tasks.push((g, tt, base));
        }
    }
    Ok(Setup { keep, cohort, dropped_always_treated, tasks, used_groups })
}

/// Whether an entity of cohort `c` is a comparison for cohort `g` in a cell whose later period
/// (of t and its base) is `later`.
pub(crate) fn is_control(opts: &CsOptions, g: i64, later: i64, c: i64) -> bool {
    let horizon = later + opts.anticipation;
    match opts.control {
        Control::NeverTreated => c == 0,
        Control::NotYetTreated => c == 0 || (c > horizon && c != g),
    }
}

/// What every cell of one estimation needs.
struct CellContext<'a> {
    panel: &'a Panel,
    opts: &'a CsOptions,
    keep: &'a [usize],
    cohort: &'a [i64],
    by_period: &'a [Vec<f64>],
}

impl CellContext<'_> {
    /// ATT(g,t) of cohort `g` at period index `tt` against base index `base`, with its influence
    /// function over the n entities of the estimation sample.
    fn cell(&self, g: i64, tt: usize, base: usize) -> Result<(Cell, Vec<f64>), EstimateError> {
        let (panel, opts, cohort) = (self.panel, self.opts, self.cohort);
        let times = &panel.times;
        let n = self.keep.len();
        let time = times[tt];
        let empty =
            |att| Cell { group: g, time, base: times[base], att, se: None, n_treated: 0, n_control: 0 };
        if base == tt {
            // The universal base period itself: ATT is 0 by construction.
            return Ok((empty(Some(0.0)), vec![0.0; n]));
        }
        let later = time.max(times[base]);
        let is_control = |c: i64| is_control(opts, g, later, c);
        if opts.repeated_cross_section && panel.n_cov > 0 {
            return self.rcs_covariate_cell(g, (tt, base), &is_control);
        }
        if opts.repeated_cross_section {
            let (att, f, n_d, n_c) = rcs_cell(panel, self.keep, cohort, g, (tt, base), &is_control, n);
            let se = att.map(|_| se_of(&f));
            return Ok((
                Cell { group: g, time, base: times[base], att, se, n_treated: n_d, n_control: n_c },
                f,
            ));
        }
        let (now, then) = (&self.by_period[tt], &self.by_period[base]);
        let mut dy = vec![0.0; n];
        let (mut sum_d, mut n_d, mut sum_c, mut n_c) = (0.0, 0usize, 0.0, 0usize);
        for k in 0..n {
            dy[k] = now[k] - then[k];
            if cohort[k] == g {
                sum_d += dy[k];
                n_d += 1;
            } else if is_control(cohort[k]) {
                sum_c += dy[k];
                n_c += 1;
            }
        }
        let mut cell =
            Cell { group: g, time, base: times[base], att: None, se: None, n_treated: n_d, n_control: n_c };
        let mut f = vec![0.0; n];
        if n_d > 0 && n_c > 0 && panel.n_cov > 0 {
            // Covariates: DRDID's two-period estimator on the treated and comparison entities,
            // its influence function rescaled by n / n1 (R `did`).
            let members: Vec<usize> = (0..n).filter(|k| cohort[*k] == g || is_control(cohort[*k])).collect();
            let sub_dy: Vec<f64> = members.iter().map(|k| dy[*k]).collect();
            let sub_d: Vec<bool> = members.iter().map(|k| cohort[*k] == g).collect();
            let p = panel.n_cov + 1;
            let mut x = Vec::with_capacity(members.len() * p);
            for k in &members {
                x.push(1.0);
                x.extend_from_slice(panel.covariates_of(self.keep[*k]));
            }
            let (att, inf1) = panel_att(&sub_dy, &sub_d, &Design { x: &x, p }, opts.method)?;
            let scale = n as f64 / members.len() as f64;
            for (k, v) in members.iter().zip(&inf1) {
                f[*k] = scale * v;
            }
            cell.att = Some(att);
            cell.se = Some(se_of(&f));
        } else if n_d > 0 && n_c > 0 {
            let (mu_d, mu_c) = (sum_d / n_d as f64, sum_c / n_c as f64);
            let (p_d, p_c) = (n_d as f64 / n as f64, n_c as f64 / n as f64);
            for k in 0..n {
                if cohort[k] == g {
                    f[k] = (dy[k] - mu_d) / p_d;
                } else if is_control(cohort[k]) {
                    f[k] = -(dy[k] - mu_c) / p_c;
                }
            }
            cell.att = Some(mu_d - mu_c);
            cell.se = Some(se_of(&f));
        }
        Ok((cell, f))
    }
}

impl CellContext<'_> {
    /// A cell of a panel with missing periods and covariates: DRDID's two-period
    /// repeated-cross-section estimator over the observations of the treated and comparison
    /// entities in the two periods, its influence function rescaled by n / n1 and summed per
    /// entity (R `did` with `allow_unbalanced_panel = TRUE`).
    fn rcs_covariate_cell(
        &self,
        g: i64,
        (tt, base): (usize, usize),
        is_control: &dyn Fn(i64) -> bool,
    ) -> Result<(Cell, Vec<f64>), EstimateError> {
        let (panel, n) = (self.panel, self.keep.len());
        let times = &panel.times;
        let (mut owner, mut y, mut post, mut d, mut x) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let (mut n_d, mut n_c) = (0, 0);
        let mut seen = [0usize; 4];
        for (k, &i) in self.keep.iter().enumerate() {
            let treated = self.cohort[k] == g;
            if !treated && !is_control(self.cohort[k]) {
                continue;
            }
            for (period, later) in [(base, false), (tt, true)] {
                let v = panel.y_at(i, period);
                if v.is_nan() {
                    continue;
                }
                owner.push(k);
                y.push(v);
                post.push(later);
                d.push(treated);
                x.push(1.0);
                x.extend_from_slice(panel.covariates_of(i));
                seen[usize::from(treated) * 2 + usize::from(later)] += 1;
                if later {
                    if treated { n_d += 1 } else { n_c += 1 }
                }
            }
        }
        let mut cell = Cell {
            group: g,
            time: times[tt],
            base: times[base],
            att: None,
            se: None,
            n_treated: n_d,
            n_control: n_c,
        };
        let mut f = vec![0.0; n];
        if seen.contains(&0) {
            return Ok((cell, f));
        }
        let design = Design { x: &x, p: panel.n_cov + 1 };
        let (att, inf1) = rcs_att(&y, &post, &d, &design, self.opts.method)?;
        let scale = n as f64 / y.len() as f64;
        for (k, v) in owner.iter().zip(&inf1) {
            f[*k] += scale * v;
        }
        cell.att = Some(att);
        cell.se = Some(se_of(&f));
        Ok((cell, f))
    }
}

/// One cell in the repeated-cross-section form: the four means of Y (treated/comparison ×
/// period/base) over the observations present, ATT = (μ_T,t − μ_T,b) − (μ_C,t − μ_C,b), and each
/// observation's influence term n·s·(Y − μ)/count (s = ±1 by cell) summed per entity (R `did` with
/// `allow_unbalanced_panel`, DRDID's two-period estimator without covariates). Returns the ATT
/// (`None` when a group has no observation in a period), the influence function, and the numbers
/// of treated and comparison entities observed in period t.
fn rcs_cell(
    panel: &Panel,
    keep: &[usize],
    cohort: &[i64],
    g: i64,
    (tt, base): (usize, usize),
    is_control: &dyn Fn(i64) -> bool,
    n: usize,
) -> (Option<f64>, Vec<f64>, usize, usize) {
    // Slots: 0 treated at t, 1 treated at base, 2 comparison at t, 3 comparison at base.
    let (mut sum, mut count) = ([0.0; 4], [0usize; 4]);
    let slot_of = |c: i64| {
        if c == g {
            Some(0)
        } else if is_control(c) {
            Some(2)
        } else {
            None
        }
    };
    for (k, &i) in keep.iter().enumerate() {
        let Some(j) = slot_of(cohort[k]) else { continue };
        for (off, period) in [(0, tt), (1, base)] {
            let v = panel.y_at(i, period);
            if !v.is_nan() {
                sum[j + off] += v;
                count[j + off] += 1;
            }
        }
    }
    let mut f = vec![0.0; n];
    if count.contains(&0) {
        return (None, f, count[0], count[2]);
    }
    let mu: Vec<f64> = (0..4).map(|j| sum[j] / count[j] as f64).collect();
    let sign = [1.0, -1.0, -1.0, 1.0];
    for (k, &i) in keep.iter().enumerate() {
        let Some(j) = slot_of(cohort[k]) else { continue };
        for (off, period) in [(0, tt), (1, base)] {
            let v = panel.y_at(i, period);
            if !v.is_nan() {
                f[k] += sign[j + off] * n as f64 * (v - mu[j + off]) / count[j + off] as f64;
            }
        }
    }
    (Some((mu[0] - mu[1]) - (mu[2] - mu[3])), f, count[0], count[2])
}

/// Wald test that all pre-period ATT(g,t) are zero, as R `did` reports it. Cells with
/// (numerically) zero variance are left out. `None` when there is no pre-period cell or the
/// covariance is singular.
pub fn pretest<S: InfluenceSpace>(space: &S, cells: &[Cell], inf: &[S::Inf]) -> Option<Wald> {
    let pre: Vec<(f64, &S::Inf)> = (0..cells.len())
        .filter(|k| cells[*k].time < cells[*k].group)
        .filter_map(|k| Some((cells[k].att?, &inf[k])))
        .collect();
    // Beyond this many pre-period cells the χ² approximation is unreliable (it over-rejects with
    // many small cells) and the covariance costs q² dot products over all entities; the
    // event-study pre-trend test is the one to read then.
    if pre.len() > MAX_PRETEST_CELLS {
        return None;
    }
    wald_in(space, &pre)
}

/// Largest number of pre-period cells for the cell-level pre-trend test.
pub const MAX_PRETEST_CELLS: usize = 200;

/// Wald test that all the given estimates are zero: W = n · θ' V⁻¹ θ with V = IF'IF / n, χ² with
/// as many degrees of freedom as estimates of non-zero variance.
pub fn wald(estimates: &[(f64, &[f64])], n: usize) -> Option<Wald> {
    let thetas: Vec<f64> = estimates.iter().map(|(t, _)| *t).collect();
    let dot = |a: usize, b: usize| estimates[a].1.iter().zip(estimates[b].1).map(|(x, y)| x * y).sum();
    wald_gram(&thetas, &dot, n)
}

/// [`wald`] for influence functions held in `space`.
pub fn wald_in<S: InfluenceSpace>(space: &S, estimates: &[(f64, &S::Inf)]) -> Option<Wald> {
    let thetas: Vec<f64> = estimates.iter().map(|(t, _)| *t).collect();
    wald_gram(&thetas, &|a, b| space.dot(estimates[a].1, estimates[b].1), space.n())
}

/// [`wald`] from the estimates and the row-major matrix of their influence functions'
/// cross-products ([`InfluenceSpace::gram`]) over `n` entities.
pub fn wald_of_gram(thetas: &[f64], gram: &[f64], n: usize) -> Option<Wald> {
    let k = thetas.len();
    wald_gram(thetas, &|a, b| gram[a * k + b], n)
}

/// The Wald statistic from the estimates and the cross-products Σ_i IF_a,i IF_b,i of their
/// influence functions.
fn wald_gram(thetas: &[f64], dot: &dyn Fn(usize, usize) -> f64, n: usize) -> Option<Wald> {
    let threshold = f64::EPSILON.sqrt() * 10.0;
    let kept: Vec<usize> = (0..thetas.len())
        .filter(|k| {
            let v = dot(*k, *k) / n as f64;
            v.is_finite() && v >= threshold
        })
        .collect();
    if kept.is_empty() {
        return None;
    }
    let q = kept.len();
    let mut v = vec![vec![0.0; q]; q];
    for a in 0..q {
        for b in a..q {
            let s = dot(kept[a], kept[b]) / n as f64;
            v[a][b] = s;
            v[b][a] = s;
        }
    }
    let theta: Vec<f64> = kept.iter().map(|k| thetas[*k]).collect();
    let x = solve(v, theta.clone())?;
    let stat = n as f64 * theta.iter().zip(&x).map(|(a, b)| a * b).sum::<f64>();
    Some(Wald { stat, df: q, p_value: chi2_sf(stat, q) })
}

/// Solves A x = b by Gaussian elimination with partial pivoting; `None` when A is singular.
pub fn solve(mut a: Vec<Vec<f64>>, mut b: Vec<f64>) -> Option<Vec<f64>> {
    let n = b.len();
    let scale = a.iter().flatten().fold(0.0f64, |m, v| m.max(v.abs()));
    for col in 0..n {
        let piv = (col..n).max_by(|i, j| a[*i][col].abs().total_cmp(&a[*j][col].abs()))?;
        if a[piv][col].abs() <= scale * 1e-13 {
            return None;
        }
        a.swap(col, piv);
        b.swap(col, piv);
        let (top, rest) = a.split_at_mut(col + 1);
        let pivot_row = &top[col];
        for (offset, row) in rest.iter_mut().enumerate() {
            let factor = row[col] / pivot_row[col];
            for (x, p) in row[col..].iter_mut().zip(&pivot_row[col..]) {
                *x -= factor * p;
            }
            b[col + 1 + offset] -= factor * b[col];
        }
    }
    let mut x = vec![0.0; n];
    for r in (0..n).rev() {
        let s: f64 = (r + 1..n).map(|c| a[r][c] * x[c]).sum();
        x[r] = (b[r] - s) / a[r][r];
    }
    Some(x)
}
