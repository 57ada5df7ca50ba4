//! Union–find (disjoint sets) and the clusters it yields.

use serde::{Deserialize, Serialize};

/// Disjoint sets over `0..n` with path halving and union by size.
#[derive(Debug, Clone)]
pub struct UnionFind {
    parent: Vec<u32>,
    size: Vec<u32>,
}

impl UnionFind {
    /// `n` singleton sets.
    pub fn new(n: usize) -> Self {
        Self {
            parent: (0..n as u32).collect(),
            size: vec![1; n],
        }
    }

    /// The root of `x`'s set.
    pub fn find(&mut self, mut x: u32) -> u32 {
        while self.parent[x as usize] != x {
            let grand = self.parent[self.parent[x as usize] as usize];
            self.parent[x as usize] = grand;
            x = grand;
        }
        x
    }

    /// Merges the sets of `a` and `b`; true when they were apart.
    pub fn union(&mut self, a: u32, b: u32) -> bool {
        let (mut a, mut b) = (self.find(a), self.find(b));
        if a == b {
            return false;
        }
        if self.size[a as usize] < self.size[b as usize] {
            std::mem::swap(&mut a, &mut b);
        }
        self.parent[b as usize] = a;
        self.size[a as usize] += self.size[b as usize];
        true
    }

    /// The sets of two or more elements as clusters, ordered by first member.
    pub fn clusters(&mut self) -> Vec<Cluster> {
        let n = self.parent.len();
        let mut members: Vec<Vec<u32>> = vec![Vec::new(); n];
        for x in 0..n as u32 {
            let root = self.find(x);
            members[root as usize].push(x);
        }
        let mut groups: Vec<Vec<u32>> = members.into_iter().filter(|m| m.len() > 1).collect();
        groups.sort_unstable_by_key(|m| m[0]);
        groups
            .into_iter()
            .enumerate()
            .map(|(id, m)| Cluster::new(id as u32, m))
            .collect()
    }
}

/// A group of duplicate documents (indices), ascending; the representative,
/// the one to keep, is the first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cluster {
    pub id: u32,
    pub members: Vec<u32>,
    pub representative: u32,
}

impl Cluster {
    /// A cluster of `members` (sorted here), represented by the smallest.
    pub fn new(id: u32, mut members: Vec<u32>) -> Self {
        members.sort_unstable();
        Self {
            id,
            representative: members[0],
            members,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unions_make_components() {
        let mut uf = UnionFind::new(6);
        assert!(uf.union(4, 1));
        assert!(uf.union(1, 3));
        assert!(!uf.union(3, 4));
        assert!(uf.union(5, 0));
        let got: Vec<_> = uf.clusters().into_iter().map(|c| c.members).collect();
        assert_eq!(got, vec![vec![0, 5], vec![1, 3, 4]]);
    }
}
