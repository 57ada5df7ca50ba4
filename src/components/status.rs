//! What the app is doing now: progress, the last result, or an error.

use crate::components::format::{bytes, thousands};
use corpuscope_core::Problem;
use leptos::prelude::*;

/// The state of the current or last ingestion.
#[derive(Debug, Clone, PartialEq)]
pub enum Status {
    Idle,
    Working {
        label: String,
        done: f64,
        total: f64,
    },
    Loaded {
        name: String,
        documents: u64,
        tokens: u64,
        problems: Vec<Problem>,
    },
    Failed(String),
}

/// Shows progress while working, a summary after, and errors in words.
#[component]
pub fn StatusPanel(
    /// The status to show.
    status: Signal<Status>,
) -> impl IntoView {
    move || match status.get() {
        Status::Idle => ().into_any(),
        Status::Working { label, done, total } => {
            let pct = if total > 0.0 {
                done / total * 100.0
            } else {
                0.0
            };
            view! {
                <section class="status working" data-testid="progress">
                    <p>{label} " — " {bytes(done as u64)} " of " {bytes(total as u64)}</p>
                    <progress max="100" value=pct></progress>
                </section>
            }
            .into_any()
        }
        Status::Loaded {
            name,
            documents,
            tokens,
            problems,
        } => {
            let shown: Vec<_> = problems.iter().take(50).cloned().collect();
            let count = problems.len();
            view! {
                <section class="status loaded" data-testid="loaded">
                    <p>
                        "Loaded " <strong>{name}</strong> ": "
                        <span data-testid="loaded-documents">{thousands(documents)}</span> " documents, "
                        <span data-testid="loaded-tokens">{thousands(tokens)}</span> " tokens."
                    </p>
                    <Show when=move || { count > 0 }>
                        <details class="problems" data-testid="problems">
                            <summary>{thousands(count as u64)} " lines could not be loaded"</summary>
                            <ul>
                                {shown
                                    .iter()
                                    .map(|p| view! { <li><code>{p.file.clone()} ":" {p.line}</code> " " {p.reason.clone()}</li> })
                                    .collect_view()}
                            </ul>
                        </details>
                    </Show>
                </section>
            }
            .into_any()
        }
        Status::Failed(message) => view! {
            <section class="status failed" role="alert" data-testid="error">
                <p>{message}</p>
            </section>
        }
        .into_any(),
    }
}
