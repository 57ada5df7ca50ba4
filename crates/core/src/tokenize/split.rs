//! A faster way to the words `tokenizers` gives the model, for the common
//! byte-level BPE pipelines (GPT-2, cl100k, o200k, Llama 3, Qwen, …): no
//! normaliser, a regex split, the byte-to-character map.
//!
//! `tokenizers` builds a `PreTokenizedString` for that: a normalised string
//! with per-byte alignments for every word, which costs more than the regex.
//! Here the same pattern runs over the text itself and each word is a slice of
//! it: the word cache looks the slice up, and only a new word is mapped to
//! the byte alphabet and given to the model. A text that holds an added
//! token's content takes the library's path.
//!
//! The patterns have one lookaround, the `\s+(?!\S)` alternative (a
//! whitespace run, less its last character when a word follows).
//! `fancy-regex` (what `tokenizers` uses) runs it with a backtracking VM.
//! For the patterns known here, the `regex` crate runs the pattern without
//! that alternative and the rule is applied by hand ([`Plain`]), several times
//! faster; any other pattern runs in `fancy-regex` as in `tokenizers`. Tests
//! check both against `tokenizers` on random text.

use crate::{Error, Result};
use serde_json::Value;
use std::sync::OnceLock;
use tokenizers::Tokenizer;

/// GPT-2's split, built into the `ByteLevel` pre-tokenizer (`use_regex`).
const GPT2: &str = r"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

/// The lookaround alternative that [`Plain`] applies by hand.
const LOOKAHEAD: &str = r"|\s+(?!\S)|\s+";

/// Splits texts into the words `tokenizers` would give a byte-level model.
#[derive(Debug, Clone)]
pub(super) struct ByteLevelWords {
    splitter: Splitter,
    /// Keep only the pattern's matches (`Removed` with `invert`), not the text between them.
    matches_only: bool,
    /// The added tokens' contents: a text holding one is not split here.
    added: Vec<String>,
}

#[derive(Debug, Clone)]
enum Splitter {
    /// The pattern as `tokenizers` runs it.
    Fancy(fancy_regex::Regex),
    Plain(Plain),
}

/// A pattern ending in `\s+(?!\S)|\s+`, run without the lookahead.
#[derive(Debug, Clone)]
struct Plain {
    /// The pattern with `\s+(?!\S)|` removed.
    regex: regex::Regex,
    /// Whether an earlier alternative matches whitespace ending in a line
    /// break (`\s*[\r\n]+`): then only a match without a line break can come
    /// from the final `\s+`.
    line_breaks: bool,
}

impl ByteLevelWords {
    /// The fast split for `tokenizer`, when its pipeline is one this module
    /// reproduces exactly: no normaliser, and a `ByteLevel` pre-tokenizer with
    /// its regex, or a regex `Split` then `ByteLevel` without.
    pub(super) fn detect(tokenizer: &Tokenizer) -> Option<Self> {
        if tokenizer.get_normalizer().is_some() {
            return None;
        }
        let pre = serde_json::to_value(tokenizer.get_pre_tokenizer()?).ok()?;
        let (pattern, matches_only) = pattern_of(&pre)?;
        let splitter = Splitter::new(&pattern)?;
        let added: Vec<String> = tokenizer
            .get_added_tokens_decoder()
            .values()
            .map(|t| t.content.clone())
            .collect();
        if added.iter().any(String::is_empty) {
            return None;
        }
        Some(Self {
            splitter,
            matches_only,
            added,
        })
    }

    /// Calls `each` with every word of `text` in order (slices of `text`),
    /// or returns `false` without calling it when `text` holds an added
    /// token, which the library must split off first.
    pub(super) fn for_each(&self, text: &str, mut each: impl FnMut(&str)) -> Result<bool> {
        if self.added.iter().any(|t| text.contains(t.as_str())) {
            return Ok(false);
        }
        let mut at = 0;
        self.splitter.matches(text, |start, end| {
            if start > at && !self.matches_only {
                each(&text[at..start]);
            }
            each(&text[start..end]);
            at = end;
        })?;
        if at < text.len() && !self.matches_only {
            each(&text[at..]);
        }
        Ok(true)
    }

    /// Whether the split runs in the `regex` crate (a known pattern).
    #[cfg(test)]
    pub(super) fn is_plain(&self) -> bool {
        matches!(self.splitter, Splitter::Plain(_))
    }
}

