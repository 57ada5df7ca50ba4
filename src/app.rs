//! The root component: holds the app's state and wires the pieces together.

use crate::components::dashboard::Dashboard;
use crate::components::drop_zone::DropZone;
use crate::components::library::Library;
use crate::components::link_prompt::LinkPrompt;
use crate::components::mapping::ColumnMapping;
use crate::components::settings::Settings;
use crate::components::status::{Status, StatusPanel};
use crate::error::AppError;
use crate::files::{Chunks, Source};
use crate::ingest::{ingest, new_corpus, Input};
use crate::pool::Pool;
use crate::search::{Answer, ClusterWish, SearchStatus};
use crate::storage::{self, CorpusRecord, Storage, TokenizerRecord, DB_NAME};
use crate::tokenizers::{is_tokenizer_file, tokenizer_json, DEFAULT};
use crate::worker::protocol::{ingestion, setup};
use crate::worker::WorkerClient;
use corpuscope_core::cluster_list::{ClusterKind, ClusterList};
use corpuscope_core::dedup::Cluster;
use corpuscope_core::explore::{DocumentView, MapPoints, Member};
use corpuscope_core::ingest::{FieldChoice, Preview};
use corpuscope_core::report::Report;
use corpuscope_core::share::{View, ViewState};
use corpuscope_core::vectors::{compare_clusters, ClusterComparison, StoredVectors};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Where the bundled demo corpus is served from.
const DEMO_URL: &str = "assets/corpus/demo.jsonl";

/// Bytes of a file read for its preview.
const PREVIEW_BYTES: f64 = 256.0 * 1024.0;
/// Parquet files up to this size are previewed whole (their index is at the end).
const PREVIEW_PARQUET_BYTES: f64 = 64.0 * 1024.0 * 1024.0;

/// The columns proposed for pending files, and the user's choice.
#[derive(Debug, Clone, PartialEq)]
pub struct Mapping {
    pub preview: Preview,
    /// How many files are pending.
    pub files: usize,
    pub choice: FieldsChoice,
}

/// The fields the user chose for pending files.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FieldsChoice {
    /// The text field (`None`: detected per record).
    pub text: Option<String>,
    /// The source field (`None`: detected, else the file name).
    pub source: Option<String>,
    /// The field holding embeddings (`None`: the bundled model embeds).
    pub vector: Option<String>,
}

/// A cluster of the duplicates view: its kind, id, and members (or why not).
pub type OpenCluster = (ClusterKind, u32, Result<Vec<Member>, String>);

/// The app's state: every field is a cheap handle, so the whole is `Copy`.
#[derive(Clone, Copy)]
pub struct AppState {
    pub corpora: RwSignal<Vec<CorpusRecord>>,
    pub status: RwSignal<Status>,
    /// Set by the Cancel button; read between chunks.
    pub cancel: RwSignal<bool>,
    /// Set when another tab upgrades the library (see [`crate::tabs`]).
    pub upgraded_elsewhere: RwSignal<bool>,
    /// The tokenizer new corpora are counted with.
    pub tokenizer: RwSignal<String>,
    /// Names of tokenizers the user dropped.
    pub user_tokenizers: RwSignal<Vec<String>>,
    /// The origin's storage (usage, quota) in bytes, and whether it is persistent.
    pub storage_info: RwSignal<Option<(f64, f64, bool)>>,
    /// The corpus whose dashboard is open: its name and report.
    pub open_report: RwSignal<Option<(String, Report)>>,
    /// The record of the corpus whose dashboard is open.
    pub open_corpus: RwSignal<Option<CorpusRecord>>,
    /// Its semantic duplicates beside its MinHash ones, and their threshold.
    pub open_semantic: RwSignal<Option<(ClusterComparison, f32)>>,
    /// Its semantic clusters, when embedded.
    pub semantic_clusters: RwSignal<Vec<Cluster>>,
    /// The document open in the document view (or why it could not open).
    pub open_document: RwSignal<Option<Result<DocumentView, String>>>,
    /// Sampled points of the open corpus's embedding map, when embedded.
    pub map: RwSignal<Option<MapPoints>>,
    /// The cluster open in the duplicates view and its members.
    pub open_cluster: RwSignal<Option<OpenCluster>>,
    /// The open corpus's view, duplicates tab, previewed banding (`None`:
    /// the stored one), and the cluster list asked of the search worker
    /// and its answer.
    pub view: RwSignal<View>,
    pub dup_kind: RwSignal<ClusterKind>,
    pub banding: RwSignal<Option<(usize, usize)>>,
    pub cluster_wish: RwSignal<Option<ClusterWish>>,
    pub clusters: RwSignal<Option<(ClusterWish, Result<ClusterList, String>)>>,
    /// A share link whose data is not loaded here, awaiting the user's
    /// confirmation; and the view a link asks for, shown once its corpus is
    /// open.
    pub link: RwSignal<Option<ViewState>>,
    pub(crate) pending_view: StoredValue<Option<ViewState>, LocalStorage>,
    /// Files dropped and waiting for the user to confirm their columns.
    pending: StoredValue<Vec<Input>, LocalStorage>,
    /// The column mapping shown for the pending files.
    pub mapping: RwSignal<Option<Mapping>>,
    /// The ingestion workers, taken out while a run uses them.
    pub(crate) workers: StoredValue<Option<Pool>, LocalStorage>,
    /// Search of the open corpus: its state, the last answer, whether a
    /// query runs, and its worker (taken out while it works).
    pub search: RwSignal<SearchStatus>,
    pub answer: RwSignal<Option<Result<Answer, String>>>,
    pub searching: RwSignal<bool>,
    pub(crate) searcher: StoredValue<Option<WorkerClient>, LocalStorage>,
}

