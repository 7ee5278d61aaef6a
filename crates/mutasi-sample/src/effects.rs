//! The true effects the generator plants, in one place, so the data and `truth.json` agree.
//!
//! Kinerja (`capaian_iki`, percent of target): each transfer adds
//! `base(jenis) × (0.6 + 0.2 × years since the window start) × ramp(e)` from its month on, where
//! `ramp(e) = min(1, (e + 1) / 6)` grows over the first six months. Effects are heterogeneous by
//! cohort and grow with time since transfer, as staggered designs must handle.
//! Service (per Puskesmas): a dokter's arrival cuts waiting time by 6 minutes and raises visits by
//! 6 %, a new kepala cuts waiting time by 3 minutes, each with the same ramp; SKM answers shift up
//! by 0.25 on the latent 1–4 scale after a dokter arrives. A new kepala sekolah adds 3 points to the
//! school's annual literacy score from the following year.

use mutasi_domain::model::JenisMutasi;

pub const RAMP_MONTHS: f64 = 6.0;

/// Effect of one transfer on `capaian_iki`, before cohort scaling and ramp.
pub fn base_effect(kind: JenisMutasi) -> f64 {
    match kind {
        JenisMutasi::Rotasi => 2.0,
        JenisMutasi::Promosi => 4.0,
        JenisMutasi::Demosi => -3.0,
        JenisMutasi::MutasiMasuk => 1.0,
        JenisMutasi::MutasiKeluar => 0.0,
    }
}

/// Cohort scaling by whole years since the window start.
pub fn cohort_multiplier(years_since_start: i32) -> f64 {
    0.6 + 0.2 * f64::from(years_since_start)
}

/// Share of the full effect reached `e` months after the transfer month (0 before it).
pub fn ramp(e: i64) -> f64 {
    if e < 0 { 0.0 } else { ((e + 1) as f64 / RAMP_MONTHS).min(1.0) }
}

pub const DOKTER_WAIT_MINUTES: f64 = -6.0;
pub const DOKTER_VISITS_RELATIVE: f64 = 0.06;
pub const DOKTER_SKM_LATENT: f64 = 0.25;
pub const KEPALA_WAIT_MINUTES: f64 = -3.0;
pub const KEPALA_SEKOLAH_LITERASI: f64 = 3.0;

/// Kinerja model constants (documented in `sample_data/README.md`).
pub const KINERJA_BASE: f64 = 85.0;
pub const KINERJA_DRIFT_PER_MONTH: f64 = 0.05;
pub const KINERJA_DECEMBER: f64 = 1.5;
pub const KINERJA_NOISE_SD: f64 = 3.0;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ramp_and_cohorts() {
        assert_eq!(ramp(-1), 0.0);
        assert!((ramp(0) - 1.0 / 6.0).abs() < 1e-12);
        assert_eq!(ramp(5), 1.0);
        assert_eq!(ramp(30), 1.0);
        assert!((cohort_multiplier(2) - 1.0).abs() < 1e-12);
        assert!(base_effect(JenisMutasi::Demosi) < 0.0);
    }
}
