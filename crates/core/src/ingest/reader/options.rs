//! How to read a file ([`ReadOptions`]) and what reading it came to ([`FileReport`]).

use crate::ingest::detect::{Compression, Format};
use crate::ingest::{FieldChoice, TextMode};
use serde::{Deserialize, Serialize};

/// How to read a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadOptions {
    /// Which fields of a record hold the text, the source and a vector.
    pub fields: FieldChoice,
    /// The length every vector of [`FieldChoice::vector`] must have (say, the
    /// `vector_dim` that [`detect_fields`](crate::ingest::detect_fields) found);
    /// `None`: the first valid vector of each file fixes it for that file.
    /// Unused without a vector field.
    pub vector_dim: Option<usize>,
    /// How plain text splits into documents.
    pub text_mode: TextMode,
    /// Stop when decompressed output passes this many times the compressed
    /// input read so far (default 1000: gzip cannot pass about 1030, so only
    /// a stream of one repeated byte can trip it; zstd can reach far more)...
    pub bomb_ratio: u64,
    /// ...once it is past this many bytes (default 64 MiB: smaller outputs
    /// are never a bomb, whatever their ratio).
    pub bomb_floor: u64,
    /// The largest plain-text document, in bytes (default 256 MiB).
    pub text_cap: usize,
    /// The largest record, in bytes: a JSON Lines line, a JSON element, a CSV
    /// or TSV row (default 64 MiB). A longer one is rejected with its
    /// length, without being held, and the rest of the file loads.
    pub record_cap: usize,
}

impl Default for ReadOptions {
    fn default() -> Self {
        Self {
            fields: FieldChoice::default(),
            vector_dim: None,
            text_mode: TextMode::Whole,
            bomb_ratio: 1000,
            bomb_floor: 64 << 20,
            text_cap: 256 << 20,
            record_cap: 64 << 20,
        }
    }
}

/// What reading one file came to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileReport {
    pub file: String,
    pub format: Format,
    pub compression: Compression,
    /// Bytes fed in, as stored.
    pub bytes_in: u64,
    /// Bytes after decompression (before any transcoding).
    pub bytes_decoded: u64,
    /// Records met: always `documents_loaded + documents_rejected`.
    pub documents_in: u64,
    pub documents_loaded: u64,
    /// Records reported as a problem with their line (problems on line 0
    /// concern the whole file and count no record).
    pub documents_rejected: u64,
    /// Invalid UTF-8 sequences (or unpaired UTF-16 surrogates) replaced by U+FFFD.
    pub invalid_utf8: u64,
    /// All problems reported, per record or for the whole file.
    pub problems: u64,
    /// For a zip or tar archive, the report of each member read, in order,
    /// each named `archive/member` (the counts above include theirs). A
    /// document's member is the one whose `documents_loaded` span holds it:
    /// members are read one after another. Empty for other files.
    #[serde(default)]
    pub members: Vec<FileReport>,
}
