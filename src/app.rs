//! The root component: wires the drop zone, ingestion, status and library.

use crate::components::drop_zone::DropZone;
use crate::components::library::Library;
use crate::components::status::{Status, StatusPanel};
use crate::error::AppError;
use crate::files::{fetch_blob, fetch_bytes};
use crate::ingest::{ingest, tokenizer_url, Input, DEFAULT_TOKENIZER};
use crate::storage::{CorpusRecord, Storage, DB_NAME};
use crate::worker::{Request, WorkerClient};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Where the bundled demo corpus is served from.
const DEMO_URL: &str = "assets/corpus/demo.jsonl";

/// The worker, spawned and given its tokenizer on first use; taken out while
/// an ingestion runs so no two runs share it.
type WorkerSlot = StoredValue<Option<WorkerClient>, LocalStorage>;

async fn ready_worker(slot: WorkerSlot) -> Result<WorkerClient, AppError> {
    if let Some(worker) = slot.try_update_value(Option::take).flatten() {
        return Ok(worker);
    }
    let mut worker = WorkerClient::spawn();
    let json = fetch_bytes(&tokenizer_url(DEFAULT_TOKENIZER)).await?;
    worker.call(Request::LoadTokenizer { json }).await?;
    Ok(worker)
}

async fn reload_library(corpora: RwSignal<Vec<CorpusRecord>>) -> Result<(), AppError> {
    let storage = Storage::open(DB_NAME).await?;
    let list = storage.corpora().await;
    storage.close();
    corpora.set(list?);
    Ok(())
}

/// A name for a corpus made of these files.
fn corpus_name(inputs: &[Input]) -> String {
    match inputs {
        [] => "empty".into(),
        [one] => one.name.clone(),
        [first, rest @ ..] => format!("{} and {} more", first.name, rest.len()),
    }
}

/// Ingests `inputs` as a new corpus, showing progress in `status`.
fn run(
    inputs: Vec<Input>,
    status: RwSignal<Status>,
    corpora: RwSignal<Vec<CorpusRecord>>,
    worker: WorkerSlot,
) {
    let name = corpus_name(&inputs);
    let label = format!("Loading {name}");
    status.set(Status::Working {
        label: label.clone(),
        done: 0.0,
        total: 0.0,
    });
    spawn_local(async move {
        let result = async {
            let storage = Storage::open(DB_NAME).await?;
            let mut client = ready_worker(worker).await?;
            let outcome = ingest(&storage, &mut client, &name, &inputs, |done, total| {
                status.set(Status::Working {
                    label: label.clone(),
                    done,
                    total,
                });
            })
            .await;
            worker.set_value(Some(client));
            storage.close();
            outcome
        }
        .await;
        match result {
            Ok(outcome) => status.set(Status::Loaded {
                name: outcome.corpus.name.clone(),
                documents: outcome.corpus.documents,
                tokens: outcome.corpus.tokens,
                problems: outcome.problems,
            }),
            Err(e) => status.set(Status::Failed(e.to_string())),
        }
        if let Err(e) = reload_library(corpora).await {
            status.set(Status::Failed(e.to_string()));
        }
    });
}

/// The whole app.
#[component]
pub fn App() -> impl IntoView {
    let corpora = RwSignal::new(Vec::<CorpusRecord>::new());
    let status = RwSignal::new(Status::Idle);
    let busy = Memo::new(move |_| matches!(status.get(), Status::Working { .. }));
    let worker: WorkerSlot = StoredValue::new_local(None);

    spawn_local(async move {
        if let Err(e) = reload_library(corpora).await {
            status.set(Status::Failed(e.to_string()));
        }
    });

    let on_files = Callback::new(move |files: Vec<web_sys::File>| {
        let inputs = files
            .into_iter()
            .map(|f| Input {
                name: f.name(),
                blob: f.into(),
            })
            .collect();
        run(inputs, status, corpora, worker);
    });
    let on_demo = Callback::new(move |()| {
        status.set(Status::Working {
            label: "Fetching the demo corpus".into(),
            done: 0.0,
            total: 0.0,
        });
        spawn_local(async move {
            match fetch_blob(DEMO_URL).await {
                Ok(blob) => run(
                    vec![Input {
                        name: "demo.jsonl".into(),
                        blob,
                    }],
                    status,
                    corpora,
                    worker,
                ),
                Err(e) => status.set(Status::Failed(e.to_string())),
            }
        });
    });
    let on_delete = Callback::new(move |id: String| {
        spawn_local(async move {
            let result = async {
                let storage = Storage::open(DB_NAME).await?;
                let deleted = storage.delete_corpus(&id).await;
                storage.close();
                deleted?;
                reload_library(corpora).await
            }
            .await;
            if let Err(e) = result {
                status.set(Status::Failed(e.to_string()));
            }
        });
    });

    view! {
        <header class="top">
            <h1>"Corpuscope"</h1>
            <p class="tagline">"Token counts, duplicates and diversity of LLM training data — in your browser, nothing uploaded."</p>
        </header>
        <main>
            <DropZone busy=busy.into() on_files=on_files on_demo=on_demo />
            <StatusPanel status=status.into() />
            <Library corpora=corpora.into() on_delete=on_delete />
        </main>
    }
}
