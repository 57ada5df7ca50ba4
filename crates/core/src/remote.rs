//! Dataset links a user pastes, turned into URLs a browser can download.
//!
//! Hugging Face links come in three shapes; all resolve to the `resolve/` form,
//! which serves the raw file with CORS:
//! - `hf://datasets/ORG/NAME/PATH` (revision `main`), or `hf://datasets/ORG/NAME@REV/PATH`
//! - `https://huggingface.co/datasets/ORG/NAME/blob/REV/PATH` (the page of a file)
//! - `https://huggingface.co/datasets/ORG/NAME/resolve/REV/PATH` (kept as is)
//!
//! Any other `http(s)` URL is kept as is; other schemes are refused.

use crate::{Error, Result};

const HF: &str = "https://huggingface.co";

/// The download URL for a link the user gave.
pub fn resolve_url(link: &str) -> Result<String> {
    let link = link.trim();
    if let Some(rest) = link.strip_prefix("hf://") {
        return resolve_hf_path(rest).ok_or_else(|| bad(link));
    }
    let lower = link.to_ascii_lowercase();
    if !(lower.starts_with("https://") || lower.starts_with("http://")) {
        return Err(bad(link));
    }
    if let Some(rest) = link.strip_prefix(HF) {
        if let Some((repo, tail)) = split_repo(rest.trim_start_matches('/')) {
            if let Some(file) = tail.strip_prefix("blob/") {
                return Ok(format!("{HF}/{repo}/resolve/{file}"));
            }
        }
    }
    Ok(link.to_string())
}

/// The file name a URL points at, for display and format detection.
pub fn file_name(url: &str) -> String {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    path.rsplit('/')
        .find(|s| !s.is_empty())
        .unwrap_or(path)
        .to_string()
}

/// `datasets/ORG/NAME[@REV]/PATH` → the `resolve/` URL.
fn resolve_hf_path(rest: &str) -> Option<String> {
    let (kind, rest) = rest.split_once('/')?;
    if !matches!(kind, "datasets" | "spaces") {
        return None;
    }
    let mut parts = rest.splitn(3, '/');
    let (org, name, path) = (parts.next()?, parts.next()?, parts.next()?);
    let (name, rev) = name.split_once('@').unwrap_or((name, "main"));
    if org.is_empty() || name.is_empty() || path.is_empty() || rev.is_empty() {
        return None;
    }
    Some(format!("{HF}/{kind}/{org}/{name}/resolve/{rev}/{path}"))
}

/// `datasets/ORG/NAME/TAIL` → (`datasets/ORG/NAME`, `TAIL`).
fn split_repo(path: &str) -> Option<(&str, &str)> {
    let mut parts = path.splitn(4, '/');
    let (kind, org, name, tail) = (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    if kind != "datasets" {
        return None;
    }
    Some((&path[..kind.len() + org.len() + name.len() + 2], tail))
}

fn bad(link: &str) -> Error {
    Error::Link(format!(
        "\"{link}\" is not an http(s) URL or an hf://datasets/ORG/NAME/PATH link"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_resolve() {
        let cases = [
            (
                "hf://datasets/HuggingFaceFW/fineweb/sample/10BT/000_00000.parquet",
                "https://huggingface.co/datasets/HuggingFaceFW/fineweb/resolve/main/sample/10BT/000_00000.parquet",
            ),
            (
                "hf://datasets/org/name@v1.0/data/train.jsonl.gz",
                "https://huggingface.co/datasets/org/name/resolve/v1.0/data/train.jsonl.gz",
            ),
            (
                "https://huggingface.co/datasets/org/name/blob/main/a/b.parquet",
                "https://huggingface.co/datasets/org/name/resolve/main/a/b.parquet",
            ),
            (
                "https://huggingface.co/datasets/org/name/resolve/main/a.jsonl",
                "https://huggingface.co/datasets/org/name/resolve/main/a.jsonl",
            ),
            (" https://example.org/x.jsonl ", "https://example.org/x.jsonl"),
        ];
        for (link, want) in cases {
            assert_eq!(resolve_url(link).unwrap(), want, "{link}");
        }
        for bad in [
            "file:///etc/passwd",
            "javascript:alert(1)",
            "hf://datasets/org",
            "hf://models/a/b/c",
        ] {
            assert!(resolve_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn names() {
        assert_eq!(
            file_name("https://h/x/train.jsonl.gz?download=1"),
            "train.jsonl.gz"
        );
        assert_eq!(file_name("https://h/x/dir/"), "dir");
    }
}
