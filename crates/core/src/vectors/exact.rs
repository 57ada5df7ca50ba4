//! Exact top-k by dot product (cosine on normalised vectors).

use super::kernel::dot;
use super::matrix::Vectors;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// One search result: a document index and its score (higher is better).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    pub index: u32,
    pub score: f32,
}

/// Heap entry ordered so that the *worst* hit is the greatest: a lower score,
/// or on equal scores a larger index.
#[derive(Clone, Copy, PartialEq)]
pub(crate) struct Worst(pub Hit);

impl Eq for Worst {}

impl Ord for Worst {
    fn cmp(&self, other: &Self) -> Ordering {
        other
            .0
            .score
            .total_cmp(&self.0.score)
            .then(self.0.index.cmp(&other.0.index))
    }
}

impl PartialOrd for Worst {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Keeps the best `k` hits offered to it.
pub(crate) struct TopK {
    k: usize,
    heap: BinaryHeap<Worst>,
}

impl TopK {
    pub fn new(k: usize) -> Self {
        Self {
            k,
            heap: BinaryHeap::with_capacity(k + 1),
        }
    }

    /// Offers a hit; it stays when it beats the current k-th.
    #[inline]
    pub fn offer(&mut self, hit: Hit) {
        if self.heap.len() < self.k {
            self.heap.push(Worst(hit));
        } else if let Some(mut worst) = self.heap.peek_mut() {
            if Worst(hit) < *worst {
                *worst = Worst(hit);
            }
        }
    }

    /// Best first; ties by ascending index.
    pub fn into_sorted(self) -> Vec<Hit> {
        self.heap
            .into_sorted_vec()
            .into_iter()
            .map(|w| w.0)
            .collect()
    }
}

/// The `k` rows of `vectors` with the highest dot product with `query`,
/// among the rows `keep` accepts; best first, ties by ascending index.
pub fn top_k(vectors: &Vectors, query: &[f32], k: usize, keep: impl Fn(u32) -> bool) -> Vec<Hit> {
    let mut best = TopK::new(k);
    if k == 0 {
        return Vec::new();
    }
    for (i, row) in vectors.rows().enumerate() {
        let index = i as u32;
        if keep(index) {
            best.offer(Hit {
                index,
                score: dot(row, query),
            });
        }
    }
    best.into_sorted()
}
