//! The engine's integration tests, one binary (see ARCHITECTURE.md).
//! Oracle tests compare the engine with independent Python packages.
//! Native only: they start Python processes, which wasm32 cannot.
#![cfg(not(target_arch = "wasm32"))]

mod bad_input;
mod chat;
mod containers;
mod dedup_datasketch;
mod dedup_exact;
mod dedup_fixtures;
mod dedup_minhash;
mod dedup_props;
mod dedup_report;
mod dedup_schemes;
mod demo;
mod entropy;
mod formats;
mod fuzz_findings;
mod oracle;
mod parquet;
mod quality;
mod report;
mod search;
mod slice;
mod stats;
mod tokens;
mod vectors;
