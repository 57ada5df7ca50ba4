//! Share links: the page's query string follows the open corpus and its
//! view (the engine's [`ViewState`]), and a link opened later reproduces
//! them. A link's data URL is fetched only once the user confirms it.

use crate::app::AppState;
use crate::components::status::Status;
use crate::files::Source;
use crate::ingest::{new_corpus, Input};
use crate::search::{answer_of, document_of, members_of, SearchStatus};
use crate::storage::{CorpusRecord, CorpusState};
use crate::worker::protocol::explorer;
use corpuscope_core::cluster_list::ClusterKind;
use corpuscope_core::dedup::check_banding;
use corpuscope_core::share::{View, ViewState};
use corpuscope_core::vectors::{SearchFilter, SearchMode};
use leptos::prelude::*;

/// The state the page's address carries now.
pub fn read_address() -> ViewState {
    let Some(search) = web_sys::window().and_then(|w| w.location().search().ok()) else {
        return ViewState::default();
    };
    let Ok(params) = web_sys::UrlSearchParams::new_with_str(&search) else {
        return ViewState::default();
    };
    let mut pairs = Vec::new();
    for key in [
        "data",
        "corpus",
        "tokenizer",
        "bands",
        "rows",
        "view",
        "clusters",
        "cluster",
        "q",
        "mode",
        "doc",
    ] {
        if let Some(value) = params.get(key) {
            pairs.push((key, value));
        }
    }
    ViewState::from_pairs(pairs.iter().map(|(k, v)| (*k, v.as_str())))
}

/// Replaces the page's address (not its history) with one carrying `state`.
fn write_address(state: &ViewState) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Ok(params) = web_sys::UrlSearchParams::new() else {
        return;
    };
    for (key, value) in state.to_pairs() {
        params.append(key, &value);
    }
    let query = String::from(params.to_string());
    let path = window.location().pathname().unwrap_or_default();
    let hash = window.location().hash().unwrap_or_default();
    let url = if query.is_empty() {
        format!("{path}{hash}")
    } else {
        format!("{path}?{query}{hash}")
    };
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

/// The link to the page as it is now.
pub fn current_link() -> String {
    web_sys::window()
        .and_then(|w| w.location().href().ok())
        .unwrap_or_default()
}

/// Scrolls the section of `view` into sight.
pub fn scroll_to(view: View) {
    request_animation_frame(move || {
        if let Some(el) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(view.name()))
        {
            el.scroll_into_view();
        }
    });
}

impl AppState {
    /// What the address should carry for the open corpus and view.
    fn view_state(self) -> Option<ViewState> {
        let corpus = self.open_corpus.get()?;
        let m = corpus.dedup.minhash;
        let (kind, cluster) = match self.open_cluster.get() {
            Some((kind, id, _)) => (Some(kind), Some(id)),
            None => (
                Some(self.dup_kind.get()).filter(|k| *k != ClusterKind::Near),
                None,
            ),
        };
        let answer = self.answer.get().and_then(Result::ok);
        Some(ViewState {
            data: corpus.url.clone(),
            corpus: Some(corpus.id.clone()),
            tokenizer: Some(corpus.tokenizer.clone()),
            banding: Some(self.banding.get().unwrap_or((m.bands, m.rows))),
            view: self.view.get(),
            clusters: kind,
            cluster,
            query: answer.as_ref().map(|a| a.query.clone()),
            mode: answer.as_ref().map(|a| a.mode),
            doc: self.open_document.get().and_then(Result::ok).map(|d| d.doc),
        })
    }

    /// Keeps the address in step with the open corpus and view. Until a
    /// link's corpus opens, the link stays in the address.
    pub fn follow_address(self) {
        Effect::new(move |_| match self.view_state() {
            Some(state) => write_address(&state),
            None => {
                let waiting = self.pending_view.with_value(Option::is_some)
                    || self.link.with(Option::is_some);
                if !waiting {
                    write_address(&ViewState::default());
                }
            }
        });
    }

