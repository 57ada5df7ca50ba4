//! The two signature schemes: one-permutation hashing with optimal
//! densification against exact Jaccard (unbiased, spread within the binomial
//! bound, as the K permutations), the permutations bit for bit against a
//! Python implementation of their definition, and stored parameters from
//! before the scheme was a parameter.

use corpuscope_core::dedup::{DedupParams, MinHashParams, MinHashScheme, MinHasher, Signature};
use proptest::prelude::*;

use crate::oracle;

const K: usize = 112;

/// A test-side SplitMix64 stream (independent of the engine's seeding).
struct Stream(u64);

impl Stream {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Two sets whose union has `union` distinct random shingles, about a
/// fraction `j` of them shared, the rest split at random; and their exact
/// Jaccard, counted from the construction.
fn pair(rng: &mut Stream, union: usize, j: f64) -> (Vec<u64>, Vec<u64>, f64) {
    let common = ((j * union as f64).round() as usize).min(union);
    let (mut a, mut b) = (Vec::new(), Vec::new());
    for n in 0..union {
        let x = rng.next();
        if n < common {
            a.push(x);
            b.push(x);
        } else if rng.next() & 1 == 0 {
            a.push(x);
        } else {
            b.push(x);
        }
    }
    if a.is_empty() || b.is_empty() {
        // Keep both non-empty: move one shingle across.
        let (from, to) = if a.is_empty() {
            (&mut b, &mut a)
        } else {
            (&mut a, &mut b)
        };
        to.push(from.pop().expect("union ≥ 2"));
    }
    let shared = a.iter().filter(|x| b.contains(x)).count();
    let exact = shared as f64 / (a.len() + b.len() - shared) as f64;
    (a, b, exact)
}

/// Estimation errors (estimate − exact J) over `pairs` independent pairs (a
/// fresh seed each) with unions drawn from `unions`, and their exact Js.
fn errors(
    scheme: MinHashScheme,
    pairs: usize,
    unions: std::ops::Range<usize>,
    stream: u64,
) -> Vec<(f64, f64)> {
    let mut rng = Stream(stream);
    (0..pairs)
        .map(|p| {
            let union = unions.start + rng.below(unions.len());
            let target = (p % 19 + 1) as f64 / 20.0; // 0.05 … 0.95
            let (a, b, j) = pair(&mut rng, union, target);
            let params = MinHashParams {
                num_perm: K,
                seed: rng.next(),
                scheme,
                ..MinHashParams::default()
            };
            let hasher = MinHasher::new(params).unwrap();
            let estimate = hasher.signature_of(a).jaccard(&hasher.signature_of(b));
            (estimate - j, j)
        })
        .collect()
}

/// Documents of more shingles than K (most of a corpus): both schemes are
/// unbiased and their squared error is within the binomial J(1 − J)/K.
///
/// Under the hypothesis that each estimate is unbiased with variance at most
/// σ² = J(1 − J)/K (the binomial; one-permutation hashing samples bins
/// without replacement, which can only lower it), the mean error has
/// standard deviation ≤ √(Σσ²)/N and the mean squared error (≈ normal errors:
/// Var e² = 2σ⁴) is at most Σσ²/N with standard deviation √(2Σσ⁴)/N; both
/// are asserted at 4 standard deviations. The permutations must also reach
/// the binomial spread from below (they are exactly binomial), so the bound
/// is not vacuous.
#[test]
fn both_schemes_are_unbiased_within_the_binomial_spread() {
    let n = 2000;
    let mut mse = Vec::new();
    for scheme in [MinHashScheme::OnePermutation, MinHashScheme::Permutations] {
        let errors = errors(scheme, n, 150..1200, 17);
        let var: Vec<f64> = errors
            .iter()
            .map(|&(_, j)| j * (1.0 - j) / K as f64)
            .collect();
        let sum_var: f64 = var.iter().sum();
        let mean = errors.iter().map(|&(e, _)| e).sum::<f64>() / n as f64;
        let mean_sd = sum_var.sqrt() / n as f64;
        let squared = errors.iter().map(|&(e, _)| e * e).sum::<f64>() / n as f64;
        let expected = sum_var / n as f64;
        let squared_sd = (2.0 * var.iter().map(|v| v * v).sum::<f64>()).sqrt() / n as f64;
        println!(
            "{}: mean error {mean:+.5} (sd {mean_sd:.5}), mean squared error {squared:.6} (binomial {expected:.6} ± {squared_sd:.6})",
            scheme.name()
        );
        assert!(mean.abs() <= 4.0 * mean_sd, "{scheme:?}: biased, {mean}");
        assert!(
            squared <= expected + 4.0 * squared_sd,
            "{scheme:?}: spread {squared} above the binomial {expected}"
        );
        if scheme == MinHashScheme::Permutations {
            assert!(
                squared >= expected - 4.0 * squared_sd,
                "{squared} vs {expected}"
            );
        }
        mse.push(squared);
    }
    println!(
        "one-permutation / permutations mean squared error: {:.3}",
        mse[0] / mse[1]
    );
}

/// Documents of fewer shingles than K, where most bins are filled by
/// densification: the estimate stays unbiased in every range of J. The
/// errors' spread is no longer binomial in K (a bin's value is copied to
/// many), so each range's mean is tested against its own sample standard
/// deviation, at 4 standard errors; the worst case for any estimator in
/// [0, 1] of mean J, variance J(1 − J), bounds that deviation.
#[test]
fn densified_estimates_of_small_sets_are_unbiased() {
    let errors = errors(MinHashScheme::OnePermutation, 6000, 2..60, 29);
    for (lo, hi) in [(0.0, 0.34), (0.34, 0.67), (0.67, 1.01)] {
        let part: Vec<(f64, f64)> = errors
            .iter()
            .copied()
            .filter(|&(_, j)| (lo..hi).contains(&j))
            .collect();
        let n = part.len() as f64;
        assert!(n >= 1000.0, "too few pairs in [{lo}, {hi}): {n}");
        let mean = part.iter().map(|&(e, _)| e).sum::<f64>() / n;
        let var = part.iter().map(|&(e, _)| (e - mean).powi(2)).sum::<f64>() / (n - 1.0);
        let worst = part.iter().map(|&(_, j)| j * (1.0 - j)).sum::<f64>() / n;
        println!(
            "J in [{lo}, {hi}): {n} pairs, mean error {mean:+.5}, sd {:.4} (worst case {:.4}, binomial in K {:.4})",
            var.sqrt(),
            worst.sqrt(),
            (worst / K as f64).sqrt()
        );
        assert!(var <= worst, "spread beyond any [0, 1] estimator's");
        assert!(
            mean.abs() <= 4.0 * (var / n).sqrt(),
            "biased in [{lo}, {hi}): {mean}"
        );
    }
}

fn one_permutation(k: usize, seed: u64) -> MinHasher {
    MinHasher::new(MinHashParams {
        num_perm: k,
        bands: 1,
        rows: 1,
        seed,
        scheme: MinHashScheme::OnePermutation,
        ..MinHashParams::default()
    })
    .unwrap()
}

proptest! {
    /// Every bin of a non-empty set is filled, by a value of one of the
    /// set's shingles' bins; the signature does not depend on order or
    /// repeats; the text path equals the shingle-hash path.
    #[test]
    fn densification_fills_every_bin_deterministically(
        shingles in prop::collection::vec(any::<u64>(), 1..300),
        k in 1usize..200,
        seed in any::<u64>(),
    ) {
        let hasher = one_permutation(k, seed);
        let a = hasher.signature_of(shingles.iter().copied());
        prop_assert_eq!(a.0.len(), k);
        prop_assert!(a.0.iter().all(|&v| v != u32::MAX));
        prop_assert!(!a.is_empty());
        let b = hasher.signature_of(shingles.iter().rev().chain(&shingles).copied());
        prop_assert_eq!(&a, &b);
        // At most as many distinct values as shingles.
        let mut distinct = a.0.clone();
        distinct.sort_unstable();
        distinct.dedup();
        prop_assert!(distinct.len() <= shingles.len());
    }

    #[test]
    fn one_shingle_fills_every_bin_with_its_value(x in any::<u64>(), k in 1usize..300, seed in any::<u64>()) {
        let signature = one_permutation(k, seed).signature_of([x]);
        prop_assert!(signature.0.iter().all(|&v| v == signature.0[0] && v != u32::MAX));
    }

    #[test]
    fn text_and_shingle_paths_agree(
        words in prop::collection::vec(prop::sample::select(vec!["a", "b", "c", "d", "e", "f"]), 0..40),
        permutations in any::<bool>(),
    ) {
        let text = words.join(" ");
        let params = MinHashParams {
            scheme: if permutations { MinHashScheme::Permutations } else { MinHashScheme::OnePermutation },
            ..MinHashParams::default()
        };
        let mut hasher = MinHasher::new(params).unwrap();
        let set = hasher.shingler().shingle_set(&text);
        let from_text = hasher.signature(&text);
        prop_assert_eq!(&from_text, &hasher.signature_of(set.0.iter().copied()));
        prop_assert_eq!(from_text.is_empty(), words.is_empty());
    }
}

#[test]
fn an_empty_document_has_the_empty_signature_in_both_schemes() {
    for scheme in [MinHashScheme::OnePermutation, MinHashScheme::Permutations] {
        let params = MinHashParams {
            scheme,
            ..MinHashParams::default()
        };
        let mut hasher = MinHasher::new(params).unwrap();
        for signature in [hasher.signature(" ... "), hasher.signature_of([])] {
            assert!(signature.is_empty(), "{scheme:?}");
            assert_eq!(signature, Signature(vec![u32::MAX; K]));
        }
    }
}

/// The two schemes give different signatures of the same text (so a stored
/// signature must never be compared across schemes), and parameters that
/// differ only in the scheme are unequal.
#[test]
fn the_schemes_are_distinct_parameters() {
    let one = MinHashParams::default();
    let classic = MinHashParams {
        scheme: MinHashScheme::Permutations,
        ..one
    };
    assert_ne!(one, classic);
    let text = "the quick brown fox jumps over the lazy dog and keeps on running far away";
    let a = MinHasher::new(one).unwrap().signature(text);
    let b = MinHasher::new(classic).unwrap().signature(text);
    assert!(a.jaccard(&b) < 0.2, "{}", a.jaccard(&b));
}

/// The permutations, bit for bit, against their definition in Python.
#[test]
fn permutations_equal_their_python_definition() {
    let mut rng = Stream(5);
    let mut sets: Vec<Vec<u64>> = vec![vec![], vec![0], vec![u64::MAX, (1 << 61) - 1, 1 << 61]];
    for n in [1usize, 3, 50, 400] {
        sets.push((0..n).map(|_| rng.next()).collect());
    }
    for (seed, k) in [(1u64, 112usize), (7, 5), (u64::MAX, 64)] {
        let params = MinHashParams {
            num_perm: k,
            bands: 1,
            rows: 1,
            seed,
            scheme: MinHashScheme::Permutations,
            ..MinHashParams::default()
        };
        let hasher = MinHasher::new(params).unwrap();
        let ours: Vec<Vec<u32>> = sets
            .iter()
            .map(|s| hasher.signature_of(s.iter().copied()).0)
            .collect();
        let input = serde_json::json!({ "seed": seed, "num_perm": k, "sets": sets });
        let theirs: Vec<Vec<u32>> = serde_json::from_str(&oracle::run(
            "permutation_minhash.py",
            &[],
            input.to_string().as_bytes(),
        ))
        .unwrap();
        assert_eq!(ours, theirs, "seed {seed}, K = {k}");
    }
}

/// One-permutation signatures are stored, so they must not change between
/// versions: a fixed input's signature, pinned when the scheme was written.
#[test]
fn one_permutation_signatures_are_pinned() {
    let hasher = one_permutation(8, 1);
    let full = hasher.signature_of(0..1000u64);
    let sparse = hasher.signature_of([1u64, 2, 3]);
    assert_eq!(full.0, PINNED_FULL, "{:?}", full.0);
    assert_eq!(sparse.0, PINNED_SPARSE, "{:?}", sparse.0);
}

const PINNED_FULL: [u32; 8] = [
    30634828, 4814844, 32735123, 2357684, 21643453, 3035893, 104745883, 12999639,
];
const PINNED_SPARSE: [u32; 8] = [
    1614425489, 1614425489, 1614425489, 151657958, 1614425489, 151657958, 151657958, 1614425489,
];

/// Parameters stored before the scheme existed (IndexedDB corpus records and
/// reports hold them through serde, as self-describing maps: JSON here, a JS
/// object in the app) were made by the permutations and read as such; a
/// parameter set written now keeps its scheme.
#[test]
fn stored_parameters_without_a_scheme_are_permutations() {
    let old = r#"{"shingle":{"Words":5},"num_perm":112,"bands":14,"rows":8,"seed":1}"#;
    let params: MinHashParams = serde_json::from_str(old).unwrap();
    assert_eq!(params.scheme, MinHashScheme::Permutations);
    assert_eq!(
        params,
        MinHashParams {
            scheme: MinHashScheme::Permutations,
            ..MinHashParams::default()
        }
    );
    let old_dedup = format!(r#"{{"minhash":{old},"verify_threshold":null}}"#);
    let dedup: DedupParams = serde_json::from_str(&old_dedup).unwrap();
    assert_eq!(dedup.minhash.scheme, MinHashScheme::Permutations);
    for scheme in [MinHashScheme::OnePermutation, MinHashScheme::Permutations] {
        let now = DedupParams {
            minhash: MinHashParams {
                scheme,
                ..MinHashParams::default()
            },
            verify_threshold: Some(0.8),
        };
        let json = serde_json::to_string(&now).unwrap();
        assert!(json.contains("\"scheme\""), "{json}");
        assert_eq!(serde_json::from_str::<DedupParams>(&json).unwrap(), now);
    }
    assert_eq!(
        MinHashParams::default().scheme,
        MinHashScheme::OnePermutation
    );
}
