//! The corpus library in IndexedDB, through `rexie`.
//!
//! Stores: `corpora` (one record per corpus, keyed by id), `documents` and
//! `problems` (keyed by `[corpus, seq]`, so one key range holds a corpus),
//! `reports` (a complete corpus's report, MinHash signatures and vector
//! index, keyed by corpus), `vectors` (each batch's embeddings as one binary
//! array, keyed by `[corpus, first seq]`) and `tokenizers` (user-supplied
//! `tokenizer.json` files, by name).
//!
//! Consistency: each batch of documents and problems is written in the same
//! transaction as the corpus record's updated counts, so the record always
//! describes exactly what is stored. A corpus is `Loading` until its last
//! batch lands; one found `Loading` after a reload was interrupted.

use crate::error::AppError;
use corpuscope_core::dedup::DedupParams;
use corpuscope_core::ingest::FileReport;
use corpuscope_core::vectors::StoredVectors;
use rexie::{KeyRange, ObjectStore, Rexie, TransactionMode, TransactionResult};
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsValue;

/// The database name the app uses.
pub const DB_NAME: &str = "corpuscope";
/// Version 2 added the `reports` store, version 3 the `vectors` store (older
/// databases upgrade in place).
pub const DB_VERSION: u32 = 3;
const CORPORA: &str = "corpora";
const DOCUMENTS: &str = "documents";
const PROBLEMS: &str = "problems";
const TOKENIZERS: &str = "tokenizers";
const REPORTS: &str = "reports";
const VECTORS: &str = "vectors";

/// Where a corpus stands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum CorpusState {
    /// Being loaded now, or interrupted by a reload if found so later.
    Loading,
    Complete,
    Cancelled,
    Failed(String),
}

/// One input file of a corpus and how far it was loaded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileEntry {
    pub name: String,
    pub bytes: u64,
    pub documents: u64,
    pub problems: u64,
    pub done: bool,
    /// What the engine saw in the file, once read to its end.
    #[serde(default)]
    pub report: Option<FileReport>,
}

/// A corpus as listed in the library.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CorpusRecord {
    pub id: String,
    pub name: String,
    pub files: Vec<FileEntry>,
    pub tokenizer: String,
    pub documents: u64,
    /// UTF-8 bytes of document text.
    pub bytes: u64,
    pub tokens: u64,
    pub problems: u64,
    /// Milliseconds since the Unix epoch.
    pub created_ms: f64,
    pub state: CorpusState,
    /// The text and source fields chosen by the user (`None`: detected).
    #[serde(default)]
    pub text_field: Option<String>,
    #[serde(default)]
    pub source_field: Option<String>,
    /// The field whose lists of numbers are the documents' embeddings, and
    /// their length (`None`: embedded with the bundled model).
    #[serde(default)]
    pub vector_field: Option<String>,
    #[serde(default)]
    pub vector_dim: Option<usize>,
    /// MinHash and LSH parameters of the corpus's dedup.
    #[serde(default)]
    pub dedup: DedupParams,
    /// The URL its one file was loaded from (share links carry it).
    #[serde(default)]
    pub url: Option<String>,
}

/// Bytes a stored document takes beside its text: keys, file, source, line
/// and token count, as IndexedDB keeps them (an estimate).
const RECORD_OVERHEAD: u64 = 96;
/// Values per embedding when the bundled model embeds.
const MODEL_DIM: u64 = 128;

impl CorpusRecord {
    /// About how many bytes the corpus takes in IndexedDB: its text, each
    /// document's record, embedding (f32) and MinHash signature (u32). The
    /// browser only tells the whole origin's use, so this is an estimate.
    pub fn stored_estimate(&self) -> u64 {
        let dim = self.vector_dim.map_or(MODEL_DIM, |d| d as u64);
        let per_document = RECORD_OVERHEAD + 4 * dim + 4 * self.dedup.minhash.num_perm as u64;
        self.bytes + self.documents * per_document
    }

    /// Whether every file was loaded to its end.
    pub fn is_complete(&self) -> bool {
        self.state == CorpusState::Complete
    }
}

/// One stored document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocumentRecord {
    pub corpus: String,
    /// Position in the corpus, from 0.
    pub seq: u64,
    pub file: String,
    pub line: u64,
    pub source: String,
    pub text: String,
    pub tokens: u32,
}

/// One stored rejected record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProblemRecord {
    pub corpus: String,
    pub seq: u64,
    pub file: String,
    pub line: u64,
    pub reason: String,
}

