//! The storage module against the browser's real IndexedDB.
#![cfg(target_arch = "wasm32")]

use corpuscope_app::storage::{
    CorpusRecord, CorpusState, DocumentRecord, FileEntry, ProblemRecord, ReportRecord, Storage,
    TokenizerRecord, VectorBlock,
};
use corpuscope_core::dedup::{DedupParams, MinHashScheme};
use corpuscope_core::vectors::synthetic::clustered;
use corpuscope_core::vectors::{CorpusVectors, SemDedupParams};
use rexie::{ObjectStore, Rexie, TransactionMode};
use serde::Serialize;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn corpus(id: &str, state: CorpusState) -> CorpusRecord {
    CorpusRecord {
        id: id.into(),
        name: format!("{id}.jsonl"),
        files: vec![FileEntry {
            name: format!("{id}.jsonl"),
            bytes: 40,
            documents: 2,
            problems: 1,
            done: state == CorpusState::Complete,
            report: None,
        }],
        tokenizer: "gpt2-bytelevel-bpe".into(),
        documents: 2,
        bytes: 11,
        tokens: 3,
        problems: 1,
        created_ms: 1_700_000_000_000.0,
        state,
        text_field: Some("body".into()),
        source_field: None,
        vector_field: Some("meta.embedding".into()),
        vector_dim: Some(384),
        dedup: DedupParams::default(),
        url: None,
    }
}

fn doc(corpus: &str, seq: u64, text: &str) -> DocumentRecord {
    DocumentRecord {
        corpus: corpus.into(),
        seq,
        file: format!("{corpus}.jsonl"),
        line: seq + 1,
        source: "web".into(),
        text: text.into(),
        tokens: 1,
    }
}

fn problem(corpus: &str, seq: u64) -> ProblemRecord {
    ProblemRecord {
        corpus: corpus.into(),
        seq,
        file: format!("{corpus}.jsonl"),
        line: 7,
        reason: "invalid JSON".into(),
    }
}

#[wasm_bindgen_test]
async fn corpus_documents_and_problems_round_trip() {
    let name = "corpuscope-test-round-trip";
    Storage::delete_database(name).await.unwrap();
    let storage = Storage::open(name).await.unwrap();

    let a = corpus("a", CorpusState::Complete);
    let b = corpus("b", CorpusState::Failed("quota".into()));
    let docs_a = vec![doc("a", 0, "hello"), doc("a", 1, "<script>x</script>")];
    storage.put_corpus(&a).await.unwrap();
    let rows = |seq: u64, values: &[f32]| VectorBlock {
        corpus: "a".into(),
        seq,
        dim: 2,
        count: (values.len() / 2) as u32,
        data: values.iter().flat_map(|v| v.to_le_bytes()).collect(),
    };
    storage
        .add_batch(
            &a,
            &docs_a[..1],
            &[problem("a", 0)],
            Some(&rows(0, &[0.5, -1.0])),
        )
        .await
        .unwrap();
    storage
        .add_batch(
            &a,
            &docs_a[1..],
            &[],
            Some(&rows(1, &[f32::MIN_POSITIVE, 3.0])),
        )
        .await
        .unwrap();
    storage
        .add_batch(&b, &[doc("b", 0, "other")], &[problem("b", 0)], None)
        .await
        .unwrap();

    // Reopen, as a reload would.
    storage.close();
    let storage = Storage::open(name).await.unwrap();
    assert_eq!(storage.corpora().await.unwrap(), vec![a.clone(), b.clone()]);
    assert_eq!(storage.corpus("b").await.unwrap(), Some(b.clone()));
    assert_eq!(storage.documents("a", None).await.unwrap(), docs_a);
    assert_eq!(storage.documents("a", Some(1)).await.unwrap(), docs_a[..1]);
    assert_eq!(storage.problems("a").await.unwrap(), vec![problem("a", 0)]);
    assert_eq!(
        storage.documents_from("a", 1, 10).await.unwrap(),
        docs_a[1..]
    );
    // The vectors of both batches, in order, bit for bit; none for b.
    let want: Vec<u8> = [0.5f32, -1.0, f32::MIN_POSITIVE, 3.0]
        .iter()
        .flat_map(|v| v.to_le_bytes())
        .collect();
    assert_eq!(
        storage.vectors("a", 2).await.unwrap(),
        Some((2, want.clone()))
    );
    assert_eq!(
        storage.vectors("a", 1).await.unwrap(),
        Some((2, want[..8].to_vec()))
    );
    assert_eq!(
        storage.vectors("a", 3).await.unwrap(),
        None,
        "a missing batch"
    );
    assert_eq!(storage.vectors("b", 1).await.unwrap(), None);

    let embedded = CorpusVectors::build(clustered(40, 8, 3, 0.1, 1), SemDedupParams::default())
        .unwrap()
        .to_stored();
    let report = ReportRecord {
        corpus: "b".into(),
        json: "{\"schema\":1}".into(),
        signatures: vec![112, 0, 0, 0, 255],
        vectors: Some(embedded),
        token_counts: Some(vec![7, 0, 0, 0, 1, 1, 0, 0]),
    };
    storage.finish_corpus(&b, Some(&report)).await.unwrap();
    assert_eq!(storage.report("b").await.unwrap(), Some(report));
    assert_eq!(storage.report("a").await.unwrap(), None);

    storage.delete_corpus("a").await.unwrap();
    assert_eq!(storage.vectors("a", 2).await.unwrap(), None);
    storage.put_corpus(&a).await.unwrap();
    storage
        .add_batch(&a, &docs_a, &[problem("a", 0)], None)
        .await
        .unwrap();
    storage.delete_corpus("b").await.unwrap();
    assert_eq!(storage.report("b").await.unwrap(), None);
    assert_eq!(storage.corpora().await.unwrap(), vec![a]);
    assert!(storage.documents("b", None).await.unwrap().is_empty());
    assert!(storage.problems("b").await.unwrap().is_empty());
    assert_eq!(storage.documents("a", None).await.unwrap().len(), 2);

    storage.close();
    Storage::delete_database(name).await.unwrap();
}

