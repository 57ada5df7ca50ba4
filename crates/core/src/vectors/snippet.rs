//! Search result snippets: a window of a document's text around the first
//! query word it contains, cut into plain and matching pieces.

use super::bm25::words;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// A piece of a snippet; `hit` when it is a word of the query.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Piece {
    pub text: String,
    pub hit: bool,
}

/// About `width` characters of `text` around the first word of `query` it
/// holds (words as BM25 counts them: alphanumeric runs, any case), or its
/// start when it holds none. The pieces, joined, are a substring of `text`,
/// marked "…" at a cut end only through the `cut_*` flags.
pub fn snippet(text: &str, query: &str, width: usize) -> (Vec<Piece>, bool, bool) {
    let wanted: HashSet<String> = words(query).collect();
    let runs = word_runs(text);
    let is_hit = |r: &(usize, usize)| wanted.contains(&text[r.0..r.1].to_lowercase());
    let first = runs.iter().find(|r| is_hit(r)).map_or(0, |r| r.0);
    // Start a third of the width before the first hit, on a char boundary.
    let before = width / 3;
    let start = text[..first]
        .char_indices()
        .rev()
        .nth(before.saturating_sub(1))
        .map_or(0, |(i, _)| i)
        .min(first);
    let start = if first == 0 { 0 } else { start };
    let end = text[start..]
        .char_indices()
        .nth(width)
        .map_or(text.len(), |(i, _)| start + i);
    let mut pieces = Vec::new();
    let mut at = start;
    for &(a, b) in runs.iter().filter(|r| r.0 >= start && r.1 <= end) {
        if is_hit(&(a, b)) {
            if a > at {
                pieces.push(Piece {
                    text: text[at..a].to_string(),
                    hit: false,
                });
            }
            pieces.push(Piece {
                text: text[a..b].to_string(),
                hit: true,
            });
            at = b;
        }
    }
    if end > at {
        pieces.push(Piece {
            text: text[at..end].to_string(),
            hit: false,
        });
    }
    (pieces, start > 0, end < text.len())
}

/// Byte ranges of the alphanumeric runs of `text`.
fn word_runs(text: &str) -> Vec<(usize, usize)> {
    let mut runs = Vec::new();
    let mut open: Option<usize> = None;
    for (i, c) in text.char_indices() {
        match (c.is_alphanumeric(), open) {
            (true, None) => open = Some(i),
            (false, Some(s)) => {
                runs.push((s, i));
                open = None;
            }
            _ => {}
        }
    }
    if let Some(s) = open {
        runs.push((s, text.len()));
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn joined(pieces: &[Piece]) -> String {
        pieces.iter().map(|p| p.text.as_str()).collect()
    }

    #[test]
    fn marks_query_words_in_any_case() {
        let (pieces, cut_start, cut_end) = snippet("The Corpus holds a corpus.", "corpus", 100);
        assert!(!cut_start && !cut_end);
        let hits: Vec<&str> = pieces
            .iter()
            .filter(|p| p.hit)
            .map(|p| p.text.as_str())
            .collect();
        assert_eq!(hits, ["Corpus", "corpus"]);
        assert_eq!(joined(&pieces), "The Corpus holds a corpus.");
    }

    #[test]
    fn centres_on_the_first_hit_and_says_where_it_cut() {
        let text = format!("{} needle {}", "a ".repeat(500), "b ".repeat(500));
        let (pieces, cut_start, cut_end) = snippet(&text, "NEEDLE", 60);
        assert!(cut_start && cut_end);
        assert!(pieces.iter().any(|p| p.hit && p.text == "needle"));
        assert!(joined(&pieces).chars().count() <= 60);
    }

    #[test]
    fn does_not_match_inside_longer_words() {
        let (pieces, _, _) = snippet("tokens tokenizer token", "token", 100);
        let hits: Vec<&str> = pieces
            .iter()
            .filter(|p| p.hit)
            .map(|p| p.text.as_str())
            .collect();
        assert_eq!(hits, ["token"]);
    }

    proptest! {
        #[test]
        fn pieces_are_a_substring_and_hits_are_query_words(
            text in "\\PC{0,300}",
            query in "[a-zA-Zé ]{0,12}",
            width in 1usize..200,
        ) {
            let (pieces, cut_start, cut_end) = snippet(&text, &query, width);
            let s = joined(&pieces);
            prop_assert!(text.contains(&s));
            prop_assert!(s.chars().count() <= width);
            if !cut_start { prop_assert!(text.starts_with(&s)); }
            if !cut_end { prop_assert!(text.ends_with(&s)); }
            let wanted: HashSet<String> = words(&query).collect();
            for p in pieces.iter().filter(|p| p.hit) {
                prop_assert!(wanted.contains(&p.text.to_lowercase()));
            }
        }
    }
}
