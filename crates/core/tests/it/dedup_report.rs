//! The dedup report on two sources, one mirroring the other.

use corpuscope_core::dedup::{dedup, DedupParams, DedupReport, MinHashParams};
use corpuscope_core::Document;

use crate::dedup_fixtures::{plant, real_texts};

#[test]
fn report_counts_a_mirrored_source() {
    // 40 docs pages, then a "mirror" holding one copy of each: every other copy
    // verbatim (an exact duplicate), the rest with 0.5% of words mutated.
    let bases = real_texts(&["docs"], 40);
    let planted = plant(&bases, 1, &[0.0, 0.005], 3);
    let docs: Vec<Document> = planted
        .texts
        .iter()
        .enumerate()
        .map(|(i, text)| Document {
            line: i as u64 + 1,
            source: if i < bases.len() { "docs" } else { "mirror" }.into(),
            text: text.clone(),
            vector: None,
            conversation: None,
        })
        .collect();
    let params = DedupParams {
        minhash: MinHashParams::default(),
        verify_threshold: Some(0.8),
    };
    let report = dedup(&docs, params).unwrap().report;

    // Naive expectations from the clusters themselves.
    let source = |doc: u32| docs[doc as usize].source.as_str();
    let with_partner_in = |clusters: &[corpuscope_core::dedup::Cluster], from: &str, to: &str| {
        clusters
            .iter()
            .flat_map(|c| c.members.iter().map(move |&m| (c, m)))
            .filter(|&(c, m)| {
                source(m) == from && c.members.iter().any(|&o| o != m && source(o) == to)
            })
            .count() as u64
    };
    let m = &report.overlap;
    assert_eq!(m.sources, ["docs", "mirror"]);
    for (a, from) in m.sources.iter().enumerate() {
        for (b, to) in m.sources.iter().enumerate() {
            assert_eq!(
                m.exact[a][b],
                with_partner_in(&report.exact_clusters, from, to)
            );
            assert_eq!(
                m.near[a][b],
                with_partner_in(&report.near_clusters, from, to)
            );
        }
    }
    // Verbatim copies are exact duplicates of their page; all copies are near ones.
    let verbatim = planted.pairs.iter().step_by(2).count() as u64;
    assert!(m.exact[1][0] >= verbatim, "{:?}", m.exact);
    assert!(m.near[1][0] >= 38, "{:?}", m.near);
    let mirror = &report.sources[1];
    assert_eq!(mirror.documents, 40);
    assert_eq!(mirror.near_duplicates, m.near[1][0]);
    assert!((mirror.exact_fraction - mirror.exact_duplicates as f64 / 40.0).abs() < 1e-12);
    assert_eq!(
        report.docs_in_near_clusters,
        report
            .near_clusters
            .iter()
            .map(|c| c.members.len() as u64)
            .sum::<u64>()
    );
    println!(
        "report: exact {:?}, near {:?}, mirror near fraction {:.3}",
        m.exact, m.near, mirror.near_fraction
    );

    // The report survives JSON.
    let json = serde_json::to_string(&report).unwrap();
    assert_eq!(serde_json::from_str::<DedupReport>(&json).unwrap(), report);
}
