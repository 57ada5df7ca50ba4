//! Entropy and diversity of token streams, per document and per source.
//!
//! For a stream of `N` tokens in which id `i` occurs `c_i` times, `p_i = c_i / N`:
//!
//! * **Entropy** of the unigram distribution, in bits per token:
//!   `H = -Σ p_i log2 p_i`. It lies in `[0, log2 D]` for `D` distinct ids.
//! * **Normalised entropy** `H / log2 D`, in `[0, 1]`; defined as 0 when
//!   `D ≤ 1` (an empty stream or one id repeated).
//! * **Compression ratio** = compressed bytes / raw UTF-8 bytes, compressing
//!   with zlib-rs (a pure-Rust port of zlib-ng) at level 6 in the **zlib
//!   container** (2-byte header, raw deflate, 4-byte Adler-32), the same bytes
//!   as Python's `zlib_ng.compress(data, 6)`. Classic zlib (Python's `zlib`)
//!   picks other matches and gives other sizes. Defined as 0 for empty text.
//!
//! Per source, [`DiversityTally`] gives the entropy of the **pooled** unigram
//! distribution of all the source's tokens (one `H` over the summed counts, not a
//! mean of per-document values), and beside it the mean of per-document
//! entropies; likewise the pooled compression ratio (Σ compressed / Σ raw, each
//! document compressed alone) and the mean of per-document ratios.

use crate::stats::ratio;
use crate::{Error, Result};
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

/// The zlib level used for compression ratios.
pub const COMPRESSION_LEVEL: i32 = 6;

/// How often each token id occurs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnigramCounts {
    counts: FxHashMap<u32, u64>,
    total: u64,
}

impl UnigramCounts {
    /// Counts the ids of one token stream.
    pub fn from_ids(ids: &[u32]) -> Self {
        let mut counts = Self::default();
        counts.add(ids);
        counts
    }

    /// Adds the ids of a token stream.
    pub fn add(&mut self, ids: &[u32]) {
        for &id in ids {
            *self.counts.entry(id).or_insert(0) += 1;
        }
        self.total += ids.len() as u64;
    }

    /// Adds the counts of `other`.
    pub fn merge(&mut self, other: &UnigramCounts) {
        for (&id, &c) in &other.counts {
            *self.counts.entry(id).or_insert(0) += c;
        }
        self.total += other.total;
    }

    /// Tokens counted.
    pub fn tokens(&self) -> u64 {
        self.total
    }

    /// Distinct ids counted.
    pub fn distinct(&self) -> u64 {
        self.counts.len() as u64
    }

    /// `H = -Σ p_i log2 p_i` in bits per token; 0 for an empty stream.
    ///
    /// Sums in ascending order of counts, so the result does not depend on
    /// the order tokens arrived in.
    pub fn entropy_bits(&self) -> f64 {
        let mut counts: Vec<u64> = self.counts.values().copied().collect();
        counts.sort_unstable();
        let n = self.total as f64;
        let h: f64 = counts
            .iter()
            .map(|&c| {
                let p = c as f64 / n;
                -p * p.log2()
            })
            .sum();
        // -0.0 when every p is 1 (and `max` may keep the sign).
        if h > 0.0 {
            h
        } else {
            0.0
        }
    }

    /// `H / log2 D`, or 0 when there are at most one distinct ids.
    pub fn normalized_entropy(&self) -> f64 {
        normalized_entropy(self.entropy_bits(), self.distinct())
    }
}

/// `entropy_bits / log2 distinct`, or 0 when `distinct ≤ 1`.
pub fn normalized_entropy(entropy_bits: f64, distinct: u64) -> f64 {
    if distinct <= 1 {
        0.0
    } else {
        entropy_bits / (distinct as f64).log2()
    }
}

/// The size of `bytes` compressed by zlib at [`COMPRESSION_LEVEL`], zlib container.
pub fn compressed_size(bytes: &[u8]) -> Result<usize> {
    let mut out = vec![0; zlib_rs::compress_bound(bytes.len())];
    let config = zlib_rs::DeflateConfig::new(COMPRESSION_LEVEL);
    let (compressed, code) = zlib_rs::compress_slice(&mut out, bytes, config);
    match code {
        zlib_rs::ReturnCode::Ok => Ok(compressed.len()),
        other => Err(Error::Compress(format!("zlib returned {other:?}"))),
    }
}

/// Diversity of one document.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct DocumentDiversity {
    pub tokens: u64,
    pub distinct_tokens: u64,
    /// Unigram entropy in bits per token.
    pub entropy_bits: f64,
    /// Entropy over `log2 distinct_tokens`, in [0, 1].
    pub normalized_entropy: f64,
    pub raw_bytes: u64,
    pub compressed_bytes: u64,
    /// `compressed_bytes / raw_bytes`; 0 for empty text.
    pub compression_ratio: f64,
}

impl DocumentDiversity {
    /// Measures `text`, whose token ids are `ids`.
    pub fn measure(text: &str, ids: &[u32]) -> Result<Self> {
        Ok(Self::from_counts(
            &UnigramCounts::from_ids(ids),
            text.len(),
            compressed_size(text.as_bytes())?,
        ))
    }

    /// The diversity of a document of `raw` bytes whose tokens are `counts`
    /// and whose compressed size is `compressed`.
    pub fn from_counts(counts: &UnigramCounts, raw: usize, compressed: usize) -> Self {
        let entropy_bits = counts.entropy_bits();
        Self {
            tokens: counts.tokens(),
            distinct_tokens: counts.distinct(),
            entropy_bits,
            normalized_entropy: normalized_entropy(entropy_bits, counts.distinct()),
            raw_bytes: raw as u64,
            compressed_bytes: compressed as u64,
            compression_ratio: ratio(compressed as f64, raw as f64),
        }
    }
}

