//! Quality labels: what the filters FineWeb and Gopher made standard would
//! remove from a corpus, and why — computed per document, never dropping one.
//!
//! Five filters, as datatrove 0.10.1 defines them (`pipeline/filters/`), each
//! with datatrove's default thresholds and English word splitting
//! ([`words`]: spaCy's blank English tokenizer, reproduced here):
//!
//! | [`Filter`] | datatrove class | rules |
//! |---|---|---|
//! | `gopher_quality` | `GopherQualityFilter` | word count, mean word length, `#` and ellipsis per word, bullet and ellipsis lines, alphabetic words, stop words |
//! | `gopher_repetition` | `GopherRepetitionFilter` | duplicate paragraphs and lines (count and characters), top 2–4-gram characters, duplicated 5–10-gram characters |
//! | `c4_quality` | `C4QualityFilter` | "lorem ipsum", `{`, fewer than 5 sentences in the lines C4 keeps |
//! | `c4_paragraph` | `C4ParagraphFilter` | fewer than 3 lines of 200 characters |
//! | `fineweb_quality` | `FineWebQualityFilter` | lines ending in terminal punctuation, short lines, duplicate-line characters, newlines per word |
//!
//! datatrove stops at a filter's first failing rule; here every rule is
//! measured, and the failing ones are listed in datatrove's order, so the first
//! is the reason datatrove gives, and a filter keeps a document exactly when
//! datatrove's would. Each filter is applied to the original text on its own
//! (datatrove's C4 filter also rewrites the text it keeps; that is not
//! chained into the others). Lengths are counted in code points, as Python's.
//!
//! [`lang`] adds the language of each document (whatlang) with its confidence.

pub mod c4;
mod classes;
pub mod fineweb;
pub mod gopher;
pub mod lang;
pub mod tally;
pub mod text;
pub mod words;

use serde::{Deserialize, Serialize};

pub use lang::{detect_language, Language};
pub use tally::{QualityReport, QualityTally, Share, SourceQuality};

/// One of datatrove's filters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Filter {
    GopherQuality,
    GopherRepetition,
    C4Quality,
    C4Paragraph,
    FinewebQuality,
}

impl Filter {
    /// All filters, in the order labels list them.
    pub const ALL: [Filter; 5] = [
        Filter::GopherQuality,
        Filter::GopherRepetition,
        Filter::C4Quality,
        Filter::C4Paragraph,
        Filter::FinewebQuality,
    ];

    /// The name used in labels and reports.
    pub fn name(self) -> &'static str {
        match self {
            Filter::GopherQuality => "gopher_quality",
            Filter::GopherRepetition => "gopher_repetition",
            Filter::C4Quality => "c4_quality",
            Filter::C4Paragraph => "c4_paragraph",
            Filter::FinewebQuality => "fineweb_quality",
        }
    }
}

/// One rule of a filter. Serialised as its snake-case name; [`Rule::reason`]
/// gives datatrove's own reason string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    GopherShortDoc,
    GopherLongDoc,
    GopherBelowAvgThreshold,
    GopherAboveAvgThreshold,
    GopherTooManyHashes,
    GopherTooManyEllipsis,
    GopherTooManyBullets,
    GopherTooManyEndEllipsis,
    GopherBelowAlphaThreshold,
    GopherEnoughStopWords,
    RepetitionEmpty,
    DupParaFrac,
    DupParaCharFrac,
    DupLineFrac,
    DupLineCharFrac,
    #[serde(rename = "top_2_gram")]
    Top2Gram,
    #[serde(rename = "top_3_gram")]
    Top3Gram,
    #[serde(rename = "top_4_gram")]
    Top4Gram,
    #[serde(rename = "duplicated_5_n_grams")]
    Duplicated5NGrams,
    #[serde(rename = "duplicated_6_n_grams")]
    Duplicated6NGrams,
    #[serde(rename = "duplicated_7_n_grams")]
    Duplicated7NGrams,
    #[serde(rename = "duplicated_8_n_grams")]
    Duplicated8NGrams,
    #[serde(rename = "duplicated_9_n_grams")]
    Duplicated9NGrams,
    #[serde(rename = "duplicated_10_n_grams")]
    Duplicated10NGrams,
    LoremIpsum,
    CurlyBracket,
    TooFewSentences,
    C4Paragraphs,
    FinewebEmpty,
    LinePunctRatio,
    ShortLineRatio,
    CharDupRatio,
    ListRatio,
}

