//! Keyword search with Okapi BM25 over an inverted index.
//!
//! Words are maximal runs of alphanumeric characters (`char::is_alphanumeric`),
//! lowercased. The score of a document for a query is, over the distinct query
//! words `w` found in it,
//! `idf(w) · tf·(k1+1) / (tf + k1·(1 − b + b·len/avg_len))`, with
//! `idf(w) = ln(1 + (N − n(w) + 0.5)/(n(w) + 0.5))` (always positive).

use super::exact::{Hit, TopK};
use std::collections::HashMap;

/// Term-frequency saturation.
pub const K1: f64 = 1.2;
/// Length normalisation.
pub const B: f64 = 0.75;

/// The lowercase words of `text`.
pub fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
}

/// An inverted index: word → (document, count) in document order.
#[derive(Debug, Clone, Default)]
pub struct Bm25 {
    postings: HashMap<String, Vec<(u32, u32)>>,
    lengths: Vec<u32>,
    avg_len: f64,
}

impl Bm25 {
    /// Indexes `docs`; document `i` is the `i`-th text.
    pub fn new<'a>(docs: impl IntoIterator<Item = &'a str>) -> Self {
        let mut postings: HashMap<String, Vec<(u32, u32)>> = HashMap::new();
        let mut lengths = Vec::new();
        for (i, text) in docs.into_iter().enumerate() {
            let mut counts: HashMap<String, u32> = HashMap::new();
            let mut len = 0u32;
            for w in words(text) {
                *counts.entry(w).or_default() += 1;
                len += 1;
            }
            for (w, tf) in counts {
                postings.entry(w).or_default().push((i as u32, tf));
            }
            lengths.push(len);
        }
        let total: u64 = lengths.iter().map(|&l| l as u64).sum();
        let avg_len = if lengths.is_empty() {
            0.0
        } else {
            total as f64 / lengths.len() as f64
        };
        Self {
            postings,
            lengths,
            avg_len,
        }
    }

    /// Number of documents.
    pub fn len(&self) -> usize {
        self.lengths.len()
    }

    /// Whether no document is indexed.
    pub fn is_empty(&self) -> bool {
        self.lengths.is_empty()
    }

    /// The score of every document for `query` (0 where no word matches).
    pub fn scores(&self, query: &str) -> Vec<f64> {
        let mut scores = vec![0.0; self.len()];
        let mut seen = std::collections::HashSet::new();
        let n = self.len() as f64;
        for w in words(query) {
            if !seen.insert(w.clone()) {
                continue;
            }
            let Some(list) = self.postings.get(&w) else {
                continue;
            };
            let df = list.len() as f64;
            let idf = (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
            for &(doc, tf) in list {
                let tf = tf as f64;
                let len = self.lengths[doc as usize] as f64;
                let norm = K1 * (1.0 - B + B * len / self.avg_len);
                scores[doc as usize] += idf * tf * (K1 + 1.0) / (tf + norm);
            }
        }
        scores
    }

    /// The `k` best-scoring documents with a score above 0 that `keep`
    /// accepts; best first, ties by ascending index.
    pub fn search(&self, query: &str, k: usize, keep: impl Fn(u32) -> bool) -> Vec<Hit> {
        let mut best = TopK::new(k);
        if k == 0 {
            return Vec::new();
        }
        for (i, s) in self.scores(query).into_iter().enumerate() {
            if s > 0.0 && keep(i as u32) {
                best.offer(Hit {
                    index: i as u32,
                    score: s as f32,
                });
            }
        }
        best.into_sorted()
    }
}
