//! Parquet: one document per row.
//!
//! Parquet is the exception to bounded memory: its schema and row-group index
//! sit in a footer at the end of the file, so [`ParquetParser`] buffers the
//! whole file (up to [`MAX_PARQUET_BYTES`]) and reads it on
//! [`Parser::finish`], one row group at a time ([`source`]).
//!
//! Rows are read with the `parquet` crate's record API (no arrow) and turned
//! into JSON objects ([`rows`]), so the text and source are found by
//! [`FieldChoice`] as for JSON Lines, nested struct columns (`meta.text`)
//! included. A vector column ([`FieldChoice::vector`], a list of floats or
//! doubles) is read from the row itself, where a NaN is still a NaN (JSON
//! turns it into null).
//!
//! Codecs: uncompressed, snappy, gzip and zstd. Native builds inflate zstd
//! with the `parquet` crate's codec (the C library); wasm32 builds, where
//! that does not compile, with the pure-Rust page reader in [`pages`].

use std::panic::{catch_unwind, AssertUnwindSafe};

use bytes::Bytes;
use parquet::file::metadata::ParquetMetaDataReader;
use parquet::schema::types::Type;
use serde_json::{Map, Value};

mod pages;
mod rows;
mod source;
#[cfg(test)]
mod vector_tests;

use super::vector::VectorField;
use super::{Batch, FieldChoice, Parser};
use crate::Problem;
use source::{read_file, Source};

/// The largest Parquet file a parser buffers: 2 GiB.
pub const MAX_PARQUET_BYTES: u64 = 2 << 30;

/// Parses a Parquet file, one document per row.
pub struct ParquetParser {
    file: String,
    fields: FieldChoice,
    buffer: Vec<u8>,
    /// Bytes seen, counted on even after the buffer was dropped.
    seen: u64,
    /// Why the buffer was dropped (too big, or out of memory).
    dropped: Option<String>,
    /// Inflate zstd pages with the pure-Rust reader even where the `parquet`
    /// crate could (always so on wasm32).
    pure_zstd: bool,
    /// The length required of vectors, if given.
    vector_dim: Option<usize>,
}

impl ParquetParser {
    /// A parser for the file called `file` (its name also serves as the
    /// source of rows that name none).
    pub fn new(file: impl Into<String>, fields: FieldChoice) -> Self {
        Self {
            file: file.into(),
            fields,
            buffer: Vec::new(),
            seen: 0,
            dropped: None,
            pure_zstd: cfg!(target_arch = "wasm32"),
            vector_dim: None,
        }
    }

    /// Requires every vector of [`FieldChoice::vector`] to have `dim` values
    /// (`None`: the first valid vector fixes the length).
    pub fn with_vector_dim(mut self, dim: Option<usize>) -> Self {
        self.vector_dim = dim;
        self
    }

    /// Reads zstd pages with the pure-Rust decoder that the browser build
    /// uses, also in native builds (which otherwise use the C library).
    pub fn with_pure_rust_zstd(mut self) -> Self {
        self.pure_zstd = true;
        self
    }

    /// The columns of the file buffered so far (see [`parquet_schema`]).
    pub fn columns(&self) -> Result<Vec<(String, String)>, String> {
        parquet_schema(&self.buffer)
    }

    /// Like [`Parser::finish`], but hands over one batch per row group, so a
    /// caller can pass documents on before the whole file is read.
    pub fn finish_each(&mut self, mut emit: impl FnMut(Batch)) {
        let problem = |reason: String| Problem {
            file: self.file.clone(),
            line: 0,
            reason,
        };
        if let Some(reason) = self.dropped.take() {
            emit(Batch {
                problems: vec![problem(reason)],
                ..Batch::default()
            });
            return;
        }
        let bytes = Bytes::from(std::mem::take(&mut self.buffer));
        // The parquet crate may panic on some malformed files; in native
        // builds that becomes a problem (wasm32 release builds abort instead).
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            let vector = VectorField::new(self.fields.vector.as_deref(), self.vector_dim);
            read_file(
                &self.file,
                &self.fields,
                vector,
                bytes,
                self.pure_zstd,
                &mut emit,
            )
        }));
        let reason = match outcome {
            Ok(Ok(())) => return,
            Ok(Err(reason)) => reason,
            Err(_) => "this Parquet file is malformed: the reader failed on it".to_string(),
        };
        emit(Batch {
            problems: vec![problem(reason)],
            ..Batch::default()
        });
    }
}

impl Parser for ParquetParser {
    fn feed(&mut self, chunk: &[u8], _out: &mut Batch) {
        self.seen = self.seen.saturating_add(chunk.len() as u64);
        if self.dropped.is_some() {
            return;
        }
        let reason = if self.seen > MAX_PARQUET_BYTES {
            format!(
                "Parquet files are read whole, and this one is larger than {} GiB",
                MAX_PARQUET_BYTES >> 30
            )
        } else if self.buffer.try_reserve(chunk.len()).is_ok()
            || self.buffer.try_reserve_exact(chunk.len()).is_ok()
        {
            self.buffer.extend_from_slice(chunk);
            return;
        } else {
            format!(
                "Parquet files are read whole, and there is not enough memory for this one ({} MiB)",
                self.seen >> 20
            )
        };
        self.dropped = Some(reason);
        self.buffer = Vec::new();
    }

    fn finish(&mut self, out: &mut Batch) {
        self.finish_each(|batch| {
            out.documents.extend(batch.documents);
            out.problems.extend(batch.problems);
        });
    }
}

