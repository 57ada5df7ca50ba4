//! The benchmark page (`?bench=vectors&n=10000,100000`): runs the vector
//! search figures in a worker and shows them as JSON for a driver to read.

use crate::worker::{Request, Response, WorkerClient};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Sizes asked for in the page's `n` parameter (10k and 100k by default).
fn sizes() -> Vec<u32> {
    let search = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default();
    let asked: Vec<u32> = search
        .trim_start_matches('?')
        .split('&')
        .filter_map(|pair| pair.strip_prefix("n="))
        .flat_map(|list| {
            list.split(',')
                .filter_map(|n| n.parse().ok())
                .collect::<Vec<_>>()
        })
        .collect();
    if asked.is_empty() {
        vec![10_000, 100_000]
    } else {
        asked
    }
}

/// Whether the page was opened as the benchmark page.
pub fn is_bench_page() -> bool {
    web_sys::window()
        .and_then(|w| w.location().search().ok())
        .is_some_and(|s| s.contains("bench=vectors"))
}

#[component]
pub fn BenchPage() -> impl IntoView {
    let result = RwSignal::new(None::<String>);
    spawn_local(async move {
        let mut worker = WorkerClient::spawn();
        let text = match worker.call(Request::Bench { sizes: sizes() }).await {
            Ok(Response::Bench { json }) => json,
            Ok(_) => "{\"error\":\"unexpected answer\"}".to_string(),
            Err(e) => serde_json::json!({ "error": e.to_string() }).to_string(),
        };
        result.set(Some(text));
    });
    view! {
        <main>
            <h1>"Corpuscope benchmarks: vector search"</h1>
            {move || match result.get() {
                None => view! { <p data-testid="bench-running">"Running…"</p> }.into_any(),
                Some(json) => view! { <pre data-testid="bench-result">{json}</pre> }.into_any(),
            }}
        </main>
    }
}
