//! JSON Lines: one JSON object per line.

use super::{Batch, FieldChoice, LineSplitter, Parser};
use crate::{Document, Problem};
use serde_json::{Map, Value};

/// Parses JSON Lines, one document per non-blank line.
pub struct JsonlParser {
    file: String,
    fields: FieldChoice,
    lines: LineSplitter,
}

impl JsonlParser {
    /// A parser for the file called `file` (its name also serves as the
    /// source of records that name none).
    pub fn new(file: impl Into<String>, fields: FieldChoice) -> Self {
        Self {
            file: file.into(),
            fields,
            lines: LineSplitter::new(),
        }
    }

    fn line(file: &str, fields: &FieldChoice, number: u64, bytes: &[u8], out: &mut Batch) {
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return;
        }
        let problem = |reason: String| Problem {
            file: file.to_string(),
            line: number,
            reason,
        };
        let text = String::from_utf8_lossy(bytes);
        match serde_json::from_str::<Value>(&text) {
            Ok(value) => {
                if let Value::Object(record) = &value {
                    out.sample(record);
                }
                match document_of(file, fields, number, value) {
                    Ok(doc) => out.documents.push(doc),
                    Err(reason) => out.problems.push(problem(reason)),
                }
            }
            Err(e) => out.problems.push(problem(format!("invalid JSON: {e}"))),
        }
    }
}

/// The document held by a parsed JSON value, or why there is none.
pub(crate) fn document_of(
    file: &str,
    fields: &FieldChoice,
    line: u64,
    value: Value,
) -> Result<Document, String> {
    let record = match value {
        Value::Object(map) => map,
        other => {
            let kind = match other {
                Value::Array(_) => "an array",
                Value::String(_) => "a string",
                Value::Number(_) => "a number",
                Value::Bool(_) => "a boolean",
                _ => "null",
            };
            return Err(format!("expected a JSON object, found {kind}"));
        }
    };
    document_of_record(file, fields, line, &record)
}

/// The document held by a record, or why there is none.
pub(crate) fn document_of_record(
    file: &str,
    fields: &FieldChoice,
    line: u64,
    record: &Map<String, Value>,
) -> Result<Document, String> {
    let Some(body) = fields.text_of(record) else {
        let wanted = fields.text.as_deref().unwrap_or("text");
        return Err(format!("no string field \"{wanted}\" in this record"));
    };
    Ok(Document {
        line,
        source: fields.source_of(record).unwrap_or_else(|| file.to_string()),
        text: body.to_string(),
    })
}

impl Parser for JsonlParser {
    fn feed(&mut self, chunk: &[u8], out: &mut Batch) {
        let (file, fields) = (&self.file, &self.fields);
        self.lines
            .feed(chunk, |n, l| Self::line(file, fields, n, l, out));
    }

    fn finish(&mut self, out: &mut Batch) {
        let (file, fields) = (&self.file, &self.fields);
        self.lines
            .finish(|n, l| Self::line(file, fields, n, l, out));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn parse(chunks: &[&[u8]]) -> Batch {
        crate::ingest::read_all(JsonlParser::new("f.jsonl", FieldChoice::default()), chunks)
    }

    #[test]
    fn good_and_broken_lines() {
        let out = parse(&[
            b"{\"text\":\"a\",\"source\":\"s\"}\n{broken\n[1]\n\n{\"te",
            b"xt\":\"b\"}",
        ]);
        let docs: Vec<_> = out
            .documents
            .iter()
            .map(|d| (d.line, d.source.as_str(), d.text.as_str()))
            .collect();
        assert_eq!(docs, vec![(1, "s", "a"), (5, "f.jsonl", "b")]);
        let lines: Vec<_> = out.problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, vec![2, 3]);
        assert!(out.problems[1].reason.contains("an array"));
    }

    proptest! {
        /// Any bytes at all: no panic, and every non-blank line is a document or a problem.
        #[test]
        fn every_line_accounted_for(data in proptest::collection::vec(any::<u8>(), 0..400)) {
            let out = parse(&[&data]);
            let nonblank = data
                .split(|&b| b == b'\n')
                .filter(|l| !l.iter().all(u8::is_ascii_whitespace))
                .count();
            prop_assert_eq!(out.documents.len() + out.problems.len(), nonblank);
        }
    }
}
