//! JSON Lines: one JSON object per line.

use super::lines::{size, CappedLine};
use super::vector::{json_kind, VectorField};
use super::{Batch, FieldChoice, LineSplitter, Parser};
use crate::{Document, Problem};
use serde_json::{Map, Value};

/// Parses JSON Lines, one document per non-blank line.
pub struct JsonlParser {
    file: String,
    fields: FieldChoice,
    vector: Option<VectorField>,
    lines: LineSplitter,
    cap: usize,
}

impl JsonlParser {
    /// A parser for the file called `file` (its name also serves as the
    /// source of records that name none).
    pub fn new(file: impl Into<String>, fields: FieldChoice) -> Self {
        Self {
            file: file.into(),
            vector: VectorField::new(fields.vector.as_deref(), None),
            fields,
            lines: LineSplitter::new(),
            cap: usize::MAX,
        }
    }

    /// Rejects lines longer than `cap` bytes without holding them.
    pub fn with_record_cap(mut self, cap: usize) -> Self {
        self.cap = cap;
        self.lines = LineSplitter::new().with_cap(cap);
        self
    }

    /// Requires every vector of [`FieldChoice::vector`] to have `dim` values
    /// (`None`: the first valid vector fixes the length).
    pub fn with_vector_dim(mut self, dim: Option<usize>) -> Self {
        self.vector = VectorField::new(self.fields.vector.as_deref(), dim);
        self
    }

    fn line(
        file: &str,
        fields: &FieldChoice,
        vector: Option<&mut VectorField>,
        (cap, last): (usize, bool),
        number: u64,
        line: CappedLine,
        out: &mut Batch,
    ) {
        let problem = |reason: String| Problem {
            file: file.to_string(),
            line: number,
            reason,
        };
        let bytes = match line {
            Ok(bytes) => bytes,
            Err(long) => {
                out.problems.push(problem(too_long("line", long, cap)));
                return;
            }
        };
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return;
        }
        let text = String::from_utf8_lossy(bytes);
        match serde_json::from_str::<Value>(&text) {
            Ok(value) => {
                if let Value::Object(record) = &value {
                    out.sample(record);
                }
                match document_of(file, fields, vector, number, value) {
                    Ok(doc) => out.documents.push(doc),
                    Err(reason) => out.problems.push(problem(reason)),
                }
            }
            // A last line that stops short was cut off (say, by a truncated
            // download or a compressed stream that ends early).
            Err(e) if last && e.is_eof() => out.problems.push(problem(format!(
                "cut off at the end of the file: {}",
                invalid_json(&e, None)
            ))),
            Err(e) => out.problems.push(problem(invalid_json(&e, None))),
        }
    }
}

/// Why a record of `long` bytes is rejected under `cap`.
pub(crate) fn too_long(what: &str, long: u64, cap: usize) -> String {
    format!(
        "this {what} is {}, more than the {} limit for one record",
        size(long),
        size(cap as u64)
    )
}

/// A JSON syntax error with its place: in the file, when `start` gives the
/// line and column where the parsed text starts; else (a JSON Lines line)
/// only the column.
pub(crate) fn invalid_json(e: &serde_json::Error, start: Option<(u64, u64)>) -> String {
    let text = e.to_string();
    let (l, c) = (e.line() as u64, e.column() as u64);
    let message = text
        .strip_suffix(&format!(" at line {l} column {c}"))
        .unwrap_or(&text);
    match start {
        _ if l == 0 => format!("invalid JSON: {message}"),
        None => format!("invalid JSON: {message} at column {c}"),
        Some((line, column)) => {
            let (line, column) = if l == 1 {
                (line, column + c - 1)
            } else {
                (line + l - 1, c)
            };
            format!("invalid JSON: {message} at line {line} column {column}")
        }
    }
}

/// The document held by a parsed JSON value, or why there is none.
pub(crate) fn document_of(
    file: &str,
    fields: &FieldChoice,
    vector: Option<&mut VectorField>,
    line: u64,
    value: Value,
) -> Result<Document, String> {
    let record = match value {
        Value::Object(map) => map,
        other => {
            let kind = json_kind(&other);
            return Err(format!("expected a JSON object, found {kind}"));
        }
    };
    document_of_record(file, fields, vector, line, &record)
}

/// The document held by a record, or why there is none: its text is
/// missing, or its vector (when `vector` reads one) is missing or invalid.
pub(crate) fn document_of_record(
    file: &str,
    fields: &FieldChoice,
    vector: Option<&mut VectorField>,
    line: u64,
    record: &Map<String, Value>,
) -> Result<Document, String> {
    let (text, conversation) = match fields.conversation_of(record) {
        Some(read) => {
            let (text, conversation) = read?;
            (text, Some(conversation))
        }
        None => {
            let Some(body) = fields.text_of(record) else {
                let wanted = fields.text.as_deref().unwrap_or("text");
                return Err(format!("no string field \"{wanted}\" in this record"));
            };
            (body.to_string(), None)
        }
    };
    let vector = match vector {
        Some(field) => Some(field.of_record(line, record)?),
        None => None,
    };
    Ok(Document {
        line,
        source: fields.source_of(record).unwrap_or_else(|| file.to_string()),
        text,
        vector,
        conversation,
    })
}

