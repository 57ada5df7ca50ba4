//! The bad-input suite: each kind of broken file gives a clear problem that
//! names the file and the place (a line, an element, a row, a byte offset),
//! and loses nothing else: the good records of the same file load, and so do
//! the other files of the same run. Inputs are generated here; the big ones
//! (a 200 MiB line, a 50 MB `tokenizer.json`) are streamed or built in memory,
//! never committed. The table in RELIABILITY.md lists these cases.

use std::io::Write;
use std::sync::Arc;

use corpuscope_core::ingest::{
    Batch, Compression, FieldChoice, FileReader, FileReport, Format, ReadOptions,
};
use corpuscope_core::tokenize::TokenCounter;

/// A file's bytes, chunk by chunk, as a front end reads them.
type Chunks = Box<dyn Iterator<Item = Vec<u8>>>;

fn whole(data: Vec<u8>) -> Chunks {
    Box::new(std::iter::once(data))
}

/// `data` in chunks of `size` bytes.
fn chunked(data: &[u8], size: usize) -> Chunks {
    let pieces: Vec<Vec<u8>> = data.chunks(size).map(<[u8]>::to_vec).collect();
    Box::new(pieces.into_iter())
}

fn read(name: &str, options: &ReadOptions, chunks: Chunks) -> (Batch, FileReport) {
    let mut reader = FileReader::new(name, options.clone());
    let mut out = Batch::default();
    for chunk in chunks {
        reader.feed(&chunk, &mut out);
    }
    let report = reader.finish(&mut out);
    assert_eq!(report.documents_loaded, out.documents.len() as u64);
    assert_eq!(report.problems, out.problems.len() as u64);
    assert_eq!(
        report.documents_in,
        report.documents_loaded + report.documents_rejected
    );
    (out, report)
}

const GOOD_JSONL: &[u8] = b"{\"text\":\"first good\"}\n{\"text\":\"second good\"}\n";
const GOOD_CSV: &[u8] = b"text,source\none,web\ntwo,books\n";

/// Reads a good JSON Lines file, the bad file `name` (with `options`), then a
/// good CSV file, as one run does; checks that both good files load whole
/// and gives the bad file's outcome.
fn run(name: &str, options: &ReadOptions, bad: Chunks) -> (Batch, FileReport) {
    let good = ReadOptions::default();
    let (before, _) = read("before.jsonl", &good, whole(GOOD_JSONL.to_vec()));
    let outcome = read(name, options, bad);
    let (after, _) = read("after.csv", &good, whole(GOOD_CSV.to_vec()));
    assert_eq!(docs(&before), [(1, "first good"), (2, "second good")]);
    assert_eq!(problems(&before), []);
    assert_eq!(docs(&after), [(2, "one"), (3, "two")]);
    assert_eq!(problems(&after), []);
    for p in &outcome.0.problems {
        assert_eq!(p.file, name, "{p:?}");
    }
    outcome
}

/// The documents as (line, text).
fn docs(out: &Batch) -> Vec<(u64, &str)> {
    out.documents
        .iter()
        .map(|d| (d.line, d.text.as_str()))
        .collect()
}

/// The problems as (line, reason); `run` checked that they name the file.
fn problems(out: &Batch) -> Vec<(u64, &str)> {
    out.problems
        .iter()
        .map(|p| (p.line, p.reason.as_str()))
        .collect()
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(data).expect("write");
    e.finish().expect("finish")
}

fn zstd(data: &[u8]) -> Vec<u8> {
    ruzstd::encoding::compress_to_vec(data, ruzstd::encoding::CompressionLevel::Fastest)
}

/// `n` JSON Lines records `{"text":"line i"}`.
fn numbered(n: usize) -> Vec<u8> {
    (1..=n)
        .flat_map(|i| format!("{{\"text\":\"line {i}\"}}\n").into_bytes())
        .collect()
}

