//! Ingesting files into a stored corpus: read slices, let the worker parse and
//! count, write each batch in one transaction.

use crate::error::AppError;
use crate::files::{read_slice, SLICE_BYTES};
use crate::storage::{CorpusRecord, DocumentRecord, Storage};
use crate::worker::{Request, Response, WorkerClient};
use corpuscope_core::stats::Totals;
use corpuscope_core::Problem;
use web_sys::Blob;

/// The tokenizer the app counts with until the user picks another.
pub const DEFAULT_TOKENIZER: &str = "gpt2-bytelevel-bpe";

/// Where a bundled tokenizer is served from, relative to the page.
pub fn tokenizer_url(name: &str) -> String {
    format!("assets/tokenizers/{name}/tokenizer.json")
}

/// A file to ingest: its name and contents.
pub struct Input {
    pub name: String,
    pub blob: Blob,
}

/// What an ingestion produced.
pub struct Outcome {
    pub corpus: CorpusRecord,
    pub problems: Vec<Problem>,
}

/// Ingests `inputs` as a new corpus called `name`, reporting progress as
/// `(bytes read, bytes total)`.
pub async fn ingest(
    storage: &Storage,
    worker: &mut WorkerClient,
    name: &str,
    inputs: &[Input],
    mut progress: impl FnMut(f64, f64),
) -> Result<Outcome, AppError> {
    let now = js_sys::Date::now();
    let mut corpus = CorpusRecord {
        id: format!("c{}-{}", now as u64, (js_sys::Math::random() * 1e9) as u64),
        name: name.to_string(),
        files: inputs.iter().map(|i| i.name.clone()).collect(),
        tokenizer: DEFAULT_TOKENIZER.to_string(),
        documents: 0,
        bytes: 0,
        tokens: 0,
        problems: 0,
        created_ms: now,
        complete: false,
    };
    storage.put_corpus(&corpus).await?;

    let total: f64 = inputs.iter().map(|i| i.blob.size()).sum();
    let mut done = 0.0;
    let mut totals = Totals::default();
    let mut problems = Vec::new();
    for input in inputs {
        worker
            .call(Request::Begin {
                file: input.name.clone(),
            })
            .await?;
        let size = input.blob.size();
        let mut start = 0.0;
        loop {
            let request = if start < size {
                let end = (start + SLICE_BYTES).min(size);
                let bytes = read_slice(&input.blob, &input.name, start, end).await?;
                done += end - start;
                start = end;
                Request::Chunk { bytes }
            } else {
                Request::Finish
            };
            let last = matches!(request, Request::Finish);
            if let Response::Batch {
                documents,
                problems: found,
            } = worker.call(request).await?
            {
                let records: Vec<DocumentRecord> = documents
                    .into_iter()
                    .map(|counted| {
                        let doc = counted.document;
                        totals.add(doc.text.len(), counted.tokens as usize);
                        DocumentRecord {
                            corpus: corpus.id.clone(),
                            seq: totals.documents - 1,
                            line: doc.line,
                            source: doc.source,
                            text: doc.text,
                            tokens: counted.tokens,
                        }
                    })
                    .collect();
                storage.add_documents(&records).await?;
                problems.extend(found);
            }
            progress(done, total);
            if last {
                break;
            }
        }
    }
    corpus.documents = totals.documents;
    corpus.bytes = totals.bytes;
    corpus.tokens = totals.tokens;
    corpus.problems = problems.len() as u64;
    corpus.complete = true;
    storage.put_corpus(&corpus).await?;
    Ok(Outcome { corpus, problems })
}
