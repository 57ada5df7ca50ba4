//! The corpus library in IndexedDB, through `rexie`.
//!
//! Two stores: `corpora` (one record per corpus, keyed by its id) and
//! `documents` (keyed by `[corpus, seq]`, so one key range holds a corpus). A corpus record is written
//! `complete: false` before its first document and set complete after its last,
//! so a reload mid-way shows it as incomplete rather than whole.

use crate::error::AppError;
use rexie::{KeyRange, ObjectStore, Rexie, TransactionMode, TransactionResult};
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsValue;

/// The database name the app uses.
pub const DB_NAME: &str = "corpuscope";
const DB_VERSION: u32 = 1;
const CORPORA: &str = "corpora";
const DOCUMENTS: &str = "documents";

/// A corpus as listed in the library.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CorpusRecord {
    pub id: String,
    pub name: String,
    pub files: Vec<String>,
    pub tokenizer: String,
    pub documents: u64,
    pub bytes: u64,
    pub tokens: u64,
    pub problems: u64,
    /// Milliseconds since the Unix epoch.
    pub created_ms: f64,
    pub complete: bool,
}

/// One stored document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocumentRecord {
    pub corpus: String,
    /// Position in the corpus, from 0.
    pub seq: u64,
    pub line: u64,
    pub source: String,
    pub text: String,
    pub tokens: u32,
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

    /// Appends documents in one transaction: all of them land or none does.
    pub async fn add_documents(&self, docs: &[DocumentRecord]) -> Result<(), AppError> {
        if docs.is_empty() {
            return Ok(());
        }
        let tx = self
            .db
            .transaction(&[DOCUMENTS], TransactionMode::ReadWrite)?;
        let store = tx.store(DOCUMENTS)?;
        let values = docs
            .iter()
            .map(|d| to_js(d).map(|v| (v, None)))
            .collect::<Result<Vec<_>, _>>()?;
        store.add_all(values.into_iter()).await?;
        finish(tx).await
    }

    /// Every corpus, oldest first.
    pub async fn corpora(&self) -> Result<Vec<CorpusRecord>, AppError> {
        let tx = self.db.transaction(&[CORPORA], TransactionMode::ReadOnly)?;
        let values = tx.store(CORPORA)?.get_all(None, None).await?;
        let mut list = values
            .into_iter()
            .map(serde_wasm_bindgen::from_value::<CorpusRecord>)
            .collect::<Result<Vec<_>, _>>()?;
        list.sort_by(|a, b| a.created_ms.total_cmp(&b.created_ms));
        Ok(list)
    }

    /// The documents of one corpus, in insertion order.
    pub async fn documents(&self, corpus: &str) -> Result<Vec<DocumentRecord>, AppError> {
        let tx = self
            .db
            .transaction(&[DOCUMENTS], TransactionMode::ReadOnly)?;
        let values = tx
            .store(DOCUMENTS)?
            .get_all(Some(corpus_range(corpus)?), None)
            .await?;
        values
            .into_iter()
            .map(|v| serde_wasm_bindgen::from_value(v).map_err(AppError::from))
            .collect()
    }

    /// Removes a corpus and all its documents in one transaction.
    pub async fn delete_corpus(&self, corpus: &str) -> Result<(), AppError> {
        let tx = self
            .db
            .transaction(&[CORPORA, DOCUMENTS], TransactionMode::ReadWrite)?;
        tx.store(DOCUMENTS)?
            .delete(corpus_range(corpus)?.into())
            .await?;
        tx.store(CORPORA)?.delete(JsValue::from_str(corpus)).await?;
        finish(tx).await
    }
}

/// The key range `[corpus, 0] ..= [corpus, +inf]` holding one corpus's documents.
fn corpus_range(corpus: &str) -> Result<KeyRange, AppError> {
    let key = |seq: f64| {
        let pair = js_sys::Array::new();
        pair.push(&JsValue::from_str(corpus));
        pair.push(&JsValue::from_f64(seq));
        JsValue::from(pair)
    };
    KeyRange::bound(&key(0.0), &key(f64::INFINITY), None, None)
        .map_err(|e| AppError::Storage(e.to_string()))
}

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, AppError> {
    Ok(serde_wasm_bindgen::to_value(value)?)
}

async fn finish(tx: rexie::Transaction) -> Result<(), AppError> {
    match tx.done().await? {
        TransactionResult::Committed => Ok(()),
        TransactionResult::Aborted => Err(AppError::Storage("the transaction was aborted".into())),
    }
}
