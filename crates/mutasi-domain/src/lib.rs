//! The ASN domain on plain data: the canonical tables and their columns (`schema`), canonical rows
//! with provenance (`model`), normalisers of Indonesian export values (`normalize`), the reasons a
//! row is rejected or warned about (`reason`, `Finding`), the user's configuration file (`config`)
//! and the rules regulations fix: the IKM formula and mutu intervals (`ikm`), tenure and blackout
//! windows (`tenure`), small-cell suppression (`suppress`) and the unit treatments
//! (`unit_analysis`).
//!
//! No file formats and no Polars: every rule here is unit-tested on strings and numbers. Depends
//! only on `mutasi-stats` (for the comparison-group choice the config names).

pub mod config;
pub mod finding;
pub mod ikm;
pub mod model;
pub mod normalize;
pub mod reason;
pub mod schema;
pub mod suppress;
pub mod tenure;
pub mod unit_analysis;

pub use finding::Finding;