#[test]
fn truncated_gzip() {
    let data = gzip(&numbered(2000));
    let cut = data.len() * 2 / 3;
    for size in [7, 4096, cut] {
        let (out, report) = run(
            "cut.jsonl.gz",
            &ReadOptions::default(),
            chunked(&data[..cut], size),
        );
        assert_eq!(report.compression, Compression::Gzip);
        // Every whole line before the cut loads, in order.
        let n = out.documents.len();
        assert!(n > 1000, "{n}");
        for (i, doc) in out.documents.iter().enumerate() {
            assert_eq!(
                (doc.line, doc.text.as_str()),
                (i as u64 + 1, &*format!("line {}", i + 1))
            );
        }
        assert_eq!(n, 1336);
        assert_eq!(
            problems(&out),
            [
                (0, "gzip stream ends early after 3310 bytes (truncated or corrupt)"),
                (
                    1337,
                    "cut off at the end of the file: invalid JSON: EOF while parsing a string at column 16"
                )
            ],
            "by {size}"
        );
        assert_eq!(cut, 3310);
    }
}

/// A zstd frame of `blocks` RLE blocks, each 128 KiB of `byte`: 4 bytes
/// of input for 128 KiB of output (a ratio of 32768).
fn zstd_rle_bomb(byte: u8, blocks: usize) -> Vec<u8> {
    // Magic; a header with no content size and a 128 KiB window.
    let mut frame = vec![0x28, 0xB5, 0x2F, 0xFD, 0x00, 0x38];
    for i in 0..blocks {
        let last = u32::from(i + 1 == blocks);
        let header = (128 * 1024) << 3 | 1 << 1 | last;
        frame.extend_from_slice(&header.to_le_bytes()[..3]);
        frame.push(byte);
    }
    frame
}

#[test]
fn decompression_bomb() {
    // Two good records (45 bytes), then 80 MiB of newlines from 2.5 KiB,
    // then a record that is never reached: the default cap stops at the
    // 64 KiB piece of output that would pass 64 MiB.
    let bomb = [
        zstd(GOOD_JSONL),
        zstd_rle_bomb(b'\n', 640),
        zstd(b"{\"text\":\"never read\"}\n"),
    ]
    .concat();
    let (out, report) = run(
        "bomb.jsonl.zst",
        &ReadOptions::default(),
        chunked(&bomb, 1 << 20),
    );
    assert_eq!(docs(&out), [(1, "first good"), (2, "second good")]);
    let reason = format!(
        "decompressed data passes 1000× its compressed size ({} bytes from the first {}); \
         stopped as a possible decompression bomb",
        (64 << 20) + 45,
        bomb.len()
    );
    assert_eq!(problems(&out), [(0, reason.as_str())]);
    assert!(report.bytes_decoded <= 64 << 20, "{report:?}");

    // gzip cannot pass about 1030×: a tighter cap shows the same stop.
    let tight = ReadOptions {
        bomb_ratio: 100,
        bomb_floor: 1 << 20,
        ..ReadOptions::default()
    };
    let data = gzip(&[GOOD_JSONL, &vec![b'\n'; 8 << 20]].concat());
    let (out, report) = run("bomb.jsonl.gz", &tight, chunked(&data, 4096));
    assert_eq!(docs(&out), [(1, "first good"), (2, "second good")]);
    let [(0, reason)] = problems(&out)[..] else {
        panic!("{:?}", out.problems)
    };
    assert!(
        reason.starts_with("decompressed data passes 100× its compressed size (")
            && reason.ends_with("; stopped as a possible decompression bomb"),
        "{reason}"
    );
    assert!(report.bytes_decoded <= 1 << 20, "{report:?}");
}

#[test]
fn a_200_mib_line() {
    const LINE: usize = 200 << 20;
    const MIB: usize = 1 << 20;
    // Line 2 is {"text":"aaa…"} of exactly 200 MiB, streamed 1 MiB at a time.
    let head = b"{\"text\":\"";
    let tail = b"\"}";
    // The line's length leaves out its newline.
    let body = LINE - head.len() - tail.len();
    let chunks = std::iter::once(b"{\"text\":\"before\"}\n".to_vec())
        .chain(std::iter::once(head.to_vec()))
        .chain((0..body.div_ceil(MIB)).map(move |i| vec![b'a'; MIB.min(body - i * MIB)]))
        .chain(std::iter::once(
            [&tail[..], b"\n{\"text\":\"after\"}\n"].concat(),
        ));
    let (out, report) = run("long.jsonl", &ReadOptions::default(), Box::new(chunks));
    assert_eq!(docs(&out), [(1, "before"), (3, "after")]);
    assert_eq!(
        problems(&out),
        [(
            2,
            "this line is 200 MiB, more than the 64 MiB limit for one record"
        )]
    );
    assert_eq!(report.documents_rejected, 1);
}