#[wasm_bindgen_test]
async fn user_tokenizers_are_kept_as_bytes() {
    let name = "corpuscope-test-tokenizers";
    Storage::delete_database(name).await.unwrap();
    let storage = Storage::open(name).await.unwrap();
    let record = TokenizerRecord {
        name: "my-tokenizer.json".into(),
        json: b"{\"model\": {}}\xff".to_vec(),
    };
    storage.put_tokenizer(&record).await.unwrap();
    assert_eq!(
        storage.tokenizer_names().await.unwrap(),
        vec!["my-tokenizer.json".to_string()]
    );
    assert_eq!(
        storage.tokenizer("my-tokenizer.json").await.unwrap(),
        Some(record)
    );
    assert_eq!(storage.tokenizer("missing").await.unwrap(), None);
    storage.close();
    Storage::delete_database(name).await.unwrap();
}

/// A database written by the previous release (version 1: no `reports`
/// store, corpus records without fields or dedup settings) opens with its
/// data intact and gains the new store.
#[wasm_bindgen_test]
async fn version_1_database_upgrades_without_loss() {
    let name = "corpuscope-test-upgrade";
    Storage::delete_database(name).await.unwrap();
    let old = Rexie::builder(name)
        .version(1)
        .add_object_store(ObjectStore::new("corpora").key_path("id"))
        .add_object_store(ObjectStore::new("documents").key_path_array(["corpus", "seq"]))
        .add_object_store(ObjectStore::new("problems").key_path_array(["corpus", "seq"]))
        .add_object_store(ObjectStore::new("tokenizers").key_path("name"))
        .build()
        .await
        .unwrap();
    let v1_corpus = serde_json::json!({
        "id": "old", "name": "old.jsonl", "tokenizer": "gpt2-bytelevel-bpe",
        "files": [{"name": "old.jsonl", "bytes": 40, "documents": 1, "problems": 0, "done": true}],
        "documents": 1, "bytes": 5, "tokens": 1, "problems": 0,
        "created_ms": 1.0, "state": "Complete"
    });
    let to_js = |v: &serde_json::Value| {
        v.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
            .unwrap()
    };
    let tx = old
        .transaction(&["corpora", "documents"], TransactionMode::ReadWrite)
        .unwrap();
    tx.store("corpora")
        .unwrap()
        .put(&to_js(&v1_corpus), None)
        .await
        .unwrap();
    let v1_doc = serde_json::json!({
        "corpus": "old", "seq": 0, "file": "old.jsonl", "line": 1,
        "source": "web", "text": "hello", "tokens": 1
    });
    tx.store("documents")
        .unwrap()
        .put(&to_js(&v1_doc), None)
        .await
        .unwrap();
    tx.done().await.unwrap();
    old.close();

    let storage = Storage::open(name).await.unwrap();
    let corpora = storage.corpora().await.unwrap();
    assert_eq!(corpora.len(), 1);
    assert_eq!(corpora[0].name, "old.jsonl");
    assert_eq!(corpora[0].dedup, DedupParams::default());
    assert_eq!(corpora[0].files[0].report, None);
    let docs = storage.documents("old", None).await.unwrap();
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0].text, "hello");
    assert_eq!(storage.report("old").await.unwrap(), None);
    storage.close();
    Storage::delete_database(name).await.unwrap();
}

