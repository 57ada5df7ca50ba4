//! Arrow IPC, bzip2, xz, zip and tar against the fixtures that independent
//! makers wrote (pyarrow; Python's zipfile, tarfile, bz2, lzma): see
//! scripts/assets/container_fixtures.py. Every record the maker wrote is read
//! back with its text, its source and the file or member it came from, in
//! whole reads and in odd chunkings alike.

use corpuscope_core::ingest::{Batch, Compression, FileReader, FileReport, Format, ReadOptions};
use corpuscope_core::Problem;
use proptest::prelude::*;

/// Every fixture with records, and what each holds.
const FIXTURES: &[(&str, Format, Compression)] = &[
    ("stream.arrow", Format::Arrow, Compression::None),
    ("stream_lz4.arrow", Format::Arrow, Compression::None),
    ("stream_zstd.arrow", Format::Arrow, Compression::None),
    ("file_lz4.feather", Format::Arrow, Compression::None),
    ("file_zstd.arrow", Format::Arrow, Compression::None),
    ("nested.arrow", Format::Arrow, Compression::None),
    ("records.jsonl.bz2", Format::Jsonl, Compression::Bzip2),
    ("records.jsonl.xz", Format::Jsonl, Compression::Xz),
    ("shards.zip", Format::Zip, Compression::None),
    ("streamed.zip", Format::Zip, Compression::None),
    ("stored_streamed.zip", Format::Zip, Compression::None),
    ("shards.tar", Format::Tar, Compression::None),
    ("shards.tar.gz", Format::Tar, Compression::Gzip),
    ("shards.tgz", Format::Tar, Compression::Gzip),
    ("shards.tar.bz2", Format::Tar, Compression::Bzip2),
    ("shards.tar.xz", Format::Tar, Compression::Xz),
    // A real `datasets` 4.4.1 `save_to_disk` shard, and its folder as a tar.
    (
        "hf/data-00000-of-00001.arrow",
        Format::Arrow,
        Compression::None,
    ),
    ("hf_save_to_disk.tar", Format::Tar, Compression::None),
];

