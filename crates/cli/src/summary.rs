//! The readable summary `scan` prints: one row per source, then the corpus.

use corpuscope_core::report::{Report, SourceRow};

/// Problems listed on the terminal before the rest are left to the report.
const SHOWN_PROBLEMS: usize = 20;

const HEADER: [&str; 12] = [
    "source", "docs", "tokens", "mean", "p50", "p90", "p99", "B/tok", "H bits", "zlib", "exact%",
    "near%",
];

/// Prints the report's summary to stdout and its first problems to stderr.
pub fn print(report: &Report) {
    let mut rows = vec![HEADER.map(String::from).to_vec()];
    rows.extend(report.rows().iter().map(row));
    print_table(&rows);
    let d = &report.dedup;
    let m = &d.params.minhash;
    println!(
        "\ntokenizer {} · MinHash K={} {}×{} ({}) · {} exact clusters ({} docs) · {} near clusters ({} docs){}",
        report.tokenizer,
        m.num_perm,
        m.bands,
        m.rows,
        m.scheme.name(),
        d.exact_clusters.len(),
        d.docs_in_exact_clusters,
        d.near_clusters.len(),
        d.docs_in_near_clusters,
        d.candidate_pairs
            .map(|n| format!(", {n} candidate pairs"))
            .unwrap_or_default(),
    );
    for file in &report.files {
        println!(
            "{}: {} documents loaded, {} rejected",
            file.file, file.documents_loaded, file.documents_rejected
        );
        // An archive's members, each read as its own file.
        for member in &file.members {
            println!(
                "  {}: {} documents loaded, {} rejected",
                member.file, member.documents_loaded, member.documents_rejected
            );
        }
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

fn row(r: &SourceRow) -> Vec<String> {
    let t = &r.stats.tokens;
    vec![
        r.source.clone().unwrap_or_else(|| "all".into()),
        r.stats.documents.to_string(),
        t.total.to_string(),
        format!("{:.0}", t.mean),
        format!("{:.0}", t.p50),
        format!("{:.0}", t.p90),
        format!("{:.0}", t.p99),
        format!("{:.2}", r.stats.bytes_per_token),
        format!("{:.2}", r.diversity.pooled_entropy_bits),
        format!("{:.3}", r.diversity.compression_ratio),
        format!("{:.1}", r.exact_percent()),
        format!("{:.1}", r.near_percent()),
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
