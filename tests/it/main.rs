//! The single integration-test binary (one binary links Polars once).
//!
//! Modules by area: the CLI contract (`cli`), the bad-input catalogue (`bad_inputs`), accepted
//! format quirks (`formats`), every reject reason (`rejects`), row reconciliation on messy and
//! generated data (`reconcile`), the generator (`sample`), interval coverage over 200 generated
//! datasets (`coverage`), Parquet interoperability with the Apache `arrow`/`parquet` crates
//! (`interop`), real-layout exports of SIASN, SIMPEG, e-Kinerja and survey tools (`real_exports`),
//! the monthly run (`run`, `movement`), the report in a headless browser (`report`)
//! and unattended scheduled runs (`schedule`).

mod bad_inputs;
mod bench;
mod cli;
mod columns;
mod coverage;
mod estimate;
mod formats;
mod interop;
mod layers;
mod movement;
mod properties;
mod real_exports;
mod reconcile;
mod rejects;
mod report;
mod run;
mod sample;
mod scale;
mod schedule;
mod util;
