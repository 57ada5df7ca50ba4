//! Corpus search and stored vectors: filtered results against a brute force
//! over the filtered documents, and a store/load round trip.

use crate::demo::corpus;
use crate::oracle;
use crate::vectors::{model, scratch};
use corpuscope_core::dedup::{Cluster, DedupParams, DedupReport, NearDuplicates};
use corpuscope_core::vectors::hybrid::RRF_K;
use corpuscope_core::vectors::synthetic::{clustered, split};
use corpuscope_core::vectors::{
    dup_statuses, reciprocal_rank_fusion, Bm25, CorpusSearch, CorpusVectors, DocInfo, DupFilter,
    DupStatus, Hit, SearchFilter, SearchHit, SearchMode, SemDedupParams, StoredVectors,
    HNSW_THRESHOLD, SEMANTIC_RULE,
};

const WORDS: &[&str] = &[
    "token", "corpus", "entropy", "hash", "shingle", "model", "vector", "source", "license",
    "quote", "parquet", "stream",
];

/// `n` documents: texts of a few words, sources, token counts and statuses
/// spread so every filter keeps some and drops some.
fn documents(n: usize) -> (Vec<String>, Vec<DocInfo>) {
    let statuses = [
        DupStatus::Unique,
        DupStatus::Representative,
        DupStatus::Duplicate,
    ];
    (0..n)
        .map(|i| {
            let text = (0..1 + i % 7)
                .map(|j| WORDS[(i * 7 + j * 3) % WORDS.len()])
                .collect::<Vec<_>>()
                .join(" ");
            let info = DocInfo {
                source: ["code", "docs", "legal"][i % 3].to_string(),
                tokens: (i * 37 % 500) as u32,
                status: statuses[(i / 3) % 3],
            };
            (text, info)
        })
        .unzip()
}

fn filters() -> Vec<SearchFilter> {
    let mut out = vec![SearchFilter::default()];
    for duplicates in [
        DupFilter::Any,
        DupFilter::Unique,
        DupFilter::Duplicated,
        DupFilter::Kept,
    ] {
        for source in [None, Some("docs".to_string())] {
            out.push(SearchFilter {
                source,
                min_tokens: Some(100),
                max_tokens: Some(400),
                duplicates,
            });
        }
    }
    out
}

fn accepted(info: &DocInfo, filter: &SearchFilter) -> bool {
    let status_ok = match filter.duplicates {
        DupFilter::Any => true,
        DupFilter::Unique => info.status == DupStatus::Unique,
        DupFilter::Duplicated => info.status != DupStatus::Unique,
        DupFilter::Kept => info.status != DupStatus::Duplicate,
    };
    filter.source.as_deref().is_none_or(|s| s == info.source)
        && filter.min_tokens.is_none_or(|m| info.tokens >= m)
        && filter.max_tokens.is_none_or(|m| info.tokens <= m)
        && status_ok
}

/// Best first by score, ties by ascending index: the order every search uses.
fn ranked(mut hits: Vec<Hit>, k: usize) -> Vec<Hit> {
    hits.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.index.cmp(&b.index)));
    hits.truncate(k);
    hits
}

fn brute_semantic(
    rows: &[&[f32]],
    infos: &[DocInfo],
    q: &[f32],
    k: usize,
    f: &SearchFilter,
) -> Vec<Hit> {
    let hits = rows
        .iter()
        .enumerate()
        .filter(|(i, _)| accepted(&infos[*i], f))
        .map(|(i, r)| Hit {
            index: i as u32,
            score: r.iter().zip(q).map(|(a, b)| a * b).sum(),
        })
        .collect();
    ranked(hits, k)
}

fn brute_keyword(scores: &[f64], infos: &[DocInfo], k: usize, f: &SearchFilter) -> Vec<Hit> {
    let hits = (0..scores.len())
        .filter(|&i| scores[i] > 0.0 && accepted(&infos[i], f))
        .map(|i| Hit {
            index: i as u32,
            score: scores[i] as f32,
        })
        .collect();
    ranked(hits, k)
}

