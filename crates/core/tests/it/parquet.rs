//! Parquet ingestion against the fixtures built by
//! scripts/assets/parquet_fixtures.py from the demo corpus.

use corpuscope_core::ingest::{parquet_schema, Batch, FieldChoice, ParquetParser, Parser};
use corpuscope_core::Document;
use proptest::prelude::*;

const CODECS: [&str; 4] = ["snappy", "gzip", "zstd", "none"];

/// Rows in each demo_*.parquet: the first records of the demo corpus.
const DEMO_ROWS: usize = 100;

fn fixture(name: &str) -> Vec<u8> {
    let path = crate::oracle::path(&format!("tests/fixtures/parquet/{name}"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

fn parse_with(name: &str, bytes: &[u8], fields: FieldChoice) -> Batch {
    let mut parser = ParquetParser::new(name, fields);
    let mut out = Batch::default();
    for chunk in bytes.chunks(64 * 1024) {
        parser.feed(chunk, &mut out);
    }
    parser.finish(&mut out);
    out
}

fn parse(name: &str) -> Batch {
    parse_with(name, &fixture(name), FieldChoice::default())
}

/// The first `n` records of the demo corpus as the JSON Lines parser reads them.
fn jsonl_documents(n: usize) -> Vec<Document> {
    let docs = &crate::dedup_fixtures::demo()[..n];
    docs.to_vec()
}

#[test]
fn every_codec_gives_the_jsonl_documents() {
    let expected = jsonl_documents(DEMO_ROWS);
    for codec in CODECS {
        let out = parse(&format!("demo_{codec}.parquet"));
        assert_eq!(out.problems, vec![], "{codec}");
        assert_eq!(out.documents.len(), expected.len(), "{codec}");
        assert!(out.documents == expected, "{codec}: documents differ");
    }
}

/// The browser's pure-Rust zstd path, run natively.
fn parse_pure_zstd(name: &str) -> Batch {
    let mut parser = ParquetParser::new(name, FieldChoice::default()).with_pure_rust_zstd();
    let mut out = Batch::default();
    parser.feed(&fixture(name), &mut out);
    parser.finish(&mut out);
    out
}

#[test]
fn pure_rust_zstd_matches_the_c_library() {
    let expected = jsonl_documents(DEMO_ROWS);
    for codec in CODECS {
        let out = parse_pure_zstd(&format!("demo_{codec}.parquet"));
        assert_eq!(out.problems, vec![], "{codec}");
        assert!(out.documents == expected, "{codec}: documents differ");
    }
    // Version 2 data pages, structs, lists and a null.
    let native = parse("nested_zstd_v2.parquet");
    let pure = parse_pure_zstd("nested_zstd_v2.parquet");
    let plain = parse("nested.parquet");
    assert_eq!(pure, native);
    assert_eq!(pure.documents, plain.documents);
    assert_eq!(pure.documents.len(), 19);
    assert_eq!(pure.problems.len(), 1);
}

#[test]
fn one_batch_per_row_group() {
    let bytes = fixture("demo_snappy.parquet");
    let mut parser = ParquetParser::new("demo_snappy.parquet", FieldChoice::default());
    let mut out = Batch::default();
    parser.feed(&bytes, &mut out);
    assert!(out.is_empty(), "nothing before the footer is read");
    let mut sizes = Vec::new();
    parser.finish_each(|batch| sizes.push(batch.documents.len()));
    assert_eq!(sizes, vec![32, 32, 32, 4]);
}

#[test]
fn chosen_columns() {
    let bytes = fixture("demo_gzip.parquet");
    let fields = FieldChoice {
        text: Some("text".into()),
        source: Some("id".into()),
        ..FieldChoice::default()
    };
    let out = parse_with("demo_gzip.parquet", &bytes, fields);
    assert_eq!(out.documents.len(), DEMO_ROWS);
    assert_eq!(out.documents[0].source, "quotes/fortunes/linux#44");

    let fields = FieldChoice {
        text: Some("body".into()),
        source: None,
        ..FieldChoice::default()
    };
    let out = parse_with("demo_gzip.parquet", &bytes, fields);
    assert!(out.documents.is_empty());
    assert_eq!(out.problems.len(), 1);
    assert_eq!(
        out.problems[0].reason,
        "no column \"body\": columns are id, source, text"
    );
}

#[test]
fn nested_text_url_host_and_null_row() {
    let out = parse("nested.parquet");
    let jsonl = jsonl_documents(20);
    assert_eq!(out.documents.len(), 19);
    for doc in &out.documents {
        let i = doc.line as usize - 1;
        assert_ne!(i, 3, "row 4 has a null text");
        assert_eq!(doc.text, jsonl[i].text);
        assert_eq!(doc.source, format!("{}.example.org", jsonl[i].source));
    }
    assert_eq!(out.problems.len(), 1);
    assert_eq!(out.problems[0].line, 4);
    assert_eq!(
        out.problems[0].reason,
        "text column \"meta.text\" is null in this row"
    );
}

#[test]
fn chosen_nested_text_and_url_host() {
    let fields = FieldChoice::source_from_url_host(Some("meta.text".into()), "url");
    let out = parse_with("n.parquet", &fixture("nested.parquet"), fields);
    assert_eq!(out.documents, parse("nested.parquet").documents);
    let fields = FieldChoice {
        text: Some("meta.words".into()),
        source: Some("id".into()),
        ..FieldChoice::default()
    };
    let out = parse_with("n.parquet", &fixture("nested.parquet"), fields);
    assert!(out.documents.is_empty());
    assert_eq!(out.problems.len(), 20);
    assert_eq!(
        out.problems[0].reason,
        "text column \"meta.words\" is not a string in this row"
    );
}

#[test]
fn no_text_column() {
    let out = parse("numbers.parquet");
    assert!(out.documents.is_empty());
    assert_eq!(out.problems.len(), 1);
    let problem = &out.problems[0];
    assert_eq!(
        (problem.file.as_str(), problem.line, problem.reason.as_str()),
        ("numbers.parquet", 0, "no text column: columns are a, b, c")
    );
}

#[test]
fn schema_listing() {
    let columns = parquet_schema(&fixture("nested.parquet")).expect("schema");
    let columns: Vec<(&str, &str)> = columns
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    assert_eq!(
        columns,
        vec![
            ("id", "string"),
            ("meta", "struct"),
            ("meta.text", "string"),
            ("meta.words", "int32"),
            ("url", "string"),
            ("emb", "list"),
        ]
    );
    let columns = parquet_schema(&fixture("numbers.parquet")).expect("schema");
    let types: Vec<&str> = columns.iter().map(|(_, t)| t.as_str()).collect();
    assert_eq!(types, vec!["int64", "double", "bool"]);

    let mut parser = ParquetParser::new("n.parquet", FieldChoice::default());
    parser.feed(&fixture("numbers.parquet"), &mut Batch::default());
    assert_eq!(parser.columns(), Ok(columns));
}

#[test]
fn truncated_files_give_one_problem() {
    let bytes = fixture("demo_zstd.parquet");
    for cut in [
        0,
        3,
        4,
        100,
        bytes.len() / 2,
        bytes.len() - 8,
        bytes.len() - 1,
    ] {
        let out = parse_with("cut.parquet", &bytes[..cut], FieldChoice::default());
        assert!(out.documents.is_empty(), "cut at {cut}");
        assert_eq!(out.problems.len(), 1, "cut at {cut}: {:?}", out.problems);
        assert_eq!(out.problems[0].line, 0);
    }
}

#[test]
fn corrupt_pages_give_problems() {
    // Overwrite the middle of the file (data pages, not the footer).
    let mut bytes = fixture("demo_snappy.parquet");
    let mid = bytes.len() / 3;
    for b in &mut bytes[mid..mid + 2000] {
        *b = 0xA5;
    }
    let out = parse_with("corrupt.parquet", &bytes, FieldChoice::default());
    assert!(!out.problems.is_empty());
    assert!(out.documents.len() < DEMO_ROWS);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Arbitrary bytes, bare or between Parquet's magic numbers: no panic, one problem.
    #[test]
    fn arbitrary_bytes_never_panic(
        data in proptest::collection::vec(any::<u8>(), 0..600),
        framed in any::<bool>(),
    ) {
        let bytes = if framed {
            [b"PAR1".as_slice(), &data, b"PAR1"].concat()
        } else {
            data
        };
        let out = parse_with("x.parquet", &bytes, FieldChoice::default());
        prop_assert!(out.documents.is_empty());
        prop_assert_eq!(out.problems.len(), 1);
        let _ = parquet_schema(&bytes);
    }

    /// A real file with a few bytes changed anywhere: no panic.
    #[test]
    fn mutated_files_never_panic(
        edits in proptest::collection::vec((any::<proptest::sample::Index>(), any::<u8>()), 1..8),
    ) {
        let mut bytes = fixture("nested.parquet");
        for (at, value) in edits {
            let i = at.index(bytes.len());
            bytes[i] = value;
        }
        let out = parse_with("m.parquet", &bytes, FieldChoice::default());
        prop_assert!(out.documents.len() + out.problems.len() <= 40);
        let _ = parquet_schema(&bytes);
    }

    /// The pure-Rust zstd page reader on a damaged file: no panic of its own.
    #[test]
    fn mutated_zstd_pages_never_panic(
        edits in proptest::collection::vec((any::<proptest::sample::Index>(), any::<u8>()), 1..8),
    ) {
        let mut bytes = fixture("nested_zstd_v2.parquet");
        for (at, value) in edits {
            let i = at.index(bytes.len());
            bytes[i] = value;
        }
        let mut parser = ParquetParser::new("z.parquet", FieldChoice::default()).with_pure_rust_zstd();
        let mut out = Batch::default();
        parser.feed(&bytes, &mut out);
        parser.finish(&mut out);
        prop_assert!(out.documents.len() + out.problems.len() <= 40);
    }
}
