//! The bundled files the engine's unit tests read: a tokenizer, the
//! embedding model, the demo corpus.

use crate::tokenize::TokenCounter;
use crate::vectors::StaticModel;
use std::sync::OnceLock;

/// The workspace root.
pub const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

/// The bundled GPT-2 tokenizer.
pub fn gpt2() -> TokenCounter {
    let json = include_bytes!("../../../assets/tokenizers/gpt2-bytelevel-bpe/tokenizer.json");
    TokenCounter::from_json(json).unwrap()
}

/// The bundled embedding model, loaded once.
pub fn model() -> &'static StaticModel {
    static MODEL: OnceLock<StaticModel> = OnceLock::new();
    MODEL.get_or_init(|| {
        let dir = format!("{ROOT}/assets/embeddings/minilm-l6-m2v-128-int8");
        let table = std::fs::read(format!("{dir}/model.safetensors")).unwrap();
        let tokenizer = std::fs::read(format!("{dir}/tokenizer.json")).unwrap();
        StaticModel::from_bytes(&table, &tokenizer).unwrap()
    })
}

/// The first `lines` lines of the demo corpus (JSON Lines).
pub fn demo_lines(lines: usize) -> Vec<u8> {
    let all = std::fs::read(format!("{ROOT}/assets/corpus/demo.jsonl")).unwrap();
    all.split_inclusive(|&b| b == b'\n')
        .take(lines)
        .flatten()
        .copied()
        .collect()
}
