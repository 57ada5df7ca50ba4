//! Token statistics against numpy (tests/oracle/percentiles.py), and their invariants.

use crate::demo::{corpus, gpt2};
use corpuscope_core::stats::{CorpusTally, SourceStats, TokenHistogram, TokenTally};
use proptest::prelude::*;
use serde::Deserialize;

#[derive(Deserialize)]
struct Expected {
    p50: f64,
    p90: f64,
    p99: f64,
    mean: f64,
    min: u32,
    max: u32,
    total: u64,
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1.0)
}

fn assert_matches(stats: &SourceStats, want: &Expected, what: &str) {
    let t = &stats.tokens;
    assert_eq!(
        (t.total, t.min, t.max),
        (want.total, want.min, want.max),
        "{what}"
    );
    for (got, want, name) in [
        (t.p50, want.p50, "p50"),
        (t.p90, want.p90, "p90"),
        (t.p99, want.p99, "p99"),
        (t.mean, want.mean, "mean"),
    ] {
        assert!(close(got, want), "{what} {name}: {got} != numpy {want}");
    }
}

/// Per-source and overall summaries of the demo corpus (GPT-2 counts), and
/// awkward small samples, equal numpy's `percentile(method="linear")`.
#[test]
fn summaries_match_numpy() {
    let mut corpus_tally = CorpusTally::default();
    // Two workers, then merged: the streaming path.
    let docs = corpus();
    let (first, second) = docs.split_at(docs.len() / 3);
    let mut other = CorpusTally::default();
    for (tally, part) in [(&mut corpus_tally, first), (&mut other, second)] {
        for doc in part {
            tally.add(
                &doc.source,
                doc.text.len(),
                gpt2().count(&doc.text).unwrap(),
            );
        }
    }
    corpus_tally.merge(&other);
    let stats = corpus_tally.stats();
    assert_eq!(stats.sources.len(), 4);

    let mut samples: Vec<Vec<u32>> = corpus_tally
        .sources
        .values()
        .map(|t| t.counts.clone())
        .collect();
    samples.push(
        corpus_tally
            .sources
            .values()
            .flat_map(|t| t.counts.clone())
            .collect(),
    );
    let small: Vec<Vec<u32>> = vec![
        vec![],
        vec![5],
        vec![3, 1],
        vec![0, 0, 9],
        (0..101).rev().collect(),
        vec![1, 1000, 7, 7, 7, 2, 40000, 3, 99, 12, 11],
    ];
    samples.extend(small.iter().cloned());
    let input = serde_json::to_vec(&samples).unwrap();
    let expected: Vec<Expected> =
        serde_json::from_str(&crate::oracle::run("percentiles.py", &[], &input)).unwrap();

    let mut got: Vec<(String, SourceStats)> = stats.sources.clone().into_iter().collect();
    got.push(("overall".into(), stats.overall.clone()));
    for sample in &small {
        let mut tally = TokenTally::default();
        sample.iter().for_each(|&c| tally.add(1, c as usize));
        got.push((format!("{sample:?}"), tally.stats()));
    }
    assert_eq!(got.len(), expected.len());
    for ((what, stats), want) in got.iter().zip(&expected) {
        assert_matches(stats, want, what);
    }
    let overall = &stats.overall;
    assert_eq!(overall.documents, 6604);
    assert_eq!(
        overall.bytes,
        docs.iter().map(|d| d.text.len() as u64).sum::<u64>()
    );
    assert!(close(
        overall.bytes_per_token,
        overall.bytes as f64 / overall.tokens.total as f64
    ));
}

fn tally_of(counts: &[(u16, u32)]) -> TokenTally {
    let mut tally = TokenTally::default();
    for &(bytes, tokens) in counts {
        tally.add(bytes as usize, tokens as usize);
    }
    tally
}

proptest! {
    /// merge(a, b) gives the statistics of a followed by b.
    #[test]
    fn merge_equals_concatenation(
        a in prop::collection::vec((any::<u16>(), 0u32..100_000), 0..60),
        b in prop::collection::vec((any::<u16>(), 0u32..100_000), 0..60),
    ) {
        let mut merged = tally_of(&a);
        merged.merge(&tally_of(&b));
        let whole = tally_of(&[a.clone(), b.clone()].concat());
        prop_assert_eq!(&merged, &whole);
        prop_assert_eq!(merged.stats(), whole.stats());
        let mut h = tally_of(&a).stats().histogram;
        h.merge(&tally_of(&b).stats().histogram);
        prop_assert_eq!(h, whole.stats().histogram);
    }

    /// Histogram counts sum to the documents; each count is in its bin;
    /// min ≤ p50 ≤ p90 ≤ p99 ≤ max.
    #[test]
    fn histogram_and_percentiles_are_consistent(
        counts in prop::collection::vec((any::<u16>(), any::<u32>()), 0..80),
    ) {
        let stats = tally_of(&counts).stats();
        prop_assert_eq!(stats.histogram.documents(), stats.documents);
        prop_assert_eq!(stats.documents, counts.len() as u64);
        for &(_, tokens) in &counts {
            let bin = stats.histogram.bins[TokenHistogram::bin_of(tokens)];
            prop_assert!(bin.lower <= u64::from(tokens) && u64::from(tokens) < bin.upper);
        }
        let t = stats.tokens;
        prop_assert!(f64::from(t.min) <= t.p50 && t.p50 <= t.p90 && t.p90 <= t.p99);
        prop_assert!(t.p99 <= f64::from(t.max));
    }
}
