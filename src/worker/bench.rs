//! In-browser benchmark figures, timed inside the worker with
//! `performance.now()`: token counting and near-dedup on the demo corpus
//! (`corpuscope_core::benchmark`, the code the native figures run too), and
//! vector search on the same synthetic vectors and queries as the native
//! bench (`crates/core/benches/search.rs`).

use corpuscope_core::vectors::synthetic::{clustered, recall_at_10, split};
use corpuscope_core::vectors::{top_k, Hnsw, HnswParams};
use serde_json::json;

const DIM: usize = 128;
const QUERIES: usize = 200;
/// Queries are run in rounds until this much time has passed.
const MIN_MILLIS: f64 = 300.0;

/// Mean milliseconds per call of `query(i)` over rounds of all queries.
fn per_query(queries: usize, mut query: impl FnMut(usize) -> usize) -> f64 {
    let start = super::now_ms();
    let mut calls = 0usize;
    let mut sink = 0usize;
    while calls == 0 || super::now_ms() - start < MIN_MILLIS {
        for i in 0..queries {
            sink = sink.wrapping_add(query(i));
        }
        calls += queries;
    }
    // Keep the results alive so the work is not optimised away.
    std::hint::black_box(sink);
    (super::now_ms() - start) / calls as f64
}

/// Figures for each size, as JSON.
pub fn vector_search(sizes: &[u32]) -> Result<String, String> {
    let mut rows = Vec::new();
    for &n in sizes {
        let n = n as usize;
        let all = clustered(n + QUERIES, DIM, (n / 100).max(1), 0.5, 1);
        let (vectors, queries) = split(&all, n);
        let far = clustered(QUERIES, DIM, 50, 0.5, 99);
        let start = super::now_ms();
        let graph = Hnsw::build(&vectors, HnswParams::default()).map_err(|e| e.to_string())?;
        let build_ms = super::now_ms() - start;
        let exact_ms = per_query(QUERIES, |i| {
            top_k(&vectors, queries.row(i), 10, |_| true).len()
        });
        let mut hnsw = Vec::new();
        for ef in [64usize, 128] {
            let ms = per_query(QUERIES, |i| {
                graph
                    .search(&vectors, queries.row(i), 10, ef, |_| true)
                    .len()
            });
            hnsw.push(json!({
                "ef_search": ef,
                "ms_per_query": ms,
                "recall_at_10_held_out": recall_at_10(&vectors, &queries, &graph, ef),
                "recall_at_10_other_centres": recall_at_10(&vectors, &far, &graph, ef),
            }));
        }
        rows.push(json!({
            "n": n,
            "dim": DIM,
            "hnsw_build_ms": build_ms,
            "exact_ms_per_query": exact_ms,
            "hnsw": hnsw,
        }));
    }
    let figures = json!({
        "simd128": cfg!(target_feature = "simd128"),
        "sizes": rows,
    });
    serde_json::to_string(&figures).map_err(|e| e.to_string())
}

/// Passes of each corpus figure; the best counts (as `scripts/bench.sh`'s
/// default for the native figures and the anchors).
const REPEATS: usize = 3;

/// The figures of one benchmark `kind`, as JSON.
pub fn run(
    kind: &str,
    sizes: &[u32],
    corpus: &[u8],
    tokenizers: Vec<(String, String)>,
) -> Result<String, String> {
    use corpuscope_core::benchmark::{jsonl_texts, minhash_figures, tokenize_figures};
    let now = || super::now_ms();
    let texts = || jsonl_texts(corpus).map_err(|e| e.to_string());
    let figures = match kind {
        "vectors" => return vector_search(sizes),
        "tokenize" => {
            let tokenizers: Vec<(String, Vec<u8>)> = tokenizers
                .into_iter()
                .map(|(name, json)| (name, json.into_bytes()))
                .collect();
            tokenize_figures(&texts()?, &tokenizers, REPEATS, &now)
        }
        "minhash" => minhash_figures(&texts()?, REPEATS, &now),
        other => return Err(format!("no benchmark {other:?}")),
    }
    .map_err(|e| e.to_string())?;
    let figures = json!({ "simd128": cfg!(target_feature = "simd128"), "figures": figures });
    serde_json::to_string(&figures).map_err(|e| e.to_string())
}
