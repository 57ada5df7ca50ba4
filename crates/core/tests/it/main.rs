//! The engine's integration tests, one binary (see ARCHITECTURE.md).
//! Oracle tests compare the engine with independent Python packages.

mod oracle;
mod dedup_fixtures;
mod dedup_minhash;
