//! The record shapes that hold a conversation, how to recognise one in a
//! record, and how to read it.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{Branch, ConversationBuilder, Role, TURN_SEPARATOR};
use crate::chat::Conversation;

/// Fields that may hold a list of messages, most likely first.
pub const CONVERSATION_FIELDS: &[&str] = &["messages", "conversations", "conversation"];

/// The (role, content) key pairs of a message, most likely first: OpenAI and
/// Hugging Face `role`/`content`, ShareGPT `from`/`value`.
const MESSAGE_KEYS: &[(&str, &str)] = &[("role", "content"), ("from", "value")];

/// Instruction records: (instruction, input, output) names, most likely first
/// (Alpaca; Dolly's `context` and `response`).
const INSTRUCTION_FIELDS: &[&str] = &["instruction"];
const INPUT_FIELDS: &[&str] = &["input", "context"];
const OUTPUT_FIELDS: &[&str] = &["output", "response", "completion", "answer"];

/// Prompt and response pairs, most likely first.
const PAIR_FIELDS: &[(&str, &str)] = &[
    ("prompt", "completion"),
    ("prompt", "response"),
    ("prompt", "answer"),
    ("question", "answer"),
    ("query", "response"),
];

/// Fields that hold a preference record's prompt, most likely first.
const PROMPT_FIELDS: &[&str] = &["prompt", "question", "instruction", "input"];

/// A conversation's shape and the fields it is read from (top-level names).
///
/// Serialised with a `shape` tag: `{"shape": "messages", "list":
/// "conversations", "role": "from", "content": "value"}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "shape", rename_all = "snake_case")]
pub enum ChatFields {
    /// A list of messages, each an object with a role and a content: OpenAI
    /// and Hugging Face chat (`messages`: `role`/`content`), ShareGPT
    /// (`conversations`: `from`/`value`). An optional top-level system prompt
    /// comes first when the list does not start with a system turn.
    Messages {
        list: String,
        role: String,
        content: String,
        #[serde(default)]
        system: Option<String>,
    },
    /// Separate string fields: a user turn of the instruction and, when not
    /// empty, the input after a blank line; an assistant turn of the output;
    /// an optional system turn first. Alpaca (`instruction`, `input`,
    /// `output`), Dolly (`instruction`, `context`, `response`), and prompt and
    /// response pairs (`prompt`/`completion`, `question`/`answer`, …) with no
    /// input.
    Instruction {
        #[serde(default)]
        system: Option<String>,
        instruction: String,
        #[serde(default)]
        input: Option<String>,
        output: String,
    },
    /// Preference data (DPO): one document per record, the prompt then the
    /// chosen answer then the rejected one. `chosen` and `rejected` are each
    /// a string (one assistant turn) or a message list; the messages two
    /// lists share at their start are the prompt (UltraFeedback repeats it
    /// in both), else the `prompt` field (a string: one user turn; or a
    /// message list). Turns after the prompt carry their [`Branch`].
    Preference {
        #[serde(default)]
        system: Option<String>,
        #[serde(default)]
        prompt: Option<String>,
        chosen: String,
        rejected: String,
    },
}

/// What kind of conversation data a [`ChatFields`] reads, for display.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChatShape {
    /// `role`/`content` messages (OpenAI, Hugging Face).
    ChatMessages,
    /// `from`/`value` messages.
    ShareGpt,
    /// `instruction`, `input`, `output`.
    Alpaca,
    /// `instruction`, `context`, `response`.
    Dolly,
    /// Other instruction or prompt and response fields.
    PromptResponse,
    /// `chosen` and `rejected` answers.
    Preference,
}

impl ChatShape {
    /// Its name for people.
    pub fn label(self) -> &'static str {
        match self {
            ChatShape::ChatMessages => "chat messages",
            ChatShape::ShareGpt => "ShareGPT conversations",
            ChatShape::Alpaca => "Alpaca instructions",
            ChatShape::Dolly => "Dolly instructions",
            ChatShape::PromptResponse => "prompt and response pairs",
            ChatShape::Preference => "preference pairs",
        }
    }
}

impl ChatFields {
    /// The kind of data this reads.
    pub fn shape(&self) -> ChatShape {
        match self {
            ChatFields::Messages { role, .. } if role == "from" => ChatShape::ShareGpt,
            ChatFields::Messages { .. } => ChatShape::ChatMessages,
            ChatFields::Instruction { input, output, .. } => {
                match (input.as_deref(), output.as_str()) {
                    (Some("input"), "output") => ChatShape::Alpaca,
                    (Some("context"), "response") => ChatShape::Dolly,
                    _ => ChatShape::PromptResponse,
                }
            }
            ChatFields::Preference { .. } => ChatShape::Preference,
        }
    }

