//! JSON documents: a top-level array of objects, streamed one element at a
//! time, or top-level objects (one or several) each being a record.

use super::jsonl::{document_of, invalid_json, too_long};
use super::vector::VectorField;
use super::{Batch, FieldChoice, Parser};
use crate::Problem;
use serde_json::Value;

/// Where the scanner is at the top level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Top {
    /// Nothing but whitespace seen yet.
    Start,
    /// Inside the outer `[ ... ]`.
    Array,
    /// Top-level values one after another (no outer array).
    Values,
    /// After the outer array closed.
    After,
}

/// Parses a JSON array (or top-level objects), one document per element.
///
/// An element's number (1-based) serves as its line in documents and problems.
pub struct JsonParser {
    file: String,
    fields: FieldChoice,
    vector: Option<VectorField>,
    top: Top,
    /// The element being read; empty between elements.
    element: Vec<u8>,
    /// Bracket depth inside the current element.
    depth: u64,
    in_string: bool,
    escaped: bool,
    /// Number of the current or last element.
    count: u64,
    /// Whether the trailing-data problem was already reported.
    trailing: bool,
    /// The file's line and column (1-based) of the next byte.
    line: u64,
    column: u64,
    /// Where the current element starts.
    start: (u64, u64),
    /// The largest element kept, and the length of the current element
    /// once it passed that (its bytes are then dropped).
    cap: usize,
    over: Option<u64>,
}

impl JsonParser {
    /// A parser for the file called `file`.
    pub fn new(file: impl Into<String>, fields: FieldChoice) -> Self {
        Self {
            file: file.into(),
            vector: VectorField::new(fields.vector.as_deref(), None),
            fields,
            top: Top::Start,
            element: Vec::new(),
            depth: 0,
            in_string: false,
            escaped: false,
            count: 0,
            trailing: false,
            line: 1,
            column: 1,
            start: (1, 1),
            cap: usize::MAX,
            over: None,
        }
    }

    /// Rejects elements longer than `cap` bytes without holding them.
    pub fn with_record_cap(mut self, cap: usize) -> Self {
        self.cap = cap.max(1);
        self
    }

    /// Adds bytes to the element, or only counts them once it passed the cap.
    fn keep(&mut self, bytes: &[u8]) {
        if let Some(long) = &mut self.over {
            *long += bytes.len() as u64;
        } else if self.element.len() + bytes.len() > self.cap {
            self.over = Some((self.element.len() + bytes.len()) as u64);
            // One byte stays: an element being read is never empty.
            self.element.truncate(1);
            self.element.shrink_to_fit();
        } else {
            self.element.extend_from_slice(bytes);
        }
    }

    /// Requires every vector of [`FieldChoice::vector`] to have `dim` values
    /// (`None`: the first valid vector fixes the length).
    pub fn with_vector_dim(mut self, dim: Option<usize>) -> Self {
        self.vector = VectorField::new(self.fields.vector.as_deref(), dim);
        self
    }

    fn problem(&self, line: u64, reason: String) -> Problem {
        Problem {
            file: self.file.clone(),
            line,
            reason,
        }
    }

    /// Parses the finished element and starts afresh.
    fn complete(&mut self, out: &mut Batch) {
        let n = self.count;
        let (line, column) = self.start;
        let result = match self.over.take() {
            Some(long) => Err(too_long("element", long, self.cap)),
            None => serde_json::from_slice::<Value>(&self.element)
                .map_err(|e| invalid_json(&e, Some((line, column)))),
        };
        let result = result.and_then(|v| {
            if let Value::Object(record) = &v {
                out.sample(record);
            }
            document_of(&self.file, &self.fields, self.vector.as_mut(), n, v)
        });
        match result {
            Ok(doc) => out.documents.push(doc),
            Err(reason) => {
                let p = self.problem(n, format!("element {n}: {reason}"));
                out.problems.push(p);
            }
        }
        self.element.clear();
        self.depth = 0;
    }

    fn begin(&mut self) {
        self.count += 1;
        self.start = (self.line, self.column);
        self.in_string = false;
        self.escaped = false;
    }

