//! The document view: a document's text with its token boundaries (the id
//! on hover), its figures, its duplicate clusters and its nearest neighbours.

use crate::app::AppState;
use crate::components::format::{bytes, thousands};
use corpuscope_core::explore::DocumentView;
use corpuscope_core::vectors::DupStatus;
use leptos::prelude::*;

#[component]
pub fn DocumentPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    // Bring a newly opened document into view once it is drawn.
    Effect::new(move |_| {
        if state.open_document.with(Option::is_some) {
            request_animation_frame(|| {
                if let Some(el) = web_sys::window()
                    .and_then(|w| w.document())
                    .and_then(|d| d.query_selector("[data-testid=document]").ok().flatten())
                {
                    el.scroll_into_view();
                }
            });
        }
    });
    let body = move || {
        match state.open_document.get() {
        None => view! {
            <h3>"Document"</h3>
            <p class="muted" data-testid="document-empty">
                "No document is open: open one from a search result, a cluster's member or a neighbour."
            </p>
        }
        .into_any(),
        Some(Err(why)) => view! {
            <h3>"Document"</h3>
            <p class="error" data-testid="document-error">{why}</p>
        }
        .into_any(),
        Some(Ok(d)) => document_view(state, d).into_any(),
    }
    };
    view! { <section class="document" id="document">{body}</section> }
}

fn document_view(state: AppState, d: DocumentView) -> impl IntoView {
    let status = match d.status {
        DupStatus::Unique => "unique",
        DupStatus::Representative => "kept from its cluster",
        DupStatus::Duplicate => "a duplicate",
    };
    let facts = format!(
        "{} · {} tokens · {} · {status}",
        d.source,
        thousands(u64::from(d.tokens)),
        bytes(d.bytes)
    );
    let clusters = d
        .clusters
        .iter()
        .map(|&(kind, id, size)| {
            view! {
                <button class="link" data-testid="document-cluster" on:click=move |_| state.show_cluster(kind, id)>
                    {format!("{} cluster {id} ({size} documents)", kind.name())}
                </button>
            }
        })
        .collect_view();
    let neighbours = d
        .neighbours
        .iter()
        .map(|(doc, score, source)| {
            let doc = *doc;
            view! {
                <li>
                    <button class="link" data-testid="neighbour" on:click=move |_| state.show_document(doc)>
                        {format!("document {}", thousands(u64::from(doc) + 1))}
                    </button>
                    {format!(" · {source} · cosine {score:.3}")}
                </li>
            }
        })
        .collect_view();
    let pieces = d
        .pieces
        .into_iter()
        .enumerate()
        .map(|(i, p)| {
            if p.ids.is_empty() {
                return view! { <span>{p.text}</span> }.into_any();
            }
            let ids: Vec<String> = p.ids.iter().map(u32::to_string).collect();
            let title = format!("token id {}", ids.join(", "));
            view! { <span class=format!("tok t{}", i % 4) title=title data-ids=ids.join(" ")>{p.text}</span> }.into_any()
        })
        .collect_view();
    view! {
        <div data-testid="document">
            <div class="library-head">
                <h3>{format!("Document {}", thousands(u64::from(d.doc) + 1))}</h3>
                <button class="link" on:click=move |_| state.open_document.set(None)>"Close"</button>
            </div>
            <p class="muted" data-testid="document-facts">{facts}</p>
            <p class="muted">"Clusters: " {clusters} {d.clusters.is_empty().then_some("none")}</p>
            <pre class="tokens" data-testid="document-tokens">{pieces}{d.cut.then_some(" …")}</pre>
            <h4>"Nearest neighbours"</h4>
            <ol class="neighbours" data-testid="neighbours">{neighbours}</ol>
        </div>
    }
}
