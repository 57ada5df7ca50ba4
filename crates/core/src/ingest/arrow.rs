//! Arrow IPC: one document per row, decoded one record batch at a time.
//!
//! Both IPC formats are read as they stream in. The stream format (what
//! Hugging Face `datasets.save_to_disk` writes as `data-00000-of-000NN.arrow`)
//! is a sequence of messages — schema, dictionaries, record batches, an
//! end-of-stream marker — each framed by its length, so [`ArrowParser`] holds
//! at most one message. The file format (Feather v2, magic `ARROW1`) is the
//! same stream between a leading magic and a trailing footer; the footer only
//! indexes the batches, so it is not needed and what follows the stream's end
//! is not read.
//!
//! Rows become JSON objects ([`values`]) and then documents as Parquet rows
//! do: the text and source fields are those chosen, else detected from the
//! first batch's rows. Compressed buffers (lz4-frame or zstd) are inflated
//! here ([`body`]) with pure-Rust decoders, the same on every target.

use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;

use arrow_array::{ArrayRef, RecordBatch};
use arrow_buffer::Buffer;
use arrow_ipc::{MessageHeader, MetadataVersion};
use arrow_schema::{DataType, Schema, SchemaRef};
use serde_json::{Map, Value};

mod body;
mod values;

use super::columns::detect_fields;
use super::compress::BombLimit;
use super::fields::{lookup, preferred_text_column, SAMPLE_SIZE};
use super::vector::VectorField;
use super::{Batch, FieldChoice, Parser};
use crate::{Document, Problem};

/// The largest message metadata (a schema with its metadata): 64 MiB.
const MAX_METADATA: usize = 64 << 20;
/// The largest message body (one record batch): 2 GiB, as for a Parquet file.
const MAX_BODY: u64 = 2 << 30;
/// The continuation marker before each message's length.
const CONTINUATION: [u8; 4] = [0xFF; 4];
/// The magic and padding that start the file format.
const FILE_MAGIC: &[u8; 8] = b"ARROW1\0\0";

/// Whether decoded bytes start an Arrow IPC stream or file.
pub(crate) fn is_arrow(head: &[u8]) -> bool {
    if head.starts_with(b"ARROW1") {
        return true;
    }
    // A continuation marker, then the schema message's length.
    match head {
        [0xFF, 0xFF, 0xFF, 0xFF, a, b, c, d, ..] => {
            let len = i32::from_le_bytes([*a, *b, *c, *d]);
            len > 0 && len as usize <= MAX_METADATA
        }
        _ => false,
    }
}

/// Parses an Arrow IPC stream or file, one document per row.
pub struct ArrowParser {
    file: String,
    fields: FieldChoice,
    vector: Option<VectorField>,
    limit: BombLimit,
    /// Bytes of the message being assembled, from `start` on.
    pending: Vec<u8>,
    /// Stream bytes before `pending` (for messages).
    offset: u64,
    /// Whether the leading magic of the file format is yet to be checked.
    magic: Option<bool>,
    schema: Option<SchemaRef>,
    dictionaries: HashMap<i64, ArrayRef>,
    /// The fields to read, settled on the first record batch.
    choice: Option<FieldChoice>,
    /// Rows met so far (the line of the last document).
    rows: u64,
    batches: u64,
    /// Set at the end-of-stream marker or a broken frame: nothing more is read.
    done: bool,
    /// Why the stream stopped early, reported once.
    broken: Option<String>,
}

impl ArrowParser {
    /// A parser for the file called `file` (its name also serves as the
    /// source of rows that name none).
    pub fn new(file: impl Into<String>, fields: FieldChoice) -> Self {
        Self {
            file: file.into(),
            vector: VectorField::new(fields.vector.as_deref(), None),
            fields,
            limit: BombLimit {
                ratio: 1000,
                floor: 64 << 20,
            },
            pending: Vec::new(),
            offset: 0,
            magic: None,
            schema: None,
            dictionaries: HashMap::new(),
            choice: None,
            rows: 0,
            batches: 0,
            done: false,
            broken: None,
        }
    }

