//! The single integration-test binary (one binary links Polars once).
//!
//! Modules by area: the CLI contract (`cli`), accepted format quirks (`formats`), every reject
//! reason (`rejects`), row reconciliation on messy and generated data (`reconcile`), the
//! generator (`sample`), interval coverage over 200 generated datasets (`coverage`), and Parquet interoperability with the Apache `arrow`/`parquet` crates
//! (`interop`).

mod cli;
mod coverage;
mod estimate;
mod formats;
mod interop;
mod movement;
mod reconcile;
mod rejects;
mod report;
mod run;
mod sample;
mod schedule;
mod util;
