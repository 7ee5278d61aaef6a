//! Aggregations of ATT(g,t) into summary effects, as R `did::aggte`: simple, dynamic (event
//! study), group and calendar, each with an overall value and per-element values.
//!
//! A weighted combination θ = Σ_k w_k ATT_k whose weights are cohort shares p_g estimated from the
//! data gets the weight-estimation term in its influence function (CS 2021 eq. (3.x); R's `wif`):
//! wif_ik = (1{G_i = g_k} − p_k)/S − (Σ_j∈K (1{G_i = g_j} − p_j)) p_k / S², S = Σ_K p_k.
//! Plain means (dynamic and calendar overall, per-group values) need none. SE = √(mean(IF²)/n).

use super::EstimateError;
use super::cs::{AttGt, se_of};
use super::influence::{DenseSpace, InfluenceSpace, reported_se};

/// One estimate with its influence function (entity by entity unless another representation is
/// named, see [`super::influence`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Estimate<I = Vec<f64>> {
    pub att: f64,
    pub se: f64,
    pub inf: I,
}

impl<I> Estimate<I> {
    /// The same estimate with its influence function dropped (for writing results).
    pub fn without_inf(&self) -> Estimate {
        Estimate { att: self.att, se: self.se, inf: Vec::new() }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AggKind {
    Simple,
    Dynamic,
    Group,
    Calendar,
}

impl AggKind {
    pub const ALL: [AggKind; 4] = [AggKind::Simple, AggKind::Dynamic, AggKind::Group, AggKind::Calendar];

    pub fn as_str(self) -> &'static str {
        match self {
            AggKind::Simple => "simple",
            AggKind::Dynamic => "dynamic",
            AggKind::Group => "group",
            AggKind::Calendar => "calendar",
        }
    }
}

/// Event-time window of the dynamic aggregation (and the post window of simple and group).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AggOptions {
    pub min_e: Option<i64>,
    pub max_e: Option<i64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Aggregation<I = Vec<f64>> {
    pub kind: AggKind,
    pub overall: Estimate<I>,
    /// Event time e, cohort g or period t, with its estimate.
    pub elements: Vec<(i64, Estimate<I>)>,
}

impl<I> Aggregation<I> {
    /// The same aggregation with every influence function dropped (for writing results).
    pub fn without_inf(&self) -> Aggregation {
        Aggregation {
            kind: self.kind,
            overall: self.overall.without_inf(),
            elements: self.elements.iter().map(|(e, x)| (*e, x.without_inf())).collect(),
        }
    }
}

/// The cells and cohort shares an aggregation reads, with each cell's influence function in the
/// representation of `space`.
struct Cells<'a, S: InfluenceSpace> {
    space: &'a S,
    res: &'a AttGt,
    inf: &'a [S::Inf],
}

impl<S: InfluenceSpace> Cells<'_, S> {
    /// Σ_k w_k IF_k (+ the weight-estimation term), for the cells `ks` with weights `w`.
    fn combine(&self, ks: &[usize], w: &[f64], with_wif: bool) -> Estimate<S::Inf> {
        let res = self.res;
        let att: f64 = ks.iter().zip(w).map(|(k, w)| w * res.cells[*k].att.unwrap_or(0.0)).sum();
        let parts: Vec<(f64, &S::Inf)> = ks.iter().zip(w).map(|(k, wk)| (*wk, &self.inf[*k])).collect();
        let mut inf = self.space.weighted_sum(&parts);
        if with_wif {
            let groups: Vec<i64> = ks.iter().map(|k| res.cells[*k].group).collect();
            let atts: Vec<f64> = ks.iter().map(|k| res.cells[*k].att.unwrap_or(0.0)).collect();
            let p: Vec<f64> = groups.iter().map(|g| res.share(*g)).collect();
            self.space.add_by_cohort(&mut inf, &wif_term(&groups, &p, &atts));
        }
        Estimate { att, se: reported_se(self.space.se(&inf)), inf }
    }

    /// Share-weighted combination of cells, with the weight-estimation term.
    fn share_weighted(&self, ks: &[usize]) -> Estimate<S::Inf> {
        let p: Vec<f64> = ks.iter().map(|k| self.res.share(self.res.cells[*k].group)).collect();
        let s: f64 = p.iter().sum();
        let w: Vec<f64> = p.iter().map(|v| v / s).collect();
        self.combine(ks, &w, true)
    }
}

