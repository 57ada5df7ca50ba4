//! The engine's web worker: ingestion (parse, tokenize, measure, hash and
//! embed each document, keeping the corpus report), exploring an open
//! corpus, and the in-browser benchmarks, all off the main thread.
//!
//! The messages are typed per role in [`protocol`]: every request names its
//! reply, and [`WorkerClient::ask`] returns it. One worker binary serves
//! every role; the app gives each worker one (a pool for ingestion, one
//! worker for exploring).

mod bench;
pub mod protocol;
mod run;

use corpuscope_core::dedup::SignatureStore;
use corpuscope_core::explore::{DocumentView, Explorer};
use corpuscope_core::pipeline::Parsed;
use corpuscope_core::tokenize::TokenCounter;
use corpuscope_core::vectors::{StaticModel, StoredVectors, Vectors};
use futures::channel::mpsc;
use futures::StreamExt;
use gloo_worker::{HandlerId, Spawnable, Worker, WorkerBridge, WorkerScope};
use protocol::{benchmark, explorer, ingestion, setup, Answer, Ask, Message};

use crate::error::AppError;

const NO_RUN: &str = "no run was started";

fn text(e: corpuscope_core::Error) -> String {
    e.to_string()
}

/// The worker's state.
#[derive(Default)]
pub struct EngineWorker {
    tokenizer: Option<(String, TokenCounter)>,
    model: Option<StaticModel>,
    run: Option<run::Run>,
    explorer: Explorer,
}

impl EngineWorker {
    fn run(&mut self) -> Result<&mut run::Run, String> {
        self.run.as_mut().ok_or_else(|| NO_RUN.to_string())
    }

    fn counter(&self) -> Result<&TokenCounter, String> {
        self.tokenizer
            .as_ref()
            .map(|(_, counter)| counter)
            .ok_or_else(|| "no tokenizer was loaded".to_string())
    }
}

impl setup::Serve for EngineWorker {
    fn load_tokenizer(&mut self, r: setup::LoadTokenizer) -> Result<(), String> {
        let counter = TokenCounter::from_named_json(&r.name, &r.json).map_err(text)?;
        self.tokenizer = Some((r.name, counter));
        Ok(())
    }

    fn load_model(&mut self, r: setup::LoadModel) -> Result<(), String> {
        self.model = Some(StaticModel::from_bytes(&r.safetensors, &r.tokenizer).map_err(text)?);
        Ok(())
    }

    fn memory(&mut self, _: setup::Memory) -> Result<f64, String> {
        Ok(wasm_memory_bytes())
    }
}

impl ingestion::Serve for EngineWorker {
    fn start(&mut self, r: ingestion::Start) -> Result<(), String> {
        let (name, counter) = self.tokenizer.as_ref().ok_or("no tokenizer was loaded")?;
        let embed = r.embed && self.model.is_some();
        self.run = Some(run::Run::new(name, counter.clone(), r.params, embed)?);
        Ok(())
    }

    fn replay(&mut self, r: ingestion::Replay) -> Result<Vec<u32>, String> {
        let model = self.model.as_ref();
        let run = self.run.as_mut().ok_or(NO_RUN)?;
        run.replay(model, r.documents, r.problems, r.files)
    }

    fn begin(&mut self, r: ingestion::Begin) -> Result<(), String> {
        self.run()?.begin(r.file, r.fields, r.vector_dim, r.skip);
        Ok(())
    }

    fn chunk(&mut self, r: ingestion::Chunk) -> Result<Parsed, String> {
        self.run()?.chunk(&r.bytes)
    }

    fn finish(&mut self, _: ingestion::Finish) -> Result<Parsed, String> {
        self.run()?.finish()
    }

    fn analyze(&mut self, r: ingestion::Analyze) -> Result<ingestion::Share, String> {
        let model = self.model.as_ref();
        let run = self.run.as_mut().ok_or(NO_RUN)?;
        let started = now_ms();
        let mut share = run.analyze(model, &r.documents)?;
        share.busy_ms = now_ms() - started;
        Ok(share)
    }

    fn analyze_held(&mut self, r: ingestion::AnalyzeHeld) -> Result<ingestion::Share, String> {
        let model = self.model.as_ref();
        let run = self.run.as_mut().ok_or(NO_RUN)?;
        let started = now_ms();
        let mut share = run.analyze_held(model, r.count as usize)?;
        share.busy_ms = now_ms() - started;
        Ok(share)
    }

    fn add_facts(&mut self, r: ingestion::AddFacts) -> Result<(), String> {
        self.run()?
            .add_facts(r.facts, r.vectors, r.problems, r.file)
    }

    fn report(&mut self, _: ingestion::Report) -> Result<ingestion::Reported, String> {
        self.run.take().ok_or(NO_RUN)?.report()
    }

