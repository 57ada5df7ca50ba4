//! The in-browser benchmarks, timed inside the worker.

use serde::{Deserialize, Serialize};

/// Benchmark figures of `kind` (`vectors`: synthetic vectors of these
/// sizes; `tokenize`, `minhash`: the JSONL `corpus` with `tokenizers`), as
/// the JSON the benchmark page prints.
#[derive(Debug, Serialize, Deserialize)]
pub struct Bench {
    pub kind: String,
    pub sizes: Vec<u32>,
    #[serde(with = "serde_bytes")]
    pub corpus: Vec<u8>,
    /// Name and `tokenizer.json` of each tokenizer.
    pub tokenizers: Vec<(String, String)>,
}

super::role!(Benchmark {
    bench: Bench => String,
});
