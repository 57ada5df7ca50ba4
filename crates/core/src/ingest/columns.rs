//! Column detection: which fields of sampled records hold the text, the
//! source and a vector, and a summary of every column.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

use super::warnings::{field_warnings, FieldWarning};
use crate::chat::ChatFields;

use super::fields::{
    url_host, FieldChoice, HOST_PREFIX, LANGUAGE_FIELDS, MAX_DEPTH, SAMPLE_SIZE, SOURCE_FIELDS,
    TEXT_FIELDS, URL_FIELDS,
};

/// What kind of value a column holds (its most common kind when mixed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ColumnKind {
    String,
    Number,
    Bool,
    /// A list whose items are all numbers (an embedding, say).
    Numbers,
    /// A list whose items are all strings.
    Strings,
    /// Any other list.
    List,
    Object,
    /// Null in every sampled record.
    Null,
}

/// One column (dotted path) of the sampled records.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ColumnInfo {
    /// Dotted path, such as `meta.url`.
    pub path: String,
    pub kind: ColumnKind,
    /// Mean length in characters of its strings, or in items of its lists.
    pub mean_length: f64,
    /// A first value, shortened, for display.
    pub example: String,
}

/// What [`detect_fields`] found in a sample of records.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DetectedFields {
    /// Dotted path of the plain text field; `None` when the records are
    /// conversations (`conversation`) or hold no string.
    pub text: Option<String>,
    /// The conversation shape most sampled records have (more than half),
    /// with the fields it reads; it wins over a plain text field. Show it
    /// with [`ChatFields::describe`].
    #[serde(default)]
    pub conversation: Option<ChatFields>,
    /// Dotted path of the source field, or [`HOST_PREFIX`] and a URL field;
    /// `None` means the file name.
    pub source: Option<String>,
    /// Dotted path of a field holding a fixed-length list of numbers.
    pub vector: Option<String>,
    /// Length of the vectors in `vector`.
    pub vector_dim: Option<usize>,
    /// Every column seen, in order of first appearance (records' key order).
    pub columns: Vec<ColumnInfo>,
    /// Why the text field in effect looks wrong (mostly identifiers, URLs,
    /// numbers, very short, much shorter than another field), for the
    /// mapping screen and the CLI; see [`FieldWarning::message`].
    #[serde(default)]
    pub warnings: Vec<FieldWarning>,
}

impl DetectedFields {
    /// The detected text (plain or a conversation) and source as a choice for
    /// a parser (no vector: reading user vectors is the user's choice, see
    /// [`FieldChoice::vector`]).
    pub fn choice(&self) -> FieldChoice {
        FieldChoice {
            text: self.text.clone(),
            source: self.source.clone(),
            vector: None,
            conversation: self.conversation.clone(),
        }
    }
}

/// Tallies for one column while sampling.
#[derive(Default)]
struct Tally {
    path: String,
    kinds: [usize; 8],
    chars: usize,
    strings: usize,
    items: usize,
    lists: usize,
    /// How many number lists of each length were seen.
    lengths: BTreeMap<usize, usize>,
    example: Option<String>,
    /// The first few distinct short values (strings and numbers), to tell a
    /// column that varies from one that is constant.
    distinct: Vec<String>,
}

/// Share of a column's values that must be number lists of one length for
/// the column to be proposed as vectors.
const VECTOR_SHARE: f64 = 0.9;

/// How many distinct values a tally keeps.
const DISTINCT: usize = 16;

const KINDS: [ColumnKind; 8] = [
    ColumnKind::String,
    ColumnKind::Number,
    ColumnKind::Bool,
    ColumnKind::Numbers,
    ColumnKind::Strings,
    ColumnKind::List,
    ColumnKind::Object,
    ColumnKind::Null,
];

