//! Zip and tar archives of data files: each member read as its own file.
//!
//! Both are read as they stream in: tar is a sequence of 512-byte headers
//! each followed by its member; zip is read through the local header before
//! each member, not the central directory at its end. Each member goes to a
//! [`FileReader`] of its own called `archive/member` (say
//! `shards.tar.gz/train/part-0.jsonl.gz`), which detects its compression and
//! format as for any file; its problems name it, documents with no source
//! field take it as their source, and its [`FileReport`] lands in the
//! archive's [`FileReport::members`].
//!
//! Skipped with a note (a problem on line 0 naming the member): members
//! whose name is not a data file's ([`is_data_file_name`]: README, LICENSE,
//! images, hidden files, `__MACOSX/`), and the metadata of a Hugging Face
//! `save_to_disk` folder (`dataset_info.json`, `state.json`,
//! `dataset_dict.json`), which are JSON but not records. Directories and
//! links are passed over silently. An archive inside an archive is not read
//! (the member is refused).
//!
//! The bomb cap applies twice: a zip member's own decoder stops at the
//! ratio to that member's compressed bytes, and the bytes all members
//! decode to stop at the ratio to the archive's bytes as stored.

mod tar;
mod zip;

use super::compress::{BombLimit, Decompressor};
use super::detect::is_data_file_name;
use super::{Batch, Compression, FileReader, FileReport, ReadOptions};
use crate::Problem;

/// Metadata files of a Hugging Face `save_to_disk` folder.
const DATASET_METADATA: &[&str] = &["dataset_info.json", "state.json", "dataset_dict.json"];

/// Which container a stream is, from its first decoded bytes.
pub(crate) fn container_of(head: &[u8]) -> Option<super::Format> {
    if head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06") {
        return Some(super::Format::Zip);
    }
    if head.get(257..262) == Some(b"ustar") {
        return Some(super::Format::Tar);
    }
    None
}

/// A zip or tar archive being read.
pub(crate) struct Archive {
    container: Container,
    members: Members,
    /// Set once the archive cannot be read further.
    stopped: bool,
}

enum Container {
    Tar(tar::Tar),
    Zip(zip::Zip),
}

impl Archive {
    /// Reads the archive called `file`, a zip or a tar.
    pub(crate) fn new(format: super::Format, file: &str, options: &ReadOptions) -> Self {
        let container = match format {
            super::Format::Zip => Container::Zip(zip::Zip::new()),
            _ => Container::Tar(tar::Tar::new()),
        };
        Self {
            container,
            members: Members {
                archive: file.to_string(),
                options: options.clone(),
                current: None,
                reports: Vec::new(),
                decoded: 0,
                raw_in: 0,
            },
            stopped: false,
        }
    }

    /// Takes the next decoded bytes of the archive; `raw_in` counts the
    /// archive's bytes as stored so far.
    pub(crate) fn push(&mut self, piece: &[u8], raw_in: u64, out: &mut Batch) {
        if self.stopped {
            return;
        }
        self.members.raw_in = raw_in;
        let result = match &mut self.container {
            Container::Tar(t) => t.push(piece, &mut self.members, out),
            Container::Zip(z) => z.push(piece, &mut self.members, out),
        };
        if let Err(reason) = result {
            self.stop(reason, out);
        }
    }

    /// Ends the archive; gives the reports of its members.
    pub(crate) fn finish(&mut self, out: &mut Batch) -> Vec<FileReport> {
        if !self.stopped {
            let ended = match &self.container {
                Container::Tar(t) => t.ended(),
                Container::Zip(z) => z.ended(),
            };
            if let Some(current) = &mut self.members.current {
                let reason = "the archive ends inside this member (truncated); \
                              what was read of it loaded"
                    .to_string();
                current.reader.stop_with(reason, out);
            } else if !ended {
                let reason = match self.container {
                    Container::Tar(_) => "the tar archive ends without its end marker (truncated?)",
                    Container::Zip(_) => {
                        "the zip archive ends before its central directory (truncated?)"
                    }
                };
                out.problems.push(self.members.problem(reason.to_string()));
            }
            self.members.end(out);
        }
        std::mem::take(&mut self.members.reports)
    }

    /// Stops reading: the archive's framing is lost or it is a bomb. The
    /// member being read ends with what it had.
    fn stop(&mut self, reason: String, out: &mut Batch) {
        self.stopped = true;
        let reason = format!("{reason}; the archive is not read further");
        match &mut self.members.current {
            Some(current) => current.reader.stop_with(reason, out),
            None => out.problems.push(self.members.problem(reason)),
        }
        self.members.end(out);
    }
}

/// The member being read and the reports of those read.
/// Moves bytes from the front of `piece` into `held` until it holds
/// `need` (or `piece` runs out); how many were moved.
pub(super) fn fill(held: &mut Vec<u8>, piece: &mut &[u8], need: usize) -> usize {
    let take = need.saturating_sub(held.len()).min(piece.len());
    held.extend_from_slice(&piece[..take]);
    *piece = &piece[take..];
    take
}

