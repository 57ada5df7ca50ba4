//! The records that flow out of ingestion.

use serde::{Deserialize, Serialize};

use crate::chat::{Conversation, Role};

/// One document of a corpus: its text, the source it belongs to and, when the
/// dataset supplies one, its embedding. A chat, instruction or preference
/// record is one document whose text is its turns' contents (see
/// [`crate::chat`]) and whose `conversation` gives each turn's role and span.
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
    /// The turns when the record is a conversation; `None` for plain text.
    /// Always serialised, like `vector`.
    #[serde(default)]
    pub conversation: Option<Conversation>,
}

impl Document {
    /// A plain-text document (no vector, no conversation).
    pub fn plain(line: u64, source: impl Into<String>, text: impl Into<String>) -> Self {
        Self {
            line,
            source: source.into(),
            text: text.into(),
            vector: None,
            conversation: None,
        }
    }

    /// Each turn's role and content, in order (none for plain text): what a
    /// chat-template renderer takes.
    pub fn turns(&self) -> impl Iterator<Item = (Role, &str)> {
        self.conversation
            .iter()
            .flat_map(|c| c.turns_in(&self.text))
            .map(|(t, content)| (t.role, content))
    }
}

/// A record that could not be loaded, with where and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    pub file: String,
    /// 1-based line (or row) number; 0 when the problem concerns the whole file.
    pub line: u64,
    pub reason: String,
}