/// The same cap holds for a JSON element and a CSV row (here 1 KiB).
#[test]
fn long_records_in_json_and_csv() {
    let options = ReadOptions {
        record_cap: 1024,
        ..ReadOptions::default()
    };
    let long = "x".repeat(2000);
    let json = format!("[{{\"text\":\"a\"}},\n {{\"text\":\"{long}\"}},\n {{\"text\":\"b\"}}]");
    let csv = format!("text,source\na,s\n\"{long}\n{long}\",s\nb,s\n");
    for size in [1, 7, 4096] {
        let (out, _) = run("long.json", &options, chunked(json.as_bytes(), size));
        assert_eq!(docs(&out), [(1, "a"), (3, "b")]);
        assert_eq!(
            problems(&out),
            [(2, "element 2: this element is 2011 bytes, more than the 1024 bytes limit for one record")]
        );
        let (out, _) = run("long.csv", &options, chunked(csv.as_bytes(), size));
        assert_eq!(docs(&out), [(2, "a"), (5, "b")]);
        assert_eq!(
            problems(&out),
            [(
                3,
                "this row is 4006 bytes, more than the 1024 bytes limit for one record"
            )]
        );
    }
}

#[test]
fn invalid_utf8() {
    let data = b"{\"text\":\"good\"}\n{\"text\":\"caf\xE9 au lait\"}\n{\"text\":\"x\xFF\xFEy\"}\n";
    for size in [1, 5, 4096] {
        let (out, report) = run("latin.jsonl", &ReadOptions::default(), chunked(data, size));
        assert_eq!(
            docs(&out),
            [
                (1, "good"),
                (2, "caf\u{FFFD} au lait"),
                (3, "x\u{FFFD}\u{FFFD}y")
            ]
        );
        assert_eq!(
            problems(&out),
            [(
                0,
                "3 invalid UTF-8 sequences were replaced by U+FFFD; the first is on line 2"
            )]
        );
        assert_eq!(report.invalid_utf8, 3);
        assert_eq!(report.documents_rejected, 0);
    }
}

fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
    let mut out = if big_endian {
        vec![0xFE, 0xFF]
    } else {
        vec![0xFF, 0xFE]
    };
    for unit in text.encode_utf16() {
        out.extend(if big_endian {
            unit.to_be_bytes()
        } else {
            unit.to_le_bytes()
        });
    }
    out
}

#[test]
fn utf16_with_a_bom() {
    let jsonl = "{\"text\":\"héllo\"}\n{\"text\":\"wörld 😀\"}\n";
    let csv = "text,source\n三,web\n";
    for big_endian in [false, true] {
        for size in [1, 3, 4096] {
            let (out, report) = run(
                "u16.jsonl",
                &ReadOptions::default(),
                chunked(&utf16(jsonl, big_endian), size),
            );
            assert_eq!(docs(&out), [(1, "héllo"), (2, "wörld 😀")]);
            assert_eq!(problems(&out), []);
            assert_eq!(report.format, Format::Jsonl);
            let (out, _) = run(
                "u16.csv",
                &ReadOptions::default(),
                chunked(&utf16(csv, big_endian), size),
            );
            assert_eq!(docs(&out), [(2, "三")]);
            assert_eq!(problems(&out), []);
        }
    }
    // An unpaired surrogate is replaced and named.
    let mut data = utf16("{\"text\":\"a\"}\n{\"text\":\"b", false);
    data.extend_from_slice(&0xD800u16.to_le_bytes());
    data.extend_from_slice(&utf16("\"}\n", false)[2..]);
    let (out, report) = run("u16.jsonl", &ReadOptions::default(), whole(data));
    assert_eq!(docs(&out), [(1, "a"), (2, "b\u{FFFD}")]);
    assert_eq!(
        problems(&out),
        [(0, "1 invalid UTF-16 sequence (an unpaired surrogate or an odd last byte) was replaced by U+FFFD; the first is on line 2")]
    );
    assert_eq!(report.invalid_utf8, 1);
}

