//! Ingesting inputs into a stored corpus: read chunks, let the worker pool parse and
//! count, write each batch with the corpus record in one transaction.

use crate::error::AppError;
use crate::files::{Chunks, Source};
use crate::pool::{Batch, Pool, StageTimes};
use crate::storage::{
    CorpusRecord, CorpusState, DocumentRecord, FileEntry, ProblemRecord, ReportRecord, Storage,
    VectorBlock,
};
use crate::worker::protocol::ingestion;
use crate::worker::{now_ms, WorkerClient};
use corpuscope_core::dedup::DedupParams;
use corpuscope_core::ingest::FieldChoice;
use corpuscope_core::pipeline::Skip;
use corpuscope_core::progress::{Progress, Stage};
use corpuscope_core::Document;

/// An input to ingest: its name and where its bytes are.
#[derive(Clone)]
pub struct Input {
    pub name: String,
    pub source: Source,
}

impl Input {
    /// Its size in bytes, when known before reading.
    pub fn size(&self) -> Option<f64> {
        match &self.source {
            Source::Blob(blob) => Some(blob.size()),
            Source::Url(_) => None,
        }
    }
}

/// A new, empty corpus record for `inputs`, counted with `tokenizer`.
pub fn new_corpus(inputs: &[Input], tokenizer: &str) -> CorpusRecord {
    let now = js_sys::Date::now();
    CorpusRecord {
        id: format!("c{}-{}", now as u64, (js_sys::Math::random() * 1e9) as u64),
        name: corpus_name(inputs),
        files: Vec::new(),
        tokenizer: tokenizer.to_string(),
        documents: 0,
        bytes: 0,
        tokens: 0,
        problems: 0,
        created_ms: now,
        state: CorpusState::Loading,
        text_field: None,
        source_field: None,
        vector_field: None,
        vector_dim: None,
        dedup: DedupParams::default(),
        url: match inputs {
            [Input {
                source: Source::Url(url),
                ..
            }] => Some(url.clone()),
            _ => None,
        },
    }
}

/// A name for a corpus made of these inputs.
fn corpus_name(inputs: &[Input]) -> String {
    match inputs {
        [] => "empty".into(),
        [one] => one.name.clone(),
        [first, rest @ ..] => format!("{} and {} more", first.name, rest.len()),
    }
}

/// Loads `inputs` into `corpus`, continuing where an interrupted run stopped
/// (files already done are skipped, and a partly loaded file skips what is
/// stored). Documents are embedded when `embed` (the workers hold the
/// model) or taken from the corpus's vector field, and stored with them.
/// Stops with [`AppError::Cancelled`] when `cancelled()` turns true.
/// On any error the corpus stays consistent: its record counts exactly the
/// stored batches and says why it stopped.
pub async fn ingest(
    storage: &Storage,
    pool: &mut Pool,
    corpus: &mut CorpusRecord,
    inputs: &[Input],
    embed: bool,
    cancelled: impl Fn() -> bool,
    mut progress: impl FnMut(&Progress),
) -> Result<(), AppError> {
    corpus.state = CorpusState::Loading;
    for input in inputs {
        if !corpus.files.iter().any(|f| f.name == input.name) {
            corpus.files.push(FileEntry {
                name: input.name.clone(),
                bytes: input.size().unwrap_or(0.0) as u64,
                documents: 0,
                problems: 0,
                done: false,
                report: None,
            });
        }
    }
    storage.put_corpus(corpus).await?;
    let total: f64 = inputs.iter().filter_map(Input::size).sum();
    let mut status = Progress::start(corpus.name.clone(), total as u64, now_ms());
    pool.times = StageTimes::default();
    let result = async {
        pool.start(corpus.dedup, embed).await?;
        replay(storage, pool.primary(), corpus, |_| {}).await?;
        load_all(
            storage,
            pool,
            corpus,
            inputs,
            &cancelled,
            &mut status,
            &mut progress,
        )
        .await?;
        status.stage = Stage::Hashing;
        progress(&status);
        let reporting = now_ms();
        let ingestion::Reported {
            json,
            signatures,
            vectors,
        } = pool.primary().ask(ingestion::Report).await?;
        pool.times.report += now_ms() - reporting;
        Ok(ReportRecord {
            corpus: corpus.id.clone(),
            json,
            signatures,
            vectors,
            token_counts: None,
        })
    }
    .await;
    corpus.state = match &result {
        Ok(_) => CorpusState::Complete,
        Err(AppError::Cancelled) => CorpusState::Cancelled,
        Err(e) => CorpusState::Failed(e.to_string()),
    };
    // If even this small write fails, the record stays `Loading`, which the
    // library shows as interrupted: still consistent with what is stored.
    let marked = storage.finish_corpus(corpus, result.as_ref().ok()).await;
    status.stage = Stage::Done;
    progress(&status);
    result.and(marked)
}

