//! A Markdown summary of a report: per-source figures, duplicates, files.

use crate::report::{thousands, Report};

/// A table cell: `|` and line breaks would break the table.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace(['\n', '\r'], " ")
}

/// The report as Markdown, titled `name`.
pub fn markdown_summary(name: &str, report: &Report) -> String {
    let mut out = format!("# {}\n\n", cell(name));
    out.push_str(&format!(
        "Tokenizer: `{}` · {} documents · {} tokens · {} rejected records\n\n",
        cell(&report.tokenizer),
        thousands(report.tokens.overall.documents),
        thousands(report.tokens.overall.tokens.total),
        thousands(report.problems.len() as u64),
    ));
    out.push_str("| source | documents | tokens | mean | p50 | p90 | p99 | bytes/token | entropy (bits/token) | compression | exact dup % | near dup % |\n");
    out.push_str("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for row in report.rows() {
        let t = &row.stats.tokens;
        out.push_str(&format!(
            "| {} | {} | {} | {:.0} | {:.0} | {:.0} | {:.0} | {:.2} | {:.2} | {:.3} | {:.1} | {:.1} |\n",
            row.source.as_deref().map_or("**all sources**".to_string(), cell),
            thousands(row.stats.documents),
            thousands(t.total),
            t.mean,
            t.p50,
            t.p90,
            t.p99,
            row.stats.bytes_per_token,
            row.diversity.pooled_entropy_bits,
            row.diversity.compression_ratio,
            row.exact_percent(),
            row.near_percent(),
        ));
    }
    out.push_str(&format!("\n## Duplicates\n\n{}.\n", report.dedup_summary()));
    out.push_str("\n## Files\n\n| file | format | loaded | rejected |\n|---|---|---:|---:|\n");
    // An archive's row, then its members' rows.
    let files = report
        .files
        .iter()
        .flat_map(|f| std::iter::once(f).chain(&f.members));
    for f in files {
        out.push_str(&format!(
            "| {} | {:?} | {} | {} |\n",
            cell(&f.file),
            f.format,
            thousands(f.documents_loaded),
            thousands(f.documents_rejected),
        ));
    }
    out
}
