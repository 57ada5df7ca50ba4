//! The ingest web worker: reads chunks, then tokenizes, measures and hashes
//! each document off the main thread, keeping the corpus report as it goes.
//!
//! Protocol: one [`Request`] in, one [`Response`] out, in order. The main
//! thread sends the tokenizer once, `Start` per corpus run, then per file
//! `Begin`, its chunks and `Finish`, and at the end `Report`.

use corpuscope_core::analyze::Analyzer;
use corpuscope_core::dedup::DedupParams;
use corpuscope_core::ingest::{preview, Batch, FieldChoice, FileReader, FileReport, ReadOptions};
use corpuscope_core::report::ReportBuilder;
use corpuscope_core::tokenize::TokenCounter;
use corpuscope_core::{Document, Problem};
use futures::channel::mpsc;
use futures::StreamExt;
use gloo_worker::{HandlerId, Spawnable, Worker, WorkerBridge, WorkerScope};
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// A message to the worker.
#[derive(Debug, Serialize, Deserialize)]
pub enum Request {
    /// Load a tokenizer from a `tokenizer.json`.
    LoadTokenizer { name: String, json: Vec<u8> },
    /// Start a corpus run: a new report, with these dedup parameters.
    Start { params: DedupParams },
    /// Add documents and problems stored by an earlier, interrupted run to
    /// the report (in stored order), and the reports of files it finished.
    Replay {
        documents: Vec<Document>,
        problems: Vec<Problem>,
        files: Vec<FileReport>,
    },
    /// Start a new file, dropping its first `skip_documents` documents and
    /// `skip_problems` problems (stored by an interrupted run and replayed).
    Begin {
        file: String,
        text_field: Option<String>,
        source_field: Option<String>,
        skip_documents: u64,
        skip_problems: u64,
    },
    /// The next slice of the file.
    Chunk { bytes: Vec<u8> },
    /// The file has ended.
    Finish,
    /// The run has ended: build the report.
    Report,
    /// Preview the first bytes of a file (all of it when `whole`).
    Preview {
        file: String,
        bytes: Vec<u8>,
        whole: bool,
        text_field: Option<String>,
        source_field: Option<String>,
    },
}

/// A document with its token count.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CountedDocument {
    pub document: Document,
    pub tokens: u32,
}

/// The worker's answer to one request.
#[derive(Debug, Serialize, Deserialize)]
pub enum Response {
    Ready,
    Batch {
        documents: Vec<CountedDocument>,
        problems: Vec<Problem>,
        /// Set when the file ended.
        file: Option<FileReport>,
    },
    /// The corpus report as JSON (the CLI's schema) and the signatures bytes.
    Report {
        json: String,
        signatures: Vec<u8>,
    },
    /// A `corpuscope_core::ingest::Preview` as JSON (its records hold
    /// arbitrary JSON values, which the worker channel's codec cannot carry).
    Preview {
        json: String,
    },
    Failed(String),
}

/// The worker's state: a tokenizer, the current run's report, the current file.
#[derive(Default)]
pub struct IngestWorker {
    counter: Option<(String, TokenCounter)>,
    run: Option<(Analyzer, ReportBuilder)>,
    reader: Option<FileReader>,
    skip_documents: u64,
    skip_problems: u64,
}

impl IngestWorker {
    fn handle(&mut self, request: Request) -> Result<Response, String> {
        match request {
            Request::LoadTokenizer { name, json } => {
                let counter = TokenCounter::from_json(&json).map_err(|e| e.to_string())?;
                self.counter = Some((name, counter));
                Ok(Response::Ready)
            }
            Request::Start { params } => {
                let (name, counter) = self.counter.as_ref().ok_or("no tokenizer was loaded")?;
                let analyzer = Analyzer::new(counter.clone(), params).map_err(|e| e.to_string())?;
                let builder = ReportBuilder::new(name, params).map_err(|e| e.to_string())?;
                self.run = Some((analyzer, builder));
                Ok(Response::Ready)
            }
            Request::Replay {
                documents,
                problems,
                files,
            } => {
                let (analyzer, builder) = self.run.as_mut().ok_or("no run was started")?;
                for document in &documents {
                    let facts = analyzer.analyze(document).map_err(|e| e.to_string())?;
                    builder.add(facts).map_err(|e| e.to_string())?;
                }
                builder.add_problems(problems);
                files.into_iter().for_each(|f| builder.add_file(f));
                Ok(Response::Ready)
            }
            Request::Begin {
                file,
                text_field,
                source_field,
                skip_documents,
                skip_problems,
            } => {
                let fields = FieldChoice {
                    text: text_field,
                    source: source_field,
                    vector: None,
                };
                let options = ReadOptions {
                    fields,
                    ..ReadOptions::default()
                };
                self.reader = Some(FileReader::new(file, options));
                self.skip_documents = skip_documents;
                self.skip_problems = skip_problems;
                Ok(Response::Ready)
            }
            Request::Chunk { bytes } => self.read(|r, out| {
                r.feed(&bytes, out);
                None
            }),
            Request::Finish => {
                let response = self.read(|r, out| Some(r.finish(out)));
                self.reader = None;
                response
            }
            Request::Preview {
                file,
                bytes,
                whole,
                text_field,
                source_field,
            } => {
                let options = ReadOptions {
                    fields: FieldChoice {
                        text: text_field,
                        source: source_field,
                        vector: None,
                    },
                    ..ReadOptions::default()
                };
                let preview = preview(&file, &bytes, whole, &options);
                let json = serde_json::to_string(&preview).map_err(|e| e.to_string())?;
                Ok(Response::Preview { json })
            }
            Request::Report => {
                let (_, builder) = self.run.take().ok_or("no run was started")?;
                let (report, signatures) = builder
                    .finish_with_signatures()
                    .map_err(|e| e.to_string())?;
                let json = serde_json::to_string(&report).map_err(|e| e.to_string())?;
                Ok(Response::Report {
                    json,
                    signatures: signatures.to_bytes(),
                })
            }
        }
    }