fn kind_of(v: &Value) -> ColumnKind {
    match v {
        Value::String(_) => ColumnKind::String,
        Value::Number(_) => ColumnKind::Number,
        Value::Bool(_) => ColumnKind::Bool,
        Value::Null => ColumnKind::Null,
        Value::Object(_) => ColumnKind::Object,
        Value::Array(items) if !items.is_empty() && items.iter().all(Value::is_number) => {
            ColumnKind::Numbers
        }
        Value::Array(items) if !items.is_empty() && items.iter().all(Value::is_string) => {
            ColumnKind::Strings
        }
        Value::Array(_) => ColumnKind::List,
    }
}

impl Tally {
    fn add(&mut self, v: &Value) {
        let kind = kind_of(v);
        let slot = KINDS
            .iter()
            .position(|k| *k == kind)
            .unwrap_or(KINDS.len() - 1);
        self.kinds[slot] += 1;
        match v {
            Value::String(s) => {
                self.chars += s.chars().count();
                self.strings += 1;
            }
            Value::Array(items) => {
                self.items += items.len();
                self.lists += 1;
            }
            _ => {}
        }
        if v.is_null() {
            return;
        }
        if let (Value::Array(items), ColumnKind::Numbers) = (v, kind) {
            *self.lengths.entry(items.len()).or_default() += 1;
        }
        if self.example.is_none() {
            self.example = Some(example(v));
        }
        let short = match v {
            Value::String(s) if s.len() <= 2048 => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        };
        if let Some(value) = short {
            if self.distinct.len() < DISTINCT && !self.distinct.contains(&value) {
                self.distinct.push(value);
            }
        }
    }

    /// The length shared by at least [`VECTOR_SHARE`] of the column's
    /// non-null values, when they are number lists: a vector column (a few
    /// broken rows do not hide it; they are rejected when read).
    fn vector_dim(&self) -> Option<usize> {
        let non_null: usize = self.kinds[..KINDS.len() - 1].iter().sum();
        let (&dim, &count) = self
            .lengths
            .iter()
            .max_by_key(|(len, n)| (**n, usize::MAX - **len))?;
        (dim > 0 && count as f64 >= VECTOR_SHARE * non_null as f64).then_some(dim)
    }

    fn info(&self) -> ColumnInfo {
        let non_null = &self.kinds[..KINDS.len() - 1];
        let top = (0..non_null.len())
            .filter(|&i| non_null[i] > 0)
            .max_by_key(|&i| (non_null[i], usize::MAX - i));
        let kind = top.map_or(ColumnKind::Null, |i| KINDS[i]);
        let mean = |total: usize, n: usize| if n == 0 { 0.0 } else { total as f64 / n as f64 };
        let mean_length = match kind {
            ColumnKind::String => mean(self.chars, self.strings),
            ColumnKind::Numbers | ColumnKind::Strings | ColumnKind::List => {
                mean(self.items, self.lists)
            }
            _ => 0.0,
        };
        ColumnInfo {
            path: self.path.clone(),
            kind,
            mean_length,
            example: self.example.clone().unwrap_or_default(),
        }
    }
}

/// A short display form of a value.
fn example(v: &Value) -> String {
    const MAX: usize = 80;
    let s = match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    match s.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}…", &s[..cut]),
        None => s,
    }
}

