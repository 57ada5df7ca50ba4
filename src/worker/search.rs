//! The search worker's state: one open corpus, its texts for snippets, and
//! the engine's [`CorpusSearch`] over them.

use super::SearchDocument;
use corpuscope_core::report::Report;
use corpuscope_core::vectors::snippet::{snippet, Piece};
use corpuscope_core::vectors::{
    dup_statuses, CorpusSearch, CorpusVectors, DocInfo, DupStatus, SearchFilter, SearchMode,
    StaticModel, StoredVectors, Vectors,
};
use serde::{Deserialize, Serialize};

/// Characters of text shown per result.
const SNIPPET_CHARS: usize = 240;

/// One result as the page shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Found {
    /// Position of the document in its corpus.
    pub doc: u32,
    pub score: f32,
    /// Rank and score in the semantic and keyword rankings.
    pub semantic: Option<(u32, f32)>,
    pub keyword: Option<(u32, f32)>,
    pub source: String,
    pub tokens: u32,
    pub status: DupStatus,
    pub snippet: Vec<Piece>,
    pub cut_start: bool,
    pub cut_end: bool,
}

/// A corpus being opened.
struct Opening {
    documents: usize,
    vectors: Option<CorpusVectors>,
    statuses: Vec<DupStatus>,
    added: Vec<SearchDocument>,
}

/// A corpus ready to search.
struct Open {
    search: CorpusSearch,
    texts: Vec<String>,
}

#[derive(Default)]
pub struct SearchState {
    opening: Option<Opening>,
    open: Option<Open>,
}

fn text(e: corpuscope_core::Error) -> String {
    e.to_string()
}

impl SearchState {
    pub fn open(
        &mut self,
        documents: u32,
        vectors: Option<(u32, serde_bytes::ByteBuf, StoredVectors)>,
        report_json: &str,
    ) -> Result<(), String> {
        self.open = None;
        let report: Report = serde_json::from_str(report_json)
            .map_err(|e| format!("the stored report is damaged: {e}"))?;
        let vectors = match vectors {
            Some((dim, bytes, stored)) => {
                let values = bytes
                    .chunks_exact(4)
                    .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                    .collect();
                let rows = Vectors::from_flat(dim as usize, values).map_err(text)?;
                Some(CorpusVectors::from_stored(rows, stored).map_err(text)?)
            }
            None => None,
        };
        self.opening = Some(Opening {
            documents: documents as usize,
            vectors,
            statuses: dup_statuses(&report.dedup),
            added: Vec::with_capacity(documents as usize),
        });
        Ok(())
    }

    pub fn add(&mut self, documents: Vec<SearchDocument>) {
        if let Some(opening) = &mut self.opening {
            opening.added.extend(documents);
        }
    }

    pub fn build(&mut self) -> Result<(), String> {
        let opening = self.opening.take().ok_or("no corpus is being opened")?;
        if opening.added.len() != opening.documents || opening.statuses.len() != opening.documents {
            return Err(format!(
                "the corpus has {} documents, {} were read and the report covers {}",
                opening.documents,
                opening.added.len(),
                opening.statuses.len()
            ));
        }
        let (texts, docs): (Vec<String>, Vec<DocInfo>) = opening
            .added
            .into_iter()
            .zip(opening.statuses)
            .map(|(d, status)| {
                let info = DocInfo {
                    source: d.source,
                    tokens: d.tokens,
                    status,
                };
                (d.text, info)
            })
            .unzip();
        let search = CorpusSearch::new(docs, texts.iter().map(String::as_str), opening.vectors)
            .map_err(text)?;
        self.open = Some(Open { search, texts });
        Ok(())
    }

    /// Results and the milliseconds the search took (embedding included).
    pub fn search(
        &self,
        model: Option<&StaticModel>,
        mode: SearchMode,
        query: &str,
        k: usize,
        filter: &SearchFilter,
    ) -> Result<(Vec<Found>, f64), String> {
        let open = self.open.as_ref().ok_or("no corpus is open for search")?;
        let start = super::now_ms();
        let vector = match mode {
            SearchMode::Keyword => None,
            _ if open.search.vectors().is_none() => {
                return Err("this corpus was loaded without embeddings: use keyword search".into())
            }
            _ => {
                let model = model.ok_or("the embedding model is not loaded")?;
                Some(model.embed(query).map_err(text)?)
            }
        };
        let hits = open
            .search
            .search(mode, query, vector.as_deref(), k, filter)
            .map_err(text)?;
        let millis = super::now_ms() - start;
        let found = hits
            .into_iter()
            .map(|h| {
                let info = open.search.info(h.doc);
                let (snippet, cut_start, cut_end) =
                    snippet(&open.texts[h.doc as usize], query, SNIPPET_CHARS);
                Found {
                    doc: h.doc,
                    score: h.score,
                    semantic: h.semantic,
                    keyword: h.keyword,
                    source: info.source.clone(),
                    tokens: info.tokens,
                    status: info.status,
                    snippet,
                    cut_start,
                    cut_end,
                }
            })
            .collect();
        Ok((found, millis))
    }
}
