//! Token counts against Python `tokenizers` (tests/oracle/token_counts.py).

use crate::demo::{corpus, counter, gpt2, tokenizer_files, CORPUS};
use corpuscope_core::tokenize::{TokenCounter, BUNDLED_TOKENIZERS};
use proptest::prelude::*;
use std::collections::HashMap;
use std::sync::OnceLock;

/// The acceptance test: every bundled tokenizer, every demo document, the same
/// count as Python `tokenizers`. The oracle runs while the engine counts.
#[test]
fn every_bundled_tokenizer_counts_like_python_on_the_whole_demo_corpus() {
    let files = tokenizer_files();
    assert!(files.len() >= 3, "{files:?}");
    let paths: Vec<String> = files.iter().map(|p| p.display().to_string()).collect();
    let mut args = vec![crate::oracle::path(CORPUS).display().to_string()];
    args.extend(paths.iter().cloned());
    let docs = corpus();
    assert_eq!(docs.len(), 6604);
    let (expected, counted) = std::thread::scope(|scope| {
        let oracle = scope.spawn(|| {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            crate::oracle::run("token_counts.py", &args, b"")
        });
        let counted: Vec<Vec<usize>> = paths
            .iter()
            .map(|path| {
                let counter = TokenCounter::from_json(&std::fs::read(path).unwrap()).unwrap();
                docs.iter()
                    .map(|d| counter.count(&d.text).unwrap())
                    .collect()
            })
            .collect();
        (oracle.join().expect("oracle thread"), counted)
    });
    let expected: HashMap<String, Vec<usize>> = serde_json::from_str(&expected).unwrap();
    for (path, got) in paths.iter().zip(&counted) {
        let want = &expected[path];
        assert_eq!(want.len(), docs.len(), "{path}");
        let mismatches: Vec<(usize, usize, usize)> = (0..docs.len())
            .filter(|&i| got[i] != want[i])
            .map(|i| (i, want[i], got[i]))
            .collect();
        assert!(
            mismatches.is_empty(),
            "{path}: (doc, python, engine) {mismatches:?}"
        );
    }
}

#[test]
fn the_bundled_list_names_every_tokenizer_file() {
    let root = crate::oracle::path("assets/tokenizers");
    let mut listed: Vec<_> = BUNDLED_TOKENIZERS
        .iter()
        .map(|b| root.join(b.path))
        .collect();
    listed.sort();
    assert_eq!(listed, tokenizer_files());
    for bundled in BUNDLED_TOKENIZERS {
        assert!(bundled.path.starts_with(&format!("{}/", bundled.name)));
        assert!(!bundled.description.is_empty());
    }
}

/// `ids_with_offsets` gives the ids and spans of Python `tokenizers` (whose
/// offsets count characters: converted here) on every 25th demo document.
#[test]
fn offsets_match_python() {
    const STRIDE: usize = 25;
    let sample: Vec<_> = corpus().iter().step_by(STRIDE).collect();
    for name in ["gpt2-bytelevel-bpe", "bert-wordpiece-all-minilm-l6-v2"] {
        let tokenizer = crate::oracle::path(&format!("assets/tokenizers/{name}/tokenizer.json"));
        let corpus_path = crate::oracle::path(CORPUS);
        let stride = STRIDE.to_string();
        let args = [
            tokenizer.to_str().unwrap(),
            corpus_path.to_str().unwrap(),
            &stride,
        ];
        let expected: Vec<Vec<(u32, usize, usize)>> =
            serde_json::from_str(&crate::oracle::run("token_offsets.py", &args, b"")).unwrap();
        assert_eq!(expected.len(), sample.len());
        let counter = counter(name);
        for (doc, want) in sample.iter().zip(&expected) {
            // Character index of each byte boundary of the text.
            let mut chars = vec![usize::MAX; doc.text.len() + 1];
            for (i, (byte, _)) in doc.text.char_indices().enumerate() {
                chars[byte] = i;
            }
            chars[doc.text.len()] = doc.text.chars().count();
            let got: Vec<(u32, usize, usize)> = counter
                .ids_with_offsets(&doc.text)
                .unwrap()
                .iter()
                .map(|s| (s.id, chars[s.start], chars[s.end]))
                .collect();
            assert_eq!(&got, want, "{name}");
        }
    }
}

/// The word cache's ids (the `Analyzer`'s path) are those of a full encode,
/// on every demo document with every bundled tokenizer.
#[test]
fn cached_ids_equal_a_full_encode_on_the_whole_demo_corpus() {
    for bundled in BUNDLED_TOKENIZERS {
        let counter = counter(bundled.name);
        assert!(counter.caches_words(), "{}", bundled.name);
        for (i, doc) in corpus().iter().enumerate() {
            assert_eq!(
                counter.ids(&doc.text).unwrap(),
                counter.encode_ids(&doc.text).unwrap(),
                "{} document {i}",
                bundled.name
            );
        }
    }
}

