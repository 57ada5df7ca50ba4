//! Warnings about a text field that is probably not the text: a corpus whose
//! "documents" are identifiers or titles loads without an error, and every
//! figure about it is wrong. Detection says so in words instead.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::columns::{ColumnKind, DetectedFields};
use super::fields::{lookup, url_host, FieldChoice, SAMPLE_SIZE};

/// Share of sampled values that must look alike (identifiers, URLs, numbers)
/// for a warning.
const ALIKE_SHARE: f64 = 0.8;

/// A median length (characters) below which a text field is very short.
const SHORT_MEDIAN_CHARS: f64 = 20.0;

/// How many times longer (and by how many characters at least) another
/// string field must be, on average, for the text field to look too short.
const LONGER_FACTOR: f64 = 4.0;
const LONGER_MARGIN_CHARS: f64 = 100.0;

/// Why the text field in effect looks wrong. Typed for the front ends, with
/// [`FieldWarning::message`] in words for the user.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FieldWarning {
    /// Most values look like identifiers (no spaces, digits in them: UUIDs,
    /// hashes, `doc_123`).
    Identifiers { field: String, share: f64 },
    /// Most values are URLs.
    Urls { field: String, share: f64 },
    /// Most values are numbers.
    Numbers { field: String, share: f64 },
    /// The values are mostly very short.
    ShortText { field: String, median_chars: f64 },
    /// Another string field is much longer on average.
    LongerField {
        field: String,
        mean_chars: f64,
        other: String,
        other_mean_chars: f64,
    },
    /// A plain text field is read although the records hold conversations.
    ConversationNotRead { field: String, conversation: String },
}

impl FieldWarning {
    /// The text field the warning is about.
    pub fn field(&self) -> &str {
        match self {
            FieldWarning::Identifiers { field, .. }
            | FieldWarning::Urls { field, .. }
            | FieldWarning::Numbers { field, .. }
            | FieldWarning::ShortText { field, .. }
            | FieldWarning::LongerField { field, .. }
            | FieldWarning::ConversationNotRead { field, .. } => field,
        }
    }

    /// The warning in words for the user.
    pub fn message(&self) -> String {
        let percent = |share: &f64| format!("{:.0}%", share * 100.0);
        match self {
            FieldWarning::Identifiers { field, share } => format!(
                "the text field \"{field}\" looks like identifiers ({} of the sampled values); choose the field that holds the text",
                percent(share)
            ),
            FieldWarning::Urls { field, share } => format!(
                "the text field \"{field}\" holds URLs ({} of the sampled values); choose the field that holds the text",
                percent(share)
            ),
            FieldWarning::Numbers { field, share } => format!(
                "the text field \"{field}\" holds numbers ({} of the sampled values); choose the field that holds the text",
                percent(share)
            ),
            FieldWarning::ShortText { field, median_chars } => format!(
                "the text field \"{field}\" is very short (median {median_chars:.0} characters); is it the text?"
            ),
            FieldWarning::LongerField {
                field,
                mean_chars,
                other,
                other_mean_chars,
            } => format!(
                "the text field \"{field}\" (mean {mean_chars:.0} characters) is much shorter than \"{other}\" (mean {other_mean_chars:.0}); is \"{other}\" the text?"
            ),
            FieldWarning::ConversationNotRead {
                field,
                conversation,
            } => format!(
                "the text field \"{field}\" is read as plain text, but the records hold {conversation}; choose the conversation to count turns and roles"
            ),
        }
    }
}

impl std::fmt::Display for FieldWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message())
    }
}