/// Proposes text, source and vector fields from the first [`SAMPLE_SIZE`]
/// records, and summarises every column.
///
/// Conversation: the shape [`ChatFields::detect`] finds in more than half of
/// the records (optional fields taken when any record has them); then the
/// text is that conversation, not a plain field.
/// Text: the first known name ([`TEXT_FIELDS`]) holding strings, top-level
/// before nested, else the string column with the longest mean length.
/// Source: a known name ([`SOURCE_FIELDS`]), top-level before nested, else
/// the host of a URL field ([`URL_FIELDS`]), except that a language field that
/// varies beats hosts that do not; else none (the file name). Vector: the first
/// column whose values are number lists of one length in every record.
pub fn detect_fields(records: &[Map<String, Value>]) -> DetectedFields {
    let mut tallies: Vec<Tally> = Vec::new();
    let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for record in records.iter().take(SAMPLE_SIZE) {
        walk(record, "", 0, &mut |path, v| {
            let i = *index.entry(path.to_string()).or_insert_with(|| {
                tallies.push(Tally {
                    path: path.to_string(),
                    ..Tally::default()
                });
                tallies.len() - 1
            });
            tallies[i].add(v);
        });
    }
    let mut found = DetectedFields {
        columns: tallies.iter().map(Tally::info).collect(),
        ..DetectedFields::default()
    };
    let strings = |c: &&ColumnInfo| c.kind == ColumnKind::String;
    found.conversation = conversation(&records[..records.len().min(SAMPLE_SIZE)]);
    if found.conversation.is_none() {
        found.text = known(&found, TEXT_FIELDS, strings).or_else(|| {
            found
                .columns
                .iter()
                .filter(strings)
                .max_by(|a, b| a.mean_length.total_cmp(&b.mean_length))
                .map(|c| c.path.clone())
        });
    }
    found.source = source(&found, &tallies);
    if let Some((t, dim)) = tallies
        .iter()
        .filter(|t| t.info().kind == ColumnKind::Numbers)
        .find_map(|t| t.vector_dim().map(|d| (t, d)))
    {
        found.vector = Some(t.path.clone());
        found.vector_dim = Some(dim);
    }
    found.warnings = field_warnings(records, &FieldChoice::default(), &found);
    found
}

/// The conversation shape of more than half of `records`, with every
/// optional field any of them has.
fn conversation(records: &[Map<String, Value>]) -> Option<ChatFields> {
    let mut votes: Vec<(ChatFields, usize)> = Vec::new();
    for shape in records.iter().filter_map(ChatFields::detect) {
        match votes.iter_mut().find(|(f, _)| f.same_shape(&shape)) {
            Some((fields, n)) => {
                fields.merge_optional(&shape);
                *n += 1;
            }
            None => votes.push((shape, 1)),
        }
    }
    let (fields, n) = votes.into_iter().max_by_key(|(_, n)| *n)?;
    (2 * n > records.len()).then_some(fields)
}

/// The source field: a known name other than a language; else a URL's host
/// or a language field ([`LANGUAGE_FIELDS`]), whichever varies in the sample,
/// the host first (FineWeb's `language` is always `en` while its `url` hosts
/// vary; The Stack's files have one `lang` each and no URL).
fn source(found: &DetectedFields, tallies: &[Tally]) -> Option<String> {
    let accept = |c: &&ColumnInfo| matches!(c.kind, ColumnKind::String | ColumnKind::Number);
    let strings = |c: &&ColumnInfo| c.kind == ColumnKind::String;
    let distinct = |path: &str| {
        tallies
            .iter()
            .find(|t| t.path == path)
            .map_or(0, |t| t.distinct.len())
    };
    let not_text = |p: &String| Some(p) != found.text.as_ref();
    let primary: Vec<&str> = SOURCE_FIELDS
        .iter()
        .filter(|n| !LANGUAGE_FIELDS.contains(n))
        .copied()
        .collect();
    if let Some(p) = known(found, &primary, accept).filter(not_text) {
        return Some(p);
    }
    let mut candidates: Vec<(String, usize)> = Vec::new();
    if let Some(url) = known(found, URL_FIELDS, strings) {
        let mut hosts: Vec<String> = tallies
            .iter()
            .filter(|t| t.path == url)
            .flat_map(|t| t.distinct.iter().filter_map(|u| url_host(u)))
            .collect();
        hosts.sort();
        hosts.dedup();
        if !hosts.is_empty() {
            candidates.push((format!("{HOST_PREFIX}{url}"), hosts.len()));
        }
    }
    if let Some(p) = known(found, LANGUAGE_FIELDS, accept).filter(not_text) {
        candidates.push((p.clone(), distinct(&p)));
    }
    let varied = candidates.iter().position(|(_, n)| *n > 1).unwrap_or(0);
    candidates.into_iter().nth(varied).map(|(p, _)| p)
}

