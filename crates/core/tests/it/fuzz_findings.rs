//! Regression tests for what `cargo fuzz` found (fuzz/, scripts/fuzz.sh):
//! each crashing input, kept in tests/fixtures/fuzz, and what it must give.

use corpuscope_core::ingest::{
    Batch, BombLimit, Compression, Decompressor, FileReader, FileReport, ReadOptions,
};
use corpuscope_core::tokenize::TokenCounter;

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(crate::oracle::path(&format!(
        "crates/core/tests/fixtures/fuzz/{name}"
    )))
    .expect("fixture")
}

fn read(name: &str, data: &[u8], size: usize) -> (Batch, FileReport) {
    let mut reader = FileReader::new(name, ReadOptions::default());
    let mut out = Batch::default();
    for chunk in data.chunks(size) {
        reader.feed(chunk, &mut out);
    }
    let report = reader.finish(&mut out);
    (out, report)
}

/// Two gzip members, the second with a corrupt header: the first member's
/// record was dropped when both arrived in one chunk (the decoder's output
/// before its error was not passed on).
#[test]
fn gzip_output_before_an_error_is_kept() {
    let data = fixture("gzip-lost-member.jsonl.gz");
    for size in [1, 3, 4096] {
        let (out, _) = read("f.jsonl.gz", &data, size);
        let texts: Vec<&str> = out.documents.iter().map(|d| d.text.as_str()).collect();
        assert_eq!(texts, ["a"], "by {size}");
        assert_eq!(out.problems.len(), 1, "by {size}");
        let reason = &out.problems[0].reason;
        assert!(
            reason.starts_with("gzip data is corrupt after byte ")
                && reason.ends_with(": invalid gzip header"),
            "{reason}"
        );
    }
    let (out, _) = read("f.jsonl.gz", &data, 4096);
    assert_eq!(
        out.problems[0].reason,
        "gzip data is corrupt after byte 33: invalid gzip header"
    );
}

/// A zstd stream whose output looks binary and whose next frame is
/// corrupt: the corrupt frame was reported or not depending on the chunking.
/// A refused file now reports only the refusal.
#[test]
fn a_refused_file_reports_only_the_refusal() {
    let data = [
        &[0x28, 0xB5, 0x2F, 0xFD][..],
        &fixture("zstd-refused-then-corrupt.bin"),
    ]
    .concat();
    for size in [1, 3, 4096] {
        let (out, _) = read("f.jsonl.zst", &data, size);
        let reasons: Vec<&str> = out.problems.iter().map(|p| p.reason.as_str()).collect();
        assert_eq!(
            reasons,
            ["this looks like binary data, not text"],
            "by {size}"
        );
    }
}

/// Stopped by the bomb cap, the decompressor counted the piece it did not
/// pass on; `bytes_out` (the report's `bytes_decoded`) is now what was passed.
#[test]
fn bomb_cap_counts_only_what_was_passed_on() {
    let data = ruzstd::encoding::compress_to_vec(
        &vec![b'\n'; 1 << 20][..],
        ruzstd::encoding::CompressionLevel::Fastest,
    );
    let limit = BombLimit {
        ratio: 20,
        floor: 64 << 10,
    };
    let mut d = Decompressor::new(Compression::Zstd, limit);
    let mut passed = 0u64;
    let result = d.feed(&data, &mut |p| passed += p.len() as u64);
    assert!(result.expect_err("a bomb").contains("decompression bomb"));
    assert_eq!(d.bytes_out, passed);
    assert!(passed <= 64 << 10);
}

/// A `tokenizer.json` with an invalid UTF-8 byte in a key of its decoder:
/// `tokenizers` panicked (it unwraps the decoder's parse); a panic aborts the
/// browser's worker. Now a plain error.
#[test]
fn a_tokenizer_json_with_invalid_utf8_is_an_error() {
    let data = fixture("tokenizer-invalid-utf8.json");
    let err = TokenCounter::from_json(&data)
        .err()
        .expect("not a tokenizer");
    assert_eq!(
        err.to_string(),
        "cannot load tokenizer: not a valid tokenizer.json (invalid unicode code point at line 1 column 242)"
    );
}

/// The fuzzer's Parquet file whose page headers hold thousands of empty
/// binaries: the `parquet` crate zeroes an 8 KiB buffer to skip each one,
/// some 8000 times the work per byte (a fuzzer timeout; 5 s natively for
/// 48 KB). Page headers are now checked first with a bounded decoder, and
/// the row groups that fail are reported one by one.
#[test]
fn bogus_parquet_page_headers_are_refused_quickly() {
    let data = fixture("parquet-slow-page-headers.parquet");
    let start = std::time::Instant::now();
    let (out, report) = read("f.parquet", &data, 1 << 16);
    assert!(start.elapsed().as_secs_f64() < 2.0, "{:?}", start.elapsed());
    assert_eq!(report.documents_loaded, 0);
    assert!(out.problems.len() > 3, "{:?}", out.problems);
    for (i, p) in out.problems.iter().enumerate() {
        let group = format!("cannot read row group {}: Parquet error: page ", i + 1);
        assert!(p.reason.starts_with(&group), "{p:?}");
        assert_eq!(p.line, 32 * i as u64 + 1, "{p:?}");
    }
    assert_eq!(
        out.problems[0].reason,
        "cannot read row group 1: Parquet error: page 2 of column \"text\": unknown Thrift type 0"
    );
}

/// A gzip member whose deflate data turns corrupt: what was decoded in the
/// failing write stayed in the decoder's buffer when the whole file came in
/// one chunk, so the file was refused as binary or not depending on the
/// chunking. The decoder is now flushed after an error.
#[test]
fn gzip_output_of_the_failing_write_is_kept() {
    let data = fixture("gzip-output-in-failing-write.bin");
    let outcomes: Vec<Vec<String>> = [1, 3, 4096]
        .iter()
        .map(|&size| {
            let (out, _) = read("f.jsonl.gz", &data, size);
            assert!(out.documents.is_empty());
            out.problems.iter().map(|p| p.reason.clone()).collect()
        })
        .collect();
    for reasons in &outcomes {
        assert_eq!(reasons.len(), 2, "{reasons:?}");
        assert!(
            reasons[0].starts_with("gzip data is corrupt after byte "),
            "{reasons:?}"
        );
        assert!(
            reasons[0].ends_with(": corrupt deflate stream"),
            "{reasons:?}"
        );
        assert_eq!(reasons[1], "this looks like binary data, not text");
    }
}
