//! Semantic duplicates: documents whose embeddings are within a cosine
//! threshold of their cluster's representative.
//!
//! # The rule: leader clustering in corpus order
//!
//! Documents are taken in corpus order. A document whose cosine with an
//! earlier *leader* is at least the threshold joins the cluster of the
//! earliest such leader; a document close to no earlier leader becomes a
//! leader itself. A cluster is a leader with the documents that joined it,
//! when there is at least one; its representative is the leader, its first
//! member in corpus order. So:
//!
//! - every member is within the threshold of its representative: clusters
//!   never grow by chains of single links (joining each document with its
//!   neighbours, transitively, once put 125 unrelated licence files at
//!   cosine 0.71–0.95 in one cluster of the demo corpus);
//! - no leader is within the threshold of an earlier one;
//! - a dedup that keeps each cluster's representative keeps the first
//!   document of a group of duplicates, like the MinHash clusters'
//!   representatives and the export's default "keep the first" policy.
//!
//! The same documents can cluster differently in another order; in a given
//! order the result is fully determined. Equivalently, taking leaders in
//! order, each claims every later document within the threshold that no
//! earlier leader claimed.
//!
//! # Two ways to find the leaders
//!
//! Without a graph (below [`HNSW_THRESHOLD`] documents) the rule is exact:
//! documents go in blocks of 64; each is compared with the leaders
//! before its block, a tile of leaders at a time, earliest first, stopping
//! at its first leader within the threshold, then with the leaders of its
//! own block. With no duplicates this compares every pair once, as a full
//! similarity join does; duplicates stop early.
//!
//! With a graph, each leader in corpus order searches its
//! `params.neighbours + 1` nearest documents (beam `params.ef_search`) and
//! claims those within the threshold that no leader has claimed; while every
//! document found is within the threshold the search is widened (twice the
//! documents, a beam at least as wide), so a group of any size is gathered
//! by its leader. A document the graph misses leads a cluster of its own or
//! joins a later leader: the result can differ from the exact rule, never
//! in the guarantee that every member is within the threshold of its
//! representative.

use super::exact::Hit;
use super::index::{SemanticIndex, HNSW_THRESHOLD};
use super::kernel::dot;
use super::matrix::Vectors;
use super::Hnsw;
use crate::dedup::Cluster;
use crate::{Error, Result};
use serde::{Deserialize, Serialize};

/// Which rule [`semantic_clusters_in`] follows, as stored beside its
/// clusters ([`super::StoredVectors::semantic_rule`]): 1 is the leader rule
/// of this module; 0, clusters stored before the field existed, were grown
/// by single links.
pub const SEMANTIC_RULE: u32 = 1;

/// Parameters of [`semantic_clusters`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SemDedupParams {
    /// Minimum cosine of a member with its cluster's representative.
    pub threshold: f32,
    /// Documents a leader first searches for with a graph (widened while
    /// all are within the threshold); unused by the exact rule.
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

/// Clusters of two or more documents (unit-norm rows of `vectors`) by the
/// leader rule (see the module docs), largest first (then by
/// representative); members ascending, the representative first, ids
/// renumbered from 0.
pub fn semantic_clusters(vectors: &Vectors, params: SemDedupParams) -> Result<Vec<Cluster>> {
    check(params)?;
    let index = SemanticIndex::build(vectors.clone(), HNSW_THRESHOLD)?;
    semantic_clusters_in(&index, params)
}

/// [`semantic_clusters`] over the vectors of an index already built: exact
/// without a graph, through the graph with one.
pub fn semantic_clusters_in(index: &SemanticIndex, params: SemDedupParams) -> Result<Vec<Cluster>> {
    check(params)?;
    let vectors = index.vectors();
    let leaders = match index.graph() {
        Some(graph) => leaders_by_graph(vectors, graph, params),
        None => leaders_exact(vectors, params.threshold),
    };
    Ok(clusters_of(&leaders))
}

/// Rows per tile of [`leaders_exact`]: two tiles of 128-dimensional rows
/// (64 KB) stay in the cache while every pair between them is compared.
const TILE: usize = 64;

