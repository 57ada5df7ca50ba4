//! Choices made before loading: the tokenizer, and a URL to load from.

use crate::app::AppState;
use corpuscope_core::tokenize::BUNDLED_TOKENIZERS;
use leptos::prelude::*;

/// The tokenizer picker and the URL box.
#[component]
pub fn Settings(
    /// Whether a run is going on (inputs are disabled then).
    busy: Signal<bool>,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let url = RwSignal::new(String::new());
    let submit = move |ev: web_sys::SubmitEvent| {
        ev.prevent_default();
        let link = url.get_untracked();
        if !link.trim().is_empty() {
            state.url_given(link);
        }
    };
    view! {
        <section class="settings">
            <label class="field">
                <span>"Tokenizer"</span>
                <select
                    data-testid="tokenizer-select"
                    prop:value=move || state.tokenizer.get()
                    prop:disabled=move || busy.get()
                    on:change=move |ev| state.tokenizer.set(event_target_value(&ev))
                >
                    <optgroup label="Bundled">
                        {BUNDLED_TOKENIZERS
                            .iter()
                            .map(|t| {
                                let name = t.name;
                                view! {
                                    <option value=name prop:selected=move || state.tokenizer.get() == name>
                                        {t.description}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </optgroup>
                    <Show when=move || !state.user_tokenizers.get().is_empty()>
                        <optgroup label="Yours">
                            <For each=move || state.user_tokenizers.get() key=|n| n.clone() let:name>
                                <option
                                    value=name.clone()
                                    prop:selected={
                                        let name = name.clone();
                                        move || state.tokenizer.get() == name
                                    }
                                >
                                    {name.clone()}
                                </option>
                            </For>
                        </optgroup>
                    </Show>
                </select>
            </label>
            <form class="field url" on:submit=submit>
                <label for="url-input">"Load from a URL"</label>
                <input
                    id="url-input"
                    type="url"
                    placeholder="https://… or hf://datasets/ORG/NAME/file.jsonl"
                    data-testid="url-input"
                    prop:value=move || url.get()
                    on:input=move |ev| url.set(event_target_value(&ev))
                />
                <button class="button secondary" type="submit" data-testid="url-load" prop:disabled=move || busy.get()>
                    "Load"
                </button>
            </form>
        </section>
    }
}
