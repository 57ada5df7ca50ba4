//! Streaming, mergeable token tallies and their summaries.

use super::TokenHistogram;
use crate::tokenize::TokenCounter;
use crate::{Document, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The token counts of a set of documents, one per document, in arrival order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenTally {
    /// UTF-8 bytes of all the documents.
    pub bytes: u64,
    /// Tokens of each document (saturating at `u32::MAX`).
    pub counts: Vec<u32>,
}

/// Tokens per document: total, mean, extremes and percentiles.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct TokenSummary {
    pub total: u64,
    pub mean: f64,
    pub min: u32,
    /// Median, linear interpolation (numpy `method="linear"`).
    pub p50: f64,
    pub p90: f64,
    pub p99: f64,
    pub max: u32,
}

/// Token statistics of one source (or of the whole corpus).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SourceStats {
    pub documents: u64,
    pub bytes: u64,
    pub tokens: TokenSummary,
    /// `bytes / tokens.total`; 0 when there is no token.
    pub bytes_per_token: f64,
    pub histogram: TokenHistogram,
}

/// Token statistics of a corpus: overall and per source.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CorpusStats {
    pub overall: SourceStats,
    /// By source name, in name order.
    pub sources: BTreeMap<String, SourceStats>,
}

/// One [`TokenTally`] per source, fed batch by batch.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CorpusTally {
    pub sources: BTreeMap<String, TokenTally>,
}

impl TokenTally {
    /// Adds one document of `bytes` UTF-8 bytes and `tokens` tokens.
    pub fn add(&mut self, bytes: usize, tokens: usize) {
        self.bytes += bytes as u64;
        self.counts.push(u32::try_from(tokens).unwrap_or(u32::MAX));
    }

    /// Appends the documents of `other`, as if they came after this tally's.
    pub fn merge(&mut self, other: &TokenTally) {
        self.bytes += other.bytes;
        self.counts.extend_from_slice(&other.counts);
    }

    /// The summary of the documents tallied so far.
    pub fn stats(&self) -> SourceStats {
        let mut sorted = self.counts.clone();
        sorted.sort_unstable();
        let total: u64 = sorted.iter().map(|&c| u64::from(c)).sum();
        let documents = sorted.len() as u64;
        let mut histogram = TokenHistogram::default();
        for &c in &sorted {
            histogram.add(c);
        }
        let tokens = TokenSummary {
            total,
            mean: ratio(total as f64, documents as f64),
            min: sorted.first().copied().unwrap_or(0),
            p50: percentile(&sorted, 50),
            p90: percentile(&sorted, 90),
            p99: percentile(&sorted, 99),
            max: sorted.last().copied().unwrap_or(0),
        };
        SourceStats {
            documents,
            bytes: self.bytes,
            tokens,
            bytes_per_token: ratio(self.bytes as f64, total as f64),
            histogram,
        }
    }
}

impl CorpusTally {
    /// Adds one document of `source`.
    pub fn add(&mut self, source: &str, bytes: usize, tokens: usize) {
        if let Some(tally) = self.sources.get_mut(source) {
            tally.add(bytes, tokens);
        } else {
            let mut tally = TokenTally::default();
            tally.add(bytes, tokens);
            self.sources.insert(source.to_owned(), tally);
        }
    }

    /// Counts the tokens of a batch of documents and adds them.
    pub fn add_documents(&mut self, documents: &[Document], counter: &TokenCounter) -> Result<()> {
        for document in documents {
            let tokens = counter.count(&document.text)?;
            self.add(&document.source, document.text.len(), tokens);
        }
        Ok(())
    }

    /// Adds the tallies of `other`, source by source.
    pub fn merge(&mut self, other: &CorpusTally) {
        for (source, theirs) in &other.sources {
            self.sources
                .entry(source.clone())
                .or_default()
                .merge(theirs);
        }
    }

    /// Statistics overall and per source.
    pub fn stats(&self) -> CorpusStats {
        let mut overall = TokenTally::default();
        for tally in self.sources.values() {
            overall.merge(tally);
        }
        CorpusStats {
            overall: overall.stats(),
            sources: self
                .sources
                .iter()
                .map(|(source, tally)| (source.clone(), tally.stats()))
                .collect(),
        }
    }
}

/// The `q`-th percentile (`q` in 0..=100) of `sorted` (ascending) by linear
/// interpolation, numpy's `method="linear"`; 0 when `sorted` is empty.
pub fn percentile(sorted: &[u32], q: u32) -> f64 {
    let q = q.min(100) as usize;
    let Some(last) = sorted.len().checked_sub(1) else {
        return 0.0;
    };
    // h = last * q / 100 = index + fraction / 100, in integers.
    let index = last * q / 100;
    let fraction = (last * q % 100) as f64 / 100.0;
    let low = f64::from(sorted[index]);
    match sorted.get(index + 1) {
        Some(&high) if fraction > 0.0 => low + fraction * (f64::from(high) - low),
        _ => low,
    }
}

/// `numerator / denominator`, or 0 when the denominator is 0.
pub(crate) fn ratio(numerator: f64, denominator: f64) -> f64 {
    if denominator == 0.0 {
        0.0
    } else {
        numerator / denominator
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_interpolate_linearly() {
        // numpy.percentile([1, 2, 3, 4], [0, 50, 90, 99, 100]) = [1, 2.5, 3.7, 3.97, 4]
        let x = [1, 2, 3, 4];
        let got: Vec<f64> = [0, 50, 90, 99, 100].map(|q| percentile(&x, q)).to_vec();
        let want = [1.0, 2.5, 3.7, 3.97, 4.0];
        for (g, w) in got.iter().zip(want) {
            assert!((g - w).abs() < 1e-12, "{got:?}");
        }
        assert_eq!(percentile(&[], 50), 0.0);
        assert_eq!(percentile(&[7], 99), 7.0);
    }

    #[test]
    fn summary_of_a_small_tally() {
        let mut tally = TokenTally::default();
        for (bytes, tokens) in [(10, 2), (30, 6), (0, 0)] {
            tally.add(bytes, tokens);
        }
        let stats = tally.stats();
        assert_eq!(stats.documents, 3);
        assert_eq!(stats.bytes, 40);
        assert_eq!(stats.tokens.total, 8);
        assert_eq!((stats.tokens.min, stats.tokens.max), (0, 6));
        assert_eq!(stats.tokens.p50, 2.0);
        assert!((stats.tokens.mean - 8.0 / 3.0).abs() < 1e-12);
        assert_eq!(stats.bytes_per_token, 5.0);
        assert_eq!(stats.histogram.documents(), 3);
        assert_eq!(TokenTally::default().stats(), SourceStats::default());
    }

    #[test]
    fn corpus_tally_splits_by_source() {
        let mut tally = CorpusTally::default();
        tally.add("a", 4, 1);
        tally.add("b", 8, 2);
        tally.add("a", 4, 3);
        let stats = tally.stats();
        assert_eq!(stats.overall.documents, 3);
        assert_eq!(stats.overall.tokens.total, 6);
        assert_eq!(stats.sources["a"].tokens.total, 4);
        assert_eq!(stats.sources["b"].bytes, 8);
        let json = serde_json::to_string(&stats).unwrap();
        assert_eq!(serde_json::from_str::<CorpusStats>(&json).unwrap(), stats);
    }
}
