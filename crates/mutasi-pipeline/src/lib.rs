//! `mutasi run` and `mutasi validate` as library calls: one month's whole pipeline into
//! `<out>/<period>/` ([`run`]) — validation ([`validation`]), gates, every analysis
//! (`mutasi_analysis::analyses`), the SQL queries and the reports (`mutasi-report`) — built in a
//! staging folder and published only when every step succeeded ([`publish`]). Errors carry
//! their kind ([`error`]); the command line maps it to the exit code.
//!
//! Data after the period are ignored, so re-running an earlier month later gives that month's
//! numbers; today's date enters only through the default period (the last complete month).

pub mod error;
pub mod gates;
pub mod lock;
pub mod manifest;
pub mod partition;
pub mod publish;
pub mod run;
pub mod scope;
pub mod spec;
pub mod stage;
pub mod validation;
