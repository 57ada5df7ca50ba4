//! A compact HNSW graph (Malkov & Yashunin) for approximate top-k by cosine.
//!
//! The graph holds only links; the vectors stay in a [`Vectors`] that the
//! caller passes to [`Hnsw::build`] and [`Hnsw::search`] (the same one).
//! Levels come from a seeded generator, so a build is deterministic.

use super::exact::{Hit, Worst};
use super::kernel::dot;
use super::matrix::Vectors;
use crate::{Error, Result};
use std::collections::BinaryHeap;

/// Build parameters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HnswParams {
    /// Links per node on upper layers (twice this on layer 0).
    pub m: usize,
    /// Candidate list size while building.
    pub ef_construction: usize,
    /// Seed of the level generator.
    pub seed: u64,
}

impl Default for HnswParams {
    fn default() -> Self {
        Self {
            m: 16,
            ef_construction: 100,
            seed: 0x5eed,
        }
    }
}

/// The graph: per node, per layer, the ids of its neighbours.
#[derive(Debug, Clone, PartialEq)]
pub struct Hnsw {
    params: HnswParams,
    entry: Option<u32>,
    /// `links[node][layer]`; a node lives on layers `0..links[node].len()`.
    links: Vec<Vec<Vec<u32>>>,
}

/// Visited marks for one search.
struct Visited(Vec<u64>);

impl Visited {
    fn new(n: usize) -> Self {
        Self(vec![0; n.div_ceil(64)])
    }

    /// Marks `i`; true when it was not marked yet.
    fn insert(&mut self, i: u32) -> bool {
        let (w, b) = (i as usize / 64, 1u64 << (i % 64));
        let fresh = self.0[w] & b == 0;
        self.0[w] |= b;
        fresh
    }
}

