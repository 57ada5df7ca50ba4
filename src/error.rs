//! Errors as the user reads them.

use std::fmt;

/// Something went wrong in the app; `Display` is the message shown to the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AppError {
    /// IndexedDB refused an operation.
    Storage(String),
    /// The browser's quota for this site is used up.
    QuotaExceeded,
    /// A file could not be read.
    Read { file: String, reason: String },
    /// A bundled asset could not be fetched.
    Fetch { url: String, reason: String },
    /// The worker reported a failure.
    Worker(String),
    /// The user stopped the run.
    Cancelled,
    /// A newer Corpuscope in another tab upgraded (or is upgrading) the
    /// stored library: this page must reload to use it.
    UpgradedElsewhere,
}

impl fmt::Display for AppError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AppError::Storage(reason) => write!(f, "Browser storage failed: {reason}"),
            AppError::QuotaExceeded => write!(
                f,
                "The browser's storage quota for this site is full. Delete a corpus and try again."
            ),
            AppError::Read { file, reason } => write!(f, "Cannot read {file}: {reason}"),
            AppError::Fetch { url, reason } => write!(f, "Cannot fetch {url}: {reason}"),
            AppError::Worker(reason) => write!(f, "Processing failed: {reason}"),
            AppError::Cancelled => write!(f, "Cancelled: what was loaded so far is kept."),
            AppError::UpgradedElsewhere => write!(
                f,
                "A newer Corpuscope opened in another tab and upgrades the stored library. Reload this page to go on; what was stored so far is kept."
            ),
        }
    }
}

impl std::error::Error for AppError {}

impl From<rexie::Error> for AppError {
    fn from(e: rexie::Error) -> Self {
        // rexie's own message is only "idb error": say what IndexedDB said.
        let text = match &e {
            rexie::Error::IdbError(inner) => inner.to_string(),
            other => other.to_string(),
        };
        if text.contains("QuotaExceeded") {
            AppError::QuotaExceeded
        } else if text.contains("VersionError") {
            AppError::UpgradedElsewhere
        } else {
            AppError::Storage(text)
        }
    }
}

impl From<serde_wasm_bindgen::Error> for AppError {
    fn from(e: serde_wasm_bindgen::Error) -> Self {
        AppError::Storage(e.to_string())
    }
}

impl From<corpuscope_core::Error> for AppError {
    fn from(e: corpuscope_core::Error) -> Self {
        AppError::Worker(e.to_string())
    }
}
