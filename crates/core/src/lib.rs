//! Corpuscope's engine: pure Rust, no browser APIs.
//!
//! Front ends (the browser app in `src/`, the CLI in `crates/cli`) feed it bytes
//! and read back documents, problems and statistics.

pub mod analyze;
pub mod benchmark;
pub mod chat;
pub mod cluster_list;
pub mod dedup;
pub mod document;
pub mod entropy;
pub mod error;
pub mod explore;
pub mod export;
pub mod ingest;
pub mod inspect;
pub mod pipeline;
pub mod progress;
pub mod quality;
pub mod remote;
pub mod report;
pub mod share;
pub mod stats;
pub mod tokenize;
pub mod vectors;

#[cfg(test)]
mod test_assets;

pub use document::{Document, Problem};
pub use error::{Error, Result};
