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
mod tests;