/// Documents stored by an earlier run, read back per page for the report.
const REPLAY_PAGE: u32 = 2000;

/// Gives the worker what a corpus already stored (after an interrupted run,
/// or to recount it), so the report covers the whole corpus; returns each
/// document's token count and reports how many were replayed.
pub(crate) async fn replay(
    storage: &Storage,
    worker: &mut WorkerClient,
    corpus: &CorpusRecord,
    mut replayed: impl FnMut(u64),
) -> Result<Vec<u32>, AppError> {
    let files = corpus
        .files
        .iter()
        .filter_map(|f| f.report.clone())
        .collect();
    let problems = storage
        .problems(&corpus.id)
        .await?
        .into_iter()
        .map(|p| corpuscope_core::Problem {
            file: p.file,
            line: p.line,
            reason: p.reason,
        })
        .collect();
    worker
        .ask(ingestion::Replay {
            documents: Vec::new(),
            problems,
            files,
        })
        .await?;
    let mut counts = Vec::with_capacity(corpus.documents as usize);
    let mut pages = storage.pages(corpus, REPLAY_PAGE);
    while let Some(page) = pages.next_page().await? {
        let documents = page
            .into_iter()
            .map(|d| Document {
                line: d.line,
                source: d.source,
                text: d.text,
                vector: None,
                conversation: None,
            })
            .collect();
        let tokens = worker
            .ask(ingestion::Replay {
                documents,
                problems: Vec::new(),
                files: Vec::new(),
            })
            .await?;
        counts.extend(tokens);
        replayed(pages.read());
    }
    Ok(counts)
}

async fn load_all(
    storage: &Storage,
    pool: &mut Pool,
    corpus: &mut CorpusRecord,
    inputs: &[Input],
    cancelled: &impl Fn() -> bool,
    status: &mut Progress,
    progress: &mut impl FnMut(&Progress),
) -> Result<(), AppError> {
    for input in inputs {
        let Some(index) = corpus.files.iter().position(|f| f.name == input.name) else {
            return Err(AppError::Worker(format!(
                "{} is not a file of this corpus",
                input.name
            )));
        };
        if corpus.files[index].done {
            status.bytes_done += input.size().unwrap_or(0.0) as u64;
            continue;
        }
        status.file = input.name.clone();
        status.stage = Stage::Reading;
        progress(status);
        let (mut chunks, size) = Chunks::open(&input.source, &input.name).await?;
        if let Some(size) = size.filter(|_| input.size().is_none()) {
            corpus.files[index].bytes = size as u64;
            status.bytes_total += size as u64;
        }
        pool.begin(ingestion::Begin {
            file: input.name.clone(),
            fields: FieldChoice {
                text: corpus.text_field.clone(),
                source: corpus.source_field.clone(),
                vector: corpus.vector_field.clone(),
                ..FieldChoice::default()
            },
            vector_dim: corpus.vector_dim,
            skip: Skip {
                documents: corpus.files[index].documents,
                problems: corpus.files[index].problems,
            },
        })
        .await?;
        // Each batch is written while the next slice is read and analysed.
        // The record counts a batch only once its write succeeded; a batch
        // in flight when the run stops is dropped (its documents are read
        // again on resume).
        let mut pending: Option<Staged> = None;
        loop {
            if cancelled() {
                chunks.close();
                return Err(AppError::Cancelled);
            }
            let write = async {
                match pending.take() {
                    Some(staged) => store(storage, staged).await.map(Some),
                    None => Ok(None),
                }
            };
            let step = async {
                let reading = now_ms();
                let next = chunks.next().await?;
                let read_ms = now_ms() - reading;
                let last = next.is_none();
                if let Some(bytes) = &next {
                    status.bytes_done += bytes.len() as u64;
                }
                let batch = pool.step(next).await?;
                Ok::<_, AppError>((batch, last, read_ms))
            };
            status.stage = Stage::Tokenizing;
            let (written, stepped) = futures::join!(write, step);
            if written.is_err() || stepped.is_err() {
                chunks.close();
            }
            if let Some((staged, store_ms)) = written? {
                commit(corpus, staged, status, store_ms, pool);
                progress(status);
            }
            let (batch, last, read_ms) = stepped?;
            pool.times.read += read_ms;
            let staged = stage(corpus, index, &input.name, batch, last);
            if last {
                status.stage = Stage::Storing;
                progress(status);
                let (staged, store_ms) = store(storage, staged).await?;
                commit(corpus, staged, status, store_ms, pool);
                progress(status);
                break;
            }
            pending = Some(staged);
        }
    }
    Ok(())
}