impl Parser for JsonlParser {
    fn feed(&mut self, chunk: &[u8], out: &mut Batch) {
        let (file, fields, vector, cap) = (&self.file, &self.fields, &mut self.vector, self.cap);
        self.lines.feed_capped(chunk, |n, l| {
            Self::line(file, fields, vector.as_mut(), (cap, false), n, l, out)
        });
    }

    fn finish(&mut self, out: &mut Batch) {
        let (file, fields, vector, cap) = (&self.file, &self.fields, &mut self.vector, self.cap);
        self.lines.finish_capped(|n, l| {
            Self::line(file, fields, vector.as_mut(), (cap, true), n, l, out)
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::vector::tests::{loaded, problem, summary};
    use proptest::prelude::*;

    fn parse(chunks: &[&[u8]]) -> Batch {
        crate::ingest::read_all(JsonlParser::new("f.jsonl", FieldChoice::default()), chunks)
    }

    /// Reads `data` with vectors in field `path`, of length `dim` if given.
    fn parse_vectors(path: &str, dim: Option<usize>, data: &str) -> Batch {
        let fields = FieldChoice {
            vector: Some(path.into()),
            ..FieldChoice::default()
        };
        let parser = JsonlParser::new("f.jsonl", fields).with_vector_dim(dim);
        // Cut in the middle of a vector: records span chunks.
        let cut = data.find("2.5").unwrap_or(0);
        crate::ingest::read_all(parser, &[&data.as_bytes()[..cut], &data.as_bytes()[cut..]])
    }

    #[test]
    fn vectors_are_read_exactly() {
        let data = concat!(
            "{\"text\":\"a\",\"emb\":[0.1,-2.5,3]}\n",
            "{\"text\":\"b\",\"emb\":[1e-45,-0.0,3.4028235e38]}\n",
            "{\"emb\":[1,-2,300000],\"text\":\"c\"}\n",
        );
        let out = parse_vectors("emb", None, data);
        let (docs, problems) = summary(&out);
        assert_eq!(problems, vec![]);
        assert_eq!(
            docs,
            vec![
                loaded(1, &[0.1, -2.5, 3.0]),
                loaded(2, &[f32::from_bits(1), -0.0, f32::MAX]),
                loaded(3, &[1.0, -2.0, 300_000.0]),
            ]
        );
        assert_eq!(out.documents[2].text, "c");

        // A nested field; without a vector field, no vectors.
        let data = "{\"text\":\"a\",\"meta\":{\"emb\":[0.5,2.5]}}\n";
        let (docs, _) = summary(&parse_vectors("meta.emb", None, data));
        assert_eq!(docs, vec![loaded(1, &[0.5, 2.5])]);
        let out = parse(&[data.as_bytes()]);
        assert_eq!(out.documents[0].vector, None);
    }

    #[test]
    fn bad_vectors_are_problems_and_the_rest_loads() {
        let data = [
            r#"{"text":"ok","emb":[1,2.5,3]}"#,
            r#"{"text":"short","emb":[1,2]}"#,
            r#"{"text":"nan","emb":[1,"NaN",3]}"#,
            "",
            r#"{"text":"inf","emb":["-Infinity",1,2]}"#,
            r#"{"text":"str","emb":"[1,2,3]"}"#,
            r#"{"text":"missing"}"#,
            r#"{"text":"null","emb":null}"#,
            r#"{"text":"zero","emb":[0,0.0,-0]}"#,
            r#"{"text":"word","emb":[1,"x",3]}"#,
            r#"{"text":"big","emb":[1,1e39,3]}"#,
            r#"{"text":"deep","emb":[[1],2,3]}"#,
            r#"{"text":"empty","emb":[]}"#,
            r#"{"emb":[1,2,3]}"#,
            r#"{"text":"bare","emb":[NaN,1,2]}"#,
            r#"{"text":"ok2","emb":[4,5,6]}"#,
        ]
        .join("\n");
        let (docs, problems) = summary(&parse_vectors("emb", None, &data));
        assert_eq!(
            docs,
            vec![loaded(1, &[1.0, 2.5, 3.0]), loaded(16, &[4.0, 5.0, 6.0])]
        );
        let field = |line, what: &str| problem(line, &format!("vector field \"emb\": {what}"));
        let expected = vec![
            field(
                2,
                "2 values, expected 3 (the length of the first vector, line 1)",
            ),
            field(3, "value 1 is the string \"NaN\", not a finite number"),
            field(
                5,
                "value 0 is the string \"-Infinity\", not a finite number",
            ),
            field(6, "a string, not a list of numbers"),
            field(7, "not in this record"),
            field(8, "null, not a list of numbers"),
            field(9, "all values are zero"),
            field(10, "value 1 is a string, not a number"),
            field(11, "value 1 is 1e39, too large for a 32-bit float"),
            field(12, "value 0 is an array, not a number"),
            field(
                13,
                "0 values, expected 3 (the length of the first vector, line 1)",
            ),
            problem(14, "no string field \"text\" in this record"),
        ];
        assert_eq!(problems[..expected.len()], expected);
        // JSON has no NaN: a bare one makes the line invalid JSON.
        assert_eq!(problems.len(), expected.len() + 1);
        assert_eq!(problems[expected.len()].0, 15);
        assert!(problems[expected.len()].1.starts_with("invalid JSON"));
    }

    /// Lines holding an invalid vector, a zero vector, two of length 2, one of 3.
    const DIMS: &str = concat!(
        "{\"text\":\"a\",\"emb\":[\"nan\",1,2]}\n",
        "{\"text\":\"b\",\"emb\":[0,0]}\n",
        "{\"text\":\"c\",\"emb\":[1,2]}\n",
        "{\"text\":\"d\",\"emb\":[1,2,3]}\n",
        "{\"text\":\"e\",\"emb\":[5,6]}\n",
    );

    #[test]
    fn the_first_valid_vector_fixes_the_dimension() {
        let (docs, problems) = summary(&parse_vectors("emb", None, DIMS));
        assert_eq!(docs, vec![loaded(3, &[1.0, 2.0]), loaded(5, &[5.0, 6.0])]);
        let lines: Vec<u64> = problems.iter().map(|p| p.0).collect();
        assert_eq!(lines, vec![1, 2, 4]);
        assert_eq!(
            problems[2].1,
            "vector field \"emb\": 3 values, expected 2 (the length of the first vector, line 3)"
        );
    }

    #[test]
    fn a_given_dimension_wins() {
        let (docs, problems) = summary(&parse_vectors("emb", Some(3), DIMS));
        assert_eq!(docs, vec![loaded(4, &[1.0, 2.0, 3.0])]);
        let expected = vec![
            problem(
                1,
                "vector field \"emb\": value 0 is the string \"nan\", not a finite number",
            ),
            problem(2, "vector field \"emb\": 2 values, expected 3"),
            problem(3, "vector field \"emb\": 2 values, expected 3"),
            problem(5, "vector field \"emb\": 2 values, expected 3"),
        ];
        assert_eq!(problems, expected);
    }

    /// Any f32, NaN and infinities often, zeros and small integers often
    /// enough that all-zero vectors and repeated values occur.
    fn arb_value() -> impl Strategy<Value = f32> {
        prop_oneof![
            6 => any::<f32>(),
            1 => Just(f32::NAN),
            1 => Just(f32::INFINITY),
            1 => Just(f32::NEG_INFINITY),
            2 => Just(0.0f32),
            2 => (-3i8..4).prop_map(f32::from),
        ]
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

        /// Vectors of any f32 values: each record loads with exactly its values
        /// (finite, not all zero, the first valid one's length or the given
        /// one) or is rejected, never both, never neither.
        #[test]
        fn vectors_load_exactly_or_are_rejected(
            rows in proptest::collection::vec(proptest::collection::vec(arb_value(), 0..5), 0..16),
            dim in proptest::option::of(0usize..5),
        ) {
            let mut data = String::new();
            for (i, row) in rows.iter().enumerate() {
                // Non-finite values as strings ("NaN", "inf", "-inf"): JSON has no literal for them.
                let items: Vec<String> = row
                    .iter()
                    .map(|v| if v.is_finite() { v.to_string() } else { format!("\"{v}\"") })
                    .collect();
                data.push_str(&format!("{{\"text\":\"r{i}\",\"emb\":[{}]}}\n", items.join(",")));
            }
            let out = parse_vectors("emb", dim, &data);
            prop_assert_eq!(out.documents.len() + out.problems.len(), rows.len());
            let (docs, problems) = summary(&out);
            // The rule, restated.
            let mut fixed = dim;
            let mut expected = Vec::new();
            for (i, row) in rows.iter().enumerate() {
                let valid = !row.is_empty()
                    && row.iter().all(|v| v.is_finite())
                    && row.iter().any(|&v| v != 0.0);
                if valid && fixed.is_none_or(|d| d == row.len()) {
                    fixed = Some(row.len());
                    expected.push(loaded(i as u64 + 1, row));
                }
            }
            prop_assert_eq!(docs, expected);
            for (line, reason) in problems {
                prop_assert!(reason.starts_with("vector field \"emb\": "), "line {}: {}", line, reason);
            }
        }
    }
}
