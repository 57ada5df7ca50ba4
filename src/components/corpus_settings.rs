//! The open corpus's settings: its tokenizer and its LSH banding. Changing
//! one recomputes, in the background, only what depends on it.

use crate::app::AppState;
use crate::components::status::Status;
use crate::recompute::Change;
use crate::storage::CorpusRecord;
use corpuscope_core::dedup::banding_threshold;
use corpuscope_core::tokenize::BUNDLED_TOKENIZERS;
use leptos::prelude::*;

/// Rows per band offered; the bands are as many as fit in K.
const ROWS: &[usize] = &[2, 3, 4, 5, 6, 7, 8, 10, 12, 14, 16, 20];

/// `(bands, rows)` choices for signatures of `num_perm` values.
fn bandings(num_perm: usize) -> Vec<(usize, usize)> {
    ROWS.iter()
        .filter(|&&r| r <= num_perm)
        .map(|&r| (num_perm / r, r))
        .collect()
}

#[component]
pub fn CorpusSettings(corpus: CorpusRecord) -> impl IntoView {
    let state = expect_context::<AppState>();
    let busy = move || state.status.with(Status::is_busy);
    let m = corpus.dedup.minhash;
    let tokenizer = RwSignal::new(corpus.tokenizer.clone());
    let banding = RwSignal::new(format!("{}x{}", m.bands, m.rows));
    let mut names: Vec<String> = BUNDLED_TOKENIZERS
        .iter()
        .map(|t| t.name.to_string())
        .collect();
    names.extend(state.user_tokenizers.get_untracked());
    if !names.contains(&corpus.tokenizer) {
        names.push(corpus.tokenizer.clone());
    }
    let tokenizer_options = names
        .into_iter()
        .map(|n| view! { <option value=n.clone()>{n.clone()}</option> })
        .collect_view();
    let banding_options = bandings(m.num_perm)
        .into_iter()
        .map(|(b, r)| {
            let label = format!(
                "{b} bands × {r} rows (Jaccard ≈ {:.2})",
                banding_threshold(b, r)
            );
            view! { <option value=format!("{b}x{r}")>{label}</option> }
        })
        .collect_view();
    let (for_count, for_band) = (corpus.clone(), corpus.clone());
    let recount = move |_| {
        let name = tokenizer.get_untracked();
        if name != for_count.tokenizer {
            state.recompute(for_count.clone(), Change::Tokenizer(name));
        }
    };
    let reband = move |_| {
        let chosen = banding.get_untracked();
        let Some((b, r)) = chosen.split_once('x') else {
            return;
        };
        let (Ok(bands), Ok(rows)) = (b.parse(), r.parse()) else {
            return;
        };
        let now = for_band.dedup.minhash;
        if (bands, rows) != (now.bands, now.rows) {
            state.recompute(for_band.clone(), Change::Banding { bands, rows });
        }
    };
    let verified = corpus.dedup.verify_threshold.is_some();
    view! {
        <div class="corpus-settings" data-testid="corpus-settings">
            <label>
                "Tokenizer "
                <select
                    data-testid="recount-tokenizer"
                    prop:value=move || tokenizer.get()
                    on:change=move |ev| tokenizer.set(event_target_value(&ev))
                >
                    {tokenizer_options}
                </select>
            </label>
            <button class="button secondary" data-testid="recount" on:click=recount disabled=busy>
                "Count again"
            </button>
            <label>
                "Near-duplicate banding "
                <select
                    data-testid="banding"
                    prop:value=move || banding.get()
                    on:change=move |ev| banding.set(event_target_value(&ev))
                    disabled=verified
                >
                    {banding_options}
                </select>
            </label>
            <button class="button secondary" data-testid="reband" on:click=reband disabled=move || busy() || verified>
                "Find again"
            </button>
        </div>
    }
}
