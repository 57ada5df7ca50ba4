//! MinHash accuracy and verified LSH on real text with planted near duplicates.

use std::sync::OnceLock;

use corpuscope_core::dedup::{
    dedup, recluster, DedupParams, Deduped, MinHashParams, MinHashScheme, ShingleKind, Verification,
};
use corpuscope_core::Document;

use crate::dedup_fixtures::{jaccard, plant, real_texts, word_shingles, Planted};
use crate::oracle;

/// Mutation rates giving planted Jaccards from 1 down to about 0.1.
const RATES: [f64; 12] = [
    0.0, 0.003, 0.006, 0.01, 0.015, 0.02, 0.03, 0.05, 0.08, 0.12, 0.2, 0.3,
];

/// Both schemes are held to the same bounds: each is an unbiased estimator
/// of J whose variance is at most the binomial J(1 − J)/K (one-permutation
/// hashing samples bins without replacement, which can only lower it for
/// documents of more than K shingles).
const SCHEMES: [MinHashScheme; 2] = [MinHashScheme::OnePermutation, MinHashScheme::Permutations];

const fn params(scheme: MinHashScheme) -> DedupParams {
    DedupParams {
        minhash: MinHashParams {
            shingle: ShingleKind::Words(5),
            num_perm: 112,
            bands: 14,
            rows: 8,
            seed: 1,
            scheme,
        },
        verify_threshold: Some(0.8),
    }
}

/// 200 real documents, two mutants each, and their dedup run under each
/// scheme (shared).
fn planted(scheme: MinHashScheme) -> &'static (Planted, Deduped) {
    static RUNS: [OnceLock<(Planted, Deduped)>; 2] = [OnceLock::new(), OnceLock::new()];
    let slot = SCHEMES.iter().position(|&s| s == scheme).unwrap();
    RUNS[slot].get_or_init(|| {
        let bases = real_texts(&["docs", "legal"], 100);
        assert_eq!(bases.len(), 200);
        let planted = plant(&bases, 2, &RATES, 7);
        let run = dedup(&documents(&planted.texts), params(scheme)).unwrap();
        (planted, run)
    })
}

fn documents(texts: &[String]) -> Vec<Document> {
    texts
        .iter()
        .enumerate()
        .map(|(i, t)| Document {
            line: i as u64 + 1,
            source: "planted".into(),
            text: t.clone(),
            vector: None,
            conversation: None,
        })
        .collect()
}

#[test]
fn minhash_estimates_stay_within_three_standard_errors() {
    let mut defaults = params(MinHashScheme::OnePermutation).minhash;
    assert_eq!(defaults, MinHashParams::default());
    defaults.scheme = MinHashScheme::Permutations;
    assert_ne!(defaults, MinHashParams::default());
    for scheme in SCHEMES {
        estimates_within_three_standard_errors(scheme);
    }
}

fn estimates_within_three_standard_errors(scheme: MinHashScheme) {
    let (planted, run) = planted(scheme);
    let k = params(scheme).minhash.num_perm as f64;
    let sets: Vec<_> = planted.texts.iter().map(|t| word_shingles(t, 5)).collect();
    let (mut within, mut sample) = (0, Vec::new());
    let mut exact = Vec::new();
    for (n, &(a, b)) in planted.pairs.iter().enumerate() {
        let (a, b) = (a as usize, b as usize);
        let j = jaccard(&sets[a], &sets[b]);
        // The engine's hashed sets give the same exact Jaccard as string sets.
        let hashed = run.shingles[a].jaccard(&run.shingles[b]);
        assert!(
            (hashed - j).abs() < 1e-12,
            "pair {n}: hashed {hashed} vs strings {j}"
        );
        let estimate =
            corpuscope_core::dedup::estimate_jaccard(run.signatures.get(a), run.signatures.get(b));
        let se = (j * (1.0 - j) / k).sqrt();
        if (estimate - j).abs() <= 3.0 * se + 1e-12 {
            within += 1;
        }
        if n % 10 == 0 {
            sample.push((planted.texts[a].as_str(), planted.texts[b].as_str()));
            exact.push(j);
        }
    }
    let fraction = within as f64 / planted.pairs.len() as f64;
    let spread = |lo: f64, hi: f64| exact.iter().filter(|j| (lo..hi).contains(*j)).count();
    println!(
        "MinHash {} K={k}: {within}/{} planted pairs ({:.2}%) within 3 SE; sample J in [0,0.5): {}, [0.5,0.9): {}, [0.9,1]: {}",
        scheme.name(),
        planted.pairs.len(),
        100.0 * fraction,
        spread(0.0, 0.5),
        spread(0.5, 0.9),
        spread(0.9, 1.01)
    );
    assert!(fraction >= 0.99, "{scheme:?}: only {fraction} within 3 SE");

    // Python recomputes a sample of the exact Jaccards from the texts.
    let input = serde_json::json!({ "n": 5, "pairs": sample });
    let python: Vec<f64> = serde_json::from_str(&oracle::run(
        "shingle_jaccard.py",
        &[],
        input.to_string().as_bytes(),
    ))
    .unwrap();
    assert_eq!(python.len(), exact.len());
    for (p, r) in python.iter().zip(&exact) {
        assert!((p - r).abs() < 1e-12, "python {p} vs rust {r}");
    }
}

#[test]
fn verified_lsh_has_high_precision_and_recall_above_point_eight() {
    for scheme in SCHEMES {
        verified_lsh_precision_and_recall(scheme);
    }
}

fn verified_lsh_precision_and_recall(scheme: MinHashScheme) {
    let (planted, run) = planted(scheme);
    let verify = Verification {
        shingles: &run.shingles,
        threshold: 0.8,
    };
    let near = recluster(&run.signatures, 14, 8, Some(verify)).unwrap();
    assert_eq!(near.clusters, run.report.near_clusters);

    // Ground truth: exact Jaccard of string shingle sets over every candidate
    // (before verification) and every planted pair.
    let sets: Vec<_> = planted.texts.iter().map(|t| word_shingles(t, 5)).collect();
    let mut universe: Vec<(u32, u32)> = near.candidate_pairs.clone();
    universe.extend(&planted.pairs);
    universe.sort_unstable();
    universe.dedup();
    let truth: std::collections::HashSet<(u32, u32)> = universe
        .into_iter()
        .filter(|&(a, b)| jaccard(&sets[a as usize], &sets[b as usize]) >= 0.8)
        .collect();
    let found: std::collections::HashSet<(u32, u32)> = near.pairs.iter().copied().collect();
    let hits = found.intersection(&truth).count() as f64;
    let precision = hits / found.len() as f64;
    let recall = hits / truth.len() as f64;
    println!(
        "{} verified LSH 14x8 at J>=0.8: {} true pairs, {} found, precision {precision:.4}, recall {recall:.4}",
        scheme.name(),
        truth.len(),
        found.len()
    );
    assert!(truth.len() >= 100, "too few true pairs: {}", truth.len());
    assert!(
        precision >= 0.99 && recall >= 0.95,
        "{scheme:?}: precision {precision}, recall {recall}"
    );
}