/// Plain mean of estimates (their influence functions averaged).
fn mean_of<S: InfluenceSpace>(space: &S, parts: &[&Estimate<S::Inf>]) -> Estimate<S::Inf> {
    let m = parts.len() as f64;
    let att = parts.iter().map(|e| e.att).sum::<f64>() / m;
    let weighted: Vec<(f64, &S::Inf)> = parts.iter().map(|e| (1.0 / m, &e.inf)).collect();
    let inf = space.weighted_sum(&weighted);
    Estimate { att, se: reported_se(space.se(&inf)), inf }
}

/// Share-weighted mean of per-group estimates, with the weight-estimation term (the overall
/// value of the group aggregation).
fn group_overall<S: InfluenceSpace>(
    space: &S,
    share: &dyn Fn(i64) -> f64,
    elements: &[(i64, Estimate<S::Inf>)],
) -> Estimate<S::Inf> {
    let groups: Vec<i64> = elements.iter().map(|(g, _)| *g).collect();
    let p: Vec<f64> = groups.iter().map(|g| share(*g)).collect();
    let s: f64 = p.iter().sum();
    let thetas: Vec<f64> = elements.iter().map(|(_, e)| e.att).collect();
    let att = thetas.iter().zip(&p).map(|(t, pk)| t * pk / s).sum();
    let parts: Vec<(f64, &S::Inf)> = elements.iter().zip(&p).map(|((_, e), pk)| (pk / s, &e.inf)).collect();
    let mut inf = space.weighted_sum(&parts);
    space.add_by_cohort(&mut inf, &wif_term(&groups, &p, &thetas));
    Estimate { att, se: reported_se(space.se(&inf)), inf }
}

/// Aggregates ATT(g,t) the way `did::aggte` does, with influence functions stored per entity.
pub fn aggregate(res: &AttGt, kind: AggKind, opts: AggOptions) -> Result<Aggregation, EstimateError> {
    let space = DenseSpace { entity_cohort: &res.entity_cohort, n: res.n };
    aggregate_in(&space, res, &res.inf, kind, opts)
}

/// Aggregates ATT(g,t) whose influence functions `inf` (one per cell) live in `space`.
pub fn aggregate_in<S: InfluenceSpace>(
    space: &S,
    res: &AttGt,
    inf: &[S::Inf],
    kind: AggKind,
    opts: AggOptions,
) -> Result<Aggregation<S::Inf>, EstimateError> {
    let cells = Cells { space, res, inf };
    let est: Vec<usize> = (0..res.cells.len()).filter(|k| res.cells[*k].att.is_some()).collect();
    let e_of = |k: usize| res.cells[k].time - res.cells[k].group;
    let in_post_window = |k: usize| e_of(k) >= 0 && opts.max_e.is_none_or(|m| e_of(k) <= m);
    let (overall, elements) = match kind {
        AggKind::Simple => {
            let ks: Vec<usize> = est.iter().copied().filter(|k| in_post_window(*k)).collect();
            if ks.is_empty() {
                return Err(EstimateError::NoTreated);
            }
            (cells.share_weighted(&ks), Vec::new())
        }
        AggKind::Dynamic => {
            let mut es: Vec<i64> = est.iter().map(|k| e_of(*k)).collect();
            es.sort_unstable();
            es.dedup();
            es.retain(|e| opts.min_e.is_none_or(|m| *e >= m) && opts.max_e.is_none_or(|m| *e <= m));
            let elements: Vec<(i64, Estimate<S::Inf>)> = es
                .iter()
                .map(|e| {
                    let ks: Vec<usize> = est.iter().copied().filter(|k| e_of(*k) == *e).collect();
                    (*e, cells.share_weighted(&ks))
                })
                .collect();
            let post: Vec<&Estimate<S::Inf>> =
                elements.iter().filter(|(e, _)| *e >= 0).map(|(_, x)| x).collect();
            if post.is_empty() {
                return Err(EstimateError::NoTreated);
            }
            (mean_of(space, &post), elements)
        }
        AggKind::Group => {
            let mut elements = Vec::new();
            for &g in &res.groups {
                let ks: Vec<usize> =
                    est.iter().copied().filter(|k| res.cells[*k].group == g && in_post_window(*k)).collect();
                if ks.is_empty() {
                    continue;
                }
                let w = vec![1.0 / ks.len() as f64; ks.len()];
                elements.push((g, cells.combine(&ks, &w, false)));
            }
            if elements.is_empty() {
                return Err(EstimateError::NoTreated);
            }
            (group_overall(space, &|g| res.share(g), &elements), elements)
        }
        AggKind::Calendar => {
            let min_g = res.groups.first().copied().ok_or(EstimateError::NoTreated)?;
            let mut ts: Vec<i64> = est.iter().map(|k| res.cells[*k].time).filter(|t| *t >= min_g).collect();
            ts.sort_unstable();
            ts.dedup();
            let mut elements = Vec::new();
            for t in ts {
                let ks: Vec<usize> = est
                    .iter()
                    .copied()
                    .filter(|k| res.cells[*k].time == t && res.cells[*k].group <= t)
                    .collect();
                if !ks.is_empty() {
                    elements.push((t, cells.share_weighted(&ks)));
                }
            }
            if elements.is_empty() {
                return Err(EstimateError::NoTreated);
            }
            let parts: Vec<&Estimate<S::Inf>> = elements.iter().map(|(_, e)| e).collect();
            (mean_of(space, &parts), elements)
        }
    };
    Ok(Aggregation { kind, overall, elements })
}