/// Diversity of a source: pooled figures and means of per-document figures.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct SourceDiversity {
    pub documents: u64,
    pub tokens: u64,
    pub distinct_tokens: u64,
    /// Entropy of the pooled unigram distribution of all the source's tokens.
    pub pooled_entropy_bits: f64,
    /// Pooled entropy over `log2 distinct_tokens`.
    pub pooled_normalized_entropy: f64,
    /// Mean of the documents' entropies.
    pub mean_document_entropy_bits: f64,
    /// Mean of the documents' normalised entropies.
    pub mean_document_normalized_entropy: f64,
    pub raw_bytes: u64,
    /// Sum of the documents' compressed sizes (each compressed alone).
    pub compressed_bytes: u64,
    /// `compressed_bytes / raw_bytes`.
    pub compression_ratio: f64,
    /// Mean of the documents' compression ratios.
    pub mean_document_compression_ratio: f64,
}

/// Streaming, mergeable accumulator of [`SourceDiversity`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DiversityTally {
    pub unigrams: UnigramCounts,
    pub documents: u64,
    pub raw_bytes: u64,
    pub compressed_bytes: u64,
    pub entropy_sum: f64,
    pub normalized_entropy_sum: f64,
    pub compression_ratio_sum: f64,
}

impl DiversityTally {
    /// Measures one document (its text and ids) and adds it.
    pub fn add(&mut self, text: &str, ids: &[u32]) -> Result<DocumentDiversity> {
        let counts = UnigramCounts::from_ids(ids);
        let document =
            DocumentDiversity::from_counts(&counts, text.len(), compressed_size(text.as_bytes())?);
        self.add_measured(&counts, &document);
        Ok(document)
    }

    /// Adds a document already measured: its unigram counts and diversity.
    pub fn add_measured(&mut self, counts: &UnigramCounts, document: &DocumentDiversity) {
        self.unigrams.merge(counts);
        self.documents += 1;
        self.raw_bytes += document.raw_bytes;
        self.compressed_bytes += document.compressed_bytes;
        self.entropy_sum += document.entropy_bits;
        self.normalized_entropy_sum += document.normalized_entropy;
        self.compression_ratio_sum += document.compression_ratio;
    }

    /// Adds the documents of `other`.
    pub fn merge(&mut self, other: &DiversityTally) {
        self.unigrams.merge(&other.unigrams);
        self.documents += other.documents;
        self.raw_bytes += other.raw_bytes;
        self.compressed_bytes += other.compressed_bytes;
        self.entropy_sum += other.entropy_sum;
        self.normalized_entropy_sum += other.normalized_entropy_sum;
        self.compression_ratio_sum += other.compression_ratio_sum;
    }

    /// The summary of the documents added so far.
    pub fn diversity(&self) -> SourceDiversity {
        let documents = self.documents as f64;
        SourceDiversity {
            documents: self.documents,
            tokens: self.unigrams.tokens(),
            distinct_tokens: self.unigrams.distinct(),
            pooled_entropy_bits: self.unigrams.entropy_bits(),
            pooled_normalized_entropy: self.unigrams.normalized_entropy(),
            mean_document_entropy_bits: ratio(self.entropy_sum, documents),
            mean_document_normalized_entropy: ratio(self.normalized_entropy_sum, documents),
            raw_bytes: self.raw_bytes,
            compressed_bytes: self.compressed_bytes,
            compression_ratio: ratio(self.compressed_bytes as f64, self.raw_bytes as f64),
            mean_document_compression_ratio: ratio(self.compression_ratio_sum, documents),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entropy_of_known_distributions() {
        let close = |a: f64, b: f64| (a - b).abs() < 1e-12;
        // Uniform over 4 ids: 2 bits, normalised 1.
        let u = UnigramCounts::from_ids(&[1, 2, 3, 4, 4, 3, 2, 1]);
        assert!(close(u.entropy_bits(), 2.0));
        assert!(close(u.normalized_entropy(), 1.0));
        // p = (1/2, 1/4, 1/4): 1.5 bits, over log2 3.
        let s = UnigramCounts::from_ids(&[7, 7, 8, 9]);
        assert!(close(s.entropy_bits(), 1.5));
        assert!(close(s.normalized_entropy(), 1.5 / 3f64.log2()));
        for ids in [&[][..], &[5], &[5, 5, 5]] {
            let c = UnigramCounts::from_ids(ids);
            assert_eq!((c.entropy_bits(), c.normalized_entropy()), (0.0, 0.0));
        }
    }

    #[test]
    fn compression_uses_the_zlib_container() {
        // zlib of empty input: 2-byte header, 2 bytes of deflate, 4-byte Adler-32.
        assert_eq!(compressed_size(b"").unwrap(), 8);
        let repeated = "abc".repeat(1000);
        let d = DocumentDiversity::measure(&repeated, &[1; 1000]).unwrap();
        assert!(d.compression_ratio < 0.05, "{d:?}");
        assert_eq!(
            DocumentDiversity::measure("", &[])
                .unwrap()
                .compression_ratio,
            0.0
        );
    }

    #[test]
    fn source_pools_counts() {
        let mut tally = DiversityTally::default();
        tally.add("a", &[1, 1]).unwrap();
        tally.add("b", &[2, 2]).unwrap();
        let d = tally.diversity();
        // Each document has entropy 0; pooled, ids 1 and 2 are equally likely.
        assert_eq!(d.mean_document_entropy_bits, 0.0);
        assert!((d.pooled_entropy_bits - 1.0).abs() < 1e-12);
        assert_eq!((d.documents, d.tokens, d.distinct_tokens), (2, 4, 2));
    }
}
