//! FineWeb's quality filter (datatrove's `fineweb_quality_filter.py`), with
//! datatrove's defaults: lines are split on `\n` and blank ones dropped.

use super::gopher::find_duplicates;
use super::text::{char_len, is_terminal_punctuation, strip};
use super::{Measure, Rule};

/// Every rule of the FineWeb quality filter on `text` split into `words`.
pub fn quality(text: &str, words: &[&str]) -> Vec<Measure> {
    let lines: Vec<&str> = text.split('\n').filter(|l| !strip(l).is_empty()).collect();
    if lines.is_empty() {
        return vec![Measure::new(Rule::FinewebEmpty, 1.0, 0.0, true)];
    }
    let n = lines.len() as f64;
    let punct = lines
        .iter()
        .filter(|l| l.chars().next_back().is_some_and(is_terminal_punctuation))
        .count() as f64
        / n;
    let short = lines.iter().filter(|l| char_len(l) <= 30).count() as f64 / n;
    let newlines = text.matches('\n').count();
    let without_newlines = char_len(text) - newlines;
    let dup_chars = find_duplicates(lines.iter().copied()).1 as f64 / without_newlines as f64;
    let list = if words.is_empty() {
        0.0
    } else {
        newlines as f64 / words.len() as f64
    };
    vec![
        Measure::new(Rule::FinewebEmpty, 0.0, 0.0, false),
        Measure::below(Rule::LinePunctRatio, punct, 0.12),
        Measure::above(Rule::ShortLineRatio, short, 0.67),
        Measure::above(Rule::CharDupRatio, dup_chars, 0.01),
        Measure::above(Rule::ListRatio, list, 0.3),
    ]
}
