//! Token statistics per source and over the whole corpus.
//!
//! Streaming: a [`TokenTally`] takes documents batch by batch, keeping one `u32`
//! token count per document so that percentiles are exact; tallies built by
//! separate workers [`merge`](TokenTally::merge). [`TokenTally::stats`] then
//! summarises into [`SourceStats`]; [`CorpusTally`] keeps one tally per source.
//!
//! * Percentiles use **linear interpolation between closest ranks**, numpy's
//!   default `percentile(..., method="linear")`: for the sorted counts
//!   `x[0..n]` and `q` in percent, `h = (n - 1) q / 100` and
//!   `P(q) = x[⌊h⌋] + (h - ⌊h⌋) (x[⌊h⌋ + 1] - x[⌊h⌋])`. The index is computed
//!   in integers, so it is exact.
//! * The [`TokenHistogram`] bins are powers of two: bin 0 holds documents of 0
//!   tokens, bin `k ≥ 1` those of `2^(k-1)` to `2^k - 1` tokens.
//! * Empty sets have every figure 0 (JSON has no NaN).
//! * Conversations (`chat.rs`): turns per conversation on the same
//!   percentiles and bins, tokens per role ([`ChatStats`]).

mod chat;
mod histogram;
mod tally;

pub use chat::{ChatFacts, ChatStats, ChatTally};
pub use histogram::{HistogramBin, TokenHistogram};
pub(crate) use tally::ratio;
pub use tally::{percentile, CorpusStats, CorpusTally, SourceStats, TokenSummary, TokenTally};

use serde::{Deserialize, Serialize};

/// Totals for a set of documents.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    pub documents: u64,
    pub bytes: u64,
    pub tokens: u64,
}

impl Totals {
    /// Adds one document of `bytes` UTF-8 bytes and `tokens` tokens.
    pub fn add(&mut self, bytes: usize, tokens: usize) {
        self.documents += 1;
        self.bytes += bytes as u64;
        self.tokens += tokens as u64;
    }

    /// Adds another set of totals to this one.
    pub fn merge(&mut self, other: &Totals) {
        self.documents += other.documents;
        self.bytes += other.bytes;
        self.tokens += other.tokens;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn add_and_merge() {
        let mut a = Totals::default();
        a.add(10, 3);
        a.add(5, 2);
        let mut b = Totals::default();
        b.add(1, 1);
        b.merge(&a);
        assert_eq!(
            b,
            Totals {
                documents: 3,
                bytes: 16,
                tokens: 6
            }
        );
    }
}
