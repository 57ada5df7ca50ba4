//! Which field of a record holds the text and which the source.

use serde_json::{Map, Value};

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
];

/// Field names that name a document's source, most likely first.
pub const SOURCE_FIELDS: &[&str] = &["source", "subset", "dataset", "domain", "language", "lang"];

/// The text and source fields to read, detected or chosen by the user.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldChoice {
    /// Dotted path of the text field; `None` detects it per record.
    pub text: Option<String>,
    /// Dotted path of the source field; `None` detects it per record.
    pub source: Option<String>,
}

impl FieldChoice {
    /// The text of `record`, or `None` if it has none.
    pub fn text_of<'a>(&self, record: &'a Map<String, Value>) -> Option<&'a str> {
        match &self.text {
            Some(path) => lookup(record, path)?.as_str(),
            None => TEXT_FIELDS
                .iter()
                .find_map(|f| record.get(*f)?.as_str())
                .or_else(|| longest_string(record)),
        }
    }

    /// The source of `record`, or `None` to fall back on the file name.
    pub fn source_of(&self, record: &Map<String, Value>) -> Option<String> {
        let value = match &self.source {
            Some(path) => lookup(record, path)?,
            None => SOURCE_FIELDS.iter().find_map(|f| record.get(*f))?,
        };
        match value {
            Value::String(s) if !s.is_empty() => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        }
    }
}

/// Follows a dotted path such as `meta.text` through nested objects.
fn lookup<'a>(record: &'a Map<String, Value>, path: &str) -> Option<&'a Value> {
    let mut parts = path.split('.');
    let mut value = record.get(parts.next()?)?;
    for part in parts {
        value = value.as_object()?.get(part)?;
    }
    Some(value)
}

fn longest_string(record: &Map<String, Value>) -> Option<&str> {
    record
        .values()
        .filter_map(Value::as_str)
        .max_by_key(|s| s.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
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
        };
        let r = obj(json!({"text": "no", "meta": {"body": "yes", "site": "x.org"}}));
        assert_eq!(chosen.text_of(&r), Some("yes"));
        assert_eq!(chosen.source_of(&r).as_deref(), Some("x.org"));
    }
}
