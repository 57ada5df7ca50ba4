//! Streaming ingestion: bytes arrive in chunks, documents leave in batches.
//!
//! A front end reads a file in slices and calls [`Parser::feed`] for each, then
//! [`Parser::finish`] once. Memory held by a parser is one partial record, never
//! the whole file — except Parquet, whose index sits at the end of the file:
//! [`ParquetParser`] holds the file's bytes (up to [`MAX_PARQUET_BYTES`]).
//!
//! [`FileReader`] is the entry point: it detects compression (gzip, zstd),
//! encoding (UTF-8, UTF-16 with a BOM) and format (JSONL, JSON, CSV/TSV, text),
//! refuses binary files, and chains the matching [`Parser`].

mod archive;
mod arrow;
mod columns;
mod compress;
mod csv;
mod detect;
mod fields;
mod json;
mod jsonl;
mod lines;
mod parquet;
mod preview;
mod reader;
mod text;
mod utf;
mod vector;
mod warnings;

pub use arrow::ArrowParser;
pub use columns::{detect_fields, ColumnInfo, ColumnKind, DetectedFields};
pub use compress::{BombLimit, Decompressor};
pub use csv::CsvParser;
pub use detect::{is_data_file_name, Compression, Format};
pub use fields::{
    url_host, FieldChoice, HOST_PREFIX, LANGUAGE_FIELDS, SOURCE_FIELDS, TEXT_FIELDS, URL_FIELDS,
};
pub use json::JsonParser;
pub use jsonl::JsonlParser;
pub use lines::LineSplitter;
pub use parquet::{parquet_schema, ParquetParser, MAX_PARQUET_BYTES};
pub use preview::{preview, Preview};
pub use reader::{FileReader, FileReport, ReadOptions};
pub use text::{TextMode, TextParser};
pub use utf::Utf8Stream;
pub use warnings::{field_warnings, FieldWarning};

use crate::{Document, Problem};
use serde_json::{Map, Value};

/// Records a sampling batch keeps (see [`Batch::sampling`]).
pub const SAMPLE_RECORDS: usize = 20;

/// What a parser produced from the input seen so far.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Batch {
    pub documents: Vec<Document>,
    pub problems: Vec<Problem>,
    /// The first records as parsed (before choosing fields), when sampling.
    pub samples: Option<Vec<Map<String, Value>>>,
}

impl Batch {
    /// An empty batch that also keeps the first [`SAMPLE_RECORDS`] records of
    /// JSONL, JSON and CSV input, for previews and column detection.
    pub fn sampling() -> Self {
        Self {
            samples: Some(Vec::new()),
            ..Self::default()
        }
    }

    /// Keeps a copy of `record` if sampling and not full.
    pub(crate) fn sample(&mut self, record: &Map<String, Value>) {
        if let Some(samples) = &mut self.samples {
            if samples.len() < SAMPLE_RECORDS {
                samples.push(record.clone());
            }
        }
    }

    /// Whether nothing was produced.
    pub fn is_empty(&self) -> bool {
        self.documents.is_empty() && self.problems.is_empty()
    }
}

/// A streaming parser for one file.
pub trait Parser {
    /// Consumes the next chunk of the file, appending to `out`.
    fn feed(&mut self, chunk: &[u8], out: &mut Batch);
    /// Signals the end of the file, appending whatever was still held.
    fn finish(&mut self, out: &mut Batch);
}

/// Feeds `chunks` to `parser`, then finishes it: what a whole file gives.
#[cfg(test)]
pub(crate) fn read_all(mut parser: impl Parser, chunks: &[&[u8]]) -> Batch {
    let mut out = Batch::default();
    for chunk in chunks {
        parser.feed(chunk, &mut out);
    }
    parser.finish(&mut out);
    out
}
