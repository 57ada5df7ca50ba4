//! Choosing the tokenizer: a bundled one by name, or a `tokenizer.json` path.

use anyhow::{bail, Context, Result};
use corpuscope_core::tokenize::{TokenCounter, BUNDLED_TOKENIZERS};
use std::path::Path;

/// The bundled `tokenizer.json` files, built into the binary.
const BUNDLED_JSON: [(&str, &[u8]); 3] = [
    (
        "bert-wordpiece-all-minilm-l6-v2",
        include_bytes!("../../../assets/tokenizers/bert-wordpiece-all-minilm-l6-v2/tokenizer.json"),
    ),
    (
        "gpt2-bytelevel-bpe",
        include_bytes!("../../../assets/tokenizers/gpt2-bytelevel-bpe/tokenizer.json"),
    ),
    (
        "cl100k_base",
        include_bytes!("../../../assets/tokenizers/cl100k_base/tokenizer.json"),
    ),
];

/// The tokenizer named `choice` (bundled) or stored at the path `choice`,
/// with the name the report gives it.
pub fn load(choice: &str) -> Result<(String, TokenCounter)> {
    if let Some((name, json)) = BUNDLED_JSON.iter().find(|(n, _)| *n == choice) {
        return Ok((name.to_string(), TokenCounter::from_json(json)?));
    }
    let path = Path::new(choice);
    if !path.exists() {
        let names: Vec<&str> = BUNDLED_TOKENIZERS.iter().map(|t| t.name).collect();
        bail!(
            "no tokenizer \"{choice}\": give a tokenizer.json path or one of {}",
            names.join(", ")
        );
    }
    let json = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let counter = TokenCounter::from_named_json(&path.display().to_string(), &json)?;
    Ok((path.display().to_string(), counter))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bundled_tokenizer_is_built_in() {
        for t in BUNDLED_TOKENIZERS {
            let (name, counter) = load(t.name).unwrap();
            assert_eq!(name, t.name);
            assert!(counter.count("hello world").unwrap() >= 2);
        }
        assert!(load("no-such-tokenizer").is_err());
    }
}
