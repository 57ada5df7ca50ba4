//! How much each source duplicates each other source.

use serde::{Deserialize, Serialize};

use super::Cluster;

/// For each ordered pair of sources (a, b): how many documents of `a` have a
/// duplicate — another document of the same cluster — in `b`. The diagonal
/// counts duplicates within a source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverlapMatrix {
    /// Source names, sorted; rows and columns follow this order.
    pub sources: Vec<String>,
    /// By exact-duplicate clusters.
    pub exact: Vec<Vec<u64>>,
    /// By near-duplicate clusters.
    pub near: Vec<Vec<u64>>,
}

impl OverlapMatrix {
    /// The matrix for documents whose sources are `doc_sources` (by index).
    pub fn new(doc_sources: &[&str], exact: &[Cluster], near: &[Cluster]) -> Self {
        let mut sources: Vec<String> = doc_sources.iter().map(|s| s.to_string()).collect();
        sources.sort_unstable();
        sources.dedup();
        let index: Vec<usize> = doc_sources
            .iter()
            .map(|s| sources.binary_search_by(|x| x.as_str().cmp(s)).unwrap_or(0))
            .collect();
        let exact = counts(sources.len(), &index, exact);
        let near = counts(sources.len(), &index, near);
        Self {
            sources,
            exact,
            near,
        }
    }
}

fn counts(n: usize, source_of: &[usize], clusters: &[Cluster]) -> Vec<Vec<u64>> {
    let mut matrix = vec![vec![0u64; n]; n];
    let mut per_source = vec![0u64; n];
    for cluster in clusters {
        per_source.iter_mut().for_each(|c| *c = 0);
        for &doc in &cluster.members {
            per_source[source_of[doc as usize]] += 1;
        }
        for &doc in &cluster.members {
            let a = source_of[doc as usize];
            for (b, &count) in per_source.iter().enumerate() {
                if count > u64::from(a == b) {
                    matrix[a][b] += 1;
                }
            }
        }
    }
    matrix
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_documents_with_a_duplicate_in_each_source() {
        let sources = ["x", "y", "x", "y", "x"];
        let exact = [Cluster::new(0, vec![0, 1, 2]), Cluster::new(1, vec![3, 4])];
        let m = OverlapMatrix::new(&sources, &exact, &[]);
        assert_eq!(m.sources, ["x", "y"]);
        // x: docs 0, 2 have x and y partners, doc 4 a y partner;
        // y: docs 1 and 3 have x partners only.
        assert_eq!(m.exact, vec![vec![2, 3], vec![2, 0]]);
        assert_eq!(m.near, vec![vec![0, 0], vec![0, 0]]);
    }
}
