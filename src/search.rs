//! Searching the open corpus in a worker of its own, so that a search never
//! waits behind an ingestion: its stored vectors, index and texts are handed
//! to the worker once, when the corpus opens.

use crate::app::AppState;
use crate::error::AppError;
use crate::storage::{CorpusRecord, ReportRecord, Storage, DB_NAME};
use crate::worker::protocol::explorer;
use crate::worker::WorkerClient;
use corpuscope_core::cluster_list::ClusterKind;
use corpuscope_core::explore::{DocumentView, Found, MapPoints, Member, StoredDocument};
use corpuscope_core::share::View;
use corpuscope_core::vectors::{SearchFilter, SearchMode, StoredVectors};
use leptos::prelude::*;

/// Documents read from storage and handed to the worker per message.
const PAGE: u32 = 500;

/// Results shown per query.
pub const RESULTS: u32 = 20;

/// Where search stands for the open corpus.
#[derive(Debug, Clone, PartialEq)]
pub enum SearchStatus {
    Off,
    /// Reading the corpus into the search worker.
    Opening,
    /// Ready; `semantic` when the corpus has embeddings.
    Ready {
        semantic: bool,
    },
    Failed(String),
}

/// The answer to the last query.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    pub query: String,
    pub mode: SearchMode,
    pub hits: Vec<Found>,
    pub millis: f64,
}

/// Hands `corpus` to `worker` for search; returns whether it has
/// embeddings, and its vectors' new clusters when the stored ones were of an
/// older rule (stored here in their place).
async fn open_in(
    storage: &Storage,
    worker: &mut WorkerClient,
    corpus: &CorpusRecord,
    record: &ReportRecord,
) -> Result<(bool, Option<StoredVectors>), AppError> {
    let vectors = match &record.vectors {
        Some(stored) => storage
            .vectors(&corpus.id, corpus.documents)
            .await?
            .map(|(dim, data)| (dim, serde_bytes::ByteBuf::from(data), stored.clone())),
        None => None,
    };
    // The document view shows token boundaries under the corpus's tokenizer.
    worker
        .use_tokenizer(&corpus.tokenizer, || {
            crate::tokenizers::tokenizer_json(storage, &corpus.tokenizer)
        })
        .await?;
    // A query can only be embedded in the bundled model's space.
    let semantic = vectors.is_some() && corpus.vector_field.is_none();
    if semantic {
        worker.use_model(crate::embeddings::model_files).await?;
    }
    let upgraded = worker
        .ask(explorer::Open {
            documents: corpus.documents as u32,
            vectors,
            report_json: record.json.clone(),
            signatures: record.signatures.clone(),
        })
        .await?;
    if let Some(vectors) = &upgraded {
        let record = ReportRecord {
            vectors: Some(vectors.clone()),
            ..record.clone()
        };
        storage.finish_corpus(corpus, Some(&record)).await?;
    }
    // Counts under the corpus's current tokenizer, if it changed since loading.
    let recounted: Option<Vec<u32>> = record.token_counts.as_ref().map(|bytes| {
        bytes
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect()
    });
    let mut pages = storage.pages(corpus, PAGE);
    while let Some(page) = pages.next_page().await? {
        let documents = page
            .into_iter()
            .map(|d| StoredDocument {
                tokens: recounted
                    .as_ref()
                    .and_then(|t| t.get(d.seq as usize).copied())
                    .unwrap_or(d.tokens),
                text: d.text,
                source: d.source,
            })
            .collect();
        worker.ask(explorer::Add { documents }).await?;
    }
    worker.ask(explorer::Build).await?;
    Ok((semantic, upgraded))
}

/// Points of the map drawn at most.
const MAP_POINTS: u32 = 4000;

/// The open corpus's map points, when it has embeddings.
async fn map_of(worker: &mut WorkerClient) -> Option<MapPoints> {
    worker.ask(explorer::Map { max: MAP_POINTS }).await.ok()
}

/// What the duplicates list asks for: a kind, and a banding to preview.
pub type ClusterWish = (ClusterKind, Option<(u32, u32)>);

impl AppState {
    /// Returns the search worker, then serves a cluster list asked for
    /// while it was busy.
    pub(crate) fn give_back(self, worker: WorkerClient) {
        self.searcher.set_value(Some(worker));
        let wish = self.cluster_wish.get_untracked();
        let listed = self.clusters.with_untracked(|c| c.as_ref().map(|c| c.0));
        if wish.is_some() && wish != listed {
            self.list_clusters();
        }
    }