    fn preview(&mut self, r: ingestion::Preview) -> Result<String, String> {
        run::preview_json(&r.file, &r.bytes, r.whole, r.fields)
    }
}

impl explorer::Serve for EngineWorker {
    fn open(&mut self, r: explorer::Open) -> Result<Option<StoredVectors>, String> {
        let report = serde_json::from_str(&r.report_json)
            .map_err(|e| format!("the stored report is damaged: {e}"))?;
        let signatures = SignatureStore::from_bytes(&r.signatures).map_err(text)?;
        let vectors = match r.vectors {
            Some((dim, bytes, stored)) => Some((
                Vectors::from_le_values(dim as usize, &bytes).map_err(text)?,
                stored,
            )),
            None => None,
        };
        self.explorer
            .open(r.documents, vectors, report, signatures)
            .map_err(text)
    }

    fn add(&mut self, r: explorer::Add) -> Result<(), String> {
        self.explorer.add(r.documents);
        Ok(())
    }

    fn build(&mut self, _: explorer::Build) -> Result<(), String> {
        self.explorer.build().map_err(text)
    }

    fn search(&mut self, r: explorer::Search) -> Result<explorer::Hits, String> {
        let started = now_ms();
        let hits = self
            .explorer
            .search(
                self.model.as_ref(),
                r.mode,
                &r.query,
                r.k as usize,
                &r.filter,
            )
            .map_err(text)?;
        Ok(explorer::Hits {
            hits,
            millis: now_ms() - started,
        })
    }

    fn document(&mut self, r: explorer::Document) -> Result<Box<DocumentView>, String> {
        let view = self
            .explorer
            .document(r.doc, self.counter()?)
            .map_err(text)?;
        Ok(Box::new(view))
    }

    fn map(&mut self, r: explorer::Map) -> Result<corpuscope_core::explore::MapPoints, String> {
        self.explorer.map(r.max as usize).map_err(text)
    }

    fn cluster(
        &mut self,
        r: explorer::Cluster,
    ) -> Result<Vec<corpuscope_core::explore::Member>, String> {
        self.explorer.cluster(r.kind, r.id).map_err(text)
    }

    fn clusters(
        &mut self,
        r: explorer::Clusters,
    ) -> Result<corpuscope_core::cluster_list::ClusterList, String> {
        self.explorer.clusters(r.kind, r.banding).map_err(text)
    }

    fn reband(&mut self, r: explorer::Reband) -> Result<String, String> {
        let report = self
            .explorer
            .rebanded(r.bands as usize, r.rows as usize)
            .map_err(text)?;
        serde_json::to_string(&report).map_err(|e| e.to_string())
    }
}

impl benchmark::Serve for EngineWorker {
    fn bench(&mut self, r: benchmark::Bench) -> Result<String, String> {
        bench::run(&r.kind, &r.sizes, &r.corpus, r.tokenizers)
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
    type Input = Message;
    type Output = Answer;

    fn create(_scope: &WorkerScope<Self>) -> Self {
        Self::default()
    }

    fn update(&mut self, _scope: &WorkerScope<Self>, _msg: ()) {}

    fn received(&mut self, scope: &WorkerScope<Self>, message: Message, id: HandlerId) {
        scope.respond(id, protocol::serve(self, message));
    }
}

/// The main thread's end of a worker: send a request, await its answer.
pub struct WorkerClient {
    bridge: WorkerBridge<EngineWorker>,
    answers: mpsc::UnboundedReceiver<Answer>,
    /// The name of the tokenizer the worker holds.
    tokenizer: Option<String>,
    /// Whether the worker holds the embedding model.
    model: bool,
}

impl WorkerClient {
    /// Spawns a worker from the script Trunk emits beside the app.
    pub fn spawn() -> Self {
        let (tx, answers) = mpsc::unbounded();
        let bridge = EngineWorker::spawner()
            .callback(move |answer| {
                // The receiver lives as long as the client; a send can only
                // fail after the client is gone, when nobody waits anymore.
                let _ = tx.unbounded_send(answer);
            })
            .spawn("./worker.js");
        Self {
            bridge,
            answers,
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
        self.ask(setup::LoadTokenizer {
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
        self.ask(setup::LoadModel {
            safetensors,
            tokenizer,
        })
        .await?;
        self.model = true;
        Ok(())
    }

    /// Sends `request` and waits for its reply.
    pub async fn ask<A: Ask>(&mut self, request: A) -> Result<A::Reply, AppError> {
        self.bridge.send(request.into());
        match self.answers.next().await {
            Some(Answer::Failed(reason)) => Err(AppError::Worker(reason)),
            Some(answer) => A::reply(answer)
                .ok_or_else(|| AppError::Worker("the worker answered another request".into())),
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
