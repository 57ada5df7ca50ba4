//! Gopher's quality and repetition rules (datatrove's
//! `gopher_quality_filter.py` and `gopher_repetition_filter.py`), with
//! datatrove's default thresholds.

use rustc_hash::{FxHashMap, FxHashSet};

use super::text::{
    char_len, is_alpha, is_datatrove_punctuation, lstrip, rstrip, splitlines, strip,
};
use super::{Measure, Rule};

/// Gopher's stop words, as datatrove lists them (matched case-sensitively).
const STOP_WORDS: [&str; 8] = ["the", "be", "to", "of", "and", "that", "have", "with"];

/// Every rule of the Gopher quality filter on `text` split into `words`.
pub fn quality(text: &str, words: &[&str]) -> Vec<Measure> {
    let n_words = words.len();
    let non_symbol: Vec<&str> = words
        .iter()
        .copied()
        .filter(|w| w.chars().any(|c| !is_datatrove_punctuation(c)))
        .collect();
    let n_non_symbol = non_symbol.len() as f64;
    let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    // np.mean of no words is NaN, which fails no comparison: such a document
    // is too short anyway. Its value is reported as 0.
    let mean_len = if non_symbol.is_empty() {
        None
    } else {
        Some(non_symbol.iter().map(|w| char_len(w)).sum::<usize>() as f64 / n_non_symbol)
    };
    let hashes = text.matches('#').count();
    let ellipses = text.matches("...").count() + text.matches('…').count();
    let lines = splitlines(text);
    let bullets = lines
        .iter()
        .filter(|l| {
            let l = lstrip(l);
            l.starts_with('•') || l.starts_with('-')
        })
        .count();
    let end_ellipsis = lines
        .iter()
        .filter(|l| {
            let l = rstrip(l);
            l.ends_with("...") || l.ends_with('…')
        })
        .count();
    let alpha_words = words.iter().filter(|w| w.chars().any(is_alpha)).count();
    let present: FxHashSet<&str> = words
        .iter()
        .copied()
        .filter(|w| STOP_WORDS.contains(w))
        .collect();
    let alpha_ratio = ratio(alpha_words, n_words);
    vec![
        Measure::below(Rule::GopherShortDoc, n_non_symbol, 50.0),
        Measure::above(Rule::GopherLongDoc, n_non_symbol, 100_000.0),
        Measure::new(
            Rule::GopherBelowAvgThreshold,
            mean_len.unwrap_or(0.0),
            3.0,
            mean_len.is_some_and(|m| m < 3.0),
        ),
        Measure::new(
            Rule::GopherAboveAvgThreshold,
            mean_len.unwrap_or(0.0),
            10.0,
            mean_len.is_some_and(|m| m > 10.0),
        ),
        Measure::above(Rule::GopherTooManyHashes, ratio(hashes, n_words), 0.1),
        Measure::above(Rule::GopherTooManyEllipsis, ratio(ellipses, n_words), 0.1),
        Measure::above(Rule::GopherTooManyBullets, ratio(bullets, lines.len()), 0.9),
        Measure::above(
            Rule::GopherTooManyEndEllipsis,
            ratio(end_ellipsis, lines.len()),
            0.3,
        ),
        Measure::new(
            Rule::GopherBelowAlphaThreshold,
            alpha_ratio,
            0.8,
            n_words > 0 && alpha_ratio < 0.8,
        ),
        Measure::below(Rule::GopherEnoughStopWords, present.len() as f64, 2.0),
    ]
}

/// Duplicate elements and their characters, after their first occurrence
/// (datatrove's `find_duplicates`).
pub fn find_duplicates<'a>(items: impl IntoIterator<Item = &'a str>) -> (usize, usize) {
    let mut seen = FxHashSet::default();
    let (mut elements, mut chars) = (0, 0);
    for item in items {
        if !seen.insert(item) {
            elements += 1;
            chars += char_len(item);
        }
    }
    (elements, chars)
}

