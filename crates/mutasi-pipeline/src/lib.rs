//! `mutasi run`: one month's whole pipeline into `<out>/<period>/` — validation, then the
//! analyses ([`analyses`]) — built in a staging folder and published only when every step
//! succeeded ([`publish`]).
//!
//! Data after the period are ignored, so re-running an earlier month later gives that month's
//! numbers; today's date enters only through the default period (the last complete month).

pub mod gates;
pub mod lock;
pub mod manifest;
pub mod partition;
pub mod publish;
pub mod scope;
pub mod spec;
