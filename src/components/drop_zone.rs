//! Where files come in: drag and drop, a file picker, and the demo button.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DragEvent, FileList, HtmlInputElement};

/// Turns a browser `FileList` into a vector of files.
fn files_of(list: Option<FileList>) -> Vec<web_sys::File> {
    let Some(list) = list else { return Vec::new() };
    (0..list.length()).filter_map(|i| list.get(i)).collect()
}

/// The drop zone: calls `on_files` with the files dropped or picked, and
/// `on_demo` when the demo corpus is asked for. Disabled while `busy`.
#[component]
pub fn DropZone(
    /// Whether an ingestion is running.
    busy: Signal<bool>,
    /// Receives the files the user gave.
    on_files: Callback<Vec<web_sys::File>>,
    /// Asks for the bundled demo corpus.
    on_demo: Callback<()>,
) -> impl IntoView {
    let dragging = RwSignal::new(false);
    let over = move |ev: DragEvent| {
        ev.prevent_default();
        dragging.set(true);
    };
    let drop = move |ev: DragEvent| {
        ev.prevent_default();
        dragging.set(false);
        if busy.get_untracked() {
            return;
        }
        let files = files_of(ev.data_transfer().and_then(|dt| dt.files()));
        if !files.is_empty() {
            on_files.run(files);
        }
    };
    let picked = move |ev: web_sys::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
        else {
            return;
        };
        let files = files_of(input.files());
        input.set_value("");
        if !files.is_empty() {
            on_files.run(files);
        }
    };
    view! {
        <section
            class="drop-zone"
            class:dragging=move || dragging.get()
            class:busy=move || busy.get()
            data-testid="drop-zone"
            on:dragenter=over
            on:dragover=over
            on:dragleave=move |_| dragging.set(false)
            on:drop=drop
        >
            <p class="drop-title">"Drop JSONL files here"</p>
            <p class="drop-hint">"One JSON object per line; the text field is detected."</p>
            <div class="drop-actions">
                <label class="button">
                    "Choose files…"
                    <input
                        type="file"
                        multiple
                        accept=".jsonl,.json,.ndjson,.txt"
                        data-testid="file-input"
                        prop:disabled=move || busy.get()
                        on:change=picked
                    />
                </label>
                <button
                    class="button secondary"
                    data-testid="demo-button"
                    disabled=move || busy.get()
                    on:click=move |_| on_demo.run(())
                >
                    "Load the demo corpus"
                </button>
            </div>
        </section>
    }
}
