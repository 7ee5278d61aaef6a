//! mutasi: measures whether civil-servant transfers (mutasi, rotasi, promosi) changed people's
//! performance and the service quality of the units they joined.
//!
//! Data flows one way (`docs/architecture.md`): [`ingest`] reads and normalises exports with the
//! help of [`normalize`] and [`schema`]; [`validate`] checks across tables and reconciles row
//! counts; [`output`] writes canonical tables through the Polars-only [`data`] layer. [`sample`]
//! generates synthetic exports with planted effects; [`cli`] wires it together.

pub mod cli;
pub mod config;
pub mod data;
pub mod estimate;
pub mod ingest;
pub mod logging;
pub mod model;
pub mod movement;
pub mod normalize;
pub mod output;
pub mod pipeline;
pub mod privacy;
pub mod queries;
pub mod report;
pub mod requests;
pub mod sample;
pub mod schema;
pub mod service;
pub mod stats;
pub mod summary;
pub mod validate;
pub mod workers;
