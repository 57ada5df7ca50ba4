//! Invariants of union–find, banding and signature storage.

use std::collections::BTreeSet;

use corpuscope_core::dedup::{
    cluster_buckets, dedup, recluster, DedupParams, LshIndex, MinHashParams, MinHashScheme,
    MinHasher, ShingleKind, Signature, SignatureStore, UnionFind,
};
use corpuscope_core::Document;
use proptest::prelude::*;

/// Components of an edge list by breadth-first search: the naive oracle.
fn bfs_components(n: usize, edges: &[(u32, u32)]) -> BTreeSet<Vec<u32>> {
    let mut neighbours = vec![Vec::new(); n];
    for &(a, b) in edges {
        neighbours[a as usize].push(b);
        neighbours[b as usize].push(a);
    }
    let mut seen = vec![false; n];
    let mut out = BTreeSet::new();
    for start in 0..n {
        if seen[start] {
            continue;
        }
        seen[start] = true;
        let (mut queue, mut group) = (std::collections::VecDeque::from([start as u32]), Vec::new());
        while let Some(x) = queue.pop_front() {
            group.push(x);
            for &y in &neighbours[x as usize] {
                if !std::mem::replace(&mut seen[y as usize], true) {
                    queue.push_back(y);
                }
            }
        }
        group.sort_unstable();
        if group.len() > 1 {
            out.insert(group);
        }
    }
    out
}

fn graph() -> impl Strategy<Value = (usize, Vec<(u32, u32)>)> {
    (1usize..40).prop_flat_map(|n| {
        let edge = (0..n as u32, 0..n as u32);
        (Just(n), prop::collection::vec(edge, 0..60))
    })
}

/// Short texts over a tiny vocabulary, so that duplicates are common.
fn texts() -> impl Strategy<Value = Vec<String>> {
    let word = prop::sample::select(vec!["alpha", "beta", "gamma", "delta", "eps"]);
    let text = prop::collection::vec(word, 0..12).prop_map(|w| w.join(" "));
    prop::collection::vec(text, 1..25)
}

fn scheme() -> impl Strategy<Value = MinHashScheme> {
    prop::sample::select(vec![
        MinHashScheme::OnePermutation,
        MinHashScheme::Permutations,
    ])
}

fn banding() -> impl Strategy<Value = (usize, usize, usize)> {
    (1usize..8, 1usize..6, 0usize..5).prop_map(|(b, r, extra)| (b, r, b * r + extra))
}

