//! The unit treatments a unit analysis can study (new head, arriving professional, staff
//! turnover) and the default set: what `service.unit_analyses` in the config describes.

/// What makes a unit treated.
#[derive(Debug, Clone, PartialEq)]
pub enum UnitTreatment {
    /// A transfer into the unit with `jabatan_baru` containing one of the `|`-separated patterns
    /// (case-insensitive).
    NewHead { pattern: String },
    /// A transferred professional: `jabatan_baru` contains one of the patterns.
    Arrival { pattern: String },
    /// Arrivals in the last 12 months over the unit's headcount reach `threshold`.
    Turnover { threshold: f64 },
}

/// One configured unit analysis.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitAnalysis {
    pub name: String,
    pub treatment: UnitTreatment,
    /// Only units of this `jenis_unit`; all types (each against its own kind) when `None`.
    pub jenis_unit: Option<String>,
}

/// The default analyses: new head, arrival of a dokter in a Puskesmas, staff turnover ≥ 25 %.
pub fn default_analyses() -> Vec<UnitAnalysis> {
    vec![
        UnitAnalysis {
            name: "kepala_baru".into(),
            treatment: UnitTreatment::NewHead { pattern: "kepala puskesmas|kepala sekolah".into() },
            jenis_unit: None,
        },
        UnitAnalysis {
            name: "kedatangan_dokter".into(),
            treatment: UnitTreatment::Arrival { pattern: "dokter".into() },
            jenis_unit: Some("Puskesmas".into()),
        },
        UnitAnalysis {
            name: "pergantian_staf".into(),
            treatment: UnitTreatment::Turnover { threshold: 0.25 },
            jenis_unit: None,
        },
    ]
}