/// A database written by the release before this one (version 2: a
/// `reports` store whose records hold no vectors or recounted tokens, no
/// `vectors` store, corpus records without a vector field or URL) opens with
/// its corpus, documents and report intact, and gains the `vectors` store.
#[wasm_bindgen_test]
async fn version_2_database_upgrades_without_loss() {
    let name = "corpuscope-test-upgrade-2";
    Storage::delete_database(name).await.unwrap();
    let old = Rexie::builder(name)
        .version(2)
        .add_object_store(ObjectStore::new("corpora").key_path("id"))
        .add_object_store(ObjectStore::new("documents").key_path_array(["corpus", "seq"]))
        .add_object_store(ObjectStore::new("problems").key_path_array(["corpus", "seq"]))
        .add_object_store(ObjectStore::new("tokenizers").key_path("name"))
        .add_object_store(ObjectStore::new("reports").key_path("corpus"))
        .build()
        .await
        .unwrap();
    let mut dedup = DedupParams::default();
    dedup.minhash.bands = 28;
    dedup.minhash.rows = 4;
    // Version 2 had no MinHash scheme: its signatures are the permutations'.
    let mut v2_dedup = serde_json::to_value(dedup).unwrap();
    v2_dedup["minhash"]
        .as_object_mut()
        .unwrap()
        .remove("scheme");
    dedup.minhash.scheme = MinHashScheme::Permutations;
    let v2_corpus = serde_json::json!({
        "id": "old", "name": "old.jsonl", "tokenizer": "cl100k_base",
        "files": [{"name": "old.jsonl", "bytes": 40, "documents": 2, "problems": 0, "done": true}],
        "documents": 2, "bytes": 11, "tokens": 3, "problems": 0,
        "created_ms": 1.0, "state": "Complete",
        "text_field": "body", "source_field": null,
        "dedup": v2_dedup
    });
    let to_js = |v: &serde_json::Value| {
        v.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
            .unwrap()
    };
    let tx = old
        .transaction(
            &["corpora", "documents", "reports"],
            TransactionMode::ReadWrite,
        )
        .unwrap();
    tx.store("corpora")
        .unwrap()
        .put(&to_js(&v2_corpus), None)
        .await
        .unwrap();
    for (seq, text) in ["hello", "world!"].into_iter().enumerate() {
        let doc = serde_json::json!({
            "corpus": "old", "seq": seq, "file": "old.jsonl", "line": seq + 1,
            "source": "web", "text": text, "tokens": 1 + seq
        });
        tx.store("documents")
            .unwrap()
            .put(&to_js(&doc), None)
            .await
            .unwrap();
    }
    // Version 2 wrote the signatures as a Uint8Array, as version 3 does.
    let report = js_sys::Object::new();
    js_sys::Reflect::set(&report, &"corpus".into(), &"old".into()).unwrap();
    js_sys::Reflect::set(&report, &"json".into(), &r#"{"v": 2}"#.into()).unwrap();
    let signatures = js_sys::Uint8Array::from(&[1u8, 2, 3, 4][..]);
    js_sys::Reflect::set(&report, &"signatures".into(), &signatures).unwrap();
    tx.store("reports")
        .unwrap()
        .put(&report, None)
        .await
        .unwrap();
    tx.done().await.unwrap();
    old.close();

    let storage = Storage::open(name).await.unwrap();
    let corpora = storage.corpora().await.unwrap();
    assert_eq!(corpora.len(), 1);
    assert_eq!(corpora[0].tokenizer, "cl100k_base");
    assert_eq!(corpora[0].text_field.as_deref(), Some("body"));
    assert_eq!(corpora[0].dedup, dedup);
    assert_eq!(corpora[0].vector_field, None);
    assert_eq!(corpora[0].url, None);
    let docs = storage.documents("old", None).await.unwrap();
    let texts: Vec<&str> = docs.iter().map(|d| d.text.as_str()).collect();
    assert_eq!(texts, ["hello", "world!"]);
    let report = storage.report("old").await.unwrap().unwrap();
    assert_eq!(report.json, r#"{"v": 2}"#);
    assert_eq!(report.signatures, [1, 2, 3, 4]);
    assert_eq!((report.vectors, report.token_counts), (None, None));
    // The new store is there and empty for the old corpus.
    assert_eq!(storage.vectors("old", 2).await.unwrap(), None);
    storage.close();
    Storage::delete_database(name).await.unwrap();
}
