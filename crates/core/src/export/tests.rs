use super::*;
use crate::dedup::{DedupParams, NearDuplicates};
use proptest::prelude::*;

fn report(n: usize, exact: Vec<Vec<u32>>, near: Vec<Vec<u32>>) -> DedupReport {
    let cluster = |(id, m): (usize, Vec<u32>)| Cluster::new(id as u32, m);
    let near = NearDuplicates {
        bands: 14,
        rows: 8,
        verify_threshold: None,
        candidate_pairs: Vec::new(),
        pairs: Vec::new(),
        clusters: near.into_iter().enumerate().map(cluster).collect(),
        listed: false,
    };
    let sources = vec!["s"; n];
    let exact = exact.into_iter().enumerate().map(cluster).collect();
    DedupReport::new(DedupParams::default(), &sources, exact, &near)
}

#[test]
fn groups_join_exact_and_near_clusters_that_share_a_document() {
    let r = report(
        10,
        vec![vec![1, 4], vec![7, 8]],
        vec![vec![4, 5], vec![2, 3]],
    );
    let groups: Vec<Vec<u32>> = duplicate_groups(&r)
        .into_iter()
        .map(|c| c.members)
        .collect();
    assert_eq!(groups, vec![vec![1, 4, 5], vec![2, 3], vec![7, 8]]);
}

#[test]
fn keeps_first_longest_or_a_seeded_random_member() {
    let r = report(6, vec![vec![0, 3]], vec![vec![3, 5], vec![1, 2]]);
    let groups = duplicate_groups(&r);
    let lengths = [5, 1, 9, 40, 7, 40];
    assert_eq!(
        kept(&groups, 6, Keep::First, &lengths),
        [true, true, false, false, true, false]
    );
    // 3 and 5 are equally long: the first of them.
    assert_eq!(
        kept(&groups, 6, Keep::Longest, &lengths),
        [false, false, true, true, true, false]
    );
    let a = kept(&groups, 6, Keep::Random(7), &lengths);
    assert_eq!(a, kept(&groups, 6, Keep::Random(7), &lengths));
    assert_eq!(a.iter().filter(|&&k| k).count(), 3);
}

#[test]
fn assignments_number_groups_largest_first_and_list_by_document() {
    let r = report(8, vec![vec![6, 7]], vec![vec![0, 2, 4]]);
    let a = assignments(&duplicate_groups(&r));
    let rows: Vec<(u32, u32, u32)> = a
        .iter()
        .map(|a| (a.document, a.cluster, a.cluster_size))
        .collect();
    assert_eq!(
        rows,
        vec![(0, 0, 3), (2, 0, 3), (4, 0, 3), (6, 1, 2), (7, 1, 2)]
    );
    assert_eq!(
        assignments_csv(&a).lines().take(2).collect::<Vec<_>>(),
        ["document,cluster,cluster_size", "0,0,3"]
    );
    for line in assignments_jsonl(&a).lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        assert!(v["cluster_size"].as_u64().unwrap() >= 2);
    }
}

#[test]
fn document_lines_are_json_with_any_text() {
    let line = document_line("a \"quoted\"\nline <b>", "web", "f.jsonl", 3);
    assert!(line.ends_with('\n') && line.matches('\n').count() == 1);
    let v: serde_json::Value = serde_json::from_str(&line).unwrap();
    assert_eq!(v["text"], "a \"quoted\"\nline <b>");
    assert_eq!(v["line"], 3);
}

proptest! {
    /// Against a brute force: documents are in the same group exactly when a
    /// chain of clusters links them; each group keeps one document, every
    /// other document is kept.
    #[test]
    fn one_document_kept_per_group(
        n in 1usize..40,
        clusters in proptest::collection::vec(proptest::collection::btree_set(0u32..40, 2..5), 0..8),
        seed in any::<u64>(),
    ) {
        let clusters: Vec<Vec<u32>> = clusters
            .into_iter()
            .map(|s| s.into_iter().filter(|&m| (m as usize) < n).collect::<Vec<_>>())
            .filter(|m| m.len() >= 2)
            .collect();
        let (exact, near) = clusters.split_at(clusters.len() / 2);
        let r = report(n, exact.to_vec(), near.to_vec());
        let groups = duplicate_groups(&r);
        // Brute force: label propagation until nothing changes.
        let mut label: Vec<u32> = (0..n as u32).collect();
        loop {
            let mut changed = false;
            for c in &clusters {
                let low = c.iter().map(|&m| label[m as usize]).min().unwrap();
                for &m in c {
                    if label[m as usize] != low {
                        label[m as usize] = low;
                        changed = true;
                    }
                }
            }
            if !changed { break; }
        }
        for g in &groups {
            prop_assert!(g.members.iter().all(|&m| label[m as usize] == label[g.members[0] as usize]));
        }
        let grouped: usize = groups.iter().map(|g| g.members.len()).sum();
        let distinct = |l: &[u32]| { let mut v = l.to_vec(); v.sort(); v.dedup(); v.len() };
        prop_assert_eq!(distinct(&label), n - grouped + groups.len());
        let lengths: Vec<usize> = (0..n).map(|i| i * 7 % 11).collect();
        for keep in [Keep::First, Keep::Longest, Keep::Random(seed)] {
            let k = kept(&groups, n, keep, &lengths);
            prop_assert_eq!(k.iter().filter(|&&x| x).count(), n - grouped + groups.len());
            for g in &groups {
                prop_assert_eq!(g.members.iter().filter(|&&m| k[m as usize]).count(), 1);
            }
        }
    }
}
