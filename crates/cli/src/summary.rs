//! The readable summary `scan` prints: one row per source, then the corpus.

use corpuscope_core::report::{ChatRow, Report, SourceRow};

/// Problems listed on the terminal before the rest are left to the report.
const SHOWN_PROBLEMS: usize = 20;

const HEADER: [&str; 12] = [
    "source", "docs", "tokens", "mean", "p50", "p90", "p99", "B/tok", "H bits", "zlib", "exact%",
    "near%",
];

const CHAT_HEADER: [&str; 14] = [
    "source",
    "convs",
    "plain",
    "turns",
    "t p50",
    "t p90",
    "t p99",
    "system",
    "user",
    "assistant",
    "tool",
    "other",
    "asst%",
    "asst/user",
];

/// Prints the report's summary to stdout and its first problems to stderr.
pub fn print(report: &Report) {
    let mut rows = vec![HEADER.map(String::from).to_vec()];
    rows.extend(report.rows().iter().map(row));
    print_table(&rows);
    print_chat(report);
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

/// The conversations table, when there are conversations: turns per
/// conversation, tokens per role (each turn tokenized alone), the assistant
/// share of turn tokens and the assistant/user token ratio.
fn print_chat(report: &Report) {
    let chat_rows = report.chat_rows();
    if chat_rows.is_empty() {
        return;
    }
    println!("\nconversations (tokens per role: each turn's content tokenized alone)");
    let mut rows = vec![CHAT_HEADER.map(String::from).to_vec()];
    rows.extend(chat_rows.iter().map(chat_row));
    print_table(&rows);
    let c = &report.chat.overall;
    println!(
        "turn tokens {} vs conversation texts {} (separators between turns) · assistant share {:.1}% (trained on under an assistant-only loss mask)",
        c.turn_tokens,
        c.conversation_tokens,
        100.0 * c.assistant_share
    );
    if c.chosen_tokens + c.rejected_tokens > 0 {
        println!(
            "preference answers: chosen {} tokens, rejected {} tokens",
            c.chosen_tokens, c.rejected_tokens
        );
    }
    if c.skipped_parts > 0 {
        println!(
            "{} non-text content parts skipped (images, audio, tool calls)",
            c.skipped_parts
        );
    }
}

fn chat_row(r: &ChatRow) -> Vec<String> {
    let s = &r.stats;
    let t = &s.role_tokens;
    vec![
        r.source.clone().unwrap_or_else(|| "all".into()),
        s.conversations.to_string(),
        s.plain_documents.to_string(),
        s.turns.total.to_string(),
        format!("{:.0}", s.turns.p50),
        format!("{:.0}", s.turns.p90),
        format!("{:.0}", s.turns.p99),
        t.system.to_string(),
        t.user.to_string(),
        t.assistant.to_string(),
        t.tool.to_string(),
        t.other.to_string(),
        format!("{:.1}", 100.0 * s.assistant_share),
        s.assistant_user_ratio
            .map_or_else(|| "-".into(), |r| format!("{r:.2}")),
    ]
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
