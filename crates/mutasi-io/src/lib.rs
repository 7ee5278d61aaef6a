//! Everything that touches files: finding and reading the exports (`ingest`), the checks across
//! tables and the reconciliation (`validate`), the canonical tables, rejects and summary written
//! out (`output`, `summary`), pseudonymous ids and their key (`privacy`), and Polars' Parquet and
//! SQL (`data`). Plain worker threads for partitions (`workers`).
//!
//! Depends on `mutasi-domain` (what a row means) and `mutasi-stats`; nothing here knows about the
//! analyses or the report.

pub mod data;
pub mod ingest;
pub mod output;
pub mod privacy;
pub mod summary;
pub mod validate;
pub mod workers;
