//! Validation: what is wrong with a row, and the checks that span tables.
//!
//! Row-level checks happen while loading ([`crate::ingest`]); this module owns the reason
//! catalogue (`mutasi_domain::reason`), the finding record (`mutasi_domain::Finding`), the cross-table checks
//! ([`crosscheck`]) and the reconciliation that proves no row was lost ([`reconcile`]).

pub mod crosscheck;
pub mod reconcile;
pub mod riwayat;
