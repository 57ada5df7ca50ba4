//! The one entry point for front ends: any supported file in, documents out.

use super::compress::{BombLimit, Decompressor};
use super::csv::CsvParser;
use super::detect::{self, Compression, Format, SNIFF_BYTES};
use super::json::JsonParser;
use super::text::{TextMode, TextParser};
use super::utf::Utf8Stream;
use super::{Batch, FieldChoice, JsonlParser, Parser};
use crate::Problem;
use serde::{Deserialize, Serialize};

/// Bytes needed to tell the compression from the magic number.
const MAGIC_BYTES: usize = 4;

/// How to read a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadOptions {
    /// Which fields of a record hold the text, the source and a vector.
    pub fields: FieldChoice,
    /// The length every vector of [`FieldChoice::vector`] must have (say, the
    /// `vector_dim` that [`detect_fields`](super::detect_fields) found);
    /// `None`: the first valid vector of each file fixes it for that file.
    /// Unused without a vector field.
    pub vector_dim: Option<usize>,
    /// How plain text splits into documents.
    pub text_mode: TextMode,
    /// Stop when decompressed output passes this many times the compressed input...
    pub bomb_ratio: u64,
    /// ...once it is past this many bytes.
    pub bomb_floor: u64,
    /// The largest plain-text document, in bytes.
    pub text_cap: usize,
}

impl Default for ReadOptions {
    fn default() -> Self {
        Self {
            fields: FieldChoice::default(),
            vector_dim: None,
            text_mode: TextMode::Whole,
            bomb_ratio: 1000,
            bomb_floor: 64 << 20,
            text_cap: 256 << 20,
        }
    }
}

/// What reading one file came to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileReport {
    pub file: String,
    pub format: Format,
    pub compression: Compression,
    /// Bytes fed in, as stored.
    pub bytes_in: u64,
    /// Bytes after decompression (before any transcoding).
    pub bytes_decoded: u64,
    /// Records met: always `documents_loaded + documents_rejected`.
    pub documents_in: u64,
    pub documents_loaded: u64,
    /// Records reported as a problem with their line (problems on line 0
    /// concern the whole file and count no record).
    pub documents_rejected: u64,
    /// Invalid UTF-8 sequences (or unpaired UTF-16 surrogates) replaced by U+FFFD.
    pub invalid_utf8: u64,
    /// All problems reported, per record or for the whole file.
    pub problems: u64,
}

/// Reads one file of any supported format and compression, pushed in chunks.
pub struct FileReader {
    file: String,
    options: ReadOptions,
    /// The first raw bytes, held until the compression is known.
    magic: Option<Vec<u8>>,
    decompressor: Option<Decompressor>,
    rest: Downstream,
    report: FileReport,
    /// Set once the file is refused or unreadable: further bytes are ignored.
    stopped: bool,
    finished: bool,
}

/// Everything after decompression.
struct Downstream {
    /// Decoded bytes held until the format is known.
    head: Option<Vec<u8>>,
    utf: Option<Utf8Stream>,
    parser: Option<Box<dyn Parser>>,
    format: Format,
    /// A whole-file refusal found while detecting.
    refused: Option<String>,
}

impl FileReader {
    /// A reader for the file called `file`.
    pub fn new(file: impl Into<String>, options: ReadOptions) -> Self {
        let file = file.into();
        Self {
            report: FileReport {
                file: file.clone(),
                format: Format::Unknown,
                compression: Compression::None,
                bytes_in: 0,
                bytes_decoded: 0,
                documents_in: 0,
                documents_loaded: 0,
                documents_rejected: 0,
                invalid_utf8: 0,
                problems: 0,
            },
            file,
            options,
            magic: Some(Vec::new()),
            decompressor: None,
            rest: Downstream {
                head: Some(Vec::new()),
                utf: None,
                parser: None,
                format: Format::Unknown,
                refused: None,
            },
            stopped: false,
            finished: false,
        }
    }

    /// Consumes the next chunk of the file.
    pub fn feed(&mut self, chunk: &[u8], out: &mut Batch) {
        if self.finished {
            return;
        }
        let (docs, problems) = (out.documents.len(), out.problems.len());
        self.report.bytes_in += chunk.len() as u64;
        if !self.stopped {
            self.push(chunk, false, out);
        }
        self.count(out, docs, problems);
    }

    /// The format detected so far (`Unknown` until enough bytes arrived).
    pub fn format(&self) -> Format {
        self.rest.format
    }

    /// The compression detected so far.
    pub fn compression(&self) -> Compression {
        self.report.compression
    }

    /// Ends the file and reports on it. Calling it again (or `feed` after
    /// it) adds nothing and returns the same report.
    pub fn finish(&mut self, out: &mut Batch) -> FileReport {
        if self.finished {
            return self.report.clone();
        }
        self.finished = true;
        let (docs, problems) = (out.documents.len(), out.problems.len());
        if !self.stopped {
            self.push(&[], true, out);
        }
        if self.report.bytes_in == 0 {
            out.problems.push(self.problem("the file is empty".into()));
        }
        self.rest.finish(&self.file, &self.options, out);
        self.count(out, docs, problems);
        self.report.format = self.rest.format;
        self.report.bytes_decoded = self.decompressor.as_ref().map_or(0, |d| d.bytes_out);
        self.report.invalid_utf8 = self.rest.utf.as_ref().map_or(0, |u| u.replaced);
        self.stopped = true;
        self.report.clone()
    }

    fn problem(&self, reason: String) -> Problem {
        Problem {
            file: self.file.clone(),
            line: 0,
            reason,
        }
    }

