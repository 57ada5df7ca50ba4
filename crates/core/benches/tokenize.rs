//! Token counting speed on the demo corpus, in bytes per second.
//!
//! `cargo bench -p corpuscope-core --bench tokenize` (criterion reports MiB/s).

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use corpuscope_core::tokenize::{TokenCounter, BUNDLED_TOKENIZERS};
    use criterion::{Criterion, Throughput};
    use std::path::PathBuf;
    use std::time::Duration;

    fn asset(relative: &str) -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../assets")
            .join(relative)
    }

    fn demo_texts() -> Vec<String> {
        let jsonl = std::fs::read_to_string(asset("corpus/demo.jsonl")).expect("demo corpus");
        jsonl
            .lines()
            .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
            .filter_map(|record| record["text"].as_str().map(str::to_owned))
            .collect()
    }

    /// `count` (word cache, warm after the first pass) for every bundled
    /// tokenizer, and a full encode for comparison.
    pub fn count(c: &mut Criterion) {
        let texts = demo_texts();
        let bytes: usize = texts.iter().map(String::len).sum();
        let mut group = c.benchmark_group("count_demo_corpus");
        group.throughput(Throughput::Bytes(bytes as u64));
        group.sample_size(10);
        group.warm_up_time(Duration::from_secs(1));
        group.measurement_time(Duration::from_secs(5));
        for bundled in BUNDLED_TOKENIZERS {
            let json = std::fs::read(asset(&format!("tokenizers/{}", bundled.path))).unwrap();
            let counter = TokenCounter::from_json(&json).expect("bundled tokenizer");
            group.bench_function(format!("{}/count", bundled.name), |b| {
                b.iter(|| {
                    texts
                        .iter()
                        .map(|t| counter.count(t).unwrap())
                        .sum::<usize>()
                })
            });
            group.bench_function(format!("{}/full_encode", bundled.name), |b| {
                b.iter(|| {
                    texts
                        .iter()
                        .map(|t| counter.encode_ids(t).unwrap().len())
                        .sum::<usize>()
                })
            });
        }
        group.finish();
    }
}

#[cfg(not(target_arch = "wasm32"))]
criterion::criterion_group!(benches, native::count);
#[cfg(not(target_arch = "wasm32"))]
criterion::criterion_main!(benches);

#[cfg(target_arch = "wasm32")]
fn main() {}
