//! mutasi: measures whether civil-servant transfers (mutasi, rotasi, promosi) changed people's
//! performance and the service quality of the units they joined.
//!
//! This crate is the command line only (`cli`, `logging`); the work is done by the workspace's
//! library crates, layered one way (`docs/architecture.md`): `mutasi-stats` → `mutasi-domain` →
//! `mutasi-io` → `mutasi-analysis` → `mutasi-report` → `mutasi-pipeline`, with `mutasi-sample`
//! beside the pipeline.

pub mod cli;
pub mod logging;