    /// Requires every vector of [`FieldChoice::vector`] to have `dim` values
    /// (`None`: the first valid vector fixes the length).
    pub fn with_vector_dim(mut self, dim: Option<usize>) -> Self {
        self.vector = VectorField::new(self.fields.vector.as_deref(), dim);
        self
    }

    /// Stops inflating a compressed batch past `limit` times its size.
    pub fn with_bomb_limit(mut self, limit: BombLimit) -> Self {
        self.limit = limit;
        self
    }

    fn problem(&self, line: u64, reason: String) -> Problem {
        Problem {
            file: self.file.clone(),
            line,
            reason,
        }
    }

    /// Stops reading: the framing is lost, so nothing after can be trusted.
    fn stop(&mut self, reason: String) {
        self.done = true;
        self.pending = Vec::new();
        self.broken = Some(reason);
    }

    /// Takes every whole message now in `pending`.
    fn drain(&mut self, out: &mut Batch) {
        let mut start = 0;
        while !self.done {
            match self.next_message(start, out) {
                Ok(Some(used)) => start += used,
                Ok(None) => break,
                Err(reason) => {
                    let at = self.offset + start as u64;
                    self.stop(format!(
                        "this Arrow stream is corrupt at byte {at}: {reason}"
                    ));
                    return;
                }
            }
        }
        if self.done {
            self.pending = Vec::new();
        } else {
            self.pending.drain(..start);
        }
        self.offset += start as u64;
    }

    /// Reads the message at `start` of `pending` if it is whole: the bytes
    /// it took, or `None` to wait for more.
    fn next_message(&mut self, start: usize, out: &mut Batch) -> Result<Option<usize>, String> {
        let input = &self.pending[start..];
        if self.magic == Some(true) {
            if input.len() < FILE_MAGIC.len() {
                return Ok(None);
            }
            if &input[..FILE_MAGIC.len()] != FILE_MAGIC {
                return Err("the file format's magic is not followed by its padding".into());
            }
            self.magic = Some(false);
            return Ok(Some(FILE_MAGIC.len()));
        }
        let Some(prefix) = input.get(..8) else {
            // The end-of-stream marker may be the old 4-byte form.
            if input.len() >= 4 && input[..4] == [0; 4] {
                self.done = true;
                return Ok(Some(4));
            }
            return Ok(None);
        };
        let (skip, len) = if prefix[..4] == CONTINUATION {
            (
                8,
                i32::from_le_bytes([prefix[4], prefix[5], prefix[6], prefix[7]]),
            )
        } else {
            // Before format 0.15 there was no continuation marker.
            (
                4,
                i32::from_le_bytes([prefix[0], prefix[1], prefix[2], prefix[3]]),
            )
        };
        if len == 0 {
            self.done = true;
            return Ok(Some(skip));
        }
        let len = usize::try_from(len)
            .ok()
            .filter(|&l| l <= MAX_METADATA)
            .ok_or_else(|| format!("a message declares {len} bytes of metadata"))?;
        let Some(meta) = input.get(skip..skip + len) else {
            return Ok(None);
        };
        let message = arrow_ipc::root_as_message(meta)
            .map_err(|e| format!("a message's metadata is not readable: {e}"))?;
        let body_len = u64::try_from(message.bodyLength())
            .ok()
            .filter(|&l| l <= MAX_BODY)
            .ok_or_else(|| {
                format!(
                    "a message declares a body of {} bytes",
                    message.bodyLength()
                )
            })?;
        let whole = skip + len + body_len as usize;
        if input.len() < whole {
            if self.pending.try_reserve(whole - input.len()).is_err() {
                return Err(format!("not enough memory for a message of {whole} bytes"));
            }
            return Ok(None);
        }
        let version = message.version();
        let body = Buffer::from(&input[skip + len..whole]);
        let meta = meta.to_vec();
        self.message(&meta, &body, version, out)?;
        Ok(Some(whole))
    }