/// A complete corpus's report and the signatures that re-cluster it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportRecord {
    pub corpus: String,
    /// The report as JSON, in the CLI's schema.
    pub json: String,
    /// `SignatureStore::to_bytes`.
    #[serde(with = "serde_bytes")]
    pub signatures: Vec<u8>,
    /// The vector index, map and semantic clusters, when embedded.
    #[serde(default)]
    pub vectors: Option<StoredVectors>,
    /// Each document's token count (little-endian u32) under the corpus's
    /// tokenizer, when it was changed after loading: the documents keep the
    /// counts they were loaded with.
    #[serde(default, with = "serde_bytes")]
    pub token_counts: Option<Vec<u8>>,
}

/// The embeddings of one stored batch: `count` rows of `dim` little-endian
/// f32 values, for the documents from `seq` on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VectorBlock {
    pub corpus: String,
    pub seq: u64,
    pub dim: u32,
    pub count: u32,
    #[serde(with = "serde_bytes")]
    pub data: Vec<u8>,
}

/// A `tokenizer.json` the user supplied.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TokenizerRecord {
    pub name: String,
    #[serde(with = "serde_bytes")]
    pub json: Vec<u8>,
}

/// An open database.
pub struct Storage {
    db: Rexie,
}

impl Storage {
    /// Opens (creating or upgrading) the database called `name`.
    pub async fn open(name: &str) -> Result<Self, AppError> {
        let db = Rexie::builder(name)
            .version(DB_VERSION)
            .add_object_store(ObjectStore::new(CORPORA).key_path("id"))
            .add_object_store(ObjectStore::new(DOCUMENTS).key_path_array(["corpus", "seq"]))
            .add_object_store(ObjectStore::new(PROBLEMS).key_path_array(["corpus", "seq"]))
            .add_object_store(ObjectStore::new(TOKENIZERS).key_path("name"))
            .add_object_store(ObjectStore::new(REPORTS).key_path("corpus"))
            .add_object_store(ObjectStore::new(VECTORS).key_path_array(["corpus", "seq"]))
            .build()
            .await?;
        Ok(Self { db })
    }

    /// Closes the connection, so that a delete or an upgrade elsewhere can go on.
    pub fn close(self) {
        self.db.close();
    }

    /// Deletes the database called `name` and everything in it.
    pub async fn delete_database(name: &str) -> Result<(), AppError> {
        Rexie::delete(name).await.map_err(AppError::from)
    }

    /// Writes (or replaces) a corpus record.
    pub async fn put_corpus(&self, corpus: &CorpusRecord) -> Result<(), AppError> {
        let tx = self
            .db
            .transaction(&[CORPORA], TransactionMode::ReadWrite)?;
        tx.store(CORPORA)?.put(&to_js(corpus)?, None).await?;
        finish(tx).await
    }

    /// Appends a batch (with its embeddings) and the corpus record that
    /// counts it, in one transaction: all of it lands or none of it does.
    pub async fn add_batch(
        &self,
        corpus: &CorpusRecord,
        docs: &[DocumentRecord],
        problems: &[ProblemRecord],
        vectors: Option<&VectorBlock>,
    ) -> Result<(), AppError> {
        let tx = self.db.transaction(
            &[CORPORA, DOCUMENTS, PROBLEMS, VECTORS],
            TransactionMode::ReadWrite,
        )?;
        put_all(&tx.store(DOCUMENTS)?, docs).await?;
        put_all(&tx.store(PROBLEMS)?, problems).await?;
        if let Some(block) = vectors.filter(|b| b.count > 0) {
            tx.store(VECTORS)?.put(&to_js(block)?, None).await?;
        }
        tx.store(CORPORA)?.put(&to_js(corpus)?, None).await?;
        finish(tx).await
    }

    /// Writes the final corpus record with its report (if complete) in one
    /// transaction, replacing any older report.
    pub async fn finish_corpus(
        &self,
        corpus: &CorpusRecord,
        report: Option<&ReportRecord>,
    ) -> Result<(), AppError> {
        let tx = self
            .db
            .transaction(&[CORPORA, REPORTS], TransactionMode::ReadWrite)?;
        let reports = tx.store(REPORTS)?;
        match report {
            Some(report) => {
                reports.put(&to_js(report)?, None).await?;
            }
            None => reports.delete(JsValue::from_str(&corpus.id)).await?,
        }
        tx.store(CORPORA)?.put(&to_js(corpus)?, None).await?;
        finish(tx).await
    }

    /// The stored report of a corpus, if it is complete.
    pub async fn report(&self, corpus: &str) -> Result<Option<ReportRecord>, AppError> {
        let tx = self.db.transaction(&[REPORTS], TransactionMode::ReadOnly)?;
        let value = tx.store(REPORTS)?.get(JsValue::from_str(corpus)).await?;
        Ok(value.map(serde_wasm_bindgen::from_value).transpose()?)
    }