    /// A line for a mapping screen: `ShareGPT conversations (conversations:
    /// from/value)`, `Alpaca instructions (instruction, input, output)`.
    pub fn describe(&self) -> String {
        let fields = match self {
            ChatFields::Messages {
                list,
                role,
                content,
                system,
            } => {
                let system = system
                    .as_ref()
                    .map(|s| format!(", {s}"))
                    .unwrap_or_default();
                format!("{list}: {role}/{content}{system}")
            }
            _ => self.fields().join(", "),
        };
        format!("{} ({fields})", self.shape().label())
    }

    /// The top-level fields read, in reading order.
    pub fn fields(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        match self {
            ChatFields::Messages { list, system, .. } => {
                out.extend(system.as_deref());
                out.push(list);
            }
            ChatFields::Instruction {
                system,
                instruction,
                input,
                output,
            } => {
                out.extend(system.as_deref());
                out.push(instruction);
                out.extend(input.as_deref());
                out.push(output);
            }
            ChatFields::Preference {
                system,
                prompt,
                chosen,
                rejected,
            } => {
                out.extend(system.as_deref());
                out.extend(prompt.as_deref());
                out.push(chosen);
                out.push(rejected);
            }
        }
        out
    }

    /// The conversation shape `record` has, if any, by its field names:
    /// `chosen` and `rejected` (preference); a message list
    /// ([`CONVERSATION_FIELDS`] whose first item has a string role); then, only
    /// when the record has no string field named like a text
    /// ([`TEXT_FIELDS`](crate::ingest::TEXT_FIELDS)), instruction fields and
    /// prompt and response pairs, all strings.
    pub fn detect(record: &Map<String, Value>) -> Option<ChatFields> {
        let string = |name: &str| record.get(name).is_some_and(Value::is_string);
        let first_string = |names: &[&'static str]| names.iter().copied().find(|n| string(n));
        let system = string("system").then(|| "system".to_string());
        let answer = |name: &str| match record.get(name) {
            Some(Value::String(_)) => true,
            Some(Value::Array(items)) => items.is_empty() || message_keys(items).is_some(),
            _ => false,
        };
        if answer("chosen") && answer("rejected") {
            let prompt = PROMPT_FIELDS
                .iter()
                .find(|n| {
                    matches!(record.get(**n), Some(Value::String(_)))
                        || matches!(record.get(**n), Some(Value::Array(items)) if message_keys(items).is_some())
                })
                .map(|n| n.to_string());
            return Some(ChatFields::Preference {
                system,
                prompt,
                chosen: "chosen".into(),
                rejected: "rejected".into(),
            });
        }
        for list in CONVERSATION_FIELDS {
            if let Some(Value::Array(items)) = record.get(*list) {
                if let Some((role, content)) = message_keys(items) {
                    return Some(ChatFields::Messages {
                        list: list.to_string(),
                        role: role.into(),
                        content: content.into(),
                        system,
                    });
                }
            }
        }
        if crate::ingest::TEXT_FIELDS.iter().any(|n| string(n)) {
            return None;
        }
        if let (Some(instruction), Some(output)) = (
            first_string(INSTRUCTION_FIELDS),
            first_string(OUTPUT_FIELDS),
        ) {
            return Some(ChatFields::Instruction {
                system,
                instruction: instruction.into(),
                input: first_string(INPUT_FIELDS).map(str::to_string),
                output: output.into(),
            });
        }
        PAIR_FIELDS
            .iter()
            .find(|(p, r)| string(p) && string(r))
            .map(|(p, r)| ChatFields::Instruction {
                system,
                instruction: p.to_string(),
                input: None,
                output: r.to_string(),
            })
    }

    /// Whether `other` reads the same required fields (its optional system,
    /// input or prompt may differ).
    pub(crate) fn same_shape(&self, other: &ChatFields) -> bool {
        match (self, other) {
            (
                ChatFields::Messages {
                    list,
                    role,
                    content,
                    ..
                },
                ChatFields::Messages {
                    list: l,
                    role: r,
                    content: c,
                    ..
                },
            ) => (list, role, content) == (l, r, c),
            (
                ChatFields::Instruction {
                    instruction,
                    output,
                    ..
                },
                ChatFields::Instruction {
                    instruction: i,
                    output: o,
                    ..
                },
            ) => (instruction, output) == (i, o),
            (ChatFields::Preference { .. }, ChatFields::Preference { .. }) => true,
            _ => false,
        }
    }

    /// Takes `other`'s optional fields where this has none.
    pub(crate) fn merge_optional(&mut self, other: &ChatFields) {
        fn fill(mine: &mut Option<String>, theirs: &Option<String>) {
            if mine.is_none() {
                mine.clone_from(theirs);
            }
        }
        match (self, other) {
            (ChatFields::Messages { system, .. }, ChatFields::Messages { system: s, .. }) => {
                fill(system, s);
            }
            (
                ChatFields::Instruction { system, input, .. },
                ChatFields::Instruction {
                    system: s,
                    input: i,
                    ..
                },
            ) => {
                fill(system, s);
                fill(input, i);
            }
            (
                ChatFields::Preference { system, prompt, .. },
                ChatFields::Preference {
                    system: s,
                    prompt: p,
                    ..
                },
            ) => {
                fill(system, s);
                fill(prompt, p);
            }
            _ => {}
        }
    }

    /// The conversation in `record`: its text by the rendering rule and its
    /// turns, or why it cannot be read (words for a problem list).
    pub fn read(&self, record: &Map<String, Value>) -> Result<(String, Conversation), String> {
        let mut b = ConversationBuilder::default();
        let optional_string = |field: &Option<String>| -> Result<Option<&str>, String> {
            match field.as_deref().map(|f| (f, record.get(f))) {
                None | Some((_, None | Some(Value::Null))) => Ok(None),
                Some((_, Some(Value::String(s)))) => Ok(Some(s.as_str())),
                Some((f, Some(_))) => Err(format!("field \"{f}\" is not a string")),
            }
        };
        let required_string = |field: &str| -> Result<&str, String> {
            match record.get(field) {
                Some(Value::String(s)) => Ok(s),
                None | Some(Value::Null) => Err(format!("no field \"{field}\" in this record")),
                Some(_) => Err(format!("field \"{field}\" is not a string")),
            }
        };
        match self {
            ChatFields::Messages {
                list,
                role,
                content,
                system,
            } => {
                let items = match record.get(list) {
                    Some(Value::Array(items)) => items,
                    None | Some(Value::Null) => {
                        return Err(format!("no field \"{list}\" in this record"))
                    }
                    Some(_) => return Err(format!("field \"{list}\" is not a list of messages")),
                };
                let system = optional_string(system)?;
                let starts_with_system = items
                    .first()
                    .and_then(|m| m.get(role.as_str())?.as_str())
                    .is_some_and(|r| Role::from_name(r) == Role::System);
                if let Some(s) = system.filter(|_| !starts_with_system) {
                    b.push(Role::System, s, None);
                }
                read_messages(list, items, (role, content), None, &mut b)?;
            }
            ChatFields::Instruction {
                system,
                instruction,
                input,
                output,
            } => {
                if let Some(s) = optional_string(system)? {
                    b.push(Role::System, s, None);
                }
                let instruction = required_string(instruction)?;
                let user = match optional_string(input)?.filter(|i| !i.is_empty()) {
                    Some(input) if !instruction.is_empty() => {
                        format!("{instruction}{TURN_SEPARATOR}{input}")
                    }
                    Some(input) => input.to_string(),
                    None => instruction.to_string(),
                };
                b.push(Role::User, &user, None);
                b.push(Role::Assistant, required_string(output)?, None);
            }
            ChatFields::Preference {
                system,
                prompt,
                chosen,
                rejected,
            } => read_preference(
                record,
                optional_string(system)?,
                prompt,
                chosen,
                rejected,
                &mut b,
            )?,
        }
        b.finish()
    }
}

/// The (role, content) keys of a message list, from its first item: it must
/// be an object with a string role.
fn message_keys(items: &[Value]) -> Option<(&'static str, &'static str)> {
    let first = items.first()?.as_object()?;
    MESSAGE_KEYS
        .iter()
        .copied()
        .find(|(role, _)| first.get(*role).is_some_and(Value::is_string))
}

/// Appends the messages of `items` (the list in field `list`).
fn read_messages(
    list: &str,
    items: &[Value],
    (role_key, content_key): (&str, &str),
    branch: Option<Branch>,
    b: &mut ConversationBuilder,
) -> Result<(), String> {
    for (i, item) in items.iter().enumerate() {
        let Some(message) = item.as_object() else {
            return Err(format!("{list}[{i}] is not a message object"));
        };
        let Some(role) = message.get(role_key).and_then(Value::as_str) else {
            return Err(format!("{list}[{i}] has no string \"{role_key}\""));
        };
        let (content, skipped) = content_of(message.get(content_key)).ok_or_else(|| {
            format!("{list}[{i}].{content_key} is neither text nor a list of parts")
        })?;
        let calls = match message.get("tool_calls") {
            Some(Value::Array(calls)) => calls.len(),
            _ => 0,
        };
        b.skip(skipped + calls);
        b.push(Role::from_name(role), &content, branch);
    }
    Ok(())
}

/// A message's text and how many non-text parts it skipped: a string; a list
/// of parts (text parts joined by [`TURN_SEPARATOR`]); a single part object;
/// null or missing as empty. `None` for anything else (a number, say).
fn content_of(value: Option<&Value>) -> Option<(String, usize)> {
    let part_text = |part: &Value| -> Option<String> {
        match part {
            Value::String(s) => Some(s.clone()),
            Value::Object(p) => {
                let text_type = p.get("type").is_none_or(|t| t == "text");
                match p.get("text") {
                    Some(Value::String(s)) if text_type => Some(s.clone()),
                    _ => None,
                }
            }
            _ => None,
        }
    };
    match value {
        None | Some(Value::Null) => Some((String::new(), 0)),
        Some(Value::String(s)) => Some((s.clone(), 0)),
        Some(Value::Array(parts)) => {
            let texts: Vec<String> = parts.iter().filter_map(part_text).collect();
            let skipped = parts.len() - texts.len();
            Some((texts.join(TURN_SEPARATOR), skipped))
        }
        Some(part @ Value::Object(_)) => {
            Some(part_text(part).map_or((String::new(), 1), |t| (t, 0)))
        }
        Some(_) => None,
    }
}

/// One side of a preference record: a string or a message list.
enum Answer<'a> {
    Text(&'a str),
    Messages(&'a [Value], (&'static str, &'static str)),
}

fn answer<'a>(record: &'a Map<String, Value>, field: &str) -> Result<Answer<'a>, String> {
    match record.get(field) {
        Some(Value::String(s)) => Ok(Answer::Text(s)),
        Some(Value::Array(items)) if items.is_empty() => {
            Ok(Answer::Messages(items, ("role", "content")))
        }
        Some(Value::Array(items)) => message_keys(items)
            .map(|keys| Answer::Messages(items, keys))
            .ok_or_else(|| format!("field \"{field}\" is not a list of messages")),
        None | Some(Value::Null) => Err(format!("no field \"{field}\" in this record")),
        Some(_) => Err(format!(
            "field \"{field}\" is neither text nor a list of messages"
        )),
    }
}

