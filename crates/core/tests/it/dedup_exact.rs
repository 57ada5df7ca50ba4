//! Exact dedup of the demo corpus against Python's unicodedata.

use corpuscope_core::dedup::{exact_clusters, OverlapMatrix};
use serde::Deserialize;

use crate::dedup_fixtures::demo;
use crate::oracle;

#[derive(Deserialize)]
struct Python {
    clusters: Vec<Vec<u32>>,
    sources: Vec<String>,
    overlap: Vec<Vec<u64>>,
}

#[test]
fn exact_clusters_and_overlap_of_the_demo_corpus_equal_pythons() {
    let clusters = exact_clusters(demo().iter().map(|d| d.text.as_str()));
    let sources: Vec<&str> = demo().iter().map(|d| d.source.as_str()).collect();
    let matrix = OverlapMatrix::new(&sources, &clusters, &[]);
    let ours: Vec<Vec<u32>> = clusters.into_iter().map(|c| c.members).collect();
    let corpus = oracle::path("assets/corpus/demo.jsonl");
    let out = oracle::run("exact_clusters.py", &[corpus.to_str().unwrap()], b"");
    let theirs: Python = serde_json::from_str(&out).unwrap();
    let docs: usize = ours.iter().map(Vec::len).sum();
    println!(
        "exact dedup of demo.jsonl: {} clusters, {docs} documents; overlap {:?} = {:?}",
        ours.len(),
        matrix.sources,
        matrix.exact
    );
    assert!(
        ours.len() >= 20,
        "the demo corpus has known exact duplicates"
    );
    assert_eq!(ours, theirs.clusters);
    assert_eq!(matrix.sources, theirs.sources);
    assert_eq!(matrix.exact, theirs.overlap);
}
