//! Setting a worker up, whatever its role: the tokenizer and the embedding
//! model it holds, and its memory.

use serde::{Deserialize, Serialize};

/// Load a tokenizer from a `tokenizer.json`.
#[derive(Debug, Serialize, Deserialize)]
pub struct LoadTokenizer {
    pub name: String,
    #[serde(with = "serde_bytes")]
    pub json: Vec<u8>,
}

/// Load the static embedding model (its table and `tokenizer.json`).
#[derive(Debug, Serialize, Deserialize)]
pub struct LoadModel {
    #[serde(with = "serde_bytes")]
    pub safetensors: Vec<u8>,
    #[serde(with = "serde_bytes")]
    pub tokenizer: Vec<u8>,
}

/// The bytes of the worker's WebAssembly memory (it only grows, so this is
/// its peak).
#[derive(Debug, Serialize, Deserialize)]
pub struct Memory;

super::role!(Setup {
    load_tokenizer: LoadTokenizer => (),
    load_model: LoadModel => (),
    memory: Memory => f64,
});
