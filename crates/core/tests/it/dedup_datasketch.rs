//! LSH candidate pairs, clusters and banding choice against datasketch.

use std::collections::HashSet;

use corpuscope_core::dedup::{
    optimal_params, recluster, s_curve, MinHashParams, MinHashScheme, MinHasher, ShingleSet,
    SignatureStore,
};
use serde::Deserialize;

use crate::dedup_fixtures::{plant, real_texts};
use crate::oracle;

/// Mutation rates: 35 in 50 clearly similar (J > 0.9), 12 clearly dissimilar
/// (J < 0.3), 3 mid-range (rate 0.02, J ≈ 0.82; rate 0.035, J ≈ 0.72), where
/// two independent hash families disagree by chance.
const RATES: [f64; 50] = [
    0.0, 0.001, 0.002, 0.003, 0.004, 0.005, 0.006, 0.007, 0.008, 0.0, //
    0.001, 0.002, 0.003, 0.004, 0.005, 0.006, 0.007, 0.008, 0.0, 0.001, //
    0.002, 0.003, 0.004, 0.005, 0.006, 0.007, 0.008, 0.0, 0.001, 0.002, //
    0.003, 0.004, 0.005, 0.006, 0.007, 0.02, 0.02, 0.035, 0.25, 0.3, //
    0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.3, 0.4, 0.5, 0.6,
];

/// Real documents no two of which share more than 30% of their shingles, so
/// that every similar pair is a planted one.
fn dissimilar_bases(hasher: &mut MinHasher) -> Vec<String> {
    let mut kept: Vec<(String, ShingleSet)> = Vec::new();
    for text in real_texts(&["docs", "legal"], 200) {
        let set = hasher.shingler().shingle_set(&text);
        if kept.iter().all(|(_, other)| set.jaccard(other) < 0.3) {
            kept.push((text, set));
        }
        if kept.len() == 200 {
            break;
        }
    }
    kept.into_iter().map(|(text, _)| text).collect()
}

#[derive(Deserialize)]
struct Datasketch {
    pairs: Vec<(u32, u32)>,
    components: Vec<Vec<u32>>,
}

fn agreement<T: Eq + std::hash::Hash>(ours: &HashSet<T>, theirs: &HashSet<T>) -> f64 {
    let union = ours.union(theirs).count();
    ours.intersection(theirs).count() as f64 / union.max(1) as f64
}

/// Both schemes against datasketch's permutations: each is an independent
/// hash family with P[band equal] = J^r, so the same S-curve bounds apply.
#[test]
fn candidate_pairs_and_clusters_agree_with_datasketch() {
    for scheme in [MinHashScheme::OnePermutation, MinHashScheme::Permutations] {
        agree_with_datasketch(MinHashParams {
            scheme,
            ..MinHashParams::default()
        });
    }
}

fn agree_with_datasketch(params: MinHashParams) {
    let mut hasher = MinHasher::new(params).unwrap();
    let bases = dissimilar_bases(&mut hasher);
    assert_eq!(bases.len(), 200);
    let planted = plant(&bases, 2, &RATES, 11);
    let mut store = SignatureStore::new(params.num_perm);
    let mut sets = Vec::new();
    for text in &planted.texts {
        store.push(&hasher.signature(text)).unwrap();
        sets.push(hasher.shingler().shingle_set(text).0);
    }
    let ours = recluster(&store, params.bands, params.rows, None).unwrap();

    let input = serde_json::json!({
        "num_perm": params.num_perm, "bands": params.bands, "rows": params.rows, "sets": sets,
    });
    let theirs: Datasketch = serde_json::from_str(&oracle::run(
        "minhash_lsh.py",
        &[],
        input.to_string().as_bytes(),
    ))
    .unwrap();

    // What two independent hash families should agree on, from the S-curve.
    let (mut both, mut either) = (0.0, 0.0);
    for &(a, b) in &planted.pairs {
        let j = ShingleSet(sets[a as usize].clone()).jaccard(&ShingleSet(sets[b as usize].clone()));
        let p = s_curve(j, params.bands, params.rows);
        both += p * p;
        either += 1.0 - (1.0 - p) * (1.0 - p);
    }
    println!(
        "expected agreement on planted pairs from p(J): {:.4}",
        both / either
    );
    let our_pairs: HashSet<_> = ours.candidate_pairs.iter().copied().collect();
    let their_pairs: HashSet<_> = theirs.pairs.into_iter().collect();
    let pair_agreement = agreement(&our_pairs, &their_pairs);
    let our_clusters: HashSet<_> = ours.clusters.iter().map(|c| c.members.clone()).collect();
    let their_clusters: HashSet<_> = theirs.components.into_iter().collect();
    let cluster_agreement = agreement(&our_clusters, &their_clusters);
    println!(
        "{} vs datasketch MinHashLSH(14x8) on {} docs: candidate pairs ours {} / datasketch {} / both {}, agreement {pair_agreement:.4}; clusters ours {} / datasketch {}, agreement {cluster_agreement:.4}",
        params.scheme.name(),
        planted.texts.len(),
        our_pairs.len(),
        their_pairs.len(),
        our_pairs.intersection(&their_pairs).count(),
        our_clusters.len(),
        their_clusters.len(),
    );
    assert!(our_pairs.len() >= 100, "too few pairs to compare");
    assert!(
        pair_agreement >= 0.98,
        "{:?}: {pair_agreement}",
        params.scheme
    );
    assert!(
        cluster_agreement >= 0.95,
        "{:?}: {cluster_agreement}",
        params.scheme
    );
}

#[test]
fn optimal_params_match_datasketch() {
    let mut cases = Vec::new();
    for threshold in [0.5, 0.7, 0.8, 0.85, 0.9] {
        for num_perm in [64usize, 112, 128, 256] {
            for (fp, fnw) in [(0.5, 0.5), (0.3, 0.7)] {
                cases.push((threshold, num_perm, fp, fnw));
            }
        }
    }
    let input = serde_json::to_string(&cases).unwrap();
    let theirs: Vec<(usize, usize)> =
        serde_json::from_str(&oracle::run("optimal_param.py", &[], input.as_bytes())).unwrap();
    let ours: Vec<_> = cases
        .iter()
        .map(|&(t, k, fp, fnw)| optimal_params(t, k, fp, fnw))
        .collect();
    let same = ours.iter().zip(&theirs).filter(|(a, b)| a == b).count();
    println!(
        "optimal_params: {same}/{} cases equal datasketch",
        cases.len()
    );
    for ((case, ours), theirs) in cases.iter().zip(&ours).zip(&theirs) {
        assert_eq!(ours, theirs, "{case:?}");
    }
}
