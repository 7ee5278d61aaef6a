//! Checks the estimator against R `did` 2.5.1 on `mpdta` (reference numbers in
//! `tests/data/validation/mpdta_did_reference.json`, produced with analytic standard errors).

use serde_json::Value;

use super::aggregate::{AggKind, AggOptions, Aggregation, aggregate, aggregate_in};
use super::cs::{AttGt, BasePeriod, Control, CsOptions, att_gt, wald, wald_in};
use super::cs_linear::att_gt_linear;
use super::drdid::Method;
use super::moments::LinearSpace;
use super::panel::Panel;

const MPDTA: &str = include_str!("../../../tests/data/validation/mpdta.csv");
const REFERENCE: &str = include_str!("../../../tests/data/validation/mpdta_did_reference.json");
/// moderndid 0.2.0 (the Python port of `did`) for options the R file lacks (see the README there).
const MODERNDID: &str = include_str!("../../../tests/data/validation/mpdta_moderndid_reference.json");
/// 1e-10 without covariates (closed form); 1e-8 with covariates, where R's logit stops at its
/// own convergence tolerance.
const TOL: f64 = 1e-10;
const TOL_COV: f64 = 1e-8;

fn mpdta_with(covariates: bool) -> Panel {
    let (mut id, mut time, mut cohort, mut y, mut lpop) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for line in MPDTA.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        time.push(f[0].parse().expect("year"));
        id.push(f[1].parse().expect("county"));
        lpop.push(f[2].parse().expect("lpop"));
        y.push(f[3].parse().expect("lemp"));
        cohort.push(f[4].parse().expect("first.treat"));
    }
    let mut p = Panel::from_long(&id, &time, &cohort, &y).expect("mpdta is a balanced panel");
    if covariates {
        p.set_covariates(&id, &lpop, 1).expect("lpop is time-invariant");
    }
    p
}

fn mpdta() -> Panel {
    mpdta_with(false)
}

fn nums(v: &Value) -> Vec<f64> {
    match v {
        // null (no SE at the universal base period) reads as NaN.
        Value::Array(a) => {
            a.iter().map(|x| if x.is_null() { f64::NAN } else { x.as_f64().expect("number") }).collect()
        }
        _ => Vec::new(),
    }
}

fn check(config: &str, control: Control) {
    check_with(config, control, Method::DoublyRobust, false);
}

fn check_with(config: &str, control: Control, method: Method, covariates: bool) {
    let tol = if covariates { TOL_COV } else { TOL };
    let reference: Value = serde_json::from_str(REFERENCE).expect("reference json");
    let r = &reference[config];
    let opts = CsOptions { control, method, ..CsOptions::default() };
    let res = att_gt(&mpdta_with(covariates), &opts).expect("att_gt");
    let aggs: Vec<Aggregation> =
        AggKind::ALL.iter().map(|k| aggregate(&res, *k, AggOptions::default()).expect("aggregate")).collect();
    compare_with_r(config, r, &res, &aggs, tol);
    if !covariates {
        // The moments-based fast path must match R as well.
        let (lin, inf, m) = att_gt_linear(&mpdta(), &opts).expect("linear");
        let space = LinearSpace { moments: &m, n: lin.n };
        let aggs: Vec<Aggregation> = AggKind::ALL
            .iter()
            .map(|k| aggregate_in(&space, &lin, &inf, *k, AggOptions::default()).expect("agg").without_inf())
            .collect();
        compare_with_r(&format!("{config} (moments)"), r, &lin, &aggs, tol);
    }
}

