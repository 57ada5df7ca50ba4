//! The one entry point for front ends: any supported file in, documents out.

mod downstream;
mod options;
#[cfg(test)]
mod tests;

pub use options::{FileReport, ReadOptions};

use super::compress::{BombLimit, Decompressor};
use super::detect::{self, Compression, Format, MAGIC_BYTES};
use super::utf::Utf8Stream;
use super::Batch;
use crate::Problem;
use downstream::Downstream;

/// Reads one file of any supported format and compression, pushed in chunks.
pub struct FileReader {
    file: String,
    options: ReadOptions,
    /// The first raw bytes, held until the compression is known.
    magic: Option<Vec<u8>>,
    decompressor: Option<Decompressor>,
    rest: Downstream,
    report: FileReport,
    /// Set once the file is refused or unreadable: further bytes are ignored.
    stopped: bool,
    finished: bool,
}

impl FileReader {
    /// A reader for the file called `file`.
    pub fn new(file: impl Into<String>, options: ReadOptions) -> Self {
        let file = file.into();
        Self {
            report: FileReport {
                file: file.clone(),
                format: Format::Unknown,
                compression: Compression::None,
                bytes_in: 0,
                bytes_decoded: 0,
                documents_in: 0,
                documents_loaded: 0,
                documents_rejected: 0,
                invalid_utf8: 0,
                problems: 0,
                members: Vec::new(),
            },
            file,
            options,
            magic: Some(Vec::new()),
            decompressor: None,
            rest: Downstream::new(),
            stopped: false,
            finished: false,
        }
    }

    /// A reader for a member of an archive: an archive inside it is refused.
    pub(crate) fn member(file: impl Into<String>, options: ReadOptions) -> Self {
        let mut reader = Self::new(file, options);
        reader.rest.nested = true;
        reader
    }

    /// Ends the reading with a problem on the whole file (say, the archive
    /// around it broke off); what was read stays.
    pub(crate) fn stop_with(&mut self, reason: String, out: &mut Batch) {
        if self.finished || self.stopped {
            return;
        }
        self.stopped = true;
        out.problems.push(self.problem(reason));
        self.report.problems += 1;
    }

    /// Bytes decompressed so far (what the format parser was given).
    pub(crate) fn decoded(&self) -> u64 {
        self.decompressor.as_ref().map_or(0, |d| d.bytes_out)
    }

    /// Consumes the next chunk of the file.
    pub fn feed(&mut self, chunk: &[u8], out: &mut Batch) {
        if self.finished {
            return;
        }
        let (docs, problems) = (out.documents.len(), out.problems.len());
        self.report.bytes_in += chunk.len() as u64;
        if !self.stopped {
            self.push(chunk, false, out);
        }
        self.count(out, docs, problems);
    }

    /// The format detected so far (`Unknown` until enough bytes arrived).
    pub fn format(&self) -> Format {
        self.rest.format
    }

    /// The compression detected so far.
    pub fn compression(&self) -> Compression {
        self.report.compression
    }

    /// Ends the file and reports on it. Calling it again (or `feed` after
    /// it) adds nothing and returns the same report.
    pub fn finish(&mut self, out: &mut Batch) -> FileReport {
        if self.finished {
            return self.report.clone();
        }
        self.finished = true;
        let (docs, problems) = (out.documents.len(), out.problems.len());
        if !self.stopped {
            self.push(&[], true, out);
        }
        if self.report.bytes_in == 0 {
            out.problems.push(self.problem("the file is empty".into()));
        }
        self.rest.finish(&self.file, &self.options, out);
        if let Some(note) = self.rest.utf.as_ref().and_then(Utf8Stream::note) {
            out.problems.push(self.problem(note));
        }
        self.count(out, docs, problems);
        let met = self.report.documents_in + self.report.problems;
        if met == 0 && self.report.bytes_in > 0 {
            out.problems
                .push(self.problem("the file holds no records".into()));
            self.report.problems += 1;
        }
        self.report.format = self.rest.format;
        self.report.members = std::mem::take(&mut self.rest.members);
        self.report.bytes_decoded = self.decompressor.as_ref().map_or(0, |d| d.bytes_out);
        self.report.invalid_utf8 = self.rest.utf.as_ref().map_or(0, |u| u.replaced);
        self.stopped = true;
        self.report.clone()
    }

    fn problem(&self, reason: String) -> Problem {
        Problem {
            file: self.file.clone(),
            line: 0,
            reason,
        }
    }

    /// Sends raw bytes down the chain; `end` marks the end of the file.
    fn push(&mut self, chunk: &[u8], end: bool, out: &mut Batch) {
        let mut input = chunk;
        let held;
        if let Some(magic) = &mut self.magic {
            magic.extend_from_slice(chunk);
            if magic.len() < MAGIC_BYTES && !end {
                return;
            }
            held = self.magic.take().unwrap_or_default();
            input = &held;
            let compression = detect::compression_of(&held);
            self.report.compression = compression;
            let limit = BombLimit {
                ratio: self.options.bomb_ratio,
                floor: self.options.bomb_floor,
            };
            self.decompressor = Some(Decompressor::new(compression, limit));
        }
        let Some(decompressor) = &mut self.decompressor else {
            return;
        };
        self.rest.raw_in = self.report.bytes_in;
        let (rest, file, options) = (&mut self.rest, &self.file, &self.options);
        let mut sink = |piece: &[u8]| rest.push(piece, file, options, out);
        let mut result = decompressor.feed(input, &mut sink);
        if end && result.is_ok() {
            result = decompressor.finish(&mut sink);
        }
        // A file refused for what it holds is not read further: a
        // decompression error past the refusal (met in the same chunk, or
        // never, depending on the chunking) is not reported.
        if let Some(reason) = self.rest.refused.take() {
            self.stopped = true;
            out.problems.push(self.problem(reason));
        } else if let Err(reason) = result {
            self.stopped = true;
            out.problems.push(self.problem(reason));
        }
    }

    /// Adds what this call appended to `out` to the counts.
    fn count(&mut self, out: &Batch, docs: usize, problems: usize) {
        let new = &out.problems[problems..];
        let rejected = new.iter().filter(|p| p.line > 0).count() as u64;
        let loaded = (out.documents.len() - docs) as u64;
        self.report.documents_loaded += loaded;
        self.report.documents_rejected += rejected;
        self.report.documents_in += loaded + rejected;
        self.report.problems += new.len() as u64;
    }
}