impl AppState {
    fn new() -> Self {
        Self {
            corpora: RwSignal::new(Vec::new()),
            status: RwSignal::new(Status::Idle),
            cancel: RwSignal::new(false),
            upgraded_elsewhere: RwSignal::new(false),
            tokenizer: RwSignal::new(DEFAULT.to_string()),
            user_tokenizers: RwSignal::new(Vec::new()),
            storage_info: RwSignal::new(None),
            open_report: RwSignal::new(None),
            open_corpus: RwSignal::new(None),
            open_semantic: RwSignal::new(None),
            semantic_clusters: RwSignal::new(Vec::new()),
            open_cluster: RwSignal::new(None),
            map: RwSignal::new(None),
            open_document: RwSignal::new(None),
            view: RwSignal::new(View::Overview),
            dup_kind: RwSignal::new(ClusterKind::Near),
            banding: RwSignal::new(None),
            cluster_wish: RwSignal::new(None),
            clusters: RwSignal::new(None),
            link: RwSignal::new(None),
            pending_view: StoredValue::new_local(None),
            pending: StoredValue::new_local(Vec::new()),
            mapping: RwSignal::new(None),
            workers: StoredValue::new_local(None),
            search: RwSignal::new(SearchStatus::Off),
            answer: RwSignal::new(None),
            searching: RwSignal::new(false),
            searcher: StoredValue::new_local(None),
        }
    }

    /// Runs `task` in the background, showing its error if it fails.
    pub fn spawn(self, task: impl std::future::Future<Output = Result<(), AppError>> + 'static) {
        spawn_local(async move {
            if let Err(e) = task.await {
                self.status.set(Status::Failed(e.to_string()));
            }
        });
    }

    /// The ingestion workers (spawned on first use), taken out while a task
    /// uses them; give them back with `self.workers.set_value(Some(pool))`.
    pub(crate) fn take_pool(self) -> Pool {
        self.workers
            .try_update_value(Option::take)
            .flatten()
            .unwrap_or_else(Pool::spawn)
    }

    /// Re-reads the library and the storage figures.
    pub(crate) async fn refresh(self) -> Result<(), AppError> {
        let storage = Storage::open(DB_NAME).await?;
        let corpora = storage.corpora().await;
        let tokenizers = storage.tokenizer_names().await;
        storage.close();
        self.corpora.set(corpora?);
        self.user_tokenizers.set(tokenizers?);
        let persisted = storage::request_persistence().await;
        self.storage_info.set(
            storage::estimate()
                .await
                .map(|(usage, quota)| (usage, quota, persisted)),
        );
        Ok(())
    }

