//! The engine's web worker: ingestion (parse, tokenize, measure, hash and
//! embed each document, keeping the corpus report), corpus search, and the
//! in-browser benchmarks, all off the main thread.
//!
//! Protocol: one [`Request`] in, one [`Response`] out, in order. For a run the
//! main thread sends the tokenizer (and the model) once, `Start`, then per
//! file `Begin`, its chunks and `Finish`, and at the end `Report`. A search
//! worker gets `SearchOpen`, pages of `SearchAdd`, `SearchBuild`, then
//! `Search` per query.

mod bench;
mod run;
mod search;

use corpuscope_core::analyze::DocumentFacts;
use corpuscope_core::cluster_list::ClusterList;
use corpuscope_core::dedup::DedupParams;
use corpuscope_core::ingest::FileReport;
use corpuscope_core::vectors::{SearchFilter, SearchMode, StaticModel, StoredVectors};
use corpuscope_core::{Document, Problem};
use futures::channel::mpsc;
use futures::StreamExt;
use gloo_worker::{HandlerId, Spawnable, Worker, WorkerBridge, WorkerScope};
use serde::{Deserialize, Serialize};

use crate::error::AppError;
pub use run::Rows;
pub use search::{ClusterKind, DocumentView, Found, MapPoint, MapPoints, Member};

/// A message to the worker.
#[derive(Debug, Serialize, Deserialize)]
pub enum Request {
    /// Load a tokenizer from a `tokenizer.json`.
    LoadTokenizer { name: String, json: Vec<u8> },
    /// Load the static embedding model (its table and `tokenizer.json`).
    LoadModel {
        #[serde(with = "serde_bytes")]
        safetensors: Vec<u8>,
        #[serde(with = "serde_bytes")]
        tokenizer: Vec<u8>,
    },
    /// Start a corpus run: a new report, with these dedup parameters;
    /// documents are embedded when `embed` and a model is loaded.
    Start { params: DedupParams, embed: bool },
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
        /// The field holding each document's embedding, and its length.
        vector_field: Option<String>,
        vector_dim: Option<usize>,
        skip_documents: u64,
        skip_problems: u64,
    },
    /// The next slice of the file: parse it.
    Chunk {
        #[serde(with = "serde_bytes")]
        bytes: Vec<u8>,
    },
    /// The file has ended.
    Finish,
    /// Analyse (tokenize, measure, hash, embed) these documents; any worker
    /// of a pool can, once it has the tokenizer, the model and `Start`.
    Analyze { documents: Vec<Document> },
    /// Add analysed documents (in corpus order), their embeddings, problems
    /// and the file's report (when it ended) to the run's report.
    AddFacts {
        facts: Vec<DocumentFacts>,
        rows: Option<Rows>,
        problems: Vec<Problem>,
        file: Option<FileReport>,
    },
    /// The run has ended: build the report (and the vector index).
    Report,
    /// Preview the first bytes of a file (all of it when `whole`).
    Preview {
        file: String,
        #[serde(with = "serde_bytes")]
        bytes: Vec<u8>,
        whole: bool,
        text_field: Option<String>,
        source_field: Option<String>,
        vector_field: Option<String>,
    },
    /// Prepare to search a corpus of `documents` documents: its stored
    /// vectors (little-endian f32 rows) and index, and its report (JSON).
    SearchOpen {
        documents: u32,
        vectors: Option<(u32, serde_bytes::ByteBuf, StoredVectors)>,
        report_json: String,
        /// The MinHash signatures (`SignatureStore::to_bytes`).
        #[serde(with = "serde_bytes")]
        signatures: Vec<u8>,
    },
    /// One document of the open corpus with its token boundaries (under the
    /// tokenizer the worker holds), its clusters and nearest neighbours.
    Document { doc: u32 },
    /// Up to `max` points of the open corpus's 2-D map, evenly sampled.
    Map { max: u32 },
    /// The members of one cluster of the open corpus, each compared with
    /// the cluster's representative.
    Cluster { kind: ClusterKind, id: u32 },
    /// The largest clusters of `kind` with their sources; near duplicates
    /// re-clustered under `banding` first when it is given.
    Clusters {
        kind: ClusterKind,
        banding: Option<(u32, u32)>,
    },
    /// The next documents of the corpus being opened, in order.
    SearchAdd { documents: Vec<SearchDocument> },
    /// All documents were added: build the keyword index.
    SearchBuild,
    /// The `k` best documents for `query`.
    Search {
        mode: SearchMode,
        query: String,
        k: u32,
        filter: SearchFilter,
    },
    /// Find a complete corpus's near duplicates again under `bands` × `rows`
    /// of its stored signatures; `sources` are its documents' sources.
    Reband {
        report_json: String,
        #[serde(with = "serde_bytes")]
        signatures: Vec<u8>,
        sources: Vec<String>,
        bands: u32,
        rows: u32,
    },
    /// Benchmark figures of `kind` (`vectors`: synthetic vectors of these
    /// sizes; `tokenize`, `minhash`: the JSONL `corpus` with `tokenizers`).
    /// The bytes of this worker's WebAssembly memory (it only grows, so
    /// this is its peak).
    Memory,
    Bench {
        kind: String,
        sizes: Vec<u32>,
        #[serde(with = "serde_bytes")]
        corpus: Vec<u8>,
        tokenizers: Vec<(String, String)>,
    },
}