fn compare_with_r(config: &str, r: &Value, res: &AttGt, aggs: &[Aggregation], tol: f64) {
    let close = |what: &str, got: f64, want: f64| {
        assert!((got - want).abs() <= tol, "{what}: got {got:.15}, R did gives {want:.15}");
    };
    assert_eq!(res.n as u64, r["n"].as_u64().expect("n"));
    let (groups, ts, atts, ses) = (nums(&r["group"]), nums(&r["t"]), nums(&r["att"]), nums(&r["se"]));
    assert_eq!(res.cells.len(), atts.len(), "{config}: number of cells");
    for (k, c) in res.cells.iter().enumerate() {
        assert_eq!((c.group as f64, c.time as f64), (groups[k], ts[k]), "{config}: cell order");
        close(&format!("{config} ATT({},{})", c.group, c.time), c.att.expect("att"), atts[k]);
        if ses[k].is_nan() {
            assert_eq!(c.se, None, "{config} SE({},{}): the reference has none", c.group, c.time);
        } else {
            close(&format!("{config} SE({},{})", c.group, c.time), c.se.expect("se"), ses[k]);
        }
    }
    let wald = res.wald.as_ref().expect("pre-test");
    // R prints it nested and rounded; moderndid as a number rounded to 5 decimals.
    let want_p = r["wald_pvalue"].as_f64().or(r["wald_pvalue"][0][0].as_f64()).expect("p");
    assert!(
        (wald.p_value - want_p).abs() <= 5e-6 + 1e-12,
        "{config}: Wald p {} vs R (rounded) {want_p}",
        wald.p_value
    );
    for (kind, agg) in AggKind::ALL.into_iter().zip(aggs) {
        let a = &r["aggte"][kind.as_str()];
        close(
            &format!("{config} {kind:?} overall ATT"),
            agg.overall.att,
            a["overall_att"].as_f64().expect("att"),
        );
        close(
            &format!("{config} {kind:?} overall SE"),
            agg.overall.se,
            a["overall_se"].as_f64().expect("se"),
        );
        let (egt, att_e, se_e) = (nums(&a["egt"]), nums(&a["att_egt"]), nums(&a["se_egt"]));
        assert_eq!(agg.elements.len(), egt.len(), "{config} {kind:?}: elements");
        for (j, (e, est)) in agg.elements.iter().enumerate() {
            assert_eq!(*e as f64, egt[j]);
            close(&format!("{config} {kind:?} element {e} ATT"), est.att, att_e[j]);
            if se_e[j].is_nan() {
                assert!(
                    est.se.is_nan(),
                    "{config} {kind:?} element {e}: SE {} where the reference has none",
                    est.se
                );
            } else {
                close(&format!("{config} {kind:?} element {e} SE"), est.se, se_e[j]);
            }
        }
    }
}

#[test]
fn matches_r_did_never_treated() {
    check("nocov_never_dr_analytic", Control::NeverTreated);
    // Without covariates the regression estimator is the same closed form.
    check("nocov_never_reg_analytic", Control::NeverTreated);
}

#[test]
fn matches_r_did_not_yet_treated() {
    check("nocov_notyet_dr_analytic", Control::NotYetTreated);
}

#[test]
fn matches_r_did_doubly_robust_with_a_covariate() {
    check_with("lpop_never_dr_analytic", Control::NeverTreated, Method::DoublyRobust, true);
    check_with("lpop_notyet_dr_analytic", Control::NotYetTreated, Method::DoublyRobust, true);
}

#[test]
fn constant_covariates_are_an_error_and_methods_differ_with_information() {
    // A covariate identical for all entities is collinear with the intercept: a clear error.
    let mut p = mpdta();
    let ids: Vec<i64> = p.ids.clone();
    p.set_covariates(&ids, &vec![1.0; ids.len()], 1).expect("constant");
    for m in [Method::DoublyRobust, Method::Regression, Method::Ipw] {
        let r = att_gt(&p, &CsOptions { method: m, ..CsOptions::default() });
        assert_eq!(r.err(), Some(super::EstimateError::SingularDesign), "{m:?}");
    }
    // With an informative covariate the three estimators differ but stay close on mpdta.
    let pc = mpdta_with(true);
    let simple = |m: Method| {
        let res = att_gt(&pc, &CsOptions { method: m, ..CsOptions::default() }).expect("att_gt");
        aggregate(&res, AggKind::Simple, AggOptions::default()).expect("simple").overall.att
    };
    let (dr, reg, ipw) = (simple(Method::DoublyRobust), simple(Method::Regression), simple(Method::Ipw));
    assert!((dr - reg).abs() < 5e-3 && (dr - ipw).abs() < 5e-3, "dr {dr} reg {reg} ipw {ipw}");
    assert!(dr != reg && dr != ipw);
}

