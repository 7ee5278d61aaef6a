//! The data layer: the only module that talks to Polars.
//!
//! It reads Parquet inputs into the reader-neutral cell view ([`parquet_in`]) and writes
//! canonical and summary tables from plain column vectors ([`table`]). Everything above it works
//! with Rust structs and slices, so statistics and validation are testable without Polars and a
//! Polars upgrade touches only this folder. Within a monthly run, repeated reads of the same file
//! are decoded once ([`cache`]).

pub mod cache;
pub mod error;
pub mod frame;
pub mod page_zstd;
pub mod parquet_in;
pub mod parquet_out;
pub mod sql;
pub mod table;

pub use polars;
