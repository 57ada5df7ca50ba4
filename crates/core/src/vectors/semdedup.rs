//! SemDeDup-style semantic duplicates: documents whose embeddings have a
//! cosine ≥ a threshold are joined, transitively.

use super::exact::{Hit, TopK};
use super::index::{SemanticIndex, HNSW_THRESHOLD};
use super::kernel::dot;
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

/// [`semantic_clusters`] over the vectors of an index already built: each
/// document is joined with its `params.neighbours` nearest others whose
/// cosine is at least the threshold. With a graph, they are searched for
/// (beam `params.ef_search`); without, every pair is compared once.
pub fn semantic_clusters_in(index: &SemanticIndex, params: SemDedupParams) -> Result<Vec<Cluster>> {
    check(params)?;
    let vectors = index.vectors();
    let n = vectors.len();
    let mut sets = UnionFind::new(n);
    let mut join = |i: usize, hits: &mut dyn Iterator<Item = Hit>| {
        let others = hits.filter(|h| h.index as usize != i && h.score >= params.threshold);
        for h in others.take(params.neighbours) {
            sets.union(i as u32, h.index);
        }
    };
    match index.graph() {
        Some(g) => {
            for i in 0..n {
                let k = params.neighbours + 1;
                let hits = g.search(vectors, vectors.row(i), k, params.ef_search, |_| true);
                join(i, &mut hits.into_iter());
            }
        }
        None => {
            let nearest = nearest_above(vectors, params.threshold, params.neighbours);
            for (i, near) in nearest.into_iter().enumerate() {
                join(i, &mut near.into_iter());
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

/// Rows per tile of [`nearest_above`]: two tiles of 128-dimensional rows
/// (64 KB) stay in the cache while every pair between them is compared.
const TILE: usize = 64;

/// For each row, its `k` nearest other rows among those whose dot product
/// with it is at least `threshold` (best first, ties by ascending index):
/// each pair computed once, tile by tile; memory in rows × k.
fn nearest_above(vectors: &Vectors, threshold: f32, k: usize) -> Vec<Vec<Hit>> {
    let n = vectors.len();
    let mut near: Vec<TopK> = (0..n).map(|_| TopK::new(k)).collect();
    for a in (0..n).step_by(TILE) {
        for b in (a..n).step_by(TILE) {
            for i in a..(a + TILE).min(n) {
                let row = vectors.row(i);
                let from = if a == b { i + 1 } else { b };
                for j in from..(b + TILE).min(n) {
                    let score = dot(row, vectors.row(j));
                    if score >= threshold {
                        near[i].offer(Hit {
                            index: j as u32,
                            score,
                        });
                        near[j].offer(Hit {
                            index: i as u32,
                            score,
                        });
                    }
                }
            }
        }
    }
    near.into_iter().map(TopK::into_sorted).collect()
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
    use crate::vectors::top_k;

    /// 300 rows of dimension 16 (tiles of 64 do not divide it): 60 groups of
    /// five noisy copies of a random direction, so that rows have several
    /// neighbours above the threshold and the `neighbours` cap matters.
    fn grouped(noise: f32) -> Vectors {
        let mut state = 7u64;
        let mut next = move || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((state >> 40) as f32 / (1u64 << 24) as f32) - 0.5
        };
        let mut data = Vec::new();
        for _ in 0..60 {
            let centre: Vec<f32> = (0..16).map(|_| next()).collect();
            for _ in 0..5 {
                data.extend(centre.iter().map(|c| c + noise * next()));
            }
        }
        let mut vectors = Vectors::from_flat(16, data).unwrap();
        vectors.normalize();
        vectors
    }

    #[test]
    fn pairs_once_equal_a_search_per_row() {
        for (noise, neighbours) in [(0.05, 2), (0.2, 3), (0.2, 16), (1.0, 16)] {
            let vectors = grouped(noise);
            let params = SemDedupParams {
                threshold: 0.9,
                neighbours,
                ..SemDedupParams::default()
            };
            // Reference: every row's full ranking by `top_k`, then the rule.
            let mut sets = UnionFind::new(vectors.len());
            let mut joined = 0;
            for i in 0..vectors.len() {
                let ranked = top_k(&vectors, vectors.row(i), vectors.len(), |_| true);
                let others = ranked
                    .into_iter()
                    .filter(|h| h.index as usize != i && h.score >= params.threshold);
                for h in others.take(neighbours) {
                    sets.union(i as u32, h.index);
                    joined += 1;
                }
            }
            let mut want: Vec<Vec<u32>> = sets.clusters().into_iter().map(|c| c.members).collect();
            let index = SemanticIndex::build(vectors, usize::MAX).unwrap();
            let mut got: Vec<Vec<u32>> = semantic_clusters_in(&index, params)
                .unwrap()
                .into_iter()
                .map(|c| c.members)
                .collect();
            want.sort();
            got.sort();
            assert!(
                joined > 0 && !want.is_empty(),
                "noise {noise}: nothing to compare"
            );
            assert_eq!(got, want, "noise {noise}, neighbours {neighbours}");
        }
    }

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
