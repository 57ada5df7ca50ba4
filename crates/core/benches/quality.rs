//! What quality labels add to ingestion: the demo corpus read as JSONL and
//! every document analysed (GPT-2 tokens, diversity, exact key, MinHash), with
//! labels off and on, in the same run; and the labels alone (filters, and
//! language identification).

use std::hint::black_box;

use corpuscope_core::analyze::Analyzer;
use corpuscope_core::dedup::DedupParams;
use corpuscope_core::ingest::{Batch, FileReader, ReadOptions};
use corpuscope_core::quality::{self, detect_language};
use corpuscope_core::tokenize::TokenCounter;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

/// Chunk size of a browser Blob slice.
const CHUNK: usize = 1 << 20;

fn asset(path: &str) -> Vec<u8> {
    let full = format!("{}/../../assets/{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(full).expect("read an asset")
}

/// Reads `data` as JSONL and analyses every document; returns the tokens.
fn ingest(data: &[u8], analyzer: &mut Analyzer) -> usize {
    let mut reader = FileReader::new("demo.jsonl", ReadOptions::default());
    let mut out = Batch::default();
    let mut tokens = 0;
    let mut analyse = |out: &mut Batch| {
        for doc in out.documents.drain(..) {
            tokens += analyzer.analyze(&doc).expect("analyse").tokens;
        }
    };
    for chunk in data.chunks(CHUNK) {
        reader.feed(chunk, &mut out);
        analyse(&mut out);
    }
    reader.finish(&mut out);
    analyse(&mut out);
    tokens
}

fn labels(c: &mut Criterion) {
    let data = asset("corpus/demo.jsonl");
    let counter = TokenCounter::from_json(&asset("tokenizers/gpt2-bytelevel-bpe/tokenizer.json"))
        .expect("load the tokenizer");
    let analyzer = Analyzer::new(counter, DedupParams::default()).expect("analyzer");
    let texts: Vec<String> = std::str::from_utf8(&data)
        .expect("UTF-8")
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["text"].as_str().map(str::to_string))
        .collect();

    let mut group = c.benchmark_group("quality");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(data.len() as u64));
    for (name, on) in [("ingest, labels off", false), ("ingest, labels on", true)] {
        let mut analyzer = analyzer.clone().with_quality_labels(on);
        // Warm the tokenizer's word cache, as a long ingestion does.
        ingest(&data, &mut analyzer);
        group.bench_function(name, |b| b.iter(|| ingest(black_box(&data), &mut analyzer)));
    }
    group.bench_function("filters only", |b| {
        b.iter(|| {
            texts
                .iter()
                .map(|t| quality::label(black_box(t)).len())
                .sum::<usize>()
        })
    });
    group.bench_function("language only", |b| {
        b.iter(|| {
            texts
                .iter()
                .filter_map(|t| detect_language(black_box(t)))
                .count()
        })
    });
    group.finish();
}

criterion_group!(benches, labels);
criterion_main!(benches);