/// A stored document as the search worker needs it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SearchDocument {
    pub text: String,
    pub source: String,
    pub tokens: u32,
}

/// The worker's answer to one request.
#[derive(Debug, Serialize, Deserialize)]
pub enum Response {
    Ready,
    /// A slice's documents and problems; `file` is set when the file ended.
    Parsed {
        documents: Vec<Document>,
        problems: Vec<Problem>,
        file: Option<FileReport>,
    },
    /// The facts of analysed documents and their embeddings, if any.
    Analyzed {
        facts: Vec<DocumentFacts>,
        rows: Option<Rows>,
        /// Milliseconds the worker spent analysing (not messaging).
        busy_ms: f64,
    },
    /// The corpus report as JSON (the CLI's schema), the signatures bytes,
    /// and the vector index when the documents were embedded.
    Report {
        json: String,
        #[serde(with = "serde_bytes")]
        signatures: Vec<u8>,
        vectors: Option<StoredVectors>,
    },
    /// A `corpuscope_core::ingest::Preview` as JSON (its records hold
    /// arbitrary JSON values, which the worker channel's codec cannot carry).
    Preview {
        json: String,
    },
    /// The token count of each replayed document, in order.
    Counted {
        tokens: Vec<u32>,
    },
    Document(Box<DocumentView>),
    /// Sampled points of the embedding map.
    Map(MapPoints),
    /// A cluster's members, the representative first.
    Cluster {
        members: Vec<Member>,
    },
    Clusters(ClusterList),
    /// Search results, best first, and the time the search took.
    Found {
        hits: Vec<Found>,
        millis: f64,
    },
    /// Benchmark figures as JSON.
    Memory {
        bytes: f64,
    },
    Bench {
        json: String,
    },
    Failed(String),
}

const NO_RUN: &str = "no run was started";

/// The worker's state.
#[derive(Default)]
pub struct EngineWorker {
    tokenizer: Option<(String, corpuscope_core::tokenize::TokenCounter)>,
    model: Option<StaticModel>,
    run: Option<run::Run>,
    search: search::SearchState,
}

