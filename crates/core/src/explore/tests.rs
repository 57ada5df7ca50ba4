use super::*;
use crate::ingest::ReadOptions;
use crate::pipeline::{Analysis, Pipeline};
use crate::test_assets::{demo_lines, gpt2 as counter, model};
use crate::vectors::SemDedupParams;
use crate::Document;
use std::sync::OnceLock;

/// A corpus as the app stores it, and its documents.
struct Corpus {
    documents: Vec<Document>,
    tokens: Vec<u32>,
    report: Report,
    signatures: SignatureStore,
    vectors: Vectors,
    stored: StoredVectors,
}

/// The first 600 demo documents, run through the pipeline with embeddings.
fn corpus() -> &'static Corpus {
    static CORPUS: OnceLock<Corpus> = OnceLock::new();
    CORPUS.get_or_init(|| {
        let data = demo_lines(600);
        let params = DedupParams::default();
        let mut analysis = Analysis::new(counter(), params, true).unwrap();
        let mut pipeline = Pipeline::new("gpt2", params).unwrap();
        let mut documents = Vec::new();
        let mut tokens = Vec::new();
        pipeline
            .read_file(
                "demo.jsonl",
                ReadOptions::default(),
                data.as_slice(),
                (1 << 16, 100),
                |docs| {
                    documents.extend_from_slice(docs);
                    let analyzed = analysis.analyze(Some(model()), docs)?;
                    tokens.extend(analyzed.tokens());
                    Ok(analyzed)
                },
                |_| {},
            )
            .unwrap();
        let done = pipeline.finish().unwrap();
        let vectors = done.vectors.unwrap();
        let stored = CorpusVectors::build(vectors.clone(), SemDedupParams::default())
            .unwrap()
            .to_stored();
        Corpus {
            documents,
            tokens,
            report: done.report,
            signatures: done.signatures,
            vectors,
            stored,
        }
    })
}

fn explorer() -> Explorer {
    let c = corpus();
    let mut explorer = Explorer::default();
    let n = c.documents.len() as u32;
    let upgraded = explorer
        .open(
            n,
            Some((c.vectors.clone(), c.stored.clone())),
            c.report.clone(),
            c.signatures.clone(),
        )
        .unwrap();
    assert!(upgraded.is_none(), "current vectors need no upgrade");
    explorer.add(stored_documents(c));
    explorer.build().unwrap();
    explorer
}

fn stored_documents(c: &Corpus) -> Vec<StoredDocument> {
    c.documents
        .iter()
        .zip(&c.tokens)
        .map(|(d, &tokens)| StoredDocument {
            text: d.text.clone(),
            source: d.source.clone(),
            tokens,
        })
        .collect()
}

fn unit(row: &[f32]) -> Vec<f32> {
    let norm = row.iter().map(|x| x * x).sum::<f32>().sqrt();
    row.iter().map(|x| x / norm).collect()
}

fn cosine(a: usize, b: usize) -> f32 {
    let v = &corpus().vectors;
    let (a, b) = (unit(v.row(a)), unit(v.row(b)));
    a.iter().zip(&b).map(|(x, y)| x * y).sum()
}

#[test]
fn views_need_an_open_corpus() {
    let mut explorer = Explorer::default();
    assert!(explorer.map(10).is_err());
    assert!(explorer.cluster(ClusterKind::Near, 0).is_err());
    assert!(explorer.clusters(ClusterKind::Exact, None).is_err());
    assert!(explorer.document(0, &counter()).is_err());
    assert!(explorer.build().is_err());
}

#[test]
fn an_opening_with_missing_documents_is_refused() {
    let c = corpus();
    let mut explorer = Explorer::default();
    let n = c.documents.len() as u32;
    let upgraded = explorer
        .open(n, None, c.report.clone(), c.signatures.clone())
        .unwrap();
    assert!(upgraded.is_none());
    let mut docs = stored_documents(c);
    docs.pop();
    explorer.add(docs);
    let err = explorer.build().unwrap_err().to_string();
    assert!(err.contains(&format!("{} were read", n - 1)), "{err}");
}

#[test]
fn a_cluster_lists_its_members_beside_the_representative() {
    let c = corpus();
    let explorer = explorer();
    let near = &c.report.dedup.near_clusters;
    assert!(
        !near.is_empty(),
        "the demo's first documents have near duplicates"
    );
    for cluster in near.iter().take(10) {
        let members = explorer.cluster(ClusterKind::Near, cluster.id).unwrap();
        assert_eq!(members[0].doc, cluster.representative);
        let mut listed: Vec<u32> = members.iter().map(|m| m.doc).collect();
        listed.sort_unstable();
        assert_eq!(listed, cluster.members[..listed.len()]);
        let rep = cluster.representative as usize;
        for m in &members {
            let doc = m.doc as usize;
            assert_eq!(m.source, c.documents[doc].source);
            assert_eq!(m.tokens, c.tokens[doc]);
            // The share of equal signature slots, counted here.
            let (a, b) = (c.signatures.get(rep), c.signatures.get(doc));
            let same = a.iter().zip(b).filter(|(x, y)| x == y).count();
            assert!((m.estimated_jaccard - same as f64 / a.len() as f64).abs() < 1e-12);
            assert!((m.cosine.unwrap() - cosine(rep, doc)).abs() < 1e-4);
        }
    }
    assert!(explorer.cluster(ClusterKind::Near, u32::MAX).is_err());
}