/// A batch ready to store: the corpus record as it will be once the batch
/// is stored, and the records to add with it.
struct Staged {
    next: CorpusRecord,
    docs: Vec<DocumentRecord>,
    problems: Vec<ProblemRecord>,
    block: Option<VectorBlock>,
}

/// The records of `batch` (of the file at `index` in `corpus`, named `file`)
/// and the corpus record counting them, numbered after what `corpus` counts.
fn stage(corpus: &CorpusRecord, index: usize, file: &str, batch: Batch, last: bool) -> Staged {
    let Batch {
        documents,
        problems,
        file: report,
        vectors,
    } = batch;
    let mut next = corpus.clone();
    let corpus_id = corpus.id.clone();
    let block = vectors.map(|vectors| VectorBlock {
        corpus: corpus_id.clone(),
        seq: corpus.documents,
        dim: vectors.dim() as u32,
        count: vectors.len() as u32,
        data: vectors.to_le_values(),
    });
    let docs: Vec<DocumentRecord> = documents
        .into_iter()
        .map(|(doc, tokens)| {
            let record = DocumentRecord {
                corpus: corpus_id.clone(),
                seq: next.documents,
                file: file.to_string(),
                line: doc.line,
                source: doc.source,
                text: doc.text,
                tokens,
            };
            next.documents += 1;
            next.bytes += record.text.len() as u64;
            next.tokens += u64::from(tokens);
            next.files[index].documents += 1;
            record
        })
        .collect();
    let problems: Vec<ProblemRecord> = problems
        .into_iter()
        .map(|p| {
            let record = ProblemRecord {
                corpus: corpus_id.clone(),
                seq: next.problems,
                file: p.file,
                line: p.line,
                reason: p.reason,
            };
            next.problems += 1;
            next.files[index].problems += 1;
            record
        })
        .collect();
    next.files[index].done = last;
    if report.is_some() {
        next.files[index].report = report;
    }
    Staged {
        next,
        docs,
        problems,
        block,
    }
}

/// Writes a staged batch with its corpus record in one transaction; gives it
/// back with the milliseconds the write took.
async fn store(storage: &Storage, staged: Staged) -> Result<(Staged, f64), AppError> {
    let storing = now_ms();
    storage
        .add_batch(
            &staged.next,
            &staged.docs,
            &staged.problems,
            staged.block.as_ref(),
        )
        .await?;
    Ok((staged, now_ms() - storing))
}

/// Takes a stored batch's record as the corpus's own.
fn commit(
    corpus: &mut CorpusRecord,
    staged: Staged,
    status: &mut Progress,
    store_ms: f64,
    pool: &mut Pool,
) {
    *corpus = staged.next;
    status.documents += staged.docs.len() as u64;
    status.now_ms = now_ms();
    pool.times.store += store_ms;
}