    fn read(
        &mut self,
        step: impl FnOnce(&mut FileReader, &mut Batch) -> Option<FileReport>,
    ) -> Result<Response, String> {
        let reader = self.reader.as_mut().ok_or("no file was begun")?;
        let (analyzer, builder) = self.run.as_mut().ok_or("no run was started")?;
        let mut batch = Batch::default();
        let file = step(reader, &mut batch);
        let fresh = skip_front(batch.documents, &mut self.skip_documents);
        let problems = skip_front(batch.problems, &mut self.skip_problems);
        let mut documents = Vec::with_capacity(fresh.len());
        for document in fresh {
            let facts = analyzer.analyze(&document).map_err(|e| e.to_string())?;
            let tokens = facts.tokens as u32;
            builder.add(facts).map_err(|e| e.to_string())?;
            documents.push(CountedDocument { document, tokens });
        }
        builder.add_problems(problems.iter().cloned());
        if let Some(report) = &file {
            builder.add_file(report.clone());
        }
        Ok(Response::Batch {
            documents,
            problems,
            file,
        })
    }
}

/// Drops up to `*skip` items from the front of `items`, lowering `*skip`.
fn skip_front<T>(mut items: Vec<T>, skip: &mut u64) -> Vec<T> {
    let n = (*skip).min(items.len() as u64) as usize;
    *skip -= n as u64;
    items.drain(..n);
    items
}

impl Worker for IngestWorker {
    type Message = ();
    type Input = Request;
    type Output = Response;

    fn create(_scope: &WorkerScope<Self>) -> Self {
        Self::default()
    }

    fn update(&mut self, _scope: &WorkerScope<Self>, _msg: ()) {}

    fn received(&mut self, scope: &WorkerScope<Self>, request: Request, id: HandlerId) {
        let response = self.handle(request).unwrap_or_else(Response::Failed);
        scope.respond(id, response);
    }
}

/// The main thread's end of an ingest worker: send a request, await its answer.
pub struct WorkerClient {
    bridge: WorkerBridge<IngestWorker>,
    responses: mpsc::UnboundedReceiver<Response>,
    /// The name of the tokenizer the worker holds.
    tokenizer: Option<String>,
}

impl WorkerClient {
    /// Spawns a worker from the script Trunk emits beside the app.
    pub fn spawn() -> Self {
        let (tx, responses) = mpsc::unbounded();
        let bridge = IngestWorker::spawner()
            .callback(move |response| {
                // The receiver lives as long as the client; a send can only
                // fail after the client is gone, when nobody waits anymore.
                let _ = tx.unbounded_send(response);
            })
            .spawn("./worker.js");
        Self {
            bridge,
            responses,
            tokenizer: None,
        }
    }

    /// Gives the worker the tokenizer called `name` unless it holds it already;
    /// `json` fetches its `tokenizer.json` when needed.
    pub async fn use_tokenizer<F>(
        &mut self,
        name: &str,
        json: impl FnOnce() -> F,
    ) -> Result<(), AppError>
    where
        F: std::future::Future<Output = Result<Vec<u8>, AppError>>,
    {
        if self.tokenizer.as_deref() == Some(name) {
            return Ok(());
        }
        self.tokenizer = None;
        let json = json().await?;
        self.call(Request::LoadTokenizer {
            name: name.to_string(),
            json,
        })
        .await?;
        self.tokenizer = Some(name.to_string());
        Ok(())
    }

    /// Sends `request` and waits for its response.
    pub async fn call(&mut self, request: Request) -> Result<Response, AppError> {
        self.bridge.send(request);
        match self.responses.next().await {
            Some(Response::Failed(reason)) => Err(AppError::Worker(reason)),
            Some(response) => Ok(response),
            None => Err(AppError::Worker("the worker stopped".into())),
        }
    }
}