    /// Scans one byte outside any element's string.
    fn byte(&mut self, b: u8, out: &mut Batch) {
        let reading = !self.element.is_empty();
        if reading && self.in_string {
            self.keep(&[b]);
            if self.escaped {
                self.escaped = false;
            } else if b == b'\\' {
                self.escaped = true;
            } else if b == b'"' {
                self.in_string = false;
            }
            return;
        }
        match self.top {
            Top::Start => match b {
                b'[' => self.top = Top::Array,
                _ if b.is_ascii_whitespace() => {}
                _ => {
                    self.top = Top::Values;
                    self.byte(b, out);
                }
            },
            Top::After => {
                if !b.is_ascii_whitespace() && !self.trailing {
                    self.trailing = true;
                    let p = self.problem(0, "unexpected data after the closing ]".into());
                    out.problems.push(p);
                }
            }
            Top::Array | Top::Values => {
                let array = self.top == Top::Array;
                if !reading {
                    match b {
                        _ if b.is_ascii_whitespace() => return,
                        b',' if array => return,
                        b']' if array => {
                            self.top = Top::After;
                            return;
                        }
                        _ => self.begin(),
                    }
                }
                match b {
                    b'"' => {
                        self.in_string = true;
                        self.keep(&[b]);
                    }
                    b'{' | b'[' => {
                        self.depth += 1;
                        self.keep(&[b]);
                    }
                    b'}' | b']' if self.depth > 0 => {
                        self.depth -= 1;
                        self.keep(&[b]);
                        if self.depth == 0 {
                            self.complete(out);
                        }
                    }
                    // A scalar (or stray byte) ends at a separator.
                    b',' | b']' if array && self.depth == 0 => {
                        self.complete(out);
                        self.byte(b, out);
                    }
                    _ if !array && self.depth == 0 && b.is_ascii_whitespace() => {
                        self.complete(out);
                    }
                    _ => self.keep(&[b]),
                }
            }
        }
    }
}

impl JsonParser {
    /// Moves the file position past `bytes`.
    fn advance(&mut self, bytes: &[u8]) {
        match bytes.iter().rposition(|&b| b == b'\n') {
            Some(last) => {
                self.line += bytes.iter().filter(|&&b| b == b'\n').count() as u64;
                self.column = (bytes.len() - last) as u64;
            }
            None => self.column += bytes.len() as u64,
        }
    }
}

impl Parser for JsonParser {
    fn feed(&mut self, chunk: &[u8], out: &mut Batch) {
        let mut rest = chunk;
        while let Some((&b, tail)) = rest.split_first() {
            // Fast path: copy a run of plain string bytes at once.
            if self.in_string && !self.escaped && !self.element.is_empty() {
                let run = tail
                    .iter()
                    .position(|&c| c == b'"' || c == b'\\')
                    .map_or(rest.len(), |p| p + 1);
                let run = if b == b'"' || b == b'\\' { 0 } else { run };
                if run > 0 {
                    let (piece, after) = rest.split_at(run);
                    self.advance(piece);
                    self.keep(piece);
                    rest = after;
                    continue;
                }
            }
            self.byte(b, out);
            self.advance(&rest[..1]);
            rest = tail;
        }
    }

