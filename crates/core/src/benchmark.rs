//! The benchmark figures that are measured the same way natively and in the
//! browser's worker: the caller passes its clock (`Instant` natively,
//! `performance.now()` in the worker), so both run this very code.
//!
//! `scripts/bench.sh` runs them beside the Python anchors (`scripts/bench/`)
//! on the same corpus, tokenizers, shingle sets and parameters.

use serde_json::{json, Value};

use crate::dedup::{
    cluster_buckets, recluster, MinHashParams, MinHashScheme, MinHasher, ShingleSet, SignatureStore,
};
use crate::tokenize::TokenCounter;
use crate::{Error, Result};

/// The texts of a JSONL corpus's `text` fields, in order (the demo corpus).
pub fn jsonl_texts(bytes: &[u8]) -> Result<Vec<String>> {
    let text = std::str::from_utf8(bytes).map_err(|e| Error::Encode(e.to_string()))?;
    Ok(text
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter_map(|record| record["text"].as_str().map(str::to_owned))
        .collect())
}

/// Runs `pass` `repeats` times, each after `setup` (untimed); returns the
/// milliseconds of each pass and the last pass's result.
fn timed<S, T>(
    repeats: usize,
    now: &dyn Fn() -> f64,
    mut setup: impl FnMut() -> S,
    mut pass: impl FnMut(S) -> Result<T>,
) -> Result<(Vec<f64>, T)> {
    let mut times = Vec::with_capacity(repeats);
    let mut last = None;
    for _ in 0..repeats.max(1) {
        let state = setup();
        let start = now();
        let out = pass(state)?;
        times.push(now() - start);
        last = Some(std::hint::black_box(out));
    }
    Ok((times, last.expect("at least one pass")))
}

/// Untimed passes before short timed ones: a browser compiles hot wasm
/// functions with its optimising tier in the background, so the first
/// passes of a fresh worker can still run baseline code.
const WARM_UP_MS: f64 = 500.0;

/// Runs `pass`, untimed, until [`WARM_UP_MS`] have gone by (at least once).
fn warm_up(now: &dyn Fn() -> f64, mut pass: impl FnMut() -> Result<()>) -> Result<()> {
    let start = now();
    loop {
        pass()?;
        if now() - start >= WARM_UP_MS {
            return Ok(());
        }
    }
}

fn best(times: &[f64]) -> f64 {
    times.iter().copied().fold(f64::INFINITY, f64::min)
}

/// Token counting over `texts` with each tokenizer (`(name, tokenizer.json)`),
/// one thread: `count` and `ids` (the engine's paths: counting, and the
/// `Analyzer`'s ids; a fresh word cache each pass), the full encode
/// (`encode_ids`) and the split into words alone (`words`: what the cache
/// cannot skip), each `repeats` times; the best pass gives the rate.
pub fn tokenize_figures(
    texts: &[String],
    tokenizers: &[(String, Vec<u8>)],
    repeats: usize,
    now: &dyn Fn() -> f64,
) -> Result<Value> {
    let bytes: usize = texts.iter().map(String::len).sum();
    let mut rows = Vec::new();
    for (name, json) in tokenizers {
        let counter = TokenCounter::from_json(json)?;
        let (count_ms, count_total) = timed(
            repeats,
            now,
            || counter.clone(),
            |fresh| texts.iter().map(|t| fresh.count(t)).sum::<Result<usize>>(),
        )?;
        let (ids_ms, ids_total) = timed(
            repeats,
            now,
            || counter.clone(),
            |fresh| {
                texts
                    .iter()
                    .map(|t| fresh.ids(t).map(|ids| ids.len()))
                    .sum::<Result<usize>>()
            },
        )?;
        let (encode_ms, encode_total) = timed(
            repeats,
            now,
            || (),
            |()| {
                texts
                    .iter()
                    .map(|t| counter.encode_ids(t).map(|ids| ids.len()))
                    .sum::<Result<usize>>()
            },
        )?;
        let (split_ms, words) = timed(
            repeats,
            now,
            || (),
            |()| {
                texts
                    .iter()
                    .map(|t| counter.words(t))
                    .sum::<Result<usize>>()
            },
        )?;
        let rate = |ms: f64| {
            json!({
                "best_ms": ms,
                "docs_per_s": texts.len() as f64 / (ms / 1e3),
                "mb_per_s": bytes as f64 / 1e6 / (ms / 1e3),
            })
        };
        rows.push(json!({
            "tokenizer": name,
            "word_cache": counter.caches_words(),
            "tokens_count": count_total,
            "tokens_encode": encode_total,
            "count": rate(best(&count_ms)),
            "count_ms": count_ms,
            "tokens_ids": ids_total,
            "ids": rate(best(&ids_ms)),
            "ids_ms": ids_ms,
            "encode": rate(best(&encode_ms)),
            "encode_ms": encode_ms,
            "words": words,
            "split": rate(best(&split_ms)),
            "split_ms": split_ms,
        }));
    }
    Ok(json!({
        "documents": texts.len(),
        "bytes": bytes,
        "repeats": repeats,
        "tokenizers": rows,
    }))
}

