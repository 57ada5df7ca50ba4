//! Parquet: one document per row.
//!
//! Parquet is the exception to bounded memory: its schema and row-group index
//! sit in a footer at the end of the file, so [`ParquetParser`] buffers the
//! whole file (up to [`MAX_PARQUET_BYTES`]) and reads it on
//! [`Parser::finish`], one row group at a time.
//!
//! Rows are read with the `parquet` crate's record API (no arrow) and turned
//! into JSON objects, so the text and source are found by [`FieldChoice`] as
//! for JSON Lines, nested struct columns (`meta.text`) included. A vector
//! column ([`FieldChoice::vector`], a list of floats or doubles) is read from
//! the row itself, where a NaN is still a NaN (JSON turns it into null).
//!
//! Codecs: uncompressed, snappy, gzip and zstd. Native builds inflate zstd
//! with the `parquet` crate's codec (the C library); wasm32 builds, where
//! that does not compile, with the pure-Rust page reader in [`pages`].

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;

use bytes::Bytes;
use parquet::basic::Compression;
use parquet::file::metadata::{ColumnChunkMetaData, ParquetMetaData, ParquetMetaDataReader};
use parquet::file::reader::{FileReader, RowGroupReader, SerializedFileReader};
use parquet::record::{Field, Row};
use parquet::schema::types::Type;
use serde_json::{Map, Number, Value};

mod pages;
#[cfg(test)]
mod vector_tests;

use super::columns::detect_fields;
use super::fields::{lookup, HOST_PREFIX, SAMPLE_SIZE, TEXT_FIELDS};
use super::vector::{float, json_kind, json_number, Found, VectorField};
use super::{Batch, FieldChoice, Parser};
use crate::{Document, Problem};

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

/// Reads a whole file, handing over one batch per row group.
fn read_file(
    file: &str,
    fields: &FieldChoice,
    mut vector: Option<VectorField>,
    bytes: Bytes,
    pure_zstd: bool,
    emit: &mut dyn FnMut(Batch),
) -> Result<(), String> {
    let source = Source::open(bytes, pure_zstd)?;
    let reader = &source.reader;
    let metadata = reader.metadata();
    let schema = metadata.file_metadata().schema();
    let names: Vec<&str> = schema.get_fields().iter().map(|f| f.name()).collect();
    if metadata.file_metadata().num_rows() <= 0 {
        return Ok(());
    }
    check_columns(metadata, source.bytes.len())?;
    let choice = resolve(fields, &source, schema)
        .ok_or_else(|| format!("no text column: columns are {}", names.join(", ")))?;
    let projection = project(schema, &choice)
        .map_err(|missing| format!("no column \"{missing}\": columns are {}", names.join(", ")))?;

    let mut row: u64 = 0;
    for group in 0..reader.num_row_groups() {
        let first = row;
        let rows_in_group = metadata.row_group(group).num_rows().max(0) as u64;
        let mut batch = Batch::default();
        let problem = |line: u64, reason: String| Problem {
            file: file.to_string(),
            line,
            reason,
        };
        let rows = source.rows(group, Some(projection.clone()), usize::MAX);
        match rows {
            Err(e) => batch.problems.push(problem(
                first + 1,
                format!("cannot read row group {}: {e}", group + 1),
            )),
            Ok(rows) => {
                for result in rows {
                    row += 1;
                    match result {
                        Ok(r) => document(file, &choice, vector.as_mut(), row, &r, &mut batch),
                        Err(e) => {
                            let last = first + rows_in_group;
                            let reason = format!("cannot read rows {row} to {last}: {e}");
                            batch.problems.push(problem(row, reason));
                            break;
                        }
                    }
                }
            }
        }
        row = first + rows_in_group;
        emit(batch);
    }
    Ok(())
}

/// An opened file.
struct Source {
    reader: SerializedFileReader<Bytes>,
    bytes: Bytes,
    pure_zstd: bool,
}

impl Source {
    fn open(bytes: Bytes, pure_zstd: bool) -> Result<Self, String> {
        // Check the footer first, for clearer reasons than the reader's.
        footer(&bytes)?;
        Ok(Self {
            reader: SerializedFileReader::new(bytes.clone())
                .map_err(|e| format!("not a readable Parquet file: {e}"))?,
            bytes,
            pure_zstd,
        })
    }

    /// Up to `limit` rows from the start of the file, all columns, as JSON
    /// objects; rows past the first unreadable one are left out.
    fn sample(&self, limit: usize) -> Vec<Map<String, Value>> {
        let mut sample = Vec::new();
        for group in 0..self.reader.num_row_groups() {
            let Ok(rows) = self.rows(group, None, limit - sample.len()) else {
                break;
            };
            sample.extend(rows.into_iter().map_while(Result::ok).map(|r| to_map(&r)));
            if sample.len() >= limit {
                break;
            }
        }
        sample
    }

