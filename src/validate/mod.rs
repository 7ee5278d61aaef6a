//! Validation: what is wrong with a row, and the checks that span tables.
//!
//! Row-level checks happen while loading ([`crate::ingest`]); this module owns the reason
//! catalogue ([`reason`]), the finding record ([`Finding`]), the cross-table checks
//! ([`crosscheck`]) and the reconciliation that proves no row was lost ([`reconcile`]).

pub mod crosscheck;
pub mod reason;
pub mod reconcile;
pub mod riwayat;

use reason::Reason;

use crate::model::Prov;

/// One problem found in one input row: a reject (the row is dropped) or a warning (it is kept).
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub prov: Prov,
    pub column: String,
    pub raw: String,
    pub reason: Reason,
    /// Extra context, e.g. which other row it conflicts with.
    pub detail: Option<String>,
}

impl Finding {
    pub fn new(prov: Prov, column: &str, raw: impl Into<String>, reason: Reason) -> Finding {
        Finding { prov, column: column.to_string(), raw: raw.into(), reason, detail: None }
    }

    pub fn with_detail(mut self, detail: impl Into<String>) -> Finding {
        self.detail = Some(detail.into());
        self
    }
}