/// The distinct shingle hashes of each text under the default parameters:
/// what the Python anchors hash (`shingles_to_bytes` writes them for them).
pub fn shingle_sets(texts: &[String]) -> Result<Vec<ShingleSet>> {
    let mut hasher = MinHasher::new(MinHashParams::default())?;
    Ok(texts
        .iter()
        .map(|t| hasher.shingler().shingle_set(t))
        .collect())
}

/// Shingle sets as bytes: per set, its length (u32) then its hashes (u64),
/// all little-endian.
pub fn shingles_to_bytes(sets: &[ShingleSet]) -> Vec<u8> {
    let mut out = Vec::new();
    for set in sets {
        out.extend((set.0.len() as u32).to_le_bytes());
        for h in &set.0 {
            out.extend(h.to_le_bytes());
        }
    }
    out
}

/// Near-dedup under the default parameters (word 5-grams, K = 112, 14 × 8)
/// with each signature scheme: signatures of the given shingle sets then LSH
/// clusters (the anchors' work), and the whole path from the texts (shingling
/// included), each `repeats` times.
///
/// The default scheme (one-permutation hashing) is the headline: its figures
/// are at the top level under the keys the report generator and the browser
/// harness read (`sets_best_ms`, `lsh_best_ms`, …); the K-permutation
/// family's are the same keys under `permutations`. Each scheme's
/// `candidate_pairs` (listed after the timing) and `clustered` documents let
/// the report compare what they find with the anchors'.
pub fn minhash_figures(texts: &[String], repeats: usize, now: &dyn Fn() -> f64) -> Result<Value> {
    let params = MinHashParams::default();
    let sets = shingle_sets(texts)?;
    let shingles: usize = sets.iter().map(ShingleSet::len).sum();
    let headline = scheme_figures(texts, &sets, params, repeats, now)?;
    let classic = MinHashParams {
        scheme: MinHashScheme::Permutations,
        ..params
    };
    let permutations = scheme_figures(texts, &sets, classic, repeats, now)?;
    let mut out = json!({
        "documents": texts.len(),
        "shingles": shingles,
        "num_perm": params.num_perm,
        "bands": params.bands,
        "rows": params.rows,
        "repeats": repeats,
        "permutations": permutations,
    });
    if let (Value::Object(out), Value::Object(headline)) = (&mut out, headline) {
        out.extend(headline);
    }
    Ok(out)
}

/// One scheme's figures for [`minhash_figures`].
fn scheme_figures(
    texts: &[String],
    sets: &[ShingleSet],
    params: MinHashParams,
    repeats: usize,
    now: &dyn Fn() -> f64,
) -> Result<Value> {
    let mut signatures_ms = Vec::new();
    let mut lsh_ms = Vec::new();
    let mut clusters = Vec::new();
    // The signatures of every set (the timed part before LSH).
    let sign = |hasher: &MinHasher| -> Result<SignatureStore> {
        let mut store = SignatureStore::new(params.num_perm);
        for set in sets {
            store.push(&hasher.signature_of(set.0.iter().copied()))?;
        }
        Ok(store)
    };
    warm_up(now, || {
        let store = sign(&MinHasher::new(params)?)?;
        cluster_buckets(&store, params.bands, params.rows).map(|_| ())
    })?;
    let mut store = SignatureStore::new(params.num_perm);
    for _ in 0..repeats.max(1) {
        let hasher = MinHasher::new(params)?;
        let start = now();
        store = sign(&hasher)?;
        let signed = now();
        let near = cluster_buckets(&store, params.bands, params.rows)?;
        let done = now();
        signatures_ms.push(signed - start);
        lsh_ms.push(done - signed);
        clusters = std::hint::black_box(near.clusters);
    }
    let (from_text_ms, _) = timed(
        repeats,
        now,
        || MinHasher::new(params),
        |hasher| {
            let mut hasher = hasher?;
            let mut store = SignatureStore::new(params.num_perm);
            for text in texts {
                store.push(&hasher.signature(text))?;
            }
            Ok(cluster_buckets(&store, params.bands, params.rows)?
                .clusters
                .len())
        },
    )?;
    let total: Vec<f64> = signatures_ms
        .iter()
        .zip(&lsh_ms)
        .map(|(s, l)| s + l)
        .collect();
    // Untimed: the pairs sharing a bucket, and the documents in clusters.
    let candidate_pairs = recluster(&store, params.bands, params.rows, None)?.candidate_pairs;
    let mut clustered: Vec<u32> = clusters.iter().flat_map(|c| c.members.clone()).collect();
    clustered.sort_unstable();
    Ok(json!({
        "scheme": params.scheme.name(),
        "signatures_best_ms": best(&signatures_ms),
        "signatures_ms": signatures_ms,
        "lsh_best_ms": best(&lsh_ms),
        "lsh_ms": lsh_ms,
        "sets_best_ms": best(&total),
        "sets_ms": total,
        "from_text_best_ms": best(&from_text_ms),
        "from_text_ms": from_text_ms,
        "clusters": clusters.len(),
        "clustered_documents": clustered.len(),
        "clustered": clustered,
        "candidate_pairs": candidate_pairs,
    }))
}
