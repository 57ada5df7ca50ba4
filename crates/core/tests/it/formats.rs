//! Every format and compression yields the demo corpus; bad inputs give clear problems.

use std::io::Write;

use corpuscope_core::ingest::{Batch, Compression, FileReader, FileReport, Format, ReadOptions};
use corpuscope_core::Document;

/// Reads `data` as the file `name`, fed in chunks of `chunk` bytes.
fn read(name: &str, data: &[u8], chunk: usize) -> (Batch, FileReport) {
    let mut reader = FileReader::new(name, ReadOptions::default());
    let mut out = Batch::default();
    for piece in data.chunks(chunk.max(1)) {
        reader.feed(piece, &mut out);
    }
    let report = reader.finish(&mut out);
    assert_eq!(
        report.documents_in,
        report.documents_loaded + report.documents_rejected
    );
    (out, report)
}

fn pairs(docs: &[Document]) -> Vec<(&str, &str)> {
    docs.iter()
        .map(|d| (d.source.as_str(), d.text.as_str()))
        .collect()
}

/// Writes one delimited field, quoted.
fn quoted(field: &str) -> String {
    format!("\"{}\"", field.replace('"', "\"\""))
}

fn table(delimiter: char) -> Vec<u8> {
    let mut out = format!("source{delimiter}text\n");
    for d in crate::demo::corpus() {
        out.push_str(&format!(
            "{}{delimiter}{}\n",
            quoted(&d.source),
            quoted(&d.text)
        ));
    }
    out.into_bytes()
}

fn json_array() -> Vec<u8> {
    let items: Vec<serde_json::Value> = crate::demo::corpus()
        .iter()
        .map(|d| serde_json::json!({"source": d.source, "text": d.text}))
        .collect();
    serde_json::to_vec_pretty(&items).expect("serialize")
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(data).expect("write");
    e.finish().expect("finish")
}

fn zstd(data: &[u8]) -> Vec<u8> {
    ruzstd::encoding::compress_to_vec(data, ruzstd::encoding::CompressionLevel::Fastest)
}

#[test]
fn demo_corpus_in_every_format() {
    let jsonl = std::fs::read(crate::oracle::path(crate::demo::CORPUS)).expect("demo corpus");
    let want: Vec<(&str, &str)> = crate::demo::corpus()
        .iter()
        .map(|d| (d.source.as_str(), d.text.as_str()))
        .collect();
    let (base, base_report) = read("demo.jsonl", &jsonl, 1 << 16);
    assert_eq!(pairs(&base.documents), want);
    assert!(base.problems.is_empty());
    assert_eq!(base_report.format, Format::Jsonl);

    let cases: Vec<(&str, Vec<u8>, Format, Compression)> = vec![
        ("demo.json", json_array(), Format::Json, Compression::None),
        ("demo.csv", table(','), Format::Csv, Compression::None),
        ("demo.tsv", table('\t'), Format::Tsv, Compression::None),
        (
            "demo.jsonl.gz",
            gzip(&jsonl),
            Format::Jsonl,
            Compression::Gzip,
        ),
        (
            "demo.jsonl.zst",
            zstd(&jsonl),
            Format::Jsonl,
            Compression::Zstd,
        ),
        (
            "demo.csv.gz",
            gzip(&table(',')),
            Format::Csv,
            Compression::Gzip,
        ),
    ];
    for (name, data, format, compression) in cases {
        let (out, report) = read(name, &data, 7919);
        assert!(out.problems.is_empty(), "{name}: {:?}", &out.problems[..1]);
        assert_eq!(pairs(&out.documents), want, "{name}");
        assert_eq!(report.format, format, "{name}");
        assert_eq!(report.compression, compression, "{name}");
        assert_eq!(report.bytes_in, data.len() as u64, "{name}");
        assert_eq!(report.documents_loaded, want.len() as u64, "{name}");
        assert_eq!(report.invalid_utf8, 0, "{name}");
    }
}

/// A fixture from `crates/core/tests/fixtures/formats` (see `make.py` there).
fn fixture(name: &str) -> Vec<u8> {
    let path = crate::oracle::path(&format!("crates/core/tests/fixtures/formats/{name}"));
    std::fs::read(path).expect("fixture")
}

#[test]
fn bad_inputs() {
    // (file, documents loaded, documents rejected, invalid UTF-8, problem text)
    let cases: &[(&str, u64, u64, u64, &str)] = &[
        ("zero.jsonl", 0, 0, 0, "the file is empty"),
        ("blank.jsonl", 0, 0, 0, "the file holds no records"),
        (
            "image.jsonl",
            0,
            0,
            0,
            "this looks like a PNG image, not text data",
        ),
        ("utf16.jsonl", 3, 0, 0, ""),
        ("ragged.csv", 2, 2, 0, "expected 2 fields, found 3"),
        (
            "latin1.txt",
            1,
            0,
            2,
            "2 invalid UTF-8 sequences were replaced by U+FFFD; the first is on line 1",
        ),
        (
            "deep.json",
            1,
            1,
            0,
            "element 2: invalid JSON: recursion limit exceeded",
        ),
    ];
    for &(name, loaded, rejected, invalid, problem) in cases {
        for chunk in [1, 3, 1 << 16] {
            let (out, report) = read(name, &fixture(name), chunk);
            let what = format!("{name} by {chunk}: {:?}", out.problems);
            assert_eq!(report.documents_loaded, loaded, "{what}");
            assert_eq!(report.documents_rejected, rejected, "{what}");
            assert_eq!(report.invalid_utf8, invalid, "{what}");
            if problem.is_empty() {
                assert!(out.problems.is_empty(), "{what}");
            } else {
                assert!(
                    out.problems.iter().any(|p| p.reason.contains(problem)),
                    "{what}"
                );
            }
        }
    }

    let (out, _) = read("utf16.jsonl", &fixture("utf16.jsonl"), 5);
    let texts: Vec<&str> = out.documents.iter().map(|d| d.text.as_str()).collect();
    assert_eq!(texts, ["héllo", "wörld 😀", "三"]);

    let (out, report) = read("ragged.csv", &fixture("ragged.csv"), 4);
    let lines: Vec<u64> = out.documents.iter().map(|d| d.line).collect();
    assert_eq!(lines, [2, 4]);
    let lines: Vec<u64> = out.problems.iter().map(|p| p.line).collect();
    assert_eq!(lines, [3, 6]);
    assert_eq!(report.problems, 2);

    let (out, report) = read("truncated.jsonl.gz", &fixture("truncated.jsonl.gz"), 100);
    assert!(report.documents_loaded > 10, "{report:?}");
    let file_level: Vec<&str> = out
        .problems
        .iter()
        .filter(|p| p.line == 0)
        .map(|p| p.reason.as_str())
        .collect();
    assert_eq!(file_level.len(), 1);
    assert!(file_level[0].starts_with("gzip stream ends early after 291 bytes"));
    assert_eq!(
        report.documents_in,
        report.documents_loaded + report.documents_rejected
    );
}