/// One aggregation element being accumulated: Σ w_k IF_k, Σ w_k, and (cohort, w_k, ATT_k) of
/// each cell for the ATT and the weight-influence term.
#[derive(Debug, Default)]
struct Acc {
    inf: Vec<f64>,
    weight: f64,
    parts: Vec<(i64, f64, f64)>,
}

impl Acc {
    fn add(&mut self, g: i64, w: f64, att: f64, f: &[f64]) {
        if self.inf.is_empty() {
            self.inf = vec![0.0; f.len()];
        }
        for (acc, v) in self.inf.iter_mut().zip(f) {
            *acc += w * v;
        }
        self.weight += w;
        self.parts.push((g, w, att));
    }
}

/// Aggregations accumulated cell by cell, so the n × cells influence functions are never held at
/// once: memory is n × (number of aggregation elements). Gives the same numbers as
/// [`aggregate`] (tested on `mpdta`).
pub struct Streaming {
    n: usize,
    entity_cohort: Vec<i64>,
    shares: std::collections::BTreeMap<i64, f64>,
    opts: AggOptions,
    min_group: i64,
    simple: Acc,
    dynamic: std::collections::BTreeMap<i64, Acc>,
    group: std::collections::BTreeMap<i64, Acc>,
    calendar: std::collections::BTreeMap<i64, Acc>,
}

impl Streaming {
    pub fn new(panel: &super::panel::Panel, cs: &super::cs::CsOptions, opts: AggOptions) -> Streaming {
        let (_, entity_cohort, _) = super::cs::estimation_sample(panel, cs);
        let min_group = entity_cohort
            .iter()
            .copied()
            .filter(|g| *g > 0 && panel.times.iter().any(|t| t + cs.anticipation < *g))
            .min()
            .unwrap_or(i64::MAX);
        let mut counts: std::collections::BTreeMap<i64, usize> = std::collections::BTreeMap::new();
        for g in &entity_cohort {
            *counts.entry(*g).or_default() += 1;
        }
        let n = entity_cohort.len();
        let shares = counts.into_iter().map(|(g, c)| (g, c as f64 / n as f64)).collect();
        Streaming {
            n,
            entity_cohort,
            shares,
            opts,
            min_group,
            simple: Acc::default(),
            dynamic: Default::default(),
            group: Default::default(),
            calendar: Default::default(),
        }
    }

    fn share(&self, g: i64) -> f64 {
        self.shares.get(&g).copied().unwrap_or(0.0)
    }

