//! Which field of a record holds the text, which the source and which a
//! vector.
//!
//! [`FieldChoice`] reads one record; [`detect_fields`] looks at a sample of
//! records and proposes a choice, with a summary of every column for a
//! column-mapping screen.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::chat::{ChatFields, Conversation};

/// Field names that hold a document's text, most likely first.
pub const TEXT_FIELDS: &[&str] = &[
    "text",
    "content",
    "body",
    "raw_content",
    "code",
    "document",
    "article",
    "passage",
    "contents",
    "story",
    "markdown",
];

/// Field names that name a document's source, most likely first.
///
/// Covers the usual Hugging Face corpora: Dolma's `source`, RedPajama's
/// `meta.redpajama_set_name`, the Pile's `meta.pile_set_name`, The Stack's
/// `lang`.
pub const SOURCE_FIELDS: &[&str] = &[
    "source",
    "subset",
    "dataset",
    "redpajama_set_name",
    "pile_set_name",
    "set_name",
    "domain",
    "language",
    "lang",
    "programming_language",
    "repo_language",
];

/// The entries of [`SOURCE_FIELDS`] that name a language: detection prefers a
/// URL's host to them when they do not vary.
pub const LANGUAGE_FIELDS: &[&str] = &["language", "lang", "programming_language", "repo_language"];

/// Field names that hold a document's address, whose host can serve as
/// source; detection also finds them nested (`meta.url`).
pub const URL_FIELDS: &[&str] = &["url", "uri", "link", "warc_url"];

/// Prefix of a [`FieldChoice::source`] path that takes the host of a URL field:
/// `"host:url"` makes `https://en.wikipedia.org/wiki/X` count as `en.wikipedia.org`.
pub const HOST_PREFIX: &str = "host:";

/// How many records [`detect_fields`] looks at.
pub const SAMPLE_SIZE: usize = 100;

/// Nesting depth past which detection stops descending.
pub(super) const MAX_DEPTH: usize = 8;

/// Of a file's top-level string columns, the one to read as text: a known
/// text name ([`TEXT_FIELDS`], most likely first), else the first.
pub(crate) fn preferred_text_column(strings: &[&str]) -> Option<String> {
    TEXT_FIELDS
        .iter()
        .find(|n| strings.contains(n))
        .copied()
        .or(strings.first().copied())
        .map(str::to_string)
}

/// The text (plain or a conversation), source and vector fields to read,
/// detected or chosen by the user. Serialisable; fields missing from a stored
/// choice read as `None`.
///
/// The text comes from, in order: the plain `text` field when set (it wins
/// over a conversation); the `conversation` shape when set; else, per
/// record, a conversation shape recognised by [`ChatFields::detect`], else
/// the plain text detected as [`FieldChoice::text_of`] does.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct FieldChoice {
    /// Dotted path of the text field; `None` reads `conversation`, or detects
    /// the text per record.
    pub text: Option<String>,
    /// Dotted path of the source field (or [`HOST_PREFIX`] and the path of a
    /// URL field); `None` detects it per record.
    pub source: Option<String>,
    /// Dotted path of a field holding each record's embedding, a list of
    /// numbers; `None` reads no user vectors (it is never detected here:
    /// [`detect_fields`](super::detect_fields) proposes one). When set, JSON
    /// Lines, JSON and Parquet records whose vector is missing or invalid are
    /// rejected (see [`ReadOptions::vector_dim`](super::ReadOptions::vector_dim));
    /// CSV, TSV and plain text cannot hold vectors and report it once per file.
    pub vector: Option<String>,
    /// The conversation shape and fields to read the text from, when `text`
    /// is `None`; `None` with `text` also `None` detects per record.
    pub conversation: Option<ChatFields>,
}

impl FieldChoice {
    /// A choice whose source is the host of the URL in field `url_path`.
    pub fn source_from_url_host(text: Option<String>, url_path: &str) -> Self {
        Self {
            text,
            source: Some(format!("{HOST_PREFIX}{url_path}")),
            ..Self::default()
        }
    }

