//! CSV and TSV: a header row naming the fields, then one record per row.
//!
//! Fields are strings, so a CSV or TSV file cannot hold user vectors: with
//! [`FieldChoice::vector`] set, the parser reports one problem for the whole
//! file (after its header row) and loads the documents without vectors.

use super::jsonl::{document_of_record, too_long};
use super::{Batch, FieldChoice, Parser};
use crate::Problem;
use csv_core::{ReadRecordResult, Reader, ReaderBuilder};
use serde_json::{Map, Value};

/// Parses delimited rows; each row becomes a record of string fields.
///
/// A vector column is not supported (see the module's documentation).
pub struct CsvParser {
    file: String,
    fields: FieldChoice,
    reader: Reader,
    /// Field names from the header row, once read.
    header: Option<Vec<String>>,
    /// The current row's field bytes and field end offsets.
    record: Vec<u8>,
    ends: Vec<usize>,
    /// Fill levels of `record` and `ends`.
    used: usize,
    ended: usize,
    /// The 1-based line the reader is on, and where the current row started.
    line: u64,
    start: Option<u64>,
    /// The first bytes, held until the reader can see a whole UTF-8 BOM
    /// (it strips one only from its first input).
    head: Option<Vec<u8>>,
    /// The largest row kept, and the bytes of the current row dropped once
    /// it passed that.
    cap: usize,
    over: u64,
    /// Input bytes of the current row read so far.
    row_in: u64,
}

impl CsvParser {
    /// A parser splitting fields at `delimiter` (`b','` or `b'\t'`).
    pub fn new(file: impl Into<String>, fields: FieldChoice, delimiter: u8) -> Self {
        Self {
            file: file.into(),
            fields,
            reader: ReaderBuilder::new().delimiter(delimiter).build(),
            header: None,
            record: vec![0; 1024],
            ends: vec![0; 16],
            used: 0,
            ended: 0,
            line: 1,
            start: None,
            head: Some(Vec::new()),
            cap: usize::MAX,
            over: 0,
            row_in: 0,
        }
    }

    /// Rejects rows that take more than `cap` bytes to hold (their fields,
    /// and 8 bytes a field for its end) without holding them; the problem
    /// gives the row's length in the file.
    pub fn with_record_cap(mut self, cap: usize) -> Self {
        self.cap = cap;
        self
    }

    /// Reads rows from `input`; `end` marks the end of the data.
    fn run(&mut self, mut input: &[u8], end: bool, out: &mut Batch) {
        loop {
            if self.start.is_none() {
                // Skip blank lines between rows so the row's first line is known.
                let blank = input
                    .iter()
                    .position(|&b| b != b'\n' && b != b'\r')
                    .unwrap_or(input.len());
                self.line += count_newlines(&input[..blank]);
                input = &input[blank..];
                if input.is_empty() && !end {
                    return;
                }
                self.start = Some(self.line);
            }
            let (result, nin, nout, nend) = self.reader.read_record(
                input,
                &mut self.record[self.used..],
                &mut self.ends[self.ended..],
            );
            self.line += count_newlines(&input[..nin]);
            self.row_in += nin as u64;
            input = &input[nin..];
            self.used += nout;
            self.ended += nend;
            match result {
                ReadRecordResult::InputEmpty | ReadRecordResult::End => return,
                ReadRecordResult::OutputFull | ReadRecordResult::OutputEndsFull => {
                    let held = self.used + 8 * self.ended;
                    if self.over > 0 || held >= self.cap {
                        // Too long: count what was read and read on in place.
                        self.over += held as u64;
                        self.used = 0;
                        self.ended = 0;
                    } else if result == ReadRecordResult::OutputFull {
                        let n = self.record.len() * 2;
                        self.record.resize(n, 0);
                    } else {
                        let n = self.ends.len() * 2;
                        self.ends.resize(n, 0);
                    }
                }
                ReadRecordResult::Record => {
                    if self.over > 0 {
                        let long = self.row_in;
                        let line = self.start.unwrap_or(self.line);
                        out.problems.push(Problem {
                            file: self.file.clone(),
                            line,
                            reason: too_long("row", long, self.cap),
                        });
                        self.over = 0;
                    } else {
                        self.row(out);
                    }
                    self.used = 0;
                    self.ended = 0;
                    self.start = None;
                    self.row_in = 0;
                }
            }
        }
    }

    fn row(&mut self, out: &mut Batch) {
        let line = self.start.unwrap_or(self.line);
        let mut from = 0;
        let values: Vec<String> = self.ends[..self.ended]
            .iter()
            .map(|&end| {
                let v = String::from_utf8_lossy(&self.record[from..end]).into_owned();
                from = end;
                v
            })
            .collect();
        let Some(header) = &self.header else {
            self.header = Some(values);
            if let Some(path) = &self.fields.vector {
                out.problems.push(Problem {
                    file: self.file.clone(),
                    line: 0,
                    reason: format!(
                        "vector field \"{path}\": CSV and TSV files cannot hold vectors; \
                         the documents load without them"
                    ),
                });
            }
            return;
        };
        let problem = |reason| Problem {
            file: self.file.clone(),
            line,
            reason,
        };
        if values.len() != header.len() {
            out.problems.push(problem(format!(
                "expected {} fields, found {}",
                header.len(),
                values.len()
            )));
            return;
        }
        let record: Map<String, Value> = header
            .iter()
            .cloned()
            .zip(values.into_iter().map(Value::String))
            .collect();
        out.sample(&record);
        match document_of_record(&self.file, &self.fields, None, line, &record) {
            Ok(doc) => out.documents.push(doc),
            Err(reason) => out.problems.push(problem(reason)),
        }
    }
}

