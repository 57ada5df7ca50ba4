//! Clusters as a list shows them: largest first, each with its size and
//! how many of its members come from each source.

use crate::dedup::Cluster;
use serde::{Deserialize, Serialize};

/// Which clusters: identical after normalisation, near by MinHash, or
/// near by embedding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ClusterKind {
    Exact,
    Near,
    Semantic,
}

impl ClusterKind {
    pub const ALL: [ClusterKind; 3] = [Self::Exact, Self::Near, Self::Semantic];

    /// The kind's name in the page and in links.
    pub fn name(self) -> &'static str {
        match self {
            Self::Exact => "exact",
            Self::Near => "near",
            Self::Semantic => "semantic",
        }
    }

    /// The kind named `name`, if any.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.name() == name)
    }
}

/// One listed cluster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClusterRow {
    pub id: u32,
    pub size: u32,
    pub representative: u32,
    /// Members per source, most first (then by name).
    pub sources: Vec<(String, u32)>,
}

/// The largest clusters of a kind, and the totals over all of them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClusterList {
    pub clusters: u32,
    /// Documents in any cluster, representatives included.
    pub documents: u32,
    pub rows: Vec<ClusterRow>,
}

/// The `listed` largest of `clusters` (ties: the smaller first member
/// first), with the sources `source_of` gives their members.
pub fn cluster_list<'a>(
    clusters: &[Cluster],
    listed: usize,
    source_of: impl Fn(u32) -> &'a str,
) -> ClusterList {
    let mut order: Vec<&Cluster> = clusters.iter().collect();
    order.sort_by(|a, b| {
        b.members
            .len()
            .cmp(&a.members.len())
            .then(a.members.first().cmp(&b.members.first()))
    });
    let rows = order
        .into_iter()
        .take(listed)
        .map(|c| {
            let mut sources: Vec<(String, u32)> = Vec::new();
            for &m in &c.members {
                let s = source_of(m);
                match sources.iter_mut().find(|(name, _)| name == s) {
                    Some((_, n)) => *n += 1,
                    None => sources.push((s.to_string(), 1)),
                }
            }
            sources.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            ClusterRow {
                id: c.id,
                size: c.members.len() as u32,
                representative: c.representative,
                sources,
            }
        })
        .collect();
    ClusterList {
        clusters: clusters.len() as u32,
        documents: clusters.iter().map(|c| c.members.len() as u32).sum(),
        rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn largest_first_with_sources_counted() {
        let clusters = vec![
            Cluster::new(0, vec![0, 1]),
            Cluster::new(1, vec![2, 3, 4]),
            Cluster::new(2, vec![5, 6]),
        ];
        let sources = ["a", "b", "web", "wiki", "web", "a", "a"];
        let list = cluster_list(&clusters, 2, |d| sources[d as usize]);
        assert_eq!((list.clusters, list.documents), (3, 7));
        let ids: Vec<u32> = list.rows.iter().map(|r| r.id).collect();
        assert_eq!(ids, [1, 0]);
        assert_eq!(
            list.rows[0].sources,
            [("web".to_string(), 2), ("wiki".to_string(), 1)]
        );
        assert_eq!(
            list.rows[1].sources,
            [("a".to_string(), 1), ("b".to_string(), 1)]
        );
    }

    proptest! {
        #[test]
        fn counts_add_up_to_the_size(sizes in prop::collection::vec(1usize..8, 0..20), listed in 0usize..25) {
            let mut next = 0u32;
            let clusters: Vec<Cluster> = sizes.iter().enumerate().map(|(i, &n)| {
                let members = (next..next + n as u32).collect();
                next += n as u32;
                Cluster::new(i as u32, members)
            }).collect();
            let names = ["x", "y", "z"];
            let list = cluster_list(&clusters, listed, |d| names[d as usize % 3]);
            prop_assert_eq!(list.rows.len(), listed.min(clusters.len()));
            for w in list.rows.windows(2) {
                prop_assert!(w[0].size >= w[1].size);
            }
            for r in &list.rows {
                prop_assert_eq!(r.sources.iter().map(|s| s.1).sum::<u32>(), r.size);
            }
            prop_assert_eq!(list.documents as usize, sizes.iter().sum::<usize>());
        }
    }
}
