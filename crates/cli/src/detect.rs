//! What detection says about each file before the scan: the conversation
//! shape it reads and warnings about its text field, on stderr.

use anyhow::{Context, Result};
use corpuscope_core::ingest::{preview, ReadOptions, MAX_PARQUET_BYTES};
use std::io::Read;
use std::path::Path;

/// Bytes of a file's start that detection looks at (a Parquet file is read
/// whole, up to this many times more).
const HEAD: u64 = 256 << 10;
const PARQUET_HEAD: u64 = 64 << 20;

/// The lines detection gives for the file at `path`: `warning: …` for each
/// text-field warning, `note: …` for the conversation shape it reads.
pub fn notes(path: &Path, name: &str, options: &ReadOptions) -> Result<Vec<String>> {
    let len = std::fs::metadata(path)
        .with_context(|| format!("cannot read {}", path.display()))?
        .len();
    let parquet = name.to_ascii_lowercase().ends_with(".parquet");
    let limit = if parquet {
        PARQUET_HEAD.min(MAX_PARQUET_BYTES)
    } else {
        HEAD
    };
    if parquet && len > limit {
        return Ok(Vec::new());
    }
    let mut head = Vec::new();
    std::fs::File::open(path)
        .with_context(|| format!("cannot open {}", path.display()))?
        .take(limit)
        .read_to_end(&mut head)
        .with_context(|| format!("cannot read {}", path.display()))?;
    let whole = head.len() as u64 == len;
    let p = preview(name, &head, whole, options);
    let mut out: Vec<String> = p
        .detected
        .warnings
        .iter()
        .map(|w| format!("warning: {name}: {w}"))
        .collect();
    let fields = &options.fields;
    let conversation = match (&fields.text, &fields.conversation) {
        (Some(_), _) => None,
        (None, Some(c)) => Some(c),
        (None, None) => p.detected.conversation.as_ref(),
    };
    if let Some(c) = conversation {
        out.push(format!(
            "note: {name}: conversations: {} (one document per record, turns joined by blank lines)",
            c.describe()
        ));
    }
    Ok(out)
}
