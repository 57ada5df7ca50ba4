//! Conversations as documents: chat, instruction and preference records read
//! into one text with its turns.
//!
//! **Rendering.** A conversation's document text is its turns' contents, in
//! order, separated by [`TURN_SEPARATOR`] (a blank line), without role labels
//! or any chat template. A turn whose content is empty adds no separator and
//! keeps a zero-length span where it stands. So two conversations with the
//! same contents are exact duplicates whatever their roles, search finds the
//! words people wrote, and the document's token count is the contents' tokens
//! plus a few separator tokens, never template tokens (those depend on a
//! model's chat template, which [`Turn`] spans let a renderer apply later).
//!
//! **Roles** are normalised ([`Role::from_name`]): `system`; `user`, `human`,
//! `prompter` → user; `assistant`, `gpt`, `bot`, `model`, `chatgpt`, and
//! ShareGPT's `function_call` (the model's call is its output) → assistant;
//! `tool`, `function`, `ipython`, `observation` (a tool's answer) → tool;
//! anything else → other, kept and counted.
//!
//! **Content** is a string, or a list of parts of which only text parts
//! (`{"type": "text", "text": …}`, or bare strings) are read, joined by
//! [`TURN_SEPARATOR`]; other parts (images, audio, …) and OpenAI `tool_calls`
//! are skipped and counted in [`Conversation::skipped_parts`]. A `null` or
//! missing content is an empty turn.
//!
//! The record shapes and their fields are [`ChatFields`].

mod shape;

pub use shape::{ChatFields, ChatShape, CONVERSATION_FIELDS};

use serde::{Deserialize, Serialize};

/// What separates two turns' contents in a conversation's text, and two text
/// parts within one turn's content.
pub const TURN_SEPARATOR: &str = "\n\n";

/// Who speaks a turn, normalised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    System,
    User,
    Assistant,
    Tool,
    /// A role name not recognised.
    Other,
}

impl Role {
    /// Every role, in the order reports list them.
    pub const ALL: [Role; 5] = [
        Role::System,
        Role::User,
        Role::Assistant,
        Role::Tool,
        Role::Other,
    ];

    /// The normalised role of a record's role name (case and surrounding
    /// space ignored); see the module documentation for the mapping.
    pub fn from_name(name: &str) -> Role {
        match name.trim().to_ascii_lowercase().as_str() {
            "system" | "developer" => Role::System,
            "user" | "human" | "prompter" => Role::User,
            "assistant" | "gpt" | "bot" | "model" | "chatgpt" | "function_call" => Role::Assistant,
            "tool" | "function" | "ipython" | "observation" | "tool_response" => Role::Tool,
            _ => Role::Other,
        }
    }

    /// The role's name in reports: `system`, `user`, `assistant`, `tool`, `other`.
    pub fn name(self) -> &'static str {
        match self {
            Role::System => "system",
            Role::User => "user",
            Role::Assistant => "assistant",
            Role::Tool => "tool",
            Role::Other => "other",
        }
    }
}

/// Which answer of a preference record a turn belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Branch {
    Chosen,
    Rejected,
}

/// One turn of a conversation: its role and where its content lies in the
/// document's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Turn {
    pub role: Role,
    /// Byte offset of the content's start in the text.
    pub start: u32,
    /// Byte offset just past the content's end.
    pub end: u32,
    /// In a preference record, the chosen or rejected answer this turn is
    /// part of; `None` for the prompt and for other conversations.
    #[serde(default)]
    pub branch: Option<Branch>,
}

impl Turn {
    /// The turn's byte range in the text.
    pub fn range(&self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// The turns of a conversation document.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conversation {
    /// In order; never empty (a record without turns is rejected).
    pub turns: Vec<Turn>,
    /// Content parts that are not text (images, audio, tool calls), skipped.
    #[serde(default)]
    pub skipped_parts: u32,
}

impl Conversation {
    /// Each turn with its content, a slice of `text` (the document's text);
    /// a span outside `text` gives an empty content.
    pub fn turns_in<'a>(&'a self, text: &'a str) -> impl Iterator<Item = (&'a Turn, &'a str)> {
        self.turns
            .iter()
            .map(move |t| (t, text.get(t.range()).unwrap_or("")))
    }
}

/// Builds a conversation's text and turns by the rendering rule.
#[derive(Debug, Default)]
pub struct ConversationBuilder {
    text: String,
    turns: Vec<Turn>,
    skipped_parts: u32,
}

impl ConversationBuilder {
    /// Appends a turn.
    pub fn push(&mut self, role: Role, content: &str, branch: Option<Branch>) {
        if !content.is_empty() && !self.text.is_empty() {
            self.text.push_str(TURN_SEPARATOR);
        }
        let start = offset(self.text.len());
        self.text.push_str(content);
        self.turns.push(Turn {
            role,
            start,
            end: offset(self.text.len()),
            branch,
        });
    }

    /// Counts `n` skipped content parts.
    pub fn skip(&mut self, n: usize) {
        self.skipped_parts = self
            .skipped_parts
            .saturating_add(u32::try_from(n).unwrap_or(u32::MAX));
    }

    /// Turns so far.
    pub fn len(&self) -> usize {
        self.turns.len()
    }

    /// Whether no turn was pushed.
    pub fn is_empty(&self) -> bool {
        self.turns.is_empty()
    }