    /// Up to `limit` rows of row group `group`, through the pure-Rust page
    /// reader when it holds zstd pages and `pure_zstd` is set.
    fn rows(
        &self,
        group: usize,
        projection: Option<Type>,
        limit: usize,
    ) -> parquet::errors::Result<Vec<parquet::errors::Result<Row>>> {
        let metadata = self.reader.metadata().row_group(group);
        let zstd = metadata
            .columns()
            .iter()
            .any(|c| matches!(c.compression(), Compression::ZSTD(_)));
        if zstd && self.pure_zstd {
            let group = pages::ZstdRowGroup {
                metadata,
                file: self.bytes.clone(),
            };
            return Ok(group.get_row_iter(projection)?.take(limit).collect());
        }
        let group = self.reader.get_row_group(group)?;
        let rows = group.get_row_iter(projection)?.take(limit).collect();
        Ok(rows)
    }
}

/// One row to a document, or to a problem if its text is missing or its
/// vector (when `vector` reads one) is missing or invalid.
fn document(
    file: &str,
    choice: &FieldChoice,
    vector: Option<&mut VectorField>,
    line: u64,
    row: &Row,
    out: &mut Batch,
) {
    let record = to_map(row);
    let problem = |reason: String| Problem {
        file: file.to_string(),
        line,
        reason,
    };
    let Some(text) = choice.text_of(&record) else {
        let column = choice.text.as_deref().unwrap_or("text");
        let what = match lookup(&record, column) {
            None | Some(Value::Null) => "is null",
            Some(_) => "is not a string",
        };
        let reason = format!("text column \"{column}\" {what} in this row");
        out.problems.push(problem(reason));
        return;
    };
    let vector = match vector {
        Some(field) => match row_vector(field, line, row) {
            Ok(v) => Some(v),
            Err(reason) => {
                out.problems.push(problem(reason));
                return;
            }
        },
        None => None,
    };
    out.documents.push(Document {
        line,
        source: choice
            .source_of(&record)
            .unwrap_or_else(|| file.to_string()),
        text: text.to_string(),
        vector,
    });
}

/// The checked vector in a row's list column, read from the row's own
/// values: floats and doubles as they are stored, NaN included.
fn row_vector(field: &mut VectorField, line: u64, row: &Row) -> Result<Vec<f32>, String> {
    let mut parts = field.path().split('.');
    let mut value = parts.next().and_then(|name| column(row, name));
    for name in parts {
        value = match value {
            Some(Field::Group(inner)) => column(inner, name),
            _ => None,
        };
    }
    let found = match value {
        None => Found::Missing,
        Some(Field::ListInternal(list)) => Found::List(list.elements().iter().enumerate().map(
            |(i, item)| match item {
                Field::Float(f) => Ok(*f),
                Field::Double(f) => float(i, *f),
                Field::Float16(f) => Ok(f32::from(*f)),
                other => json_number(i, &to_json(other)),
            },
        )),
        Some(other) => Found::Other(json_kind(&to_json(other))),
    };
    field.check(line, found)
}

/// The value of a row's column called `name`.
fn column<'a>(row: &'a Row, name: &str) -> Option<&'a Field> {
    row.get_column_iter()
        .find(|(column, _)| column.as_str() == name)
        .map(|(_, value)| value)
}

/// Fails on a codec this build cannot decode, or a column chunk outside the
/// file (on which the `parquet` crate panics), before any page is read.
fn check_columns(metadata: &ParquetMetaData, file_len: usize) -> Result<(), String> {
    for group in metadata.row_groups() {
        for column in group.columns() {
            if chunk_range(column, file_len).is_none() {
                return Err(
                    "this Parquet file is malformed: a column lies outside the file".into(),
                );
            }
            match column.compression() {
                Compression::UNCOMPRESSED | Compression::SNAPPY | Compression::GZIP(_) => {}
                // Native builds link the C library; all builds have `pages`.
                Compression::ZSTD(_) => {}
                other => {
                    return Err(format!(
                        "this Parquet file uses {other} compression, which Corpuscope cannot decode"
                    ))
                }
            }
        }
    }
    Ok(())
}

/// The bytes of a column chunk, if they lie inside a file of `file_len` bytes.
fn chunk_range(column: &ColumnChunkMetaData, file_len: usize) -> Option<std::ops::Range<usize>> {
    let start = column
        .dictionary_page_offset()
        .unwrap_or(column.data_page_offset());
    let start = usize::try_from(start).ok()?;
    let len = usize::try_from(column.compressed_size()).ok()?;
    let end = start.checked_add(len)?;
    (end <= file_len).then_some(start..end)
}