    /// The conversation of `record` — its text and turns, or why it cannot
    /// be read — or `None` when this choice reads `record`'s text as plain
    /// text ([`FieldChoice::text_of`]): a plain `text` field is chosen, or
    /// nothing is chosen and `record` has no conversation shape.
    pub fn conversation_of(
        &self,
        record: &Map<String, Value>,
    ) -> Option<Result<(String, Conversation), String>> {
        if self.text.is_some() {
            return None;
        }
        match &self.conversation {
            Some(fields) => Some(fields.read(record)),
            None => ChatFields::detect(record).map(|fields| fields.read(record)),
        }
    }

    /// The dotted paths this choice names (text or conversation fields,
    /// source without [`HOST_PREFIX`], vector), with whether a file must have
    /// them (the text and vector); detected fields are not listed.
    pub fn named_paths(&self) -> Vec<(&str, bool)> {
        let mut out = Vec::new();
        out.extend(self.text.as_deref().map(|p| (p, true)));
        if self.text.is_none() {
            if let Some(c) = &self.conversation {
                out.extend(c.fields().into_iter().map(|f| (f, false)));
            }
        }
        out.extend(
            self.source
                .as_deref()
                .map(|p| (p.strip_prefix(HOST_PREFIX).unwrap_or(p), false)),
        );
        out.extend(self.vector.as_deref().map(|p| (p, true)));
        out
    }

    /// The text of `record`, or `None` if it has none.
    ///
    /// Detection tries the known names at the top level, then nested (such as
    /// `meta.text`), then takes the longest top-level string.
    pub fn text_of<'a>(&self, record: &'a Map<String, Value>) -> Option<&'a str> {
        match &self.text {
            Some(path) => lookup(record, path)?.as_str(),
            None => TEXT_FIELDS
                .iter()
                .find_map(|f| record.get(*f)?.as_str())
                .or_else(|| find_nested(record, TEXT_FIELDS, Value::is_string)?.as_str())
                .or_else(|| longest_string(record)),
        }
    }

    /// The source of `record`, or `None` to fall back on the file name.
    ///
    /// Detection tries the known names at the top level, then nested. It does
    /// not take a URL's host on its own: [`detect_fields`] proposes that.
    pub fn source_of(&self, record: &Map<String, Value>) -> Option<String> {
        let value = match &self.source {
            Some(path) => match path.strip_prefix(HOST_PREFIX) {
                Some(url_path) => return url_host(lookup(record, url_path)?.as_str()?),
                None => lookup(record, path)?,
            },
            None => SOURCE_FIELDS
                .iter()
                .find_map(|f| record.get(*f).filter(|v| is_source_value(v)))
                .or_else(|| find_nested(record, SOURCE_FIELDS, is_source_value))?,
        };
        match value {
            Value::String(s) if !s.is_empty() => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        }
    }
}

fn is_source_value(v: &Value) -> bool {
    matches!(v, Value::String(s) if !s.is_empty()) || v.is_number()
}

/// Follows a dotted path such as `meta.text` through nested objects.
pub(super) fn lookup<'a>(record: &'a Map<String, Value>, path: &str) -> Option<&'a Value> {
    let mut parts = path.split('.');
    let mut value = record.get(parts.next()?)?;
    for part in parts {
        value = value.as_object()?.get(part)?;
    }
    Some(value)
}

/// The first value under a nested object whose key is one of `names` (in the
/// order of `names`, shallowest first) and which passes `accept`.
fn find_nested<'a>(
    record: &'a Map<String, Value>,
    names: &[&str],
    accept: fn(&Value) -> bool,
) -> Option<&'a Value> {
    let mut level: Vec<&Map<String, Value>> =
        record.values().filter_map(Value::as_object).collect();
    for _ in 1..MAX_DEPTH {
        if level.is_empty() {
            break;
        }
        let hit = names.iter().find_map(|name| {
            level
                .iter()
                .find_map(|obj| obj.get(*name).filter(|v| accept(v)))
        });
        if hit.is_some() {
            return hit;
        }
        level = level
            .iter()
            .flat_map(|obj| obj.values().filter_map(Value::as_object))
            .collect();
    }
    None
}

