//! Quality labels gathered per source: what share of documents and tokens
//! each filter and each rule would remove, and the language shares.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{Filter, QualityLabels, Rule};
use crate::stats::ratio;

/// Documents and tokens with some property, and their shares of the source's.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Share {
    pub documents: u64,
    pub tokens: u64,
    /// `documents` over the source's labelled documents.
    pub document_share: f64,
    /// `tokens` over the source's labelled tokens.
    pub token_share: f64,
}

/// One source's (or the corpus's) quality figures.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SourceQuality {
    /// Documents labelled, and their tokens.
    pub documents: u64,
    pub tokens: u64,
    /// What each filter would remove.
    pub filters: BTreeMap<Filter, Share>,
    /// What each rule fails on (a document can fail several rules; datatrove
    /// names only the first).
    pub rules: BTreeMap<Rule, Share>,
    /// Documents by detected language (ISO 639-3; `und` when none).
    pub languages: BTreeMap<String, Share>,
}

/// The report's quality section: per source (in name order) and overall.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct QualityReport {
    pub overall: SourceQuality,
    pub sources: BTreeMap<String, SourceQuality>,
}

impl QualityReport {
    /// A plain-text table for a terminal summary: one row per source, then
    /// the corpus; the share of documents each filter would remove and the
    /// main language.
    pub fn table(&self) -> String {
        let mut out = format!("{:<24}", "source");
        for filter in Filter::ALL {
            out.push_str(&format!(" {:>17}", filter.name()));
        }
        out.push_str("  language\n");
        let rows = self
            .sources
            .iter()
            .map(|(s, q)| (s.as_str(), q))
            .chain(std::iter::once(("(all)", &self.overall)));
        for (source, q) in rows {
            let mut name: String = source.chars().take(24).collect();
            while name.chars().count() < 24 {
                name.push(' ');
            }
            out.push_str(&name);
            for filter in Filter::ALL {
                let share = q.filters.get(&filter).map_or(0.0, |s| s.document_share);
                out.push_str(&format!(" {:>16.1}%", 100.0 * share));
            }
            let top = q
                .languages
                .iter()
                .max_by(|a, b| a.1.documents.cmp(&b.1.documents).then(b.0.cmp(a.0)));
            if let Some((code, share)) = top {
                out.push_str(&format!("  {code} {:.0}%", 100.0 * share.document_share));
            }
            out.push('\n');
        }
        out
    }
}

#[derive(Debug, Clone, Default)]
struct Counts {
    documents: u64,
    tokens: u64,
    filters: BTreeMap<Filter, (u64, u64)>,
    rules: BTreeMap<Rule, (u64, u64)>,
    languages: BTreeMap<String, (u64, u64)>,
}

impl Counts {
    fn add(&mut self, labels: &QualityLabels, tokens: u64) {
        self.documents += 1;
        self.tokens += tokens;
        let bump = |entry: &mut (u64, u64)| {
            entry.0 += 1;
            entry.1 += tokens;
        };
        for result in &labels.filters {
            if !result.kept {
                bump(self.filters.entry(result.filter).or_default());
            }
            for rule in &result.failed_rules {
                bump(self.rules.entry(rule.rule).or_default());
            }
        }
        let code = labels.language.as_ref().map_or("und", |l| l.code.as_str());
        if let Some(entry) = self.languages.get_mut(code) {
            bump(entry);
        } else {
            self.languages.insert(code.to_string(), (1, tokens));
        }
    }

    fn merge(&mut self, other: &Counts) {
        self.documents += other.documents;
        self.tokens += other.tokens;
        fn merge_map<K: Ord + Clone>(
            into: &mut BTreeMap<K, (u64, u64)>,
            from: &BTreeMap<K, (u64, u64)>,
        ) {
            for (k, (d, t)) in from {
                let e = into.entry(k.clone()).or_default();
                e.0 += d;
                e.1 += t;
            }
        }
        merge_map(&mut self.filters, &other.filters);
        merge_map(&mut self.rules, &other.rules);
        merge_map(&mut self.languages, &other.languages);
    }

    fn quality(&self) -> SourceQuality {
        let share = |&(documents, tokens): &(u64, u64)| Share {
            documents,
            tokens,
            document_share: ratio(documents as f64, self.documents as f64),
            token_share: ratio(tokens as f64, self.tokens as f64),
        };
        SourceQuality {
            documents: self.documents,
            tokens: self.tokens,
            filters: Filter::ALL
                .iter()
                .map(|f| (*f, share(self.filters.get(f).unwrap_or(&(0, 0)))))
                .collect(),
            rules: self.rules.iter().map(|(r, c)| (*r, share(c))).collect(),
            languages: self
                .languages
                .iter()
                .map(|(l, c)| (l.clone(), share(c)))
                .collect(),
        }
    }
}

/// Gathers labelled documents per source.
#[derive(Debug, Clone, Default)]
pub struct QualityTally {
    sources: BTreeMap<String, Counts>,
}

impl QualityTally {
    /// Adds one document of `source` with `tokens` tokens.
    pub fn add(&mut self, source: &str, labels: &QualityLabels, tokens: u64) {
        if let Some(counts) = self.sources.get_mut(source) {
            counts.add(labels, tokens);
        } else {
            let mut counts = Counts::default();
            counts.add(labels, tokens);
            self.sources.insert(source.to_string(), counts);
        }
    }

    /// Whether no document was added.
    pub fn is_empty(&self) -> bool {
        self.sources.is_empty()
    }

    /// The report section.
    pub fn report(&self) -> QualityReport {
        let mut overall = Counts::default();
        for counts in self.sources.values() {
            overall.merge(counts);
        }
        QualityReport {
            overall: overall.quality(),
            sources: self
                .sources
                .iter()
                .map(|(s, c)| (s.clone(), c.quality()))
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_per_source_and_overall() {
        let mut tally = QualityTally::default();
        let short = QualityLabels::of("too short");
        tally.add("a", &short, 10);
        tally.add("b", &short, 30);
        let report = tally.report();
        let overall = &report.overall;
        assert_eq!((overall.documents, overall.tokens), (2, 40));
        let gopher = overall.filters[&Filter::GopherQuality];
        assert_eq!(
            (gopher.documents, gopher.tokens, gopher.document_share),
            (2, 40, 1.0)
        );
        assert_eq!(
            report.sources["a"].rules[&Rule::GopherShortDoc].token_share,
            1.0
        );
        let table = report.table();
        assert_eq!(table.lines().count(), 4, "{table}");
        assert!(table.contains("100.0%"), "{table}");
        let json = serde_json::to_string(&report).unwrap();
        let back: QualityReport = serde_json::from_str(&json).unwrap();
        assert_eq!(back, report);
    }
}
