//! Deduplication: exact duplicates, near duplicates by MinHash + LSH, and how
//! much each source overlaps the others.
//!
//! # Exact duplicates
//! Two documents are exact duplicates when their normal forms are equal
//! ([`normalize`]): Unicode NFKC, then full Unicode lowercase
//! (`str::to_lowercase`, final sigma included), then every run of Unicode
//! `White_Space` replaced by one space and the ends trimmed. The key is the
//! 128-bit XXH3 of the normal form's UTF-8 bytes ([`exact_hash`]); with 2^128
//! values a collision among even 10^12 documents has probability below 10^-14.
//! [`exact_clusters`] groups equal keys; the representative is the first
//! document.
//!
//! # Near duplicates
//! The field's recipe (datatrove, FineWeb), every step tunable through
//! [`MinHashParams`]:
//! 1. [`Shingler`]: a document becomes the set S of its shingles, word 5-grams
//!    by default ([`ShingleKind::Words`]; words are maximal runs of
//!    alphanumeric characters, lowercased) or character n-grams
//!    ([`ShingleKind::Chars`], for code and CJK), each hashed to a u64.
//! 2. [`MinHasher`]: a [`Signature`] of K = 112 values whose positions agree
//!    between two sets A and B with probability J(A, B) = |A ∩ B| / |A ∪ B|,
//!    so the fraction of equal positions estimates J (standard error about
//!    √(J(1 − J)/K)). Two schemes ([`MinHashScheme`]); signatures compare only
//!    under the same scheme, seed and K:
//!    - one-permutation hashing with optimal densification (the default; Li,
//!      Owen & Zhang 2012, Shrivastava 2017): one keyed 64-bit mix per
//!      shingle picks one of K bins (its high half) and a value (its low
//!      half), each bin keeps its minimum, and each empty bin copies the value
//!      of the first non-empty bin along a seeded probe sequence shared by all
//!      documents. O(n + K) per document.
//!    - K permutations h_i(x) = ((a_i·x + b_i) mod p) mod 2^32 with the
//!      Mersenne prime p = 2^61 − 1 (datasketch's family), the signature
//!      (min_{x∈S} h_i(x))_i. O(n·K) per document; what parameters stored
//!      before the scheme was a parameter mean.
//! 3. [`LshIndex`]: the signature is cut into b = 14 bands of r = 8 rows; two
//!    documents are a candidate pair when some band is equal, which happens
//!    with probability p(J) = 1 − (1 − J^r)^b ([`s_curve`]). [`optimal_params`]
//!    picks (b, r) for a target threshold as datasketch does.
//! 4. Optional [`Verification`]: a candidate pair is kept only if the exact
//!    Jaccard of its [`ShingleSet`]s reaches a threshold (the sets are kept
//!    only when verifying).
//! 5. [`UnionFind`]: kept pairs are joined into connected components, the
//!    near-duplicate [`Cluster`]s.
//!
//! Signatures are kept in a [`SignatureStore`] (compact little-endian bytes,
//! for IndexedDB), so [`recluster`] applies another banding (b·r ≤ K) or
//! verification threshold without re-hashing.
//!
//! # Cross-source overlap and the report
//! [`OverlapMatrix`] counts, for each ordered pair of sources (A, B), the
//! documents of A with a duplicate in B; [`DedupReport`] gathers clusters,
//! counts, per-source duplicate fractions, the matrix and the parameters.

mod exact;
mod lsh;
mod minhash;
mod one_permutation;
mod overlap;
mod shingle;
mod store;
mod threshold;
mod union_find;

pub use exact::{exact_clusters, exact_clusters_of, exact_hash, normalize};
pub use lsh::{cluster_buckets, recluster, LshIndex, NearDuplicates, Verification};
pub use minhash::{
    check_banding, estimate_jaccard, MinHashParams, MinHashScheme, MinHasher, Signature,
    MERSENNE_61,
};
pub use overlap::OverlapMatrix;
pub use shingle::{ShingleKind, ShingleSet, Shingler};
pub use store::SignatureStore;
pub use threshold::{banding_threshold, optimal_params, s_curve};
pub use union_find::{Cluster, UnionFind};

use serde::{Deserialize, Serialize};

use crate::{Document, Error, Result};

/// What a dedup run does: the MinHash + LSH parameters and, optionally, the
/// exact-Jaccard threshold that verifies candidate pairs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct DedupParams {
    pub minhash: MinHashParams,
    pub verify_threshold: Option<f64>,
}

/// Duplicates within one source. A duplicate is a cluster member other than
/// its representative: what dedup would remove.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceDuplicates {
    pub source: String,
    pub documents: u64,
    pub exact_duplicates: u64,
    pub near_duplicates: u64,
    /// `exact_duplicates / documents`.
    pub exact_fraction: f64,
    /// `near_duplicates / documents`.
    pub near_fraction: f64,
}

