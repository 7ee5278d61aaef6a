//! Statistics core: staggered difference-in-differences (Callaway & Sant'Anna 2021) on plain
//! slices.
//!
//! Nothing here knows about Polars, files or HR tables: callers build a [`panel::Panel`] from
//! vectors (employee × month or unit × period alike), and get group-time effects with their
//! influence functions ([`cs`]), aggregations ([`aggregate`]) and tests ([`dist`] holds the
//! distribution functions). Each formula cites its source, and the whole path is checked against R
//! `did` 2.5.1 on `mpdta` (`tests/data/validation/`).

pub mod aggregate;
pub mod band;
pub mod bootstrap;
pub mod bucket_sort;
pub mod compare;
pub mod cs;
pub mod cs_linear;
pub mod describe;
pub mod dist;
pub mod drdid;
pub mod drdid_rc;
pub mod influence;
pub mod moments;
pub mod panel;
pub mod proportion;
pub mod quantile;
pub mod stacked;

/// Why an estimate cannot be computed. Each is a clear error rather than a NaN.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EstimateError {
    #[error("panel kosong / empty panel")]
    Empty,
    #[error("panjang kolom berbeda / columns differ in length")]
    LengthMismatch,
    #[error("entitas {0} punya kohort berbeda antar-periode / entity {0} has more than one cohort")]
    CohortNotConstant(i64),
    #[error("entitas {0} tercatat dua kali pada periode {1} / entity {0} appears twice in period {1}")]
    DuplicateObservation(i64, i64),
    #[error("nilai hasil bukan angka hingga pada entitas {0}, periode {1} / non-finite outcome")]
    NonFiniteOutcome(i64, i64),
    #[error(
        "tidak ada entitas yang diberi perlakuan setelah periode pertama / no treated entity after the first period"
    )]
    NoTreated,
    #[error("tidak ada kelompok pembanding / no comparison entities (never-treated or not-yet-treated)")]
    NoControls,
    #[error("panel perlu minimal dua periode / the panel needs at least two periods")]
    TooFewPeriods,
    #[error(
        "matriks desain singular: kovariat kolinear atau tanpa variasi / singular design: collinear or constant covariates"
    )]
    SingularDesign,
    #[error("skor kecenderungan (logit) tidak konvergen / the propensity-score logit did not converge")]
    NoConvergence,
    #[error(
        "panel tidak seimbang; pakai bentuk penampang berulang / the panel has gaps: use the repeated-cross-section form"
    )]
    Unbalanced,
    #[error(
        "kovariat memerlukan fungsi pengaruh per entitas / covariates need entity-level influence functions"
    )]
    CovariatesNeedEntityLevel,
    #[error(
        "kovariat entitas {0} berubah antar-periode; hanya kovariat tetap yang didukung / entity {0}: covariates must not change over time"
    )]
    CovariateNotConstant(i64),
}

#[cfg(test)]
mod validation;