    /// One corpus by id.
    pub async fn corpus(&self, id: &str) -> Result<Option<CorpusRecord>, AppError> {
        let tx = self.db.transaction(&[CORPORA], TransactionMode::ReadOnly)?;
        let value = tx.store(CORPORA)?.get(JsValue::from_str(id)).await?;
        Ok(value.map(serde_wasm_bindgen::from_value).transpose()?)
    }

    /// Every corpus, oldest first.
    pub async fn corpora(&self) -> Result<Vec<CorpusRecord>, AppError> {
        let mut list: Vec<CorpusRecord> = self.all(CORPORA, None, None).await?;
        list.sort_by(|a, b| a.created_ms.total_cmp(&b.created_ms));
        Ok(list)
    }

    /// Up to `limit` documents of one corpus, in order.
    pub async fn documents(
        &self,
        corpus: &str,
        limit: Option<u32>,
    ) -> Result<Vec<DocumentRecord>, AppError> {
        self.all(DOCUMENTS, Some(corpus_range(corpus, 0)?), limit)
            .await
    }

    /// Up to `limit` documents of one corpus from position `from` on.
    pub async fn documents_from(
        &self,
        corpus: &str,
        from: u64,
        limit: u32,
    ) -> Result<Vec<DocumentRecord>, AppError> {
        self.all(DOCUMENTS, Some(corpus_range(corpus, from)?), Some(limit))
            .await
    }

    /// The corpus's `total` stored documents in order, `page` at a time.
    pub fn pages<'a>(&'a self, corpus: &CorpusRecord, page: u32) -> DocumentPages<'a> {
        DocumentPages {
            storage: self,
            corpus: corpus.id.clone(),
            next: 0,
            end: corpus.documents,
            page,
        }
    }

    /// The embeddings of a corpus's first `documents` documents: their
    /// dimension and rows (little-endian f32), or `None` if any is missing.
    pub async fn vectors(
        &self,
        corpus: &str,
        documents: u64,
    ) -> Result<Option<(u32, Vec<u8>)>, AppError> {
        let blocks: Vec<VectorBlock> = self
            .all(VECTORS, Some(corpus_range(corpus, 0)?), None)
            .await?;
        let Some(dim) = blocks.first().map(|b| b.dim) else {
            return Ok(None);
        };
        let mut data = Vec::with_capacity(documents as usize * dim as usize * 4);
        let mut next = 0u64;
        for block in blocks.into_iter().take_while(|b| b.seq < documents) {
            if block.seq != next || block.dim != dim {
                return Ok(None);
            }
            next += u64::from(block.count);
            data.extend_from_slice(&block.data);
        }
        Ok((next == documents).then_some((dim, data)))
    }

    /// The rejected records of one corpus, in order.
    pub async fn problems(&self, corpus: &str) -> Result<Vec<ProblemRecord>, AppError> {
        self.all(PROBLEMS, Some(corpus_range(corpus, 0)?), None)
            .await
    }

    /// Removes a corpus with everything stored for it in one transaction.
    pub async fn delete_corpus(&self, corpus: &str) -> Result<(), AppError> {
        let tx = self.db.transaction(
            &[CORPORA, DOCUMENTS, PROBLEMS, REPORTS, VECTORS],
            TransactionMode::ReadWrite,
        )?;
        for store in [DOCUMENTS, PROBLEMS, VECTORS] {
            tx.store(store)?
                .delete(corpus_range(corpus, 0)?.into())
                .await?;
        }
        tx.store(REPORTS)?.delete(JsValue::from_str(corpus)).await?;
        tx.store(CORPORA)?.delete(JsValue::from_str(corpus)).await?;
        finish(tx).await
    }

    /// Stores a user-supplied tokenizer (replacing one of the same name).
    pub async fn put_tokenizer(&self, tokenizer: &TokenizerRecord) -> Result<(), AppError> {
        let tx = self
            .db
            .transaction(&[TOKENIZERS], TransactionMode::ReadWrite)?;
        tx.store(TOKENIZERS)?.put(&to_js(tokenizer)?, None).await?;
        finish(tx).await
    }

    /// A user-supplied tokenizer by name.
    pub async fn tokenizer(&self, name: &str) -> Result<Option<TokenizerRecord>, AppError> {
        let tx = self
            .db
            .transaction(&[TOKENIZERS], TransactionMode::ReadOnly)?;
        let value = tx.store(TOKENIZERS)?.get(JsValue::from_str(name)).await?;
        Ok(value.map(serde_wasm_bindgen::from_value).transpose()?)
    }

    /// The names of the user-supplied tokenizers.
    pub async fn tokenizer_names(&self) -> Result<Vec<String>, AppError> {
        let tx = self
            .db
            .transaction(&[TOKENIZERS], TransactionMode::ReadOnly)?;
        let keys = tx.store(TOKENIZERS)?.get_all_keys(None, None).await?;
        Ok(keys.iter().filter_map(JsValue::as_string).collect())
    }

    async fn all<T: for<'de> Deserialize<'de>>(
        &self,
        store: &str,
        range: Option<KeyRange>,
        limit: Option<u32>,
    ) -> Result<Vec<T>, AppError> {
        let tx = self.db.transaction(&[store], TransactionMode::ReadOnly)?;
        let values = tx.store(store)?.get_all(range, limit).await?;
        values
            .into_iter()
            .map(|v| serde_wasm_bindgen::from_value(v).map_err(AppError::from))
            .collect()
    }
}

