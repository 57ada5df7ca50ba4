//! Token counting with Hugging Face `tokenizers` from any `tokenizer.json`.
//!
//! [`TokenCounter::count`] gives exactly `len(Tokenizer.encode(text,
//! add_special_tokens=False).ids)` of the Python package, with padding and
//! truncation off.
//!
//! # The word cache
//!
//! `tokenizers` encodes in four steps: split off added tokens and normalise,
//! pre-tokenize into words, run the model on each word *on its own*, then
//! post-process. Without special tokens, post-processing adds no token, and the
//! model's output for a word depends on the word alone when the model is
//! deterministic (BPE without dropout, WordPiece, WordLevel). So the count of a
//! text is the sum over its pre-tokenized words of a function of the word, and
//! a cache word → count is exact; so is word → ids, the ids of the text being
//! its words' ids in order ([`TokenCounter::ids`], which the `Analyzer` uses,
//! so ingestion in the app and the CLI goes through the cache too). The
//! library still does the first two steps each time (added tokens, normaliser
//! and pre-tokenizer run as in `encode`); only the model step is cached, and
//! the `Encoding` (token strings, offsets, masks) is never built. Other models
//! (Unigram, BPE with dropout) count by a full encode
//! ([`TokenCounter::encode_ids`], also the reference the tests compare with).

mod bundled;
mod chunks;
mod split;
mod words;

pub use bundled::{BundledTokenizer, BUNDLED_TOKENIZERS};

use crate::{Error, Result};
use serde::{Deserialize, Serialize};
use tokenizers::{OffsetReferential, OffsetType, Tokenizer};
use words::WordCache;

/// Counts tokens the way `Tokenizer.encode(text, add_special_tokens=False)` does.
pub struct TokenCounter {
    tokenizer: Tokenizer,
    /// `None` when the model is not a pure function of the word.
    words: Option<WordCache>,
}

/// One token of a text: its id and the byte range of the text it came from.
///
/// Byte-level tokenizers can split one UTF-8 character into several tokens:
/// each of them then spans the whole character, so ranges may overlap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenSpan {
    pub id: u32,
    /// Start byte in the text (inclusive).
    pub start: usize,
    /// End byte in the text (exclusive).
    pub end: usize,
}

/// A run of text and the tokens that cover it, for showing token boundaries.
/// Byte-level tokenizers can split one character over several tokens: their
/// ids share one piece. Text no token covers has no id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenPiece {
    pub text: String,
    pub ids: Vec<u32>,
}

/// `text` cut at the boundaries of `spans` (as [`TokenCounter::ids_with_offsets`]
/// gives them, in order): the pieces, joined, are `text`.
pub fn token_pieces(text: &str, spans: &[TokenSpan]) -> Vec<TokenPiece> {
    let mut pieces: Vec<TokenPiece> = Vec::new();
    let mut at = 0usize;
    for span in spans {
        let (start, end) = (span.start.min(text.len()), span.end.min(text.len()));
        // A token inside (or on) what is already cut joins the last piece.
        if end <= at || !text.is_char_boundary(start) || !text.is_char_boundary(end) {
            if let Some(last) = pieces.last_mut() {
                last.ids.push(span.id);
            }
            continue;
        }
        let start = start.max(at);
        if start > at {
            pieces.push(TokenPiece {
                text: text[at..start].to_string(),
                ids: Vec::new(),
            });
        }
        pieces.push(TokenPiece {
            text: text[start..end].to_string(),
            ids: vec![span.id],
        });
        at = end;
    }
    if at < text.len() {
        pieces.push(TokenPiece {
            text: text[at..].to_string(),
            ids: Vec::new(),
        });
    }
    pieces
}

impl TokenCounter {
    /// Loads a tokenizer from the bytes of a `tokenizer.json`.
    ///
    /// Padding and truncation are switched off: some files (BERT, MiniLM) ship
    /// with both set to 128, which would make every count 128. Bytes that are
    /// not a tokenizer give [`Error::Tokenizer`], never a panic.
    pub fn from_json(bytes: &[u8]) -> Result<Self> {
        Self::load(bytes).map_err(|e| Error::Tokenizer(format!("not a valid tokenizer.json ({e})")))
    }

    /// Like [`TokenCounter::from_json`], naming the file `name` in the error.
    pub fn from_named_json(name: &str, bytes: &[u8]) -> Result<Self> {
        Self::load(bytes)
            .map_err(|e| Error::Tokenizer(format!("{name} is not a valid tokenizer.json ({e})")))
    }

