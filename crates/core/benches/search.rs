//! Vector search speed: embedding the demo corpus, exact and HNSW queries at
//! 10k and 100k clustered vectors (dim 128). Also prints HNSW recall@10
//! against exact search for a few `ef_search`, build times and the semantic
//! clusters' time (exact at 10k, through the graph at 100k).

use std::hint::black_box;
use std::time::Instant;

use corpuscope_core::vectors::synthetic::{clustered, recall_at_10, split};
use corpuscope_core::vectors::{
    dot, pca_2d, semantic_clusters_in, top_k, Hnsw, HnswParams, SemDedupParams, SemanticIndex,
    StaticModel, HNSW_THRESHOLD,
};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

const MODEL: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../assets/embeddings/minilm-l6-m2v-128-int8"
);

fn demo_texts() -> Vec<String> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../assets/corpus/demo.jsonl"
    );
    std::fs::read_to_string(path)
        .expect("read the demo corpus")
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter_map(|v| v["text"].as_str().map(str::to_string))
        .collect()
}

/// Prints the semantic clusters of `index` and the time they took.
fn time_semdedup(label: &str, index: &SemanticIndex) {
    let start = Instant::now();
    let clusters = semantic_clusters_in(index, SemDedupParams::default()).expect("clusters");
    let docs: usize = clusters.iter().map(|c| c.members.len()).sum();
    println!(
        "semdedup {label} (cosine >= 0.95): {} clusters, {docs} docs, {:.2?}",
        clusters.len(),
        start.elapsed()
    );
}

fn embed(c: &mut Criterion) {
    let texts = demo_texts();
    let model = StaticModel::from_bytes(
        &std::fs::read(format!("{MODEL}/model.safetensors")).expect("model"),
        &std::fs::read(format!("{MODEL}/tokenizer.json")).expect("tokenizer"),
    )
    .expect("load");
    // One-off figures on the demo corpus: semantic dedup and the 2-D map.
    let vectors = model.embed_batch(&texts).expect("embed");
    let index = SemanticIndex::build(vectors.clone(), HNSW_THRESHOLD).expect("index");
    time_semdedup("demo corpus", &index);
    let start = Instant::now();
    let points = pca_2d(&vectors);
    println!(
        "pca_2d demo corpus: {} points, {:.2?}",
        points.len(),
        start.elapsed()
    );
    let mut group = c.benchmark_group("embed");
    group.throughput(Throughput::Elements(texts.len() as u64));
    group.sample_size(10);
    group.bench_function("demo_corpus", |b| {
        b.iter(|| model.embed_batch(black_box(&texts)).expect("embed").len())
    });
    group.finish();
}

fn search(c: &mut Criterion) {
    // SEARCH_BENCH_N=10000 to run one size.
    let sizes: Vec<usize> = std::env::var("SEARCH_BENCH_N")
        .unwrap_or_else(|_| "10000,100000".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    // SEARCH_BENCH_SPREAD: noise around the cluster centres (0.5 by default;
    // 1.0 makes the noise as large as the centres: a harder set).
    let spread: f32 = std::env::var("SEARCH_BENCH_SPREAD")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0.5);
    for n in sizes {
        // The last 200 rows, from the same clusters, are the held-out queries.
        let all = clustered(n + 200, 128, n / 100, spread, 1);
        let (vectors, queries) = split(&all, n);
        let start = Instant::now();
        let graph = Hnsw::build(&vectors, HnswParams::default()).expect("build");
        println!("hnsw build n={n} spread={spread}: {:.2?}", start.elapsed());
        // Semantic clusters as a corpus of this size gets them at the end of
        // its load: through the graph from HNSW_THRESHOLD rows, exact below.
        let index = if n >= HNSW_THRESHOLD {
            SemanticIndex::with_graph(vectors.clone(), graph.clone()).expect("index")
        } else {
            SemanticIndex::build(vectors.clone(), usize::MAX).expect("index")
        };
        time_semdedup(&format!("n={n} spread={spread}"), &index);
        // Queries around other centres: no corpus cluster holds their
        // neighbours, the hard case for a graph (like a user's free query).
        let far = clustered(200, 128, 50, spread, 99);
        for ef in [16, 32, 64, 128, 256, 512] {
            println!(
                "hnsw recall@10 n={n} ef_search={ef}: held-out {:.4}, other centres {:.4}",
                recall_at_10(&vectors, &queries, &graph, ef),
                recall_at_10(&vectors, &far, &graph, ef)
            );
        }
        let mut group = c.benchmark_group(format!("query_{n}"));
        let mut i = 0;
        group.bench_function("exact_top10", |b| {
            b.iter(|| {
                i = (i + 1) % queries.len();
                top_k(&vectors, black_box(queries.row(i)), 10, |_| true).len()
            })
        });
        for ef in [64, 128] {
            group.bench_function(format!("hnsw_top10_ef{ef}"), |b| {
                b.iter(|| {
                    i = (i + 1) % queries.len();
                    graph
                        .search(&vectors, black_box(queries.row(i)), 10, ef, |_| true)
                        .len()
                })
            });
        }
        group.finish();
    }
}

/// The engine's dot kernel against a plain iterator sum, dim 128.
fn kernel(c: &mut Criterion) {
    let v = clustered(2, 128, 2, 0.5, 3);
    let (a, b) = (v.row(0), v.row(1));
    let mut group = c.benchmark_group("dot128");
    group.bench_function("kernel", |bench| {
        bench.iter(|| dot(black_box(a), black_box(b)))
    });
    group.bench_function("naive", |bench| {
        bench.iter(|| {
            black_box(a)
                .iter()
                .zip(black_box(b))
                .map(|(x, y)| x * y)
                .sum::<f32>()
        })
    });
    group.finish();
}

criterion_group!(benches, kernel, embed, search);
criterion_main!(benches);
