//! The tokenizers that ship with Corpuscope in `assets/tokenizers`.

use serde::Serialize;

/// A `tokenizer.json` bundled in `assets/tokenizers` (provenance in `assets/README.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct BundledTokenizer {
    /// Short name, also the folder name.
    pub name: &'static str,
    /// Path of the file under `assets/tokenizers`.
    pub path: &'static str,
    /// One line for people choosing a tokenizer.
    pub description: &'static str,
}

/// Every bundled tokenizer, smallest vocabulary first.
pub const BUNDLED_TOKENIZERS: [BundledTokenizer; 3] = [
    BundledTokenizer {
        name: "bert-wordpiece-all-minilm-l6-v2",
        path: "bert-wordpiece-all-minilm-l6-v2/tokenizer.json",
        description: "BERT uncased WordPiece, 30,522 tokens (all-MiniLM-L6-v2)",
    },
    BundledTokenizer {
        name: "gpt2-bytelevel-bpe",
        path: "gpt2-bytelevel-bpe/tokenizer.json",
        description: "GPT-2 byte-level BPE, 50,257 tokens",
    },
    BundledTokenizer {
        name: "cl100k_base",
        path: "cl100k_base/tokenizer.json",
        description: "cl100k_base byte-level BPE, 100,261 tokens (GPT-3.5 and GPT-4)",
    },
];