impl Rule {
    /// The reason datatrove's filter gives when this rule removes a document.
    pub fn reason(self) -> &'static str {
        use Rule::*;
        match self {
            GopherShortDoc => "gopher_short_doc",
            GopherLongDoc => "gopher_long_doc",
            GopherBelowAvgThreshold => "gopher_below_avg_threshold",
            GopherAboveAvgThreshold => "gopher_above_avg_threshold",
            GopherTooManyHashes => "gopher_too_many_hashes",
            GopherTooManyEllipsis => "gopher_too_many_ellipsis",
            GopherTooManyBullets => "gopher_too_many_bullets",
            GopherTooManyEndEllipsis => "gopher_too_many_end_ellipsis",
            GopherBelowAlphaThreshold => "gopher_below_alpha_threshold",
            GopherEnoughStopWords => "gopher_enough_stop_words",
            RepetitionEmpty | FinewebEmpty => "empty",
            DupParaFrac => "dup_para_frac",
            DupParaCharFrac => "dup_para_char_frac",
            DupLineFrac => "dup_line_frac",
            DupLineCharFrac => "dup_line_char_frac",
            Top2Gram => "top_2_gram",
            Top3Gram => "top_3_gram",
            Top4Gram => "top_4_gram",
            Duplicated5NGrams => "duplicated_5_n_grams",
            Duplicated6NGrams => "duplicated_6_n_grams",
            Duplicated7NGrams => "duplicated_7_n_grams",
            Duplicated8NGrams => "duplicated_8_n_grams",
            Duplicated9NGrams => "duplicated_9_n_grams",
            Duplicated10NGrams => "duplicated_10_n_grams",
            LoremIpsum => "lorem_ipsum",
            CurlyBracket => "curly_bracket",
            TooFewSentences => "too_few_sentences",
            C4Paragraphs => "< 3 paragraphs",
            LinePunctRatio => "line_punct_ratio",
            ShortLineRatio => "short_line_ratio",
            CharDupRatio => "char_dup_ratio",
            ListRatio => "list_ratio",
        }
    }

    /// The filter this rule belongs to.
    pub fn filter(self) -> Filter {
        use Rule::*;
        match self {
            GopherShortDoc
            | GopherLongDoc
            | GopherBelowAvgThreshold
            | GopherAboveAvgThreshold
            | GopherTooManyHashes
            | GopherTooManyEllipsis
            | GopherTooManyBullets
            | GopherTooManyEndEllipsis
            | GopherBelowAlphaThreshold
            | GopherEnoughStopWords => Filter::GopherQuality,
            RepetitionEmpty | DupParaFrac | DupParaCharFrac | DupLineFrac | DupLineCharFrac
            | Top2Gram | Top3Gram | Top4Gram | Duplicated5NGrams | Duplicated6NGrams
            | Duplicated7NGrams | Duplicated8NGrams | Duplicated9NGrams | Duplicated10NGrams => {
                Filter::GopherRepetition
            }
            LoremIpsum | CurlyBracket | TooFewSentences => Filter::C4Quality,
            C4Paragraphs => Filter::C4Paragraph,
            FinewebEmpty | LinePunctRatio | ShortLineRatio | CharDupRatio | ListRatio => {
                Filter::FinewebQuality
            }
        }
    }
}

/// One rule measured on a document: the value, datatrove's default threshold,
/// and whether the rule fails (would remove the document).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Measure {
    pub rule: Rule,
    pub value: f64,
    pub threshold: f64,
    pub fails: bool,
}

