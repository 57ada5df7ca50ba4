//! The search panel of the open corpus: one box, three modes, filters, and
//! results with scores and highlighted snippets.

use crate::app::AppState;
use crate::components::format::thousands;
use crate::search::{Answer, SearchStatus, RESULTS};
use corpuscope_core::explore::Found;
use corpuscope_core::vectors::{DupFilter, DupStatus, SearchFilter, SearchMode};
use leptos::prelude::*;

fn mode_of(value: &str) -> SearchMode {
    SearchMode::from_name(value).unwrap_or_default()
}

fn duplicates_of(value: &str) -> DupFilter {
    match value {
        "unique" => DupFilter::Unique,
        "duplicated" => DupFilter::Duplicated,
        "kept" => DupFilter::Kept,
        _ => DupFilter::Any,
    }
}

fn status_name(status: DupStatus) -> &'static str {
    match status {
        DupStatus::Unique => "unique",
        DupStatus::Representative => "kept from a cluster",
        DupStatus::Duplicate => "duplicate",
    }
}

/// A number box's value, if it holds a whole number.
fn count(text: &str) -> Option<u32> {
    text.trim().parse().ok()
}

/// The search panel; `sources` are the open corpus's source names.
#[component]
pub fn SearchPanel(sources: Vec<String>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let query = RwSignal::new(String::new());
    let mode = RwSignal::new("hybrid".to_string());
    // The box shows the query answered last (a share link's, say).
    Effect::new(move |_| {
        if let Some(Ok(a)) = state.answer.get() {
            query.set(a.query.clone());
            mode.set(a.mode.name().to_string());
        }
    });
    let source = RwSignal::new(String::new());
    let min_tokens = RwSignal::new(String::new());
    let max_tokens = RwSignal::new(String::new());
    let duplicates = RwSignal::new("any".to_string());
    let semantic = move || matches!(state.search.get(), SearchStatus::Ready { semantic: true });
    let ready = move || matches!(state.search.get(), SearchStatus::Ready { .. });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = query.get_untracked();
        if text.trim().is_empty() {
            return;
        }
        let chosen = mode_of(&mode.get_untracked());
        let mode = if semantic() {
            chosen
        } else {
            SearchMode::Keyword
        };
        let filter = SearchFilter {
            source: Some(source.get_untracked()).filter(|s| !s.is_empty()),
            min_tokens: count(&min_tokens.get_untracked()),
            max_tokens: count(&max_tokens.get_untracked()),
            duplicates: duplicates_of(&duplicates.get_untracked()),
        };
        state.run_search(text, mode, filter);
    };
    let source_options = sources
        .into_iter()
        .map(|s| view! { <option value=s.clone()>{s.clone()}</option> })
        .collect_view();
    view! {
        <section class="search" id="search" data-testid="search">
            <h3>"Search"</h3>
            <form class="search-form" on:submit=submit>
                <input
                    type="search"
                    placeholder="Search the corpus by meaning or by words…"
                    aria-label="Search query"
                    data-testid="search-query"
                    prop:value=move || query.get()
                    on:input=move |ev| query.set(event_target_value(&ev))
                />
                <select
                    aria-label="Search mode"
                    data-testid="search-mode"
                    prop:value=move || {
                        // Follow readiness too: the modes enable once it is known.
                        state.search.track();
                        mode.get()
                    }
                    on:change=move |ev| mode.set(event_target_value(&ev))
                >
                    <option value="hybrid" disabled=move || !semantic()>"Hybrid"</option>
                    <option value="semantic" disabled=move || !semantic()>"Semantic"</option>
                    <option value="keyword">"Keyword"</option>
                </select>
                <select
                    aria-label="Source"
                    data-testid="search-source"
                    on:change=move |ev| source.set(event_target_value(&ev))
                >
                    <option value="">"All sources"</option>
                    {source_options}
                </select>
                <input
                    type="number"
                    min="0"
                    placeholder="min tokens"
                    aria-label="Minimum tokens"
                    data-testid="search-min-tokens"
                    on:input=move |ev| min_tokens.set(event_target_value(&ev))
                />
                <input
                    type="number"
                    min="0"
                    placeholder="max tokens"
                    aria-label="Maximum tokens"
                    data-testid="search-max-tokens"
                    on:input=move |ev| max_tokens.set(event_target_value(&ev))
                />
                <select
                    aria-label="Duplicate status"
                    data-testid="search-duplicates"
                    on:change=move |ev| duplicates.set(event_target_value(&ev))
                >
                    <option value="any">"Any duplicate status"</option>
                    <option value="unique">"Unique only"</option>
                    <option value="duplicated">"In a duplicate cluster"</option>
                    <option value="kept">"Kept by dedup"</option>
                </select>
                <button
                    type="submit"
                    data-testid="search-run"
                    disabled=move || !ready() || state.searching.get()
                >
                    "Search"
                </button>
            </form>
            <SearchState />
            <Results />
        </section>
    }
}