pub(crate) struct Members {
    archive: String,
    options: ReadOptions,
    current: Option<Current>,
    reports: Vec<FileReport>,
    /// Bytes decoded by the members already read.
    decoded: u64,
    raw_in: u64,
}

struct Current {
    reader: FileReader,
    /// A zip member's method, when it is compressed.
    decoder: Option<Decompressor>,
    /// Its bytes as stored in the archive.
    stored: u64,
    /// Set when its data cannot be decoded further: the rest is passed over.
    broken: bool,
    /// A skipped member decoded only to find its end: no report.
    discard: bool,
}

impl Members {
    fn problem(&self, reason: String) -> Problem {
        Problem {
            file: self.archive.clone(),
            line: 0,
            reason,
        }
    }

    fn limit(&self) -> BombLimit {
        BombLimit {
            ratio: self.options.bomb_ratio,
            floor: self.options.bomb_floor,
        }
    }

    /// Starts the member at `path`, stored with `method`; `false` if it is
    /// passed over (a directory, or not a data file: noted in `out`).
    fn begin(&mut self, path: &str, method: Compression, out: &mut Batch) -> bool {
        self.end(out);
        let path = path.trim_start_matches("./");
        if path.is_empty() || path.ends_with('/') {
            return false;
        }
        let name = format!("{}/{path}", self.archive);
        let base = path.rsplit('/').next().unwrap_or(path);
        let skip = if path
            .split('/')
            .any(|part| part.starts_with('.') || part == "__MACOSX")
        {
            Some("a hidden file")
        } else if DATASET_METADATA.contains(&base) {
            Some("Hugging Face dataset metadata, not records")
        } else if !is_data_file_name(path) {
            Some("not a data file by its name")
        } else {
            None
        };
        if let Some(why) = skip {
            out.problems.push(Problem {
                file: name,
                line: 0,
                reason: format!("skipped: {why}"),
            });
            return false;
        }
        let limit = self.limit();
        self.current = Some(Current {
            reader: FileReader::member(name, self.options.clone()),
            decoder: (method != Compression::None).then(|| Decompressor::new(method, limit)),
            stored: 0,
            broken: false,
            discard: false,
        });
        true
    }

    /// Decodes a skipped zip member of unknown length, dropping its bytes.
    fn discard(&mut self, method: Compression) {
        let limit = self.limit();
        self.current = Some(Current {
            reader: FileReader::member(self.archive.clone(), self.options.clone()),
            decoder: Some(Decompressor::new(method, limit)),
            stored: 0,
            broken: false,
            discard: true,
        });
    }

    /// The current member's next stored bytes. `Err` when the archive must
    /// stop (its members decode past the bomb cap).
    fn data(&mut self, bytes: &[u8], out: &mut Batch) -> Result<(), String> {
        let Some(current) = &mut self.current else {
            return Ok(());
        };
        current.stored += bytes.len() as u64;
        if current.broken {
            return Ok(());
        }
        let reader = &mut current.reader;
        let result = match &mut current.decoder {
            Some(decoder) if current.discard => decoder.feed(bytes, &mut |_| {}),
            Some(decoder) => decoder.feed(bytes, &mut |piece| reader.feed(piece, out)),
            None => {
                reader.feed(bytes, out);
                Ok(())
            }
        };
        if let Err(reason) = result {
            current.broken = true;
            if !current.discard {
                current.reader.stop_with(reason, out);
            }
        }
        let decoded = self.decoded + current.reader.decoded();
        let limit = self.limit();
        let allowed = limit
            .floor
            .max(limit.ratio.saturating_mul(self.raw_in.max(1)));
        if decoded > allowed {
            return Err(format!(
                "the archive's members decompress past {}× its size ({decoded} bytes from the \
                 first {}); stopped as a possible decompression bomb",
                limit.ratio, self.raw_in
            ));
        }
        Ok(())
    }

    /// For a zip member of unknown length: the stored bytes its deflate
    /// stream took, once it ended.
    fn ended_after(&self) -> Option<u64> {
        self.current.as_ref()?.decoder.as_ref()?.ended_after()
    }

    /// Ends the current member, if any, and keeps its report.
    fn end(&mut self, out: &mut Batch) {
        let Some(mut current) = self.current.take() else {
            return;
        };
        if current.discard {
            return;
        }
        if let Some(decoder) = &mut current.decoder {
            if !current.broken {
                let reader = &mut current.reader;
                if let Err(reason) = decoder.finish(&mut |piece| reader.feed(piece, out)) {
                    reader.stop_with(reason, out);
                }
            }
        }
        let mut report = current.reader.finish(out);
        self.decoded += current.reader.decoded();
        if let Some(decoder) = &current.decoder {
            // The member as the archive stores it: its bytes, its method.
            report.bytes_in = decoder.ended_after().unwrap_or(current.stored);
            if report.compression == Compression::None {
                report.compression = decoder.compression();
                report.bytes_decoded = decoder.bytes_out;
            }
        }
        self.reports.push(report);
    }
}

#[cfg(test)]
mod tests;
