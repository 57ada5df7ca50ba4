//! The records that flow out of ingestion.

use serde::{Deserialize, Serialize};

/// One document of a corpus: its text, the source it belongs to and, when the
/// dataset supplies one, its embedding.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// 1-based line (or row) in the input file where the document starts.
    pub line: u64,
    pub source: String,
    pub text: String,
    /// The user's vector read from [`crate::ingest::FieldChoice::vector`]:
    /// checked (finite, not all zero, the file's dimension), not normalised.
    /// Always serialised (no `skip_serializing_if`): the app's worker channel
    /// uses bincode, which cannot skip a field.
    #[serde(default)]
    pub vector: Option<Vec<f32>>,
}

/// A record that could not be loaded, with where and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    pub file: String,
    /// 1-based line (or row) number; 0 when the problem concerns the whole file.
    pub line: u64,
    pub reason: String,
}
