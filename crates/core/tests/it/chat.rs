//! Conversations: per-role token counts against Python `tokenizers`
//! (tests/oracle/chat_role_tokens.py, which parses the records itself) on the
//! chat fixtures of every shape (tests/fixtures/chat, written by
//! make_chat_fixtures.py), for every bundled tokenizer; and the report's
//! conversation figures.

use crate::demo::tokenizer_files;
use corpuscope_core::analyze::{Analyzer, DocumentFacts};
use corpuscope_core::chat::Role;
use corpuscope_core::dedup::DedupParams;
use corpuscope_core::ingest::{detect_fields, preview, Batch, FileReader, ReadOptions};
use corpuscope_core::report::ReportBuilder;
use corpuscope_core::tokenize::TokenCounter;
use corpuscope_core::Document;
use serde::Deserialize;
use std::collections::BTreeMap;

/// The fixtures, one per shape.
const FIXTURES: [&str; 8] = [
    "openai.jsonl",
    "hf_parts.jsonl",
    "sharegpt.jsonl",
    "alpaca.jsonl",
    "dolly.jsonl",
    "prompt_completion.jsonl",
    "question_answer.jsonl",
    "preference.jsonl",
];

fn fixture(name: &str) -> std::path::PathBuf {
    crate::oracle::path(&format!("tests/fixtures/chat/{name}"))
}

/// Every fixture's documents read with the default (detecting) options.
fn documents() -> Vec<Document> {
    let mut docs = Vec::new();
    for name in FIXTURES {
        let bytes = std::fs::read(fixture(name)).unwrap();
        let mut reader = FileReader::new(name, ReadOptions::default());
        let mut batch = Batch::default();
        reader.feed(&bytes, &mut batch);
        reader.finish(&mut batch);
        assert!(batch.problems.is_empty(), "{name}: {:?}", batch.problems);
        docs.extend(batch.documents);
    }
    docs
}

/// One record as the oracle sees it.
#[derive(Deserialize, Debug)]
struct Expected {
    turns: u32,
    roles: BTreeMap<String, u64>,
    text_tokens: usize,
    chosen: u64,
    rejected: u64,
}

#[test]
fn tokens_per_role_equal_python_for_every_bundled_tokenizer() {
    let docs = documents();
    assert_eq!(docs.len(), 27);
    assert!(docs.iter().all(|d| d.conversation.is_some()));
    let files = tokenizer_files();
    assert!(files.len() >= 3, "{files:?}");
    for tokenizer in files {
        let mut args = vec![tokenizer.display().to_string()];
        args.extend(FIXTURES.iter().map(|n| fixture(n).display().to_string()));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let expected: Vec<Expected> =
            serde_json::from_str(&crate::oracle::run("chat_role_tokens.py", &args, b"")).unwrap();
        assert_eq!(expected.len(), docs.len());
        let counter = TokenCounter::from_json(&std::fs::read(&tokenizer).unwrap()).unwrap();
        let mut analyzer = Analyzer::new(counter, DedupParams::default()).unwrap();
        for (i, (doc, want)) in docs.iter().zip(&expected).enumerate() {
            let facts: DocumentFacts = analyzer.analyze(doc).unwrap();
            let chat = facts.chat.as_ref().expect("chat facts");
            let case = format!(
                "{} record {i} ({}:{})",
                tokenizer.display(),
                doc.source,
                doc.line
            );
            assert_eq!(chat.turns, want.turns, "{case}");
            for role in Role::ALL {
                let python = want.roles.get(role.name()).copied().unwrap_or(0);
                assert_eq!(chat.role_tokens.get(role), python, "{case}: {role:?}");
            }
            assert_eq!(facts.tokens, want.text_tokens, "{case}: whole text");
            assert_eq!(
                (chat.chosen_tokens, chat.rejected_tokens),
                (want.chosen, want.rejected),
                "{case}"
            );
        }
    }
}

