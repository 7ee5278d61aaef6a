//! One problem found in one input row, with where it was found and why: what every reader, check
//! and output of rejects shares.

use crate::model::Prov;
use crate::reason::Reason;

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
