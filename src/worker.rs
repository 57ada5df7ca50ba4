//! The ingest web worker: parses chunks and counts tokens off the main thread.
//!
//! Protocol: one [`Request`] in, one [`Response`] out, in order. The main
//! thread sends the tokenizer once, then `Begin`, the file's chunks and
//! `Finish`; each chunk answers with the documents and problems it completed.

use corpuscope_core::ingest::{Batch, FieldChoice, JsonlParser, Parser};
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
    LoadTokenizer { json: Vec<u8> },
    /// Start a new file, dropping its first `skip_documents` documents and
    /// `skip_problems` problems (already stored by an interrupted run).
    Begin {
        file: String,
        skip_documents: u64,
        skip_problems: u64,
    },
    /// The next slice of the file.
    Chunk { bytes: Vec<u8> },
    /// The file has ended.
    Finish,
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
    },
    Failed(String),
}

/// The worker's state: a tokenizer and the parser of the current file.
#[derive(Default)]
pub struct IngestWorker {
    counter: Option<TokenCounter>,
    parser: Option<JsonlParser>,
    skip_documents: u64,
    skip_problems: u64,
}

impl IngestWorker {
    fn handle(&mut self, request: Request) -> Result<Response, String> {
        match request {
            Request::LoadTokenizer { json } => {
                self.counter = Some(TokenCounter::from_json(&json).map_err(|e| e.to_string())?);
                Ok(Response::Ready)
            }
            Request::Begin {
                file,
                skip_documents,
                skip_problems,
            } => {
                self.parser = Some(JsonlParser::new(file, FieldChoice::default()));
                self.skip_documents = skip_documents;
                self.skip_problems = skip_problems;
                Ok(Response::Ready)
            }
            Request::Chunk { bytes } => self.parse(|p, out| p.feed(&bytes, out)),
            Request::Finish => {
                let response = self.parse(|p, out| p.finish(out));
                self.parser = None;
                response
            }
        }
    }

    fn parse(
        &mut self,
        step: impl FnOnce(&mut JsonlParser, &mut Batch),
    ) -> Result<Response, String> {
        let parser = self.parser.as_mut().ok_or("no file was begun")?;
        let counter = self.counter.as_ref().ok_or("no tokenizer was loaded")?;
        let mut batch = Batch::default();
        step(parser, &mut batch);
        let problems = skip_front(batch.problems, &mut self.skip_problems);
        let documents = skip_front(batch.documents, &mut self.skip_documents)
            .into_iter()
            .map(|document| {
                let tokens = counter.count(&document.text).map_err(|e| e.to_string())?;
                Ok(CountedDocument {
                    document,
                    tokens: tokens as u32,
                })
            })
            .collect::<Result<Vec<_>, String>>()?;
        Ok(Response::Batch {
            documents,
            problems,
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
        self.call(Request::LoadTokenizer { json }).await?;
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