#[test]
fn cluster_lists_count_their_members_sources() {
    let c = corpus();
    let mut explorer = explorer();
    for banding in [None, Some((8, 14)), Some((28, 4))] {
        let list = explorer.clusters(ClusterKind::Near, banding).unwrap();
        let sizes: Vec<u32> = list.rows.iter().map(|r| r.size).collect();
        assert!(sizes.windows(2).all(|w| w[0] >= w[1]), "{sizes:?}");
        for row in &list.rows {
            let members = explorer.cluster(ClusterKind::Near, row.id).unwrap();
            assert_eq!(members[0].doc, row.representative);
            let total: u32 = row.sources.iter().map(|(_, n)| n).sum();
            assert_eq!(total, row.size);
            for (source, n) in &row.sources {
                let counted = members.iter().filter(|m| &m.source == source).count();
                // Up to 50 members are shown; the count covers them all.
                assert!(counted as u32 <= *n);
                if row.size <= 50 {
                    assert_eq!(counted as u32, *n);
                }
            }
        }
        if let Some((bands, rows)) = banding {
            let direct = cluster_buckets(&c.signatures, bands as usize, rows as usize)
                .unwrap()
                .clusters;
            assert_eq!(list.clusters as usize, direct.len());
        }
    }
}

#[test]
fn a_document_shows_its_tokens_and_nearest_neighbours() {
    let c = corpus();
    let explorer = explorer();
    let counter = counter();
    for doc in [0usize, 17, 311, c.documents.len() - 1] {
        let view = explorer.document(doc as u32, &counter).unwrap();
        let text = &c.documents[doc].text;
        let joined: String = view.pieces.iter().map(|p| p.text.as_str()).collect();
        assert!(text.starts_with(&joined));
        assert_eq!(view.cut, joined.len() < text.len());
        assert_eq!(view.tokens as usize, counter.count(text).unwrap());
        // Below 20k documents the index is exact: a brute force agrees.
        let mut all: Vec<(usize, f32)> = (0..c.documents.len())
            .filter(|&d| d != doc)
            .map(|d| (d, cosine(doc, d)))
            .collect();
        all.sort_by(|a, b| b.1.total_cmp(&a.1));
        let found: Vec<f32> = view.neighbours.iter().map(|n| n.1).collect();
        assert_eq!(found.len(), 10);
        for (got, want) in found.iter().zip(&all) {
            assert!((got - want.1).abs() < 1e-4, "{found:?} vs {:?}", &all[..10]);
        }
        assert!(view.neighbours.iter().all(|n| n.0 as usize != doc));
        for (kind, id, size) in &view.clusters {
            let members = explorer.cluster(*kind, *id).unwrap();
            assert!(members.len() as u32 <= *size);
        }
    }
}

#[test]
fn keyword_search_finds_the_word_and_honours_the_source_filter() {
    let c = corpus();
    let explorer = explorer();
    let source = c.documents[0].source.clone();
    let filter = SearchFilter {
        source: Some(source.clone()),
        ..SearchFilter::default()
    };
    for (filter, query) in [(SearchFilter::default(), "license"), (filter, "the")] {
        let hits = explorer
            .search(None, SearchMode::Keyword, query, 20, &filter)
            .unwrap();
        assert!(!hits.is_empty());
        assert!(hits.windows(2).all(|w| w[0].score >= w[1].score));
        for hit in &hits {
            let text = c.documents[hit.doc as usize].text.to_lowercase();
            assert!(text.contains(query), "{query} in document {}", hit.doc);
            if let Some(s) = &filter.source {
                assert_eq!(&hit.source, s);
            }
        }
    }
    assert!(explorer
        .search(None, SearchMode::Semantic, "x", 5, &SearchFilter::default())
        .is_err());
}

#[test]
fn the_map_samples_every_nth_document() {
    let c = corpus();
    let explorer = explorer();
    let map = explorer.map(100).unwrap();
    let n = c.documents.len();
    let step = n.div_ceil(100);
    assert_eq!(map.points.len(), n.div_ceil(step));
    assert!(map.sources.windows(2).all(|w| w[0] < w[1]));
    for (i, point) in map.points.iter().enumerate() {
        assert_eq!(
            map.sources[point.source as usize],
            c.documents[i * step].source
        );
    }
    let sizes = &map.clusters;
    assert!(sizes.windows(2).all(|w| w[0] >= w[1]));
}

#[test]
fn a_rebanded_report_is_the_stored_one_rebanded() {
    let c = corpus();
    let explorer = explorer();
    let sources: Vec<&str> = c.documents.iter().map(|d| d.source.as_str()).collect();
    let want = c.report.rebanded(8, 14, &sources, &c.signatures).unwrap();
    let got = explorer.rebanded(8, 14).unwrap();
    assert_eq!(got, want);
    assert_eq!(
        (
            got.dedup.params.minhash.bands,
            got.dedup.params.minhash.rows
        ),
        (8, 14)
    );
    assert_eq!(got.tokens, c.report.tokens);
}

#[test]
fn vectors_of_an_older_rule_are_clustered_again_and_given_back() {
    let c = corpus();
    let mut old = c.stored.clone();
    old.semantic_rule = 0;
    // Their clusters as an older rule left them: one chain of everything.
    old.semantic = vec![Cluster::new(0, (0..c.documents.len() as u32).collect())];
    let mut explorer = Explorer::default();
    let upgraded = explorer
        .open(
            c.documents.len() as u32,
            Some((c.vectors.clone(), old)),
            c.report.clone(),
            c.signatures.clone(),
        )
        .unwrap()
        .expect("an older rule's clusters are recomputed");
    assert!(upgraded.is_current());
    assert_eq!(upgraded.semantic, c.stored.semantic);
}
