//! The storage module against the browser's real IndexedDB.
#![cfg(target_arch = "wasm32")]

use corpuscope_app::storage::{CorpusRecord, DocumentRecord, Storage};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn corpus(id: &str, complete: bool) -> CorpusRecord {
    CorpusRecord {
        id: id.into(),
        name: format!("{id}.jsonl"),
        files: vec![format!("{id}.jsonl")],
        tokenizer: "gpt2-bytelevel-bpe".into(),
        documents: 2,
        bytes: 11,
        tokens: 3,
        problems: 1,
        created_ms: 1_700_000_000_000.0,
        complete,
    }
}

fn doc(corpus: &str, seq: u64, text: &str) -> DocumentRecord {
    DocumentRecord {
        corpus: corpus.into(),
        seq,
        line: seq + 1,
        source: "web".into(),
        text: text.into(),
        tokens: 1,
    }
}

#[wasm_bindgen_test]
async fn corpus_and_documents_round_trip() {
    let name = "corpuscope-test-round-trip";
    Storage::delete_database(name).await.unwrap();
    let storage = Storage::open(name).await.unwrap();

    let a = corpus("a", true);
    let b = corpus("b", false);
    storage.put_corpus(&a).await.unwrap();
    storage.put_corpus(&b).await.unwrap();
    let docs_a = vec![doc("a", 0, "hello"), doc("a", 1, "<script>x</script>")];
    storage.add_documents(&docs_a).await.unwrap();
    storage
        .add_documents(&[doc("b", 0, "other")])
        .await
        .unwrap();

    // Reopen, as a reload would.
    storage.close();
    let storage = Storage::open(name).await.unwrap();
    assert_eq!(storage.corpora().await.unwrap(), vec![a.clone(), b]);
    assert_eq!(storage.documents("a").await.unwrap(), docs_a);

    storage.delete_corpus("b").await.unwrap();
    assert_eq!(storage.corpora().await.unwrap(), vec![a]);
    assert!(storage.documents("b").await.unwrap().is_empty());
    assert_eq!(storage.documents("a").await.unwrap().len(), 2);

    storage.close();
    Storage::delete_database(name).await.unwrap();
}