/// Whether two messages have the same role and content.
fn same_message(a: &Value, b: &Value, ka: (&str, &str), kb: (&str, &str)) -> bool {
    a.get(ka.0) == b.get(kb.0) && a.get(ka.1) == b.get(kb.1)
}

fn read_preference(
    record: &Map<String, Value>,
    system: Option<&str>,
    prompt: &Option<String>,
    chosen: &str,
    rejected: &str,
    b: &mut ConversationBuilder,
) -> Result<(), String> {
    let chosen_answer = answer(record, chosen)?;
    let rejected_answer = answer(record, rejected)?;
    // The messages both answers start with are the prompt.
    let shared = match (&chosen_answer, &rejected_answer) {
        (Answer::Messages(c, kc), Answer::Messages(r, kr)) => c
            .iter()
            .zip(r.iter())
            .take_while(|(x, y)| same_message(x, y, *kc, *kr))
            .count(),
        _ => 0,
    };
    let prompt_starts_with_system = |items: &[Value], keys: (&str, &str)| {
        items
            .first()
            .and_then(|m| m.get(keys.0)?.as_str())
            .is_some_and(|r| Role::from_name(r) == Role::System)
    };
    let prompt_value = prompt
        .as_deref()
        .and_then(|p| record.get(p).map(|v| (p, v)));
    let has_system = match (&chosen_answer, shared, prompt_value) {
        (Answer::Messages(c, kc), 1.., _) => prompt_starts_with_system(c, *kc),
        (_, _, Some((_, Value::Array(items)))) => {
            message_keys(items).is_some_and(|k| prompt_starts_with_system(items, k))
        }
        _ => false,
    };
    if let Some(s) = system.filter(|_| !has_system) {
        b.push(Role::System, s, None);
    }
    if let (Answer::Messages(c, kc), 1..) = (&chosen_answer, shared) {
        read_messages(chosen, &c[..shared], *kc, None, b)?;
    } else {
        match prompt_value {
            None | Some((_, Value::Null)) => {}
            Some((_, Value::String(s))) => b.push(Role::User, s, None),
            Some((p, Value::Array(items))) => match message_keys(items) {
                Some(keys) => read_messages(p, items, keys, None, b)?,
                None if items.is_empty() => {}
                None => return Err(format!("field \"{p}\" is not a list of messages")),
            },
            Some((p, _)) => {
                return Err(format!(
                    "field \"{p}\" is neither text nor a list of messages"
                ))
            }
        }
    }
    for (field, side, branch) in [
        (chosen, chosen_answer, Branch::Chosen),
        (rejected, rejected_answer, Branch::Rejected),
    ] {
        match side {
            Answer::Text(s) => b.push(Role::Assistant, s, Some(branch)),
            Answer::Messages(items, keys) => {
                read_messages(
                    field,
                    &items[shared.min(items.len())..],
                    keys,
                    Some(branch),
                    b,
                )?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