    fn finish(&mut self, out: &mut Batch) {
        if !self.element.is_empty() {
            if self.depth == 0 && !self.in_string {
                // A last scalar with nothing after it.
                self.complete(out);
            } else {
                let n = self.count;
                let p = self.problem(n, format!("element {n}: cut off at the end of the file"));
                out.problems.push(p);
                self.element.clear();
                self.over = None;
            }
        }
        if self.top == Top::Array {
            let p = self.problem(0, "the JSON array is not closed with ]".into());
            out.problems.push(p);
        }
        self.top = Top::After;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn parse(chunks: &[&[u8]]) -> Batch {
        crate::ingest::read_all(JsonParser::new("f.json", FieldChoice::default()), chunks)
    }

    type Lines = Vec<(u64, String)>;

    fn summary(out: &Batch) -> (Lines, Lines) {
        (
            out.documents
                .iter()
                .map(|d| (d.line, d.text.clone()))
                .collect(),
            out.problems
                .iter()
                .map(|p| (p.line, p.reason.clone()))
                .collect(),
        )
    }

    #[test]
    fn cases() {
        let deep = format!("[{}{}]", "[".repeat(5000), "]".repeat(5000));
        type Case<'a> = (&'a [u8], Vec<u64>, Vec<(u64, &'a str)>);
        let cases: Vec<Case> = vec![
            (b"[]", vec![], vec![]),
            (
                b" [ {\"text\":\"a\"} , {\"text\":\"b]\\\"}\"} ] ",
                vec![1, 2],
                vec![],
            ),
            (
                b"[{\"text\":\"a\"}, 5, \"s\", {\"x\":1}]",
                vec![1],
                vec![
                    (2, "element 2: expected a JSON object, found a number"),
                    (3, "element 3: expected a JSON object, found a string"),
                    (4, "element 4: no string field"),
                ],
            ),
            (b"{\"text\":\"one\"}", vec![1], vec![]),
            (b"{\"text\":\"a\"}\n{\"text\":\"b\"}\n", vec![1, 2], vec![]),
            (
                b"[{\"text\":\"a\"}, {\"text\":",
                vec![1],
                vec![(2, "element 2: cut off"), (0, "not closed")],
            ),
            (
                b"[{\"text\":\"a\"}] x",
                vec![1],
                vec![(0, "unexpected data after")],
            ),
            (
                b"[{\"text\" \"a\"}]",
                vec![],
                vec![(1, "element 1: invalid JSON")],
            ),
            (deep.as_bytes(), vec![], vec![(1, "recursion limit")]),
        ];
        for (input, docs, problems) in cases {
            let (d, p) = summary(&parse(&[input]));
            let lines: Vec<u64> = d.iter().map(|x| x.0).collect();
            assert_eq!(lines, docs, "{}", String::from_utf8_lossy(input));
            assert_eq!(p.len(), problems.len(), "{p:?}");
            for ((line, reason), (want_line, want)) in p.iter().zip(&problems) {
                assert_eq!(line, want_line);
                assert!(reason.contains(want), "{reason} vs {want}");
            }
        }
        let (d, _) = summary(&parse(&[b"[{\"text\":\"b]\\\"}\"}]"]));
        assert_eq!(d[0].1, "b]\"}");
    }

    /// Reads `data` with vectors in field `emb`, of length `dim` if given.
    fn parse_vectors(dim: Option<usize>, data: &str) -> Batch {
        let fields = FieldChoice {
            vector: Some("emb".into()),
            ..FieldChoice::default()
        };
        let parser = JsonParser::new("f.json", fields).with_vector_dim(dim);
        crate::ingest::read_all(parser, &[data.as_bytes()])
    }

    /// An array of elements: good, too short, a "nan" string, an object, no vector, good.
    const VECTORS: &str = r#"[
        {"text": "a", "emb": [0.1, -0.0, 1e-40]},
        {"text": "b", "emb": [1, 2]},
        {"text": "c", "emb": [1, "nan", 3]},
        {"text": "d", "emb": {"0": 1}},
        {"text": "e"},
        {"text": "f", "emb": [4, 5, 6.25]}
    ]"#;

    #[test]
    fn vectors_and_their_problems() {
        use crate::ingest::vector::tests::{loaded, problem, summary};
        let (docs, problems) = summary(&parse_vectors(None, VECTORS));
        assert_eq!(
            docs,
            vec![loaded(1, &[0.1, -0.0, 1e-40]), loaded(6, &[4.0, 5.0, 6.25])]
        );
        let expected = vec![
            problem(
                2,
                "element 2: vector field \"emb\": 2 values, expected 3 (the length of the first vector, line 1)",
            ),
            problem(
                3,
                "element 3: vector field \"emb\": value 1 is the string \"nan\", not a finite number",
            ),
            problem(
                4,
                "element 4: vector field \"emb\": an object, not a list of numbers",
            ),
            problem(5, "element 5: vector field \"emb\": not in this record"),
        ];
        assert_eq!(problems, expected);

        // A given length of 2: only the second element fits.
        let (docs, problems) = summary(&parse_vectors(Some(2), VECTORS));
        assert_eq!(docs, vec![loaded(2, &[1.0, 2.0])]);
        let lines: Vec<u64> = problems.iter().map(|p| p.0).collect();
        assert_eq!(lines, vec![1, 3, 4, 5, 6]);
        assert_eq!(
            problems[0].1,
            "element 1: vector field \"emb\": 3 values, expected 2"
        );
    }

    fn arb_json() -> impl Strategy<Value = String> {
        let leaf = prop_oneof![
            Just("1".to_string()),
            "[a-z\"\\\\\\[\\]{},]{0,6}".prop_map(|s| serde_json::to_string(&s).unwrap_or_default()),
            "[a-z]{0,8}".prop_map(|s| format!(
                "{{\"text\":{}}}",
                serde_json::to_string(&s).unwrap_or_default()
            )),
        ];
        leaf.prop_recursive(3, 20, 4, |inner| {
            proptest::collection::vec(inner, 0..4).prop_map(|v| format!("[{}]", v.join(",")))
        })
    }

    proptest! {
        /// Arbitrary bytes never panic, and cutting the input anywhere changes nothing.
        #[test]
        fn chunking_is_invisible(data in proptest::collection::vec(any::<u8>(), 0..300), cuts in proptest::collection::vec(0usize..300, 0..5)) {
            let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c.min(data.len())).collect();
            cuts.sort();
            let mut chunks = Vec::new();
            let mut start = 0;
            for c in cuts { chunks.push(&data[start..c]); start = c; }
            chunks.push(&data[start..]);
            prop_assert_eq!(parse(&chunks), parse(&[&data]));
        }

        /// Structured JSON arrays: one outcome per element, whatever the chunking.
        #[test]
        fn one_outcome_per_element(items in proptest::collection::vec(arb_json(), 0..6), cut in 0usize..200) {
            let text = format!("[{}]", items.join(", "));
            let bytes = text.as_bytes();
            let cut = cut.min(bytes.len());
            let out = parse(&[&bytes[..cut], &bytes[cut..]]);
            prop_assert_eq!(out.documents.len() + out.problems.len(), items.len());
            prop_assert_eq!(&out, &parse(&[bytes]));
        }
    }
}
