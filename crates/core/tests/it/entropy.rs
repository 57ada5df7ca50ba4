//! Entropy and compression against an independent Python computation
//! (tests/oracle/diversity.py: collections.Counter, math.log2, zlib_ng level 6).

use crate::demo::{corpus, gpt2, CORPUS};
use corpuscope_core::entropy::{normalized_entropy, DiversityTally, UnigramCounts};
use proptest::prelude::*;
use serde::Deserialize;
use std::collections::BTreeMap;

/// Every third demo document is sampled on both sides.
const STRIDE: usize = 3;

#[derive(Deserialize)]
struct ExpectedDocument {
    tokens: u64,
    distinct: u64,
    entropy: f64,
    normalized: f64,
    raw: u64,
    compressed: u64,
}

#[derive(Deserialize)]
struct ExpectedSource {
    tokens: u64,
    distinct: u64,
    entropy: f64,
    normalized: f64,
}

#[derive(Deserialize)]
struct Expected {
    documents: Vec<ExpectedDocument>,
    sources: BTreeMap<String, ExpectedSource>,
}

#[test]
fn entropy_and_compression_match_python_on_the_demo_corpus() {
    let tokenizer = crate::oracle::path("assets/tokenizers/gpt2-bytelevel-bpe/tokenizer.json");
    let args = [
        tokenizer.to_str().unwrap(),
        &crate::oracle::path(CORPUS).display().to_string(),
        &STRIDE.to_string(),
    ]
    .map(str::to_owned);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let expected: Expected =
        serde_json::from_str(&crate::oracle::run("diversity.py", &args, b"")).unwrap();
    let sample: Vec<_> = corpus().iter().step_by(STRIDE).collect();
    assert_eq!(sample.len(), expected.documents.len());

    let mut tallies: BTreeMap<String, DiversityTally> = BTreeMap::new();
    for (doc, want) in sample.iter().zip(&expected.documents) {
        let ids = gpt2().ids(&doc.text).unwrap();
        let got = tallies
            .entry(doc.source.clone())
            .or_default()
            .add(&doc.text, &ids)
            .unwrap();
        assert_eq!(
            (
                got.tokens,
                got.distinct_tokens,
                got.raw_bytes,
                got.compressed_bytes
            ),
            (want.tokens, want.distinct, want.raw, want.compressed)
        );
        assert!(
            (got.entropy_bits - want.entropy).abs() < 1e-9,
            "{} vs {}",
            got.entropy_bits,
            want.entropy
        );
        assert!((got.normalized_entropy - want.normalized).abs() < 1e-9);
        assert_eq!(
            got.compression_ratio,
            want.compressed as f64 / want.raw as f64
        );
    }
    assert_eq!(tallies.len(), expected.sources.len());
    for ((source, tally), (name, want)) in tallies.iter().zip(&expected.sources) {
        assert_eq!(source, name);
        let got = tally.diversity();
        assert_eq!(
            (got.tokens, got.distinct_tokens),
            (want.tokens, want.distinct),
            "{source}"
        );
        assert!(
            (got.pooled_entropy_bits - want.entropy).abs() < 1e-9,
            "{source}"
        );
        assert!(
            (got.pooled_normalized_entropy - want.normalized).abs() < 1e-9,
            "{source}"
        );
        // Pooled is not the mean of the documents' entropies.
        assert!(
            got.pooled_entropy_bits > got.mean_document_entropy_bits,
            "{source}"
        );
    }
}

proptest! {
    /// 0 ≤ H ≤ log2(distinct) and 0 ≤ normalised ≤ 1, for any stream.
    #[test]
    fn entropy_is_bounded(ids in prop::collection::vec(0u32..50, 0..300)) {
        let counts = UnigramCounts::from_ids(&ids);
        let h = counts.entropy_bits();
        let max = (counts.distinct().max(1) as f64).log2();
        prop_assert!((0.0..=max + 1e-12).contains(&h), "{} > {}", h, max);
        let n = counts.normalized_entropy();
        prop_assert!((0.0..=1.0 + 1e-12).contains(&n));
        prop_assert_eq!(n, normalized_entropy(h, counts.distinct()));
    }

    /// Pooled counts do not depend on how documents were split between tallies.
    #[test]
    fn merged_tallies_pool_the_same(
        docs in prop::collection::vec(prop::collection::vec(0u32..30, 0..40), 0..8),
        split in 0usize..8,
    ) {
        let split = split.min(docs.len());
        let mut whole = DiversityTally::default();
        let (mut a, mut b) = (DiversityTally::default(), DiversityTally::default());
        for (i, ids) in docs.iter().enumerate() {
            let text = format!("{ids:?}");
            whole.add(&text, ids).unwrap();
            if i < split { &mut a } else { &mut b }.add(&text, ids).unwrap();
        }
        a.merge(&b);
        prop_assert_eq!(&a.unigrams, &whole.unigrams);
        let (x, y) = (a.diversity(), whole.diversity());
        prop_assert_eq!(x.pooled_entropy_bits, y.pooled_entropy_bits);
        prop_assert_eq!(x.compressed_bytes, y.compressed_bytes);
        prop_assert!((x.mean_document_entropy_bits - y.mean_document_entropy_bits).abs() < 1e-9);
    }
}
