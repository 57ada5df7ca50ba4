//! Hybrid search: reciprocal rank fusion of a semantic and a keyword ranking.

use super::exact::Hit;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The usual RRF constant.
pub const RRF_K: f32 = 60.0;

/// A fused result with where it came from.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FusedHit {
    pub index: u32,
    /// `Σ 1/(k + rank)` over the rankings that hold the document (rank from 1).
    pub score: f32,
    /// Rank (from 1) and score in the semantic ranking.
    pub semantic: Option<(u32, f32)>,
    /// Rank (from 1) and score in the keyword ranking.
    pub keyword: Option<(u32, f32)>,
}

/// Fuses two rankings (each best first) by reciprocal rank with constant `k`;
/// best first, ties by ascending index.
pub fn reciprocal_rank_fusion(semantic: &[Hit], keyword: &[Hit], k: f32) -> Vec<FusedHit> {
    let mut fused: HashMap<u32, FusedHit> = HashMap::new();
    let mut add = |hits: &[Hit], is_semantic: bool| {
        for (r, h) in hits.iter().enumerate() {
            let rank = r as u32 + 1;
            let entry = fused.entry(h.index).or_insert(FusedHit {
                index: h.index,
                score: 0.0,
                semantic: None,
                keyword: None,
            });
            let slot = if is_semantic {
                &mut entry.semantic
            } else {
                &mut entry.keyword
            };
            // A document listed twice in one ranking counts once, at its best rank.
            if slot.is_none() {
                *slot = Some((rank, h.score));
                entry.score += 1.0 / (k + rank as f32);
            }
        }
    };
    add(semantic, true);
    add(keyword, false);
    let mut out: Vec<FusedHit> = fused.into_values().collect();
    out.sort_unstable_by(|a, b| b.score.total_cmp(&a.score).then(a.index.cmp(&b.index)));
    out
}
