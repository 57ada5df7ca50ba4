//! Token counting with Hugging Face `tokenizers` from any `tokenizer.json`.

use crate::{Error, Result};
use tokenizers::Tokenizer;

/// Counts tokens the way `Tokenizer.encode(text, add_special_tokens=False)` does.
pub struct TokenCounter {
    tokenizer: Tokenizer,
}

impl TokenCounter {
    /// Loads a tokenizer from the bytes of a `tokenizer.json`.
    ///
    /// Padding and truncation are switched off: some files (BERT, MiniLM) ship
    /// with both set to 128, which would make every count 128.
    pub fn from_json(bytes: &[u8]) -> Result<Self> {
        let mut tokenizer =
            Tokenizer::from_bytes(bytes).map_err(|e| Error::Tokenizer(e.to_string()))?;
        tokenizer.with_padding(None);
        tokenizer
            .with_truncation(None)
            .map_err(|e| Error::Tokenizer(e.to_string()))?;
        Ok(Self { tokenizer })
    }

    /// The ids of `text`, without special tokens.
    pub fn ids(&self, text: &str) -> Result<Vec<u32>> {
        let encoding = self
            .tokenizer
            .encode_fast(text, false)
            .map_err(|e| Error::Encode(e.to_string()))?;
        Ok(encoding.get_ids().to_vec())
    }

    /// The number of tokens in `text`, without special tokens.
    pub fn count(&self, text: &str) -> Result<usize> {
        Ok(self.ids(text)?.len())
    }
}
