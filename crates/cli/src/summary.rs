//! The readable summary `scan` prints: one row per source, then the corpus.

use corpuscope_core::dedup::SourceDuplicates;
use corpuscope_core::entropy::SourceDiversity;
use corpuscope_core::report::Report;
use corpuscope_core::stats::SourceStats;

/// Problems listed on the terminal before the rest are left to the report.
const SHOWN_PROBLEMS: usize = 20;

const HEADER: [&str; 12] = [
    "source", "docs", "tokens", "mean", "p50", "p90", "p99", "B/tok", "H bits", "zlib", "exact%",
    "near%",
];

/// Prints the report's summary to stdout and its first problems to stderr.
pub fn print(report: &Report) {
    let mut rows = vec![HEADER.map(String::from).to_vec()];
    for (name, stats) in &report.tokens.sources {
        let diversity = report
            .diversity
            .sources
            .get(name)
            .copied()
            .unwrap_or_default();
        let dups = report.dedup.sources.iter().find(|s| &s.source == name);
        rows.push(row(name, stats, &diversity, dups));
    }
    let overall = SourceDuplicates {
        source: "all".into(),
        documents: report.dedup.documents,
        exact_duplicates: report
            .dedup
            .sources
            .iter()
            .map(|s| s.exact_duplicates)
            .sum(),
        near_duplicates: report.dedup.sources.iter().map(|s| s.near_duplicates).sum(),
        exact_fraction: 0.0,
        near_fraction: 0.0,
    };
    rows.push(row(
        "all",
        &report.tokens.overall,
        &report.diversity.overall,
        Some(&overall),
    ));
    print_table(&rows);
    let d = &report.dedup;
    let m = &d.params.minhash;
    println!(
        "\ntokenizer {} · MinHash K={} {}×{} · {} exact clusters ({} docs) · {} near clusters ({} docs, {} candidate pairs)",
        report.tokenizer,
        m.num_perm,
        m.bands,
        m.rows,
        d.exact_clusters.len(),
        d.docs_in_exact_clusters,
        d.near_clusters.len(),
        d.docs_in_near_clusters,
        d.candidate_pairs,
    );
    for file in &report.files {
        println!(
            "{}: {} documents loaded, {} rejected",
            file.file, file.documents_loaded, file.documents_rejected
        );
    }
    for p in report.problems.iter().take(SHOWN_PROBLEMS) {
        eprintln!("{}:{}: {}", p.file, p.line, p.reason);
    }
    if report.problems.len() > SHOWN_PROBLEMS {
        eprintln!(
            "… and {} more problems (all are in the report)",
            report.problems.len() - SHOWN_PROBLEMS
        );
    }
}

fn row(
    name: &str,
    stats: &SourceStats,
    diversity: &SourceDiversity,
    dups: Option<&SourceDuplicates>,
) -> Vec<String> {
    let t = &stats.tokens;
    let percent = |n: u64| {
        if stats.documents == 0 {
            "-".to_string()
        } else {
            format!("{:.1}", 100.0 * n as f64 / stats.documents as f64)
        }
    };
    vec![
        name.to_string(),
        stats.documents.to_string(),
        t.total.to_string(),
        format!("{:.0}", t.mean),
        format!("{:.0}", t.p50),
        format!("{:.0}", t.p90),
        format!("{:.0}", t.p99),
        format!("{:.2}", stats.bytes_per_token),
        format!("{:.2}", diversity.pooled_entropy_bits),
        format!("{:.3}", diversity.compression_ratio),
        dups.map_or("-".into(), |d| percent(d.exact_duplicates)),
        dups.map_or("-".into(), |d| percent(d.near_duplicates)),
    ]
}

/// Prints rows with the first column left-aligned and the rest right-aligned.
fn print_table(rows: &[Vec<String>]) {
    let widths: Vec<usize> = (0..rows[0].len())
        .map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0))
        .collect();
    for row in rows {
        let cells: Vec<String> = row
            .iter()
            .zip(&widths)
            .enumerate()
            .map(|(c, (cell, &w))| {
                if c == 0 {
                    format!("{cell:<w$}")
                } else {
                    format!("{cell:>w$}")
                }
            })
            .collect();
        println!("{}", cells.join("  "));
    }
}
