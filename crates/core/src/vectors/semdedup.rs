//! SemDeDup-style semantic duplicates: documents whose embeddings have a
//! cosine ≥ a threshold are joined, transitively.

use super::exact::top_k;
use super::index::{SemanticIndex, HNSW_THRESHOLD};
use super::matrix::Vectors;
use crate::dedup::{Cluster, UnionFind};
use crate::{Error, Result};
use serde::{Deserialize, Serialize};

/// Parameters of [`semantic_clusters`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SemDedupParams {
    /// Minimum cosine for two documents to be duplicates.
    pub threshold: f32,
    /// Neighbours looked at per document.
    pub neighbours: usize,
    /// Beam width when HNSW is used.
    pub ef_search: usize,
}

impl Default for SemDedupParams {
    fn default() -> Self {
        Self {
            threshold: 0.95,
            neighbours: 16,
            ef_search: 64,
        }
    }
}

/// Clusters of two or more documents (unit-norm rows of `vectors`), largest
/// first (then by first member); members ascending, ids renumbered from 0.
pub fn semantic_clusters(vectors: &Vectors, params: SemDedupParams) -> Result<Vec<Cluster>> {
    check(params)?;
    let index = SemanticIndex::build(vectors.clone(), HNSW_THRESHOLD)?;
    semantic_clusters_in(&index, params)
}

/// [`semantic_clusters`] over the vectors of an index already built (its
/// graph, if any, is searched with `params.ef_search`).
pub fn semantic_clusters_in(index: &SemanticIndex, params: SemDedupParams) -> Result<Vec<Cluster>> {
    check(params)?;
    let vectors = index.vectors();
    let n = vectors.len();
    let k = params.neighbours + 1;
    let mut sets = UnionFind::new(n);
    for i in 0..n {
        let row = vectors.row(i);
        let hits = match index.graph() {
            Some(g) => g.search(vectors, row, k, params.ef_search, |_| true),
            None => top_k(vectors, row, k, |_| true),
        };
        for h in hits {
            if h.index as usize != i && h.score >= params.threshold {
                sets.union(i as u32, h.index);
            }
        }
    }
    let mut clusters = sets.clusters();
    clusters.sort_by(|a, b| {
        b.members
            .len()
            .cmp(&a.members.len())
            .then(a.members[0].cmp(&b.members[0]))
    });
    Ok(clusters
        .into_iter()
        .enumerate()
        .map(|(id, c)| Cluster::new(id as u32, c.members))
        .collect())
}

fn check(params: SemDedupParams) -> Result<()> {
    if !(-1.0..=1.0).contains(&params.threshold) {
        return Err(Error::DedupParams(format!(
            "cosine threshold {} is not in [-1, 1]",
            params.threshold
        )));
    }
    Ok(())
}

/// How semantic clusters and the MinHash (exact and near) clusters of the
/// same documents compare: how many documents each puts in a cluster, and
/// how many both do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClusterComparison {
    pub semantic_clusters: u64,
    pub semantic_documents: u64,
    pub minhash_documents: u64,
    pub both: u64,
}

/// Compares `semantic` clusters with `minhash` ones (exact and near) over
/// `documents` documents; members past `documents` are ignored.
pub fn compare_clusters<'a>(
    documents: usize,
    semantic: &[Cluster],
    minhash: impl IntoIterator<Item = &'a Cluster>,
) -> ClusterComparison {
    let mark = |clusters: &mut dyn Iterator<Item = &Cluster>| {
        let mut inside = vec![false; documents];
        for m in clusters.flat_map(|c| c.members.iter()) {
            if let Some(slot) = inside.get_mut(*m as usize) {
                *slot = true;
            }
        }
        inside
    };
    let sem = mark(&mut semantic.iter());
    let min = mark(&mut minhash.into_iter());
    let count = |v: &[bool]| v.iter().filter(|&&b| b).count() as u64;
    ClusterComparison {
        semantic_clusters: semantic.len() as u64,
        semantic_documents: count(&sem),
        minhash_documents: count(&min),
        both: sem.iter().zip(&min).filter(|(a, b)| **a && **b).count() as u64,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comparison_counts_documents_in_either_and_both() {
        let semantic = vec![Cluster::new(0, vec![0, 1, 2]), Cluster::new(1, vec![7, 8])];
        let exact = [Cluster::new(0, vec![1, 2])];
        let near = [Cluster::new(0, vec![2, 3, 9]), Cluster::new(1, vec![20])];
        let got = compare_clusters(10, &semantic, exact.iter().chain(&near));
        assert_eq!(
            got,
            ClusterComparison {
                semantic_clusters: 2,
                semantic_documents: 5,
                minhash_documents: 4,
                both: 2,
            }
        );
    }
}
