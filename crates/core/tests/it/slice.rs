//! The JSONL path the browser slice uses, against Python's `json` and
//! `tokenizers`: same documents accepted, same lines rejected, same counts.

use crate::oracle;
use corpuscope_core::ingest::{Batch, FieldChoice, JsonlParser, Parser};
use corpuscope_core::tokenize::TokenCounter;
use serde_json::Value;

#[test]
fn jsonl_with_broken_lines_matches_python() {
    let tokenizer = "assets/tokenizers/gpt2-bytelevel-bpe/tokenizer.json";
    let fixture = "tests/e2e/fixtures/slice.jsonl";
    let want: Value = serde_json::from_str(&oracle::run(
        "expected_counts.py",
        &[
            oracle::path(tokenizer).to_str().unwrap(),
            oracle::path(fixture).to_str().unwrap(),
        ],
        b"",
    ))
    .unwrap();

    let counter =
        TokenCounter::from_json(&std::fs::read(oracle::path(tokenizer)).unwrap()).unwrap();
    let bytes = std::fs::read(oracle::path(fixture)).unwrap();
    let mut parser = JsonlParser::new("slice.jsonl", FieldChoice::default());
    let mut out = Batch::default();
    // Odd chunk sizes, as the browser's slices cut lines anywhere.
    for chunk in bytes.chunks(7) {
        parser.feed(chunk, &mut out);
    }
    parser.finish(&mut out);

    let counts: Vec<u64> = out
        .documents
        .iter()
        .map(|d| counter.count(&d.text).unwrap() as u64)
        .collect();
    let lines: Vec<u64> = out.problems.iter().map(|p| p.line).collect();
    let as_u64 = |v: &Value| -> Vec<u64> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_u64().unwrap())
            .collect()
    };
    assert_eq!(counts, as_u64(&want["per_document"]));
    assert_eq!(lines, as_u64(&want["rejected_lines"]));
}
