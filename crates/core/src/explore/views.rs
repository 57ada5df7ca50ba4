//! What the explorer's views show: search results, the embedding map, a
//! document with its token boundaries, a cluster's members.

use crate::inspect::DiffPiece;
use crate::tokenize::TokenPiece;
use crate::vectors::snippet::Piece;
use crate::vectors::DupStatus;
use serde::{Deserialize, Serialize};

/// Characters of text shown per result.
pub(super) const SNIPPET_CHARS: usize = 240;

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

/// Semantic clusters the map colours one by one; the others share a colour.
pub(super) const MAP_CLUSTERS: usize = 8;

/// Sampled points of the 2-D embedding map.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MapPoints {
    /// Source names, sorted.
    pub sources: Vec<String>,
    /// Sizes of the largest semantic clusters, largest first.
    pub clusters: Vec<u32>,
    pub points: Vec<MapPoint>,
}

/// One document on the map.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct MapPoint {
    pub x: f32,
    pub y: f32,
    /// Index of its source in `MapPoints::sources`.
    pub source: u16,
    /// 0: in no semantic cluster; k ≤ `clusters.len()`: in the k-th
    /// largest; above: in a smaller one.
    pub cluster: u16,
}

/// Tokens of a document shown with their boundaries.
pub(super) const TOKENS_SHOWN: usize = 4000;
/// Nearest neighbours listed in the document view.
pub(super) const NEIGHBOURS: usize = 10;

/// One document as the document view shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocumentView {
    pub doc: u32,
    pub source: String,
    pub tokens: u32,
    pub bytes: u64,
    pub status: DupStatus,
    /// The text cut at token boundaries, up to [`TOKENS_SHOWN`] tokens.
    pub pieces: Vec<TokenPiece>,
    /// Whether more tokens follow than are shown.
    pub cut: bool,
    /// The clusters the document is in: kind, id, size.
    pub clusters: Vec<(ClusterKind, u32, u32)>,
    /// Its nearest neighbours by embedding: document, cosine, source.
    pub neighbours: Vec<(u32, f32, String)>,
}

/// Clusters listed per kind.
pub(super) const CLUSTERS_LISTED: usize = 50;

/// Members of a cluster shown at most.
pub(super) const MEMBERS_SHOWN: usize = 50;

pub use crate::cluster_list::ClusterKind;

/// A cluster member beside its representative.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Member {
    pub doc: u32,
    pub source: String,
    pub tokens: u32,
    /// MinHash estimate and exact shingle-set Jaccard with the representative.
    pub estimated_jaccard: f64,
    pub exact_jaccard: f64,
    /// Embedding cosine with the representative, when embedded.
    pub cosine: Option<f32>,
    /// The representative → this member, word by word (the representative's
    /// own text for itself); `cut` when a long text was compared on its start.
    pub diff: Vec<DiffPiece>,
    pub cut: bool,
}