#[test]
fn ragged_csv_rows() {
    let data = b"text,source\na,web\nb,web,extra\nc\n\"d\nstill d\",books\ne,web\n";
    for size in [1, 4, 4096] {
        let (out, report) = run("ragged.csv", &ReadOptions::default(), chunked(data, size));
        assert_eq!(docs(&out), [(2, "a"), (5, "d\nstill d"), (7, "e")]);
        assert_eq!(
            problems(&out),
            [
                (3, "expected 2 fields, found 3"),
                (4, "expected 2 fields, found 1")
            ]
        );
        assert_eq!(report.documents_rejected, 2);
    }
}

#[test]
fn json_lines_that_are_not_objects() {
    let data = b"[1,2]\n\"a string\"\n42\nnull\ntrue\n{\"text\":\"good\"}\n{\"id\":7}\n";
    let (out, _) = run("values.jsonl", &ReadOptions::default(), chunked(data, 3));
    assert_eq!(docs(&out), [(6, "good")]);
    assert_eq!(
        problems(&out),
        [
            (1, "expected a JSON object, found an array"),
            (2, "expected a JSON object, found a string"),
            (3, "expected a JSON object, found a number"),
            (4, "expected a JSON object, found null"),
            (5, "expected a JSON object, found a boolean"),
            (7, "no string field \"text\" in this record"),
        ]
    );
}

#[test]
fn deeply_nested_json() {
    let deep = "[".repeat(100_000);
    let data = format!("{{\"text\":\"a\"}}\n{{\"text\":{deep}\n{{\"text\":\"b\"}}\n");
    let (out, _) = run(
        "deep.jsonl",
        &ReadOptions::default(),
        chunked(data.as_bytes(), 4096),
    );
    assert_eq!(docs(&out), [(1, "a"), (3, "b")]);
    assert_eq!(
        problems(&out),
        [(2, "invalid JSON: recursion limit exceeded at column 135")]
    );

    // In a JSON array the element's number leads, the place is in the file.
    let data = format!("[\n  {{\"text\":\"a\"}},\n  {{\"x\": {deep}\n");
    let (out, _) = run(
        "deep.json",
        &ReadOptions::default(),
        chunked(data.as_bytes(), 4096),
    );
    assert_eq!(docs(&out), [(1, "a")]);
    assert_eq!(
        problems(&out),
        [
            (2, "element 2: cut off at the end of the file"),
            (0, "the JSON array is not closed with ]")
        ]
    );
    let closed = format!(
        "[\n  {{\"text\":\"a\"}},\n  {{\"x\": {deep}{}}},\n  {{\"text\":\"b\"}}]",
        "]".repeat(100_000)
    );
    let (out, _) = run(
        "deep.json",
        &ReadOptions::default(),
        chunked(closed.as_bytes(), 4096),
    );
    assert_eq!(docs(&out), [(1, "a"), (3, "b")]);
    assert_eq!(
        problems(&out),
        [(
            2,
            "element 2: invalid JSON: recursion limit exceeded at line 3 column 135"
        )]
    );
}