#[test]
fn each_fixture_is_detected_as_its_shape() {
    use corpuscope_core::chat::ChatShape;
    let cases = [
        ("openai.jsonl", ChatShape::ChatMessages),
        ("hf_parts.jsonl", ChatShape::ChatMessages),
        ("sharegpt.jsonl", ChatShape::ShareGpt),
        ("alpaca.jsonl", ChatShape::Alpaca),
        ("dolly.jsonl", ChatShape::Dolly),
        ("prompt_completion.jsonl", ChatShape::PromptResponse),
        ("question_answer.jsonl", ChatShape::PromptResponse),
        ("preference.jsonl", ChatShape::Preference),
    ];
    for (name, shape) in cases {
        let bytes = std::fs::read(fixture(name)).unwrap();
        let p = preview(name, &bytes, true, &ReadOptions::default());
        let found = p.detected.conversation.as_ref().map(|c| c.shape());
        assert_eq!(found, Some(shape), "{name}");
        assert_eq!(p.detected.text, None, "{name}");
        assert!(
            p.detected.warnings.is_empty(),
            "{name}: {:?}",
            p.detected.warnings
        );
        // The file-level choice reads the same documents as per-record detection,
        // but for the preference file's record without a `prompt` field.
        let again = detect_fields(&p.records);
        let options = ReadOptions {
            fields: again.choice(),
            ..ReadOptions::default()
        };
        let chosen = preview(name, &bytes, true, &options);
        assert!(chosen.problems.is_empty(), "{name}: {:?}", chosen.problems);
        if name != "preference.jsonl" {
            assert_eq!(chosen.documents, p.documents, "{name}");
        }
    }
}

#[test]
fn the_report_sums_roles_per_source() {
    let docs = documents();
    let params = DedupParams::default();
    let mut analyzer = Analyzer::new(crate::demo::gpt2().clone(), params).unwrap();
    let mut builder = ReportBuilder::new("gpt2-bytelevel-bpe", params).unwrap();
    let mut facts = Vec::new();
    for doc in &docs {
        let f = analyzer.analyze(doc).unwrap();
        facts.push(f.clone());
        builder.add(f).unwrap();
    }
    let plain = Document::plain(1, "plain.txt", "Just some plain text.");
    builder.add(analyzer.analyze(&plain).unwrap()).unwrap();
    let report = builder.finish().unwrap();
    let c = &report.chat.overall;
    assert_eq!((c.conversations, c.plain_documents), (27, 1));
    let sum = |role: Role| -> u64 {
        facts
            .iter()
            .map(|f| f.chat.as_ref().unwrap().role_tokens.get(role))
            .sum()
    };
    for role in Role::ALL {
        assert_eq!(c.role_tokens.get(role), sum(role), "{role:?}");
    }
    assert_eq!(c.turn_tokens, c.role_tokens.total());
    let conversation_tokens: usize = facts.iter().map(|f| f.tokens).sum();
    assert_eq!(c.conversation_tokens, conversation_tokens as u64);
    assert!(c.role_tokens.other > 0 && c.role_tokens.tool > 0);
    assert!(c.chosen_tokens > 0 && c.rejected_tokens > 0);
    assert_eq!(c.skipped_parts, 5);
    let expected_share = c.role_tokens.assistant as f64 / c.turn_tokens as f64;
    assert!((c.assistant_share - expected_share).abs() < 1e-12);
    assert_eq!(report.chat.sources["plain.txt"].plain_documents, 1);
    assert_eq!(report.chat.sources["sharegpt.jsonl"].conversations, 3);
    assert_eq!(report.chat_rows().len(), FIXTURES.len() + 2);
    let md = corpuscope_core::export::markdown_summary("chat", &report);
    assert!(md.contains("## Conversations"), "{md}");
    let json = serde_json::to_string(&report).unwrap();
    let back: corpuscope_core::report::Report = serde_json::from_str(&json).unwrap();
    assert_eq!(back, report);
}
