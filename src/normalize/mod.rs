//! Normalisers for the value formats Indonesian HR exports really contain.
//!
//! Each submodule turns one kind of raw text (a date, a period, a number, a NIP, a golongan, a
//! name, a rating label) into a canonical value, or explains why it cannot. They work on plain
//! strings and know nothing about files or Polars, so every quirk is unit-tested here and the
//! readers stay thin.

pub mod date;
pub mod golongan;
pub mod month;
pub mod name;
pub mod nip;
pub mod number;
pub mod period;
pub mod rating;