/// Each document's leader (itself for a leader) by the exact rule.
fn leaders_exact(vectors: &Vectors, threshold: f32) -> Vec<u32> {
    let n = vectors.len();
    let mut leader_of = vec![0u32; n];
    let mut leaders: Vec<u32> = Vec::new();
    let first_within = |row: &[f32], among: &[u32]| {
        among
            .iter()
            .copied()
            .find(|&l| dot(row, vectors.row(l as usize)) >= threshold)
    };
    for start in (0..n).step_by(TILE) {
        let before = leaders.len();
        let mut open: Vec<usize> = (start..(start + TILE).min(n)).collect();
        for tile in leaders[..before].chunks(TILE) {
            if open.is_empty() {
                break;
            }
            open.retain(|&i| match first_within(vectors.row(i), tile) {
                Some(l) => {
                    leader_of[i] = l;
                    false
                }
                None => true,
            });
        }
        for i in open {
            match first_within(vectors.row(i), &leaders[before..]) {
                Some(l) => leader_of[i] = l,
                None => {
                    leader_of[i] = i as u32;
                    leaders.push(i as u32);
                }
            }
        }
    }
    leader_of
}

/// Marks a document no leader has claimed yet.
const UNCLAIMED: u32 = u32::MAX;

/// Each document's leader (itself for a leader), leaders claiming their
/// neighbours found through `graph`.
fn leaders_by_graph(vectors: &Vectors, graph: &Hnsw, params: SemDedupParams) -> Vec<u32> {
    let n = vectors.len();
    let mut leader_of = vec![UNCLAIMED; n];
    for i in 0..n {
        // Every document before `i` is a leader or claimed: `i` leads.
        if leader_of[i] != UNCLAIMED {
            continue;
        }
        leader_of[i] = i as u32;
        let mut k = (params.neighbours + 1).min(n);
        let hits: Vec<Hit> = loop {
            let ef = params.ef_search.max(k);
            let hits = graph.search(vectors, vectors.row(i), k, ef, |_| true);
            let all_within = hits.iter().all(|h| h.score >= params.threshold);
            if all_within && hits.len() == k && k < n {
                k = k.saturating_mul(2).min(n);
            } else {
                break hits;
            }
        };
        for h in hits {
            let slot = &mut leader_of[h.index as usize];
            if h.score >= params.threshold && *slot == UNCLAIMED {
                *slot = i as u32;
            }
        }
    }
    leader_of
}