    /// Ingests `inputs` into `corpus` (new, or one to resume), in the background.
    pub fn load(self, mut corpus: CorpusRecord, inputs: Vec<Input>) {
        if inputs.is_empty() {
            return;
        }
        self.cancel.set(false);
        self.status.set(Status::Starting(corpus.name.clone()));
        spawn_local(async move {
            let result = async {
                let storage = Storage::open(DB_NAME).await?;
                let mut pool = self.take_pool();
                let outcome = async {
                    pool.use_tokenizer(&corpus.tokenizer, || {
                        tokenizer_json(&storage, &corpus.tokenizer)
                    })
                    .await?;
                    // A corpus with its own vectors needs no model; without
                    // the model a corpus still loads, unembedded.
                    let embed = corpus.vector_field.is_none()
                        && match pool.use_model().await {
                            Ok(()) => true,
                            Err(e) => {
                                web_sys::console::warn_1(&format!("no embeddings: {e}").into());
                                false
                            }
                        };
                    let cancel = self.cancel;
                    let status = self.status;
                    ingest(
                        &storage,
                        &mut pool,
                        &mut corpus,
                        &inputs,
                        embed,
                        move || cancel.get_untracked(),
                        |p| status.set(Status::Working(p.clone())),
                    )
                    .await
                }
                .await;
                // For benchmarks: each worker's peak WebAssembly memory.
                let memory: Vec<String> = pool
                    .memory()
                    .await
                    .iter()
                    .map(|b| format!("{:.0}", b / 1_048_576.0))
                    .collect();
                web_sys::console::info_1(
                    &format!("corpuscope: worker wasm memory MiB: {}", memory.join(" ")).into(),
                );
                web_sys::console::info_1(
                    &format!("corpuscope: ingest stages: {}", pool.times.line()).into(),
                );
                self.workers.set_value(Some(pool));
                storage.close();
                outcome
            }
            .await;
            let finished = result.is_ok().then(|| corpus.clone());
            self.status.set(match result {
                Ok(()) => Status::Loaded(corpus),
                Err(AppError::Cancelled) if self.upgraded_elsewhere.get_untracked() => {
                    Status::Failed(AppError::UpgradedElsewhere.to_string())
                }
                Err(AppError::Cancelled) => Status::Cancelled(corpus),
                Err(e) => Status::Failed(e.to_string()),
            });
            if let Err(e) = self.refresh().await {
                self.status.set(Status::Failed(e.to_string()));
            }
            if let Some(corpus) = finished {
                self.open(corpus);
            }
        });
    }

    /// Files from the drop zone: tokenizers are stored, the rest loaded.
    pub fn files_given(self, files: Vec<web_sys::File>) {
        let named = files
            .into_iter()
            .map(|f| (crate::components::drop_zone::path_of(&f), f))
            .collect();
        self.named_files_given(named);
    }

    /// Files with the names (paths) they are listed under.
    pub fn named_files_given(self, files: Vec<(String, web_sys::File)>) {
        let (tokenizers, data): (Vec<_>, Vec<_>) = files
            .into_iter()
            .partition(|(_, f)| is_tokenizer_file(&f.name()));
        for (_, file) in tokenizers {
            self.spawn(async move { self.add_tokenizer(file).await });
        }
        let inputs: Vec<Input> = data
            .into_iter()
            .map(|(name, f)| Input {
                name,
                source: Source::Blob(f.into()),
            })
            .collect();
        if !inputs.is_empty() {
            self.pending.set_value(inputs);
            self.spawn(async move { self.refresh_preview(None).await });
        }
    }

    /// Previews the first pending file with the given field choice.
    /// The first preview (`choice` is `None`) proposes the detected vector
    /// column, if any, as the embeddings.
    pub async fn refresh_preview(self, choice: Option<FieldsChoice>) -> Result<(), AppError> {
        let first_look = choice.is_none();
        let choice = choice.unwrap_or_default();
        let Some(first) = self.pending.with_value(|p| p.first().cloned()) else {
            return Ok(());
        };
        let name = first.name.to_ascii_lowercase();
        let parquet = name.ends_with(".parquet");
        let arrow = name.ends_with(".arrow") || name.ends_with(".feather");
        // A Parquet file's index is at its end: preview it whole when small.
        // An Arrow file's first record batch may pass the usual head.
        let max = match (&first.source, parquet) {
            (Source::Blob(blob), true) if blob.size() <= PREVIEW_PARQUET_BYTES => blob.size(),
            (Source::Url(_), true) => PREVIEW_PARQUET_BYTES,
            _ if arrow => PREVIEW_PARQUET_BYTES,
            _ => PREVIEW_BYTES,
        };
        let (bytes, whole) = Chunks::head(&first.source, &first.name, max).await?;
        let mut pool = self.take_pool();
        let answer = pool
            .primary()
            .ask(ingestion::Preview {
                file: first.name.clone(),
                bytes,
                whole,
                fields: FieldChoice {
                    text: choice.text.clone(),
                    source: choice.source.clone(),
                    vector: choice.vector.clone(),
                    ..FieldChoice::default()
                },
            })
            .await;
        self.workers.set_value(Some(pool));
        let json = answer?;
        let preview: Preview =
            serde_json::from_str(&json).map_err(|e| AppError::Worker(e.to_string()))?;
        let files = self.pending.with_value(|p| p.len());
        let mut choice = choice;
        if first_look {
            choice.vector = preview.detected.vector.clone();
        }
        self.mapping.set(Some(Mapping {
            preview,
            files,
            choice,
        }));
        Ok(())
    }