    /// Handles one whole message; `Err` only when the stream cannot go on.
    fn message(
        &mut self,
        meta: &[u8],
        body: &Buffer,
        version: MetadataVersion,
        out: &mut Batch,
    ) -> Result<(), String> {
        let message = arrow_ipc::root_as_message(meta).map_err(|e| e.to_string())?;
        match message.header_type() {
            MessageHeader::Schema => {
                let fb = message
                    .header_as_schema()
                    .ok_or("the schema message holds no schema")?;
                if self.schema.is_some() {
                    return Err("a second schema".into());
                }
                let schema =
                    guarded(|| arrow_ipc::convert::try_fb_to_schema(fb).map_err(|e| e.to_string()))
                        .map_err(|e| format!("the schema is not readable: {e}"))?;
                self.schema = Some(Arc::new(schema));
                Ok(())
            }
            MessageHeader::DictionaryBatch => {
                let schema = self
                    .schema
                    .clone()
                    .ok_or("a dictionary before the schema")?;
                let fb = message
                    .header_as_dictionary_batch()
                    .ok_or("a dictionary message holds no dictionary")?;
                let dictionaries = &mut self.dictionaries;
                let read = guarded(|| {
                    body::dictionary(fb, body, self.limit, |fb, body| {
                        arrow_ipc::reader::read_dictionary(
                            body,
                            fb,
                            &schema,
                            dictionaries,
                            &version,
                        )
                        .map_err(|e| e.to_string())
                    })
                });
                if let Err(e) = read {
                    // Batches that use it will fail and say so.
                    let reason = format!("cannot read a dictionary of the stream: {e}");
                    out.problems.push(self.problem(0, reason));
                }
                Ok(())
            }
            MessageHeader::RecordBatch => {
                let schema = self
                    .schema
                    .clone()
                    .ok_or("a record batch before the schema")?;
                let fb = message
                    .header_as_record_batch()
                    .ok_or("a record batch message holds no batch")?;
                let first = self.rows;
                let length = u64::try_from(fb.length()).unwrap_or(0);
                self.batches += 1;
                let dictionaries = &self.dictionaries;
                let read = guarded(|| {
                    body::record_batch(fb, body, self.limit, |fb, body| {
                        arrow_ipc::reader::read_record_batch(
                            body,
                            fb,
                            schema.clone(),
                            dictionaries,
                            None,
                            &version,
                        )
                        .map_err(|e| e.to_string())
                    })
                });
                match read {
                    Ok(batch) => self.rows_of(&batch, out),
                    Err(e) => {
                        let last = first + length.max(1);
                        let reason = format!(
                            "cannot read record batch {} (rows {} to {last}): {e}",
                            self.batches,
                            first + 1
                        );
                        out.problems.push(self.problem(first + 1, reason));
                    }
                }
                self.rows = first + length;
                Ok(())
            }
            // Tensors and anything newer carry no rows.
            _ => Ok(()),
        }
    }

    /// One document (or problem) per row of `batch`.
    fn rows_of(&mut self, batch: &RecordBatch, out: &mut Batch) {
        let records = values::records(batch);
        if self.choice.is_none() {
            match resolve(&self.fields, batch.schema_ref(), &records) {
                Ok(choice) => self.choice = Some(choice),
                Err(reason) => {
                    self.stop(reason);
                    return;
                }
            }
        }
        let Some(choice) = &self.choice else {
            return;
        };
        for (i, record) in records.iter().enumerate() {
            out.sample(record);
            let line = self.rows + i as u64 + 1;
            match document(&self.file, choice, self.vector.as_mut(), line, record) {
                Ok(document) => out.documents.push(document),
                Err(reason) => out.problems.push(Problem {
                    file: self.file.clone(),
                    line,
                    reason,
                }),
            }
        }
    }
}

impl Parser for ArrowParser {
    fn feed(&mut self, chunk: &[u8], out: &mut Batch) {
        if self.done {
            return;
        }
        if self.magic.is_none() && self.pending.len() + chunk.len() >= 6 {
            let mut head = self.pending.clone();
            head.extend_from_slice(&chunk[..chunk.len().min(6)]);
            self.magic = Some(head.starts_with(b"ARROW1"));
        }
        if self.pending.try_reserve(chunk.len()).is_err() {
            let reason = format!(
                "not enough memory to hold a record batch of more than {} MiB",
                self.pending.len() >> 20
            );
            self.stop(reason);
            return;
        }
        self.pending.extend_from_slice(chunk);
        if self.magic.is_some() {
            self.drain(out);
        }
    }