/// The split pattern of a pre-tokenizer's JSON and whether only its matches
/// are kept, when it is one of the two byte-level shapes.
fn pattern_of(pre: &Value) -> Option<(String, bool)> {
    let byte_level = |v: &Value, regex: bool| {
        v["type"] == "ByteLevel"
            && v["add_prefix_space"] == false
            && v["use_regex"].as_bool().unwrap_or(true) == regex
    };
    if byte_level(pre, true) {
        return Some((GPT2.to_string(), false));
    }
    let [split, last] = pre
        .get("pretokenizers")
        .filter(|_| pre["type"] == "Sequence")?
        .as_array()?
        .as_slice()
    else {
        return None;
    };
    if split["type"] != "Split" || !byte_level(last, false) {
        return None;
    }
    let pattern = split["pattern"]["Regex"].as_str()?.to_string();
    match (split["behavior"].as_str()?, split["invert"].as_bool()?) {
        ("Isolated", _) => Some((pattern, false)),
        ("Removed", true) => Some((pattern, true)),
        _ => None,
    }
}

impl Splitter {
    fn new(pattern: &str) -> Option<Self> {
        if let Some(plain) = Plain::new(pattern) {
            return Some(Self::Plain(plain));
        }
        fancy_regex::Regex::new(pattern).ok().map(Self::Fancy)
    }

    /// Calls `each` with the byte range of every match, in order.
    fn matches(&self, text: &str, mut each: impl FnMut(usize, usize)) -> Result<()> {
        match self {
            Self::Fancy(regex) => {
                for found in regex.find_iter(text) {
                    let found = found.map_err(|e| Error::Encode(e.to_string()))?;
                    each(found.start(), found.end());
                }
            }
            Self::Plain(plain) => plain.matches(text, each),
        }
        Ok(())
    }
}

impl Plain {
    /// The known patterns: GPT-2's, and those ending like cl100k's.
    fn new(pattern: &str) -> Option<Self> {
        let known = [
            GPT2,
            r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+",
        ];
        if !known.contains(&pattern) {
            return None;
        }
        let head = pattern.strip_suffix(LOOKAHEAD)?;
        let regex = regex::Regex::new(&format!(r"{head}|\s+")).ok()?;
        Some(Self {
            regex,
            line_breaks: head.contains(r"\s*[\r\n]+"),
        })
    }

    /// The matches of the full pattern: a whitespace run from the final
    /// `\s+` that a non-space character follows gives up its last character
    /// (`\s+(?!\S)` matches one less), and the search goes on from there.
    fn matches(&self, text: &str, mut each: impl FnMut(usize, usize)) {
        let mut at = 0;
        while let Some(found) = self.regex.find_at(text, at) {
            let (start, mut end) = (found.start(), found.end());
            let run = found.as_str();
            let from_tail = run.chars().all(char::is_whitespace)
                && !(self.line_breaks && run.contains(['\r', '\n']));
            if from_tail && end < text.len() {
                if let Some((last, _)) = run.char_indices().last().filter(|&(i, _)| i > 0) {
                    end = start + last;
                }
            }
            each(start, end);
            at = end;
        }
    }
}