impl EngineWorker {
    fn handle(&mut self, request: Request) -> Result<Response, String> {
        let text = |e: corpuscope_core::Error| e.to_string();
        match request {
            Request::LoadTokenizer { name, json } => {
                let counter =
                    corpuscope_core::tokenize::TokenCounter::from_named_json(&name, &json)
                        .map_err(text)?;
                self.tokenizer = Some((name, counter));
                Ok(Response::Ready)
            }
            Request::LoadModel {
                safetensors,
                tokenizer,
            } => {
                self.model = Some(StaticModel::from_bytes(&safetensors, &tokenizer).map_err(text)?);
                Ok(Response::Ready)
            }
            Request::Start { params, embed } => {
                let (name, counter) = self.tokenizer.as_ref().ok_or("no tokenizer was loaded")?;
                let embed = embed && self.model.is_some();
                self.run = Some(run::Run::new(name, counter.clone(), params, embed)?);
                Ok(Response::Ready)
            }
            Request::Preview {
                file,
                bytes,
                whole,
                text_field,
                source_field,
                vector_field,
            } => run::preview_json(&file, &bytes, whole, text_field, source_field, vector_field)
                .map(|json| Response::Preview { json }),
            Request::Replay {
                documents,
                problems,
                files,
            } => {
                let run = self.run.as_mut().ok_or(NO_RUN)?;
                let tokens = run.replay(self.model.as_ref(), documents, problems, files)?;
                Ok(Response::Counted { tokens })
            }
            Request::Begin {
                file,
                text_field,
                source_field,
                vector_field,
                vector_dim,
                skip_documents,
                skip_problems,
            } => {
                let fields = run::Fields {
                    text: text_field,
                    source: source_field,
                    vector: vector_field,
                    vector_dim,
                };
                let run = self.run.as_mut().ok_or(NO_RUN)?;
                run.begin(file, fields, skip_documents, skip_problems);
                Ok(Response::Ready)
            }
            Request::Chunk { bytes } => self.run.as_mut().ok_or(NO_RUN)?.chunk(&bytes),
            Request::Finish => self.run.as_mut().ok_or(NO_RUN)?.finish(),
            Request::Analyze { documents } => {
                let run = self.run.as_mut().ok_or(NO_RUN)?;
                let started = now_ms();
                let (facts, rows) = run.analyze(self.model.as_ref(), &documents)?;
                let busy_ms = now_ms() - started;
                Ok(Response::Analyzed {
                    facts,
                    rows,
                    busy_ms,
                })
            }
            Request::AddFacts {
                facts,
                rows,
                problems,
                file,
            } => {
                let run = self.run.as_mut().ok_or(NO_RUN)?;
                run.add_facts(facts, rows, problems, file)?;
                Ok(Response::Ready)
            }
            Request::Report => self.run.take().ok_or(NO_RUN)?.report(),
            Request::SearchOpen {
                documents,
                vectors,
                report_json,
                signatures,
            } => {
                self.search
                    .open(documents, vectors, &report_json, &signatures)?;
                Ok(Response::Ready)
            }
            Request::Document { doc } => {
                let (_, counter) = self.tokenizer.as_ref().ok_or("no tokenizer was loaded")?;
                let view = self.search.document(doc, counter)?;
                Ok(Response::Document(Box::new(view)))
            }
            Request::Map { max } => self.search.map(max as usize).map(Response::Map),
            Request::Clusters { kind, banding } => {
                self.search.clusters(kind, banding).map(Response::Clusters)
            }
            Request::Cluster { kind, id } => self
                .search
                .cluster(kind, id)
                .map(|members| Response::Cluster { members }),
            Request::SearchAdd { documents } => {
                self.search.add(documents);
                Ok(Response::Ready)
            }
            Request::SearchBuild => {
                self.search.build()?;
                Ok(Response::Ready)
            }
            Request::Search {
                mode,
                query,
                k,
                filter,
            } => {
                let (hits, millis) =
                    self.search
                        .search(self.model.as_ref(), mode, &query, k as usize, &filter)?;
                Ok(Response::Found { hits, millis })
            }
            Request::Reband {
                report_json,
                signatures,
                sources,
                bands,
                rows,
            } => run::reband(&report_json, &signatures, &sources, bands, rows).map(|json| {
                Response::Report {
                    json,
                    signatures,
                    vectors: None,
                }
            }),
            Request::Memory => Ok(Response::Memory {
                bytes: wasm_memory_bytes(),
            }),
            Request::Bench {
                kind,
                sizes,
                corpus,
                tokenizers,
            } => {
                bench::run(&kind, &sizes, &corpus, tokenizers).map(|json| Response::Bench { json })
            }
        }
    }
}

/// Milliseconds from the worker's (or window's) `performance.now()`.
pub(crate) fn now_ms() -> f64 {
    use wasm_bindgen::JsCast;
    let global = js_sys::global();
    if let Some(scope) = global.dyn_ref::<web_sys::WorkerGlobalScope>() {
        if let Some(p) = scope.performance() {
            return p.now();
        }
    }
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or_else(js_sys::Date::now, |p| p.now())
}

impl Worker for EngineWorker {
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

/// The main thread's end of a worker: send a request, await its answer.
pub struct WorkerClient {
    bridge: WorkerBridge<EngineWorker>,
    responses: mpsc::UnboundedReceiver<Response>,
    /// The name of the tokenizer the worker holds.
    tokenizer: Option<String>,
    /// Whether the worker holds the embedding model.
    model: bool,
}

impl WorkerClient {
    /// Spawns a worker from the script Trunk emits beside the app.
    pub fn spawn() -> Self {
        let (tx, responses) = mpsc::unbounded();
        let bridge = EngineWorker::spawner()
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
            model: false,
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

    /// Whether the worker holds the tokenizer called `name`.
    pub fn holds_tokenizer(&self, name: &str) -> bool {
        self.tokenizer.as_deref() == Some(name)
    }

    /// Whether the worker holds the embedding model.
    pub fn holds_model(&self) -> bool {
        self.model
    }

    /// Gives the worker the bundled embedding model unless it holds it
    /// already; `files` fetches its table and `tokenizer.json` when needed.
    pub async fn use_model<F>(&mut self, files: impl FnOnce() -> F) -> Result<(), AppError>
    where
        F: std::future::Future<Output = Result<(Vec<u8>, Vec<u8>), AppError>>,
    {
        if self.model {
            return Ok(());
        }
        let (safetensors, tokenizer) = files().await?;
        self.call(Request::LoadModel {
            safetensors,
            tokenizer,
        })
        .await?;
        self.model = true;
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

/// The bytes of this worker's WebAssembly memory.
fn wasm_memory_bytes() -> f64 {
    use wasm_bindgen::JsCast;
    wasm_bindgen::memory()
        .dyn_into::<js_sys::WebAssembly::Memory>()
        .map(|m| {
            f64::from(
                m.buffer()
                    .unchecked_into::<js_sys::ArrayBuffer>()
                    .byte_length(),
            )
        })
        .unwrap_or(0.0)
}
