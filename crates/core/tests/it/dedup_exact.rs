//! Exact dedup of the demo corpus against Python's unicodedata.

use corpuscope_core::dedup::exact_clusters;

use crate::dedup_fixtures::demo;
use crate::oracle;

#[test]
fn exact_clusters_of_the_demo_corpus_equal_pythons() {
    let ours: Vec<Vec<u32>> = exact_clusters(demo().iter().map(|d| d.text.as_str()))
        .into_iter()
        .map(|c| c.members)
        .collect();
    let corpus = oracle::path("assets/corpus/demo.jsonl");
    let out = oracle::run("exact_clusters.py", &[corpus.to_str().unwrap()], b"");
    let theirs: Vec<Vec<u32>> = serde_json::from_str(&out).unwrap();
    let docs: usize = ours.iter().map(Vec::len).sum();
    println!(
        "exact dedup of demo.jsonl: {} clusters, {docs} documents",
        ours.len()
    );
    assert!(
        ours.len() >= 20,
        "the demo corpus has known exact duplicates"
    );
    assert_eq!(ours, theirs);
}
