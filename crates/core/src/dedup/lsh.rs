//! Locality-sensitive hashing by banding, and clustering of its candidates.

use serde::{Deserialize, Serialize};

use super::minhash::check_banding;
use super::one_permutation::mix;
use super::{Cluster, ShingleSet, SignatureStore, UnionFind};
use crate::Result;

/// Banding over signatures: band j is values `[j·r, (j+1)·r)`; two documents
/// are a candidate pair when any band is equal in both (compared by the
/// 64-bit [`band_key`] of the band's values).
///
/// Memory: 16 bytes per document and band. Pairs are found band by band, by
/// sorting that band's keys, so the peak beyond the index is one band's pairs
/// plus the distinct pairs found so far.
#[derive(Debug, Clone)]
pub struct LshIndex {
    rows: usize,
    /// Per band: (key of the band's values, document), in insertion order.
    keys: Vec<Vec<(u64, u32)>>,
}

impl LshIndex {
    /// An empty index of `bands` × `rows` over signatures of length `num_perm`.
    pub fn new(num_perm: usize, bands: usize, rows: usize) -> Result<Self> {
        check_banding(num_perm, bands, rows)?;
        Ok(Self {
            rows,
            keys: vec![Vec::new(); bands],
        })
    }

    /// Adds document `doc`. A signature of no shingle (all `u32::MAX`) is not
    /// indexed: empty documents are left to exact dedup.
    pub fn insert(&mut self, doc: u32, signature: &[u32]) {
        if signature.iter().all(|&v| v == u32::MAX) {
            return;
        }
        for (band, keys) in signature.chunks_exact(self.rows).zip(&mut self.keys) {
            keys.push((band_key(band), doc));
        }
    }

    /// Every pair (i, j), i < j, sharing a bucket: sorted, without repeats.
    pub fn candidate_pairs(&self) -> Vec<(u32, u32)> {
        let mut pairs = Vec::new();
        for keys in &self.keys {
            let mut sorted = keys.clone();
            sorted.sort_unstable();
            let mut band = Vec::new();
            for run in sorted.chunk_by(|a, b| a.0 == b.0) {
                for (k, &(_, i)) in run.iter().enumerate() {
                    band.extend(run[k + 1..].iter().map(|&(_, j)| (i.min(j), i.max(j))));
                }
            }
            band.sort_unstable();
            band.dedup();
            pairs = merge_unique(pairs, band);
        }
        pairs
    }
}

impl LshIndex {
    /// The connected components of "shares a bucket" over documents
    /// `0..documents`, found without listing pairs: each bucket's members are
    /// joined to its first. Linear memory, however large a bucket grows.
    pub fn clusters(&self, documents: usize) -> Vec<Cluster> {
        let mut components = UnionFind::new(documents);
        let mut buckets = Buckets::default();
        for keys in &self.keys {
            buckets.reset(keys.len());
            for &(key, doc) in keys {
                let first = buckets.first_or_insert(key, doc);
                if first != doc {
                    components.union(first, doc);
                }
            }
        }
        components.clusters()
    }
}

/// One band's buckets: an open-addressing table from band key to the first
/// document seen with it (linear probing; the keys are already mixed, so
/// their low bits place them). Cheaper than sorting the band's keys.
#[derive(Default)]
struct Buckets {
    /// (key, document); `NO_DOC` marks a free slot.
    slots: Vec<(u64, u32)>,
    mask: usize,
}

const NO_DOC: u32 = u32::MAX;

impl Buckets {
    /// Empties the table, sized for `n` keys at most half full.
    fn reset(&mut self, n: usize) {
        let size = (2 * n).next_power_of_two().max(16);
        self.slots.clear();
        self.slots.resize(size, (0, NO_DOC));
        self.mask = size - 1;
    }

    /// The first document of `key`'s bucket, which is `doc` when it is new.
    fn first_or_insert(&mut self, key: u64, doc: u32) -> u32 {
        let mut at = key as usize & self.mask;
        loop {
            let (k, first) = self.slots[at];
            if first == NO_DOC {
                self.slots[at] = (key, doc);
                return doc;
            }
            if k == key {
                return first;
            }
            at = (at + 1) & self.mask;
        }
    }
}

/// A band's key: its values two at a time (a u64 word, the last padded with
/// 0; every band of an index has the same length) folded through the murmur3
/// finaliser, h ← mix(h ⊕ w). 64-bit arithmetic only: on wasm32, XXH3's
/// 64 × 64 → 128-bit multiply is a call to `__multi3`. Keys live only in
/// memory (never stored), so the hash may change between versions.
fn band_key(band: &[u32]) -> u64 {
    band.chunks(2).fold(0x9E37_79B9_7F4A_7C15, |h, pair| {
        let high = pair.get(1).copied().unwrap_or(0);
        mix(h ^ (u64::from(pair[0]) | u64::from(high) << 32))
    })
}

/// The sorted union of two sorted vectors without repeats.
fn merge_unique(a: Vec<(u32, u32)>, b: Vec<(u32, u32)>) -> Vec<(u32, u32)> {
    if a.is_empty() {
        return b;
    }
    let mut out = Vec::with_capacity(a.len().max(b.len()));
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => {
                out.push(a[i]);
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                out.push(b[j]);
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                out.push(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
    out
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
    /// Whether the pairs were listed; [`cluster_buckets`] finds the same
    /// clusters without listing them (both pair lists are then empty).
    #[serde(default = "listed")]
    pub listed: bool,
}

fn listed() -> bool {
    true
}

/// Near duplicates under a banding when every candidate pair is kept: the
/// clusters [`recluster`] finds without verification, in memory linear in
/// the number of documents (pairs are counted by neither; see
/// [`NearDuplicates::listed`]). A corpus with large duplicate clusters has
/// quadratically many pairs, so this is what reports use.
pub fn cluster_buckets(
    signatures: &SignatureStore,
    bands: usize,
    rows: usize,
) -> Result<NearDuplicates> {
    let mut index = LshIndex::new(signatures.num_perm(), bands, rows)?;
    for (doc, signature) in signatures.iter().enumerate() {
        index.insert(doc as u32, signature);
    }
    Ok(NearDuplicates {
        bands,
        rows,
        verify_threshold: None,
        candidate_pairs: Vec::new(),
        pairs: Vec::new(),
        clusters: index.clusters(signatures.len()),
        listed: false,
    })
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
        listed: true,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The merge is the sorted set union.
        #[test]
        fn merge_is_sorted_union(
            a in proptest::collection::btree_set((0u32..20, 0u32..20), 0..30),
            b in proptest::collection::btree_set((0u32..20, 0u32..20), 0..30),
        ) {
            let want: Vec<_> = a.union(&b).copied().collect();
            let got = merge_unique(a.into_iter().collect(), b.into_iter().collect());
            prop_assert_eq!(got, want);
        }
    }
}