#[test]
fn constant_shift_changes_nothing_and_order_does_not_matter() {
    let p = mpdta();
    let base = att_gt(&p, &CsOptions::default()).expect("att_gt");
    let mut shifted = p.clone();
    shifted.y.iter_mut().for_each(|v| *v += 7.5);
    let s = att_gt(&shifted, &CsOptions::default()).expect("att_gt");
    for (a, b) in base.cells.iter().zip(&s.cells) {
        assert!((a.att.expect("a") - b.att.expect("b")).abs() < 1e-12);
        assert!((a.se.expect("a") - b.se.expect("b")).abs() < 1e-12);
    }
    // Entities given in reverse order: the panel sorts them, the numbers are identical.
    let (mut id, mut time, mut cohort, mut y) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for i in (0..p.n()).rev() {
        for (t, tv) in p.times.iter().enumerate().rev() {
            id.push(-p.ids[i]);
            time.push(*tv);
            cohort.push(p.cohort[i]);
            y.push(p.y_at(i, t));
        }
    }
    let r = att_gt(&Panel::from_long(&id, &time, &cohort, &y).expect("panel"), &CsOptions::default())
        .expect("att_gt");
    for (a, b) in base.cells.iter().zip(&r.cells) {
        assert!((a.att.expect("a") - b.att.expect("b")).abs() < 1e-12);
    }
}

#[test]
fn no_treated_entity_is_an_error_not_nan() {
    let p =
        Panel::from_long(&[1, 1, 2, 2], &[1, 2, 1, 2], &[0, 0, 0, 0], &[1.0, 2.0, 3.0, 4.0]).expect("panel");
    assert_eq!(att_gt(&p, &CsOptions::default()).err(), Some(super::EstimateError::NoTreated));
    let p =
        Panel::from_long(&[1, 1, 2, 2], &[1, 2, 1, 2], &[2, 2, 2, 2], &[1.0, 2.0, 3.0, 4.0]).expect("panel");
    assert_eq!(att_gt(&p, &CsOptions::default()).err(), Some(super::EstimateError::NoControls));
}

#[test]
fn universal_base_period_cells_are_zero_at_the_base() {
    let res = att_gt(&mpdta(), &CsOptions { base_period: BasePeriod::Universal, ..CsOptions::default() })
        .expect("att_gt");
    // 3 cohorts × 5 periods, and ATT(g, g−1) = 0.
    assert_eq!(res.cells.len(), 15);
    for c in res.cells.iter().filter(|c| c.time == c.group - 1) {
        assert_eq!(c.att, Some(0.0));
    }
    // Post-period cells are the same as with the varying base.
    let varying = att_gt(&mpdta(), &CsOptions::default()).expect("att_gt");
    for c in res.cells.iter().filter(|c| c.post()) {
        let v = varying.cells.iter().find(|v| v.group == c.group && v.time == c.time).expect("same cell");
        assert!((c.att.expect("u") - v.att.expect("v")).abs() < 1e-12);
    }
}

