//! The storage module against the browser's real IndexedDB.
#![cfg(target_arch = "wasm32")]

use corpuscope_app::storage::{
    CorpusRecord, CorpusState, DocumentRecord, FileEntry, ProblemRecord, Storage, TokenizerRecord,
};
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
        }],
        tokenizer: "gpt2-bytelevel-bpe".into(),
        documents: 2,
        bytes: 11,
        tokens: 3,
        problems: 1,
        created_ms: 1_700_000_000_000.0,
        state,
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
    storage
        .add_batch(&a, &docs_a, &[problem("a", 0)])
        .await
        .unwrap();
    storage
        .add_batch(&b, &[doc("b", 0, "other")], &[problem("b", 0)])
        .await
        .unwrap();

    // Reopen, as a reload would.
    storage.close();
    let storage = Storage::open(name).await.unwrap();
    assert_eq!(storage.corpora().await.unwrap(), vec![a.clone(), b.clone()]);
    assert_eq!(storage.corpus("b").await.unwrap(), Some(b));
    assert_eq!(storage.documents("a", None).await.unwrap(), docs_a);
    assert_eq!(storage.documents("a", Some(1)).await.unwrap(), docs_a[..1]);
    assert_eq!(storage.problems("a").await.unwrap(), vec![problem("a", 0)]);

    storage.delete_corpus("b").await.unwrap();
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
