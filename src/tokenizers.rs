//! The tokenizers a corpus can be counted with: bundled ones, served beside
//! the app, and `tokenizer.json` files the user dropped, kept in IndexedDB.

use crate::error::AppError;
use crate::files::fetch_bytes;
use crate::storage::Storage;

/// The tokenizers shipped in `assets/tokenizers/`: (name, label).
pub const BUNDLED: &[(&str, &str)] = &[
    ("gpt2-bytelevel-bpe", "GPT-2 (byte-level BPE)"),
    ("cl100k_base", "cl100k_base (GPT-3.5 / GPT-4)"),
    (
        "bert-wordpiece-all-minilm-l6-v2",
        "BERT uncased WordPiece (MiniLM)",
    ),
];

/// The tokenizer a new corpus uses unless the user picks another.
pub const DEFAULT: &str = "gpt2-bytelevel-bpe";

/// Whether a dropped file is meant as a tokenizer rather than data.
pub fn is_tokenizer_file(name: &str) -> bool {
    name.to_ascii_lowercase().ends_with("tokenizer.json")
}

/// The `tokenizer.json` bytes of the tokenizer called `name`.
pub async fn tokenizer_json(storage: &Storage, name: &str) -> Result<Vec<u8>, AppError> {
    if BUNDLED.iter().any(|(n, _)| *n == name) {
        return fetch_bytes(&format!("assets/tokenizers/{name}/tokenizer.json")).await;
    }
    storage
        .tokenizer(name)
        .await?
        .map(|t| t.json)
        .ok_or_else(|| AppError::Storage(format!("the tokenizer \"{name}\" is no longer stored")))
}
