//! Conversation figures: turns per conversation, tokens per role, the share
//! an assistant-only loss mask trains on.
//!
//! * **Tokens per role** come from each turn's content tokenized on its own
//!   (no special tokens, as the document's count), so
//!   [`ChatStats::turn_tokens`], their sum, may differ from
//!   [`ChatStats::conversation_tokens`], the conversations' whole texts, by
//!   the separators between turns and merges across them. Both are reported.
//! * **Trained share** ([`ChatStats::assistant_share`]) is assistant tokens /
//!   all turn tokens: the tokens an SFT loss masked to assistant turns trains
//!   on (for preference data: both answers, as DPO's loss reads both).
//! * **Assistant/user ratio** is assistant tokens / user tokens; `None`
//!   without user tokens. Long answers to short prompts are typical of
//!   distilled (synthetic) data, comparable lengths of human conversations.

use serde::{Deserialize, Serialize};

use super::{ratio, TokenHistogram, TokenSummary, TokenTally};
use crate::chat::{Branch, Conversation, Role, RoleCounts};

/// What one conversation document contributes, from the [`Analyzer`](crate::analyze::Analyzer).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatFacts {
    /// Turns in the conversation.
    pub turns: u32,
    /// Turns per role.
    pub role_turns: RoleCounts,
    /// Tokens per role, each turn's content tokenized on its own.
    pub role_tokens: RoleCounts,
    /// Tokens of the turns of a preference record's chosen answer.
    pub chosen_tokens: u64,
    /// Tokens of the turns of its rejected answer.
    pub rejected_tokens: u64,
    /// Content parts skipped (not text).
    pub skipped_parts: u32,
}

impl ChatFacts {
    /// The facts of `conversation`, its turns' contents being slices of
    /// `text`, given each turn's token count in order.
    pub fn new(
        conversation: &Conversation,
        turn_tokens: impl IntoIterator<Item = usize>,
    ) -> ChatFacts {
        let mut facts = ChatFacts {
            turns: u32::try_from(conversation.turns.len()).unwrap_or(u32::MAX),
            skipped_parts: conversation.skipped_parts,
            ..ChatFacts::default()
        };
        for (turn, tokens) in conversation.turns.iter().zip(turn_tokens) {
            let tokens = tokens as u64;
            facts.role_turns.add(turn.role, 1);
            facts.role_tokens.add(turn.role, tokens);
            match turn.branch {
                Some(Branch::Chosen) => facts.chosen_tokens += tokens,
                Some(Branch::Rejected) => facts.rejected_tokens += tokens,
                None => {}
            }
        }
        facts
    }
}

/// Conversation figures of one source (or of the whole corpus).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ChatStats {
    /// Documents that are conversations.
    pub conversations: u64,
    /// Documents that are plain text.
    pub plain_documents: u64,
    /// Turns per conversation (the summary's `total` is all turns).
    pub turns: TokenSummary,
    /// Conversations by turns, on power-of-two bins.
    pub turns_histogram: TokenHistogram,
    /// Turns per role.
    pub role_turns: RoleCounts,
    /// Tokens per role, each turn tokenized on its own.
    pub role_tokens: RoleCounts,
    /// The sum of `role_tokens`.
    pub turn_tokens: u64,
    /// Tokens of the conversations' whole texts (turns and separators).
    pub conversation_tokens: u64,
    /// Tokens of preference records' chosen answers.
    pub chosen_tokens: u64,
    /// Tokens of their rejected answers.
    pub rejected_tokens: u64,
    /// Content parts skipped (images, audio, tool calls).
    pub skipped_parts: u64,
    /// Assistant tokens / `turn_tokens`: what an assistant-only loss mask
    /// trains on; 0 without turns.
    pub assistant_share: f64,
    /// Assistant tokens / user tokens; `None` without user tokens.
    pub assistant_user_ratio: Option<f64>,
}

