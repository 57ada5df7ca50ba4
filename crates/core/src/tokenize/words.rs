//! The word cache behind `TokenCounter::count` and `TokenCounter::ids`:
//! pre-tokenized word → the ids the model gives it.

use crate::{Error, Result};
use std::collections::HashMap;
use std::sync::Mutex;
use tokenizers::{
    Model, ModelWrapper, OffsetReferential, OffsetType, PreTokenizedString, PreTokenizer, Tokenizer,
};

/// Words beyond this many are tokenized but not remembered (bounds memory).
const CAPACITY: usize = 1 << 20;

/// The ids of the words seen so far.
#[derive(Default)]
pub(super) struct WordCache {
    words: Mutex<Words>,
}

/// Each word's ids are a range of one arena: one allocation for all of them.
#[derive(Default)]
struct Words {
    /// Word → start and length of its ids in `ids`.
    spans: HashMap<String, (u32, u32)>,
    ids: Vec<u32>,
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
        let mut total = 0;
        self.each_word(tokenizer, text, |ids| total += ids.len())?;
        Ok(total)
    }

    /// The ids of `text`, as `tokenizer.encode(text, false)` gives them.
    pub(super) fn ids(&self, tokenizer: &Tokenizer, text: &str) -> Result<Vec<u32>> {
        let mut all = Vec::with_capacity(text.len() / 3);
        self.each_word(tokenizer, text, |ids| all.extend_from_slice(ids))?;
        Ok(all)
    }

    /// Calls `each` with the ids of every word of `text`, in order.
    fn each_word(
        &self,
        tokenizer: &Tokenizer,
        text: &str,
        mut each: impl FnMut(&[u32]),
    ) -> Result<()> {
        let words = split(tokenizer, text)?;
        let model = tokenizer.get_model();
        let mut cache = self.words.lock().unwrap_or_else(|p| p.into_inner());
        let Words { spans, ids } = &mut *cache;
        let mut fresh = Vec::new();
        for (word, _, tokens) in words.get_splits(OffsetReferential::Normalized, OffsetType::None) {
            // An added token is already a token.
            if let Some(tokens) = tokens {
                fresh.clear();
                fresh.extend(tokens.iter().map(|t| t.id));
                each(&fresh);
                continue;
            }
            if let Some(&(start, len)) = spans.get(word) {
                each(&ids[start as usize..(start + len) as usize]);
                continue;
            }
            fresh.clear();
            let tokens = model
                .tokenize(word)
                .map_err(|e| Error::Encode(e.to_string()))?;
            fresh.extend(tokens.iter().map(|t| t.id));
            if spans.len() < CAPACITY && ids.len() + fresh.len() <= u32::MAX as usize {
                spans.insert(word.to_owned(), (ids.len() as u32, fresh.len() as u32));
                ids.extend_from_slice(&fresh);
            }
            each(&fresh);
        }
        Ok(())
    }
}

/// `text` split as `encode` splits it before the model: added tokens and
/// normaliser, then pre-tokenizer.
pub(super) fn split(tokenizer: &Tokenizer, text: &str) -> Result<PreTokenizedString> {
    let mut words = tokenizer
        .get_added_vocabulary()
        .extract_and_normalize(tokenizer.get_normalizer(), text);
    if let Some(pre_tokenizer) = tokenizer.get_pre_tokenizer() {
        pre_tokenizer
            .pre_tokenize(&mut words)
            .map_err(|e| Error::Encode(e.to_string()))?;
    }
    Ok(words)
}