/// splitmix64 step.
fn next(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

impl Hnsw {
    /// Builds the graph over all rows of `vectors` (unit-norm), in order.
    pub fn build(vectors: &Vectors, params: HnswParams) -> Result<Self> {
        if params.m < 2 || params.ef_construction == 0 {
            return Err(Error::Vector(
                "HNSW needs m ≥ 2 and ef_construction ≥ 1".into(),
            ));
        }
        let mut graph = Self {
            params,
            entry: None,
            links: Vec::with_capacity(vectors.len()),
        };
        let scale = 1.0 / (params.m as f64).ln();
        let mut rng = params.seed;
        for i in 0..vectors.len() {
            let u = ((next(&mut rng) >> 11) as f64 + 1.0) / (1u64 << 53) as f64;
            let level = ((-u.ln() * scale) as usize).min(16);
            graph.insert(vectors, i as u32, level);
        }
        Ok(graph)
    }

    /// Number of nodes.
    pub fn len(&self) -> usize {
        self.links.len()
    }

    /// Whether the graph has no node.
    pub fn is_empty(&self) -> bool {
        self.links.is_empty()
    }

    fn max_links(&self, layer: usize) -> usize {
        if layer == 0 {
            2 * self.params.m
        } else {
            self.params.m
        }
    }

    fn top_layer(&self) -> usize {
        self.entry
            .map_or(0, |e| self.links[e as usize].len().saturating_sub(1))
    }

    fn insert(&mut self, vectors: &Vectors, node: u32, level: usize) {
        self.links.push(vec![Vec::new(); level + 1]);
        let Some(mut entry) = self.entry else {
            self.entry = Some(node);
            return;
        };
        let query = vectors.row(node as usize);
        let top = self.top_layer();
        for layer in (level + 1..=top).rev() {
            entry = self.greedy(vectors, query, entry, layer);
        }
        let mut entries = vec![entry];
        for layer in (0..=level.min(top)).rev() {
            let found = self.search_layer(
                vectors,
                query,
                &entries,
                self.params.ef_construction,
                layer,
                &|_| true,
            );
            let chosen = self.select(vectors, &found, self.params.m);
            for &n in &chosen {
                self.links[n as usize][layer].push(node);
                if self.links[n as usize][layer].len() > self.max_links(layer) {
                    self.shrink(vectors, n, layer);
                }
            }
            self.links[node as usize][layer] = chosen;
            entries = found.iter().map(|h| h.index).collect();
        }
        if level > top {
            self.entry = Some(node);
        }
    }

    /// Cuts `node`'s links on `layer` back to the maximum with the heuristic.
    fn shrink(&mut self, vectors: &Vectors, node: u32, layer: usize) {
        let row = vectors.row(node as usize);
        let mut hits: Vec<Hit> = self.links[node as usize][layer]
            .iter()
            .map(|&n| Hit {
                index: n,
                score: dot(row, vectors.row(n as usize)),
            })
            .collect();
        hits.sort_unstable_by_key(|a| Worst(*a));
        self.links[node as usize][layer] = self.select(vectors, &hits, self.max_links(layer));
    }

    /// The neighbour heuristic: take candidates (best first) that are closer
    /// to the query than to any taken one, then fill up with the rest.
    fn select(&self, vectors: &Vectors, candidates: &[Hit], m: usize) -> Vec<u32> {
        let mut chosen: Vec<u32> = Vec::with_capacity(m);
        let mut skipped = Vec::new();
        for c in candidates {
            if chosen.len() == m {
                break;
            }
            let row = vectors.row(c.index as usize);
            let diverse = chosen
                .iter()
                .all(|&s| dot(row, vectors.row(s as usize)) < c.score);
            if diverse {
                chosen.push(c.index);
            } else {
                skipped.push(c.index);
            }
        }
        for s in skipped {
            if chosen.len() == m {
                break;
            }
            chosen.push(s);
        }
        chosen
    }

    /// Greedy walk on `layer` to the node most similar to `query`.
    fn greedy(&self, vectors: &Vectors, query: &[f32], mut at: u32, layer: usize) -> u32 {
        let mut best = dot(query, vectors.row(at as usize));
        loop {
            let mut moved = false;
            for &n in &self.links[at as usize][layer] {
                let s = dot(query, vectors.row(n as usize));
                if s > best {
                    (best, at, moved) = (s, n, true);
                }
            }
            if !moved {
                return at;
            }
        }
    }

    /// Beam search on `layer` from `entries`; up to `ef` hits that `keep`
    /// accepts, best first. Rejected nodes are still walked through.
    fn search_layer(
        &self,
        vectors: &Vectors,
        query: &[f32],
        entries: &[u32],
        ef: usize,
        layer: usize,
        keep: &dyn Fn(u32) -> bool,
    ) -> Vec<Hit> {
        let mut visited = Visited::new(vectors.len());
        // Candidates: best on top (the reverse of `Worst`).
        let mut candidates: BinaryHeap<std::cmp::Reverse<Worst>> = BinaryHeap::new();
        // Results: worst on top.
        let mut results: BinaryHeap<Worst> = BinaryHeap::new();
        for &e in entries {
            if visited.insert(e) {
                let hit = Hit {
                    index: e,
                    score: dot(query, vectors.row(e as usize)),
                };
                candidates.push(std::cmp::Reverse(Worst(hit)));
                if keep(e) {
                    results.push(Worst(hit));
                }
            }
        }
        while results.len() > ef {
            results.pop();
        }
        while let Some(std::cmp::Reverse(Worst(c))) = candidates.pop() {
            if let Some(worst) = results.peek() {
                if results.len() >= ef && c.score < worst.0.score {
                    break;
                }
            }
            for &n in &self.links[c.index as usize][layer] {
                if !visited.insert(n) {
                    continue;
                }
                let hit = Hit {
                    index: n,
                    score: dot(query, vectors.row(n as usize)),
                };
                let worse = results.len() >= ef && results.peek().is_some_and(|w| Worst(hit) >= *w);
                if !worse {
                    candidates.push(std::cmp::Reverse(Worst(hit)));
                    if keep(n) {
                        results.push(Worst(hit));
                        if results.len() > ef {
                            results.pop();
                        }
                    }
                }
            }
        }
        results.into_sorted_vec().into_iter().map(|w| w.0).collect()
    }

    /// About the `k` rows most similar to `query` among those `keep` accepts,
    /// best first. `ef` (≥ k is used) trades speed for recall. The filter
    /// applies during the walk, so a selective one costs time, not results.
    /// `vectors` must be the rows the graph was built on (else: no hit).
    pub fn search(
        &self,
        vectors: &Vectors,
        query: &[f32],
        k: usize,
        ef: usize,
        keep: impl Fn(u32) -> bool,
    ) -> Vec<Hit> {
        let Some(mut entry) = self.entry else {
            return Vec::new();
        };
        if k == 0 || vectors.len() != self.len() {
            return Vec::new();
        }
        for layer in (1..=self.top_layer()).rev() {
            entry = self.greedy(vectors, query, entry, layer);
        }
        let mut found = self.search_layer(vectors, query, &[entry], ef.max(k), 0, &keep);
        found.truncate(k);
        found
    }
}

/// Leading bytes of [`Hnsw::to_bytes`].
const MAGIC: &[u8; 4] = b"CSH1";

impl Hnsw {
    /// The graph as bytes: `"CSH1"`, m, ef_construction, seed, nodes, entry,
    /// then per node its layer count and per layer its links (all LE u32/u64).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        let mut put = |v: u32| out.extend_from_slice(&v.to_le_bytes());
        put(u32::from_le_bytes(*MAGIC));
        put(self.params.m as u32);
        put(self.params.ef_construction as u32);
        put(self.params.seed as u32);
        put((self.params.seed >> 32) as u32);
        put(self.links.len() as u32);
        put(self.entry.unwrap_or(u32::MAX));
        for node in &self.links {
            put(node.len() as u32);
            for layer in node {
                put(layer.len() as u32);
                layer.iter().for_each(|&n| put(n));
            }
        }
        out
    }

    /// Reads what [`Hnsw::to_bytes`] wrote, checking every link.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        let bad = |why: &str| Error::Vector(format!("cannot decode HNSW graph: {why}"));
        let mut words = bytes
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]));
        let mut take = || words.next().ok_or_else(|| bad("truncated"));
        if !bytes.len().is_multiple_of(4) || take()? != u32::from_le_bytes(*MAGIC) {
            return Err(bad("missing header"));
        }
        let m = take()? as usize;
        let ef_construction = take()? as usize;
        let seed = take()? as u64 | ((take()? as u64) << 32);
        let nodes = take()?;
        let entry = take()?;
        let mut links = Vec::new();
        for _ in 0..nodes {
            let layers = take()?;
            if layers == 0 || layers > 64 {
                return Err(bad("bad layer count"));
            }
            let mut node = Vec::new();
            for _ in 0..layers {
                let count = take()?;
                let layer = (0..count)
                    .map(|_| {
                        take().and_then(|n| {
                            if n < nodes {
                                Ok(n)
                            } else {
                                Err(bad("link out of range"))
                            }
                        })
                    })
                    .collect::<Result<Vec<u32>>>()?;
                node.push(layer);
            }
            links.push(node);
        }
        if take().is_ok() {
            return Err(bad("trailing bytes"));
        }
        let entry = match entry {
            u32::MAX if nodes == 0 => None,
            e if e < nodes => Some(e),
            _ => return Err(bad("entry out of range")),
        };
        let graph = Self {
            params: HnswParams {
                m,
                ef_construction,
                seed,
            },
            entry,
            links,
        };
        // A node's links on a layer must point to nodes that live there.
        for node in &graph.links {
            for (layer, ids) in node.iter().enumerate() {
                if ids.iter().any(|&n| graph.links[n as usize].len() <= layer) {
                    return Err(bad("link to a node missing from its layer"));
                }
            }
        }
        Ok(graph)
    }
}