#[test]
fn nan_and_wrong_length_vectors() {
    let options = ReadOptions {
        fields: FieldChoice {
            vector: Some("emb".into()),
            ..FieldChoice::default()
        },
        ..ReadOptions::default()
    };
    let data = concat!(
        "{\"text\":\"a\",\"emb\":[1,2,3]}\n",
        "{\"text\":\"short\",\"emb\":[1,2]}\n",
        "{\"text\":\"nan\",\"emb\":[1,\"NaN\",3]}\n",
        "{\"text\":\"bare nan\",\"emb\":[1,NaN,3]}\n",
        "{\"text\":\"huge\",\"emb\":[1,1e39,3]}\n",
        "{\"text\":\"zeros\",\"emb\":[0,0,0]}\n",
        "{\"text\":\"b\",\"emb\":[4,5,6]}\n",
    );
    let (out, report) = run("vectors.jsonl", &options, chunked(data.as_bytes(), 11));
    assert_eq!(docs(&out), [(1, "a"), (7, "b")]);
    assert_eq!(
        problems(&out),
        [
            (2, "vector field \"emb\": 2 values, expected 3 (the length of the first vector, line 1)"),
            (3, "vector field \"emb\": value 1 is the string \"NaN\", not a finite number"),
            (4, "invalid JSON: expected value at column 29"),
            (5, "vector field \"emb\": value 1 is 1e39, too large for a 32-bit float"),
            (6, "vector field \"emb\": all values are zero"),
        ]
    );
    assert_eq!(report.documents_rejected, 5);
}

#[test]
fn empty_and_zero_byte_files() {
    let cases: [(&str, &[u8], &str); 6] = [
        ("zero.jsonl", b"", "the file is empty"),
        ("zero.jsonl.gz", b"", "the file is empty"),
        ("blank.jsonl", b"\n \n\t\r\n", "the file holds no records"),
        ("empty.json", b" [ ] ", "the file holds no records"),
        ("header.csv", b"text,source\n", "the file holds no records"),
        ("blank.txt", b"\n\n", "the file holds no records"),
    ];
    for (name, data, reason) in cases {
        let (out, report) = run(name, &ReadOptions::default(), whole(data.to_vec()));
        assert_eq!(docs(&out), [], "{name}");
        assert_eq!(problems(&out), [(0, reason)], "{name}");
        assert_eq!(report.documents_in, 0, "{name}");
    }
}

/// A Parquet file with an id and a score column, and no text.
fn parquet_without_text() -> Vec<u8> {
    use parquet::data_type::{DoubleType, Int64Type};
    use parquet::file::properties::WriterProperties;
    use parquet::file::writer::SerializedFileWriter;
    use parquet::schema::parser::parse_message_type;
    let schema = Arc::new(
        parse_message_type("message m { required int64 id; required double score; }")
            .expect("schema"),
    );
    let mut bytes = Vec::new();
    let props = Arc::new(WriterProperties::builder().build());
    let mut writer = SerializedFileWriter::new(&mut bytes, schema, props).expect("writer");
    let mut group = writer.next_row_group().expect("row group");
    let mut column = group.next_column().expect("column").expect("id");
    column
        .typed::<Int64Type>()
        .write_batch(&[1, 2, 3], None, None)
        .expect("ids");
    column.close().expect("close");
    let mut column = group.next_column().expect("column").expect("score");
    column
        .typed::<DoubleType>()
        .write_batch(&[0.5, 1.5, 2.5], None, None)
        .expect("scores");
    column.close().expect("close");
    group.close().expect("close group");
    writer.close().expect("close file");
    bytes
}

#[test]
fn parquet_with_no_text_column() {
    let data = parquet_without_text();
    for size in [7, 1 << 16] {
        let (out, report) = run(
            "numbers.parquet",
            &ReadOptions::default(),
            chunked(&data, size),
        );
        assert_eq!(report.format, Format::Parquet);
        assert_eq!(docs(&out), []);
        assert_eq!(
            problems(&out),
            [(0, "no text column: columns are id, score")]
        );
    }
}

#[test]
fn a_png_named_jsonl() {
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x06\0\0\0".to_vec();
    png.extend((0..20_000u32).map(|i| (i * 7919 % 251) as u8));
    for size in [1, 4096] {
        let (out, report) = run("photo.jsonl", &ReadOptions::default(), chunked(&png, size));
        assert_eq!(docs(&out), []);
        assert_eq!(
            problems(&out),
            [(0, "this looks like a PNG image, not text data")]
        );
        assert_eq!(report.bytes_in, png.len() as u64);
    }
}

