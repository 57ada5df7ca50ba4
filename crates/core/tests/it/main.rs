//! The engine's integration tests, one binary (see ARCHITECTURE.md).
//! Oracle tests compare the engine with independent Python packages.

mod demo;
mod entropy;
mod oracle;
mod stats;
mod tokens;
