//! Descriptive tables as Polars `LazyFrame` queries over the validated tables: group-bys, joins
//! and windows, written with Polars' writer (`mutasi_io::data::frame`). A new descriptive table
//! is one module here, called from `analyses::run`, with a test on hand-worked rows.
//!
//! Small-cell suppression of their counts follows `mutasi_domain::suppress`: the rule works on
//! plain slices taken from the frame's columns, and the frame applies the flags.

pub mod monthly;
pub mod units;
