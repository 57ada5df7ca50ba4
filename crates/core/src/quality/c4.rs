//! C4's quality and paragraph filters (datatrove's `c4_filters.py`,
//! `C4QualityFilter` and `C4ParagraphFilter`), with datatrove's defaults:
//! lines split with `splitlines`, citations removed, lines without terminal
//! punctuation, with fewer than 3 words or a word over 1000 characters, or
//! mentioning javascript or a policy phrase are dropped; a document needs 5
//! sentences in the lines it keeps, and none with "lorem ipsum" or `{`.

use super::text::{char_len, split_whitespace, splitlines, strip};
use super::words::count_sentences;
use super::{Measure, Rule};

const POLICY: [&str; 6] = [
    "terms of use",
    "privacy policy",
    "cookie policy",
    "uses cookies",
    "use of cookies",
    "use cookies",
];

/// Every rule of the C4 quality filter on `text`, in the order datatrove
/// would meet them: "lorem ipsum" and `{` by the line they first appear on
/// (datatrove stops there; here the other lines are still read, without
/// counting the sentences of such a line), then the sentence count.
pub fn quality(text: &str) -> Vec<Measure> {
    let mut sentences = 0usize;
    let mut lorem: Option<usize> = None;
    let mut curly: Option<usize> = None;
    let mut line_text = String::new();
    for (index, line) in splitlines(text).into_iter().enumerate() {
        let line = strip(line);
        let mut n_words = 0;
        let mut too_long = false;
        for word in split_whitespace(line) {
            n_words += 1;
            too_long |= word.len() > 1000 && char_len(word) > 1000;
        }
        if too_long {
            continue;
        }
        let line: &str = if line.contains('[') {
            remove_citations(line, &mut line_text);
            &line_text
        } else {
            line
        };
        if !line.ends_with(['.', '?', '!', '"', '\'']) || line.ends_with("...") {
            continue;
        }
        if n_words < 3 {
            continue;
        }
        let lower = line.to_lowercase();
        if lower.contains("lorem ipsum") {
            lorem.get_or_insert(index);
            continue;
        }
        if lower.contains("javascript") {
            continue;
        }
        if line.contains('{') {
            curly.get_or_insert(index);
            continue;
        }
        if POLICY.iter().any(|p| lower.contains(p)) {
            continue;
        }
        sentences += count_sentences(line);
    }
    let mut out = Vec::with_capacity(3);
    let mut doc_rules = [(lorem, Rule::LoremIpsum), (curly, Rule::CurlyBracket)];
    doc_rules.sort_by_key(|(at, _)| at.unwrap_or(usize::MAX));
    for (at, rule) in doc_rules {
        out.push(Measure::new(
            rule,
            at.is_some() as u8 as f64,
            0.0,
            at.is_some(),
        ));
    }
    out.push(Measure::below(Rule::TooFewSentences, sentences as f64, 5.0));
    out
}

/// `CITATION_REGEX.sub("", line)`: removes `[digits]`, `[edit]` and
/// `[citation needed]` (digits in Python's Unicode sense).
fn remove_citations(line: &str, out: &mut String) {
    out.clear();
    let mut rest = line;
    while let Some(open) = rest.find('[') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let digits = after
            .char_indices()
            .find(|&(_, c)| !is_python_digit(c))
            .map_or(after.len(), |(i, _)| i);
        let skip = if after[digits..].starts_with(']') {
            Some(digits + 1)
        } else if after.starts_with("edit]") {
            Some(5)
        } else if after.starts_with("citation needed]") {
            Some(16)
        } else {
            None
        };
        match skip {
            Some(n) => rest = &after[n..],
            None => {
                out.push('[');
                rest = after;
            }
        }
    }
    out.push_str(rest);
}

/// `\d` of Python's `re` on str: general category Nd.
fn is_python_digit(c: char) -> bool {
    use unicode_categories::UnicodeCategories;
    c.is_ascii_digit() || (!c.is_ascii() && c.is_number_decimal_digit())
}

/// The C4 paragraph rule: at least 3 lines (split on `\n`) of 200 characters.
/// The value is the third-longest line's length (0 with fewer than 3 lines).
pub fn paragraph(text: &str) -> Vec<Measure> {
    let mut top = [0usize; 3];
    let mut lines = 0;
    for line in text.split('\n') {
        lines += 1;
        let len = char_len(line);
        if len > top[2] {
            top[2] = len;
            top.sort_unstable_by(|a, b| b.cmp(a));
        }
    }
    let third = if lines < 3 { 0 } else { top[2] };
    vec![Measure::new(
        Rule::C4Paragraphs,
        third as f64,
        200.0,
        lines < 3 || third < 200,
    )]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn citations() {
        let mut out = String::new();
        remove_citations(
            "A fact.[1] More[edit] [x] [citation needed][] end[",
            &mut out,
        );
        assert_eq!(out, "A fact. More [x]  end[");
    }
}