#[test]
fn a_50_mb_tokenizer_json_that_is_not_one() {
    const SIZE: usize = 50_000_000;
    // A JSON Lines corpus under the wrong name: the second line is the place.
    let mut corpus = numbered(SIZE / 20);
    corpus.truncate(SIZE);
    let err = TokenCounter::from_named_json("data/tokenizer.json", &corpus)
        .err()
        .expect("not a tokenizer");
    assert_eq!(
        err.to_string(),
        "cannot load tokenizer: data/tokenizer.json is not a valid tokenizer.json \
         (trailing characters at line 2 column 1)"
    );
    // Valid JSON of 50 MB that is no tokenizer.
    let mut vocab = String::from("{\"vocab\":{");
    let mut i = 0;
    while vocab.len() < SIZE {
        vocab.push_str(&format!("\"word{i}\":{i},"));
        i += 1;
    }
    vocab.push_str("\"last\":0}}");
    let err = TokenCounter::from_named_json("big/tokenizer.json", vocab.as_bytes())
        .err()
        .expect("not a tokenizer");
    assert_eq!(
        err.to_string(),
        "cannot load tokenizer: big/tokenizer.json is not a valid tokenizer.json \
         (it has no \"model\" field; its fields are: vocab)"
    );
    // A good tokenizer still loads beside it.
    let gpt2 = std::fs::read(crate::oracle::path(
        "assets/tokenizers/gpt2-bytelevel-bpe/tokenizer.json",
    ))
    .expect("gpt2");
    let counter = TokenCounter::from_named_json("gpt2/tokenizer.json", &gpt2).expect("loads");
    assert_eq!(counter.count("hello world").expect("count"), 2);
}

/// A fixture of tests/fixtures/containers/bad (see
/// scripts/assets/container_fixtures.py).
fn bad_fixture(name: &str) -> Vec<u8> {
    crate::containers::fixture(&format!("bad/{name}"))
}

/// The bomb cap tightened so that 16 MiB trips it.
fn tight() -> ReadOptions {
    ReadOptions {
        bomb_ratio: 100,
        bomb_floor: 1 << 20,
        ..ReadOptions::default()
    }
}

/// Problems as (file, line, reason), for archives whose members name themselves.
fn named(out: &Batch) -> Vec<(&str, u64, &str)> {
    out.problems
        .iter()
        .map(|p| (p.file.as_str(), p.line, p.reason.as_str()))
        .collect()
}

/// Reads an archive between two good files; its problems may name its members.
fn run_archive(name: &str, options: &ReadOptions, bad: Chunks) -> (Batch, FileReport) {
    let good = ReadOptions::default();
    let (before, _) = read("before.jsonl", &good, whole(GOOD_JSONL.to_vec()));
    let outcome = read(name, options, bad);
    let (after, _) = read("after.csv", &good, whole(GOOD_CSV.to_vec()));
    assert_eq!(docs(&before).len(), 2);
    assert_eq!(docs(&after).len(), 2);
    let member = format!("{name}/");
    for p in &outcome.0.problems {
        assert!(p.file == name || p.file.starts_with(&member), "{p:?}");
    }
    outcome
}

#[test]
fn truncated_archives() {
    // A tar.gz cut inside its third member: the first two load whole, the
    // third says where it broke off.
    let tgz = crate::containers::fixture("shards.tar.gz");
    let cut = &tgz[..tgz.len() * 2 / 3];
    let (out, report) = run_archive("cut.tar.gz", &ReadOptions::default(), chunked(cut, 1000));
    assert!(report.members.len() >= 2, "{:?}", named(&out));
    assert_eq!(report.members[0].documents_loaded, 4);
    assert_eq!(report.members[1].documents_loaded, 4);
    assert!(
        out.problems
            .iter()
            .any(|p| p.reason.contains("gzip stream ends early")),
        "{:?}",
        named(&out)
    );

    // A zip cut inside a member.
    let zip = crate::containers::fixture("shards.zip");
    let (out, report) = run_archive(
        "cut.zip",
        &ReadOptions::default(),
        whole(zip[..1500].to_vec()),
    );
    let last = out.problems.last().expect("a problem");
    assert!(last.file.starts_with("cut.zip/"), "{last:?}");
    assert!(last
        .reason
        .contains("the archive ends inside this member (truncated)"));
    assert!(report.documents_loaded >= 4, "{:?}", named(&out));
}