/// What the panel says while search is not ready.
#[component]
fn SearchState() -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        match state.search.get() {
        SearchStatus::Opening => {
            Some(view! { <p class="muted" data-testid="search-state">"Preparing search…"</p> }.into_any())
        }
        SearchStatus::Failed(why) => Some(
            view! { <p class="error" data-testid="search-state">{format!("Search is not available: {why}")}</p> }
                .into_any(),
        ),
        SearchStatus::Ready { semantic: false } => Some(
            view! { <p class="muted" data-testid="search-state">"Semantic search needs embeddings from the bundled model, which this corpus has not: keyword search only."</p> }
                .into_any(),
        ),
        _ => None,
    }
    }
}

/// The last answer.
#[component]
fn Results() -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        state.answer.get().map(|answer| match answer {
            Err(why) => view! { <p class="error" data-testid="search-error">{why}</p> }.into_any(),
            Ok(answer) => answer_view(answer).into_any(),
        })
    }
}

fn answer_view(answer: Answer) -> impl IntoView {
    let summary = format!(
        "{} result{} for “{}” ({} search, {:.1} ms{})",
        answer.hits.len(),
        if answer.hits.len() == 1 { "" } else { "s" },
        answer.query,
        SearchMode::name(answer.mode),
        answer.millis,
        if answer.hits.len() as u32 == RESULTS {
            ", best first"
        } else {
            ""
        },
    );
    let empty = answer.hits.is_empty();
    let items = answer
        .hits
        .into_iter()
        .enumerate()
        .map(|(i, hit)| hit_view(i + 1, hit))
        .collect_view();
    view! {
        <p class="muted" data-testid="search-summary">{summary}</p>
        {empty.then(|| view! { <p class="muted" data-testid="search-empty">"Nothing matches: try other words, another mode or fewer filters."</p> })}
        <ol class="hits" data-testid="search-results">{items}</ol>
    }
}

fn hit_view(rank: usize, hit: Found) -> impl IntoView {
    let state = expect_context::<AppState>();
    let mut facts = vec![format!("score {:.4}", hit.score)];
    if let Some((r, s)) = hit.semantic {
        facts.push(format!("semantic #{r} ({s:.3})"));
    }
    if let Some((r, s)) = hit.keyword {
        facts.push(format!("keyword #{r} ({s:.2})"));
    }
    facts.push(format!("{} tokens", thousands(u64::from(hit.tokens))));
    facts.push(status_name(hit.status).to_string());
    let pieces = hit
        .snippet
        .into_iter()
        .map(|p| {
            if p.hit {
                view! { <mark>{p.text}</mark> }.into_any()
            } else {
                view! { <span>{p.text}</span> }.into_any()
            }
        })
        .collect_view();
    view! {
        <li class="hit" data-testid="search-hit" data-doc=hit.doc>
            <div class="hit-head">
                <span class="rank">{format!("{rank}.")}</span>
                <span class="source" data-testid="hit-source">{hit.source}</span>
                <button class="link" data-testid="hit-open" on:click=move |_| state.show_document(hit.doc)>
                    {format!("document {}", thousands(u64::from(hit.doc) + 1))}
                </button>
                <span class="muted" data-testid="hit-facts">{facts.join(" · ")}</span>
            </div>
            <p class="snippet" data-testid="hit-snippet">
                {hit.cut_start.then_some("…")}
                {pieces}
                {hit.cut_end.then_some("…")}
            </p>
        </li>
    }
}
