//! Searching a corpus: semantic, keyword (BM25) and hybrid (RRF), filtered
//! by source, token count and duplicate status.

use super::bm25::Bm25;
use super::corpus::CorpusVectors;
use super::exact::{top_k, Hit};
use super::hybrid::{reciprocal_rank_fusion, RRF_K};
use crate::dedup::DedupReport;
use crate::{Error, Result};
use serde::{Deserialize, Serialize};

/// How a query is matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum SearchMode {
    /// By embedding: the query's vector against the documents'.
    Semantic,
    /// By words: BM25.
    Keyword,
    /// Both rankings fused by reciprocal rank.
    #[default]
    Hybrid,
}

impl SearchMode {
    pub const ALL: [SearchMode; 3] = [Self::Semantic, Self::Keyword, Self::Hybrid];

    /// The mode's name in forms and links.
    pub fn name(self) -> &'static str {
        match self {
            Self::Semantic => "semantic",
            Self::Keyword => "keyword",
            Self::Hybrid => "hybrid",
        }
    }

    /// The mode named `name`, if any.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.name() == name)
    }
}

/// Where a document stands in the MinHash dedup (exact and near clusters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DupStatus {
    /// In no cluster.
    Unique,
    /// The document a dedup keeps from its cluster.
    Representative,
    /// A document a dedup drops.
    Duplicate,
}

/// Which duplicate statuses a search keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum DupFilter {
    #[default]
    Any,
    /// Documents in no cluster.
    Unique,
    /// Documents in a cluster (representatives too).
    Duplicated,
    /// What a dedup keeps: unique documents and representatives.
    Kept,
}

impl DupFilter {
    fn accepts(self, status: DupStatus) -> bool {
        match self {
            DupFilter::Any => true,
            DupFilter::Unique => status == DupStatus::Unique,
            DupFilter::Duplicated => status != DupStatus::Unique,
            DupFilter::Kept => status != DupStatus::Duplicate,
        }
    }
}

/// Conditions on the documents a search returns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct SearchFilter {
    pub source: Option<String>,
    pub min_tokens: Option<u32>,
    pub max_tokens: Option<u32>,
    #[serde(default)]
    pub duplicates: DupFilter,
}

impl SearchFilter {
    fn is_open(&self) -> bool {
        self == &Self::default()
    }
}

/// What a filter looks at in one document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocInfo {
    pub source: String,
    pub tokens: u32,
    pub status: DupStatus,
}

/// One result: a document, its score in the mode searched, and its rank and
/// score in each ranking that holds it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SearchHit {
    pub doc: u32,
    pub score: f32,
    pub semantic: Option<(u32, f32)>,
    pub keyword: Option<(u32, f32)>,
}

/// Each document's status in `report`'s exact and near clusters (a document
/// in both is a duplicate if either drops it).
pub fn dup_statuses(report: &DedupReport) -> Vec<DupStatus> {
    let mut out = vec![DupStatus::Unique; report.documents as usize];
    for cluster in report.exact_clusters.iter().chain(&report.near_clusters) {
        for &m in &cluster.members {
            let Some(slot) = out.get_mut(m as usize) else {
                continue;
            };
            if m != cluster.representative {
                *slot = DupStatus::Duplicate;
            } else if *slot == DupStatus::Unique {
                *slot = DupStatus::Representative;
            }
        }
    }
    out
}

/// Filtered rows below which a semantic search is exact even over a graph:
/// exact search over them costs well under a millisecond, and a graph walk
/// behind a selective filter would visit most of the graph anyway.
const EXACT_BELOW: usize = 20_000;

/// Candidates taken from each ranking before fusing, per result wanted.
const FUSE_DEPTH: usize = 5;

/// A corpus ready to search.
pub struct CorpusSearch {
    docs: Vec<DocInfo>,
    keywords: Bm25,
    vectors: Option<CorpusVectors>,
}