#[test]
fn filtered_searches_equal_brute_force_over_the_accepted_documents() {
    let n = 900;
    let (texts, infos) = documents(n);
    let all = clustered(n + 10, 16, 12, 0.5, 5);
    let (vectors, queries) = split(&all, n);
    let rows: Vec<&[f32]> = vectors.rows().collect();
    let built = CorpusVectors::build(vectors.clone(), SemDedupParams::default()).expect("build");
    let search = CorpusSearch::new(infos.clone(), texts.iter().map(String::as_str), Some(built))
        .expect("search");
    let bm25 = Bm25::new(texts.iter().map(String::as_str));
    let k = 10;
    let mut checked = 0;
    for (qi, q) in queries.rows().enumerate() {
        let text = format!(
            "{} {}",
            WORDS[qi % WORDS.len()],
            WORDS[(qi * 5 + 1) % WORDS.len()]
        );
        for f in filters() {
            let want_sem = brute_semantic(&rows, &infos, q, k, &f);
            let got = search
                .search(SearchMode::Semantic, &text, Some(q), k, &f)
                .expect("semantic");
            let got_ids: Vec<u32> = got.iter().map(|h| h.doc).collect();
            let want_ids: Vec<u32> = want_sem.iter().map(|h| h.index).collect();
            assert_eq!(got_ids, want_ids, "semantic, query {qi}, {f:?}");
            assert!(got.iter().all(|h| accepted(&infos[h.doc as usize], &f)));

            let scores = bm25.scores(&text);
            let want_kw = brute_keyword(&scores, &infos, k, &f);
            let got = search
                .search(SearchMode::Keyword, &text, None, k, &f)
                .expect("keyword");
            assert_eq!(
                got.iter().map(|h| h.doc).collect::<Vec<_>>(),
                want_kw.iter().map(|h| h.index).collect::<Vec<_>>(),
                "keyword, query {qi}, {f:?}"
            );

            // Hybrid: RRF of both rankings, each taken 5 × k deep.
            let fused = reciprocal_rank_fusion(
                &brute_semantic(&rows, &infos, q, 5 * k, &f),
                &brute_keyword(&scores, &infos, 5 * k, &f),
                60.0,
            );
            let got = search
                .search(SearchMode::Hybrid, &text, Some(q), k, &f)
                .expect("hybrid");
            assert_eq!(
                got.iter().map(|h| h.doc).collect::<Vec<_>>(),
                fused.iter().take(k).map(|h| h.index).collect::<Vec<_>>(),
                "hybrid, query {qi}, {f:?}"
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 10 * filters().len());
}

/// Keyword, semantic and hybrid search over the whole demo corpus against
/// tests/oracle/hybrid.py (BM25 in plain Python, cosines in NumPy, RRF in
/// exact fractions): the same documents at the same ranks, with the same
/// ranks in each ranking for hybrid results, and the same scores to float
/// precision. Ties go to the lower document index on both sides.
#[test]
fn demo_searches_equal_the_python_oracle() {
    let docs = corpus();
    let texts: Vec<&str> = docs.iter().map(|d| d.text.as_str()).collect();
    let vectors = model().embed_batch(&texts).expect("embed");
    let infos = docs
        .iter()
        .map(|d| DocInfo {
            source: d.source.clone(),
            tokens: 0,
            status: DupStatus::Unique,
        })
        .collect();
    let built = CorpusVectors::build(vectors, SemDedupParams::default()).expect("build");
    let rows = built.index.vectors().to_bytes();
    let search = CorpusSearch::new(infos, texts.iter().copied(), Some(built)).expect("search");
    let queries = [
        "license software warranty",
        "GNU General Public License version 3",
        "iterator next returns None",
        "Python dictionary keys",
        "computer programming is an art",
        "the",
        "zzzzqqq xyzzyplugh",
    ];
    let mut query_vectors = model().embed_batch(&queries).expect("embed");
    query_vectors.normalize();
    let (dpath, qpath) = (scratch("hybrid-docs.bin"), scratch("hybrid-queries.bin"));
    std::fs::write(&dpath, rows).expect("write");
    std::fs::write(&qpath, query_vectors.to_bytes()).expect("write");
    let (k, depth) = (10, 50);
    let request = serde_json::json!({
        "docs": texts, "queries": queries, "k": k, "depth": depth, "rrf_k": RRF_K,
    });
    let out = oracle::run(
        "hybrid.py",
        &[&dpath.display().to_string(), &qpath.display().to_string()],
        request.to_string().as_bytes(),
    );
    let _ = (std::fs::remove_file(dpath), std::fs::remove_file(qpath));
    let want: Vec<serde_json::Value> = serde_json::from_str(&out).expect("JSON");
    assert_eq!(want.len(), queries.len());
    let rank = |v: &serde_json::Value| v.as_u64().map(|r| r as u32);
    let open = SearchFilter::default();
    for (qi, (query, want)) in queries.iter().zip(&want).enumerate() {
        let vector = Some(query_vectors.row(qi));
        for (mode, name, tolerance) in [
            (SearchMode::Keyword, "keyword", 1e-6),
            (SearchMode::Semantic, "semantic", 1e-6),
            (SearchMode::Hybrid, "hybrid", 1e-6),
        ] {
            let got = search
                .search(mode, query, vector, k, &open)
                .expect("search");
            let want = want[name].as_array().expect("list");
            let ids = |hits: &[SearchHit]| hits.iter().map(|h| h.doc).collect::<Vec<_>>();
            let want_ids: Vec<u32> = want.iter().map(|w| w[0].as_u64().unwrap() as u32).collect();
            assert_eq!(ids(&got), want_ids, "{name} {query:?}");
            for (r, (g, w)) in got.iter().zip(want).enumerate() {
                let score = w[1].as_f64().expect("score");
                let off = (g.score as f64 - score).abs() / score.abs().max(1.0);
                assert!(
                    off <= tolerance,
                    "{name} {query:?} rank {r}: {} vs {score}",
                    g.score
                );
                let ranks = match mode {
                    SearchMode::Keyword => (None, rank(&w[2])),
                    SearchMode::Semantic => (rank(&w[2]), None),
                    SearchMode::Hybrid => (rank(&w[2]), rank(&w[3])),
                };
                let got_ranks = (g.semantic.map(|s| s.0), g.keyword.map(|s| s.0));
                assert_eq!(got_ranks, ranks, "{name} {query:?} rank {r}");
            }
            if name == "keyword" && *query == "zzzzqqq xyzzyplugh" {
                assert!(got.is_empty());
            } else {
                assert_eq!(got.len(), k, "{name} {query:?}");
            }
        }
    }
}

#[test]
fn semantic_search_needs_embeddings_and_a_vector_of_their_length() {
    let (texts, infos) = documents(20);
    let plain =
        CorpusSearch::new(infos.clone(), texts.iter().map(String::as_str), None).expect("new");
    let open = SearchFilter::default();
    assert!(plain
        .search(SearchMode::Semantic, "token", Some(&[1.0; 16]), 5, &open)
        .is_err());
    assert!(!plain
        .search(SearchMode::Keyword, "token", None, 5, &open)
        .expect("keyword")
        .is_empty());
    let built = CorpusVectors::build(clustered(20, 16, 2, 0.5, 1), SemDedupParams::default())
        .expect("build");
    let with =
        CorpusSearch::new(infos, texts.iter().map(String::as_str), Some(built)).expect("new");
    assert!(with
        .search(SearchMode::Semantic, "token", None, 5, &open)
        .is_err());
    assert!(with
        .search(SearchMode::Semantic, "token", Some(&[1.0; 8]), 5, &open)
        .is_err());
    let filtered = SearchFilter {
        source: Some("code".into()),
        ..SearchFilter::default()
    };
    assert!(with
        .search(SearchMode::Semantic, "token", Some(&[1.0; 8]), 5, &filtered)
        .is_err());
}

#[test]
fn stored_vectors_reload_to_the_same_index_map_and_clusters() {
    // Above the threshold, so the graph is stored and reloaded, not rebuilt.
    let n = HNSW_THRESHOLD + 500;
    let all = clustered(n + 20, 16, 200, 0.3, 8);
    let (vectors, queries) = split(&all, n);
    let built = CorpusVectors::build(vectors.clone(), SemDedupParams::default()).expect("build");
    assert!(built.index.graph().is_some());
    assert!(
        !built.semantic.is_empty(),
        "tight clusters give semantic duplicates"
    );
    let stored = built.to_stored();
    // Through a serde format, as IndexedDB storage does.
    let json = serde_json::to_vec(&stored).expect("encode");
    let stored: StoredVectors = serde_json::from_slice(&json).expect("decode");
    let loaded = CorpusVectors::from_stored(vectors.clone(), stored.clone()).expect("load");
    assert_eq!(loaded.map, built.map);
    assert_eq!(loaded.semantic, built.semantic);
    assert_eq!(
        loaded.index.graph().map(|g| g.to_bytes()),
        built.index.graph().map(|g| g.to_bytes())
    );
    for q in queries.rows() {
        let a = built.index.search(q, 10, |_| true).expect("built");
        let b = loaded.index.search(q, 10, |_| true).expect("loaded");
        assert_eq!(a, b);
    }
    let fewer = split(&vectors, n - 1).0;
    assert!(CorpusVectors::from_stored(fewer, stored).is_err());
}

/// Clusters stored before the leader rule had a number (no `semantic_rule`)
/// were grown by single links: loading recomputes them; current ones load as
/// stored.
#[test]
fn semantic_clusters_of_an_older_rule_are_recomputed_on_load() {
    let vectors = clustered(600, 16, 6, 0.1, 4);
    let built = CorpusVectors::build(vectors.clone(), SemDedupParams::default()).expect("build");
    assert!(!built.semantic.is_empty());
    let mut json = serde_json::to_value(built.to_stored()).expect("encode");
    assert_eq!(json["semantic_rule"], SEMANTIC_RULE);
    // An old record: no rule, one chained cluster of everything.
    json.as_object_mut()
        .expect("object")
        .remove("semantic_rule");
    json["semantic"] = serde_json::to_value(vec![Cluster::new(0, (0..600).collect())]).unwrap();
    let old: StoredVectors = serde_json::from_value(json).expect("decode");
    assert!(!old.is_current());
    let loaded = CorpusVectors::from_stored(vectors.clone(), old).expect("load");
    assert_eq!(loaded.semantic, built.semantic);
    // A current record is read as stored, even when its clusters differ.
    let mut current = built.to_stored();
    current.semantic.truncate(1);
    let loaded = CorpusVectors::from_stored(vectors, current.clone()).expect("load");
    assert_eq!(loaded.semantic, current.semantic);
}

#[test]
fn dup_statuses_mark_representatives_and_dropped_members() {
    let exact = vec![Cluster::new(0, vec![4, 1])];
    let near = NearDuplicates {
        bands: 16,
        rows: 8,
        verify_threshold: None,
        candidate_pairs: Vec::new(),
        pairs: Vec::new(),
        // 1 is kept in the exact cluster but dropped in the near one.
        clusters: vec![Cluster::new(0, vec![0, 1, 6])],
        listed: false,
    };
    let sources = vec!["a"; 8];
    let report = DedupReport::new(DedupParams::default(), &sources, exact, &near);
    use DupStatus::*;
    assert_eq!(
        dup_statuses(&report),
        vec![
            Representative,
            Duplicate,
            Unique,
            Unique,
            Duplicate,
            Unique,
            Duplicate,
            Unique
        ]
    );
}
