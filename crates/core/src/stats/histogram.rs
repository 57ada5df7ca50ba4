//! Tokens per document on power-of-two bins.

use serde::{Deserialize, Serialize};

/// One bin of a [`TokenHistogram`]: documents with `lower..upper` tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistogramBin {
    /// Smallest token count in the bin (inclusive).
    pub lower: u64,
    /// Bound above the bin (exclusive).
    pub upper: u64,
    /// Documents in the bin.
    pub count: u64,
}

/// Documents by tokens per document, on log-scale (power-of-two) bins.
///
/// Bin 0 is `[0, 1)`, bin `k ≥ 1` is `[2^(k-1), 2^k)`. The bins run without a
/// gap from bin 0 up to the highest non-empty one, ready for a bar chart.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenHistogram {
    pub bins: Vec<HistogramBin>,
}

impl TokenHistogram {
    /// The bin index of a document of `tokens` tokens.
    pub fn bin_of(tokens: u32) -> usize {
        (u32::BITS - tokens.leading_zeros()) as usize
    }

    /// Counts one document of `tokens` tokens.
    pub fn add(&mut self, tokens: u32) {
        let index = Self::bin_of(tokens);
        self.grow(index + 1);
        self.bins[index].count += 1;
    }

    /// Adds the counts of `other`.
    pub fn merge(&mut self, other: &TokenHistogram) {
        self.grow(other.bins.len());
        for (bin, theirs) in self.bins.iter_mut().zip(&other.bins) {
            bin.count += theirs.count;
        }
    }

    /// The number of documents counted.
    pub fn documents(&self) -> u64 {
        self.bins.iter().map(|b| b.count).sum()
    }

    fn grow(&mut self, len: usize) {
        while self.bins.len() < len {
            let k = self.bins.len() as u32;
            let (lower, upper) = match k {
                0 => (0, 1),
                _ => (1u64 << (k - 1), 1u64 << k),
            };
            self.bins.push(HistogramBin {
                lower,
                upper,
                count: 0,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bins_are_powers_of_two() {
        let cases = [
            (0, 0),
            (1, 1),
            (2, 2),
            (3, 2),
            (4, 3),
            (7, 3),
            (8, 4),
            (1000, 10),
        ];
        for (tokens, bin) in cases {
            assert_eq!(TokenHistogram::bin_of(tokens), bin, "{tokens}");
        }
        assert_eq!(TokenHistogram::bin_of(u32::MAX), 32);
        let mut h = TokenHistogram::default();
        h.add(5);
        h.add(0);
        h.add(4);
        let counts: Vec<(u64, u64, u64)> =
            h.bins.iter().map(|b| (b.lower, b.upper, b.count)).collect();
        assert_eq!(counts, [(0, 1, 1), (1, 2, 0), (2, 4, 0), (4, 8, 2)]);
        h.add(u32::MAX);
        assert_eq!(h.bins[32].lower, 1 << 31);
        assert_eq!(h.bins[32].upper, 1 << 32);
        assert!(h.bins.iter().all(|b| (b.lower..b.upper).contains(&b.lower)));
    }
}
