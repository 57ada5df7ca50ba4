//! Locality-sensitive hashing by banding, and clustering of its candidates.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::xxh3_128;

use super::minhash::check_banding;
use super::{Cluster, ShingleSet, SignatureStore, UnionFind};
use crate::Result;

/// Banding over signatures: band j is values `[j·r, (j+1)·r)`; two documents
/// are a candidate pair when any band is equal in both (keyed by XXH3-128 of
/// the band's little-endian bytes).
#[derive(Debug, Clone)]
pub struct LshIndex {
    rows: usize,
    buckets: Vec<HashMap<u128, Vec<u32>>>,
    bytes: Vec<u8>,
}

impl LshIndex {
    /// An empty index of `bands` × `rows` over signatures of length `num_perm`.
    pub fn new(num_perm: usize, bands: usize, rows: usize) -> Result<Self> {
        check_banding(num_perm, bands, rows)?;
        Ok(Self {
            rows,
            buckets: vec![HashMap::new(); bands],
            bytes: Vec::with_capacity(4 * rows),
        })
    }

    /// Adds document `doc`. A signature of no shingle (all `u32::MAX`) is not
    /// indexed: empty documents are left to exact dedup.
    pub fn insert(&mut self, doc: u32, signature: &[u32]) {
        if signature.iter().all(|&v| v == u32::MAX) {
            return;
        }
        for (band, bucket) in signature.chunks_exact(self.rows).zip(&mut self.buckets) {
            self.bytes.clear();
            self.bytes.extend(band.iter().flat_map(|v| v.to_le_bytes()));
            bucket.entry(xxh3_128(&self.bytes)).or_default().push(doc);
        }
    }

    /// Every pair (i, j), i < j, sharing a bucket: sorted, without repeats.
    pub fn candidate_pairs(&self) -> Vec<(u32, u32)> {
        let mut pairs = Vec::new();
        for docs in self.buckets.iter().flat_map(HashMap::values) {
            for (k, &i) in docs.iter().enumerate() {
                pairs.extend(docs[k + 1..].iter().map(|&j| (i.min(j), i.max(j))));
            }
        }
        pairs.sort_unstable();
        pairs.dedup();
        pairs
    }
}

/// Keep a candidate pair only if the exact Jaccard of its shingle sets is at
/// least `threshold`.
#[derive(Debug, Clone, Copy)]
pub struct Verification<'a> {
    /// Shingle sets indexed by document.
    pub shingles: &'a [ShingleSet],
    pub threshold: f64,
}

/// Near duplicates under one banding.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NearDuplicates {
    pub bands: usize,
    pub rows: usize,
    /// The verification threshold, when candidate pairs were verified.
    pub verify_threshold: Option<f64>,
    /// Pairs sharing a bucket.
    pub candidate_pairs: Vec<(u32, u32)>,
    /// The candidate pairs kept (all of them without verification).
    pub pairs: Vec<(u32, u32)>,
    /// Connected components of the kept pairs.
    pub clusters: Vec<Cluster>,
}

/// Clusters stored signatures under a banding `bands` × `rows` (b·r ≤ K),
/// without re-hashing any document.
pub fn recluster(
    signatures: &SignatureStore,
    bands: usize,
    rows: usize,
    verify: Option<Verification<'_>>,
) -> Result<NearDuplicates> {
    let mut index = LshIndex::new(signatures.num_perm(), bands, rows)?;
    for (doc, signature) in signatures.iter().enumerate() {
        index.insert(doc as u32, signature);
    }
    let candidate_pairs = index.candidate_pairs();
    let pairs: Vec<(u32, u32)> = match verify {
        None => candidate_pairs.clone(),
        Some(v) => candidate_pairs
            .iter()
            .copied()
            .filter(|&(i, j)| {
                v.shingles[i as usize].jaccard(&v.shingles[j as usize]) >= v.threshold
            })
            .collect(),
    };
    let mut components = UnionFind::new(signatures.len());
    for &(i, j) in &pairs {
        components.union(i, j);
    }
    Ok(NearDuplicates {
        bands,
        rows,
        verify_threshold: verify.map(|v| v.threshold),
        candidate_pairs,
        pairs,
        clusters: components.clusters(),
    })
}
