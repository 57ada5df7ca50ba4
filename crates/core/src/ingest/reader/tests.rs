//! Tests of `FileReader`: every format and compression, options, vectors, chunking.

use super::*;
use crate::ingest::{FieldChoice, TextMode};
use proptest::prelude::*;
use std::io::Write;

fn read(name: &str, options: ReadOptions, chunks: &[&[u8]]) -> (Batch, FileReport) {
    let mut r = FileReader::new(name, options);
    let mut out = Batch::default();
    for c in chunks {
        r.feed(c, &mut out);
    }
    let report = r.finish(&mut out);
    (out, report)
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(data).expect("write");
    e.finish().expect("finish")
}

fn zstd(data: &[u8]) -> Vec<u8> {
    ruzstd::encoding::compress_to_vec(data, ruzstd::encoding::CompressionLevel::Fastest)
}

fn utf16le(text: &str) -> Vec<u8> {
    let mut v = vec![0xFF, 0xFE];
    v.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    v
}

const JSONL: &[u8] = b"{\"text\":\"a\",\"source\":\"s\"}\n{\"text\":\"b\xFF\"}\nbroken\n";

#[test]
fn cases() {
    let long: Vec<u8> = (0..3000)
        .flat_map(|i| format!("{{\"text\":\"doc {i}\"}}\n").into_bytes())
        .collect();
    let gz = gzip(&long);
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    struct Case {
        name: &'static str,
        data: Vec<u8>,
        format: Format,
        compression: Compression,
        loaded: u64,
        rejected: u64,
        invalid: u64,
        problem: &'static str,
    }
    let case = |name, data, format, compression, loaded, rejected, invalid, problem| Case {
        name,
        data,
        format,
        compression,
        loaded,
        rejected,
        invalid,
        problem,
    };
    use Compression::{Gzip, Zstd};
    use Format::*;
    let cases = vec![
        case(
            "a.jsonl",
            JSONL.to_vec(),
            Jsonl,
            Compression::None,
            2,
            1,
            1,
            "invalid JSON",
        ),
        case(
            "a.jsonl.gz",
            gzip(JSONL),
            Jsonl,
            Gzip,
            2,
            1,
            1,
            "invalid JSON",
        ),
        case(
            "a.jsonl.zst",
            zstd(JSONL),
            Jsonl,
            Zstd,
            2,
            1,
            1,
            "invalid JSON",
        ),
        case(
            "a.json",
            b"[{\"text\":\"a\"},3]".to_vec(),
            Json,
            Compression::None,
            1,
            1,
            0,
            "element 2",
        ),
        case(
            "a.csv",
            b"text,x\nhi,1\nbad\n".to_vec(),
            Csv,
            Compression::None,
            1,
            1,
            0,
            "expected 2 fields, found 1",
        ),
        case(
            "a.tsv",
            b"text\tx\nhi\t1\n".to_vec(),
            Tsv,
            Compression::None,
            1,
            0,
            0,
            "",
        ),
        case(
            "a.txt",
            b"one\n\ntwo\n".to_vec(),
            Text,
            Compression::None,
            1,
            0,
            0,
            "",
        ),
        case(
            "a.jsonl",
            utf16le("{\"text\":\"é😀\"}\n"),
            Jsonl,
            Compression::None,
            1,
            0,
            0,
            "",
        ),
        case(
            "a.jsonl",
            b"\xEF\xBB\xBF{\"text\":\"x\"}".to_vec(),
            Jsonl,
            Compression::None,
            1,
            0,
            0,
            "",
        ),
        case(
            "a.jsonl",
            png,
            Unknown,
            Compression::None,
            0,
            0,
            0,
            "this looks like a PNG image, not text data",
        ),
        case(
            "a.jsonl",
            b"{\"a\":\0\0\0}".to_vec(),
            Unknown,
            Compression::None,
            0,
            0,
            0,
            "binary data",
        ),
        case(
            "a.jsonl",
            Vec::new(),
            Unknown,
            Compression::None,
            0,
            0,
            0,
            "the file is empty",
        ),
        case(
            "x.parquet",
            b"PAR1\0\0PAR1".to_vec(),
            Parquet,
            Compression::None,
            0,
            0,
            0,
            "not a complete Parquet file: only 10 bytes",
        ),
        case(
            "a.jsonl.gz",
            gz[..gz.len() / 2].to_vec(),
            Jsonl,
            Gzip,
            0,
            0,
            0,
            "gzip stream ends early after",
        ),
    ];
    for c in cases {
        let (out, report) = read(c.name, ReadOptions::default(), &[&c.data]);
        let what = format!("{} {:?}", c.name, out.problems);
        assert_eq!(report.format, c.format, "{what}");
        assert_eq!(report.compression, c.compression, "{what}");
        if c.name.ends_with(".gz") && c.data.len() < 1000 {
            assert_eq!(report.documents_loaded, c.loaded, "{what}");
        }
        if c.problem.contains("ends early") {
            assert!(report.documents_loaded > 100, "{what}");
        } else {
            assert_eq!(report.documents_loaded, c.loaded, "{what}");
            assert_eq!(report.documents_rejected, c.rejected, "{what}");
        }
        assert_eq!(report.invalid_utf8, c.invalid, "{what}");
        assert_eq!(report.documents_loaded, out.documents.len() as u64);
        assert_eq!(report.problems, out.problems.len() as u64);
        if c.problem.is_empty() {
            assert!(out.problems.is_empty(), "{what}");
        } else {
            assert!(
                out.problems.iter().any(|p| p.reason.contains(c.problem)),
                "{what}"
            );
        }
    }
}

