//! Where files come in: drag and drop, a file picker, and the demo button.

use crate::app::AppState;
use crate::error::AppError;
use corpuscope_core::ingest::is_data_file_name;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DragEvent, FileList, HtmlInputElement};

/// Turns a browser `FileList` into a vector of files.
pub fn files_of(list: Option<FileList>) -> Vec<web_sys::File> {
    let Some(list) = list else { return Vec::new() };
    (0..list.length()).filter_map(|i| list.get(i)).collect()
}

/// The files picked in the `<input type=file>` that fired `ev`, which is reset.
pub fn picked_files(ev: &web_sys::Event) -> Vec<web_sys::File> {
    let Some(input) = ev
        .target()
        .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
    else {
        return Vec::new();
    };
    let files = files_of(input.files());
    input.set_value("");
    files
}

/// A file's path inside a picked folder (`webkitRelativePath`), else its name.
pub fn path_of(file: &web_sys::File) -> String {
    js_sys::Reflect::get(file, &"webkitRelativePath".into())
        .ok()
        .and_then(|v| v.as_string())
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| file.name())
}

/// The drop zone. Disabled while `busy`.
#[component]
pub fn DropZone(
    /// Whether a run is going on.
    busy: Signal<bool>,
) -> impl IntoView {
    let state = expect_context::<AppState>();
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
        let Some(transfer) = ev.data_transfer() else {
            return;
        };
        // A dropped folder is walked; its entries must be taken now.
        if let Some(entries) = crate::dropped::folder_entries(&transfer) {
            state.spawn(async move {
                let files = crate::dropped::walk(entries, is_data_file_name)
                    .await
                    .map_err(|reason| AppError::Read {
                        file: "the dropped folder".into(),
                        reason,
                    })?;
                if !files.is_empty() {
                    state.named_files_given(files);
                }
                Ok(())
            });
            return;
        }
        let files = files_of(transfer.files());
        if !files.is_empty() {
            state.files_given(files);
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
            <p class="drop-title">"Drop data files or folders here"</p>
            <p class="drop-hint">
                "JSONL, JSON, CSV/TSV, Parquet or plain text, also .gz or .zst; the text and source columns are detected and can be changed. Several files make one corpus. "
                "A file named " <code>"tokenizer.json"</code> " adds a tokenizer."
            </p>
            <div class="drop-actions">
                <label class="button">
                    "Choose files…"
                    <input
                        type="file"
                        multiple
                        data-testid="file-input"
                        prop:disabled=move || busy.get()
                        on:change=move |ev| {
                            let files = picked_files(&ev);
                            if !files.is_empty() {
                                state.files_given(files);
                            }
                        }
                    />
                </label>
                <label class="button secondary" title="Every data file in a folder and its subfolders">
                    "Choose a folder…"
                    <input
                        type="file"
                        prop:webkitdirectory=true
                        data-testid="folder-input"
                        prop:disabled=move || busy.get()
                        on:change=move |ev| {
                            let files: Vec<_> = picked_files(&ev)
                                .into_iter()
                                .filter(|f| is_data_file_name(&path_of(f)))
                                .collect();
                            if !files.is_empty() {
                                state.files_given(files);
                            }
                        }
                    />
                </label>
                <button
                    class="button secondary"
                    data-testid="demo-button"
                    disabled=move || busy.get()
                    on:click=move |_| state.demo()
                >
                    "Load the demo corpus"
                </button>
            </div>
        </section>
    }
}