/// Appends `word`'s bytes in GPT-2's byte alphabet (each byte one character:
/// printable Latin-1 bytes stand for themselves, the others for 256 + n in
/// order), as the `ByteLevel` pre-tokenizer gives them to the model.
pub(super) fn to_byte_alphabet(word: &str, out: &mut String) {
    static ALPHABET: OnceLock<[char; 256]> = OnceLock::new();
    let alphabet = ALPHABET.get_or_init(|| {
        let printable = |b: u8| matches!(b, b'!'..=b'~' | 0xA1..=0xAC | 0xAE..=0xFF);
        let mut chars = ['\0'; 256];
        let mut next = 256;
        for byte in 0..=255u8 {
            chars[byte as usize] = if printable(byte) {
                char::from(byte)
            } else {
                next += 1;
                char::from_u32(next - 1).expect("below 512")
            };
        }
        chars
    });
    out.extend(word.bytes().map(|b| alphabet[b as usize]));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tokenize::TokenCounter;
    use proptest::prelude::*;

    const GPT2_JSON: &[u8] =
        include_bytes!("../../../../assets/tokenizers/gpt2-bytelevel-bpe/tokenizer.json");
    const CL100K_JSON: &[u8] =
        include_bytes!("../../../../assets/tokenizers/cl100k_base/tokenizer.json");

    /// Characters on every side of the patterns' classes: spaces and line
    /// breaks of several kinds, letters of several cases and scripts, digits,
    /// marks, apostrophes and contraction letters, punctuation, emoji.
    const ALPHABET: &[char] = &[
        ' ', ' ', ' ', '\n', '\n', '\r', '\t', '\u{a0}', '\u{2003}', '\u{3000}', 'a', 'B', 's',
        't', 'l', 'L', 'v', 'e', 'r', 'm', 'd', 'é', 'ß', 'Σ', '日', 'ǅ', '1', '7', '٣', '½', '\'',
        '\'', '!', '.', ',', '-', '_', '$', '🦀', '\u{301}', '\u{200d}', '\u{0}',
    ];

    fn text() -> impl Strategy<Value = String> {
        prop::collection::vec(prop::sample::select(ALPHABET), 0..48)
            .prop_map(|chars| chars.into_iter().collect())
    }

    fn fancy_matches(pattern: &str, text: &str) -> Vec<(usize, usize)> {
        fancy_regex::Regex::new(pattern)
            .unwrap()
            .find_iter(text)
            .map(|m| m.map(|m| (m.start(), m.end())).unwrap())
            .collect()
    }

    fn plain_matches(pattern: &str, text: &str) -> Vec<(usize, usize)> {
        let mut found = Vec::new();
        Plain::new(pattern)
            .expect("a known pattern")
            .matches(text, |s, e| found.push((s, e)));
        found
    }

    fn cl100k_pattern() -> &'static str {
        static PATTERN: OnceLock<String> = OnceLock::new();
        PATTERN.get_or_init(|| {
            let tokenizer = Tokenizer::from_bytes(CL100K_JSON).unwrap();
            let pre = serde_json::to_value(tokenizer.get_pre_tokenizer().unwrap()).unwrap();
            pattern_of(&pre).unwrap().0
        })
    }

    /// GPT-2's and cl100k's counters, loaded once (each case uses their caches).
    fn counters() -> &'static [TokenCounter; 2] {
        static COUNTERS: OnceLock<[TokenCounter; 2]> = OnceLock::new();
        COUNTERS.get_or_init(|| {
            [GPT2_JSON, CL100K_JSON].map(|json| TokenCounter::from_json(json).unwrap())
        })
    }

    #[test]
    fn both_bundled_byte_level_tokenizers_split_fast() {
        for json in [GPT2_JSON, CL100K_JSON] {
            let tokenizer = Tokenizer::from_bytes(json).unwrap();
            assert!(ByteLevelWords::detect(&tokenizer).unwrap().is_plain());
        }
        let bert = include_bytes!(
            "../../../../assets/tokenizers/bert-wordpiece-all-minilm-l6-v2/tokenizer.json"
        );
        assert!(ByteLevelWords::detect(&Tokenizer::from_bytes(bert).unwrap()).is_none());
    }

    #[test]
    fn the_byte_alphabet_is_gpt2s() {
        let mut out = String::new();
        to_byte_alphabet(" \n!\u{ad}\u{ff}", &mut out);
        // Bytes 0..=32 are the first unprintable ones (256 + b), then
        // 127..=160, then 0xAD (256 + 67); U+00AD is C2 AD, U+00FF is C3 BF.
        assert_eq!(out, "\u{120}\u{10a}!\u{c2}\u{143}\u{c3}\u{bf}");
    }

    #[test]
    fn whitespace_before_words_matches_the_lookahead() {
        for text in [
            "a  b",
            "a \n b",
            "a\n\nb",
            "  ",
            "x   ",
            " \t\u{a0}é",
            "\r\n  x",
        ] {
            assert_eq!(
                plain_matches(GPT2, text),
                fancy_matches(GPT2, text),
                "{text:?}"
            );
            let cl = cl100k_pattern();
            assert_eq!(plain_matches(cl, text), fancy_matches(cl, text), "{text:?}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn plain_gpt2_equals_fancy_regex(text in text()) {
            prop_assert_eq!(plain_matches(GPT2, &text), fancy_matches(GPT2, &text));
        }

        #[test]
        fn plain_cl100k_equals_fancy_regex(text in text()) {
            let pattern = cl100k_pattern();
            prop_assert_eq!(plain_matches(pattern, &text), fancy_matches(pattern, &text));
        }

        #[test]
        fn fast_ids_equal_the_full_encode(text in text()) {
            for counter in counters() {
                prop_assert!(counter.splits_fast());
                let want = counter.encode_ids(&text).unwrap();
                // The cache is shared by all cases: words come from it too.
                prop_assert_eq!(counter.ids(&text).unwrap(), want.clone());
                prop_assert_eq!(counter.count(&text).unwrap(), want.len());
            }
        }
    }
}
