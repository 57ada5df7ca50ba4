//! Looking at two duplicates side by side: a word-level diff and their
//! estimated (MinHash) and exact (shingle set) Jaccard similarity.

use crate::dedup::{estimate_jaccard, MinHashParams, Shingler};
use serde::{Deserialize, Serialize};
use similar::{ChangeTag, TextDiff};

/// Characters of each text a diff looks at: a diff costs up to the product
/// of the lengths, so very long documents are compared on their start.
pub const DIFF_CHARS: usize = 20_000;

/// Whether a piece of a diff is in both texts, or only the new or the old.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Change {
    Same,
    Added,
    Removed,
}

/// A run of words with one [`Change`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiffPiece {
    pub change: Change,
    pub text: String,
}

/// `old` → `new` word by word (words and the spaces between them), adjacent
/// pieces of one kind merged; the second value says whether either text was
/// cut to [`DIFF_CHARS`].
pub fn word_diff(old: &str, new: &str) -> (Vec<DiffPiece>, bool) {
    let ((old, a), (new, b)) = (cut(old), cut(new));
    let diff = TextDiff::configure().diff_unicode_words(old, new);
    let mut pieces: Vec<DiffPiece> = Vec::new();
    for change in diff.iter_all_changes() {
        let kind = match change.tag() {
            ChangeTag::Equal => Change::Same,
            ChangeTag::Insert => Change::Added,
            ChangeTag::Delete => Change::Removed,
        };
        match pieces.last_mut() {
            Some(last) if last.change == kind => last.text.push_str(change.value()),
            _ => pieces.push(DiffPiece {
                change: kind,
                text: change.value().to_string(),
            }),
        }
    }
    (pieces, a || b)
}

/// `text` up to [`DIFF_CHARS`] characters, and whether it was cut.
fn cut(text: &str) -> (&str, bool) {
    match text.char_indices().nth(DIFF_CHARS) {
        Some((end, _)) => (&text[..end], true),
        None => (text, false),
    }
}

/// Exact Jaccard similarity of the shingle sets of two texts, shingled as
/// `params` says.
pub fn exact_jaccard(a: &str, b: &str, params: &MinHashParams) -> f64 {
    let mut shingler = Shingler::new(params.shingle);
    let x = shingler.shingle_set(a);
    x.jaccard(&shingler.shingle_set(b))
}

/// MinHash estimate of the Jaccard similarity from two signatures.
pub fn estimated_jaccard(a: &[u32], b: &[u32]) -> f64 {
    estimate_jaccard(a, b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn side(pieces: &[DiffPiece], skip: Change) -> String {
        pieces
            .iter()
            .filter(|p| p.change != skip)
            .map(|p| p.text.as_str())
            .collect()
    }

    #[test]
    fn marks_the_changed_words() {
        let (pieces, cut) = word_diff(
            "the GNU General Public License version 2",
            "the GNU Lesser General Public License version 3",
        );
        assert!(!cut);
        let added: Vec<&str> = pieces
            .iter()
            .filter(|p| p.change == Change::Added)
            .map(|p| p.text.trim())
            .collect();
        let removed: Vec<&str> = pieces
            .iter()
            .filter(|p| p.change == Change::Removed)
            .map(|p| p.text.trim())
            .collect();
        assert_eq!(added, ["Lesser", "3"]);
        assert_eq!(removed, ["2"]);
    }

    #[test]
    fn exact_jaccard_of_word_shingles() {
        let p = MinHashParams {
            shingle: crate::dedup::ShingleKind::Words(1),
            ..MinHashParams::default()
        };
        // {a, b, c} and {b, c, d}: 2 of 4.
        assert_eq!(exact_jaccard("a b c", "b c d", &p), 0.5);
        assert_eq!(exact_jaccard("a b", "a b", &p), 1.0);
    }

    proptest! {
        /// The old text is the same and removed pieces, the new one the same
        /// and added pieces.
        #[test]
        fn both_texts_come_back(old in "[a-c ]{0,60}", new in "[a-c ]{0,60}") {
            let (pieces, _) = word_diff(&old, &new);
            prop_assert_eq!(side(&pieces, Change::Added), old);
            prop_assert_eq!(side(&pieces, Change::Removed), new);
        }
    }
}
