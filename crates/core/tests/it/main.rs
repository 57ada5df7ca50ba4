//! The engine's integration tests, one binary (see ARCHITECTURE.md).
//! Oracle tests compare the engine with independent Python packages.
//! Native only: they start Python processes, which wasm32 cannot.
#![cfg(not(target_arch = "wasm32"))]

mod demo;
mod entropy;
mod oracle;
mod slice;
mod stats;
mod tokens;