/// The columns of a whole Parquet file held in `bytes`, as (dotted path, type)
/// pairs: top-level columns and the fields of struct columns. Types are
/// `string`, `binary`, `int64`, `double`, `bool`, `list`, `map`, `struct`, ...
///
/// Only the footer is decoded. `Err` holds a reason for the user.
pub fn parquet_schema(bytes: &[u8]) -> Result<Vec<(String, String)>, String> {
    let metadata = ParquetMetaDataReader::decode_metadata(footer(bytes)?)
        .map_err(|e| format!("not a readable Parquet file: {e}"))?;
    let mut columns = Vec::new();
    for field in metadata.file_metadata().schema().get_fields() {
        describe(field, "", &mut columns);
    }
    Ok(columns)
}

/// Up to `limit` rows from the start of a whole Parquet file held in `bytes`,
/// as JSON objects with every column (none if it cannot be read).
pub(crate) fn parquet_sample(bytes: &[u8], limit: usize) -> Vec<Map<String, Value>> {
    let read = || {
        let pure_zstd = cfg!(target_arch = "wasm32");
        Source::open(Bytes::copy_from_slice(bytes), pure_zstd)
            .map(|source| source.sample(limit))
            .unwrap_or_default()
    };
    // As in `finish_each`: the reader may panic on a malformed file.
    catch_unwind(AssertUnwindSafe(read)).unwrap_or_default()
}

/// The encoded metadata at the end of a Parquet file.
fn footer(bytes: &[u8]) -> Result<&[u8], String> {
    let n = bytes.len();
    if !bytes.starts_with(b"PAR1") {
        return Err("not a Parquet file: it does not start with PAR1".into());
    }
    if n < 12 {
        return Err(format!("not a complete Parquet file: only {n} bytes"));
    }
    match &bytes[n - 4..] {
        b"PAR1" => {}
        b"PARE" => return Err("this Parquet file is encrypted, which is not supported".into()),
        _ => return Err("this Parquet file is truncated: its footer is missing".into()),
    }
    let mut len = [0u8; 4];
    len.copy_from_slice(&bytes[n - 8..n - 4]);
    let len = u32::from_le_bytes(len) as usize;
    if len > n - 12 {
        return Err("this Parquet file is truncated: its footer is cut".into());
    }
    Ok(&bytes[n - 8 - len..n - 8])
}

fn describe(field: &Type, prefix: &str, out: &mut Vec<(String, String)>) {
    use parquet::basic::{ConvertedType, LogicalType, Type as Physical};
    let path = if prefix.is_empty() {
        field.name().to_string()
    } else {
        format!("{prefix}.{}", field.name())
    };
    let info = field.get_basic_info();
    let logical = info.logical_type_ref();
    let converted = info.converted_type();
    if field.is_group() {
        let kind = match (logical, converted) {
            (Some(LogicalType::List), _) | (_, ConvertedType::LIST) => "list",
            (Some(LogicalType::Map), _)
            | (_, ConvertedType::MAP | ConvertedType::MAP_KEY_VALUE) => "map",
            _ => "struct",
        };
        out.push((path.clone(), kind.to_string()));
        if kind == "struct" {
            for inner in field.get_fields() {
                describe(inner, &path, out);
            }
        }
        return;
    }
    let kind = match (logical, converted, field.get_physical_type()) {
        (Some(LogicalType::String), ..) | (_, ConvertedType::UTF8, _) => "string".to_string(),
        (Some(LogicalType::Json), ..) | (_, ConvertedType::JSON, _) => "json".to_string(),
        (Some(LogicalType::Enum), ..) | (_, ConvertedType::ENUM, _) => "enum".to_string(),
        (Some(LogicalType::Integer(int)), ..) => {
            let sign = if int.is_signed { "" } else { "u" };
            format!("{sign}int{}", int.bit_width)
        }
        (Some(LogicalType::Decimal(_)), ..) => "decimal".to_string(),
        (Some(LogicalType::Date), ..) => "date".to_string(),
        (Some(LogicalType::Time(_)), ..) => "time".to_string(),
        (Some(LogicalType::Timestamp(_)), ..) => "timestamp".to_string(),
        (_, _, Physical::BYTE_ARRAY) => "binary".to_string(),
        (_, _, Physical::BOOLEAN) => "bool".to_string(),
        // Other annotations (UUID, float16, ...): the physical type.
        (_, _, physical) => physical.to_string().to_lowercase(),
    };
    out.push((path, kind));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(bytes: &[u8]) -> Batch {
        let mut p = ParquetParser::new("f.parquet", FieldChoice::default());
        let mut out = Batch::default();
        for chunk in bytes.chunks(7) {
            p.feed(chunk, &mut out);
        }
        p.finish(&mut out);
        out
    }

    #[test]
    fn not_parquet() {
        let cases: [(&[u8], &str); 4] = [
            (b"", "does not start with PAR1"),
            (b"{\"text\": \"json\"}\n", "does not start with PAR1"),
            (b"PAR1 some bytes then nothing", "footer is missing"),
            (b"PAR1\0\0\0\0\xff\0\0\0PAR1", "footer is cut"),
        ];
        for (bytes, reason) in cases {
            let out = parse(bytes);
            assert!(out.documents.is_empty());
            assert_eq!(out.problems.len(), 1, "{bytes:?}");
            assert_eq!(out.problems[0].line, 0);
            assert!(
                out.problems[0].reason.contains(reason),
                "{:?}",
                out.problems[0]
            );
            assert!(parquet_schema(bytes).is_err());
        }
    }

    #[test]
    fn too_big() {
        let mut p = ParquetParser::new("big.parquet", FieldChoice::default());
        p.seen = MAX_PARQUET_BYTES;
        let mut out = Batch::default();
        p.feed(b"x", &mut out);
        assert!(p.buffer.is_empty());
        p.finish(&mut out);
        assert_eq!(out.problems.len(), 1);
        assert!(out.problems[0].reason.contains("larger than 2 GiB"));
    }
}