#[test]
fn options() {
    let blocks = ReadOptions {
        text_mode: TextMode::Blocks,
        ..ReadOptions::default()
    };
    let (out, _) = read("a.md", blocks, &[b"# one\n\ntwo\nlines\n"]);
    let texts: Vec<_> = out
        .documents
        .iter()
        .map(|d| (d.line, d.text.as_str()))
        .collect();
    assert_eq!(texts, vec![(1, "# one"), (3, "two\nlines")]);

    let tight = ReadOptions {
        bomb_ratio: 10,
        bomb_floor: 1 << 16,
        ..ReadOptions::default()
    };
    let zeros = gzip(&vec![b' '; 4 << 20]);
    let (out, report) = read("a.txt.gz", tight, &[&zeros]);
    assert!(
        out.problems[0].reason.contains("decompression bomb"),
        "{out:?}"
    );
    assert!(report.bytes_decoded < 1 << 20, "{report:?}");

    let mut r = FileReader::new("a.jsonl", ReadOptions::default());
    let mut out = Batch::default();
    r.feed(b"{\"text\":\"x\"}", &mut out);
    let first = r.finish(&mut out);
    r.feed(b"\n{\"text\":\"y\"}", &mut out);
    assert_eq!(r.finish(&mut out), first);
    assert_eq!(out.documents.len(), 1);

    let json = serde_json::to_string(&report).expect("serialize");
    let back: FileReport = serde_json::from_str(&json).expect("deserialize");
    assert_eq!(back, report);
}