/// Everything a dedup run found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DedupReport {
    pub params: DedupParams,
    pub documents: u64,
    pub exact_clusters: Vec<Cluster>,
    pub near_clusters: Vec<Cluster>,
    /// Distinct candidate pairs, when they were listed (with verification).
    pub candidate_pairs: Option<u64>,
    /// Candidate pairs kept after verification, when listed.
    pub near_pairs: Option<u64>,
    pub docs_in_exact_clusters: u64,
    pub docs_in_near_clusters: u64,
    pub sources: Vec<SourceDuplicates>,
    pub overlap: OverlapMatrix,
}

impl DedupReport {
    /// The report for documents of `doc_sources` (by index).
    pub fn new(
        params: DedupParams,
        doc_sources: &[&str],
        exact_clusters: Vec<Cluster>,
        near: &NearDuplicates,
    ) -> Self {
        let overlap = OverlapMatrix::new(doc_sources, &exact_clusters, &near.clusters);
        let source_of = |doc: u32| {
            let name = doc_sources[doc as usize];
            overlap.sources.iter().position(|s| s == name).unwrap_or(0)
        };
        let n = overlap.sources.len();
        let (mut documents, mut exact, mut near_dups) =
            (vec![0u64; n], vec![0u64; n], vec![0u64; n]);
        for name in doc_sources {
            documents[overlap.sources.iter().position(|s| s == name).unwrap_or(0)] += 1;
        }
        for (clusters, counts) in [
            (&exact_clusters, &mut exact),
            (&near.clusters, &mut near_dups),
        ] {
            for doc in clusters.iter().flat_map(|c| &c.members[1..]) {
                counts[source_of(*doc)] += 1;
            }
        }
        let sources = (0..n)
            .map(|i| SourceDuplicates {
                source: overlap.sources[i].clone(),
                documents: documents[i],
                exact_duplicates: exact[i],
                near_duplicates: near_dups[i],
                exact_fraction: exact[i] as f64 / documents[i] as f64,
                near_fraction: near_dups[i] as f64 / documents[i] as f64,
            })
            .collect();
        let members = |c: &[Cluster]| c.iter().map(|c| c.members.len() as u64).sum();
        Self {
            params,
            documents: doc_sources.len() as u64,
            docs_in_exact_clusters: members(&exact_clusters),
            docs_in_near_clusters: members(&near.clusters),
            exact_clusters,
            near_clusters: near.clusters.clone(),
            candidate_pairs: near.listed.then_some(near.candidate_pairs.len() as u64),
            near_pairs: near.listed.then_some(near.pairs.len() as u64),
            sources,
            overlap,
        }
    }
}

/// A dedup run: the report, and what re-clustering needs.
#[derive(Debug, Clone)]
pub struct Deduped {
    pub report: DedupReport,
    pub signatures: SignatureStore,
    /// Shingle sets by document; empty unless verification was on.
    pub shingles: Vec<ShingleSet>,
}

/// Finds exact and near duplicates among `docs` (identified by index).
pub fn dedup(docs: &[Document], params: DedupParams) -> Result<Deduped> {
    let mut hasher = MinHasher::new(params.minhash)?;
    let mut signatures = SignatureStore::new(params.minhash.num_perm);
    let mut shingles = Vec::new();
    for doc in docs {
        signatures.push(&hasher.signature(&doc.text))?;
        if params.verify_threshold.is_some() {
            shingles.push(hasher.shingler().shingle_set(&doc.text));
        }
    }
    let hashes: Vec<u128> = docs.iter().map(|d| exact_hash(&d.text)).collect();
    let doc_sources: Vec<&str> = docs.iter().map(|d| d.source.as_str()).collect();
    let report = dedup_from(params, &doc_sources, &hashes, &signatures, &shingles)?;
    Ok(Deduped {
        report,
        signatures,
        shingles,
    })
}

/// The dedup report from what was computed per document: its source, its
/// [`exact_hash`], its signature and (only when verifying) its shingle set.
pub fn dedup_from(
    params: DedupParams,
    doc_sources: &[&str],
    hashes: &[u128],
    signatures: &SignatureStore,
    shingles: &[ShingleSet],
) -> Result<DedupReport> {
    if params.verify_threshold.is_some() && shingles.len() != signatures.len() {
        return Err(Error::DedupParams(format!(
            "verification needs a shingle set per document: {} sets for {} documents",
            shingles.len(),
            signatures.len()
        )));
    }
    let m = &params.minhash;
    let near = match params.verify_threshold {
        // Without verification, clusters come from the buckets directly:
        // listing every pair is quadratic in the size of a duplicate cluster.
        None => cluster_buckets(signatures, m.bands, m.rows)?,
        Some(threshold) => {
            let verify = Verification {
                shingles,
                threshold,
            };
            recluster(signatures, m.bands, m.rows, Some(verify))?
        }
    };
    let exact = exact_clusters_of(hashes);
    Ok(DedupReport::new(params, doc_sources, exact, &near))
}