/// The clusters of two or more documents that `leader_of` makes, largest
/// first, then by representative.
fn clusters_of(leader_of: &[u32]) -> Vec<Cluster> {
    let mut members: Vec<Vec<u32>> = vec![Vec::new(); leader_of.len()];
    for (doc, &leader) in leader_of.iter().enumerate() {
        members[leader as usize].push(doc as u32);
    }
    let mut groups: Vec<Vec<u32>> = members.into_iter().filter(|m| m.len() > 1).collect();
    // Each group is ascending and starts with its leader (a leader precedes
    // the documents it claims).
    groups.sort_by(|a, b| b.len().cmp(&a.len()).then(a[0].cmp(&b[0])));
    groups
        .into_iter()
        .enumerate()
        .map(|(id, m)| Cluster::new(id as u32, m))
        .collect()
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

    /// 300 rows of dimension 16 (tiles of 64 do not divide it): 60 groups of
    /// five noisy copies of a random direction, so that rows have several
    /// neighbours above the threshold.
    fn grouped(noise: f32, copies: usize) -> Vectors {
        let mut state = 7u64;
        let mut next = move || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((state >> 40) as f32 / (1u64 << 24) as f32) - 0.5
        };
        let mut data = Vec::new();
        for _ in 0..300 / copies {
            let centre: Vec<f32> = (0..16).map(|_| next()).collect();
            for _ in 0..copies {
                data.extend(centre.iter().map(|c| c + noise * next()));
            }
        }
        let mut vectors = Vectors::from_flat(16, data).unwrap();
        vectors.normalize();
        vectors
    }

    /// The rule in its other form: leaders in order, each claiming every
    /// later unclaimed document within the threshold; all pairs by `dot`.
    fn claimed_in_order(vectors: &Vectors, threshold: f32) -> Vec<Vec<u32>> {
        let n = vectors.len();
        let mut leader_of: Vec<Option<usize>> = vec![None; n];
        for i in 0..n {
            if leader_of[i].is_some() {
                continue;
            }
            leader_of[i] = Some(i);
            for (j, slot) in leader_of.iter_mut().enumerate().skip(i + 1) {
                if slot.is_none() && dot(vectors.row(i), vectors.row(j)) >= threshold {
                    *slot = Some(i);
                }
            }
        }
        let mut groups: Vec<Vec<u32>> = vec![Vec::new(); n];
        for (j, l) in leader_of.into_iter().enumerate() {
            groups[l.unwrap()].push(j as u32);
        }
        let mut groups: Vec<Vec<u32>> = groups.into_iter().filter(|g| g.len() > 1).collect();
        groups.sort();
        groups
    }

    fn members(clusters: Vec<Cluster>) -> Vec<Vec<u32>> {
        let mut out: Vec<Vec<u32>> = clusters.into_iter().map(|c| c.members).collect();
        out.sort();
        out
    }

    #[test]
    fn exact_rule_equals_leaders_claiming_in_order() {
        for (noise, copies, threshold) in
            [(0.05, 5, 0.9), (0.2, 5, 0.9), (0.5, 10, 0.8), (1.0, 5, 0.5)]
        {
            let vectors = grouped(noise, copies);
            let want = claimed_in_order(&vectors, threshold);
            assert!(!want.is_empty(), "noise {noise}: nothing to compare");
            let index = SemanticIndex::build(vectors, usize::MAX).unwrap();
            let params = SemDedupParams {
                threshold,
                ..SemDedupParams::default()
            };
            let got = members(semantic_clusters_in(&index, params).unwrap());
            assert_eq!(got, want, "noise {noise}, threshold {threshold}");
        }
    }

    #[test]
    fn a_graph_gathers_groups_larger_than_its_first_search() {
        // Groups of 50 near copies; a leader first asks for 4 neighbours.
        let vectors = grouped(0.02, 50);
        let params = SemDedupParams {
            threshold: 0.95,
            neighbours: 3,
            ef_search: 8,
        };
        let want = claimed_in_order(&vectors, params.threshold);
        assert_eq!(want.len(), 6);
        let index = SemanticIndex::build(vectors, 0).unwrap();
        assert!(index.graph().is_some());
        assert_eq!(members(semantic_clusters_in(&index, params).unwrap()), want);
    }

    #[test]
    fn clusters_do_not_grow_by_chains() {
        // Unit vectors 0.3 rad apart: neighbours at cosine 0.955, the ends
        // of the chain at 0.825.
        let angle = |a: f32| [a.cos(), a.sin()];
        let rows: Vec<f32> = [0.0, 0.3, 0.6, 0.9].into_iter().flat_map(angle).collect();
        let vectors = Vectors::from_flat(2, rows).unwrap();
        for graph_from in [usize::MAX, 0] {
            let index = SemanticIndex::build(vectors.clone(), graph_from).unwrap();
            let clusters = semantic_clusters_in(&index, SemDedupParams::default()).unwrap();
            let got: Vec<(u32, Vec<u32>)> = clusters
                .into_iter()
                .map(|c| (c.representative, c.members))
                .collect();
            assert_eq!(got, vec![(0, vec![0, 1]), (2, vec![2, 3])]);
        }
    }

    #[test]
    fn clusters_are_largest_first_then_by_representative() {
        let leader_of = [0, 0, 2, 3, 2, 0, 3, 7];
        let got: Vec<(u32, u32, Vec<u32>)> = clusters_of(&leader_of)
            .into_iter()
            .map(|c| (c.id, c.representative, c.members))
            .collect();
        assert_eq!(
            got,
            vec![
                (0, 0, vec![0, 1, 5]),
                (1, 2, vec![2, 4]),
                (2, 3, vec![3, 6])
            ]
        );
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