    /// Sends raw bytes down the chain; `end` marks the end of the file.
    fn push(&mut self, chunk: &[u8], end: bool, out: &mut Batch) {
        let mut input = chunk;
        let held;
        if let Some(magic) = &mut self.magic {
            magic.extend_from_slice(chunk);
            if magic.len() < MAGIC_BYTES && !end {
                return;
            }
            held = self.magic.take().unwrap_or_default();
            input = &held;
            let compression = detect::compression_of(&held);
            self.report.compression = compression;
            let limit = BombLimit {
                ratio: self.options.bomb_ratio,
                floor: self.options.bomb_floor,
            };
            self.decompressor = Some(Decompressor::new(compression, limit));
        }
        let Some(decompressor) = &mut self.decompressor else {
            return;
        };
        let (rest, file, options) = (&mut self.rest, &self.file, &self.options);
        let mut sink = |piece: &[u8]| rest.push(piece, file, options, out);
        let mut result = decompressor.feed(input, &mut sink);
        if end && result.is_ok() {
            result = decompressor.finish(&mut sink);
        }
        if let Err(reason) = result {
            self.stopped = true;
            out.problems.push(self.problem(reason));
        }
        if let Some(reason) = self.rest.refused.take() {
            self.stopped = true;
            out.problems.push(self.problem(reason));
        }
    }

    /// Adds what this call appended to `out` to the counts.
    fn count(&mut self, out: &Batch, docs: usize, problems: usize) {
        let new = &out.problems[problems..];
        let rejected = new.iter().filter(|p| p.line > 0).count() as u64;
        let loaded = (out.documents.len() - docs) as u64;
        self.report.documents_loaded += loaded;
        self.report.documents_rejected += rejected;
        self.report.documents_in += loaded + rejected;
        self.report.problems += new.len() as u64;
    }
}

impl Downstream {
    /// Takes decoded bytes: held until the format is known, then parsed.
    fn push(&mut self, piece: &[u8], file: &str, options: &ReadOptions, out: &mut Batch) {
        if self.refused.is_some() {
            return;
        }
        if let Some(head) = &mut self.head {
            head.extend_from_slice(piece);
            if head.len() >= SNIFF_BYTES {
                self.start(file, options, out);
            }
            return;
        }
        self.parse(piece, out);
    }

    fn parse(&mut self, piece: &[u8], out: &mut Batch) {
        let Some(parser) = &mut self.parser else {
            return;
        };
        match &mut self.utf {
            Some(utf) => parser.feed(utf.feed(piece), out),
            None => parser.feed(piece, out),
        }
    }

    /// Detects the format from the held head and starts parsing it.
    fn start(&mut self, file: &str, options: &ReadOptions, out: &mut Batch) {
        let head = self.head.take().unwrap_or_default();
        if head.starts_with(b"PAR1") {
            self.format = Format::Parquet;
            self.parser = Some(parquet_parser(file, options));
            self.parse(&head, out);
            return;
        }
        if let Some(kind) = detect::binary_kind(&head) {
            self.refused = Some(format!("this looks like {kind}, not text data"));
            return;
        }
        let mut utf = Utf8Stream::new(&head);
        let text = utf.feed(&head).to_vec();
        if detect::looks_binary(&text[..text.len().min(SNIFF_BYTES)]) {
            self.refused = Some("this looks like binary data, not text".into());
            return;
        }
        let format = detect::format_of(&detect::base_name(file), &text);
        let (fields, dim) = (options.fields.clone(), options.vector_dim);
        let parser: Box<dyn Parser> = match format {
            Format::Jsonl => Box::new(JsonlParser::new(file, fields).with_vector_dim(dim)),
            Format::Json => Box::new(JsonParser::new(file, fields).with_vector_dim(dim)),
            Format::Csv => Box::new(CsvParser::new(file, fields, b',')),
            Format::Tsv => Box::new(CsvParser::new(file, fields, b'\t')),
            Format::Parquet => parquet_parser(file, options),
            Format::Text | Format::Unknown => {
                if let Some(path) = &options.fields.vector {
                    out.problems.push(Problem {
                        file: file.to_string(),
                        line: 0,
                        reason: format!(
                            "vector field \"{path}\": plain text has no fields to hold \
                             vectors; the documents load without them"
                        ),
                    });
                }
                Box::new(TextParser::new(file, options.text_mode, options.text_cap))
            }
        };
        self.format = format;
        self.utf = Some(utf);
        self.parser = Some(parser);
        if let Some(p) = &mut self.parser {
            p.feed(&text, out);
        }
    }

    /// Ends the stream: detects on a short file, then flushes the parser.
    fn finish(&mut self, file: &str, options: &ReadOptions, out: &mut Batch) {
        if self.head.as_ref().is_some_and(|h| !h.is_empty()) {
            self.start(file, options, out);
            if let Some(reason) = self.refused.take() {
                out.problems.push(Problem {
                    file: file.to_string(),
                    line: 0,
                    reason,
                });
            }
        }
        let Some(parser) = &mut self.parser else {
            return;
        };
        if let Some(utf) = &mut self.utf {
            parser.feed(utf.finish(), out);
        }
        parser.finish(out);
    }
}

/// The Parquet reader (it holds the file: Parquet's index is at its end).
fn parquet_parser(file: &str, options: &ReadOptions) -> Box<dyn Parser> {
    Box::new(
        super::ParquetParser::new(file, options.fields.clone()).with_vector_dim(options.vector_dim),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
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
}
