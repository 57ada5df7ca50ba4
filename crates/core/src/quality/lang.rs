//! Language identification with whatlang: pure Rust, no model files (its
//! trigram profiles are compiled in, about 0.3 MB of wasm), builds for wasm32.
//! lingua is more accurate on short texts but carries tens of megabytes of
//! models, too much for the browser app.

use serde::{Deserialize, Serialize};

/// Bytes of a text that language detection reads: the start of a long
/// document says which language it is in, and reading it all costs time.
pub const DETECT_BYTES: usize = 512;

/// A document's detected language.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Language {
    /// ISO 639-3 code (`eng`, `deu`, `cmn`…).
    pub code: String,
    /// whatlang's confidence, from 0 to 1.
    pub confidence: f32,
}

/// The language of `text` (its first [`DETECT_BYTES`] bytes), or `None` when
/// whatlang finds none (no letters, for instance).
pub fn detect_language(text: &str) -> Option<Language> {
    let mut end = text.len().min(DETECT_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let info = whatlang::detect(&text[..end])?;
    Some(Language {
        code: info.lang().code().to_string(),
        confidence: info.confidence() as f32,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_common_languages() {
        let cases = [
            (
                "The quick brown fox jumps over the lazy dog and runs into the forest.",
                "eng",
            ),
            (
                "Der schnelle braune Fuchs springt über den faulen Hund und läuft in den Wald.",
                "deu",
            ),
            (
                "Le renard brun rapide saute par-dessus le chien paresseux et court dans la forêt.",
                "fra",
            ),
        ];
        for (text, code) in cases {
            let language = detect_language(text).expect("a language");
            assert_eq!(language.code, code, "{text}");
            assert!(language.confidence > 0.0 && language.confidence <= 1.0);
        }
        assert_eq!(detect_language("1234 5678 !!!"), None);
    }
}
