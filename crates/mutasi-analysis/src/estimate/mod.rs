//! `mutasi estimate`: staggered DiD on any panel file.
//!
//! Reads a long panel (one row per entity and period) from CSV or Parquet ([`input`]), runs the
//! statistics core ([`mutasi_stats`]) and writes the public outputs ([`output`]): `att_gt.parquet`,
//! `aggregates.parquet` and `estimate.json`, whose columns `docs/outputs.md` documents.

pub mod command;
pub mod fit;
pub mod hr_panel;
pub mod input;
pub mod output;
pub mod prepost;