    /// Loads the pending files with the chosen fields.
    pub fn confirm_mapping(self) {
        let Some(mapping) = self.mapping.get_untracked() else {
            return;
        };
        self.mapping.set(None);
        let inputs = self
            .pending
            .try_update_value(std::mem::take)
            .unwrap_or_default();
        if inputs.is_empty() {
            return;
        }
        let mut corpus = new_corpus(&inputs, &self.tokenizer.get_untracked());
        corpus.vector_dim = mapping
            .choice
            .vector
            .as_ref()
            .filter(|v| mapping.preview.detected.vector.as_ref() == Some(v))
            .and(mapping.preview.detected.vector_dim);
        corpus.text_field = mapping.choice.text;
        corpus.source_field = mapping.choice.source;
        corpus.vector_field = mapping.choice.vector;
        self.load(corpus, inputs);
    }

    /// Drops the pending files.
    pub fn cancel_mapping(self) {
        self.mapping.set(None);
        self.pending.set_value(Vec::new());
    }

    /// Checks a dropped `tokenizer.json` in the worker, stores it, selects it.
    async fn add_tokenizer(self, file: web_sys::File) -> Result<(), AppError> {
        let name = file.name();
        let blob: web_sys::Blob = file.into();
        let json = crate::files::read_slice(&blob, &name, 0.0, blob.size()).await?;
        let mut probe = WorkerClient::spawn();
        probe
            .ask(setup::LoadTokenizer {
                name: name.clone(),
                json: json.clone(),
            })
            .await
            .map_err(|e| AppError::Read {
                file: name.clone(),
                reason: format!("not a usable tokenizer.json ({e})"),
            })?;
        let storage = Storage::open(DB_NAME).await?;
        let stored = storage
            .put_tokenizer(&TokenizerRecord {
                name: name.clone(),
                json,
            })
            .await;
        storage.close();
        stored?;
        self.tokenizer.set(name.clone());
        self.status.set(Status::Note(format!(
            "Tokenizer {name} added and selected."
        )));
        self.refresh().await
    }

    /// A URL the user typed, resolved (Hugging Face links included); its
    /// first bytes are fetched for the column mapping, then it loads.
    pub fn url_given(self, link: String) {
        match corpuscope_core::remote::resolve_url(&link) {
            Ok(url) => {
                let name = corpuscope_core::remote::file_name(&url);
                self.pending.set_value(vec![Input {
                    name,
                    source: Source::Url(url),
                }]);
                self.spawn(async move { self.refresh_preview(None).await });
            }
            Err(e) => self.status.set(Status::Failed(e.to_string())),
        }
    }

    /// The bundled demo corpus.
    pub fn demo(self) {
        let inputs = vec![Input {
            name: "demo.jsonl".into(),
            source: Source::Url(DEMO_URL.into()),
        }];
        let corpus = new_corpus(&inputs, &self.tokenizer.get_untracked());
        self.load(corpus, inputs);
    }

    /// Continues an interrupted corpus with the files the user gave again.
    pub fn resume(self, corpus: CorpusRecord, files: Vec<web_sys::File>) {
        let pending: Vec<&str> = corpus
            .files
            .iter()
            .filter(|f| !f.done)
            .map(|f| f.name.as_str())
            .collect();
        let inputs: Vec<Input> = files
            .into_iter()
            .filter(|f| pending.contains(&f.name().as_str()))
            .map(|f| Input {
                name: f.name(),
                source: Source::Blob(f.into()),
            })
            .collect();
        if inputs.is_empty() {
            self.status.set(Status::Failed(format!(
                "To resume {}, choose the file(s) {}.",
                corpus.name,
                pending.join(", ")
            )));
            return;
        }
        self.load(corpus, inputs);
    }

