//! The report builder agrees with each engine part run on its own (each of
//! which the oracle tests check against Python), and handles problems.

use corpuscope_core::analyze::Analyzer;
use corpuscope_core::dedup::{dedup, DedupParams};
use corpuscope_core::entropy::DiversityTally;
use corpuscope_core::report::ReportBuilder;
use corpuscope_core::stats::CorpusTally;
use corpuscope_core::{Document, Problem};
use std::collections::BTreeMap;

fn demo_documents(n: usize) -> Vec<Document> {
    crate::demo::corpus()
        .iter()
        .step_by(3)
        .take(n)
        .enumerate()
        .map(|(i, d)| Document {
            line: i as u64 + 1,
            source: d.source.clone(),
            text: d.text.clone(),
            vector: None,
            conversation: None,
        })
        .collect()
}

#[test]
fn report_matches_the_parts_computed_alone() {
    let docs = demo_documents(800);
    let counter = crate::demo::gpt2();
    let params = DedupParams {
        verify_threshold: Some(0.5),
        ..DedupParams::default()
    };
    let mut analyzer = Analyzer::new(counter.clone(), params).unwrap();
    let mut builder = ReportBuilder::new("gpt2", params).unwrap();
    for doc in &docs {
        builder.add(analyzer.analyze(doc).unwrap()).unwrap();
    }
    let report = builder.finish().unwrap();

    let mut tally = CorpusTally::default();
    tally.add_documents(&docs, counter).unwrap();
    assert_eq!(report.tokens, tally.stats());

    let mut diversity: BTreeMap<String, DiversityTally> = BTreeMap::new();
    for doc in &docs {
        let ids = counter.ids(&doc.text).unwrap();
        diversity
            .entry(doc.source.clone())
            .or_default()
            .add(&doc.text, &ids)
            .unwrap();
    }
    for (source, tally) in &diversity {
        assert_eq!(
            report.diversity.sources[source],
            tally.diversity(),
            "{source}"
        );
    }
    assert_eq!(report.dedup, dedup(&docs, params).unwrap().report);
    assert!(
        !report.dedup.near_clusters.is_empty(),
        "the sample has near duplicates"
    );
}

#[test]
fn problems_and_files_are_kept_in_order() {
    let mut builder = ReportBuilder::new("gpt2", DedupParams::default()).unwrap();
    let problem = |line| Problem {
        file: "b.jsonl".into(),
        line,
        reason: "invalid JSON".into(),
    };
    builder.add_problems([problem(2), problem(0), problem(7)]);
    let report = builder.finish().unwrap();
    let lines: Vec<u64> = report.problems.iter().map(|p| p.line).collect();
    assert_eq!(lines, [2, 0, 7]);
    assert_eq!(report.dedup.documents, 0);
}

#[test]
fn verification_without_shingles_is_an_error_not_a_panic() {
    let params = DedupParams {
        verify_threshold: Some(0.8),
        ..DedupParams::default()
    };
    let mut analyzer = Analyzer::new(crate::demo::gpt2().clone(), DedupParams::default()).unwrap();
    let mut builder = ReportBuilder::new("gpt2", params).unwrap();
    let doc = &demo_documents(1)[0];
    assert!(builder.add(analyzer.analyze(doc).unwrap()).is_err());
}

#[test]
fn rebanding_from_stored_signatures_equals_a_fresh_run_with_that_banding() {
    let docs = demo_documents(1500);
    let counter = crate::demo::gpt2();
    let run = |bands: usize, rows: usize| {
        let mut params = DedupParams::default();
        params.minhash.bands = bands;
        params.minhash.rows = rows;
        let mut analyzer = Analyzer::new(counter.clone(), params).unwrap();
        let mut builder = ReportBuilder::new("gpt2", params).unwrap();
        for doc in &docs {
            builder.add(analyzer.analyze(doc).unwrap()).unwrap();
        }
        builder.finish_with_signatures().unwrap()
    };
    let (report, signatures) = run(14, 8);
    let sources: Vec<&str> = docs.iter().map(|d| d.source.as_str()).collect();
    for (bands, rows) in [(28, 4), (20, 5), (7, 16), (14, 8)] {
        let rebanded = report.rebanded(bands, rows, &sources, &signatures).unwrap();
        let (fresh, _) = run(bands, rows);
        assert_eq!(rebanded, fresh, "{bands} x {rows}");
    }
    // Looser banding finds at least as many near duplicates here.
    let loose = report.rebanded(28, 4, &sources, &signatures).unwrap();
    assert!(loose.dedup.docs_in_near_clusters > report.dedup.docs_in_near_clusters);

    assert!(
        report.rebanded(15, 8, &sources, &signatures).is_err(),
        "b·r > K"
    );
    assert!(report.rebanded(14, 8, &sources[1..], &signatures).is_err());
    let mut verified = report.clone();
    verified.dedup.params.verify_threshold = Some(0.8);
    assert!(verified.rebanded(28, 4, &sources, &signatures).is_err());
}

#[test]
fn markdown_summary_has_a_row_per_source_and_the_duplicates() {
    let docs = demo_documents(600);
    let counter = crate::demo::gpt2();
    let params = DedupParams::default();
    let mut analyzer = Analyzer::new(counter.clone(), params).unwrap();
    let mut builder = ReportBuilder::new("gpt2", params).unwrap();
    for doc in &docs {
        builder.add(analyzer.analyze(doc).unwrap()).unwrap();
    }
    let report = builder.finish().unwrap();
    let md = corpuscope_core::export::markdown_summary("demo | part", &report);
    assert!(md.starts_with("# demo \\| part\n"));
    for row in report.rows() {
        let name = row
            .source
            .clone()
            .unwrap_or_else(|| "**all sources**".into());
        let docs = row.stats.documents;
        let line = md
            .lines()
            .find(|l| l.starts_with(&format!("| {name} |")))
            .unwrap_or_else(|| panic!("no row for {name}"));
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        assert_eq!(cells[2].replace(',', "").parse::<u64>().unwrap(), docs);
        assert_eq!(
            cells[3].replace(',', "").parse::<u64>().unwrap(),
            row.stats.tokens.total
        );
    }
    assert!(md.contains(&format!(
        "{} exact-duplicate clusters",
        report.dedup.exact_clusters.len()
    )));
}