/// Coverage of the analytic 95% interval of the dynamic aggregation over 500 seeded
/// replications of a small staggered panel with a known, growing effect: it must lie in
/// [92%, 98%] (issue #3 §4). Also checks the estimator is unbiased on average.
#[test]
fn dynamic_intervals_have_nominal_coverage() {
    use rand::rngs::ChaCha8Rng;
    use rand::{RngExt, SeedableRng};
    let (n, periods, reps, tau) = (300i64, 8i64, 500usize, 1.0);
    let mut rng = ChaCha8Rng::seed_from_u64(20261127);
    let mut normal = move || {
        let u1: f64 = rng.random::<f64>().max(f64::MIN_POSITIVE);
        let u2: f64 = rng.random::<f64>();
        (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
    };
    // Effect at event time e: tau (1 + e/2). Cohorts 4 and 6 reach e = 0..4 together, so the
    // dynamic overall effect (mean over e = 0..4) is tau (1 + 1) whatever the cohort weights.
    let truth = 2.0 * tau;
    let (mut covered, mut sum) = (0usize, 0.0);
    for _ in 0..reps {
        let (mut id, mut time, mut cohort, mut y) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for i in 0..n {
            let g = match i % 10 {
                0..=3 => 0,
                4..=6 => 4,
                _ => 6,
            };
            let alpha = normal();
            for t in 1..=periods {
                let effect = if g > 0 && t >= g { tau * (1.0 + 0.5 * (t - g) as f64) } else { 0.0 };
                id.push(i);
                time.push(t);
                cohort.push(g);
                y.push(alpha + 0.3 * t as f64 + effect + normal());
            }
        }
        let p = Panel::from_long(&id, &time, &cohort, &y).expect("panel");
        let res = att_gt(&p, &CsOptions::default()).expect("att_gt");
        let d = aggregate(&res, AggKind::Dynamic, AggOptions::default()).expect("dynamic");
        let z = super::dist::normal_quantile(0.975);
        if (d.overall.att - truth).abs() <= z * d.overall.se {
            covered += 1;
        }
        sum += d.overall.att;
    }
    let coverage = covered as f64 / reps as f64;
    eprintln!("coverage of the 95% interval: {coverage} over {reps} replications");
    assert!((0.92..=0.98).contains(&coverage), "coverage {coverage}");
    assert!((sum / reps as f64 - truth).abs() < 0.02, "mean estimate {}", sum / reps as f64);
}

/// Without covariates, the repeated-cross-section form with influence functions summed per entity
/// is the panel estimator on a balanced panel: identical ATT(g,t), SEs and aggregations.
#[test]
fn repeated_cross_section_form_equals_panel_form_on_balanced_data() {
    let p = mpdta();
    for control in [Control::NeverTreated, Control::NotYetTreated] {
        let panel = att_gt(&p, &CsOptions { control, ..CsOptions::default() }).expect("panel");
        let rcs = att_gt(&p, &CsOptions { control, repeated_cross_section: true, ..CsOptions::default() })
            .expect("rcs");
        for (a, b) in panel.cells.iter().zip(&rcs.cells) {
            assert!((a.att.expect("a") - b.att.expect("b")).abs() < 1e-12);
            assert!((a.se.expect("a") - b.se.expect("b")).abs() < 1e-12);
        }
        for kind in AggKind::ALL {
            let x = aggregate(&panel, kind, AggOptions::default()).expect("agg");
            let y = aggregate(&rcs, kind, AggOptions::default()).expect("agg");
            assert!(
                (x.overall.att - y.overall.att).abs() < 1e-12 && (x.overall.se - y.overall.se).abs() < 1e-12
            );
        }
    }
}

/// With gaps, every entity is kept and the estimates stay close to the complete-data ones; the
/// panel form refuses gapped data instead of silently dropping entities.
#[test]
fn unbalanced_panels_keep_every_entity() {
    let gapped = gapped_mpdta(); // about 11% of observations dropped
    assert!(gapped.has_gaps());
    assert_eq!(gapped.n(), 500);
    assert_eq!(att_gt(&gapped, &CsOptions::default()).err(), Some(super::EstimateError::Unbalanced));
    let res =
        att_gt(&gapped, &CsOptions { repeated_cross_section: true, ..CsOptions::default() }).expect("rcs");
    assert_eq!(res.n, 500);
    let full = att_gt(&mpdta(), &CsOptions::default()).expect("full");
    let a = aggregate(&res, AggKind::Dynamic, AggOptions::default()).expect("dynamic");
    let b = aggregate(&full, AggKind::Dynamic, AggOptions::default()).expect("dynamic");
    // Means over different sets of counties at t and at the base add composition noise (county
    // levels of log employment differ a lot), which the repeated-cross-section SE reflects.
    assert!(
        (a.overall.att - b.overall.att).abs() < 3.0 * a.overall.se,
        "{} (SE {}) vs complete data {}",
        a.overall.att,
        a.overall.se,
        b.overall.att
    );
    assert!(a.overall.se > b.overall.se, "fewer observations cannot make it more precise");
}

/// Streaming aggregation (cell influence functions never stored) gives the same numbers as the
/// stored path, for every aggregation and element, with and without covariates.
#[test]
fn streaming_aggregation_equals_stored_aggregation() {
    use super::aggregate::Streaming;
    use super::cs::att_gt_stream;
    for (covariates, control) in
        [(false, Control::NeverTreated), (false, Control::NotYetTreated), (true, Control::NeverTreated)]
    {
        let p = mpdta_with(covariates);
        let cs = CsOptions { control, ..CsOptions::default() };
        let agg = AggOptions { min_e: Some(-2), max_e: Some(2) };
        let stored = att_gt(&p, &cs).expect("att_gt");
        let mut stream = Streaming::new(&p, &cs, agg);
        let streamed = att_gt_stream(&p, &cs, &mut |_, cell, f| stream.push(cell, &f)).expect("stream");
        assert_eq!(streamed.cells, stored.cells);
        let results = stream.finish().expect("finish");
        for (kind, got) in AggKind::ALL.into_iter().zip(results) {
            let want = aggregate(&stored, kind, agg).expect("aggregate");
            assert_eq!(got.kind, kind);
            assert!((got.overall.att - want.overall.att).abs() < 1e-12, "{kind:?} att");
            assert!((got.overall.se - want.overall.se).abs() < 1e-12, "{kind:?} se");
            assert_eq!(got.elements.len(), want.elements.len(), "{kind:?}");
            for ((e1, a), (e2, b)) in got.elements.iter().zip(&want.elements) {
                assert_eq!(e1, e2);
                assert!(
                    (a.att - b.att).abs() < 1e-12 && (a.se - b.se).abs() < 1e-12,
                    "{kind:?} element {e1}"
                );
            }
        }
    }
}

/// A seeded staggered panel with more periods than `mpdta`: 240 entities × 9 periods, cohorts
/// 0 (never), 3, 5, 7 and 12 (after the last period: never treated within it).
fn synthetic_panel(seed: u64) -> Panel {
    use rand::rngs::ChaCha8Rng;
    use rand::{RngExt, SeedableRng};
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let (mut id, mut time, mut cohort, mut y) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for i in 0..240i64 {
        let g = [0, 3, 5, 7, 12, 0][(i % 6) as usize];
        let level: f64 = rng.random::<f64>() * 4.0;
        for t in 1..=9i64 {
            id.push(i);
            time.push(t);
            cohort.push(g);
            let effect = if g > 0 && t >= g { 0.5 + 0.2 * (t - g) as f64 } else { 0.0 };
            y.push(level + 0.1 * t as f64 * (1 + i % 3) as f64 + effect + rng.random::<f64>());
        }
    }
    Panel::from_long(&id, &time, &cohort, &y).expect("balanced")
}

/// `mpdta` without every ninth observation (0-based rows k with k mod 9 = 4).
fn gapped_mpdta() -> Panel {
    let (mut id, mut time, mut cohort, mut y) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (k, line) in MPDTA.lines().skip(1).enumerate() {
        if k % 9 == 4 {
            continue;
        }
        let f: Vec<&str> = line.split(',').collect();
        time.push(f[0].parse::<i64>().expect("year"));
        id.push(f[1].parse::<i64>().expect("county"));
        y.push(f[3].parse::<f64>().expect("lemp"));
        cohort.push(f[4].parse::<i64>().expect("first.treat"));
    }
    Panel::from_long_unbalanced(&id, &time, &cohort, &y).expect("panel")
}

/// `p` with about one observation in seven removed.
fn gapped(p: Panel) -> Panel {
    let (mut id, mut time, mut cohort, mut y) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for i in 0..p.n() {
        for (t, tv) in p.times.iter().enumerate() {
            if (i * 3 + t * 5) % 7 == 2 {
                continue;
            }
            id.push(p.ids[i]);
            time.push(*tv);
            cohort.push(p.cohort[i]);
            y.push(p.y_at(i, t));
        }
    }
    Panel::from_long_unbalanced(&id, &time, &cohort, &y).expect("panel")
}

/// The moments-based fast path gives the entity-level path's numbers for every option, on
/// balanced panels and on panels with missing periods:
/// comparison group, base period, anticipation and event window; cells, SEs, all four
/// aggregations with their elements, the overall effects' entity-level influence functions, and
/// both pre-trend tests.
#[test]
fn moments_path_equals_entity_level_path_for_every_option() {
    let close = |what: &str, a: f64, b: f64| {
        assert!((a.is_nan() && b.is_nan()) || (a - b).abs() <= 1e-10 * (1.0 + b.abs()), "{what}: {a} vs {b}")
    };
    let mut checked = 0;
    for (p, gaps) in [
        (mpdta(), false),
        (synthetic_panel(7), false),
        (gapped_mpdta(), true),
        (gapped(synthetic_panel(8)), true),
    ] {
        assert_eq!(p.has_gaps(), gaps);
        for control in [Control::NeverTreated, Control::NotYetTreated] {
            for base_period in [BasePeriod::Varying, BasePeriod::Universal] {
                for anticipation in [0, 1] {
                    for window in [AggOptions::default(), AggOptions { min_e: Some(-2), max_e: Some(2) }] {
                        let opts = CsOptions {
                            control,
                            base_period,
                            anticipation,
                            repeated_cross_section: gaps,
                            ..CsOptions::default()
                        };
                        let what = format!("{} periods, {opts:?}, {window:?}", p.times.len());
                        let dense = att_gt(&p, &opts).expect("dense");
                        let (lin, inf, m) = att_gt_linear(&p, &opts).expect("linear");
                        assert_eq!(dense.cells.len(), lin.cells.len(), "{what}");
                        for (a, b) in lin.cells.iter().zip(&dense.cells) {
                            assert_eq!(
                                (a.group, a.time, a.base, a.n_treated, a.n_control),
                                (b.group, b.time, b.base, b.n_treated, b.n_control),
                                "{what}"
                            );
                            assert_eq!(a.att.is_some(), b.att.is_some(), "{what}");
                            assert_eq!(a.se.is_some(), b.se.is_some(), "{what}");
                            close(&what, a.att.unwrap_or(0.0), b.att.unwrap_or(0.0));
                            close(&what, a.se.unwrap_or(0.0), b.se.unwrap_or(0.0));
                        }
                        match (&lin.wald, &dense.wald) {
                            (Some(a), Some(b)) => {
                                assert_eq!(a.df, b.df, "{what}");
                                close(&format!("{what} wald"), a.stat, b.stat);
                            }
                            (a, b) => assert_eq!(a.is_some(), b.is_some(), "{what} wald"),
                        }
                        let space = LinearSpace { moments: &m, n: lin.n };
                        for kind in AggKind::ALL {
                            let a = aggregate_in(&space, &lin, &inf, kind, window).expect("linear agg");
                            let b = aggregate(&dense, kind, window).expect("dense agg");
                            close(&format!("{what} {kind:?} att"), a.overall.att, b.overall.att);
                            close(&format!("{what} {kind:?} se"), a.overall.se, b.overall.se);
                            // The overall effect's influence function, entity by entity.
                            assert_eq!(lin.entities, dense.entities, "{what}");
                            let expanded = a.overall.inf.expand(&m, &p, &lin.entities, &lin.entity_cohort);
                            assert_eq!(expanded.len(), b.overall.inf.len(), "{what} {kind:?}");
                            for (x, y) in expanded.iter().zip(&b.overall.inf) {
                                close(&format!("{what} {kind:?} influence"), *x, *y);
                            }
                            assert_eq!(a.elements.len(), b.elements.len(), "{what} {kind:?}");
                            for ((e1, x), (e2, y)) in a.elements.iter().zip(&b.elements) {
                                assert_eq!(e1, e2);
                                close(&format!("{what} {kind:?} {e1} att"), x.att, y.att);
                                close(&format!("{what} {kind:?} {e1} se"), x.se, y.se);
                            }
                            if kind == AggKind::Dynamic {
                                let pre_a: Vec<(f64, &_)> = a
                                    .elements
                                    .iter()
                                    .filter(|(e, _)| *e < 0)
                                    .map(|(_, x)| (x.att, &x.inf))
                                    .collect();
                                let pre_b: Vec<(f64, &[f64])> = b
                                    .elements
                                    .iter()
                                    .filter(|(e, _)| *e < 0)
                                    .map(|(_, x)| (x.att, x.inf.as_slice()))
                                    .collect();
                                match (wald_in(&space, &pre_a), wald(&pre_b, dense.n)) {
                                    (Some(x), Some(y)) => {
                                        close(&format!("{what} event wald"), x.stat, y.stat)
                                    }
                                    (x, y) => assert_eq!(x.is_some(), y.is_some(), "{what} event wald"),
                                }
                            }
                        }
                        checked += 1;
                    }
                }
            }
        }
    }
    assert_eq!(checked, 64);
}

#[test]
fn moments_path_refuses_what_it_cannot_estimate() {
    use super::EstimateError;
    let mut p = mpdta_with(true);
    assert_eq!(
        att_gt_linear(&p, &CsOptions::default()).err(),
        Some(EstimateError::CovariatesNeedEntityLevel)
    );
    p = mpdta();
    let ids = p.ids.clone();
    p.cohort = vec![0; ids.len()];
    assert_eq!(att_gt_linear(&p, &CsOptions::default()).err(), Some(EstimateError::NoTreated));
}

/// Universal base period, anticipation, and the reg and ipw estimators with a covariate, against
/// moderndid 0.2.0 (R's file has none of these): every ATT(g,t), SE, pre-test and aggregation, on
/// both estimation paths.
#[test]
fn matches_moderndid_where_the_r_reference_has_no_numbers() {
    let reference: Value = serde_json::from_str(MODERNDID).expect("moderndid json");
    let configs = [
        ("nocov_never_universal", Control::NeverTreated, BasePeriod::Universal, 0, None),
        ("nocov_notyet_universal", Control::NotYetTreated, BasePeriod::Universal, 0, None),
        ("nocov_never_anticipation1", Control::NeverTreated, BasePeriod::Varying, 1, None),
        ("nocov_notyet_anticipation1", Control::NotYetTreated, BasePeriod::Varying, 1, None),
        ("lpop_never_reg", Control::NeverTreated, BasePeriod::Varying, 0, Some(Method::Regression)),
        ("lpop_never_ipw", Control::NeverTreated, BasePeriod::Varying, 0, Some(Method::Ipw)),
    ];
    for (config, control, base_period, anticipation, method) in configs {
        let r = &reference[config];
        let opts = CsOptions {
            control,
            base_period,
            anticipation,
            method: method.unwrap_or(Method::DoublyRobust),
            ..CsOptions::default()
        };
        let tol = if method.is_some() { TOL_COV } else { TOL };
        let res = att_gt(&mpdta_with(method.is_some()), &opts).expect("att_gt");
        let aggs: Vec<Aggregation> = AggKind::ALL
            .iter()
            .map(|k| aggregate(&res, *k, AggOptions::default()).expect("aggregate"))
            .collect();
        compare_with_r(config, r, &res, &aggs, tol);
        if method.is_none() {
            let (lin, inf, m) = att_gt_linear(&mpdta(), &opts).expect("linear");
            let space = LinearSpace { moments: &m, n: lin.n };
            let aggs: Vec<Aggregation> = AggKind::ALL
                .iter()
                .map(|k| {
                    aggregate_in(&space, &lin, &inf, *k, AggOptions::default()).expect("agg").without_inf()
                })
                .collect();
            compare_with_r(&format!("{config} (moments)"), r, &lin, &aggs, tol);
        }
    }
}

/// On the gapped panel, the repeated-cross-section ATT(g,t) equal moderndid's `panel = False`
/// estimates. (moderndid 0.2.0 cannot compute their SEs or aggregations on unbalanced data; the
/// SEs are checked by the balanced-data identity above.)
#[test]
fn gapped_panel_point_estimates_match_moderndid() {
    let reference: Value = serde_json::from_str(MODERNDID).expect("moderndid json");
    let gapped = gapped_mpdta();
    for (config, control) in
        [("nocov_never_rcs_att", Control::NeverTreated), ("nocov_notyet_rcs_att", Control::NotYetTreated)]
    {
        let r = &reference[config];
        let res =
            att_gt(&gapped, &CsOptions { control, repeated_cross_section: true, ..CsOptions::default() })
                .expect("rcs");
        let (groups, ts, atts) = (nums(&r["group"]), nums(&r["t"]), nums(&r["att"]));
        assert_eq!(res.cells.len(), atts.len(), "{config}");
        for (k, c) in res.cells.iter().enumerate() {
            assert_eq!((c.group as f64, c.time as f64), (groups[k], ts[k]), "{config}: cell order");
            let got = c.att.expect("att");
            assert!(
                (got - atts[k]).abs() <= TOL,
                "{config} ATT({},{}): {got} vs {}",
                c.group,
                c.time,
                atts[k]
            );
        }
    }
}

/// The two-period repeated-cross-section estimators with `~lpop` (dr, reg, ipw) reproduce
/// moderndid's `drdid_rc`, `reg_did_rc` and `std_ipw_did_rc` cell by cell on the gapped panel:
/// the ATT and every observation's influence-function value.
#[test]
fn repeated_cross_section_estimators_with_a_covariate_match_moderndid() {
    use super::drdid::Design;
    use super::drdid_rc::rcs_att;
    let reference: Value = serde_json::from_str(MODERNDID).expect("moderndid json");
    let cells = reference["rcs_cells_lpop"].as_array().expect("cells");
    assert_eq!(cells.len(), 6);
    for c in cells {
        let (g, t, base) =
            (c["group"].as_i64().expect("g"), c["t"].as_i64().expect("t"), c["base"].as_i64().expect("b"));
        let (mut y, mut post, mut d, mut x) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for (k, line) in MPDTA.lines().skip(1).enumerate() {
            let f: Vec<&str> = line.split(',').collect();
            let (year, cohort): (i64, i64) = (f[0].parse().expect("year"), f[4].parse().expect("cohort"));
            if k % 9 == 4 || !(year == t || year == base) || !(cohort == g || cohort == 0) {
                continue;
            }
            y.push(f[3].parse::<f64>().expect("lemp"));
            post.push(year == t);
            d.push(cohort == g);
            x.extend([1.0, f[2].parse::<f64>().expect("lpop")]);
        }
        assert_eq!(y.len() as u64, c["n1"].as_u64().expect("n1"));
        let method = match c["method"].as_str().expect("method") {
            "dr" => Method::DoublyRobust,
            "reg" => Method::Regression,
            _ => Method::Ipw,
        };
        let (att, inf) = rcs_att(&y, &post, &d, &Design { x: &x, p: 2 }, method).expect("estimate");
        let what = format!("ATT({g},{t}) {method:?}");
        let want = c["att"].as_f64().expect("att");
        assert!((att - want).abs() <= TOL_COV, "{what}: {att} vs moderndid {want}");
        let want_inf = nums(&c["inf"]);
        assert_eq!(inf.len(), want_inf.len());
        for (i, (a, b)) in inf.iter().zip(&want_inf).enumerate() {
            assert!((a - b).abs() <= 1e-7 * (1.0 + b.abs()), "{what} IF[{i}]: {a} vs {b}");
        }
    }
}

/// With only an intercept, the three repeated-cross-section estimators are the difference of
/// four means the covariate-free path uses.
#[test]
fn repeated_cross_section_estimators_without_covariates_are_four_means() {
    use super::drdid::Design;
    use super::drdid_rc::rcs_att;
    let p = gapped_mpdta();
    let (g, tt, base) = (2006, 4, 2); // periods 2007 and 2005
    let (mut y, mut post, mut d) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..p.n() {
        if p.cohort[i] != g && p.cohort[i] != 0 {
            continue;
        }
        for (period, later) in [(base, false), (tt, true)] {
            let v = p.y_at(i, period);
            if !v.is_nan() {
                y.push(v);
                post.push(later);
                d.push(p.cohort[i] == g);
            }
        }
    }
    let mean = |want_d: bool, want_post: bool| {
        let v: Vec<f64> =
            (0..y.len()).filter(|k| d[*k] == want_d && post[*k] == want_post).map(|k| y[k]).collect();
        v.iter().sum::<f64>() / v.len() as f64
    };
    let four = (mean(true, true) - mean(true, false)) - (mean(false, true) - mean(false, false));
    let ones = vec![1.0; y.len()];
    for m in [Method::DoublyRobust, Method::Regression, Method::Ipw] {
        let (att, inf) = rcs_att(&y, &post, &d, &Design { x: &ones, p: 1 }, m).expect("estimate");
        assert!((att - four).abs() < 1e-12, "{m:?}: {att} vs {four}");
        assert!(inf.iter().sum::<f64>().abs() < 1e-8, "{m:?}: influence function must have mean zero");
    }
}