#[test]
fn a_corrupt_member_loses_only_itself() {
    // Flip bytes inside the deflate data of a.jsonl, the first data member.
    let mut zip = crate::containers::fixture("shards.zip");
    let at = zip
        .windows(7)
        .position(|w| w == b"a.jsonl")
        .expect("a.jsonl's header")
        + 7
        + 40;
    for b in &mut zip[at..at + 20] {
        *b ^= 0xA5;
    }
    let (out, report) = run_archive("corrupt.zip", &ReadOptions::default(), chunked(&zip, 333));
    let files: Vec<&str> = report.members.iter().map(|m| m.file.as_str()).collect();
    assert_eq!(
        files,
        [
            "corrupt.zip/a.jsonl",
            "corrupt.zip/dir/b.csv",
            "corrupt.zip/c.jsonl.gz",
            "corrupt.zip/d.jsonl"
        ]
    );
    assert!(out
        .problems
        .iter()
        .any(|p| p.file == "corrupt.zip/a.jsonl" && p.reason.contains("deflate data is corrupt")));
    for m in &report.members[1..] {
        assert_eq!((m.documents_loaded, m.problems), (4, 0), "{}", m.file);
    }
}

#[test]
fn archive_and_stream_bombs_past_the_cap() {
    for name in ["zeros.jsonl.bz2", "zeros.jsonl.xz"] {
        let (out, report) = run(name, &tight(), chunked(&bad_fixture(name), 4096));
        assert!(report.bytes_decoded <= 1 << 20, "{name}");
        let last = out.problems.last().expect("a problem");
        assert!(
            last.reason.contains("decompression bomb"),
            "{name}: {last:?}"
        );
    }
    // The bomb member stops; the member after it loads whole.
    let (out, report) = run_archive(
        "bomb.zip",
        &tight(),
        chunked(&bad_fixture("bomb.zip"), 4096),
    );
    assert_eq!(report.members.len(), 2, "{:?}", named(&out));
    assert!(out
        .problems
        .iter()
        .any(|p| p.file == "bomb.zip/bomb.jsonl" && p.reason.contains("decompression bomb")));
    assert_eq!(report.members[1].file, "bomb.zip/a.jsonl");
    assert_eq!(
        (
            report.members[1].documents_loaded,
            report.members[1].problems
        ),
        (4, 0)
    );
}

#[test]
fn members_in_formats_that_are_not_read() {
    let (out, report) = run_archive(
        "odd.tar",
        &ReadOptions::default(),
        chunked(&bad_fixture("odd.tar"), 700),
    );
    assert_eq!(
        named(&out),
        [
            (
                "odd.tar/x.jsonl",
                0,
                "this looks like a PNG image, not text data"
            ),
            (
                "odd.tar/inner.zip",
                0,
                "this is a zip archive inside an archive, which is not read"
            ),
            ("odd.tar/data.7z", 0, "skipped: not a data file by its name"),
        ]
    );
    let last = report.members.last().expect("members");
    assert_eq!(
        (last.file.as_str(), last.documents_loaded),
        ("odd.tar/a.jsonl", 4)
    );
}

#[test]
fn an_arrow_stream_with_a_corrupt_batch() {
    let name = "corrupt_batch.arrow";
    let (out, report) = run(
        name,
        &ReadOptions::default(),
        chunked(&bad_fixture(name), 1000),
    );
    assert_eq!(report.format, Format::Arrow);
    assert_eq!(report.documents_loaded, 16);
    assert_eq!(report.documents_rejected, 1);
    let lines: Vec<u64> = out.documents.iter().map(|d| d.line).collect();
    assert_eq!(lines, (1..=8).chain(17..=24).collect::<Vec<_>>());
    let p = &out.problems[0];
    assert_eq!(p.line, 9);
    assert!(
        p.reason
            .starts_with("cannot read record batch 2 (rows 9 to 16): buffer"),
        "{}",
        p.reason
    );
}