    fn finish(&mut self, out: &mut Batch) {
        if self.magic.is_none() {
            self.magic = Some(self.pending.starts_with(b"ARROW1"));
            self.drain(out);
        }
        if let Some(reason) = self.broken.take() {
            out.problems.push(self.problem(0, reason));
            return;
        }
        if !self.done {
            let reason = if self.schema.is_none() {
                "this Arrow stream ends before its schema (truncated)".to_string()
            } else if self.pending.is_empty() {
                // Writers that stop without the end-of-stream marker lose nothing.
                return;
            } else {
                format!(
                    "this Arrow stream ends inside a message after {} bytes (truncated); \
                     the rows before it loaded",
                    self.offset + self.pending.len() as u64
                )
            };
            out.problems.push(self.problem(0, reason));
        }
    }
}

/// Runs the Arrow reader, turning a panic on malformed input into an error
/// (native builds; wasm32 release builds abort instead).
fn guarded<T>(read: impl FnOnce() -> Result<T, String>) -> Result<T, String> {
    catch_unwind(AssertUnwindSafe(read))
        .unwrap_or_else(|_| Err("the Arrow reader failed on malformed data".into()))
}

/// The text and source fields to read: those chosen, the rest detected from
/// the first rows, then from the schema (as for Parquet).
fn resolve(
    fields: &FieldChoice,
    schema: &Schema,
    records: &[Map<String, Value>],
) -> Result<FieldChoice, String> {
    let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
    let has = |path: &str| {
        let root = path.split('.').next().unwrap_or(path);
        names.contains(&root)
    };
    for path in [fields.text.as_deref(), fields.vector.as_deref()]
        .into_iter()
        .flatten()
    {
        if !has(path) {
            return Err(format!(
                "no column \"{path}\": columns are {}",
                names.join(", ")
            ));
        }
    }
    if fields.text.is_some() && fields.source.is_some() {
        return Ok(fields.clone());
    }
    let sample = &records[..records.len().min(SAMPLE_SIZE)];
    let detected = detect_fields(sample);
    // Conversations, chosen or detected, are read per row as in JSON Lines.
    if fields.text.is_none() && (fields.conversation.is_some() || detected.conversation.is_some()) {
        return Ok(FieldChoice {
            text: None,
            source: fields.source.clone().or(detected.source),
            vector: fields.vector.clone(),
            conversation: fields.conversation.clone().or(detected.conversation),
        });
    }
    let text = fields
        .text
        .clone()
        .or(detected.text)
        .or_else(|| string_column(schema))
        .ok_or_else(|| format!("no text column: columns are {}", names.join(", ")))?;
    Ok(FieldChoice {
        text: Some(text),
        source: fields.source.clone().or(detected.source),
        vector: fields.vector.clone(),
        conversation: None,
    })
}

/// A top-level string column: a known text name first, else the first.
fn string_column(schema: &Schema) -> Option<String> {
    let strings: Vec<&str> = schema
        .fields()
        .iter()
        .filter(|f| {
            matches!(
                f.data_type(),
                DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View
            )
        })
        .map(|f| f.name().as_str())
        .collect();
    preferred_text_column(&strings)
}

/// One row to a document, with the reasons Parquet rows give.
fn document(
    file: &str,
    choice: &FieldChoice,
    vector: Option<&mut VectorField>,
    line: u64,
    record: &Map<String, Value>,
) -> Result<Document, String> {
    let (text, conversation) = match choice.conversation_of(record) {
        Some(read) => {
            let (text, conversation) = read?;
            (text, Some(conversation))
        }
        None => {
            let Some(text) = choice.text_of(record) else {
                let column = choice.text.as_deref().unwrap_or("text");
                let what = match lookup(record, column) {
                    None | Some(Value::Null) => "is null",
                    Some(_) => "is not a string",
                };
                return Err(format!("text column \"{column}\" {what} in this row"));
            };
            (text.to_string(), None)
        }
    };
    let vector = match vector {
        Some(field) => Some(field.of_record(line, record)?),
        None => None,
    };
    Ok(Document {
        line,
        source: choice.source_of(record).unwrap_or_else(|| file.to_string()),
        text,
        vector,
        conversation,
    })
}

#[cfg(test)]
mod tests;
