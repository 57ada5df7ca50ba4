//! Deterministic clustered unit vectors, for benchmarks (native and in the
//! browser) and tests that need many vectors without a model, and the
//! recall the benchmarks report.

use super::exact::top_k;
use super::hnsw::Hnsw;
use super::matrix::Vectors;

/// `n` unit vectors of `dim` values around `clusters` Gaussian centres (row
/// `i` belongs to centre `i % clusters`), with Gaussian noise of `spread`.
/// The same `seed` always gives the same vectors, on every target.
pub fn clustered(n: usize, dim: usize, clusters: usize, spread: f32, seed: u64) -> Vectors {
    let mut state = seed;
    // splitmix64, then a 53-bit uniform in (0, 1).
    let mut uniform = move || {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        (((z ^ (z >> 31)) >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    };
    // Box–Muller.
    let mut gauss = move || {
        let (u, v) = (uniform(), uniform());
        ((-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()) as f32
    };
    let centres: Vec<Vec<f32>> = (0..clusters.max(1))
        .map(|_| (0..dim).map(|_| gauss()).collect())
        .collect();
    let mut data = Vec::with_capacity(n * dim);
    for i in 0..n {
        data.extend(
            centres[i % centres.len()]
                .iter()
                .map(|x| x + spread * gauss()),
        );
    }
    let mut out = Vectors::from_flat(dim, data).expect("rows of dim values");
    out.normalize();
    out
}

/// Rows `..at` and `at..` of `all` as two matrices.
pub fn split(all: &Vectors, at: usize) -> (Vectors, Vectors) {
    let (a, b) = all.as_flat().split_at(at.min(all.len()) * all.dim());
    (
        Vectors::from_flat(all.dim(), a.to_vec()).expect("rows"),
        Vectors::from_flat(all.dim(), b.to_vec()).expect("rows"),
    )
}

/// Recall@10 of `graph` searched with beam `ef`: the share of each query's
/// exact ten nearest rows of `vectors` that the graph also returns.
pub fn recall_at_10(vectors: &Vectors, queries: &Vectors, graph: &Hnsw, ef: usize) -> f64 {
    let mut found = 0usize;
    for q in queries.rows() {
        let exact: Vec<u32> = top_k(vectors, q, 10, |_| true)
            .iter()
            .map(|h| h.index)
            .collect();
        let approx = graph.search(vectors, q, 10, ef, |_| true);
        found += approx.iter().filter(|h| exact.contains(&h.index)).count();
    }
    found as f64 / (10 * queries.len().max(1)) as f64
}