/// Gathers conversation facts, in document order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatTally {
    plain_documents: u64,
    /// Turns of each conversation (as a token tally of no bytes).
    turns: TokenTally,
    role_turns: RoleCounts,
    role_tokens: RoleCounts,
    conversation_tokens: u64,
    chosen_tokens: u64,
    rejected_tokens: u64,
    skipped_parts: u64,
}

impl ChatTally {
    /// Adds a document of `tokens` tokens, a conversation when `facts` is set.
    pub fn add(&mut self, facts: Option<&ChatFacts>, tokens: usize) {
        let Some(f) = facts else {
            self.plain_documents += 1;
            return;
        };
        self.turns.add(0, f.turns as usize);
        self.role_turns.merge(&f.role_turns);
        self.role_tokens.merge(&f.role_tokens);
        self.conversation_tokens += tokens as u64;
        self.chosen_tokens += f.chosen_tokens;
        self.rejected_tokens += f.rejected_tokens;
        self.skipped_parts += u64::from(f.skipped_parts);
    }

    /// Adds `other`'s documents, as if they came after these.
    pub fn merge(&mut self, other: &ChatTally) {
        self.plain_documents += other.plain_documents;
        self.turns.merge(&other.turns);
        self.role_turns.merge(&other.role_turns);
        self.role_tokens.merge(&other.role_tokens);
        self.conversation_tokens += other.conversation_tokens;
        self.chosen_tokens += other.chosen_tokens;
        self.rejected_tokens += other.rejected_tokens;
        self.skipped_parts += other.skipped_parts;
    }

    /// Conversations tallied.
    pub fn conversations(&self) -> u64 {
        self.turns.counts.len() as u64
    }

    /// The figures.
    pub fn stats(&self) -> ChatStats {
        let turns = self.turns.stats();
        let turn_tokens = self.role_tokens.total();
        let assistant = self.role_tokens.get(Role::Assistant) as f64;
        let user = self.role_tokens.get(Role::User);
        ChatStats {
            conversations: self.conversations(),
            plain_documents: self.plain_documents,
            turns: turns.tokens,
            turns_histogram: turns.histogram,
            role_turns: self.role_turns,
            role_tokens: self.role_tokens,
            turn_tokens,
            conversation_tokens: self.conversation_tokens,
            chosen_tokens: self.chosen_tokens,
            rejected_tokens: self.rejected_tokens,
            skipped_parts: self.skipped_parts,
            assistant_share: ratio(assistant, turn_tokens as f64),
            assistant_user_ratio: (user > 0).then(|| assistant / user as f64),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chat::ConversationBuilder;

    #[test]
    fn facts_and_figures() {
        let mut b = ConversationBuilder::default();
        b.push(Role::User, "q", None);
        b.push(Role::Assistant, "good", Some(Branch::Chosen));
        b.push(Role::Assistant, "bad", Some(Branch::Rejected));
        b.skip(2);
        let (_, conv) = b.finish().unwrap();
        let facts = ChatFacts::new(&conv, [2, 6, 4]);
        assert_eq!(facts.turns, 3);
        assert_eq!(
            (facts.role_tokens.user, facts.role_tokens.assistant),
            (2, 10)
        );
        assert_eq!((facts.chosen_tokens, facts.rejected_tokens), (6, 4));
        assert_eq!(facts.role_turns.assistant, 2);

        let mut tally = ChatTally::default();
        tally.add(Some(&facts), 14);
        tally.add(None, 5);
        let mut other = ChatTally::default();
        other.add(Some(&facts), 13);
        tally.merge(&other);
        let s = tally.stats();
        assert_eq!((s.conversations, s.plain_documents), (2, 1));
        assert_eq!((s.turns.total, s.turns.p50), (6, 3.0));
        assert_eq!(s.turns_histogram.documents(), 2);
        assert_eq!((s.turn_tokens, s.conversation_tokens), (24, 27));
        assert_eq!(s.skipped_parts, 4);
        assert!((s.assistant_share - 20.0 / 24.0).abs() < 1e-12);
        assert_eq!(s.assistant_user_ratio, Some(5.0));
        assert_eq!(ChatTally::default().stats(), ChatStats::default());
    }
}
