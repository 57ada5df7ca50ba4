//! The engine's integration tests, one binary (see ARCHITECTURE.md).
//! Oracle tests compare the engine with independent Python packages.

mod dedup_datasketch;
mod dedup_exact;
mod dedup_fixtures;
mod dedup_minhash;
mod dedup_props;
mod dedup_report;
mod oracle;
