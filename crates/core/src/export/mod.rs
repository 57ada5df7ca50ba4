//! What a user takes away from a corpus: the deduplicated documents, the
//! cluster of each document, and a Markdown summary of the report.

mod markdown;

pub use markdown::markdown_summary;

use crate::dedup::{Cluster, DedupReport, UnionFind};
use serde::{Deserialize, Serialize};

/// Which document a dedup keeps from each group of duplicates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Keep {
    /// The first in corpus order.
    First,
    /// The longest text (the first of equal ones).
    Longest,
    /// One picked at random, the same for the same seed.
    Random(u64),
}

/// Groups of duplicates: the exact and near clusters of `report` joined
/// where they share a document, over its `documents` documents.
pub fn duplicate_groups(report: &DedupReport) -> Vec<Cluster> {
    let n = report.documents as usize;
    let mut sets = UnionFind::new(n);
    for cluster in report.exact_clusters.iter().chain(&report.near_clusters) {
        for pair in cluster.members.windows(2) {
            if (pair[1] as usize) < n {
                sets.union(pair[0], pair[1]);
            }
        }
    }
    sets.clusters()
}

/// For each document, whether a dedup keeps it: every document in no group,
/// and one per group chosen by `keep` (`lengths` are the texts' lengths).
pub fn kept(groups: &[Cluster], documents: usize, keep: Keep, lengths: &[usize]) -> Vec<bool> {
    let mut out = vec![true; documents];
    for group in groups {
        let chosen = match keep {
            Keep::First => group.members[0],
            Keep::Longest => *group
                .members
                .iter()
                .max_by_key(|&&m| (lengths.get(m as usize).copied().unwrap_or(0), u32::MAX - m))
                .unwrap_or(&group.members[0]),
            Keep::Random(seed) => {
                let pick = mix(seed ^ u64::from(group.members[0])) % group.members.len() as u64;
                group.members[pick as usize]
            }
        };
        for &m in &group.members {
            if let Some(slot) = out.get_mut(m as usize) {
                *slot = m == chosen;
            }
        }
    }
    out
}

/// splitmix64's finaliser: a well-spread hash of `x`.
fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// One document's place in the duplicate groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assignment {
    /// Position of the document in the corpus, from 0.
    pub document: u32,
    /// The group's number, from 0, largest groups first.
    pub cluster: u32,
    pub cluster_size: u32,
}

/// The assignment of every document that is in a group, by document.
pub fn assignments(groups: &[Cluster]) -> Vec<Assignment> {
    let mut ordered: Vec<&Cluster> = groups.iter().collect();
    ordered.sort_by(|a, b| {
        b.members
            .len()
            .cmp(&a.members.len())
            .then(a.members[0].cmp(&b.members[0]))
    });
    let mut out: Vec<Assignment> = ordered
        .iter()
        .enumerate()
        .flat_map(|(id, g)| {
            g.members.iter().map(move |&m| Assignment {
                document: m,
                cluster: id as u32,
                cluster_size: g.members.len() as u32,
            })
        })
        .collect();
    out.sort_by_key(|a| a.document);
    out
}

/// Assignments as CSV with a header line.
pub fn assignments_csv(assignments: &[Assignment]) -> String {
    let mut out = String::from("document,cluster,cluster_size\n");
    for a in assignments {
        out.push_str(&format!(
            "{},{},{}\n",
            a.document, a.cluster, a.cluster_size
        ));
    }
    out
}

/// Assignments as JSON Lines.
pub fn assignments_jsonl(assignments: &[Assignment]) -> String {
    let mut out = String::new();
    for a in assignments {
        out.push_str(&format!(
            "{{\"document\":{},\"cluster\":{},\"cluster_size\":{}}}\n",
            a.document, a.cluster, a.cluster_size
        ));
    }
    out
}

/// One kept document as a JSON line: its text, source, and where it came from.
pub fn document_line(text: &str, source: &str, file: &str, line: u64) -> String {
    let record = serde_json::json!({ "text": text, "source": source, "file": file, "line": line });
    format!("{record}\n")
}

#[cfg(test)]
mod tests;
