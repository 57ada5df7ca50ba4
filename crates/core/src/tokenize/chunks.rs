//! BERT-style pipelines (`BertNormalizer` with `clean_text`, then
//! `BertPreTokenizer`) never join what whitespace separates: the normaliser
//! works character by character (cleaning, CJK padding, accents, case) and
//! the pre-tokenizer splits at every space. So a text's ids are its
//! whitespace-separated chunks' ids in order, and the word cache can keep
//! chunk → ids, running the library only on a new chunk.
//!
//! "Whitespace" is the pre-tokenizer's (Unicode `White_Space`) less what
//! `clean_text` deletes as control characters first (U+000B, U+000C, U+0085):
//! those join their neighbours. Tests check the result against the full
//! encode on random text.

use super::split::AddedTokens;
use serde_json::Value;
use tokenizers::Tokenizer;

/// Splits texts into chunks the pipeline tokenizes independently.
#[derive(Debug, Clone)]
pub(super) struct WhitespaceChunks {
    added: AddedTokens,
}

impl WhitespaceChunks {
    /// The chunking for `tokenizer`, when its pipeline is the BERT one.
    pub(super) fn detect(tokenizer: &Tokenizer) -> Option<Self> {
        let normalizer = serde_json::to_value(tokenizer.get_normalizer()?).ok()?;
        let pre = serde_json::to_value(tokenizer.get_pre_tokenizer()?).ok()?;
        let bert = normalizer["type"] == "BertNormalizer"
            && normalizer["clean_text"] == Value::Bool(true)
            && pre["type"] == "BertPreTokenizer";
        if !bert {
            return None;
        }
        Some(Self {
            added: AddedTokens::of(tokenizer, true)?,
        })
    }

    /// Calls `each` with every chunk of `text` in order, or returns `false`
    /// without calling it when `text` holds an added token.
    pub(super) fn for_each(&self, text: &str, mut each: impl FnMut(&str)) -> bool {
        if self.added.occur_in(text) {
            return false;
        }
        text.split(separates)
            .filter(|chunk| !chunk.is_empty())
            .for_each(&mut each);
        true
    }
}

/// Whether `c` separates chunks (see the module docs).
fn separates(c: char) -> bool {
    c.is_whitespace() && !matches!(c, '\u{b}' | '\u{c}' | '\u{85}')
}

#[cfg(test)]
mod tests {
    use crate::tokenize::TokenCounter;
    use proptest::prelude::*;
    use std::sync::OnceLock;

    const BERT_JSON: &[u8] = include_bytes!(
        "../../../../assets/tokenizers/bert-wordpiece-all-minilm-l6-v2/tokenizer.json"
    );

    /// Whitespace of every kind (and the control characters `clean_text`
    /// deletes), cased letters with and without accents, combining marks,
    /// CJK (padded by the normaliser), punctuation, format characters, emoji.
    const ALPHABET: &[char] = &[
        ' ', ' ', ' ', '\n', '\r', '\t', '\u{b}', '\u{c}', '\u{85}', '\u{a0}', '\u{2003}',
        '\u{3000}', 'a', 'B', 'x', 'É', 'é', 'Σ', 'ς', 'İ', 'ß', '\u{301}', '\u{308}', '日', '本',
        '1', '٣', '!', '.', '\'', '-', '#', '\u{200b}', '\u{200d}', '\u{feff}', '\u{fffd}',
        '\u{0}', '\u{1}', '🦀',
    ];

    fn counter() -> &'static TokenCounter {
        static COUNTER: OnceLock<TokenCounter> = OnceLock::new();
        COUNTER.get_or_init(|| TokenCounter::from_json(BERT_JSON).unwrap())
    }

    #[test]
    fn bert_chunks_and_byte_level_does_not() {
        assert!(counter().splits_fast());
        let gpt2 =
            include_bytes!("../../../../assets/tokenizers/gpt2-bytelevel-bpe/tokenizer.json");
        let tokenizer = tokenizers::Tokenizer::from_bytes(gpt2).unwrap();
        assert!(super::WhitespaceChunks::detect(&tokenizer).is_none());
    }

    #[test]
    fn deleted_controls_join_their_neighbours() {
        for text in [
            "a\u{85}b",
            "a\u{b}b c",
            "x\u{c}\u{301}y",
            "日本 語",
            "[CLS] a",
        ] {
            assert_eq!(
                counter().ids(text).unwrap(),
                counter().encode_ids(text).unwrap()
            );
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]

        #[test]
        fn chunked_ids_equal_the_full_encode(
            pieces in prop::collection::vec(prop_oneof![
                8 => prop::sample::select(ALPHABET).prop_map(String::from),
                // Added tokens, which the library splits off first.
                1 => prop::sample::select(vec!["[SEP]", "[CLS]", "[MASK]", "[SE"])
                    .prop_map(String::from),
            ], 0..40),
        ) {
            let text: String = pieces.concat();
            let want = counter().encode_ids(&text).unwrap();
            prop_assert_eq!(counter().ids(&text).unwrap(), want.clone());
            prop_assert_eq!(counter().count(&text).unwrap(), want.len());
        }
    }
}
