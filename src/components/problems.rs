//! The rejected records of a corpus: a short list, and all of them as CSV.

use crate::app::AppState;
use crate::components::format::thousands;
use crate::storage::{CorpusRecord, ProblemRecord, Storage, DB_NAME};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// How many rejected records the page lists; the download has them all.
const SHOWN: usize = 100;

/// A collapsible list of the corpus's rejected records with a CSV download.
#[component]
pub fn ProblemList(
    /// The corpus whose problems are shown.
    corpus: CorpusRecord,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let list = RwSignal::new(Vec::<ProblemRecord>::new());
    let count = corpus.problems;
    if count > 0 {
        let id = corpus.id.clone();
        spawn_local(async move {
            let loaded = async {
                let storage = Storage::open(DB_NAME).await?;
                let problems = storage.problems(&id).await;
                storage.close();
                problems
            }
            .await;
            match loaded {
                Ok(mut problems) => {
                    problems.truncate(SHOWN);
                    list.set(problems);
                }
                Err(e) => state
                    .status
                    .set(crate::components::status::Status::Failed(e.to_string())),
            }
        });
    }
    (count > 0).then(|| {
        view! {
            <details class="problems" data-testid="problems">
                <summary>{thousands(count)} " records could not be loaded"</summary>
                <button class="link" data-testid="download-problems" on:click=move |_| state.download_problems(corpus.clone())>
                    "Download all as CSV"
                </button>
                <ul>
                    <For each=move || list.get() key=|p| p.seq let:p>
                        <li>
                            <code>{p.file.clone()} ":" {p.line}</code>
                            " " {p.reason.clone()}
                        </li>
                    </For>
                </ul>
            </details>
        }
    })
}
