//! Parquet rows to documents, vectors and JSON objects.

use parquet::record::{Field, Row};
use serde_json::{Map, Number, Value};

use crate::ingest::fields::lookup;
use crate::ingest::vector::{float, json_kind, json_number, Found, VectorField};
use crate::ingest::{Batch, FieldChoice};
use crate::{Document, Problem};

/// One row to a document, or to a problem if its text is missing or its
/// vector (when `vector` reads one) is missing or invalid.
pub(super) fn document(
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
    let (text, conversation) = match choice.conversation_of(&record) {
        Some(Ok((text, conversation))) => (text, Some(conversation)),
        Some(Err(reason)) => {
            out.problems.push(problem(reason));
            return;
        }
        None => {
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
            (text.to_string(), None)
        }
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
        text,
        vector,
        conversation,
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

/// A row as a JSON object.
pub(super) fn to_map(row: &Row) -> Map<String, Value> {
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