impl Measure {
    fn new(rule: Rule, value: f64, threshold: f64, fails: bool) -> Self {
        Measure {
            rule,
            value,
            threshold,
            fails,
        }
    }

    /// Fails when `value > threshold`.
    fn above(rule: Rule, value: f64, threshold: f64) -> Self {
        Measure::new(rule, value, threshold, value > threshold)
    }

    /// Fails when `value < threshold`.
    fn below(rule: Rule, value: f64, threshold: f64) -> Self {
        Measure::new(rule, value, threshold, value < threshold)
    }
}

/// A failing rule: what was measured and the threshold it crossed.
/// (Rules without a measure — "lorem ipsum", `{`, an empty text — have value
/// 1 and threshold 0.)
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RuleResult {
    pub rule: Rule,
    pub value: f64,
    pub threshold: f64,
}

/// One filter's verdict on a document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FilterResult {
    pub filter: Filter,
    /// Whether datatrove's filter keeps the document.
    pub kept: bool,
    /// The rules that fail, in datatrove's order (empty when kept): the first
    /// is the reason datatrove gives.
    #[serde(default)]
    pub failed_rules: Vec<RuleResult>,
}

/// Everything the quality pass says about one document.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct QualityLabels {
    /// One result per filter, in [`Filter::ALL`]'s order.
    pub filters: Vec<FilterResult>,
    /// The detected language, if any.
    #[serde(default)]
    pub language: Option<Language>,
}

impl QualityLabels {
    /// The labels of `text`: every filter and its language.
    pub fn of(text: &str) -> Self {
        QualityLabels {
            filters: label(text),
            language: detect_language(text),
        }
    }

    /// The result of `filter`, if it was computed.
    pub fn filter(&self, filter: Filter) -> Option<&FilterResult> {
        self.filters.iter().find(|f| f.filter == filter)
    }
}

/// Every rule of every filter measured on `text`, by filter in
/// [`Filter::ALL`]'s order.
pub fn measure(text: &str) -> Vec<(Filter, Vec<Measure>)> {
    let words = words::split_into_words(text);
    vec![
        (Filter::GopherQuality, gopher::quality(text, &words)),
        (Filter::GopherRepetition, gopher::repetition(text, &words)),
        (Filter::C4Quality, c4::quality(text)),
        (Filter::C4Paragraph, c4::paragraph(text)),
        (Filter::FinewebQuality, fineweb::quality(text, &words)),
    ]
}

/// Each filter's verdict on `text`.
pub fn label(text: &str) -> Vec<FilterResult> {
    measure(text)
        .into_iter()
        .map(|(filter, measures)| {
            let failed_rules: Vec<RuleResult> = measures
                .iter()
                .filter(|m| m.fails)
                .map(|m| RuleResult {
                    rule: m.rule,
                    value: if m.value.is_finite() { m.value } else { 0.0 },
                    threshold: m.threshold,
                })
                .collect();
            FilterResult {
                filter,
                kept: failed_rules.is_empty(),
                failed_rules,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_good_paragraph_passes_gopher_quality() {
        let text = "The quick brown fox jumps over the lazy dog, and that is a fact. ".repeat(8);
        let labels = QualityLabels::of(&text);
        assert!(labels.filter(Filter::GopherQuality).unwrap().kept);
        let repetition = labels.filter(Filter::GopherRepetition).unwrap();
        assert!(!repetition.kept, "the same sentence eight times repeats");
    }

    #[test]
    fn labels_round_trip_through_json() {
        let labels = QualityLabels::of("short");
        let json = serde_json::to_string(&labels).unwrap();
        assert!(json.contains("\"gopher_short_doc\""), "{json}");
        let back: QualityLabels = serde_json::from_str(&json).unwrap();
        assert_eq!(back, labels);
    }

    #[test]
    fn every_rule_belongs_to_the_filter_it_is_measured_in() {
        for (filter, measures) in measure("Some text.\n\nMore text here, with words.") {
            for m in measures {
                assert_eq!(m.rule.filter(), filter, "{:?}", m.rule);
            }
        }
    }
}
