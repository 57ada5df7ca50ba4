//! The dashboard of the open corpus: per-source figures from its stored report.

use crate::app::AppState;
use crate::components::charts::Charts;
use crate::components::corpus_settings::CorpusSettings;
use crate::components::document::DocumentPanel;
use crate::components::duplicates::Duplicates;
use crate::components::exports::Exports;
use crate::components::format::{bytes, thousands};
use crate::components::search::SearchPanel;
use crate::search::SearchStatus;
use crate::share::{current_link, scroll_to};
use corpuscope_core::report::{Report, SourceRow};
use corpuscope_core::share::View;
use leptos::prelude::*;

/// The open corpus's per-source table, files and duplicate summary.
#[component]
pub fn Dashboard() -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        state.open_report.get().map(|(name, report)| {
            let rows = report.rows();
            let sources: Vec<String> = rows.iter().filter_map(|r| r.source.clone()).collect();
            let dedup = &report.dedup;
            let m = &dedup.params.minhash;
            let summary = format!("{} · tokenizer {}", report.dedup_summary(), report.tokenizer);
            view! {
                <section class="dashboard" data-testid="dashboard">
                    <div class="library-head">
                        <h2>{name}</h2>
                        <div class="actions">
                            <CopyLink />
                            <button class="link" data-testid="export-report" on:click=move |_| state.export_report()>
                                "Report (JSON)"
                            </button>
                            <button class="link" on:click=move |_| {
                                state.open_report.set(None);
                                state.open_corpus.set(None);
                                state.search.set(SearchStatus::Off);
                            }>"Close"</button>
                        </div>
                    </div>
                    <ViewNav />
                    <div id="overview">
                    {state.open_corpus.get().map(|corpus| view! { <CorpusSettings corpus=corpus /> })}
                    <SourceTable rows=rows />
                    <p class="summary" data-testid="dedup-summary">{summary}</p>
                    {move || state.open_semantic.get().map(|(c, threshold)| view! {
                        <p class="summary" data-testid="semantic-summary">
                            {format!(
                                "Semantic duplicates (embedding cosine ≥ {threshold:.2}): {} clusters, {} documents · MinHash duplicates: {} documents · in both: {}",
                                thousands(c.semantic_clusters),
                                thousands(c.semantic_documents),
                                thousands(c.minhash_documents),
                                thousands(c.both),
                            )}
                        </p>
                    })}
                    <FileTable report=report.clone() />
                    <Charts report=report.clone() />
                    <Exports />
                    </div>
                    <Duplicates
                        exact=dedup.exact_clusters.clone()
                        near=dedup.near_clusters.clone()
                        corpus=state.open_corpus.get_untracked()
                        bands=m.bands
                        rows=m.rows
                        num_perm=m.num_perm
                        verified=dedup.params.verify_threshold.is_some()
                    />
                    <SearchPanel sources=sources />
                    <DocumentPanel />
                </section>
            }
        })
    }
}

/// Links to the views of the open corpus; the current one is marked.
#[component]
fn ViewNav() -> impl IntoView {
    let state = expect_context::<AppState>();
    let links = View::ALL
        .into_iter()
        .map(|v| {
            let label = match v {
                View::Overview => "Overview",
                View::Duplicates => "Duplicates",
                View::Search => "Search",
                View::Document => "Document",
            };
            view! {
                <a
                    href=format!("#{}", v.name())
                    data-testid=format!("view-{}", v.name())
                    aria-current=move || (state.view.get() == v).then_some("true")
                    on:click=move |ev| {
                        ev.prevent_default();
                        state.view.set(v);
                        scroll_to(v);
                    }
                >
                    {label}
                </a>
            }
        })
        .collect_view();
    view! { <nav class="views" aria-label="Views of this corpus" data-testid="views">{links}</nav> }
}

/// Copies the link to this corpus and view (see [`crate::share`]).
#[component]
fn CopyLink() -> impl IntoView {
    let copied = RwSignal::new(None::<String>);
    let copy = move |_| {
        let link = current_link();
        if let Some(clipboard) = web_sys::window().map(|w| w.navigator().clipboard()) {
            let _ = clipboard.write_text(&link);
        }
        copied.set(Some(link));
    };
    view! {
        <button class="link" data-testid="copy-link" on:click=copy title="Copy a link that reproduces this view">"Copy link"</button>
        {move || copied.get().map(|link| view! {
            <input class="share-link" readonly data-testid="share-link" aria-label="Link to this view" prop:value=link />
        })}
    }
}

