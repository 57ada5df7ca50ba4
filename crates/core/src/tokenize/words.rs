//! The word cache behind `TokenCounter::count`: pre-tokenized word → token count.

use crate::{Error, Result};
use std::collections::HashMap;
use std::sync::Mutex;
use tokenizers::{Model, ModelWrapper, OffsetReferential, OffsetType, PreTokenizer, Tokenizer};

/// Words beyond this many are counted but not remembered (bounds memory).
const CAPACITY: usize = 1 << 20;

/// Token counts of the words seen so far.
#[derive(Default)]
pub(super) struct WordCache {
    counts: Mutex<HashMap<String, u32>>,
}

impl WordCache {
    /// Whether `model` tokenizes a word as a pure function of the word.
    pub(super) fn supports(model: &ModelWrapper) -> bool {
        match model {
            ModelWrapper::BPE(bpe) => bpe.dropout.is_none(),
            ModelWrapper::WordPiece(_) | ModelWrapper::WordLevel(_) => true,
            ModelWrapper::Unigram(_) => false,
        }
    }

    /// The number of tokens of `text`, as `tokenizer.encode(text, false)` gives.
    pub(super) fn count(&self, tokenizer: &Tokenizer, text: &str) -> Result<usize> {
        let encode = |e: tokenizers::Error| Error::Encode(e.to_string());
        // Added tokens and normaliser, then pre-tokenizer: as in `encode`.
        let mut words = tokenizer
            .get_added_vocabulary()
            .extract_and_normalize(tokenizer.get_normalizer(), text);
        if let Some(pre_tokenizer) = tokenizer.get_pre_tokenizer() {
            pre_tokenizer.pre_tokenize(&mut words).map_err(encode)?;
        }
        let model = tokenizer.get_model();
        let mut counts = self.counts.lock().unwrap_or_else(|p| p.into_inner());
        let mut total = 0;
        for (word, _, tokens) in words.get_splits(OffsetReferential::Normalized, OffsetType::None) {
            // An added token is already a token.
            if let Some(tokens) = tokens {
                total += tokens.len();
                continue;
            }
            let n = match counts.get(word) {
                Some(&n) => n as usize,
                None => {
                    let n = model.tokenize(word).map_err(encode)?.len();
                    if counts.len() < CAPACITY {
                        counts.insert(word.to_owned(), n as u32);
                    }
                    n
                }
            };
            total += n;
        }
        Ok(total)
    }
}
