//! Everything the engine derives from one document, computed in one pass:
//! tokens, diversity, the exact-duplicate key, the MinHash signature and, for
//! a conversation, its tokens per role.
//!
//! Front ends run an [`Analyzer`] per thread or worker and hand the
//! [`DocumentFacts`] to a [`crate::report::ReportBuilder`] in document order.

use crate::dedup::{exact_hash, DedupParams, MinHasher, ShingleSet, Signature};
use crate::entropy::{compressed_size, DocumentDiversity, UnigramCounts};
use crate::quality::QualityLabels;
use crate::stats::ChatFacts;
use crate::tokenize::TokenCounter;
use crate::{Document, Result};
use serde::{Deserialize, Serialize};

/// What one document contributes to a corpus report. Serialisable, so that
/// documents can be analysed in several workers and reported in one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocumentFacts {
    pub source: String,
    /// UTF-8 bytes of the text.
    pub bytes: usize,
    pub tokens: usize,
    pub unigrams: UnigramCounts,
    pub diversity: DocumentDiversity,
    /// [`exact_hash`] of the text.
    pub exact_hash: u128,
    pub signature: Signature,
    /// The shingle set, only when candidate pairs are verified.
    pub shingles: Option<ShingleSet>,
    /// Turns and tokens per role when the document is a conversation (each
    /// turn's content tokenized on its own; see [`crate::stats::ChatStats`]).
    #[serde(default)]
    pub chat: Option<ChatFacts>,
    /// Quality labels (datatrove's filters, language), only when the analyzer
    /// computes them ([`Analyzer::with_quality_labels`]). Always serialised
    /// (no `skip_serializing_if`), for formats that cannot skip a field.
    #[serde(default)]
    pub quality: Option<QualityLabels>,
}

/// Measures documents with one tokenizer and one set of dedup parameters.
#[derive(Clone)]
pub struct Analyzer {
    counter: TokenCounter,
    hasher: MinHasher,
    verify: bool,
    quality: bool,
}

impl Analyzer {
    /// An analyzer counting with `counter` and hashing with `params`.
    pub fn new(counter: TokenCounter, params: DedupParams) -> Result<Self> {
        Ok(Self {
            counter,
            hasher: MinHasher::new(params.minhash)?,
            verify: params.verify_threshold.is_some(),
            quality: false,
        })
    }

    /// This analyzer, computing each document's [`QualityLabels`] too when `on`.
    pub fn with_quality_labels(mut self, on: bool) -> Self {
        self.quality = on;
        self
    }

    /// The facts of `doc`.
    pub fn analyze(&mut self, doc: &Document) -> Result<DocumentFacts> {
        let text = doc.text.as_str();
        let ids = self.counter.ids(text)?;
        let unigrams = UnigramCounts::from_ids(&ids);
        let diversity = DocumentDiversity::from_counts(
            &unigrams,
            text.len(),
            compressed_size(text.as_bytes())?,
        );
        let shingles = self
            .verify
            .then(|| self.hasher.shingler().shingle_set(text));
        let chat = match &doc.conversation {
            Some(conversation) => {
                let counts = conversation
                    .turns_in(text)
                    .map(|(_, content)| self.counter.count(content))
                    .collect::<Result<Vec<usize>>>()?;
                Some(ChatFacts::new(conversation, counts))
            }
            None => None,
        };
        Ok(DocumentFacts {
            source: doc.source.clone(),
            bytes: text.len(),
            tokens: ids.len(),
            unigrams,
            diversity,
            exact_hash: exact_hash(text),
            signature: self.hasher.signature(text),
            shingles,
            chat,
            quality: self.quality.then(|| QualityLabels::of(text)),
        })
    }
}