impl CorpusSearch {
    /// `texts` and `docs` in document order; `vectors`, when the corpus has
    /// embeddings, over the same documents.
    pub fn new<'a>(
        docs: Vec<DocInfo>,
        texts: impl IntoIterator<Item = &'a str>,
        vectors: Option<CorpusVectors>,
    ) -> Result<Self> {
        let keywords = Bm25::new(texts);
        if keywords.len() != docs.len() {
            return Err(Error::Vector(format!(
                "{} texts for {} documents",
                keywords.len(),
                docs.len()
            )));
        }
        if let Some(v) = &vectors {
            if v.index.vectors().len() != docs.len() {
                return Err(Error::Vector(format!(
                    "{} vectors for {} documents",
                    v.index.vectors().len(),
                    docs.len()
                )));
            }
        }
        Ok(Self {
            docs,
            keywords,
            vectors,
        })
    }

    /// Documents searched.
    pub fn len(&self) -> usize {
        self.docs.len()
    }

    /// Whether there is nothing to search.
    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// The documents' embeddings and what derives from them, if any.
    pub fn vectors(&self) -> Option<&CorpusVectors> {
        self.vectors.as_ref()
    }

    /// What the filters look at in document `doc` (which must exist).
    pub fn info(&self, doc: u32) -> &DocInfo {
        &self.docs[doc as usize]
    }

    /// Whether `filter` accepts document `doc`.
    pub fn accepts(&self, filter: &SearchFilter, doc: u32) -> bool {
        let Some(d) = self.docs.get(doc as usize) else {
            return false;
        };
        filter.source.as_ref().is_none_or(|s| *s == d.source)
            && filter.min_tokens.is_none_or(|m| d.tokens >= m)
            && filter.max_tokens.is_none_or(|m| d.tokens <= m)
            && filter.duplicates.accepts(d.status)
    }

    /// The `k` best documents for `text` (and its embedding `vector`, needed
    /// by the semantic and hybrid modes) that `filter` accepts, best first.
    pub fn search(
        &self,
        mode: SearchMode,
        text: &str,
        vector: Option<&[f32]>,
        k: usize,
        filter: &SearchFilter,
    ) -> Result<Vec<SearchHit>> {
        let keep = |doc: u32| self.accepts(filter, doc);
        let depth = k.saturating_mul(FUSE_DEPTH);
        Ok(match mode {
            SearchMode::Keyword => self
                .keywords
                .search(text, k, keep)
                .into_iter()
                .enumerate()
                .map(|(r, h)| SearchHit {
                    doc: h.index,
                    score: h.score,
                    semantic: None,
                    keyword: Some((r as u32 + 1, h.score)),
                })
                .collect(),
            SearchMode::Semantic => self
                .semantic(vector, k, filter)?
                .into_iter()
                .enumerate()
                .map(|(r, h)| SearchHit {
                    doc: h.index,
                    score: h.score,
                    semantic: Some((r as u32 + 1, h.score)),
                    keyword: None,
                })
                .collect(),
            SearchMode::Hybrid => {
                let semantic = self.semantic(vector, depth, filter)?;
                let keyword = self.keywords.search(text, depth, keep);
                reciprocal_rank_fusion(&semantic, &keyword, RRF_K)
                    .into_iter()
                    .take(k)
                    .map(|f| SearchHit {
                        doc: f.index,
                        score: f.score,
                        semantic: f.semantic,
                        keyword: f.keyword,
                    })
                    .collect()
            }
        })
    }

    fn semantic(
        &self,
        vector: Option<&[f32]>,
        k: usize,
        filter: &SearchFilter,
    ) -> Result<Vec<Hit>> {
        let vectors = self
            .vectors
            .as_ref()
            .ok_or_else(|| Error::Vector("this corpus has no embeddings".into()))?;
        let query =
            vector.ok_or_else(|| Error::Vector("a semantic search needs a query vector".into()))?;
        let keep = |doc: u32| self.accepts(filter, doc);
        let rows = vectors.index.vectors();
        let selective = || (0..self.docs.len() as u32).filter(|&d| keep(d)).count() < EXACT_BELOW;
        if query.len() == rows.dim() && !filter.is_open() && selective() {
            return Ok(top_k(rows, query, k, keep));
        }
        vectors.index.search(query, k, keep)
    }
}
