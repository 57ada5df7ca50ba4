//! Ingestion in the pool. The main thread sends the primary `Start`, then
//! per file `Begin`, each slice (`Chunk`) and `Finish`; each answer is the
//! slice's documents, which the pool analyses in contiguous shares: the
//! primary its own (`AnalyzeHeld`, the documents it just parsed), every
//! other worker the share it is sent (`Analyze`). The others' facts go
//! back to the primary in order (`AddFacts`); `Report` ends the run.

use corpuscope_core::analyze::DocumentFacts;
use corpuscope_core::dedup::DedupParams;
use corpuscope_core::ingest::{FieldChoice, FileReport};
use corpuscope_core::pipeline::{Parsed, Skip};
use corpuscope_core::vectors::StoredVectors;
use corpuscope_core::{Document, Problem};
use serde::{Deserialize, Serialize};

/// Start a corpus run: a new report, with these dedup parameters;
/// documents are embedded when `embed` and a model is loaded.
#[derive(Debug, Serialize, Deserialize)]
pub struct Start {
    pub params: DedupParams,
    pub embed: bool,
}

/// Add documents and problems stored by an earlier run to the report (in
/// stored order), and the reports of files it finished; the answer is
/// each document's token count.
#[derive(Debug, Serialize, Deserialize)]
pub struct Replay {
    pub documents: Vec<Document>,
    pub problems: Vec<Problem>,
    pub files: Vec<FileReport>,
}

/// Start a new file, read with `fields` (and vectors of `vector_dim`
/// values), dropping what `skip` says an interrupted run stored.
#[derive(Debug, Serialize, Deserialize)]
pub struct Begin {
    pub file: String,
    pub fields: FieldChoice,
    pub vector_dim: Option<usize>,
    pub skip: Skip,
}

/// The next slice of the file: parse it.
#[derive(Debug, Serialize, Deserialize)]
pub struct Chunk {
    #[serde(with = "serde_bytes")]
    pub bytes: Vec<u8>,
}

/// The file has ended.
#[derive(Debug, Serialize, Deserialize)]
pub struct Finish;

/// Analyse (tokenize, measure, hash, embed) these documents; any worker of
/// a pool can, once it has the tokenizer, the model and `Start`.
#[derive(Debug, Serialize, Deserialize)]
pub struct Analyze {
    pub documents: Vec<Document>,
}

/// The primary: analyse the first `count` documents of the slice it just
/// parsed, and keep their facts for the next `AddFacts`.
#[derive(Debug, Serialize, Deserialize)]
pub struct AnalyzeHeld {
    pub count: u32,
}

/// A share's analysis: each document's tokens, its facts (none when the
/// primary keeps them), the embeddings (`Vectors::to_bytes`) and the
/// milliseconds the worker spent on it (not messaging).
#[derive(Debug, Serialize, Deserialize)]
pub struct Share {
    pub tokens: Vec<u32>,
    pub facts: Vec<DocumentFacts>,
    pub vectors: Option<serde_bytes::ByteBuf>,
    pub busy_ms: f64,
}

/// Add the held share's facts, then these (the other shares', in corpus
/// order) with their embeddings, the slice's problems and the file's
/// report when it ended.
#[derive(Debug, Serialize, Deserialize)]
pub struct AddFacts {
    pub facts: Vec<DocumentFacts>,
    pub vectors: Option<serde_bytes::ByteBuf>,
    pub problems: Vec<Problem>,
    pub file: Option<FileReport>,
}

/// The run has ended: build the report (and the vector index).
#[derive(Debug, Serialize, Deserialize)]
pub struct Report;

/// The corpus report as the JSON it is stored as (the CLI's schema), the
/// signatures (`SignatureStore::to_bytes`), and the vector index when the
/// documents were embedded.
#[derive(Debug, Serialize, Deserialize)]
pub struct Reported {
    pub json: String,
    #[serde(with = "serde_bytes")]
    pub signatures: Vec<u8>,
    pub vectors: Option<StoredVectors>,
}

/// Preview the first bytes of a file (all of it when `whole`), read with
/// `fields`; the answer is a `corpuscope_core::ingest::Preview` as JSON
/// (its records hold arbitrary JSON values, which the channel's codec
/// cannot carry).
#[derive(Debug, Serialize, Deserialize)]
pub struct Preview {
    pub file: String,
    #[serde(with = "serde_bytes")]
    pub bytes: Vec<u8>,
    pub whole: bool,
    pub fields: FieldChoice,
}

super::role!(Ingestion {
    start: Start => (),
    replay: Replay => Vec<u32>,
    begin: Begin => (),
    chunk: Chunk => Parsed,
    finish: Finish => Parsed,
    analyze: Analyze => Share,
    analyze_held: AnalyzeHeld => Share,
    add_facts: AddFacts => (),
    report: Report => Reported,
    preview: Preview => String,
});
