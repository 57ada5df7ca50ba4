//! The export buttons of the open corpus.

use crate::app::AppState;
use crate::exports::ClusterFormat;
use corpuscope_core::export::Keep;
use leptos::prelude::*;

#[component]
pub fn Exports() -> impl IntoView {
    let state = expect_context::<AppState>();
    let keep = RwSignal::new("first".to_string());
    let chosen = move || match keep.get_untracked().as_str() {
        "longest" => Keep::Longest,
        // A new draw on each export, kept reproducible within it.
        "random" => Keep::Random(js_sys::Date::now() as u64),
        _ => Keep::First,
    };
    view! {
        <div class="exports" data-testid="exports">
            <span class="muted">"Export: "</span>
            <button class="link" data-testid="export-dedup" on:click=move |_| state.export_deduplicated(chosen())>
                "Deduplicated documents (JSONL)"
            </button>
            <label class="muted">
                " keeping the "
                <select
                    aria-label="Which document of each duplicate group to keep"
                    data-testid="export-keep"
                    on:change=move |ev| keep.set(event_target_value(&ev))
                >
                    <option value="first">"first"</option>
                    <option value="longest">"longest"</option>
                    <option value="random">"random"</option>
                </select>
                " of each group · "
            </label>
            <button class="link" data-testid="export-clusters-csv" on:click=move |_| state.export_clusters(ClusterFormat::Csv)>
                "Clusters (CSV)"
            </button>
            <button class="link" data-testid="export-clusters-jsonl" on:click=move |_| state.export_clusters(ClusterFormat::Jsonl)>
                "Clusters (JSONL)"
            </button>
            <button class="link" data-testid="export-markdown" on:click=move |_| state.export_markdown()>
                "Summary (Markdown)"
            </button>
        </div>
    }
}
