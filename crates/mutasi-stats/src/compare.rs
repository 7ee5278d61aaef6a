//! The difference between two estimates from overlapping samples (e.g. two subgroups sharing the
//! never-transferred comparison group), with an SE that accounts for the overlap.
//!
//! Each estimate θ_k comes with its influence function over its n_k entities (SE_k = √(Σ IF²)/n_k,
//! as everywhere in `stats`), so θ_k − θ ≈ (1/n_k) Σ_i IF_k,i. For d = θ_A − θ_B the contribution of
//! entity i is IF_A,i/n_A − IF_B,i/n_B (zero for a sample the entity is not in), and
//! SE(d) = √(Σ_i (IF_A,i/n_A − IF_B,i/n_B)²).

use std::collections::BTreeMap;

/// One estimate with its influence function, keyed by entity id.
pub struct WithInfluence<'a> {
    pub att: f64,
    pub ids: &'a [i64],
    pub inf: &'a [f64],
}

/// θ_A − θ_B and its SE.
pub fn difference(a: &WithInfluence<'_>, b: &WithInfluence<'_>) -> (f64, f64) {
    let mut contrib: BTreeMap<i64, f64> = BTreeMap::new();
    let (na, nb) = (a.ids.len() as f64, b.ids.len() as f64);
    for (id, v) in a.ids.iter().zip(a.inf) {
        *contrib.entry(*id).or_default() += v / na;
    }
    for (id, v) in b.ids.iter().zip(b.inf) {
        *contrib.entry(*id).or_default() -= v / nb;
    }
    (a.att - b.att, contrib.values().map(|v| v * v).sum::<f64>().sqrt())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn se(x: &WithInfluence<'_>) -> f64 {
        x.inf.iter().map(|v| v * v).sum::<f64>().sqrt() / x.ids.len() as f64
    }

    #[test]
    fn disjoint_samples_add_variances_and_shared_ones_cancel() {
        let a = WithInfluence { att: 2.0, ids: &[1, 2, 3], inf: &[1.0, -2.0, 1.0] };
        let b = WithInfluence { att: 0.5, ids: &[4, 5], inf: &[0.5, -0.5] };
        let (d, s) = difference(&a, &b);
        assert_eq!(d, 1.5);
        assert!((s - (se(&a).powi(2) + se(&b).powi(2)).sqrt()).abs() < 1e-15);
        // The same sample and influence function: the difference is exactly zero, SE 0.
        let (d, s) = difference(&a, &WithInfluence { att: 2.0, ids: &[1, 2, 3], inf: &[1.0, -2.0, 1.0] });
        assert_eq!((d, s), (0.0, 0.0));
        // A shared comparison entity with the same contribution in both samples cancels.
        let c = WithInfluence { att: 1.0, ids: &[9, 1], inf: &[3.0, 2.0] };
        let e = WithInfluence { att: 1.0, ids: &[9, 2], inf: &[3.0, -1.0] };
        let (_, s) = difference(&c, &e);
        assert!((s - ((2.0f64 / 2.0).powi(2) + (1.0f64 / 2.0).powi(2)).sqrt()).abs() < 1e-15);
    }
}
