use super::*;
use crate::ingest::FieldChoice;
use crate::test_assets::{demo_lines, gpt2 as counter, model};
use proptest::prelude::*;

/// The first `lines` lines of the demo corpus, a broken line among them.
fn demo(lines: usize) -> Vec<u8> {
    let mut out = demo_lines(lines);
    out.extend_from_slice(b"{broken\n{\"text\":\"the last one\",\"source\":\"tail\"}\n");
    out
}

fn params() -> DedupParams {
    DedupParams::default()
}

/// One run over `files`, read in `chunk`-byte slices and analysed in
/// batches of at least `batch` documents.
fn run(files: &[(&str, &[u8])], chunk: usize, batch: usize, embed: bool) -> Finished {
    let mut analysis = Analysis::new(counter(), params(), embed).unwrap();
    let mut pipeline = Pipeline::new("gpt2", params()).unwrap();
    for (name, bytes) in files {
        pipeline
            .read_file(
                *name,
                ReadOptions::default(),
                *bytes,
                (chunk, batch),
                |docs| analysis.analyze(Some(model()), docs),
                |_| {},
            )
            .unwrap();
    }
    pipeline.finish().unwrap()
}

#[test]
fn chunk_and_batch_sizes_do_not_change_the_run() {
    let data = demo(400);
    let files: [(&str, &[u8]); 2] = [("a.jsonl", &data), ("b.txt", b"plain text file")];
    let whole = run(&files, 1 << 30, usize::MAX, true);
    assert_eq!(whole.report.tokens.overall.documents, 402);
    assert_eq!(whole.report.problems.len(), 1);
    assert_eq!(whole.vectors.as_ref().unwrap().len(), 402);
    for (chunk, batch) in [(1000, 1), (4096, 50), (65_536, 7)] {
        let cut = run(&files, chunk, batch, true);
        assert_eq!(cut.report, whole.report, "chunk {chunk}, batch {batch}");
        assert_eq!(cut.signatures.to_bytes(), whole.signatures.to_bytes());
        assert_eq!(cut.vectors, whole.vectors);
    }
}

#[test]
fn a_run_without_embeddings_has_no_vectors() {
    let data = demo(50);
    let done = run(&[("a.jsonl", &data)], 4096, 10, false);
    assert!(done.vectors.is_none());
    assert_eq!(done.report.tokens.overall.documents, 51);
}