    /// Opens what the address names, once the library is read: a stored
    /// corpus at once; data not yet loaded only after the user confirms.
    pub fn open_address(self, link: ViewState) {
        if !link.has_data() {
            return;
        }
        let corpora = self.corpora.get_untracked();
        let complete = |c: &&CorpusRecord| c.state == CorpusState::Complete;
        let by_id = link
            .corpus
            .as_ref()
            .and_then(|id| corpora.iter().filter(complete).find(|c| &c.id == id));
        let by_url = || {
            let url = link.data.as_ref()?;
            corpora.iter().filter(complete).find(|c| {
                c.url.as_ref() == Some(url)
                    && link.tokenizer.as_ref().is_none_or(|t| t == &c.tokenizer)
            })
        };
        if let Some(corpus) = by_id.or_else(by_url) {
            let corpus = corpus.clone();
            self.pending_view.set_value(Some(link));
            self.open(corpus);
        } else if link.data.is_some() {
            self.link.set(Some(link));
        } else {
            self.pending_view.set_value(None);
            self.status.set(Status::Failed(
                "The link names a corpus loaded from a local file in another browser: drop the same file here to see it.".into(),
            ));
        }
    }

    /// Loads the data of the link the user confirmed, with its settings.
    pub fn confirm_link(self) {
        let Some(link) = self.link.get_untracked() else {
            return;
        };
        self.link.set(None);
        let Some(url) = link.data.clone() else {
            return;
        };
        if let Some(name) = &link.tokenizer {
            let known = corpuscope_core::tokenize::BUNDLED_TOKENIZERS
                .iter()
                .any(|t| t.name == name)
                || self.user_tokenizers.with_untracked(|u| u.contains(name));
            if known {
                self.tokenizer.set(name.clone());
            } else {
                self.status.set(Status::Failed(format!(
                    "The link asks for the tokenizer {name}, which this browser does not have: drop its tokenizer.json, then open the link again."
                )));
                return;
            }
        }
        let inputs = vec![Input {
            name: corpuscope_core::remote::file_name(&url),
            source: Source::Url(url),
        }];
        let mut corpus = new_corpus(&inputs, &self.tokenizer.get_untracked());
        if let Some((bands, rows)) = link.banding {
            if check_banding(corpus.dedup.minhash.num_perm, bands, rows).is_ok() {
                corpus.dedup.minhash.bands = bands;
                corpus.dedup.minhash.rows = rows;
            }
        }
        self.pending_view.set_value(Some(link));
        self.load(corpus, inputs);
    }

    /// Drops the link without loading anything.
    pub fn dismiss_link(self) {
        self.link.set(None);
        self.pending_view.set_value(None);
        write_address(&ViewState::default());
    }

    /// Shows a link's view of the corpus just opened: its tab, banding,
    /// cluster, query and document, one worker request after another.
    pub(crate) async fn apply_view(self, link: ViewState) {
        self.view.set(link.view);
        if let Some(kind) = link.clusters {
            self.dup_kind.set(kind);
        }
        let stored = self
            .open_corpus
            .get_untracked()
            .map(|c| (c.dedup.minhash.bands, c.dedup.minhash.rows));
        let preview = link.banding.filter(|b| Some(*b) != stored);
        self.banding.set(preview);
        let Some(mut worker) = self.searcher.try_update_value(Option::take).flatten() else {
            return;
        };
        if let (Some(kind), Some(id)) = (link.clusters, link.cluster) {
            if let (ClusterKind::Near, Some((b, r))) = (kind, preview) {
                // The worker must hold the previewed clusters first.
                let banding = Some((b as u32, r as u32));
                let _ = worker.ask(explorer::Clusters { kind, banding }).await;
            }
            let members = members_of(&mut worker, kind, id).await;
            self.open_cluster.set(Some((kind, id, members)));
        }
        if let Some(query) = link.query {
            let semantic = matches!(
                self.search.get_untracked(),
                SearchStatus::Ready { semantic: true }
            );
            let mode = match link.mode.unwrap_or_default() {
                _ if !semantic => SearchMode::Keyword,
                mode => mode,
            };
            let answer = answer_of(&mut worker, query, mode, SearchFilter::default()).await;
            self.answer.set(Some(answer));
        }
        if let Some(doc) = link.doc {
            self.open_document
                .set(Some(document_of(&mut worker, doc).await));
        }
        self.give_back(worker);
        scroll_to(link.view);
    }
}