#[test]
fn clones_count_the_same() {
    let clone = gpt2().clone();
    assert!(clone.caches_words());
    for doc in corpus().iter().take(100) {
        assert_eq!(
            clone.count(&doc.text).unwrap(),
            gpt2().count(&doc.text).unwrap()
        );
    }
}

fn bert() -> &'static TokenCounter {
    static BERT: OnceLock<TokenCounter> = OnceLock::new();
    BERT.get_or_init(|| counter("bert-wordpiece-all-minilm-l6-v2"))
}

/// Text with the pieces that stress a tokenizer: special tokens, accents,
/// CJK, emoji, runs of spaces, control characters.
fn tricky_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("<|endoftext|>".to_owned()),
        Just("[CLS]".to_owned()),
        Just("[SEP] ".to_owned()),
        Just("  ".to_owned()),
        Just("\n\t".to_owned()),
        "[a-zA-Z]{1,8}",
        "[ -~]{1,6}",
        "\\PC{1,4}",
        Just("Éé ñ 日本 🦀".to_owned()),
    ];
    prop::collection::vec(piece, 0..12).prop_map(|pieces| pieces.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// The word cache gives the count and the ids of a full encode, on any text.
    #[test]
    fn cached_count_equals_full_encode(text in tricky_text()) {
        for counter in [gpt2(), bert()] {
            let full = counter.encode_ids(&text).unwrap();
            prop_assert_eq!(counter.count(&text).unwrap(), full.len());
            prop_assert_eq!(counter.ids(&text).unwrap(), full);
        }
    }
}

fn bert_json() -> &'static [u8] {
    static BERT_JSON: OnceLock<Vec<u8>> = OnceLock::new();
    BERT_JSON.get_or_init(|| {
        std::fs::read(crate::oracle::path(
            "assets/tokenizers/bert-wordpiece-all-minilm-l6-v2/tokenizer.json",
        ))
        .unwrap()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Well-formed JSON with a wrong section is an error, never a panic nor
    /// a tokenizer. Each value is wrong for every section (null would be an
    /// absent optional section, `[]` no added tokens, and a type whose name
    /// starts in lower case is no component's: their names are CamelCase).
    #[test]
    fn wrong_sections_are_errors(
        section in prop::sample::select(vec![
            "normalizer", "pre_tokenizer", "post_processor", "decoder", "model", "added_tokens",
            "truncation", "padding",
        ]),
        value in prop_oneof![
            Just(serde_json::json!(3)),
            Just(serde_json::json!("x")),
            Just(serde_json::json!({})),
            "[a-z][A-Za-z]{0,11}".prop_map(|t| serde_json::json!({ "type": t })),
            Just(serde_json::json!({ "type": "Sequence", "decoders": 3 })),
            Just(serde_json::json!({ "type": "BPE", "vocab": {}, "merges": [["a", "b"]] })),
        ],
    ) {
        let mut json: serde_json::Value = serde_json::from_slice(bert_json()).unwrap();
        json[section] = value.clone();
        match TokenCounter::from_json(&serde_json::to_vec(&json).unwrap()) {
            Ok(_) => prop_assert!(false, "{} = {} loads", section, value),
            Err(err) => prop_assert!(err.to_string().starts_with("cannot load tokenizer"), "{}", err),
        }
    }

    /// Damaged tokenizer files are errors, never panics.
    #[test]
    fn damaged_tokenizer_files_are_errors(cut in 0usize..20_000, noise in any::<u8>()) {
        let bytes = bert_json();
        let mut damaged = bytes[..cut.min(bytes.len())].to_vec();
        damaged.push(noise);
        let err = TokenCounter::from_json(&damaged).err().expect("not a tokenizer");
        prop_assert!(err.to_string().contains("not a valid tokenizer.json"));
    }
}

/// Token boundaries for the document view: with every bundled tokenizer, on
/// demo documents and multi-byte text, the pieces join back to the text and
/// carry every id once, in order.
#[test]
fn token_pieces_cover_the_text_and_every_id() {
    use corpuscope_core::tokenize::token_pieces;
    let mut texts: Vec<String> = crate::demo::corpus()
        .iter()
        .step_by(97)
        .map(|d| d.text.clone())
        .collect();
    texts.push("naïve café — 日本語のテキスト 🦀🦀 emoji".into());
    for file in crate::demo::tokenizer_files() {
        let name = file
            .parent()
            .unwrap()
            .file_name()
            .unwrap()
            .to_string_lossy()
            .to_string();
        let counter = crate::demo::counter(&name);
        for text in &texts {
            let spans = counter.ids_with_offsets(text).unwrap();
            let pieces = token_pieces(text, &spans);
            let joined: String = pieces.iter().map(|p| p.text.as_str()).collect();
            assert_eq!(&joined, text, "{name}");
            let ids: Vec<u32> = pieces.iter().flat_map(|p| p.ids.iter().copied()).collect();
            let want: Vec<u32> = spans.iter().map(|s| s.id).collect();
            assert_eq!(ids, want, "{name}");
        }
    }
}
