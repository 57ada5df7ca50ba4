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
use crate::storage::{CorpusRecord, ReportRecord, Storage, DB_NAME};
use crate::tokenizers::tokenizer_json;
use crate::worker::{Request, Response, WorkerClient};
use corpuscope_core::progress::{Progress, Stage};
use leptos::prelude::*;

/// Documents read per page for their sources.
const PAGE: u32 = 5000;

/// Each document's source, in order.
async fn sources(storage: &Storage, corpus: &CorpusRecord) -> Result<Vec<String>, AppError> {
    let mut out = Vec::with_capacity(corpus.documents as usize);
    while (out.len() as u64) < corpus.documents {
        let page = storage
            .documents_from(&corpus.id, out.len() as u64, PAGE)
            .await?;
        if page.is_empty() {
            break;
        }
        out.extend(page.into_iter().map(|d| d.source));
    }
    Ok(out)
}

async fn stored_report(storage: &Storage, corpus: &CorpusRecord) -> Result<ReportRecord, AppError> {
    storage
        .report(&corpus.id)
        .await?
        .ok_or_else(|| AppError::Storage(format!("{} has no report to recompute", corpus.name)))
}

/// The corpus re-clustered under `bands` × `rows`.
async fn reband(
    storage: &Storage,
    worker: &mut WorkerClient,
    corpus: &mut CorpusRecord,
    bands: usize,
    rows: usize,
) -> Result<ReportRecord, AppError> {
    let record = stored_report(storage, corpus).await?;
    let sources = sources(storage, corpus).await?;
    let Response::Report { json, .. } = worker
        .call(Request::Reband {
            report_json: record.json.clone(),
            signatures: record.signatures.clone(),
            sources,
            bands: bands as u32,
            rows: rows as u32,
        })
        .await?
    else {
        return Err(AppError::Worker("unexpected answer to a re-banding".into()));
    };
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
        .call(Request::Start {
            params: corpus.dedup,
            embed: false,
        })
        .await?;
    let counts = replay(storage, worker, corpus, &mut progress).await?;
    let Response::Report {
        json, signatures, ..
    } = worker.call(Request::Report).await?
    else {
        return Err(AppError::Worker("unexpected answer to a report".into()));
    };
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
    /// Recomputes a complete corpus for `change` in the background, then
    /// opens it again.
    pub fn recompute(self, corpus: CorpusRecord, change: Change) {
        self.status.set(Status::Starting(corpus.name.clone()));
        leptos::task::spawn_local(async move {
            let mut updated = corpus.clone();
            let result = async {
                let storage = Storage::open(DB_NAME).await?;
                let mut pool = self.take_pool();
                let worker = pool.primary();
                let started = crate::worker::now_ms();
                let mut status = Progress::start(corpus.name.clone(), 0, started);
                status.stage = Stage::Tokenizing;
                let total = corpus.documents;
                let record = match &change {
                    Change::Banding { bands, rows } => {
                        reband(&storage, worker, &mut updated, *bands, *rows).await
                    }
                    Change::Tokenizer(name) => {
                        recount(&storage, worker, &mut updated, name, |done| {
                            status.documents = done;
                            status.bytes_done = done;
                            status.bytes_total = total;
                            status.now_ms = crate::worker::now_ms();
                            self.status.set(Status::Working(status.clone()));
                        })
                        .await
                    }
                };
                self.workers.set_value(Some(pool));
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
