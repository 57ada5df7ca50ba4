//! A share link whose data is not in this browser's library: what it would
//! load, and with what, before anything is fetched.

use crate::app::AppState;
use leptos::prelude::*;

#[component]
pub fn LinkPrompt() -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        state.link.get().map(|link| {
            let data = link.data.clone().unwrap_or_default();
            let mut settings = Vec::new();
            if let Some(t) = &link.tokenizer {
                settings.push(format!("tokenizer {t}"));
            }
            if let Some((b, r)) = link.banding {
                settings.push(format!("{b} bands × {r} rows"));
            }
            settings.push(format!("opening the {} view", link.view.name()));
            view! {
                <section class="link-prompt" role="alertdialog" aria-labelledby="link-prompt-title" data-testid="link-prompt">
                    <h2 id="link-prompt-title">"Load the data of this link?"</h2>
                    <p>
                        "The link asks to fetch " <code data-testid="link-data">{data}</code>
                        " and analyse it here (" {settings.join(", ")} "). Nothing is fetched until you say so."
                    </p>
                    <div class="actions">
                        <button class="button" data-testid="link-load" autofocus on:click=move |_| state.confirm_link()>"Load it"</button>
                        <button class="link" data-testid="link-dismiss" on:click=move |_| state.dismiss_link()>"No, thanks"</button>
                    </div>
                </section>
            }
        })
    }
}