    fn space(&self) -> DenseSpace<'_> {
        DenseSpace { entity_cohort: &self.entity_cohort, n: self.n }
    }

    /// Adds one cell (cells without an estimate are ignored, as in [`aggregate`]).
    pub fn push(&mut self, cell: &super::cs::Cell, f: &[f64]) {
        let Some(att) = cell.att else { return };
        let share = self.share(cell.group);
        let (g, t) = (cell.group, cell.time);
        let e = t - g;
        let post = e >= 0 && self.opts.max_e.is_none_or(|m| e <= m);
        if post {
            self.simple.add(g, share, att, f);
            self.group.entry(g).or_default().add(g, 1.0, att, f);
        }
        if self.opts.min_e.is_none_or(|m| e >= m) && self.opts.max_e.is_none_or(|m| e <= m) {
            self.dynamic.entry(e).or_default().add(g, share, att, f);
        }
        if t >= self.min_group && g <= t {
            self.calendar.entry(t).or_default().add(g, share, att, f);
        }
    }

    fn finish_acc(&self, acc: Acc, share_weighted: bool) -> Estimate {
        let w = acc.weight;
        let att = acc.parts.iter().map(|(_, wk, a)| wk * a).sum::<f64>() / w;
        let mut inf: Vec<f64> = acc.inf.into_iter().map(|v| v / w).collect();
        if share_weighted {
            let groups: Vec<i64> = acc.parts.iter().map(|(g, _, _)| *g).collect();
            let thetas: Vec<f64> = acc.parts.iter().map(|(_, _, a)| *a).collect();
            let p: Vec<f64> = groups.iter().map(|g| self.share(*g)).collect();
            self.space().add_by_cohort(&mut inf, &wif_term(&groups, &p, &thetas));
        }
        Estimate { att, se: reported_se(se_of(&inf)), inf }
    }

    /// The four aggregations, in the order of [`AggKind::ALL`].
    pub fn finish(mut self) -> Result<Vec<Aggregation>, EstimateError> {
        if self.simple.parts.is_empty() {
            return Err(EstimateError::NoTreated);
        }
        let simple = std::mem::take(&mut self.simple);
        let simple = Aggregation {
            kind: AggKind::Simple,
            overall: self.finish_acc(simple, true),
            elements: Vec::new(),
        };
        let dynamic_accs = std::mem::take(&mut self.dynamic);
        let dyn_el: Vec<(i64, Estimate)> =
            dynamic_accs.into_iter().map(|(e, a)| (e, self.finish_acc(a, true))).collect();
        let post: Vec<&Estimate> = dyn_el.iter().filter(|(e, _)| *e >= 0).map(|(_, x)| x).collect();
        let dynamic = Aggregation {
            kind: AggKind::Dynamic,
            overall: mean_of(&self.space(), &post),
            elements: dyn_el.clone(),
        };
        let group_accs = std::mem::take(&mut self.group);
        let grp_el: Vec<(i64, Estimate)> =
            group_accs.into_iter().map(|(g, a)| (g, self.finish_acc(a, false))).collect();
        let group = Aggregation {
            kind: AggKind::Group,
            overall: group_overall(&self.space(), &|g| self.share(g), &grp_el),
            elements: grp_el,
        };
        let cal_accs = std::mem::take(&mut self.calendar);
        let cal_el: Vec<(i64, Estimate)> =
            cal_accs.into_iter().map(|(t, a)| (t, self.finish_acc(a, true))).collect();
        let parts: Vec<&Estimate> = cal_el.iter().map(|(_, e)| e).collect();
        let calendar = Aggregation {
            kind: AggKind::Calendar,
            overall: mean_of(&self.space(), &parts),
            elements: cal_el.clone(),
        };
        Ok(vec![simple, dynamic, group, calendar])
    }
}

/// The weight-estimation term for weights proportional to the cohort shares `p` of `groups`, as a
/// function of an entity's cohort: Σ_k wif_k(cohort) · θ_k.
fn wif_term<'a>(groups: &'a [i64], p: &'a [f64], thetas: &'a [f64]) -> impl Fn(i64) -> f64 + 'a {
    let s: f64 = p.iter().sum();
    move |gi: i64| -> f64 {
        let total: f64 = groups.iter().zip(p).map(|(g, pk)| f64::from(u8::from(gi == *g)) - pk).sum();
        groups
            .iter()
            .zip(p)
            .zip(thetas)
            .map(|((g, pk), theta)| ((f64::from(u8::from(gi == *g)) - pk) / s - total * pk / (s * s)) * theta)
            .sum()
    }
}
