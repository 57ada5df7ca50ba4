//! What every fuzz target checks, through the engine's public reading API as
//! the app and the CLI use it: a [`FileReader`] fed the fuzzer's bytes whole
//! and in odd chunk sizes.
//!
//! - No panic, anywhere (libFuzzer's panic hook aborts even on a panic that
//!   the engine would catch: the browser build has `panic = "abort"`).
//! - However the bytes are cut, the documents and problems are the same.
//! - Every problem names the file; the report's counts add up.

use corpuscope_core::Problem;
use corpuscope_core::ingest::{
    preview, Batch, BombLimit, Compression, Decompressor, FieldChoice, FileReader, FileReport,
    ReadOptions,
};

/// Options as the app uses them, with bomb limits small enough that a
/// fuzzer's few kilobytes cannot expand into megabytes (the engine's default
/// floor is 64 MiB) and a small plain-text cap.
pub fn options(vector: bool) -> ReadOptions {
    ReadOptions {
        fields: FieldChoice {
            vector: vector.then(|| "emb".to_string()),
            ..FieldChoice::default()
        },
        bomb_ratio: 100,
        bomb_floor: 1 << 20,
        text_cap: 1 << 20,
        ..ReadOptions::default()
    }
}

/// Reads `chunks` as the file `name`.
pub fn read<'a>(
    name: &str,
    options: &ReadOptions,
    chunks: impl IntoIterator<Item = &'a [u8]>,
) -> (Batch, FileReport) {
    let mut reader = FileReader::new(name, options.clone());
    let mut out = Batch::default();
    for chunk in chunks {
        reader.feed(chunk, &mut out);
    }
    let report = reader.finish(&mut out);
    (out, report)
}

/// The counts of `report` agree with `out`, and every problem names `name`
/// (or, in an archive, `name/member`).
pub fn check_report(name: &str, out: &Batch, report: &FileReport) {
    assert_eq!(report.file, name);
    let member = format!("{name}/");
    for m in &report.members {
        assert!(m.file.starts_with(&member));
    }
    let loaded: u64 = report.members.iter().map(|m| m.documents_loaded).sum();
    if !report.members.is_empty() {
        assert_eq!(loaded, report.documents_loaded);
    }
    assert_eq!(report.documents_loaded, out.documents.len() as u64);
    assert_eq!(report.problems, out.problems.len() as u64);
    assert_eq!(
        report.documents_in,
        report.documents_loaded + report.documents_rejected
    );
    for p in &out.problems {
        assert!(p.file == name || p.file.starts_with(&member), "{p:?}");
        assert!(!p.reason.is_empty());
    }
    for d in &out.documents {
        assert!(d.line >= 1);
    }
}

/// Reads `data` as `name` whole and cut into each of `sizes`; all agree.
pub fn check_file(name: &str, data: &[u8], options: &ReadOptions, sizes: &[usize]) {
    let (whole, report) = read(name, options, [data]);
    check_report(name, &whole, &report);
    // Where a bomb stops the stream depends on how much input had arrived.
    let bomb = whole
        .problems
        .iter()
        .any(|p| p.reason.contains("decompression bomb"));
    for &size in sizes {
        let (cut, cut_report) = read(name, options, data.chunks(size.max(1)));
        check_report(name, &cut, &cut_report);
        if !bomb {
            assert_eq!(cut.documents, whole.documents, "cut into chunks of {size}");
            assert_eq!(
                outline(&cut.problems),
                outline(&whole.problems),
                "cut into chunks of {size}"
            );
            assert_eq!(cut_report, report, "cut into chunks of {size}");
        }
    }
}

/// Problems with the byte offsets of corrupt compressed data left out:
/// the decoders buffer a few header bytes, so the offset at which they
/// notice depends on where the chunks end.
pub fn outline(problems: &[Problem]) -> Vec<(u64, String)> {
    problems
        .iter()
        .map(|p| (p.line, without_offset(&p.reason)))
        .collect()
}

fn without_offset(reason: &str) -> String {
    if reason.contains(" data is corrupt after byte ") {
        reason.chars().filter(|c| !c.is_ascii_digit()).collect()
    } else {
        reason.to_string()
    }
}

/// Chunk sizes for `data`: single bytes for small inputs, odd sizes, and
/// one that depends on the data.
pub fn sizes(data: &[u8]) -> Vec<usize> {
    let mut sizes = vec![3, 7 + data.len() % 61, 4099];
    if data.len() <= 1024 {
        sizes.push(1);
    }
    sizes
}

/// The whole check for a text format: default options and a vector field,
/// every chunking, and the preview of the file's start and of all of it.
pub fn check_text_format(name: &str, data: &[u8]) {
    for vector in [false, true] {
        let options = options(vector);
        check_file(name, data, &options, &sizes(data));
        let _ = preview(name, data, true, &options);
        let _ = preview(name, &data[..data.len() / 2], false, &options);
    }
}

/// Decompresses `data` whole and byte by byte with a tight bomb limit: the
/// same output and the same outcome, and the limit holds.
pub fn decompress(kind: Compression, data: &[u8]) {
    let limit = BombLimit {
        ratio: 20,
        floor: 64 << 10,
    };
    let run = |chunks: &mut dyn Iterator<Item = &[u8]>| {
        let mut d = Decompressor::new(kind, limit);
        let mut out = Vec::new();
        let mut result = Ok(());
        for chunk in chunks {
            result = d.feed(chunk, &mut |p| out.extend_from_slice(p));
            if result.is_err() {
                break;
            }
        }
        if result.is_ok() {
            result = d.finish(&mut |p| out.extend_from_slice(p));
        }
        assert_eq!(d.bytes_out, out.len() as u64);
        assert!(d.bytes_out <= limit.floor.max(limit.ratio * d.bytes_in));
        (out, result)
    };
    let (whole, whole_result) = run(&mut std::iter::once(data));
    let (cut, cut_result) = run(&mut data.chunks(1));
    if whole_result.is_ok() || cut_result.is_ok() {
        assert_eq!(whole, cut);
        assert_eq!(
            whole_result.map_err(|e| without_offset(&e)),
            cut_result.map_err(|e| without_offset(&e))
        );
    } else {
        // The output before the error may differ where the bomb limit cut it.
        let n = whole.len().min(cut.len());
        assert_eq!(whole[..n], cut[..n]);
    }
}
