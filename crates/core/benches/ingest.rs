//! Throughput of FileReader on the demo corpus as JSONL, CSV and gzip'd JSONL.

use std::hint::black_box;
use std::io::Write;

use corpuscope_core::ingest::{Batch, FileReader, ReadOptions};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

/// Chunk size of a browser Blob slice.
const CHUNK: usize = 1 << 20;

fn demo_jsonl() -> Vec<u8> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../assets/corpus/demo.jsonl"
    );
    std::fs::read(path).expect("read the demo corpus")
}

fn as_csv(jsonl: &[u8]) -> Vec<u8> {
    let quoted = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
    let mut out = String::from("source,text\n");
    for line in jsonl.split(|&b| b == b'\n') {
        if let Ok(v) = serde_json::from_slice::<serde_json::Value>(line) {
            let field = |k: &str| v[k].as_str().unwrap_or_default().to_string();
            out.push_str(&format!(
                "{},{}\n",
                quoted(&field("source")),
                quoted(&field("text"))
            ));
        }
    }
    out.into_bytes()
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).expect("write");
    e.finish().expect("finish")
}

/// Reads `data` as the file `name`, returning the documents loaded.
fn read(name: &str, data: &[u8]) -> u64 {
    let mut reader = FileReader::new(name, ReadOptions::default());
    let mut out = Batch::default();
    for chunk in data.chunks(CHUNK) {
        reader.feed(chunk, &mut out);
        out.documents.clear();
    }
    reader.finish(&mut out).documents_loaded
}

fn ingest(c: &mut Criterion) {
    let jsonl = demo_jsonl();
    let inputs = [
        ("jsonl", "demo.jsonl", jsonl.clone()),
        ("csv", "demo.csv", as_csv(&jsonl)),
        ("jsonl.gz", "demo.jsonl.gz", gzip(&jsonl)),
    ];
    let mut group = c.benchmark_group("ingest");
    group.sample_size(10);
    for (label, name, data) in &inputs {
        // Throughput in decoded bytes, so formats compare on the same content.
        let decoded = if label.ends_with(".gz") {
            jsonl.len()
        } else {
            data.len()
        };
        group.throughput(Throughput::Bytes(decoded as u64));
        group.bench_function(*label, |b| b.iter(|| read(name, black_box(data))));
    }
    group.finish();
}

criterion_group!(benches, ingest);
criterion_main!(benches);
