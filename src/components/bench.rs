//! The benchmark page, `?bench=KIND`: runs one benchmark in a worker and
//! shows its figures as JSON for a driver (`tests/bench/`) to read.
//! - `?bench=vectors&n=10000,100000`: vector search on synthetic vectors;
//! - `?bench=tokenize&tokenizers=gpt2-bytelevel-bpe,cl100k_base`: token
//!   counting over the demo corpus with bundled tokenizers;
//! - `?bench=minhash`: shingling, MinHash signatures and LSH clusters of the
//!   demo corpus.

use crate::files::fetch_bytes;
use crate::worker::protocol::benchmark::Bench;
use crate::worker::WorkerClient;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The page's query parameter `key`, if given.
fn param(key: &str) -> Option<String> {
    let search = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default();
    search
        .trim_start_matches('?')
        .split('&')
        .find_map(|pair| pair.strip_prefix(key)?.strip_prefix('='))
        .map(str::to_owned)
}

/// Sizes asked for in the page's `n` parameter (10k and 100k by default).
fn sizes() -> Vec<u32> {
    let asked: Vec<u32> = param("n")
        .unwrap_or_default()
        .split(',')
        .filter_map(|n| n.parse().ok())
        .collect();
    if asked.is_empty() {
        vec![10_000, 100_000]
    } else {
        asked
    }
}

/// Whether the page was opened as the benchmark page.
pub fn is_bench_page() -> bool {
    param("bench").is_some()
}

/// The request for the page's benchmark, with the assets it needs fetched.
async fn request() -> Result<Bench, String> {
    let kind = param("bench").unwrap_or_default();
    let mut corpus = Vec::new();
    let mut tokenizers = Vec::new();
    if kind == "tokenize" || kind == "minhash" {
        corpus = fetch_bytes("assets/corpus/demo.jsonl")
            .await
            .map_err(|e| e.to_string())?;
    }
    if kind == "tokenize" {
        let names = param("tokenizers").unwrap_or("gpt2-bytelevel-bpe,cl100k_base".into());
        for name in names.split(',') {
            let json = fetch_bytes(&format!("assets/tokenizers/{name}/tokenizer.json"))
                .await
                .map_err(|e| e.to_string())?;
            let json = String::from_utf8(json).map_err(|e| e.to_string())?;
            tokenizers.push((name.to_owned(), json));
        }
    }
    Ok(Bench {
        kind,
        sizes: sizes(),
        corpus,
        tokenizers,
    })
}

#[component]
pub fn BenchPage() -> impl IntoView {
    let result = RwSignal::new(None::<String>);
    spawn_local(async move {
        let answer = match request().await {
            Ok(request) => WorkerClient::spawn()
                .ask(request)
                .await
                .map_err(|e| e.to_string()),
            Err(e) => Err(e),
        };
        let text = match answer {
            Ok(json) => json,
            Err(e) => serde_json::json!({ "error": e }).to_string(),
        };
        result.set(Some(text));
    });
    let kind = param("bench").unwrap_or_default();
    view! {
        <main>
            <h1>"Corpuscope benchmarks: " {kind}</h1>
            {move || match result.get() {
                None => view! { <p data-testid="bench-running">"Running…"</p> }.into_any(),
                Some(json) => view! { <pre data-testid="bench-result">{json}</pre> }.into_any(),
            }}
        </main>
    }
}
