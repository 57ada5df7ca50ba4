//! What the app is doing now: progress with a Cancel button, the last result,
//! or an error in words.

use crate::app::AppState;
use crate::components::format::{bytes, thousands};
use crate::components::problems::ProblemList;
use crate::storage::CorpusRecord;
use corpuscope_core::progress::{format_seconds, Progress};
use leptos::prelude::*;

/// The state of the current or last run.
#[derive(Debug, Clone, PartialEq)]
pub enum Status {
    Idle,
    Starting(String),
    Working(Progress),
    Loaded(CorpusRecord),
    Cancelled(CorpusRecord),
    Failed(String),
    Note(String),
}

impl Status {
    /// Whether a run is going on.
    pub fn is_busy(&self) -> bool {
        matches!(self, Status::Starting(_) | Status::Working(_))
    }
}

/// Shows the status held in the app's state.
#[component]
pub fn StatusPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        match state.status.get() {
        Status::Idle => ().into_any(),
        Status::Starting(name) => view! {
            <section class="status working" data-testid="progress">
                <p>"Starting " <strong>{name}</strong> "…"</p>
                <progress></progress>
            </section>
        }
        .into_any(),
        Status::Working(p) => view! { <Working progress=p /> }.into_any(),
        Status::Loaded(corpus) => view! {
            <section class="status loaded" data-testid="loaded">
                <p>
                    "Loaded " <strong>{corpus.name.clone()}</strong> ": "
                    <span data-testid="loaded-documents">{thousands(corpus.documents)}</span> " documents, "
                    <span data-testid="loaded-tokens">{thousands(corpus.tokens)}</span> " tokens ("
                    {corpus.tokenizer.clone()} ")."
                </p>
                <ProblemList corpus=corpus />
            </section>
        }
        .into_any(),
        Status::Cancelled(corpus) => view! {
            <section class="status cancelled" data-testid="cancelled">
                <p>
                    "Cancelled " <strong>{corpus.name.clone()}</strong> " after "
                    {thousands(corpus.documents)} " documents. They are kept; resume or delete the corpus in the library."
                </p>
            </section>
        }
        .into_any(),
        Status::Failed(message) => view! {
            <section class="status failed" role="alert" data-testid="error">
                <p>{message}</p>
            </section>
        }
        .into_any(),
        Status::Note(message) => view! {
            <section class="status note" data-testid="note">
                <p>{message}</p>
            </section>
        }
        .into_any(),
    }
    }
}

/// Progress of a running ingestion: file, stage, bytes, rate, time left.
#[component]
fn Working(
    /// The latest snapshot.
    progress: Progress,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let p = progress;
    let of_total = if p.bytes_total > 0 {
        format!("{} of {}", bytes(p.bytes_done), bytes(p.bytes_total))
    } else {
        bytes(p.bytes_done)
    };
    let rate = p
        .documents_per_second()
        .map(|r| format!("{} documents/s", thousands(r as u64)))
        .unwrap_or_default();
    let left = p
        .seconds_left()
        .map(|s| format!("about {} left", format_seconds(s)))
        .unwrap_or_default();
    let percent = p.fraction() * 100.0;
    view! {
        <section class="status working" data-testid="progress" aria-live="polite">
            <div class="progress-head">
                <p>
                    <strong data-testid="progress-file">{p.file.clone()}</strong>
                    " — " <span data-testid="progress-stage">{p.stage.label()}</span>
                    " — " <span data-testid="progress-bytes">{of_total}</span>
                </p>
                <button class="button secondary" data-testid="cancel" on:click=move |_| state.cancel.set(true)>
                    "Cancel"
                </button>
            </div>
            <progress max="100" value=percent></progress>
            <p class="progress-meta">
                <span data-testid="progress-documents">{thousands(p.documents)}</span> " documents · "
                <span data-testid="progress-rate">{rate}</span> " · " <span>{left}</span>
            </p>
        </section>
    }
}
