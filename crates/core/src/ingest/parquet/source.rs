//! Reading an opened Parquet file: checks, the columns to read, rows per row group.

use std::sync::Arc;

use bytes::Bytes;
use parquet::basic::Compression;
use parquet::file::metadata::{ColumnChunkMetaData, ParquetMetaData};
use parquet::file::reader::{FileReader, RowGroupReader, SerializedFileReader};
use parquet::record::Row;
use parquet::schema::types::Type;
use serde_json::{Map, Value};

use super::rows::{document, to_map};
use super::{footer, pages};
use crate::ingest::columns::detect_fields;
use crate::ingest::fields::{preferred_text_column, SAMPLE_SIZE};
use crate::ingest::vector::VectorField;
use crate::ingest::{Batch, FieldChoice};
use crate::Problem;

/// Reads a whole file, handing over one batch per row group.
pub(super) fn read_file(
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
        let rows = source
            .check(group)
            .and_then(|()| source.rows(group, Some(projection.clone()), usize::MAX));
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
pub(super) struct Source {
    reader: SerializedFileReader<Bytes>,
    bytes: Bytes,
    pure_zstd: bool,
}

impl Source {
    pub(super) fn open(bytes: Bytes, pure_zstd: bool) -> Result<Self, String> {
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
    pub(super) fn sample(&self, limit: usize) -> Vec<Map<String, Value>> {
        let mut sample = Vec::new();
        for group in 0..self.reader.num_row_groups() {
            let rows = self
                .check(group)
                .and_then(|()| self.rows(group, None, limit - sample.len()));
            let Ok(rows) = rows else {
                break;
            };
            sample.extend(rows.into_iter().map_while(Result::ok).map(|r| to_map(&r)));
            if sample.len() >= limit {
                break;
            }
        }
        sample
    }

    /// Checks the page headers of row group `group` (see [`pages::check_chunk`]).
    fn check(&self, group: usize) -> parquet::errors::Result<()> {
        let metadata = self.reader.metadata().row_group(group);
        metadata
            .columns()
            .iter()
            .try_for_each(|column| pages::check_chunk(column, &self.bytes))
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
pub(super) fn chunk_range(
    column: &ColumnChunkMetaData,
    file_len: usize,
) -> Option<std::ops::Range<usize>> {
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
    let text_chosen = fields.text.is_some() || fields.conversation.is_some();
    if text_chosen && fields.source.is_some() {
        return Some(fields.clone());
    }
    let detected = detect_fields(&source.sample(SAMPLE_SIZE));
    let source_field = fields.source.clone().or(detected.source);
    if text_chosen {
        return Some(FieldChoice {
            source: source_field,
            ..fields.clone()
        });
    }
    if let Some(conversation) = detected.conversation {
        return Some(FieldChoice {
            text: None,
            source: source_field,
            vector: fields.vector.clone(),
            conversation: Some(conversation),
        });
    }
    let text = detected.text.or_else(|| string_column(schema))?;
    Some(FieldChoice {
        text: Some(text),
        source: source_field,
        vector: fields.vector.clone(),
        conversation: None,
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
    preferred_text_column(&strings)
}

/// The schema cut down to the top-level columns that `choice` reads; `Err`
/// names a chosen text or vector column the file lacks.
fn project(schema: &Type, choice: &FieldChoice) -> Result<Type, String> {
    let mut wanted: Vec<Arc<Type>> = Vec::new();
    // (top-level column, whether the file must have it)
    for (path, required) in choice.named_paths() {
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