    /// The text and the conversation, or why there is none (no turn).
    pub fn finish(self) -> Result<(String, Conversation), String> {
        if self.turns.is_empty() {
            return Err("the conversation has no turns".into());
        }
        Ok((
            self.text,
            Conversation {
                turns: self.turns,
                skipped_parts: self.skipped_parts,
            },
        ))
    }
}

/// A byte offset as stored in a [`Turn`]. Records are far below 4 GiB (the
/// readers cap them); a larger offset saturates.
fn offset(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Counts per role.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleCounts {
    pub system: u64,
    pub user: u64,
    pub assistant: u64,
    pub tool: u64,
    pub other: u64,
}

impl RoleCounts {
    /// The count of `role`.
    pub fn get(&self, role: Role) -> u64 {
        match role {
            Role::System => self.system,
            Role::User => self.user,
            Role::Assistant => self.assistant,
            Role::Tool => self.tool,
            Role::Other => self.other,
        }
    }

    /// Adds `n` to `role`.
    pub fn add(&mut self, role: Role, n: u64) {
        let slot = match role {
            Role::System => &mut self.system,
            Role::User => &mut self.user,
            Role::Assistant => &mut self.assistant,
            Role::Tool => &mut self.tool,
            Role::Other => &mut self.other,
        };
        *slot += n;
    }

    /// Adds every role of `other`.
    pub fn merge(&mut self, other: &RoleCounts) {
        for role in Role::ALL {
            self.add(role, other.get(role));
        }
    }

    /// The sum over roles.
    pub fn total(&self) -> u64 {
        Role::ALL.iter().map(|&r| self.get(r)).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn roles_are_normalised() {
        let cases = [
            ("system", Role::System),
            ("human", Role::User),
            (" User ", Role::User),
            ("gpt", Role::Assistant),
            ("ASSISTANT", Role::Assistant),
            ("function_call", Role::Assistant),
            ("observation", Role::Tool),
            ("tool", Role::Tool),
            ("narrator", Role::Other),
            ("", Role::Other),
        ];
        for (name, role) in cases {
            assert_eq!(Role::from_name(name), role, "{name}");
        }
    }

    #[test]
    fn turns_are_joined_by_blank_lines_and_empty_turns_add_nothing() {
        let mut b = ConversationBuilder::default();
        b.push(Role::System, "", None);
        b.push(Role::User, "Hi", None);
        b.push(Role::Assistant, "", None);
        b.push(Role::Assistant, "Hello!", None);
        let (text, conv) = b.finish().unwrap();
        assert_eq!(text, "Hi\n\nHello!");
        let got: Vec<(Role, &str)> = conv.turns_in(&text).map(|(t, c)| (t.role, c)).collect();
        assert_eq!(
            got,
            [
                (Role::System, ""),
                (Role::User, "Hi"),
                (Role::Assistant, ""),
                (Role::Assistant, "Hello!")
            ]
        );
        assert!(ConversationBuilder::default().finish().is_err());
    }

    const ROLE_NAMES: [&str; 8] = [
        "system",
        "user",
        "assistant",
        "tool",
        "human",
        "gpt",
        "observation",
        "someone",
    ];

    fn arb_turns() -> impl Strategy<Value = Vec<(usize, String)>> {
        proptest::collection::vec((0..ROLE_NAMES.len(), "(\\PC|\n){0,12}"), 1..8)
    }

    proptest! {
        /// Spans cover the text in order: each is its turn's content, the
        /// text is the non-empty contents joined by the separator, and the
        /// per-role sums add up to the turns'.
        #[test]
        fn spans_cover_the_text_in_order(turns in arb_turns()) {
            let record = serde_json::json!({"messages": turns
                .iter()
                .map(|(r, c)| serde_json::json!({"role": ROLE_NAMES[*r], "content": c}))
                .collect::<Vec<_>>()});
            let record = record.as_object().cloned().unwrap_or_default();
            let fields = ChatFields::detect(&record);
            prop_assert!(fields.is_some());
            let (text, conv) = fields.unwrap().read(&record).unwrap();
            prop_assert_eq!(conv.turns.len(), turns.len());
            let mut last = 0;
            for ((turn, content), (r, c)) in conv.turns_in(&text).zip(&turns) {
                prop_assert_eq!(turn.role, Role::from_name(ROLE_NAMES[*r]));
                prop_assert_eq!(content, c.as_str());
                prop_assert!(turn.start as usize >= last && turn.start <= turn.end);
                last = turn.end as usize;
            }
            prop_assert!(last <= text.len());
            let joined: Vec<&str> = turns.iter().map(|(_, c)| c.as_str()).filter(|c| !c.is_empty()).collect();
            prop_assert_eq!(&text, &joined.join(TURN_SEPARATOR));
            let counts: Vec<usize> = turns.iter().map(|(_, c)| c.chars().count()).collect();
            let facts = crate::stats::ChatFacts::new(&conv, counts.iter().copied());
            prop_assert_eq!(facts.role_tokens.total(), counts.iter().sum::<usize>() as u64);
            prop_assert_eq!(facts.role_turns.total(), turns.len() as u64);
            prop_assert_eq!(facts.turns as usize, turns.len());
        }
    }

    #[test]
    fn role_counts_add_up() {
        let mut a = RoleCounts::default();
        a.add(Role::User, 3);
        a.add(Role::Other, 1);
        let mut b = RoleCounts::default();
        b.add(Role::User, 2);
        b.merge(&a);
        assert_eq!((b.user, b.other, b.total()), (5, 1, 6));
    }
}
