//! A pool of engine workers for ingestion: the first parses each slice and
//! keeps the report; every worker analyses a share of the slice's documents
//! (tokenize, measure, hash, embed), in parallel when the machine has cores.

use crate::error::AppError;
use crate::worker::protocol::{ingestion, setup};
use crate::worker::{now_ms, WorkerClient};
use corpuscope_core::dedup::DedupParams;
use corpuscope_core::ingest::FileReport;
use corpuscope_core::pipeline::{Analyzed, Parsed};
use corpuscope_core::vectors::Vectors;
use corpuscope_core::{Document, Problem};
use futures::future::join_all;

/// Most workers a pool starts, whatever the machine.
const MAX_WORKERS: usize = 4;

/// One slice's outcome: documents with their token counts, problems, the
/// file's report when it ended, and the documents' embeddings.
pub struct Batch {
    pub documents: Vec<(Document, u32)>,
    pub problems: Vec<Problem>,
    pub file: Option<FileReport>,
    pub vectors: Option<Vectors>,
}

/// Milliseconds the main thread waited on each stage of ingestion since the
/// pool was spawned: reading slices, parsing them (primary), analysing them
/// (all workers), adding facts to the report (primary), storing batches
/// (while the next slice is read and analysed, so it overlaps those), the
/// report at the end.
#[derive(Clone, Copy, Debug, Default)]
pub struct StageTimes {
    pub read: f64,
    pub parse: f64,
    pub analyse: f64,
    /// Summed over the workers: their own time analysing, without messaging.
    pub analyse_busy: f64,
    pub add: f64,
    pub store: f64,
    pub report: f64,
}

impl StageTimes {
    /// One line for the console: each stage in whole seconds.
    pub fn line(&self) -> String {
        format!(
            "read {:.1} s, parse {:.1} s, analyse {:.1} s (workers busy {:.1} s), add {:.1} s, store {:.1} s (overlapping), report {:.1} s",
            self.read / 1e3,
            self.parse / 1e3,
            self.analyse / 1e3,
            self.analyse_busy / 1e3,
            self.add / 1e3,
            self.store / 1e3,
            self.report / 1e3
        )
    }
}

/// Engine workers; the first is the primary.
pub struct Pool {
    workers: Vec<WorkerClient>,
    pub times: StageTimes,
}

/// Workers for this machine: one per logical core, at least one, at most
/// [`MAX_WORKERS`].
fn size() -> usize {
    let cores = web_sys::window().map_or(1.0, |w| w.navigator().hardware_concurrency());
    (cores as usize).clamp(1, MAX_WORKERS)
}

impl Pool {
    /// Spawns a pool sized for this machine.
    pub fn spawn() -> Self {
        Self {
            workers: (0..size()).map(|_| WorkerClient::spawn()).collect(),
            times: StageTimes::default(),
        }
    }

    /// How many workers.
    pub fn len(&self) -> usize {
        self.workers.len()
    }

    /// Whether there is none (never: a pool has its primary).
    pub fn is_empty(&self) -> bool {
        self.workers.is_empty()
    }

    /// The worker that parses, keeps the report, previews and searches.
    pub fn primary(&mut self) -> &mut WorkerClient {
        &mut self.workers[0]
    }

    /// Gives every worker the tokenizer called `name` (`json` fetches its
    /// `tokenizer.json` once, when one lacks it).
    pub async fn use_tokenizer<F>(
        &mut self,
        name: &str,
        json: impl FnOnce() -> F,
    ) -> Result<(), AppError>
    where
        F: std::future::Future<Output = Result<Vec<u8>, AppError>>,
    {
        if self.workers.iter().all(|w| w.holds_tokenizer(name)) {
            return Ok(());
        }
        let bytes = json().await?;
        for worker in &mut self.workers {
            let bytes = bytes.clone();
            worker.use_tokenizer(name, || async { Ok(bytes) }).await?;
        }
        Ok(())
    }

    /// Gives every worker the embedding model, fetched once.
    pub async fn use_model(&mut self) -> Result<(), AppError> {
        if self.workers.iter().all(WorkerClient::holds_model) {
            return Ok(());
        }
        let files = crate::embeddings::model_files().await?;
        for worker in &mut self.workers {
            let files = files.clone();
            worker.use_model(|| async { Ok(files) }).await?;
        }
        Ok(())
    }