async fn put_all<T: Serialize>(store: &rexie::Store, items: &[T]) -> Result<(), AppError> {
    if items.is_empty() {
        return Ok(());
    }
    let values = items
        .iter()
        .map(|item| to_js(item).map(|v| (v, None)))
        .collect::<Result<Vec<_>, _>>()?;
    store.put_all(values.into_iter()).await?;
    Ok(())
}

/// The key range `[corpus, from] ..= [corpus, +inf]`: one corpus's records
/// from position `from` on.
fn corpus_range(corpus: &str, from: u64) -> Result<KeyRange, AppError> {
    let key = |seq: f64| {
        let pair = js_sys::Array::new();
        pair.push(&JsValue::from_str(corpus));
        pair.push(&JsValue::from_f64(seq));
        JsValue::from(pair)
    };
    KeyRange::bound(&key(from as f64), &key(f64::INFINITY), None, None)
        .map_err(|e| AppError::Storage(e.to_string()))
}

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, AppError> {
    Ok(serde_wasm_bindgen::to_value(value)?)
}

async fn finish(tx: rexie::Transaction) -> Result<(), AppError> {
    match tx.done().await? {
        TransactionResult::Committed => Ok(()),
        TransactionResult::Aborted if near_quota().await => Err(AppError::QuotaExceeded),
        TransactionResult::Aborted => Err(AppError::Storage(
            "the browser aborted the write, most often because this site's storage quota is \
             full (it may be limited below the disk's free space); delete a corpus and try again"
                .into(),
        )),
    }
}

/// Whether the origin is within 8 MiB (or a tenth) of its quota. An aborted
/// write reports no cause through rexie (its `DOMException` is not exposed),
/// so a write that aborts this close to the quota is taken as a full quota.
async fn near_quota() -> bool {
    const MARGIN: f64 = 8.0 * 1024.0 * 1024.0;
    estimate()
        .await
        .is_some_and(|(usage, quota)| quota - usage < MARGIN.max(quota / 10.0))
}

/// The origin's storage use and quota, in bytes, if the browser tells.
pub async fn estimate() -> Option<(f64, f64)> {
    let storage = web_sys::window()?.navigator().storage();
    let promise = storage.estimate().ok()?;
    let value = wasm_bindgen_futures::JsFuture::from(promise).await.ok()?;
    let get = |key: &str| {
        js_sys::Reflect::get(&value, &JsValue::from_str(key))
            .ok()?
            .as_f64()
    };
    Some((get("usage")?, get("quota")?))
}

/// Asks the browser not to evict this origin's data; returns whether it agreed.
pub async fn request_persistence() -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let Ok(promise) = window.navigator().storage().persist() else {
        return false;
    };
    wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .ok()
        .and_then(|v| v.as_bool())
        .unwrap_or(false)
}

/// A corpus's stored documents in order, a page at a time (see
/// [`Storage::pages`]).
pub struct DocumentPages<'a> {
    storage: &'a Storage,
    corpus: String,
    next: u64,
    end: u64,
    page: u32,
}

impl DocumentPages<'_> {
    /// The next page, or `None` after the corpus's last document. Fewer
    /// stored documents than the record counts is an error, never a short
    /// answer.
    pub async fn next_page(&mut self) -> Result<Option<Vec<DocumentRecord>>, AppError> {
        if self.next >= self.end {
            return Ok(None);
        }
        let page = self
            .storage
            .documents_from(&self.corpus, self.next, self.page)
            .await?;
        if page.is_empty() {
            return Err(AppError::Storage(format!(
                "the corpus counts {} documents but only {} are stored",
                self.end, self.next
            )));
        }
        self.next += page.len() as u64;
        Ok(Some(page))
    }

    /// How many documents the pages so far held.
    pub fn read(&self) -> u64 {
        self.next
    }
}
