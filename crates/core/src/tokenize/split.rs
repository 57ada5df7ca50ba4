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

use aho_corasick::AhoCorasick;
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
    added: AddedTokens,
}

/// The added tokens' contents, found in one pass: a text holding one is
/// left to the library, which splits them off first.
#[derive(Debug, Clone)]
pub(super) struct AddedTokens(Option<AhoCorasick>);

impl AddedTokens {
    /// The added tokens of `tokenizer`; `None` when one is empty, or when
    /// `split_by_whitespace` and one with `normalized` set holds whitespace or a
    /// character the normaliser may turn into whitespace (anything but ASCII):
    /// the library would then match it across what the fast path cuts apart.
    pub(super) fn of(tokenizer: &Tokenizer, split_by_whitespace: bool) -> Option<Self> {
        let tokens: Vec<_> = tokenizer.get_added_tokens_decoder().into_values().collect();
        let unsafe_token = |t: &tokenizers::AddedToken| {
            t.content.is_empty()
                || (split_by_whitespace
                    && t.normalized
                    && t.content.chars().any(|c| !c.is_ascii_graphic()))
        };
        if tokens.iter().any(unsafe_token) {
            return None;
        }
        let contents: Vec<&str> = tokens.iter().map(|t| t.content.as_str()).collect();
        if contents.is_empty() {
            return Some(Self(None));
        }
        AhoCorasick::new(contents).ok().map(|m| Self(Some(m)))
    }

    /// Whether `text` holds an added token's content.
    pub(super) fn occur_in(&self, text: &str) -> bool {
        self.0.as_ref().is_some_and(|m| m.is_match(text))
    }
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
        let added = AddedTokens::of(tokenizer, false)?;
        Some(Self {
            splitter,
            matches_only,
            added,
        })
    }

    /// Calls `each` with every word of `text` in order (slices of `text`),
    /// or returns `false` without calling it when the library must split
    /// `text`: it holds an added token, or `fancy-regex` failed on it (the
    /// library's splitter then ends the split its own way).
    pub(super) fn for_each(&self, text: &str, mut each: impl FnMut(&str)) -> bool {
        if self.added.occur_in(text) {
            return false;
        }
        let mut emit = |at: &mut usize, start: usize, end: usize| {
            // The library drops empty pieces.
            if start > *at && !self.matches_only {
                each(&text[*at..start]);
            }
            if end > start {
                each(&text[start..end]);
            }
            *at = end;
        };
        let mut at = 0;
        match &self.splitter {
            Splitter::Plain(plain) => plain.matches(text, |start, end| emit(&mut at, start, end)),
            Splitter::Fancy(regex) => {
                let Ok(found) = regex
                    .find_iter(text)
                    .map(|m| m.map(|m| (m.start(), m.end())))
                    .collect::<std::result::Result<Vec<_>, _>>()
                else {
                    return false;
                };
                for (start, end) in found {
                    emit(&mut at, start, end);
                }
            }
        }
        let end = text.len();
        emit(&mut at, end, end);
        true
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

    /// Text with, now and then, an added token of GPT-2 or cl100k (which the
    /// library must split off) or a part of one.
    fn text_with_added() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            8 => prop::sample::select(ALPHABET).prop_map(String::from),
            1 => prop::sample::select(vec!["<|endoftext|>", "<|fim_prefix|>", "<|endof", "|>"])
                .prop_map(String::from),
        ];
        prop::collection::vec(piece, 0..40).prop_map(|pieces| pieces.concat())
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

    /// GPT-2's and cl100k's counters, and cl100k with a pattern outside the
    /// known ones (`\p{N}{1,2}`), which runs in `fancy-regex` and keeps only
    /// the matches (`Removed` with `invert`, like Llama 3's); loaded once
    /// (each case uses their caches).
    fn counters() -> &'static [TokenCounter; 3] {
        static COUNTERS: OnceLock<[TokenCounter; 3]> = OnceLock::new();
        COUNTERS.get_or_init(|| {
            let mut other: Value = serde_json::from_slice(CL100K_JSON).unwrap();
            let split = &mut other["pre_tokenizer"]["pretokenizers"][0];
            let pattern = split["pattern"]["Regex"].as_str().unwrap().to_string();
            split["pattern"]["Regex"] = pattern.replace(r"\p{N}{1,3}", r"\p{N}{1,2}").into();
            let other = serde_json::to_vec(&other).unwrap();
            [GPT2_JSON, CL100K_JSON, &other].map(|json| TokenCounter::from_json(json).unwrap())
        })
    }

    #[test]
    fn an_unknown_pattern_runs_in_fancy_regex() {
        let [.., other] = counters();
        let words = other.words.as_ref().unwrap();
        assert!(words.splits_fast() && !words.is_plain());
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
        fn fast_ids_equal_the_full_encode(text in text_with_added()) {
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