proptest! {
    #[test]
    fn union_find_matches_bfs((n, edges) in graph()) {
        let mut uf = UnionFind::new(n);
        for &(a, b) in &edges {
            uf.union(a, b);
        }
        let ours: BTreeSet<Vec<u32>> = uf.clusters().into_iter().map(|c| c.members).collect();
        prop_assert_eq!(ours, bfs_components(n, &edges));
    }

    #[test]
    fn identical_signatures_always_collide(
        (bands, rows, k) in banding(),
        seed in any::<u64>(),
        others in prop::collection::vec(any::<u32>(), 0..40),
    ) {
        let signature: Vec<u32> = (0..k as u64).map(|i| (seed.wrapping_mul(i + 1) >> 32) as u32).collect();
        let mut index = LshIndex::new(k, bands, rows).unwrap();
        index.insert(3, &signature);
        index.insert(7, &signature);
        let other: Vec<u32> = (0..k).map(|i| others.get(i).copied().unwrap_or(0)).collect();
        index.insert(5, &other);
        prop_assert!(index.candidate_pairs().contains(&(3, 7)));
    }

    /// Joining each bucket to its first member gives the components of all
    /// candidate pairs (signatures over a tiny alphabet collide a lot).
    #[test]
    fn bucket_clusters_equal_pair_clusters(
        (bands, rows, k) in banding(),
        values in prop::collection::vec(0u32..3, 0..400),
    ) {
        let mut store = SignatureStore::new(k);
        for chunk in values.chunks_exact(k) {
            store.push(&Signature(chunk.to_vec())).unwrap();
        }
        let fast = cluster_buckets(&store, bands, rows).unwrap();
        let listed = recluster(&store, bands, rows, None).unwrap();
        prop_assert_eq!(fast.clusters, listed.clusters);
        prop_assert!(!fast.listed && listed.listed);
    }

    #[test]
    fn reclustering_with_the_same_params_changes_nothing(
        texts in texts(),
        (bands, rows, k) in banding(),
        n in 1usize..4,
        verify in prop::option::of(0.0f64..1.0),
        scheme in scheme(),
    ) {
        let docs: Vec<Document> = texts
            .iter()
            .map(|t| Document::plain(1, "s", t.clone()))
            .collect();
        let params = DedupParams {
            minhash: MinHashParams { shingle: ShingleKind::Words(n), num_perm: k, bands, rows, seed: 9, scheme },
            verify_threshold: verify,
        };
        let run = dedup(&docs, params).unwrap();
        let verification = verify.map(|threshold| corpuscope_core::dedup::Verification {
            shingles: &run.shingles,
            threshold,
        });
        let again = recluster(&run.signatures, bands, rows, verification).unwrap();
        prop_assert_eq!(&again.clusters, &run.report.near_clusters);
        // Equal texts always land in one near cluster.
        for (i, a) in texts.iter().enumerate() {
            for (j, b) in texts.iter().enumerate().skip(i + 1) {
                if a == b && !a.is_empty() {
                    prop_assert!(again.clusters.iter().any(|c| c.members.contains(&(i as u32)) && c.members.contains(&(j as u32))));
                }
            }
        }
    }

    #[test]
    fn identical_shingle_sets_estimate_one(
        shingles in prop::collection::vec(any::<u64>(), 1..200),
        k in 1usize..130,
        seed in any::<u64>(),
        scheme in scheme(),
    ) {
        let params = MinHashParams { num_perm: k, bands: 1, rows: 1, seed, scheme, ..MinHashParams::default() };
        let hasher = MinHasher::new(params).unwrap();
        let a = hasher.signature_of(shingles.iter().copied());
        // The same set, reversed and with repeats.
        let b = hasher.signature_of(shingles.iter().rev().chain(&shingles).copied());
        prop_assert_eq!(a.jaccard(&b), 1.0);
        prop_assert!(!a.is_empty());
    }

    #[test]
    fn signature_bytes_round_trip(values in prop::collection::vec(any::<u32>(), 1..64), docs in 0usize..5) {
        let signature = Signature(values.clone());
        prop_assert_eq!(Signature::from_bytes(&signature.to_bytes()).unwrap(), signature.clone());
        let mut store = SignatureStore::new(values.len());
        for _ in 0..docs {
            store.push(&signature).unwrap();
        }
        let bytes = store.to_bytes();
        prop_assert_eq!(bytes.len(), 4 + 4 * values.len() * docs);
        prop_assert_eq!(&SignatureStore::from_bytes(&bytes).unwrap(), &store);
        let json = serde_json::to_string(&store).unwrap();
        prop_assert_eq!(&serde_json::from_str::<SignatureStore>(&json).unwrap(), &store);
    }

    #[test]
    fn broken_signature_bytes_are_errors_not_panics(bytes in prop::collection::vec(any::<u8>(), 0..64)) {
        let store = SignatureStore::from_bytes(&bytes);
        let whole = bytes.len() >= 4 && {
            let k = u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]) as usize;
            k > 0 && (bytes.len() - 4) % (4 * k) == 0
        };
        prop_assert_eq!(store.is_ok(), whole);
        prop_assert_eq!(Signature::from_bytes(&bytes).is_ok(), bytes.len() % 4 == 0);
    }
}

#[test]
fn banding_beyond_num_perm_is_rejected() {
    assert!(LshIndex::new(112, 15, 8).is_err());
    assert!(LshIndex::new(112, 0, 8).is_err());
    let words0 = MinHashParams {
        shingle: ShingleKind::Words(0),
        ..MinHashParams::default()
    };
    assert!(MinHasher::new(words0).is_err());
    let store = SignatureStore::new(112);
    assert!(recluster(&store, 14, 9, None).is_err());
    assert!(recluster(&store, 14, 8, None).unwrap().clusters.is_empty());
}