/// Figures per source, then for the whole corpus.
#[component]
fn SourceTable(
    /// One row per source, the corpus last.
    rows: Vec<SourceRow>,
) -> impl IntoView {
    let body = rows
        .into_iter()
        .map(|r| {
            let t = r.stats.tokens;
            let is_total = r.source.is_none();
            let name = r.source.clone().unwrap_or_else(|| "all sources".into());
            view! {
                <tr data-testid="source-row" class:total=is_total>
                    <td data-testid="source-name">{name}</td>
                    <td class="num" data-testid="source-documents">{thousands(r.stats.documents)}</td>
                    <td class="num">{bytes(r.stats.bytes)}</td>
                    <td class="num" data-testid="source-tokens">{thousands(t.total)}</td>
                    <td class="num">{format!("{:.0}", t.mean)}</td>
                    <td class="num">{format!("{:.0}", t.p50)}</td>
                    <td class="num">{format!("{:.0}", t.p90)}</td>
                    <td class="num">{format!("{:.0}", t.p99)}</td>
                    <td class="num">{format!("{:.2}", r.stats.bytes_per_token)}</td>
                    <td class="num">{format!("{:.2}", r.diversity.pooled_entropy_bits)}</td>
                    <td class="num">{format!("{:.3}", r.diversity.compression_ratio)}</td>
                    <td class="num">{format!("{:.1}%", r.exact_percent())}</td>
                    <td class="num">{format!("{:.1}%", r.near_percent())}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-scroll">
            <table data-testid="source-table">
                <thead>
                    <tr>
                        <th>"Source"</th>
                        <th class="num">"Documents"</th>
                        <th class="num">"Text"</th>
                        <th class="num">"Tokens"</th>
                        <th class="num" title="Mean tokens per document">"Mean"</th>
                        <th class="num" title="Median tokens per document">"p50"</th>
                        <th class="num" title="90th percentile of tokens per document">"p90"</th>
                        <th class="num" title="99th percentile of tokens per document">"p99"</th>
                        <th class="num" title="UTF-8 bytes per token">"Bytes/token"</th>
                        <th class="num" title="Entropy of the pooled token unigram distribution, bits per token">"Entropy"</th>
                        <th class="num" title="zlib level 6 compressed bytes / raw bytes, documents compressed one by one">"Compression"</th>
                        <th class="num" title="Documents that are exact duplicates of an earlier one (after normalisation)">"Exact dup"</th>
                        <th class="num" title="Documents in a MinHash near-duplicate cluster, other than its representative">"Near dup"</th>
                    </tr>
                </thead>
                <tbody>{body}</tbody>
            </table>
        </div>
    }
}

/// What each input file held: format, compression and documents kept or rejected.
#[component]
fn FileTable(
    /// The report whose files are listed.
    report: Report,
) -> impl IntoView {
    let body = report
        .files
        .into_iter()
        .map(|f| {
            view! {
                <tr data-testid="file-row">
                    <td>{f.file}</td>
                    <td>{format!("{:?}", f.format).to_lowercase()}</td>
                    <td>{format!("{:?}", f.compression).to_lowercase()}</td>
                    <td class="num">{bytes(f.bytes_in)}</td>
                    <td class="num">{thousands(f.documents_loaded)}</td>
                    <td class="num">{thousands(f.documents_rejected)}</td>
                    <td class="num">{thousands(f.invalid_utf8)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="files-table" data-testid="file-table">
            <thead>
                <tr>
                    <th>"File"</th>
                    <th>"Format"</th>
                    <th>"Compression"</th>
                    <th class="num">"Size"</th>
                    <th class="num">"Loaded"</th>
                    <th class="num">"Rejected"</th>
                    <th class="num" title="Invalid UTF-8 sequences replaced by U+FFFD">"Bad UTF-8"</th>
                </tr>
            </thead>
            <tbody>{body}</tbody>
        </table>
    }
}
