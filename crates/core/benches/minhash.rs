//! Throughput of near-dedup on the demo corpus: shingling + signatures + LSH.

use std::hint::black_box;

use corpuscope_core::dedup::{recluster, MinHashParams, MinHasher, SignatureStore};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

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

fn near_dedup(texts: &[String], params: MinHashParams) -> usize {
    let mut hasher = MinHasher::new(params).expect("valid params");
    let mut store = SignatureStore::new(params.num_perm);
    for text in texts {
        store
            .push(&hasher.signature(text))
            .expect("signature length");
    }
    recluster(&store, params.bands, params.rows, None)
        .expect("valid banding")
        .clusters
        .len()
}

fn minhash(c: &mut Criterion) {
    let texts = demo_texts();
    let bytes: usize = texts.iter().map(String::len).sum();
    let mut group = c.benchmark_group("minhash");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(10);
    let params = MinHashParams::default();
    group.bench_function("shingling words5", |b| {
        let mut hasher = MinHasher::new(params).expect("valid params");
        b.iter(|| {
            let mut count = 0u64;
            for text in &texts {
                hasher.shingler().for_each(black_box(text), |h| count ^= h);
            }
            count
        })
    });
    group.bench_function("shingling + signatures + LSH, words5 k112 14x8", |b| {
        b.iter(|| near_dedup(black_box(&texts), params))
    });
    group.finish();
}

criterion_group!(benches, minhash);
criterion_main!(benches);
