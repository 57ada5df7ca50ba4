//! Corpuscope in the browser: the Leptos app and its browser glue.
//!
//! Everything here is browser-only; natively this crate is empty so that
//! `cargo test --workspace` on the host tests the engine alone.
#![cfg(target_arch = "wasm32")]

pub mod app;
pub mod components;
pub mod dropped;
pub mod embeddings;
pub mod error;
pub mod exports;
pub mod files;
pub mod ingest;
pub mod pool;
pub mod recompute;
pub mod search;
pub mod share;
pub mod storage;
pub mod tabs;
pub mod tokenizers;
pub mod worker;
