//! The library: every stored corpus with its figures, state and actions.

use crate::app::AppState;
use crate::components::drop_zone::picked_files;
use crate::components::format::{bytes, date, thousands};
use crate::storage::{CorpusRecord, CorpusState};
use leptos::prelude::*;

/// A table of stored corpora and the origin's storage use.
#[component]
pub fn Library() -> impl IntoView {
    let state = expect_context::<AppState>();
    let corpora = state.corpora;
    view! {
        <section class="library" data-testid="library">
            <div class="library-head">
                <h2>"Library"</h2>
                <StorageUse />
            </div>
            <Show
                when=move || !corpora.get().is_empty()
                fallback=|| view! { <p class="empty" data-testid="library-empty">"No corpus yet: drop a file above or load the demo."</p> }
            >
                <table>
                    <thead>
                        <tr>
                            <th>"Corpus"</th>
                            <th>"Files"</th>
                            <th class="num">"Documents"</th>
                            <th class="num">"Tokens"</th>
                            <th class="num">"Size"</th>
                            <th class="num" title="Text, embeddings, signatures and records in this browser (estimated)">"Stored"</th>
                            <th>"Tokenizer"</th>
                            <th>"Added"</th>
                            <th></th>
                        </tr>
                    </thead>
                    <tbody>
                        <For each=move || corpora.get() key=|c| format!("{}:{}:{:?}", c.id, c.documents, c.state) let:c>
                            <CorpusRow corpus=c />
                        </For>
                    </tbody>
                </table>
            </Show>
        </section>
    }
}

/// The origin's storage use and quota, and whether it is persistent.
#[component]
fn StorageUse() -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        state.storage_info.get().map(|(usage, quota, persisted)| {
            let kept = if persisted {
                "persistent"
            } else {
                "may be evicted under pressure"
            };
            view! {
                <p class="storage-use" data-testid="storage-use">
                    {bytes(usage as u64)} " used of " {bytes(quota as u64)} " · " {kept}
                </p>
            }
        })
    }
}

/// What the library says of a corpus's state: a badge class and text.
fn state_badge(state: &CorpusState) -> Option<(&'static str, String)> {
    match state {
        CorpusState::Complete => None,
        CorpusState::Loading => Some(("warn", "interrupted".into())),
        CorpusState::Cancelled => Some(("warn", "cancelled".into())),
        CorpusState::Failed(reason) => Some(("danger", format!("failed: {reason}"))),
    }
}

/// One row of the library table.
#[component]
fn CorpusRow(
    /// The corpus shown.
    corpus: CorpusRecord,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let id = corpus.id.clone();
    let files = corpus
        .files
        .iter()
        .map(|f| f.name.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let badge = state_badge(&corpus.state).map(|(class, text)| {
        view! { <span class=format!("badge {class}") data-testid="corpus-state" title=text.clone()>{text.clone()}</span> }
    });
    let resumable = !corpus.is_complete() && corpus.files.iter().any(|f| !f.done);
    let for_resume = corpus.clone();
    let for_problems = corpus.clone();
    view! {
        <tr data-testid="corpus-row" data-corpus-id=corpus.id.clone()>
            <td>
                {if corpus.is_complete() {
                    let to_open = corpus.clone();
                    view! {
                        <button class="link corpus-name" data-testid="open-corpus" title="Open the dashboard" on:click=move |_| state.open(to_open.clone())>
                            {corpus.name.clone()}
                        </button>
                    }.into_any()
                } else {
                    view! { <span class="corpus-name">{corpus.name.clone()}</span> }.into_any()
                }}
                {badge}
            </td>
            <td class="files" title=files.clone()>{files.clone()}</td>
            <td class="num" data-testid="corpus-documents">{thousands(corpus.documents)}</td>
            <td class="num" data-testid="corpus-tokens">{thousands(corpus.tokens)}</td>
            <td class="num">{bytes(corpus.bytes)}</td>
            <td class="num" data-testid="corpus-stored">{format!("≈ {}", bytes(corpus.stored_estimate()))}</td>
            <td>{corpus.tokenizer.clone()}</td>
            <td>{date(corpus.created_ms)}</td>
            <td><div class="actions">
                {resumable.then(|| view! {
                    <label class="link" title="Choose the same file(s) again to continue where loading stopped">
                        "Resume…"
                        <input
                            type="file"
                            multiple
                            data-testid="resume-input"
                            on:change=move |ev| state.resume(for_resume.clone(), picked_files(&ev))
                        />
                    </label>
                })}
                {(corpus.problems > 0).then(|| view! {
                    <button class="link" data-testid="corpus-problems" on:click=move |_| state.download_problems(for_problems.clone())>
                        {format!("{} rejected (CSV)", thousands(corpus.problems))}
                    </button>
                })}
                <button class="link danger" data-testid="delete-corpus" on:click=move |_| state.delete(id.clone())>
                    "Delete"
                </button>
            </div></td>
        </tr>
    }
}