    fn load(bytes: &[u8]) -> std::result::Result<Self, String> {
        // `tokenizers` panics on some input its deserializers cannot take
        // (they unwrap a parse result): check first what they would unwrap.
        // The syntax, every string included (an escaped lone surrogate
        // fails inside the decoder section)...
        let value: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| e.to_string())?;
        // ...a top-level object with a model (else `tokenizers` reports
        // some field it met first, which says nothing)...
        let Some(top) = value.as_object() else {
            return Err("its top level is not a JSON object".into());
        };
        if !top.contains_key("model") {
            let mut names: Vec<&str> = top.keys().take(5).map(String::as_str).collect();
            if top.len() > names.len() {
                names.push("…");
            }
            return Err(if names.is_empty() {
                "it has no \"model\" field: it is an empty object".into()
            } else {
                format!(
                    "it has no \"model\" field; its fields are: {}",
                    names.join(", ")
                )
            });
        }
        // ...and each precompiled normalizer's character map.
        check_precompiled(&value)?;
        let mut tokenizer = Tokenizer::from_bytes(bytes).map_err(|e| e.to_string())?;
        tokenizer.with_padding(None);
        tokenizer.with_truncation(None).map_err(|e| e.to_string())?;
        let words = WordCache::new(&tokenizer);
        Ok(Self { tokenizer, words })
    }

    /// The ids of `text`, without special tokens.
    ///
    /// Uses the word cache when it is exact (see the module docs), else a full encode.
    pub fn ids(&self, text: &str) -> Result<Vec<u32>> {
        match &self.words {
            Some(words) => words.ids(&self.tokenizer, text),
            None => self.encode_ids(text),
        }
    }

    /// The ids of `text` by a full encode, without the word cache: what
    /// [`TokenCounter::ids`] and [`TokenCounter::count`] are tested against.
    pub fn encode_ids(&self, text: &str) -> Result<Vec<u32>> {
        let encoding = self
            .tokenizer
            .encode_fast(text, false)
            .map_err(|e| Error::Encode(e.to_string()))?;
        Ok(encoding.get_ids().to_vec())
    }

    /// The tokens of `text` with the byte range each covers, without special tokens.
    pub fn ids_with_offsets(&self, text: &str) -> Result<Vec<TokenSpan>> {
        let encoding = self
            .tokenizer
            .encode(text, false)
            .map_err(|e| Error::Encode(e.to_string()))?;
        Ok(encoding
            .get_ids()
            .iter()
            .zip(encoding.get_offsets())
            .map(|(&id, &(start, end))| TokenSpan { id, start, end })
            .collect())
    }

    /// The number of tokens in `text`, without special tokens.
    ///
    /// Uses the word cache when it is exact (see the module docs), else a full encode.
    pub fn count(&self, text: &str) -> Result<usize> {
        match &self.words {
            Some(words) => words.count(&self.tokenizer, text),
            None => Ok(self.encode_ids(text)?.len()),
        }
    }

    /// The number of words `text` is split into before the model runs (added
    /// tokens, normaliser, pre-tokenizer): the part of [`TokenCounter::count`]
    /// the word cache cannot skip, timed on its own by the benchmarks.
    pub fn words(&self, text: &str) -> Result<usize> {
        match &self.words {
            Some(words) => words.word_count(&self.tokenizer, text),
            None => Ok(words::split(&self.tokenizer, text)?
                .get_splits(OffsetReferential::Normalized, OffsetType::None)
                .len()),
        }
    }

    /// Whether the word cache splits texts itself (a byte-level BPE or BERT
    /// pipeline it reproduces, see `tokenize/split.rs` and `chunks.rs`)
    /// rather than through the library.
    pub fn splits_fast(&self) -> bool {
        self.words.as_ref().is_some_and(WordCache::splits_fast)
    }

    /// Whether [`TokenCounter::count`] uses the word cache for this tokenizer.
    pub fn caches_words(&self) -> bool {
        self.words.is_some()
    }
}

/// Fails on a `Precompiled` normalizer anywhere in `value` that `tokenizers`
/// could not build (it panics on those instead of failing).
fn check_precompiled(value: &serde_json::Value) -> std::result::Result<(), String> {
    use serde_json::Value;
    match value {
        Value::Object(map) => {
            if map.get("type").and_then(Value::as_str) == Some("Precompiled") {
                serde_json::from_value::<tokenizers::normalizers::Precompiled>(value.clone())
                    .map_err(|e| format!("a Precompiled normalizer is invalid: {e}"))?;
            }
            map.values().try_for_each(check_precompiled)
        }
        Value::Array(items) => items.iter().try_for_each(check_precompiled),
        _ => Ok(()),
    }
}

impl Clone for TokenCounter {
    /// A counter over the same tokenizer with a fresh (empty) word cache, for
    /// another worker.
    fn clone(&self) -> Self {
        Self {
            tokenizer: self.tokenizer.clone(),
            words: self.words.as_ref().map(WordCache::fresh),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GPT2: &[u8] =
        include_bytes!("../../../assets/tokenizers/gpt2-bytelevel-bpe/tokenizer.json");

    #[test]
    fn not_a_tokenizer_is_an_error() {
        for bytes in [&b""[..], b"hello", b"{}", b"{\"model\": 3}", &GPT2[..1000]] {
            let err = TokenCounter::from_json(bytes).err().expect("must fail");
            assert!(
                err.to_string()
                    .starts_with("cannot load tokenizer: not a valid tokenizer.json"),
                "{err}"
            );
        }
    }

    #[test]
    fn cached_count_equals_full_encode() {
        let counter = TokenCounter::from_json(GPT2).unwrap();
        assert!(counter.caches_words());
        for text in [
            "",
            " ",
            "Hello world, hello world!",
            "ünïcödé — 日本語 🦀🦀",
            "a<|endoftext|>b <|endoftext|>",
            "  \n\n\tindented\r\n",
        ] {
            // Twice: the second time from the cache.
            for _ in 0..2 {
                let full = counter.encode_ids(text).unwrap();
                assert_eq!(counter.count(text).unwrap(), full.len());
                assert_eq!(counter.ids(text).unwrap(), full);
            }
        }
    }

    #[test]
    fn offsets_cover_the_tokens() {
        let counter = TokenCounter::from_json(GPT2).unwrap();
        let text = "Hello, wörld!";
        let spans = counter.ids_with_offsets(text).unwrap();
        let ids: Vec<u32> = spans.iter().map(|s| s.id).collect();
        assert_eq!(ids, counter.ids(text).unwrap());
        let pieces: Vec<&str> = spans.iter().map(|s| &text[s.start..s.end]).collect();
        // As Python `tokenizers` gives (char offsets there, bytes here).
        assert_eq!(pieces, ["Hello", ",", " w", "ör", "ld", "!"]);
    }
}