/// Feeds a file to `pipeline` (begun with `skip`), analysing every slice,
/// and stops after `limit` slices; the documents and problems given.
fn feed_some(
    pipeline: &mut Pipeline,
    analysis: &mut Analysis,
    bytes: &[u8],
    skip: Skip,
    limit: usize,
) -> (Vec<Document>, Vec<Problem>) {
    pipeline.begin("a.jsonl", ReadOptions::default(), skip);
    let (mut documents, mut problems) = (Vec::new(), Vec::new());
    let chunks: Vec<&[u8]> = bytes.chunks(700).collect();
    for (i, chunk) in chunks.iter().enumerate() {
        if i == limit {
            return (documents, problems);
        }
        let parsed = pipeline.feed(chunk).unwrap();
        let analyzed = analysis.analyze(None, &parsed.documents).unwrap();
        documents.extend(parsed.documents.iter().cloned());
        problems.extend(parsed.problems.iter().cloned());
        pipeline.add(analyzed, parsed.problems, None).unwrap();
    }
    let parsed = pipeline.end_file().unwrap();
    let analyzed = analysis.analyze(None, &parsed.documents).unwrap();
    documents.extend(parsed.documents.iter().cloned());
    problems.extend(parsed.problems.iter().cloned());
    pipeline
        .add(analyzed, parsed.problems, parsed.file)
        .unwrap();
    (documents, problems)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    /// A run stopped after any slice, then resumed (what it stored replayed,
    /// the file read again with those skipped), reports what one run does.
    #[test]
    fn a_resumed_run_reports_what_one_run_does(stop in 0usize..40) {
        let data = demo(60);
        let mut analysis = Analysis::new(counter(), params(), false).unwrap();
        let mut one = Pipeline::new("gpt2", params()).unwrap();
        let (all, all_problems) =
            feed_some(&mut one, &mut analysis, &data, Skip::default(), usize::MAX);
        let one = one.finish().unwrap();

        let mut first = Pipeline::new("gpt2", params()).unwrap();
        let (stored, stored_problems) =
            feed_some(&mut first, &mut analysis, &data, Skip::default(), stop);
        drop(first);

        let mut resumed = Pipeline::new("gpt2", params()).unwrap();
        resumed
            .add(analysis.analyze(None, &stored).unwrap(), stored_problems.clone(), None)
            .unwrap();
        let skip = Skip {
            documents: stored.len() as u64,
            problems: stored_problems.len() as u64,
        };
        let (rest, rest_problems) = feed_some(&mut resumed, &mut analysis, &data, skip, usize::MAX);
        prop_assert_eq!(stored.len() + rest.len(), all.len());
        prop_assert_eq!(stored_problems.len() + rest_problems.len(), all_problems.len());
        let resumed = resumed.finish().unwrap();
        prop_assert_eq!(resumed.report, one.report);
        prop_assert_eq!(resumed.signatures.to_bytes(), one.signatures.to_bytes());
    }

    /// Shares analysed apart and joined in order equal one analysis.
    #[test]
    fn shares_join_to_one_analysis(cuts in proptest::collection::vec(0usize..30, 0..4)) {
        let data = demo(30);
        let mut reader = FileReader::new("a.jsonl", ReadOptions::default());
        let mut batch = Batch::default();
        reader.feed(&data, &mut batch);
        reader.finish(&mut batch);
        let docs = batch.documents;
        let mut analysis = Analysis::new(counter(), params(), true).unwrap();
        let whole = analysis.analyze(Some(model()), &docs).unwrap();
        let mut cuts = cuts;
        cuts.push(0);
        cuts.push(docs.len());
        cuts.sort_unstable();
        let shares = cuts
            .windows(2)
            .map(|w| analysis.analyze(Some(model()), &docs[w[0]..w[1]]).unwrap());
        prop_assert_eq!(Analyzed::concat(shares).unwrap(), whole);
    }
}

#[test]
fn documents_with_and_without_vectors_do_not_mix() {
    let vectors =
        "{\"text\":\"a b c\",\"emb\":[1.0,2.0]}\n{\"text\":\"d e f\",\"emb\":[3.0,4.0]}\n";
    let options = ReadOptions {
        fields: FieldChoice {
            vector: Some("emb".into()),
            ..FieldChoice::default()
        },
        ..ReadOptions::default()
    };
    let mut analysis = Analysis::new(counter(), params(), false).unwrap();
    let mut pipeline = Pipeline::new("gpt2", params()).unwrap();
    pipeline
        .read_file(
            "v.jsonl",
            options,
            vectors.as_bytes(),
            (8, 1),
            |docs| analysis.analyze(None, docs),
            |_| {},
        )
        .unwrap();
    // The next file's vectors must have the first file's length.
    let short = "{\"text\":\"g\",\"emb\":[1.0]}\n";
    pipeline.begin(
        "w.jsonl",
        ReadOptions {
            fields: FieldChoice {
                vector: Some("emb".into()),
                ..FieldChoice::default()
            },
            ..ReadOptions::default()
        },
        Skip::default(),
    );
    let parsed = pipeline.feed(short.as_bytes()).unwrap();
    let ended = pipeline.end_file().unwrap();
    assert!(parsed.documents.is_empty() && ended.documents.is_empty());
    assert!(
        ended.problems[0].reason.contains("expected 2"),
        "{:?}",
        ended.problems
    );
    // A document without a vector after some with one is an error.
    let plain = Analyzed {
        facts: analysis
            .analyze(None, &[Document::plain(1, "s", "no vector")])
            .unwrap()
            .facts,
        vectors: None,
    };
    assert!(pipeline.add(plain, vec![], None).is_err());
    let done = pipeline.finish();
    assert!(done.is_ok());
}

#[test]
fn feeding_before_a_file_is_begun_is_an_error() {
    let mut pipeline = Pipeline::new("gpt2", params()).unwrap();
    assert!(pipeline.feed(b"x").is_err());
    assert!(pipeline.end_file().is_err());
}
