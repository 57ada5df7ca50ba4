//! Running totals over a corpus.

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
