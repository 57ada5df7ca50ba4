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
    conversations(report, &mut out);
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

/// The conversations section, when the corpus holds conversations.
fn conversations(report: &Report, out: &mut String) {
    let rows = report.chat_rows();
    if rows.is_empty() {
        return;
    }
    let c = &report.chat.overall;
    out.push_str("\n## Conversations\n\n");
    out.push_str(&format!(
        "{} conversations and {} plain documents. Tokens per role count each turn's content on its own: {} in all turns, {} in the conversations' whole texts (turns joined by blank lines). Assistant share: the tokens an assistant-only loss mask trains on, over all turn tokens.\n\n",
        thousands(c.conversations),
        thousands(c.plain_documents),
        thousands(c.turn_tokens),
        thousands(c.conversation_tokens),
    ));
    out.push_str("| source | conversations | plain | turns | turns p50 | p90 | p99 | system | user | assistant | tool | other | assistant share % | assistant/user |\n");
    out.push_str("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for row in rows {
        let s = &row.stats;
        let t = &s.role_tokens;
        out.push_str(&format!(
            "| {} | {} | {} | {} | {:.0} | {:.0} | {:.0} | {} | {} | {} | {} | {} | {:.1} | {} |\n",
            row.source
                .as_deref()
                .map_or("**all sources**".to_string(), cell),
            thousands(s.conversations),
            thousands(s.plain_documents),
            thousands(s.turns.total),
            s.turns.p50,
            s.turns.p90,
            s.turns.p99,
            thousands(t.system),
            thousands(t.user),
            thousands(t.assistant),
            thousands(t.tool),
            thousands(t.other),
            100.0 * s.assistant_share,
            s.assistant_user_ratio
                .map_or("–".to_string(), |r| format!("{r:.2}")),
        ));
    }
    if c.chosen_tokens + c.rejected_tokens > 0 {
        out.push_str(&format!(
            "\nPreference answers: {} tokens chosen, {} tokens rejected.\n",
            thousands(c.chosen_tokens),
            thousands(c.rejected_tokens),
        ));
    }
    if c.skipped_parts > 0 {
        out.push_str(&format!(
            "\n{} non-text content parts (images, audio, tool calls) were skipped.\n",
            thousands(c.skipped_parts),
        ));
    }
}
