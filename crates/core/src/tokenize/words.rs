//! The word cache behind `TokenCounter::count` and `TokenCounter::ids`:
//! pre-tokenized word → the ids the model gives it.

use super::chunks::WhitespaceChunks;
use super::split::{to_byte_alphabet, ByteLevelWords};
use crate::{Error, Result};
use rustc_hash::FxHashMap;
use std::sync::Mutex;
use tokenizers::{
    Model, ModelWrapper, OffsetReferential, OffsetType, PreTokenizedString, PreTokenizer, Tokenizer,
};

/// Words beyond this many are tokenized but not remembered (bounds memory).
const CAPACITY: usize = 1 << 20;

/// Longer words or chunks of the fast split are not remembered: they rarely
/// come again (a URL, base64, CJK text without spaces) and would fill the
/// cache. A long chunk's words are still cached one by one.
const RAW_KEY_LIMIT: usize = 64;

/// The ids of the words seen so far.
pub(super) struct WordCache {
    /// The faster split, when the tokenizer's pipeline allows it.
    fast: Option<Fast>,
    words: Mutex<Words>,
}

/// Where texts are split without the library's `PreTokenizedString`.
#[derive(Clone)]
enum Fast {
    /// Byte-level BPE: words, cached by their text.
    ByteLevel(ByteLevelWords),
    /// BERT: whitespace-separated chunks, cached by their text.
    Chunks(WhitespaceChunks),
}

/// Each word's ids are a range of one arena: one allocation for all of them.
#[derive(Default)]
struct Words {
    /// Word as the model sees it → start and length of its ids in `ids`.
    spans: FxHashMap<String, (u32, u32)>,
    /// The same for words or chunks of the fast split, keyed by their text
    /// (before the byte alphabet or normaliser: the key spaces overlap, so
    /// they are kept apart).
    raw: FxHashMap<Box<str>, (u32, u32)>,
    ids: Vec<u32>,
}

impl Words {
    /// The cached ids of a word (or chunk) of the fast split.
    fn raw_ids(&self, word: &str) -> Option<&[u32]> {
        let &(start, len) = self.raw.get(word)?;
        Some(&self.ids[start as usize..(start + len) as usize])
    }

    /// Caches the ids of a word (or chunk) of the fast split, unless it is
    /// longer than [`RAW_KEY_LIMIT`].
    fn remember_raw(&mut self, word: &str, fresh: &[u32]) {
        if word.len() > RAW_KEY_LIMIT {
            return;
        }
        if let Some(span) = self.remember(fresh) {
            self.raw.insert(word.into(), span);
        }
    }

    /// Remembers `fresh` as a word's ids, while there is room; the start and
    /// length of its range.
    fn remember(&mut self, fresh: &[u32]) -> Option<(u32, u32)> {
        let room = self.spans.len() + self.raw.len() < CAPACITY
            && self.ids.len() + fresh.len() <= u32::MAX as usize;
        room.then(|| {
            let span = (self.ids.len() as u32, fresh.len() as u32);
            self.ids.extend_from_slice(fresh);
            span
        })
    }
}

impl WordCache {
    /// An empty cache for `tokenizer`, if its model allows one.
    pub(super) fn new(tokenizer: &Tokenizer) -> Option<Self> {
        Self::supports(tokenizer.get_model()).then(|| Self {
            fast: ByteLevelWords::detect(tokenizer)
                .map(Fast::ByteLevel)
                .or_else(|| WhitespaceChunks::detect(tokenizer).map(Fast::Chunks)),
            words: Mutex::default(),
        })
    }

    /// An empty cache with the same split.
    pub(super) fn fresh(&self) -> Self {
        Self {
            fast: self.fast.clone(),
            words: Mutex::default(),
        }
    }

    /// Whether texts are split without the library's `PreTokenizedString`.
    pub(super) fn splits_fast(&self) -> bool {
        self.fast.is_some()
    }

    /// Whether the fast split is a known pattern in the `regex` crate.
    #[cfg(test)]
    pub(super) fn is_plain(&self) -> bool {
        matches!(&self.fast, Some(Fast::ByteLevel(words)) if words.is_plain())
    }

    /// The number of words of `text` (the benchmarks' split-only figure).
    pub(super) fn word_count(&self, tokenizer: &Tokenizer, text: &str) -> Result<usize> {
        let mut words = 0;
        if let Some(Fast::ByteLevel(fast)) = &self.fast {
            if fast.for_each(text, |_| words += 1) {
                return Ok(words);
            }
        }
        Ok(split(tokenizer, text)?
            .get_splits(OffsetReferential::Normalized, OffsetType::None)
            .len())
    }

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
        let mut cache = self.words.lock().unwrap_or_else(|p| p.into_inner());
        let cache = &mut *cache;
        let mut failed = None;
        let done = match &self.fast {
            Some(Fast::ByteLevel(words)) => {
                let model = tokenizer.get_model();
                let mut mapped = String::new();
                words.for_each(text, |word| {
                    if failed.is_some() {
                        return;
                    }
                    if let Some(ids) = cache.raw_ids(word) {
                        return each(ids);
                    }
                    mapped.clear();
                    to_byte_alphabet(word, &mut mapped);
                    match model.tokenize(&mapped) {
                        Ok(tokens) => {
                            let fresh: Vec<u32> = tokens.iter().map(|t| t.id).collect();
                            cache.remember_raw(word, &fresh);
                            each(&fresh);
                        }
                        Err(e) => failed = Some(Error::Encode(e.to_string())),
                    }
                })
            }
            Some(Fast::Chunks(chunks)) => chunks.for_each(text, |chunk| {
                if failed.is_some() {
                    return;
                }
                if let Some(ids) = cache.raw_ids(chunk) {
                    return each(ids);
                }
                let mut fresh = Vec::new();
                match library_words(cache, tokenizer, chunk, |ids| fresh.extend_from_slice(ids)) {
                    Ok(()) => {
                        cache.remember_raw(chunk, &fresh);
                        each(&fresh);
                    }
                    Err(e) => failed = Some(e),
                }
            }),
            None => false,
        };
        if let Some(e) = failed {
            return Err(e);
        }
        if done {
            return Ok(());
        }
        library_words(cache, tokenizer, text, each)
    }
}

/// Calls `each` with the ids of every word of `text` as the library splits
/// it (see [`split`]), the model's output cached per word.
fn library_words(
    cache: &mut Words,
    tokenizer: &Tokenizer,
    text: &str,
    mut each: impl FnMut(&[u32]),
) -> Result<()> {
    let model = tokenizer.get_model();
    let words = split(tokenizer, text)?;
    let mut fresh = Vec::new();
    for (word, _, tokens) in words.get_splits(OffsetReferential::Normalized, OffsetType::None) {
        // An added token is already a token.
        if let Some(tokens) = tokens {
            fresh.clear();
            fresh.extend(tokens.iter().map(|t| t.id));
            each(&fresh);
            continue;
        }
        if let Some(&(start, len)) = cache.spans.get(word) {
            each(&cache.ids[start as usize..(start + len) as usize]);
            continue;
        }
        fresh.clear();
        let tokens = model
            .tokenize(word)
            .map_err(|e| Error::Encode(e.to_string()))?;
        fresh.extend(tokens.iter().map(|t| t.id));
        if let Some(span) = cache.remember(&fresh) {
            cache.spans.insert(word.to_owned(), span);
        }
        each(&fresh);
    }
    Ok(())
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
