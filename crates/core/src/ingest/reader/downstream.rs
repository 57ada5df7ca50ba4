//! Everything after decompression: format detection, transcoding, the parser.

use super::{FileReport, ReadOptions};
use crate::ingest::archive::{container_of, Archive};
use crate::ingest::arrow::is_arrow;
use crate::ingest::compress::BombLimit;
use crate::ingest::csv::CsvParser;
use crate::ingest::detect::{self, Format, SNIFF_BYTES};
use crate::ingest::json::JsonParser;
use crate::ingest::text::TextParser;
use crate::ingest::utf::Utf8Stream;
use crate::ingest::{ArrowParser, Batch, JsonlParser, ParquetParser, Parser};
use crate::Problem;

/// Everything after decompression.
pub(super) struct Downstream {
    /// Decoded bytes held until the format is known.
    head: Option<Vec<u8>>,
    pub(super) utf: Option<Utf8Stream>,
    parser: Option<Box<dyn Parser>>,
    pub(super) format: Format,
    /// A whole-file refusal found while detecting.
    pub(super) refused: Option<String>,
    /// A zip or tar archive's reading, in place of a parser.
    archive: Option<Box<Archive>>,
    /// The reports of an archive's members, once it ended.
    pub(super) members: Vec<FileReport>,
    /// Whether this is an archive's member (which may not be an archive).
    pub(super) nested: bool,
    /// Bytes of the file read as stored (the archive's bomb cap).
    pub(super) raw_in: u64,
}

impl Downstream {
    pub(super) fn new() -> Self {
        Self {
            head: Some(Vec::new()),
            utf: None,
            parser: None,
            format: Format::Unknown,
            refused: None,
            archive: None,
            members: Vec::new(),
            nested: false,
            raw_in: 0,
        }
    }

    /// Takes decoded bytes: held until the format is known, then parsed.
    pub(super) fn push(
        &mut self,
        piece: &[u8],
        file: &str,
        options: &ReadOptions,
        out: &mut Batch,
    ) {
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
        if let Some(archive) = &mut self.archive {
            archive.push(piece, self.raw_in, out);
            return;
        }
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
        if is_arrow(&head) {
            self.format = Format::Arrow;
            let limit = BombLimit {
                ratio: options.bomb_ratio,
                floor: options.bomb_floor,
            };
            let parser = ArrowParser::new(file, options.fields.clone())
                .with_vector_dim(options.vector_dim)
                .with_bomb_limit(limit);
            self.parser = Some(Box::new(parser));
            self.parse(&head, out);
            return;
        }
        if let Some(format) = container_of(&head) {
            if self.nested {
                self.refused = Some(format!(
                    "this is a {} archive inside an archive, which is not read",
                    if format == Format::Zip { "zip" } else { "tar" }
                ));
                return;
            }
            self.format = format;
            self.archive = Some(Box::new(Archive::new(format, file, options)));
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
        let cap = options.record_cap;
        let parser: Box<dyn Parser> = match format {
            Format::Jsonl => Box::new(
                JsonlParser::new(file, fields)
                    .with_vector_dim(dim)
                    .with_record_cap(cap),
            ),
            Format::Json => Box::new(
                JsonParser::new(file, fields)
                    .with_vector_dim(dim)
                    .with_record_cap(cap),
            ),
            Format::Csv => Box::new(CsvParser::new(file, fields, b',').with_record_cap(cap)),
            Format::Tsv => Box::new(CsvParser::new(file, fields, b'\t').with_record_cap(cap)),
            Format::Parquet => parquet_parser(file, options),
            Format::Text | Format::Arrow | Format::Zip | Format::Tar | Format::Unknown => {
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
    pub(super) fn finish(&mut self, file: &str, options: &ReadOptions, out: &mut Batch) {
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
        if let Some(archive) = &mut self.archive {
            self.members = archive.finish(out);
            return;
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
    Box::new(ParquetParser::new(file, options.fields.clone()).with_vector_dim(options.vector_dim))
}
