//! Recomputing a complete corpus when its settings change, in the background
//! and only what depends on the change: a new banding re-clusters the stored
//! MinHash signatures; a new tokenizer recounts the stored documents (their
//! duplicates and embeddings do not depend on it and are kept).
//!
//! Either way the new report lands with the corpus record in one
//! transaction: an interrupted recompute leaves the corpus as it was.

use crate::app::AppState;
use crate::components::status::Status;
use crate::error::AppError;
use crate::ingest::replay;
use crate::search::SearchStatus;
use crate::storage::{CorpusRecord, ReportRecord, Storage, DB_NAME};
use crate::tokenizers::tokenizer_json;
use crate::worker::protocol::{explorer, ingestion};
use crate::worker::WorkerClient;
use corpuscope_core::progress::{Progress, Stage};
use leptos::prelude::*;

async fn stored_report(storage: &Storage, corpus: &CorpusRecord) -> Result<ReportRecord, AppError> {
    storage
        .report(&corpus.id)
        .await?
        .ok_or_else(|| AppError::Storage(format!("{} has no report to recompute", corpus.name)))
}

/// The corpus re-clustered under `bands` × `rows`, by the search worker,
/// which holds it open with its signatures and sources.
async fn reband(
    storage: &Storage,
    worker: &mut WorkerClient,
    corpus: &mut CorpusRecord,
    bands: usize,
    rows: usize,
) -> Result<ReportRecord, AppError> {
    let record = stored_report(storage, corpus).await?;
    let json = worker
        .ask(explorer::Reband {
            bands: bands as u32,
            rows: rows as u32,
        })
        .await?;
    corpus.dedup.minhash.bands = bands;
    corpus.dedup.minhash.rows = rows;
    Ok(ReportRecord { json, ..record })
}

/// The corpus recounted with the tokenizer called `tokenizer`.
async fn recount(
    storage: &Storage,
    worker: &mut WorkerClient,
    corpus: &mut CorpusRecord,
    tokenizer: &str,
    mut progress: impl FnMut(u64),
) -> Result<ReportRecord, AppError> {
    let record = stored_report(storage, corpus).await?;
    worker
        .use_tokenizer(tokenizer, || tokenizer_json(storage, tokenizer))
        .await?;
    worker
        .ask(ingestion::Start {
            params: corpus.dedup,
            embed: false,
        })
        .await?;
    let counts = replay(storage, worker, corpus, &mut progress).await?;
    let ingestion::Reported {
        json, signatures, ..
    } = worker.ask(ingestion::Report).await?;
    corpus.tokenizer = tokenizer.to_string();
    corpus.tokens = counts.iter().map(|&t| u64::from(t)).sum();
    Ok(ReportRecord {
        json,
        signatures,
        token_counts: Some(counts.iter().flat_map(|t| t.to_le_bytes()).collect()),
        ..record
    })
}

/// What to change.
#[derive(Debug, Clone)]
pub enum Change {
    Banding { bands: usize, rows: usize },
    Tokenizer(String),
}

impl AppState {
    /// The search worker once it holds `corpus` open and is free (it may
    /// still be reading the corpus, or serving a query).
    async fn explorer_worker(&self, corpus: &CorpusRecord) -> Result<WorkerClient, AppError> {
        loop {
            let open = self
                .open_corpus
                .with_untracked(|c| c.as_ref().map(|c| c.id.clone()));
            if open.as_deref() != Some(corpus.id.as_str()) {
                return Err(AppError::Worker(format!(
                    "{} must be open to change its banding",
                    corpus.name
                )));
            }
            match self.search.get_untracked() {
                SearchStatus::Failed(why) => return Err(AppError::Worker(why)),
                SearchStatus::Off => {
                    return Err(AppError::Worker(format!("{} is not open", corpus.name)))
                }
                SearchStatus::Ready { .. } => {
                    if let Some(worker) = self.searcher.try_update_value(Option::take).flatten() {
                        return Ok(worker);
                    }
                }
                SearchStatus::Opening => {}
            }
            crate::files::sleep_ms(50).await;
        }
    }

    /// Recomputes a complete corpus for `change` in the background, then
    /// opens it again.
    pub fn recompute(self, corpus: CorpusRecord, change: Change) {
        self.status.set(Status::Starting(corpus.name.clone()));
        leptos::task::spawn_local(async move {
            let mut updated = corpus.clone();
            let result = async {
                let storage = Storage::open(DB_NAME).await?;
                let started = crate::worker::now_ms();
                let mut status = Progress::start(corpus.name.clone(), 0, started);
                status.stage = Stage::Tokenizing;
                let total = corpus.documents;
                let record = match &change {
                    Change::Banding { bands, rows } => {
                        let mut worker = self.explorer_worker(&corpus).await?;
                        let record =
                            reband(&storage, &mut worker, &mut updated, *bands, *rows).await;
                        self.give_back(worker);
                        record
                    }
                    Change::Tokenizer(name) => {
                        let mut pool = self.take_pool();
                        let record =
                            recount(&storage, pool.primary(), &mut updated, name, |done| {
                                status.documents = done;
                                status.bytes_done = done;
                                status.bytes_total = total;
                                status.now_ms = crate::worker::now_ms();
                                self.status.set(Status::Working(status.clone()));
                            })
                            .await;
                        self.workers.set_value(Some(pool));
                        record
                    }
                };
                let stored = match record {
                    Ok(record) => storage.finish_corpus(&updated, Some(&record)).await,
                    Err(e) => Err(e),
                };
                storage.close();
                stored
            }
            .await;
            match result {
                Ok(()) => {
                    self.status.set(Status::Note(match &change {
                        Change::Banding { bands, rows } => format!(
                            "{}: near duplicates found again with {bands} bands × {rows} rows.",
                            corpus.name
                        ),
                        Change::Tokenizer(name) => {
                            format!("{}: tokens counted again with {name}.", corpus.name)
                        }
                    }));
                    self.open(updated);
                }
                Err(e) => self.status.set(Status::Failed(e.to_string())),
            }
            if let Err(e) = self.refresh().await {
                self.status.set(Status::Failed(e.to_string()));
            }
        });
    }
}
