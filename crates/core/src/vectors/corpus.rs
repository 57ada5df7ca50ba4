//! What a corpus derives from its embeddings, built once after ingestion and
//! stored beside it: the search index, the 2-D map and the semantic clusters.

use super::index::{SemanticIndex, HNSW_THRESHOLD};
use super::matrix::Vectors;
use super::project::pca_2d;
use super::semdedup::{semantic_clusters_in, SemDedupParams, SEMANTIC_RULE};
use super::Hnsw;
use crate::dedup::Cluster;
use crate::{Error, Result};
use serde::{Deserialize, Serialize};

/// A corpus's embeddings with everything derived from them.
#[derive(Debug, Clone)]
pub struct CorpusVectors {
    pub index: SemanticIndex,
    /// Each document's point on the first two principal axes.
    pub map: Vec<[f32; 2]>,
    pub semantic: Vec<Cluster>,
    pub params: SemDedupParams,
}

/// [`CorpusVectors`] as stored: binary arrays and the clusters. The vectors
/// themselves are stored apart, batch by batch, as they are computed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredVectors {
    pub dim: u32,
    pub rows: u32,
    /// [`Hnsw::to_bytes`], when the corpus is large enough for a graph.
    #[serde(with = "serde_bytes")]
    pub graph: Option<Vec<u8>>,
    /// The map as little-endian f32 pairs.
    #[serde(with = "serde_bytes")]
    pub map: Vec<u8>,
    pub semantic: Vec<Cluster>,
    pub params: SemDedupParams,
    /// The rule that made `semantic`: [`SEMANTIC_RULE`] when stored by this
    /// version; 0 (missing) when stored before the rule had a number, when
    /// clusters grew by single links. [`CorpusVectors::from_stored`]
    /// recomputes clusters of an older rule; [`Self::is_current`] says
    /// whether to store them again.
    #[serde(default)]
    pub semantic_rule: u32,
}

impl StoredVectors {
    /// Whether `semantic` follows today's rule ([`SEMANTIC_RULE`]).
    pub fn is_current(&self) -> bool {
        self.semantic_rule == SEMANTIC_RULE
    }
}

impl CorpusVectors {
    /// Normalises `vectors` (user vectors may not be), then indexes, projects
    /// and clusters them.
    pub fn build(mut vectors: Vectors, params: SemDedupParams) -> Result<Self> {
        vectors.normalize();
        let map = pca_2d(&vectors);
        let index = SemanticIndex::build(vectors, HNSW_THRESHOLD)?;
        let semantic = semantic_clusters_in(&index, params)?;
        Ok(Self {
            index,
            map,
            semantic,
            params,
        })
    }

    /// The parts to store.
    pub fn to_stored(&self) -> StoredVectors {
        let vectors = self.index.vectors();
        StoredVectors {
            dim: vectors.dim() as u32,
            rows: vectors.len() as u32,
            graph: self.index.graph().map(Hnsw::to_bytes),
            map: self
                .map
                .iter()
                .flatten()
                .flat_map(|v| v.to_le_bytes())
                .collect(),
            semantic: self.semantic.clone(),
            params: self.params,
            semantic_rule: SEMANTIC_RULE,
        }
    }

    /// Rebuilds from `vectors` (as stored, in document order) and what
    /// [`Self::to_stored`] gave, without recomputing anything, except
    /// semantic clusters stored by an older rule: those are recomputed with
    /// the stored parameters (see [`StoredVectors::is_current`]).
    pub fn from_stored(mut vectors: Vectors, stored: StoredVectors) -> Result<Self> {
        if vectors.len() != stored.rows as usize || vectors.dim() != stored.dim as usize {
            return Err(Error::Vector(format!(
                "stored index covers {} rows of {}, found {} rows of {}",
                stored.rows,
                stored.dim,
                vectors.len(),
                vectors.dim()
            )));
        }
        if stored.map.len() != vectors.len() * 8 {
            return Err(Error::Vector(format!(
                "stored map has {} bytes for {} rows",
                stored.map.len(),
                vectors.len()
            )));
        }
        vectors.normalize();
        let map = stored
            .map
            .chunks_exact(8)
            .map(|c| {
                let f = |i: usize| f32::from_le_bytes([c[i], c[i + 1], c[i + 2], c[i + 3]]);
                [f(0), f(4)]
            })
            .collect();
        let current = stored.is_current();
        let index = match stored.graph {
            Some(bytes) => SemanticIndex::with_graph(vectors, Hnsw::from_bytes(&bytes)?)?,
            None => SemanticIndex::build(vectors, usize::MAX)?,
        };
        let semantic = if current {
            stored.semantic
        } else {
            semantic_clusters_in(&index, stored.params)?
        };
        Ok(Self {
            index,
            map,
            semantic,
            params: stored.params,
        })
    }
}