/// The warnings about the plain text field that `choice` reads from
/// `records` (the field chosen, else the one `detected` proposes); none when
/// the text is a conversation (chosen, or detected and nothing chosen).
pub fn field_warnings(
    records: &[Map<String, Value>],
    choice: &FieldChoice,
    detected: &DetectedFields,
) -> Vec<FieldWarning> {
    let field = match (&choice.text, &choice.conversation) {
        (Some(text), _) => text.clone(),
        (None, Some(_)) => return Vec::new(),
        (None, None) => match &detected.text {
            Some(text) if detected.conversation.is_none() => text.clone(),
            _ => return Vec::new(),
        },
    };
    let mut warnings = Vec::new();
    if let Some(c) = &detected.conversation {
        warnings.push(FieldWarning::ConversationNotRead {
            field: field.clone(),
            conversation: c.describe(),
        });
    }
    let values: Vec<&str> = records
        .iter()
        .take(SAMPLE_SIZE)
        .filter_map(|r| lookup(r, &field)?.as_str())
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .collect();
    if values.is_empty() {
        return warnings;
    }
    let share = |test: fn(&str) -> bool| {
        values.iter().filter(|v| test(v)).count() as f64 / values.len() as f64
    };
    let (numbers, urls, ids) = (share(is_number), share(is_url), share(is_identifier));
    let mut chars: Vec<usize> = values.iter().map(|v| v.chars().count()).collect();
    chars.sort_unstable();
    let median = chars[chars.len() / 2] as f64;
    let field_ = field.clone();
    if numbers >= ALIKE_SHARE {
        warnings.push(FieldWarning::Numbers {
            field: field_,
            share: numbers,
        });
    } else if urls >= ALIKE_SHARE {
        warnings.push(FieldWarning::Urls {
            field: field_,
            share: urls,
        });
    } else if ids >= ALIKE_SHARE {
        warnings.push(FieldWarning::Identifiers {
            field: field_,
            share: ids,
        });
    } else if median < SHORT_MEDIAN_CHARS {
        warnings.push(FieldWarning::ShortText {
            field: field_,
            median_chars: median,
        });
    }
    let mean = chars.iter().sum::<usize>() as f64 / chars.len() as f64;
    if let Some(other) = detected
        .columns
        .iter()
        .filter(|c| c.kind == ColumnKind::String && c.path != field)
        .max_by(|a, b| a.mean_length.total_cmp(&b.mean_length))
        .filter(|c| {
            c.mean_length >= LONGER_FACTOR * mean && c.mean_length >= mean + LONGER_MARGIN_CHARS
        })
    {
        warnings.push(FieldWarning::LongerField {
            field,
            mean_chars: mean,
            other: other.path.clone(),
            other_mean_chars: other.mean_length,
        });
    }
    warnings
}

fn is_number(v: &str) -> bool {
    v.parse::<f64>().is_ok()
}

fn is_url(v: &str) -> bool {
    !v.contains(char::is_whitespace) && url_host(v).is_some()
}

/// No spaces, at most 64 characters of letters, digits and `-_:./#`, at least
/// one digit: `QWJhYvA_0`, a UUID, a hash, `doc-17`.
fn is_identifier(v: &str) -> bool {
    v.len() <= 64
        && v.chars().any(|c| c.is_ascii_digit())
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_:./#".contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::detect_fields;
    use serde_json::json;

    fn records(values: &[Value]) -> Vec<Map<String, Value>> {
        values
            .iter()
            .filter_map(|v| v.as_object().cloned())
            .collect()
    }

    /// The warnings' kinds for `values` read with `choice`.
    fn kinds(values: &[Value], choice: &FieldChoice) -> Vec<String> {
        let records = records(values);
        let detected = detect_fields(&records);
        field_warnings(&records, choice, &detected)
            .iter()
            .map(|w| {
                let json = serde_json::to_value(w).unwrap();
                json["kind"].as_str().unwrap().to_string()
            })
            .collect()
    }

    fn text(field: &str) -> FieldChoice {
        FieldChoice {
            text: Some(field.into()),
            ..FieldChoice::default()
        }
    }

    #[test]
    fn implausible_text_fields_are_named() {
        let article = "A long enough paragraph of running text, as a corpus holds, with many words in it and more. ".repeat(3);
        let rows: Vec<Value> = (0..10)
            .map(|i| {
                json!({
                    "id": format!("5f0c{i}a2e-1b2c-4d5e-8f90-{i:012}"),
                    "url": format!("https://site{i}.org/page"),
                    "n": i.to_string(),
                    "title": "Short title",
                    "body": article,
                })
            })
            .collect();
        let auto = FieldChoice::default();
        assert_eq!(kinds(&rows, &auto), Vec::<String>::new());
        assert_eq!(kinds(&rows, &text("id")), ["identifiers", "longer_field"]);
        assert_eq!(kinds(&rows, &text("url")), ["urls", "longer_field"]);
        assert_eq!(kinds(&rows, &text("n")), ["numbers", "longer_field"]);
        assert_eq!(kinds(&rows, &text("title")), ["short_text", "longer_field"]);
        assert_eq!(kinds(&rows, &text("body")), Vec::<String>::new());
    }

    #[test]
    fn a_detected_identifier_text_warns() {
        // Detection falls back on the longest string: here an identifier.
        let rows = [
            json!({"id": "QWJhYvA_0", "k": 1}),
            json!({"id": "x9Y2bb_12", "k": 2}),
        ];
        assert_eq!(kinds(&rows, &FieldChoice::default()), ["identifiers"]);
    }

    #[test]
    fn conversations_read_as_plain_text_warn() {
        let rows = [json!({"id": "a1", "conversations": [{"from": "human", "value": "Hi"}]})];
        assert_eq!(kinds(&rows, &FieldChoice::default()), Vec::<String>::new());
        let warned = kinds(&rows, &text("id"));
        assert_eq!(warned[0], "conversation_not_read");
        let records = records(&rows);
        let w = field_warnings(&records, &text("id"), &detect_fields(&records));
        assert_eq!(
            w[0].message(),
            "the text field \"id\" is read as plain text, but the records hold ShareGPT conversations (conversations: from/value); choose the conversation to count turns and roles"
        );
        assert_eq!(w[0].field(), "id");
    }
}