fn count_newlines(bytes: &[u8]) -> u64 {
    bytes.iter().filter(|&&b| b == b'\n').count() as u64
}

impl Parser for CsvParser {
    fn feed(&mut self, chunk: &[u8], out: &mut Batch) {
        if let Some(head) = &mut self.head {
            head.extend_from_slice(chunk);
            let blank = head
                .iter()
                .take_while(|&&b| b == b'\n' || b == b'\r')
                .count();
            if head.len() - blank >= 3 {
                let head = self.head.take().unwrap_or_default();
                self.run(&head, false, out);
            }
        } else if !chunk.is_empty() {
            self.run(chunk, false, out);
        }
    }

    fn finish(&mut self, out: &mut Batch) {
        if let Some(head) = self.head.take() {
            if !head.is_empty() {
                self.run(&head, false, out);
            }
        }
        // Empty input tells the reader the data has ended.
        self.run(&[], true, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn parse(delimiter: u8, chunks: &[&[u8]]) -> Batch {
        crate::ingest::read_all(
            CsvParser::new("f.csv", FieldChoice::default(), delimiter),
            chunks,
        )
    }

    #[test]
    fn cases() {
        type Case<'a> = (
            u8,
            &'a [u8],
            Vec<(u64, &'a str, &'a str)>,
            Vec<(u64, &'a str)>,
        );
        let cases: Vec<Case> = vec![
            (
                b',',
                b"text,source\nhi,web\n",
                vec![(2, "web", "hi")],
                vec![],
            ),
            (
                b',',
                b"text,source\r\n\"a,\"\"b\"\"\nc\",s\r\n\r\nx,y",
                vec![(2, "s", "a,\"b\"\nc"), (5, "y", "x")],
                vec![],
            ),
            (
                b',',
                b"text,source\n1,2,3\nok,s\n",
                vec![(3, "s", "ok")],
                vec![(2, "expected 2 fields, found 3")],
            ),
            (
                b'\t',
                b"id\ttext\n1\thello, world\n",
                vec![(2, "f.csv", "hello, world")],
                vec![],
            ),
            (b',', b"", vec![], vec![]),
            (b',', b"text\n", vec![], vec![]),
            (
                b',',
                b"\n\ntext\n\nlast",
                vec![(5, "f.csv", "last")],
                vec![],
            ),
        ];
        for (d, input, docs, problems) in cases {
            let out = parse(d, &[input]);
            let got: Vec<_> = out
                .documents
                .iter()
                .map(|x| (x.line, x.source.as_str(), x.text.as_str()))
                .collect();
            assert_eq!(got, docs, "{}", String::from_utf8_lossy(input));
            let got: Vec<_> = out
                .problems
                .iter()
                .map(|p| (p.line, p.reason.as_str()))
                .collect();
            assert_eq!(got, problems);
        }
    }

    #[test]
    fn a_vector_field_is_one_problem_for_the_file() {
        let fields = FieldChoice {
            vector: Some("emb".into()),
            ..FieldChoice::default()
        };
        let parser = CsvParser::new("f.csv", fields, b',');
        let out = crate::ingest::read_all(parser, &[b"text,emb\na,\"[1,2]\"\nb,\"[3,4]\"\n"]);
        let docs: Vec<_> = out
            .documents
            .iter()
            .map(|d| (d.line, d.text.as_str(), &d.vector))
            .collect();
        assert_eq!(docs, vec![(2, "a", &None), (3, "b", &None)]);
        let problems: Vec<_> = out
            .problems
            .iter()
            .map(|p| (p.line, p.reason.as_str()))
            .collect();
        assert_eq!(
            problems,
            vec![(
                0,
                "vector field \"emb\": CSV and TSV files cannot hold vectors; the documents load without them"
            )]
        );
    }

    /// Writes one CSV field, quoted when needed.
    fn quote(field: &str) -> String {
        if field.contains([',', '"', '\n', '\r']) || field.is_empty() {
            format!("\"{}\"", field.replace('"', "\"\""))
        } else {
            field.to_string()
        }
    }

    proptest! {
        /// Records written with quoting parse back to the same text, at any cut.
        #[test]
        fn round_trip(rows in proptest::collection::vec(("[a-z ,\"\n]{0,12}", "[a-z]{1,5}"), 0..8), cut in 0usize..400) {
            let mut file = String::from("text,source\n");
            for (text, source) in &rows {
                file.push_str(&format!("{},{}\n", quote(text), quote(source)));
            }
            let bytes = file.as_bytes();
            let cut = cut.min(bytes.len());
            let out = parse(b',', &[&bytes[..cut], &bytes[cut..]]);
            let got: Vec<(String, String)> = out.documents.iter().map(|d| (d.text.clone(), d.source.clone())).collect();
            prop_assert_eq!(got, rows.clone());
            prop_assert!(out.problems.is_empty());
            // Line numbers: each row starts after the newlines of the rows before it.
            let mut line = 2;
            for (doc, (text, _)) in out.documents.iter().zip(&rows) {
                prop_assert_eq!(doc.line, line);
                line += 1 + text.matches('\n').count() as u64;
            }
        }

        /// Arbitrary bytes never panic, and chunking changes nothing.
        #[test]
        fn chunking_is_invisible(data in proptest::collection::vec(any::<u8>(), 0..300), cuts in proptest::collection::vec(0usize..300, 0..5), tab in any::<bool>()) {
            let d = if tab { b'\t' } else { b',' };
            let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c.min(data.len())).collect();
            cuts.sort();
            let mut chunks = Vec::new();
            let mut start = 0;
            for c in cuts { chunks.push(&data[start..c]); start = c; }
            chunks.push(&data[start..]);
            prop_assert_eq!(parse(d, &chunks), parse(d, &[&data]));
        }
    }
}
