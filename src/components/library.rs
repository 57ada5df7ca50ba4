//! The library: every stored corpus with its figures.

use crate::components::format::{bytes, date, thousands};
use crate::storage::CorpusRecord;
use leptos::prelude::*;

/// A table of stored corpora; `on_delete` receives a corpus id.
#[component]
pub fn Library(
    /// The corpora to list.
    corpora: Signal<Vec<CorpusRecord>>,
    /// Asks to delete the corpus with this id.
    on_delete: Callback<String>,
) -> impl IntoView {
    view! {
        <section class="library" data-testid="library">
            <h2>"Library"</h2>
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
                            <th>"Tokenizer"</th>
                            <th>"Added"</th>
                            <th></th>
                        </tr>
                    </thead>
                    <tbody>
                        <For each=move || corpora.get() key=|c| (c.id.clone(), c.complete, c.documents) let:c>
                            <CorpusRow corpus=c on_delete=on_delete />
                        </For>
                    </tbody>
                </table>
            </Show>
        </section>
    }
}

/// One row of the library table.
#[component]
fn CorpusRow(
    /// The corpus shown.
    corpus: CorpusRecord,
    /// Asks to delete this corpus.
    on_delete: Callback<String>,
) -> impl IntoView {
    let id = corpus.id.clone();
    let files = corpus.files.join(", ");
    view! {
        <tr data-testid="corpus-row" data-corpus-id=corpus.id.clone()>
            <td>
                <span class="corpus-name">{corpus.name.clone()}</span>
                {(!corpus.complete).then(|| view! { <span class="badge warn" title="Loading stopped before the end">"incomplete"</span> })}
            </td>
            <td class="files" title=files.clone()>{files.clone()}</td>
            <td class="num" data-testid="corpus-documents">{thousands(corpus.documents)}</td>
            <td class="num" data-testid="corpus-tokens">{thousands(corpus.tokens)}</td>
            <td class="num">{bytes(corpus.bytes)}</td>
            <td>{corpus.tokenizer.clone()}</td>
            <td>{date(corpus.created_ms)}</td>
            <td>
                <button class="link danger" data-testid="delete-corpus" on:click=move |_| on_delete.run(id.clone())>
                    "Delete"
                </button>
            </td>
        </tr>
    }
}