/// The path of the first column named one of `names` that passes `accept`:
/// by name order, top-level before nested, shallowest first.
fn known(
    found: &DetectedFields,
    names: &[&str],
    accept: fn(&&ColumnInfo) -> bool,
) -> Option<String> {
    let depth = |p: &str| p.matches('.').count();
    let candidates: Vec<&ColumnInfo> = found.columns.iter().filter(accept).collect();
    let last = |p: &str| p.rsplit('.').next().unwrap_or(p).to_string();
    let top = names
        .iter()
        .find_map(|n| candidates.iter().find(|c| c.path == *n));
    let nested = || {
        names.iter().find_map(|n| {
            candidates
                .iter()
                .filter(|c| last(&c.path) == *n)
                .min_by_key(|c| depth(&c.path))
        })
    };
    top.or_else(nested).map(|c| c.path.clone())
}

/// Calls `visit` on every value of `record` (objects too) with its dotted path.
fn walk(
    record: &Map<String, Value>,
    prefix: &str,
    depth: usize,
    visit: &mut dyn FnMut(&str, &Value),
) {
    for (key, value) in record {
        let path = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        visit(&path, value);
        if let Value::Object(inner) = value {
            if depth + 1 < MAX_DEPTH {
                walk(inner, &path, depth + 1, visit);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    fn obj(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap_or_default()
    }

    fn records(values: &[Value]) -> Vec<Map<String, Value>> {
        values.iter().map(|v| obj(v.clone())).collect()
    }

    /// Records, then the expected text, source, vector and vector length.
    type Case = (
        Vec<Value>,
        Option<&'static str>,
        Option<&'static str>,
        Option<&'static str>,
        Option<usize>,
    );

    #[test]
    fn detect_rules() {
        // (records, text, source, vector, vector_dim)
        let cases: Vec<Case> = vec![
            // Known text name beats a longer string.
            (
                vec![json!({"text": "short", "notes": "a far longer string than the text"})],
                Some("text"),
                None,
                None,
                None,
            ),
            // Nested known name.
            (
                vec![json!({"id": "long identifier string", "meta": {"content": "c"}})],
                Some("meta.content"),
                None,
                None,
                None,
            ),
            // No known name: longest mean length.
            (
                vec![
                    json!({"a": "xx", "b": "yyyyyy"}),
                    json!({"a": "xxxxxxxx", "b": "y"}),
                ],
                Some("a"),
                None,
                None,
                None,
            ),
            // Known source names, top-level and nested.
            (
                vec![json!({"text": "t", "source": "web"})],
                Some("text"),
                Some("source"),
                None,
                None,
            ),
            (
                vec![json!({"text": "t", "meta": {"redpajama_set_name": "RedPajamaBook"}})],
                Some("text"),
                Some("meta.redpajama_set_name"),
                None,
                None,
            ),
            (
                vec![json!({"content": "x = 1", "lang": "Python", "max_stars_repo_name": "a/b"})],
                Some("content"),
                Some("lang"),
                None,
                None,
            ),
            // URL host when no source name.
            (
                vec![json!({"text": "t", "url": "https://news.example.com/a"})],
                Some("text"),
                Some("host:url"),
                None,
                None,
            ),
            // FineWeb: a constant language loses to varied URL hosts.
            (
                vec![
                    json!({"text": "t", "language": "en", "url": "https://a.com/1"}),
                    json!({"text": "u", "language": "en", "url": "https://b.org/2"}),
                ],
                Some("text"),
                Some("host:url"),
                None,
                None,
            ),
            // A varied language beats one host.
            (
                vec![
                    json!({"content": "x", "lang": "Go", "url": "https://github.com/a"}),
                    json!({"content": "y", "lang": "C", "url": "https://github.com/b"}),
                ],
                Some("content"),
                Some("lang"),
                None,
                None,
            ),
            // Neither varies: the host.
            (
                vec![json!({"text": "t", "language": "en", "url": "https://a.com/1"})],
                Some("text"),
                Some("host:url"),
                None,
                None,
            ),
            // A named source wins even when constant.
            (
                vec![
                    json!({"text": "t", "source": "c4", "metadata": {"url": "https://a.com/1"}}),
                    json!({"text": "u", "source": "c4", "metadata": {"url": "https://b.com/1"}}),
                ],
                Some("text"),
                Some("source"),
                None,
                None,
            ),
            // A url that is not a URL: no source.
            (
                vec![json!({"text": "t", "url": "n/a"})],
                Some("text"),
                None,
                None,
                None,
            ),
            // Vector of fixed length.
            (
                vec![
                    json!({"text": "t", "emb": [0.1, 0.2, 0.3]}),
                    json!({"text": "u", "emb": [1, 2, 3]}),
                ],
                Some("text"),
                None,
                Some("emb"),
                Some(3),
            ),
            // Lengths differ: no vector.
            (
                vec![
                    json!({"text": "t", "emb": [0.1, 0.2]}),
                    json!({"text": "u", "emb": [1.0]}),
                ],
                Some("text"),
                None,
                None,
                None,
            ),
            // A few broken rows among 20 do not hide a vector column.
            (
                (0..20)
                    .map(|i| match i {
                        3 => json!({"text": "t", "emb": [1.0, 2.0]}),
                        7 => json!({"text": "t", "emb": [1.0, "NaN", 0.0]}),
                        _ => json!({"text": "t", "emb": [0.5, 0.25, i]}),
                    })
                    .collect(),
                Some("text"),
                None,
                Some("emb"),
                Some(3),
            ),
            // Nothing usable.
            (vec![json!({"n": 1, "b": true})], None, None, None, None),
            (vec![], None, None, None, None),
        ];
        for (values, text, source, vector, dim) in cases {
            let found = detect_fields(&records(&values));
            let case = format!("{values:?}");
            assert_eq!(found.text.as_deref(), text, "{case}");
            assert_eq!(found.source.as_deref(), source, "{case}");
            assert_eq!(found.vector.as_deref(), vector, "{case}");
            assert_eq!(found.vector_dim, dim, "{case}");
        }
    }

    /// The conversation detection proposes for `values`, as described.
    fn detected_conversation(values: &[Value]) -> Option<String> {
        let found = detect_fields(&records(values));
        if found.conversation.is_some() {
            assert_eq!(found.text, None);
            assert!(found.warnings.is_empty(), "{:?}", found.warnings);
        }
        found.conversation.map(|c| c.describe())
    }

    #[test]
    fn conversations_are_detected_in_real_looking_records() {
        let cases: Vec<(Vec<Value>, &str)> = vec![
            // OpenAI fine-tuning / HF `messages`.
            (
                vec![json!({"messages": [
                    {"role": "system", "content": "Marv is a sarcastic chatbot."},
                    {"role": "user", "content": "What's the capital of France?"},
                    {"role": "assistant", "content": "Paris, as if everyone doesn't know."}
                ]})],
                "chat messages (messages: role/content)",
            ),
            // HF messages with content parts (vision datasets), plus an id.
            (
                vec![json!({"id": "abc-123", "messages": [
                    {"role": "user", "content": [{"type": "image"}, {"type": "text", "text": "What is shown?"}]},
                    {"role": "assistant", "content": [{"type": "text", "text": "A bridge at dusk."}]}
                ], "images": ["img_0001.png"]})],
                "chat messages (messages: role/content)",
            ),
            // ultrachat_200k: prompt, prompt_id and messages.
            (
                vec![
                    json!({"prompt": "How are you?", "prompt_id": "9f2c", "messages": [
                        {"role": "user", "content": "How are you?"},
                        {"role": "assistant", "content": "Fine."}
                    ]}),
                ],
                "chat messages (messages: role/content)",
            ),
            // ShareGPT_Vicuna_unfiltered: id and conversations of from/value.
            (
                vec![
                    json!({"id": "QWJhYvA_0", "conversations": [
                        {"from": "human", "value": "Summarize the main ideas of Jeff Walker's Product Launch Formula."},
                        {"from": "gpt", "value": "Here are the main ideas of Jeff Walker's Product Launch Formula: ..."}
                    ]}),
                    json!({"id": "i6IyJda_0", "conversations": []}),
                    json!({"id": "A5AbcES_0", "conversations": [
                        {"from": "human", "value": "hi"}, {"from": "gpt", "value": "Hello!"}
                    ]}),
                ],
                "ShareGPT conversations (conversations: from/value)",
            ),
            // Alpaca.
            (
                vec![
                    json!({"instruction": "Give three tips for staying healthy.", "input": "", "output": "1. Eat a balanced diet..."}),
                    json!({"instruction": "Translate.", "input": "Hello", "output": "Bonjour"}),
                ],
                "Alpaca instructions (instruction, input, output)",
            ),
            // Dolly 15k.
            (
                vec![json!({
                    "instruction": "When did Virgin Australia start operating?",
                    "context": "Virgin Australia, the trading name of Virgin Australia Airlines Pty Ltd, ...",
                    "response": "Virgin Australia commenced services on 31 August 2000.",
                    "category": "closed_qa"
                })],
                "Dolly instructions (instruction, context, response)",
            ),
            // UltraFeedback binarized: prompt, chosen and rejected message lists.
            (
                vec![json!({
                    "prompt": "Explain recursion.", "prompt_id": "7c1",
                    "chosen": [{"role": "user", "content": "Explain recursion."}, {"role": "assistant", "content": "A function calling itself..."}],
                    "rejected": [{"role": "user", "content": "Explain recursion."}, {"role": "assistant", "content": "No."}],
                    "messages": [{"role": "user", "content": "Explain recursion."}, {"role": "assistant", "content": "A function calling itself..."}],
                    "score_chosen": 8.5, "score_rejected": 3.0
                })],
                "preference pairs (prompt, chosen, rejected)",
            ),
            // Anthropic HH-RLHF: chosen and rejected strings, no prompt.
            (
                vec![
                    json!({"chosen": "\n\nHuman: Hi\n\nAssistant: Hello!", "rejected": "\n\nHuman: Hi\n\nAssistant: Go away."}),
                ],
                "preference pairs (chosen, rejected)",
            ),
            // GSM8K.
            (
                vec![
                    json!({"question": "Natalia sold clips to 48 of her friends...", "answer": "Natalia sold 48/2 = 24 clips in May. #### 72"}),
                ],
                "prompt and response pairs (question, answer)",
            ),
            (
                vec![json!({"prompt": "Once upon a time", "completion": " there was"})],
                "prompt and response pairs (prompt, completion)",
            ),
        ];
        for (values, want) in cases {
            assert_eq!(
                detected_conversation(&values).as_deref(),
                Some(want),
                "{values:?}"
            );
        }
    }

    #[test]
    fn plain_corpora_are_not_conversations() {
        let cases: Vec<Vec<Value>> = vec![
            // FineWeb.
            vec![
                json!({"text": "The quick brown fox...", "id": "<urn:uuid:1>", "dump": "CC-MAIN-2024-10", "url": "https://a.com/x", "language": "en", "token_count": 812}),
            ],
            // Dolma / RedPajama.
            vec![json!({"text": "Body", "source": "c4", "meta": {"url": "https://b.org"}})],
            vec![json!({"text": "Body", "meta": {"redpajama_set_name": "RedPajamaArXiv"}})],
            // The Stack.
            vec![json!({"content": "fn main() {}", "lang": "Rust", "max_stars_repo_name": "a/b"})],
            // A QA corpus that ships its text.
            vec![json!({"text": "Q: why? A: because.", "question": "why?", "answer": "because."})],
            // SQuAD: answers is an object.
            vec![
                json!({"id": "5733be28", "title": "University_of_Notre_Dame", "context": "Architecturally, the school has a Catholic character.", "question": "To whom did the Virgin Mary appear?", "answers": {"text": ["Saint Bernadette"], "answer_start": [515]}}),
            ],
            // A minority of chat records does not make a chat file.
            vec![
                json!({"text": "a"}),
                json!({"text": "b"}),
                json!({"messages": [{"role": "user", "content": "c"}]}),
            ],
        ];
        for values in cases {
            assert_eq!(detected_conversation(&values), None, "{values:?}");
        }
    }

    #[test]
    fn a_nested_url_gives_the_host() {
        let found = detect_fields(&records(&[
            json!({"text": "t", "meta": {"url": "https://en.wikipedia.org/wiki/A"}}),
            json!({"text": "u", "meta": {"url": "https://de.wikipedia.org/wiki/B"}}),
        ]));
        assert_eq!(found.source.as_deref(), Some("host:meta.url"));
        let choice = found.choice();
        let r = obj(json!({"text": "t", "meta": {"url": "https://EN.wikipedia.org/wiki/A"}}));
        assert_eq!(choice.source_of(&r).as_deref(), Some("en.wikipedia.org"));
    }

    #[test]
    fn field_choices_serialise_and_old_ones_still_read() {
        let old: FieldChoice = serde_json::from_str(r#"{"text": "body", "source": null}"#).unwrap();
        assert_eq!(old.text.as_deref(), Some("body"));
        assert_eq!(old.conversation, None);
        let found = detect_fields(&records(&[
            json!({"conversations": [{"from": "human", "value": "hi"}]}),
        ]));
        let choice = found.choice();
        let json = serde_json::to_string(&choice).unwrap();
        assert_eq!(serde_json::from_str::<FieldChoice>(&json).unwrap(), choice);
        let old: DetectedFields = serde_json::from_str(
            r#"{"text": "t", "source": null, "vector": null, "vector_dim": null, "columns": []}"#,
        )
        .unwrap();
        assert_eq!((old.conversation, old.warnings.len()), (None, 0));
    }

    #[test]
    fn column_summary() {
        let found = detect_fields(&records(&[
            json!({"text": "abcd", "n": 1, "ok": true, "tags": ["a", "b"], "meta": {"x": null}}),
            json!({"text": "ab", "n": 2.5, "ok": false, "tags": ["c"], "meta": {"x": null}}),
        ]));
        let summary: Vec<_> = found
            .columns
            .iter()
            .map(|c| (c.path.as_str(), c.kind, c.mean_length))
            .collect();
        assert_eq!(
            summary,
            vec![
                ("meta", ColumnKind::Object, 0.0),
                ("meta.x", ColumnKind::Null, 0.0),
                ("n", ColumnKind::Number, 0.0),
                ("ok", ColumnKind::Bool, 0.0),
                ("tags", ColumnKind::Strings, 1.5),
                ("text", ColumnKind::String, 3.0),
            ]
        );
        assert_eq!(found.columns[5].example, "abcd");
        assert_eq!(found.choice().text.as_deref(), Some("text"));
    }

    #[test]
    fn examples_are_shortened() {
        let long = "é".repeat(200);
        let found = detect_fields(&records(&[json!({ "text": long })]));
        assert_eq!(found.columns[0].example.chars().count(), 81);
    }

    fn arb_json() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            any::<f64>().prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            ".{0,20}".prop_map(Value::from),
        ];
        leaf.prop_recursive(4, 32, 6, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                proptest::collection::btree_map("[a-z.]{0,6}", inner, 0..6)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        /// Any JSON objects: detection never panics, and what it proposes reads.
        #[test]
        fn detection_never_panics(values in proptest::collection::vec(arb_json(), 0..8)) {
            let maps: Vec<_> = values.into_iter().filter_map(|v| v.as_object().cloned()).collect();
            let found = detect_fields(&maps);
            let choice = found.choice();
            for m in &maps {
                let _ = choice.text_of(m);
                let _ = choice.source_of(m);
                let _ = FieldChoice::default().text_of(m);
            }
            if let Some(text) = &found.text {
                prop_assert!(found.columns.iter().any(|c| &c.path == text));
            }
        }
    }
}
