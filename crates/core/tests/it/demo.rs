//! The bundled demo corpus and tokenizers, loaded once for every test.

use corpuscope_core::tokenize::TokenCounter;
use std::path::PathBuf;
use std::sync::OnceLock;

/// One document of `assets/corpus/demo.jsonl`.
pub struct DemoDocument {
    pub source: String,
    pub text: String,
}

/// The path of the demo corpus from the workspace root.
pub const CORPUS: &str = "assets/corpus/demo.jsonl";

/// Every document of the demo corpus, in file order.
pub fn corpus() -> &'static [DemoDocument] {
    static CORPUS_DOCS: OnceLock<Vec<DemoDocument>> = OnceLock::new();
    CORPUS_DOCS.get_or_init(|| {
        let text = std::fs::read_to_string(crate::oracle::path(CORPUS)).expect("demo corpus");
        text.lines()
            .filter(|line| !line.trim().is_empty())
            .map(|line| {
                let record: serde_json::Value = serde_json::from_str(line).expect("JSON line");
                DemoDocument {
                    source: record["source"].as_str().expect("source").to_owned(),
                    text: record["text"].as_str().expect("text").to_owned(),
                }
            })
            .collect()
    })
}

/// Every `tokenizer.json` under `assets/tokenizers`, by listing the folder, sorted.
pub fn tokenizer_files() -> Vec<PathBuf> {
    let dir = crate::oracle::path("assets/tokenizers");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("assets/tokenizers")
        .map(|entry| entry.expect("entry").path().join("tokenizer.json"))
        .filter(|path| path.is_file())
        .collect();
    files.sort();
    files
}

/// A counter for the bundled tokenizer in folder `name`.
pub fn counter(name: &str) -> TokenCounter {
    let path = crate::oracle::path(&format!("assets/tokenizers/{name}/tokenizer.json"));
    TokenCounter::from_json(&std::fs::read(path).expect("tokenizer.json")).expect("load")
}

/// The GPT-2 counter, loaded once.
pub fn gpt2() -> &'static TokenCounter {
    static GPT2: OnceLock<TokenCounter> = OnceLock::new();
    GPT2.get_or_init(|| counter("gpt2-bytelevel-bpe"))
}