pub(crate) fn fixture(name: &str) -> Vec<u8> {
    let path = crate::oracle::path(&format!("tests/fixtures/containers/{name}"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

/// The records the maker wrote: (file, text, source).
fn expected(name: &str) -> Vec<(String, String, String)> {
    let key = name.replace('/', "_");
    let text = String::from_utf8(fixture(&format!("expected/{key}.json"))).expect("utf-8");
    serde_json::from_str(&text).expect("expected json")
}

/// Reads `bytes` as the file `name` in chunks of `chunk` bytes.
pub(crate) fn read(name: &str, bytes: &[u8], chunk: usize) -> (Batch, FileReport) {
    let mut reader = FileReader::new(name, ReadOptions::default());
    let mut out = Batch::default();
    for piece in bytes.chunks(chunk.max(1)) {
        reader.feed(piece, &mut out);
    }
    let report = reader.finish(&mut out);
    (out, report)
}

/// Each document with the file it came from: the members' reports say how
/// many documents each gave, in order.
fn attributed(out: &Batch, report: &FileReport) -> Vec<(String, String, String)> {
    let mut files = Vec::new();
    if report.members.is_empty() {
        files.extend(std::iter::repeat_n(
            report.file.clone(),
            out.documents.len(),
        ));
    }
    for member in &report.members {
        files.extend(std::iter::repeat_n(
            member.file.clone(),
            member.documents_loaded as usize,
        ));
    }
    assert_eq!(files.len(), out.documents.len(), "{}", report.file);
    out.documents
        .iter()
        .zip(files)
        .map(|(d, f)| (f, d.text.clone(), d.source.clone()))
        .collect()
}

/// Problems that are notes on skipped members or the known unreadable cases.
fn problems(out: &Batch) -> Vec<(String, String)> {
    out.problems
        .iter()
        .map(|p: &Problem| (p.file.clone(), p.reason.clone()))
        .collect()
}

#[test]
fn every_fixture_gives_the_records_its_maker_wrote() {
    for &(name, format, compression) in FIXTURES {
        let bytes = fixture(name);
        let (out, report) = read(name, &bytes, 64 * 1024);
        assert_eq!(attributed(&out, &report), expected(name), "{name}");
        assert_eq!(
            (report.format, report.compression),
            (format, compression),
            "{name}"
        );
        assert_eq!(
            report.documents_loaded,
            out.documents.len() as u64,
            "{name}"
        );
        assert_eq!(report.problems, out.problems.len() as u64, "{name}");
        let sum: u64 = report.members.iter().map(|m| m.documents_loaded).sum();
        if !report.members.is_empty() {
            assert_eq!(sum, report.documents_loaded, "{name}");
        }
    }
}

#[test]
fn plain_fixtures_read_without_problems() {
    for name in [
        "stream.arrow",
        "stream_lz4.arrow",
        "stream_zstd.arrow",
        "file_lz4.feather",
        "file_zstd.arrow",
        "records.jsonl.bz2",
        "records.jsonl.xz",
        "hf/data-00000-of-00001.arrow",
    ] {
        let (out, _) = read(name, &fixture(name), 4096);
        assert_eq!(out.problems, vec![], "{name}");
    }
}

#[test]
fn nested_arrow_columns_read_as_parquet_rows_do() {
    let (out, report) = read("nested.arrow", &fixture("nested.arrow"), 1000);
    assert_eq!(report.documents_rejected, 1);
    assert_eq!(out.problems.len(), 1);
    assert_eq!(out.problems[0].line, 3);
    assert_eq!(
        out.problems[0].reason,
        "text column \"meta.text\" is null in this row"
    );
    assert_eq!(out.documents[0].line, 1);
    assert_eq!(out.documents[2].line, 4);
}

#[test]
fn archives_report_each_member_and_note_what_they_skip() {
    let (out, report) = read("shards.zip", &fixture("shards.zip"), 100);
    let members: Vec<(&str, Format, Compression)> = report
        .members
        .iter()
        .map(|m| (m.file.as_str(), m.format, m.compression))
        .collect();
    assert_eq!(
        members,
        vec![
            ("shards.zip/a.jsonl", Format::Jsonl, Compression::Deflate),
            ("shards.zip/dir/b.csv", Format::Csv, Compression::Deflate),
            ("shards.zip/c.jsonl.gz", Format::Jsonl, Compression::Gzip),
            ("shards.zip/d.jsonl", Format::Jsonl, Compression::Bzip2),
        ]
    );
    assert_eq!(
        problems(&out),
        vec![
            (
                "shards.zip/README.md".to_string(),
                "skipped: not a data file by its name".to_string()
            ),
            (
                "shards.zip/e.jsonl".to_string(),
                "skipped: its compression method (14) is not supported".to_string()
            ),
        ]
    );

    let (out, report) = read("shards.tar.xz", &fixture("shards.tar.xz"), 333);
    assert_eq!(report.members.len(), 4);
    assert_eq!(report.members[3].format, Format::Arrow);
    let skipped: Vec<&str> = out.problems.iter().map(|p| p.file.as_str()).collect();
    assert_eq!(
        skipped,
        vec![
            "shards.tar.xz/README.md",
            "shards.tar.xz/hf/dataset_info.json",
            "shards.tar.xz/hf/state.json"
        ]
    );
    assert!(out.problems[1]
        .reason
        .contains("Hugging Face dataset metadata"));
}

#[test]
fn a_stored_member_of_unknown_length_ends_the_archive_clearly() {
    let (out, report) = read("stored_streamed.zip", &fixture("stored_streamed.zip"), 512);
    assert_eq!(report.members.len(), 1, "{:?}", out.problems);
    assert_eq!(out.problems.len(), 1);
    let p = &out.problems[0];
    assert_eq!((p.file.as_str(), p.line), ("stored_streamed.zip", 0));
    assert!(
        p.reason.contains("member b.jsonl is stored uncompressed"),
        "{}",
        p.reason
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Any chunking reads the same documents, problems and reports as one
    /// whole read.
    #[test]
    fn any_chunking_reads_the_same(pick in 0usize..FIXTURES.len(), sizes in proptest::collection::vec(1usize..3000, 1..40)) {
        let name = FIXTURES[pick].0;
        let bytes = fixture(name);
        let whole = read(name, &bytes, bytes.len());
        let mut reader = FileReader::new(name, ReadOptions::default());
        let mut out = Batch::default();
        let mut rest = &bytes[..];
        let mut i = 0;
        while !rest.is_empty() {
            let n = sizes[i % sizes.len()].min(rest.len());
            reader.feed(&rest[..n], &mut out);
            rest = &rest[n..];
            i += 1;
        }
        let report = reader.finish(&mut out);
        prop_assert_eq!(&out, &whole.0);
        prop_assert_eq!(&report, &whole.1);
    }
}