/// The vector field and its given length reach every parser; rejected
/// vectors count as rejected records.
#[test]
fn vector_options() {
    let vectors = |dim| ReadOptions {
        fields: FieldChoice {
            vector: Some("emb".into()),
            ..FieldChoice::default()
        },
        vector_dim: dim,
        ..ReadOptions::default()
    };
    let jsonl =
        b"{\"text\":\"a\",\"emb\":[1,2]}\n{\"text\":\"b\",\"emb\":[1,2,3]}\n{\"text\":\"c\"}\n";
    let json =
        b"[{\"text\":\"a\",\"emb\":[1,2]},{\"text\":\"b\",\"emb\":[1,2,3]},{\"text\":\"c\"}]";
    let parquet = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/parquet/nested.parquet"
    ))
    .expect("fixture");
    /// (file, data, dim, loaded, rejected)
    type Case<'a> = (&'a str, &'a [u8], Option<usize>, u64, u64);
    let cases: [Case; 6] = [
        ("a.jsonl", jsonl, None, 1, 2),
        ("a.jsonl", jsonl, Some(3), 1, 2),
        ("a.json", json, None, 1, 2),
        ("a.json", json, Some(3), 1, 2),
        // Row 4's text is null; every vector has 4 values.
        ("n.parquet", &parquet, None, 19, 1),
        ("n.parquet", &parquet, Some(3), 0, 20),
    ];
    for (name, data, dim, loaded, rejected) in cases {
        let (out, report) = read(name, vectors(dim), &[data]);
        let what = format!("{name} {dim:?} {:?}", out.problems);
        assert_eq!(report.documents_loaded, loaded, "{what}");
        assert_eq!(report.documents_rejected, rejected, "{what}");
        assert_eq!(report.documents_in, loaded + rejected, "{what}");
        assert_eq!(report.problems, rejected, "{what}");
        let want = if dim.is_some() {
            3
        } else if name.ends_with("parquet") {
            4
        } else {
            2
        };
        for doc in &out.documents {
            assert_eq!(doc.vector.as_ref().map(Vec::len), Some(want), "{what}");
        }
    }

    // Formats without fields: one problem for the file, documents load.
    for (name, data) in [("a.csv", &b"text,emb\nx,1\n"[..]), ("a.txt", b"some text")] {
        let (out, report) = read(name, vectors(None), &[data]);
        assert_eq!(report.documents_loaded, 1, "{name}");
        assert_eq!(report.documents_rejected, 0, "{name}");
        assert_eq!(out.problems.len(), 1, "{name}");
        assert_eq!(out.problems[0].line, 0, "{name}");
        assert!(
            out.problems[0].reason.starts_with("vector field \"emb\": "),
            "{name}"
        );
    }
}

fn cut_up<'a>(data: &'a [u8], cuts: &[usize]) -> Vec<&'a [u8]> {
    let mut cuts: Vec<usize> = cuts.iter().map(|&c| c.min(data.len())).collect();
    cuts.sort();
    let mut chunks = Vec::new();
    let mut start = 0;
    for c in cuts {
        chunks.push(&data[start..c]);
        start = c;
    }
    chunks.push(&data[start..]);
    chunks
}

proptest! {
    /// Any bytes under any name: no panic, chunking changes nothing, counts add up.
    #[test]
    fn any_bytes(data in proptest::collection::vec(any::<u8>(), 0..400), cuts in proptest::collection::vec(0usize..400, 0..6), name in 0usize..6, pack in 0usize..3) {
        let names = ["a.jsonl", "a.json", "a.csv", "a.tsv", "a.txt", "data"];
        let data = match pack { 1 => gzip(&data), 2 => zstd(&data), _ => data };
        let (whole, report) = read(names[name], ReadOptions::default(), &[&data]);
        let (cut, cut_report) = read(names[name], ReadOptions::default(), &cut_up(&data, &cuts));
        prop_assert_eq!(&whole, &cut);
        prop_assert_eq!(&report, &cut_report);
        prop_assert_eq!(report.documents_in, report.documents_loaded + report.documents_rejected);
        prop_assert_eq!(report.documents_loaded, whole.documents.len() as u64);
        prop_assert_eq!(report.problems, whole.problems.len() as u64);
    }

    /// Text-like input (JSON and CSV punctuation) goes deeper into the parsers.
    #[test]
    fn text_like(data in "[{}\\[\\]\",:\ttext\n a1\\\\]{0,300}", cuts in proptest::collection::vec(0usize..300, 0..6), name in 0usize..6) {
        let names = ["a.jsonl", "a.json", "a.csv", "a.tsv", "a.txt", "data"];
        let bytes = data.as_bytes();
        let (whole, report) = read(names[name], ReadOptions::default(), &[bytes]);
        let (cut, _) = read(names[name], ReadOptions::default(), &cut_up(bytes, &cuts));
        prop_assert_eq!(&whole, &cut);
        prop_assert_eq!(report.documents_in, report.documents_loaded + report.documents_rejected);
    }
}
