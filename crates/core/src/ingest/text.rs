//! Plain text: the whole file as one document, or blank-line separated blocks.

use super::lines::CappedLine;
use super::{Batch, LineSplitter, Parser};
use crate::{Document, Problem};
use serde::{Deserialize, Serialize};

/// How plain text splits into documents.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TextMode {
    /// The whole file is one document.
    #[default]
    Whole,
    /// Each run of non-blank lines is a document.
    Blocks,
}

/// Parses plain text; a document larger than `cap` bytes is refused.
pub struct TextParser {
    file: String,
    mode: TextMode,
    cap: usize,
    lines: LineSplitter,
    /// The document being gathered and the line it starts on.
    text: Vec<u8>,
    start: u64,
    /// Whether the current document passed the cap.
    over: bool,
}

impl TextParser {
    /// A parser in `mode` refusing documents over `cap` bytes.
    pub fn new(file: impl Into<String>, mode: TextMode, cap: usize) -> Self {
        Self {
            file: file.into(),
            mode,
            cap,
            lines: LineSplitter::new().with_cap(cap),
            text: Vec::new(),
            start: 0,
            over: false,
        }
    }

    fn add(&mut self, bytes: &[u8]) {
        if self.over {
            return;
        }
        if self.text.len() + bytes.len() > self.cap {
            self.over = true;
            self.text = Vec::new();
        } else {
            self.text.extend_from_slice(bytes);
        }
    }

    /// Emits the document gathered so far, if any.
    fn emit(&mut self, out: &mut Batch) {
        let line = self.start.max(1);
        if self.over {
            out.problems.push(Problem {
                file: self.file.clone(),
                line,
                reason: format!(
                    "this document is larger than the {} MiB limit for one text document",
                    self.cap >> 20
                ),
            });
        } else if !self.text.iter().all(u8::is_ascii_whitespace) {
            out.documents.push(Document {
                line,
                source: self.file.clone(),
                text: String::from_utf8_lossy(&self.text).into_owned(),
                vector: None,
                conversation: None,
            });
        }
        self.text.clear();
        self.over = false;
        self.start = 0;
    }

    fn line(&mut self, number: u64, line: CappedLine, out: &mut Batch) {
        let Ok(bytes) = line else {
            // A line past the cap: the document it is in is too.
            if self.start == 0 {
                self.start = number;
            }
            self.over = true;
            self.text = Vec::new();
            return;
        };
        if bytes.iter().all(u8::is_ascii_whitespace) {
            self.emit(out);
            return;
        }
        if self.start == 0 {
            self.start = number;
        } else {
            self.add(b"\n");
        }
        self.add(bytes);
    }
}

impl Parser for TextParser {
    fn feed(&mut self, chunk: &[u8], out: &mut Batch) {
        match self.mode {
            TextMode::Whole => self.add(chunk),
            TextMode::Blocks => {
                let mut lines = std::mem::take(&mut self.lines);
                lines.feed_capped(chunk, |n, l| self.line(n, l, out));
                self.lines = lines;
            }
        }
    }

    fn finish(&mut self, out: &mut Batch) {
        if self.mode == TextMode::Blocks {
            let mut lines = std::mem::take(&mut self.lines);
            lines.finish_capped(|n, l| self.line(n, l, out));
            self.lines = lines;
        }
        self.emit(out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn parse(mode: TextMode, cap: usize, chunks: &[&[u8]]) -> Batch {
        crate::ingest::read_all(TextParser::new("f.txt", mode, cap), chunks)
    }

    #[test]
    fn cases() {
        type Case<'a> = (TextMode, &'a [u8], Vec<(u64, &'a str)>, Vec<u64>);
        let cases: Vec<Case> = vec![
            (TextMode::Whole, b"a\n\nb\n", vec![(1, "a\n\nb\n")], vec![]),
            (TextMode::Whole, b" \n", vec![], vec![]),
            (
                TextMode::Blocks,
                b"\na\nb\n\n\nc\r\n",
                vec![(2, "a\nb"), (6, "c")],
                vec![],
            ),
            (
                TextMode::Blocks,
                b"short\n\nmuch too long\n",
                vec![(1, "short")],
                vec![3],
            ),
            (TextMode::Whole, b"0123456789abc", vec![], vec![1]),
        ];
        for (mode, input, docs, problems) in cases {
            let out = parse(mode, 10, &[input]);
            let got: Vec<_> = out
                .documents
                .iter()
                .map(|d| (d.line, d.text.as_str()))
                .collect();
            assert_eq!(got, docs);
            let got: Vec<_> = out.problems.iter().map(|p| p.line).collect();
            assert_eq!(got, problems);
        }
    }

    proptest! {
        /// Arbitrary bytes never panic; chunking changes nothing in either mode.
        #[test]
        fn chunking_is_invisible(data in proptest::collection::vec(any::<u8>(), 0..300), cut in 0usize..300, blocks in any::<bool>()) {
            let mode = if blocks { TextMode::Blocks } else { TextMode::Whole };
            let cut = cut.min(data.len());
            prop_assert_eq!(parse(mode, 100, &[&data[..cut], &data[cut..]]), parse(mode, 100, &[&data]));
        }
    }
}