    /// Each worker's WebAssembly memory in bytes (its peak: it never shrinks).
    pub async fn memory(&mut self) -> Vec<f64> {
        let mut sizes = Vec::with_capacity(self.workers.len());
        for worker in &mut self.workers {
            if let Ok(bytes) = worker.ask(setup::Memory).await {
                sizes.push(bytes);
            }
        }
        sizes
    }

    /// Starts a run on every worker.
    pub async fn start(&mut self, params: DedupParams, embed: bool) -> Result<(), AppError> {
        for worker in &mut self.workers {
            worker.ask(ingestion::Start { params, embed }).await?;
        }
        Ok(())
    }

    /// Starts a file on the primary.
    pub async fn begin(&mut self, begin: ingestion::Begin) -> Result<(), AppError> {
        self.workers[0].ask(begin).await
    }

    /// Parses a slice (`Some`) or the file's end (`None`) in the primary,
    /// analyses its documents across the pool, and adds them to the report.
    pub async fn step(&mut self, slice: Option<Vec<u8>>) -> Result<Batch, AppError> {
        let started = now_ms();
        let primary = &mut self.workers[0];
        let parsed = match slice {
            Some(bytes) => primary.ask(ingestion::Chunk { bytes }).await?,
            None => primary.ask(ingestion::Finish).await?,
        };
        let Parsed {
            documents,
            problems,
            file,
        } = parsed;
        let parsed = now_ms();
        // Contiguous shares, in order, one per worker: the primary keeps the
        // first (it holds the documents already), the others are sent theirs.
        let share = documents.len().div_ceil(self.workers.len()).max(1);
        let held = share.min(documents.len());
        let (first, rest) = self.workers.split_at_mut(1);
        let own = first[0].ask(ingestion::AnalyzeHeld { count: held as u32 });
        let others = join_all(rest.iter_mut().zip(documents[held..].chunks(share)).map(
            |(w, share)| {
                w.ask(ingestion::Analyze {
                    documents: share.to_vec(),
                })
            },
        ));
        let (own, others) = futures::join!(own, others);
        let own = own?;
        let mut tokens = own.tokens;
        let mut vectors = decode(own.vectors)?;
        self.times.analyse_busy += own.busy_ms;
        let mut sent = Analyzed::default();
        for answer in others {
            let answer = answer?;
            self.times.analyse_busy += answer.busy_ms;
            tokens.extend(answer.tokens);
            sent.append(Analyzed {
                facts: answer.facts,
                vectors: decode(answer.vectors)?,
            })?;
        }
        if let Some(more) = &sent.vectors {
            let all = vectors.get_or_insert_with(|| Vectors::new(more.dim()));
            for row in more.rows() {
                all.push(row)?;
            }
        }
        let analysed = now_ms();
        self.workers[0]
            .ask(ingestion::AddFacts {
                facts: sent.facts,
                vectors: sent
                    .vectors
                    .as_ref()
                    .map(|v| serde_bytes::ByteBuf::from(v.to_bytes())),
                problems: problems.clone(),
                file: file.clone(),
            })
            .await?;
        let added = now_ms();
        self.times.parse += parsed - started;
        self.times.analyse += analysed - parsed;
        self.times.add += added - analysed;
        if tokens.len() != documents.len() {
            return Err(AppError::Worker(format!(
                "{} documents were parsed and {} analysed",
                documents.len(),
                tokens.len()
            )));
        }
        let documents = documents
            .into_iter()
            .zip(tokens)
            .map(|(mut d, t)| {
                // Stored apart, with the batch's vectors.
                d.vector = None;
                (d, t)
            })
            .collect();
        Ok(Batch {
            documents,
            problems,
            file,
            vectors,
        })
    }
}

/// Vectors as a message carries them (`Vectors::to_bytes`).
fn decode(bytes: Option<serde_bytes::ByteBuf>) -> Result<Option<Vectors>, AppError> {
    Ok(bytes.map(|b| Vectors::from_bytes(&b)).transpose()?)
}
