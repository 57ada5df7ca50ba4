//! The tokenizers a corpus can be counted with: bundled ones, served beside
//! the app, and `tokenizer.json` files the user dropped, kept in IndexedDB.

use crate::error::AppError;
use crate::files::fetch_cached_bytes;
use crate::storage::Storage;
use corpuscope_core::tokenize::BUNDLED_TOKENIZERS;

/// The tokenizer a new corpus uses unless the user picks another.
pub const DEFAULT: &str = "gpt2-bytelevel-bpe";

/// Whether a dropped file is meant as a tokenizer rather than data.
pub fn is_tokenizer_file(name: &str) -> bool {
    name.to_ascii_lowercase().ends_with("tokenizer.json")
}

/// The `tokenizer.json` bytes of the tokenizer called `name`.
pub async fn tokenizer_json(storage: &Storage, name: &str) -> Result<Vec<u8>, AppError> {
    if BUNDLED_TOKENIZERS.iter().any(|t| t.name == name) {
        return fetch_cached_bytes(&format!("assets/tokenizers/{name}/tokenizer.json")).await;
    }
    storage
        .tokenizer(name)
        .await?
        .map(|t| t.json)
        .ok_or_else(|| AppError::Storage(format!("the tokenizer \"{name}\" is no longer stored")))
}
