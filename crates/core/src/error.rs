//! The engine's one error type.

/// Everything that can stop an engine operation as a whole.
///
/// Per-record trouble (a broken line, a missing field) is not an error: it is a
/// [`crate::Problem`] reported beside the documents that did load.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot load tokenizer: {0}")]
    Tokenizer(String),
    #[error("tokenization failed: {0}")]
    Encode(String),
    #[error("cannot use this link: {0}")]
    Link(String),
    #[error("compression failed: {0}")]
    Compress(String),
    #[error("invalid dedup parameters: {0}")]
    DedupParams(String),
    #[error("cannot decode signatures: {0}")]
    SignatureBytes(String),
    #[error("cannot load embedding model: {0}")]
    Model(String),
    #[error("invalid vectors: {0}")]
    Vector(String),
    /// A corpus run used out of order, or its input could not be read.
    #[error("{0}")]
    Run(String),
    /// An explorer view asked of a corpus that is not open, or not so.
    #[error("{0}")]
    View(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
