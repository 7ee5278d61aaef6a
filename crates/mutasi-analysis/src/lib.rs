//! The analyses of validated tables: staggered DiD estimates and event studies of employees
//! (`estimate`), every analysis of a month for every outcome and subgroup (`analyses`), movement
//! accounting (`movement`), the transfer-request process (`requests`), unit service quality and
//! unit effects (`service`), and the analysts' SQL marts (`queries`).
//!
//! A new descriptive table goes here, as a query on the validated tables; its chart goes in
//! `mutasi-report`. Depends on `mutasi-io`, `mutasi-domain` and `mutasi-stats`.

pub mod analyses;
pub mod descriptive;
pub mod error;
pub mod estimate;
pub mod movement;
pub mod queries;
pub mod requests;
pub mod service;