    /// Lists the clusters `cluster_wish` asks for, in the search worker; if
    /// it is busy, [`Self::give_back`] lists them when it is free.
    pub fn list_clusters(self) {
        if !matches!(self.search.get_untracked(), SearchStatus::Ready { .. }) {
            return;
        }
        let Some(mut worker) = self.searcher.try_update_value(Option::take).flatten() else {
            return;
        };
        leptos::task::spawn_local(async move {
            // Serve the newest wish: a slider may move while one is listed.
            while let Some(wish) = self.cluster_wish.get_untracked() {
                let (kind, banding) = wish;
                let answer = worker.ask(explorer::Clusters { kind, banding }).await;
                if self.cluster_wish.get_untracked() != Some(wish) {
                    continue;
                }
                let list = answer.map_err(|e| e.to_string());
                self.clusters.set(Some((wish, list)));
                break;
            }
            self.searcher.set_value(Some(worker));
        });
    }

    /// Prepares the search of `corpus` in the background.
    pub(crate) fn open_search(self, corpus: CorpusRecord, record: ReportRecord) {
        self.search.set(SearchStatus::Opening);
        self.answer.set(None);
        self.map.set(None);
        let embedded = record.vectors.is_some();
        leptos::task::spawn_local(async move {
            let mut worker = self
                .searcher
                .try_update_value(Option::take)
                .flatten()
                .unwrap_or_else(WorkerClient::spawn);
            let result = async {
                let storage = Storage::open(DB_NAME).await?;
                let opened = open_in(&storage, &mut worker, &corpus, &record).await;
                storage.close();
                opened
            }
            .await;
            if result.is_ok() && embedded {
                self.map.set(map_of(&mut worker).await);
            }
            self.give_back(worker);
            let ready = result.is_ok();
            self.search.set(match result {
                Ok((semantic, upgraded)) => {
                    if let Some(vectors) = upgraded {
                        self.show_semantic(Some(&vectors));
                    }
                    SearchStatus::Ready { semantic }
                }
                Err(e) => SearchStatus::Failed(e.to_string()),
            });
            // A share link's view is shown once the corpus is open here.
            if let Some(view) = self.pending_view.try_update_value(Option::take).flatten() {
                if ready {
                    self.apply_view(view).await;
                } else {
                    self.view.set(view.view);
                }
            }
        });
    }

    /// Opens document `doc` of the open corpus in the document view.
    pub fn show_document(self, doc: u32) {
        let Some(mut worker) = self.searcher.try_update_value(Option::take).flatten() else {
            return;
        };
        leptos::task::spawn_local(async move {
            let view = document_of(&mut worker, doc).await;
            self.give_back(worker);
            self.open_document.set(Some(view));
            self.view.set(View::Document);
        });
    }

    /// Shows the members of a cluster, compared in the search worker.
    pub fn show_cluster(self, kind: ClusterKind, id: u32) {
        let Some(mut worker) = self.searcher.try_update_value(Option::take).flatten() else {
            return;
        };
        leptos::task::spawn_local(async move {
            let members = members_of(&mut worker, kind, id).await;
            self.give_back(worker);
            self.open_cluster.set(Some((kind, id, members)));
            self.view.set(View::Duplicates);
        });
    }

    /// Runs one query in the search worker; ignored while another runs.
    pub fn run_search(self, query: String, mode: SearchMode, filter: SearchFilter) {
        let Some(mut worker) = self.searcher.try_update_value(Option::take).flatten() else {
            return;
        };
        self.searching.set(true);
        leptos::task::spawn_local(async move {
            let answer = answer_of(&mut worker, query, mode, filter).await;
            self.give_back(worker);
            self.searching.set(false);
            self.answer.set(Some(answer));
            self.view.set(View::Search);
        });
    }
}

/// Document `doc` with its token boundaries, clusters and neighbours.
pub(crate) async fn document_of(
    worker: &mut WorkerClient,
    doc: u32,
) -> Result<DocumentView, String> {
    match worker.ask(explorer::Document { doc }).await {
        Ok(view) => Ok(*view),
        Err(e) => Err(e.to_string()),
    }
}

/// The members of cluster `id` of `kind`, each beside the representative.
pub(crate) async fn members_of(
    worker: &mut WorkerClient,
    kind: ClusterKind,
    id: u32,
) -> Result<Vec<Member>, String> {
    worker
        .ask(explorer::Cluster { kind, id })
        .await
        .map_err(|e| e.to_string())
}

/// The best [`RESULTS`] documents for `query`.
pub(crate) async fn answer_of(
    worker: &mut WorkerClient,
    query: String,
    mode: SearchMode,
    filter: SearchFilter,
) -> Result<Answer, String> {
    let found = worker
        .ask(explorer::Search {
            mode,
            query: query.clone(),
            k: RESULTS,
            filter,
        })
        .await
        .map_err(|e| e.to_string())?;
    Ok(Answer {
        query,
        mode,
        hits: found.hits,
        millis: found.millis,
    })
}