fn longest_string(record: &Map<String, Value>) -> Option<&str> {
    record
        .values()
        .filter_map(Value::as_str)
        .max_by_key(|s| s.len())
}

/// The host of an absolute URL (`scheme://[user@]host[:port]/...`), lower-cased.
pub fn url_host(url: &str) -> Option<String> {
    let (scheme, rest) = url.trim().split_once("://")?;
    if scheme.is_empty()
        || !scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    {
        return None;
    }
    let authority = rest.split(['/', '?', '#']).next()?;
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if let Some(v6) = host_port.strip_prefix('[') {
        &host_port[..v6.find(']')? + 2]
    } else {
        host_port.split(':').next()?
    };
    (!host.is_empty()).then(|| host.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn detection_and_override() {
        let auto = FieldChoice::default();
        let r = obj(json!({"id": "a", "content": "hello", "subset": "web"}));
        assert_eq!(auto.text_of(&r), Some("hello"));
        assert_eq!(auto.source_of(&r).as_deref(), Some("web"));

        let r = obj(json!({"title": "short", "blob": "the longest string here"}));
        assert_eq!(auto.text_of(&r), Some("the longest string here"));
        assert_eq!(auto.source_of(&r), None);

        let chosen = FieldChoice {
            text: Some("meta.body".into()),
            source: Some("meta.site".into()),
            ..FieldChoice::default()
        };
        let r = obj(json!({"text": "no", "meta": {"body": "yes", "site": "x.org"}}));
        assert_eq!(chosen.text_of(&r), Some("yes"));
        assert_eq!(chosen.source_of(&r).as_deref(), Some("x.org"));
    }

    #[test]
    fn per_record_text_and_source() {
        let auto = FieldChoice::default();
        // (record, text, source)
        let cases = [
            (
                json!({"meta": {"text": "nested"}, "id": "a much longer id string"}),
                Some("nested"),
                None,
            ),
            (
                json!({"text": "top", "meta": {"text": "nested"}}),
                Some("top"),
                None,
            ),
            (
                json!({"text": "t", "meta": {"redpajama_set_name": "RedPajamaArXiv"}}),
                Some("t"),
                Some("RedPajamaArXiv"),
            ),
            (
                json!({"text": "t", "meta": {"pile_set_name": "Pile-CC"}}),
                Some("t"),
                Some("Pile-CC"),
            ),
            (
                json!({"content": "fn main() {}", "lang": "Rust"}),
                Some("fn main() {}"),
                Some("Rust"),
            ),
            (
                json!({"text": "t", "source": "", "lang": "en"}),
                Some("t"),
                Some("en"),
            ),
            (
                json!({"text": "t", "url": "https://a.org/x"}),
                Some("t"),
                None,
            ),
            (json!({"text": null, "other": "x"}), Some("x"), None),
            (json!({"n": 1}), None, None),
        ];
        for (record, text, source) in cases {
            let r = obj(record.clone());
            assert_eq!(auto.text_of(&r), text, "{record}");
            assert_eq!(auto.source_of(&r).as_deref(), source, "{record}");
        }
    }

    #[test]
    fn host_source_mode() {
        let choice = FieldChoice::source_from_url_host(None, "meta.url");
        let r = obj(
            json!({"text": "t", "meta": {"url": "https://User@EN.wikipedia.org:443/wiki/X?a#b"}}),
        );
        assert_eq!(choice.source_of(&r).as_deref(), Some("en.wikipedia.org"));
        let r = obj(json!({"text": "t", "meta": {"url": "not a url"}}));
        assert_eq!(choice.source_of(&r), None);
    }

    #[test]
    fn url_hosts() {
        let cases = [
            ("https://example.com/a", Some("example.com")),
            ("http://x.org", Some("x.org")),
            ("http://x.org?q=1", Some("x.org")),
            ("ftp://u:p@files.net:21/f", Some("files.net")),
            ("http://[::1]:8080/", Some("[::1]")),
            ("example.com/a", None),
            ("://x.org", None),
            ("http:///path", None),
            ("", None),
        ];
        for (url, host) in cases {
            assert_eq!(url_host(url).as_deref(), host, "{url}");
        }
    }
}