/// Every rule of the Gopher repetition filter on `text` split into `words`.
pub fn repetition(text: &str, words: &[&str]) -> Vec<Measure> {
    if text.is_empty() {
        return vec![Measure::new(Rule::RepetitionEmpty, 1.0, 0.0, true)];
    }
    let len = char_len(text) as f64;
    let mut out = vec![Measure::new(Rule::RepetitionEmpty, 0.0, 0.0, false)];
    let paragraphs = split_paragraphs(strip(text));
    let (para_dups, para_chars) = find_duplicates(paragraphs.iter().copied());
    out.push(Measure::above(
        Rule::DupParaFrac,
        para_dups as f64 / paragraphs.len() as f64,
        0.3,
    ));
    out.push(Measure::above(
        Rule::DupParaCharFrac,
        para_chars as f64 / len,
        0.2,
    ));
    // re.split("\n+", text): empty lines only at the ends.
    let lines = split_newline_runs(text);
    let (line_dups, line_chars) = find_duplicates(lines.iter().copied());
    out.push(Measure::above(
        Rule::DupLineFrac,
        line_dups as f64 / lines.len() as f64,
        0.3,
    ));
    out.push(Measure::above(
        Rule::DupLineCharFrac,
        line_chars as f64 / len,
        0.2,
    ));

    let char_lens: Vec<usize> = words.iter().map(|w| char_len(w)).collect();
    for (n, frac, rule) in [
        (2, 0.2, Rule::Top2Gram),
        (3, 0.18, Rule::Top3Gram),
        (4, 0.16, Rule::Top4Gram),
    ] {
        let value = top_ngram_chars(words, &char_lens, n) as f64 / len;
        out.push(Measure::above(rule, value, frac));
    }
    // The words run together: each n-gram of find_all_duplicate is a slice.
    let joined: String = words.concat();
    let mut byte_at = Vec::with_capacity(words.len() + 1);
    let mut char_at = Vec::with_capacity(words.len() + 1);
    let (mut b, mut c) = (0, 0);
    byte_at.push(0);
    char_at.push(0);
    for (w, &cl) in words.iter().zip(&char_lens) {
        b += w.len();
        c += cl;
        byte_at.push(b);
        char_at.push(c);
    }
    for (n, frac, rule) in [
        (5, 0.15, Rule::Duplicated5NGrams),
        (6, 0.14, Rule::Duplicated6NGrams),
        (7, 0.13, Rule::Duplicated7NGrams),
        (8, 0.12, Rule::Duplicated8NGrams),
        (9, 0.11, Rule::Duplicated9NGrams),
        (10, 0.10, Rule::Duplicated10NGrams),
    ] {
        let value = all_duplicate_chars(&joined, &byte_at, &char_at, n) as f64 / len;
        out.push(Measure::above(rule, value, frac));
    }
    out
}

/// `re.split(r"\n{2,}", text)`.
fn split_paragraphs(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let bytes = text.as_bytes();
    let (mut start, mut i) = (0, 0);
    while i < bytes.len() {
        if bytes[i] == b'\n' && bytes.get(i + 1) == Some(&b'\n') {
            let mut j = i;
            while j < bytes.len() && bytes[j] == b'\n' {
                j += 1;
            }
            parts.push(&text[start..i]);
            start = j;
            i = j;
        } else {
            i += 1;
        }
    }
    parts.push(&text[start..]);
    parts
}

/// `re.split("\n+", text)`.
fn split_newline_runs(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let bytes = text.as_bytes();
    let (mut start, mut i) = (0, 0);
    while i < bytes.len() {
        if bytes[i] == b'\n' {
            parts.push(&text[start..i]);
            while i < bytes.len() && bytes[i] == b'\n' {
                i += 1;
            }
            start = i;
        } else {
            i += 1;
        }
    }
    parts.push(&text[start..]);
    parts
}

/// Characters of the most frequent n-gram (words joined by spaces) times its
/// count; among equally frequent ones the first seen (`Counter.most_common(1)`).
/// 0 when there are fewer than `n` words.
fn top_ngram_chars(words: &[&str], char_lens: &[usize], n: usize) -> usize {
    if words.len() < n {
        return 0;
    }
    // n-gram → (count, first position). Words hold no spaces, so the joined
    // string and the word tuple are equal together.
    let mut counts: FxHashMap<&[&str], (usize, usize)> = FxHashMap::default();
    for i in 0..=words.len() - n {
        counts.entry(&words[i..i + n]).or_insert((0, i)).0 += 1;
    }
    let (count, first) = counts
        .values()
        .copied()
        .max_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)))
        .expect("at least one n-gram");
    let gram_chars: usize = char_lens[first..first + n].iter().sum::<usize>() + n - 1;
    gram_chars * count
}

/// datatrove's `find_all_duplicate`: characters of n-grams (words run
/// together) seen before, skipping past each repeat.
fn all_duplicate_chars(joined: &str, byte_at: &[usize], char_at: &[usize], n: usize) -> usize {
    let n_words = byte_at.len() - 1;
    if n_words < n {
        return 0;
    }
    let mut seen: FxHashSet<&str> = FxHashSet::default();
    let (mut repeated, mut idx) = (0, 0);
    while idx < n_words - n + 1 {
        let gram = &joined[byte_at[idx]..byte_at[idx + n]];
        if seen.contains(gram) {
            repeated += char_at[idx + n] - char_at[idx];
            idx += n;
        } else {
            seen.insert(gram);
            idx += 1;
        }
    }
    repeated
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_splits() {
        assert_eq!(split_paragraphs("a\n\nb\n\n\n\nc\nd"), ["a", "b", "c\nd"]);
        assert_eq!(split_paragraphs(""), [""]);
        assert_eq!(split_newline_runs("\na\n\nb\n"), ["", "a", "b", ""]);
    }

    #[test]
    fn ngram_repeats() {
        let words = ["a", "b", "a", "b", "c", "c"];
        let lens = [1; 6];
        // "a b" twice: 3 characters × 2.
        assert_eq!(top_ngram_chars(&words, &lens, 2), 6);
        let words = ["x", "y", "x", "y", "x", "y"];
        let joined = words.concat();
        let at: Vec<usize> = (0..=6).collect();
        // "xy" at 0, "yx" at 1, "xy" again at 2 (2 chars, skip to 4), "xy" at 4 (2 more).
        assert_eq!(all_duplicate_chars(&joined, &at, &at, 2), 4);
    }
}