    /// Deletes a corpus and everything stored with it.
    pub fn delete(self, id: String) {
        self.spawn(async move {
            let storage = Storage::open(DB_NAME).await?;
            let deleted = storage.delete_corpus(&id).await;
            storage.close();
            deleted?;
            self.refresh().await
        });
    }

    /// Opens the dashboard of a complete corpus from its stored report.
    pub fn open(self, corpus: CorpusRecord) {
        self.spawn(async move {
            let storage = Storage::open(DB_NAME).await?;
            let record = storage.report(&corpus.id).await;
            storage.close();
            let record = record?
                .ok_or_else(|| AppError::Storage(format!("{} has no report yet", corpus.name)))?;
            let report: Report = serde_json::from_str(&record.json)
                .map_err(|e| AppError::Storage(format!("the stored report is damaged: {e}")))?;
            self.open_cluster.set(None);
            self.open_document.set(None);
            self.banding.set(None);
            self.clusters.set(None);
            self.open_report.set(Some((corpus.name.clone(), report)));
            self.show_semantic(record.vectors.as_ref());
            self.open_corpus.set(Some(corpus.clone()));
            self.open_search(corpus, record);
            Ok(())
        });
    }

    /// Shows the open corpus's semantic clusters (none without `vectors`)
    /// beside its MinHash ones.
    pub(crate) fn show_semantic(self, vectors: Option<&StoredVectors>) {
        let semantic = vectors.and_then(|v| {
            self.open_report.with_untracked(|r| {
                r.as_ref().map(|(_, report)| {
                    let d = &report.dedup;
                    let minhash = d.exact_clusters.iter().chain(&d.near_clusters);
                    let n = d.documents as usize;
                    (
                        compare_clusters(n, &v.semantic, minhash),
                        v.params.threshold,
                    )
                })
            })
        });
        self.open_semantic.set(semantic);
        self.semantic_clusters
            .set(vectors.map(|v| v.semantic.clone()).unwrap_or_default());
    }

    /// Downloads the open corpus's report as JSON, in the CLI's schema.
    pub fn export_report(self) {
        self.spawn(async move {
            let Some((name, report)) = self.open_report.get_untracked() else {
                return Ok(());
            };
            let json = serde_json::to_string_pretty(&report)
                .map_err(|e| AppError::Storage(e.to_string()))?;
            crate::files::download(
                &format!("{name}.report.json"),
                "application/json",
                json.as_bytes(),
            )
        });
    }

    /// Offers the rejected records of a corpus as a CSV download.
    pub fn download_problems(self, corpus: CorpusRecord) {
        self.spawn(async move {
            let storage = Storage::open(DB_NAME).await?;
            let problems = storage.problems(&corpus.id).await;
            storage.close();
            let csv = crate::components::format::problems_csv(&problems?);
            crate::files::download(
                &format!("{}.rejected.csv", corpus.name),
                "text/csv",
                csv.as_bytes(),
            )
        });
    }
}

/// The whole app.
#[component]
pub fn App() -> impl IntoView {
    let state = AppState::new();
    provide_context(state);
    let link = crate::share::read_address();
    if link.has_data() {
        state.pending_view.set_value(Some(link.clone()));
    }
    state.spawn(async move {
        state.refresh().await?;
        crate::tabs::watch(move || {
            state.upgraded_elsewhere.set(true);
            state.cancel.set(true);
            state
                .status
                .set(Status::Failed(AppError::UpgradedElsewhere.to_string()));
        });
        state.open_address(link);
        Ok(())
    });
    state.follow_address();

    let busy = Memo::new(move |_| state.status.with(Status::is_busy));
    view! {
        <header class="top">
            <h1>"Corpuscope"</h1>
            <p class="tagline">"Token counts, duplicates and diversity of LLM training data — in your browser, nothing uploaded."</p>
        </header>
        <main>
            <Settings busy=busy.into() />
            <DropZone busy=busy.into() />
            <LinkPrompt />
            <ColumnMapping />
            <StatusPanel />
            <Dashboard />
            <Library />
        </main>
    }
}