/// The text and source fields to read: those chosen, the rest detected from
/// the first rows, then from the schema. `None` if no text column is found.
fn resolve(fields: &FieldChoice, source: &Source, schema: &Type) -> Option<FieldChoice> {
    if fields.text.is_some() && fields.source.is_some() {
        return Some(fields.clone());
    }
    let detected = detect_fields(&source.sample(SAMPLE_SIZE));
    let text = fields
        .text
        .clone()
        .or(detected.text)
        .or_else(|| string_column(schema))?;
    Some(FieldChoice {
        text: Some(text),
        source: fields.source.clone().or(detected.source),
        vector: fields.vector.clone(),
    })
}

/// A top-level string column: a known text name first, else the first.
fn string_column(schema: &Type) -> Option<String> {
    use parquet::basic::{ConvertedType, LogicalType};
    let strings: Vec<&str> = schema
        .get_fields()
        .iter()
        .filter(|f| {
            let info = f.get_basic_info();
            !f.is_group()
                && (matches!(info.logical_type_ref(), Some(LogicalType::String))
                    || info.converted_type() == ConvertedType::UTF8)
        })
        .map(|f| f.name())
        .collect();
    TEXT_FIELDS
        .iter()
        .find(|n| strings.contains(n))
        .copied()
        .or(strings.first().copied())
        .map(str::to_string)
}

/// The schema cut down to the top-level columns that `choice` reads; `Err`
/// names a chosen text or vector column the file lacks.
fn project(schema: &Type, choice: &FieldChoice) -> Result<Type, String> {
    let mut wanted: Vec<Arc<Type>> = Vec::new();
    // (path, whether the file must have it)
    let paths = [
        (choice.text.as_deref(), true),
        (choice.source.as_deref(), false),
        (choice.vector.as_deref(), true),
    ];
    for (path, required) in paths {
        let Some(path) = path else { continue };
        let path = path.strip_prefix(HOST_PREFIX).unwrap_or(path);
        let root = path.split('.').next().unwrap_or(path);
        match schema.get_fields().iter().find(|f| f.name() == root) {
            Some(field) if !wanted.iter().any(|w| w.name() == root) => wanted.push(field.clone()),
            Some(_) => {}
            // A missing text or vector column is an error; a missing source
            // falls back on the file name.
            None if required => return Err(path.to_string()),
            None => {}
        }
    }
    Type::group_type_builder(schema.name())
        .with_fields(wanted)
        .build()
        .map_err(|e| e.to_string())
}

/// A row as a JSON object.
fn to_map(row: &Row) -> Map<String, Value> {
    row.get_column_iter()
        .map(|(name, field)| (name.clone(), to_json(field)))
        .collect()
}

fn to_json(field: &Field) -> Value {
    let float = |f: f64| Number::from_f64(f).map_or(Value::Null, Value::Number);
    match field {
        Field::Null => Value::Null,
        Field::Bool(b) => Value::Bool(*b),
        Field::Byte(n) => Value::from(*n),
        Field::Short(n) => Value::from(*n),
        Field::Int(n) => Value::from(*n),
        Field::Long(n) => Value::from(*n),
        Field::UByte(n) => Value::from(*n),
        Field::UShort(n) => Value::from(*n),
        Field::UInt(n) => Value::from(*n),
        Field::ULong(n) => Value::from(*n),
        Field::Float16(f) => float(f64::from(*f)),
        Field::Float(f) => float(f64::from(*f)),
        Field::Double(f) => float(*f),
        Field::Str(s) => Value::String(s.clone()),
        // Unannotated byte arrays are often strings written by older tools.
        Field::Bytes(b) => match std::str::from_utf8(b.data()) {
            Ok(s) => Value::String(s.to_string()),
            Err(_) => Value::Null,
        },
        Field::Group(row) => Value::Object(to_map(row)),
        Field::ListInternal(list) => Value::Array(list.elements().iter().map(to_json).collect()),
        Field::MapInternal(map) => Value::Object(
            map.entries()
                .iter()
                .map(|(k, v)| {
                    let key = match to_json(k) {
                        Value::String(s) => s,
                        other => other.to_string(),
                    };
                    (key, to_json(v))
                })
                .collect(),
        ),
        // Dates and times as their raw numbers (days, or units since
        // midnight or the epoch): formatting them would pull chrono and
        // big integers into the browser build for columns that are never text.
        Field::Date(n) | Field::TimeMillis(n) => Value::from(*n),
        Field::TimeMicros(n) | Field::TimestampMillis(n) | Field::TimestampMicros(n) => {
            Value::from(*n)
        }
        Field::Decimal(_) => Value::Null,
    }
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
