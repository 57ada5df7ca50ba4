//! The corpus report: one schema for the CLI's `--report` file and the
//! browser app's export, built from [`DocumentFacts`] in document order.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use crate::analyze::DocumentFacts;
use crate::dedup::{
    check_banding, cluster_buckets, dedup_from, DedupParams, DedupReport, ShingleSet,
    SignatureStore,
};
use crate::entropy::{DiversityTally, SourceDiversity};
use crate::ingest::FileReport;
use crate::quality::{QualityReport, QualityTally};
use crate::stats::{ratio, ChatStats, ChatTally, CorpusStats, CorpusTally, SourceStats};
use crate::{Error, Problem, Result};

/// Version of the report's JSON schema; bumped when a field changes meaning.
pub const REPORT_SCHEMA: u32 = 1;

/// Diversity overall and per source.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CorpusDiversity {
    pub overall: SourceDiversity,
    /// By source name, in name order.
    pub sources: BTreeMap<String, SourceDiversity>,
}

/// Conversation figures overall and per source (see [`ChatStats`]). All
/// empty (the default) when the corpus holds no conversation; otherwise every
/// source has an entry, plain-text sources with only `plain_documents`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ChatReport {
    pub overall: ChatStats,
    /// By source name, in name order.
    pub sources: BTreeMap<String, ChatStats>,
}

/// Everything Corpuscope computed about a corpus.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub schema: u32,
    /// Name of the tokenizer the token figures come from.
    pub tokenizer: String,
    /// Each input file: format, bytes, and documents in, loaded and rejected.
    pub files: Vec<FileReport>,
    pub tokens: CorpusStats,
    pub diversity: CorpusDiversity,
    pub dedup: DedupReport,
    /// Every rejected record, in input order.
    pub problems: Vec<Problem>,
    /// Conversations: turns, tokens per role. Reports written before it read
    /// as empty.
    #[serde(default)]
    pub chat: ChatReport,
    /// What datatrove's filters would remove per source, and language shares;
    /// only when documents were analysed with quality labels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quality: Option<QualityReport>,
}

/// `1234567` → `"1,234,567"`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

impl Report {
    /// One line on the duplicates: clusters and documents, exact and near,
    /// and the MinHash banding.
    pub fn dedup_summary(&self) -> String {
        let d = &self.dedup;
        let m = &d.params.minhash;
        format!(
            "{} exact-duplicate clusters ({} documents) · {} near-duplicate clusters ({} documents) · MinHash K = {} ({}), {} bands × {} rows",
            thousands(d.exact_clusters.len() as u64),
            thousands(d.docs_in_exact_clusters),
            thousands(d.near_clusters.len() as u64),
            thousands(d.docs_in_near_clusters),
            m.num_perm,
            m.scheme.name(),
            m.bands,
            m.rows,
        )
    }

    /// This report with its near duplicates found again under `bands` ×
    /// `rows` of the same signatures (each document's, in order, with its
    /// source). Nothing else depends on the banding: the token and diversity
    /// figures and the exact clusters stay. A verified report cannot be
    /// re-banded this way (it would need every shingle set again).
    pub fn rebanded(
        &self,
        bands: usize,
        rows: usize,
        doc_sources: &[&str],
        signatures: &SignatureStore,
    ) -> Result<Report> {
        let mut params = self.dedup.params;
        if params.verify_threshold.is_some() {
            return Err(Error::DedupParams(
                "a verified dedup cannot be re-banded from signatures alone".into(),
            ));
        }
        let documents = self.dedup.documents as usize;
        if signatures.len() != documents || doc_sources.len() != documents {
            return Err(Error::DedupParams(format!(
                "the report covers {documents} documents; {} signatures and {} sources were given",
                signatures.len(),
                doc_sources.len()
            )));
        }
        if signatures.num_perm() != params.minhash.num_perm {
            return Err(Error::DedupParams(format!(
                "signatures of {} values for a report of K = {}",
                signatures.num_perm(),
                params.minhash.num_perm
            )));
        }
        check_banding(params.minhash.num_perm, bands, rows)?;
        params.minhash.bands = bands;
        params.minhash.rows = rows;
        let near = cluster_buckets(signatures, bands, rows)?;
        let exact = self.dedup.exact_clusters.clone();
        Ok(Report {
            dedup: DedupReport::new(params, doc_sources, exact, &near),
            ..self.clone()
        })
    }
}

/// One row of a per-source conversation table.
#[derive(Debug, Clone, PartialEq)]
pub struct ChatRow {
    /// The source name, or `None` for the whole corpus.
    pub source: Option<String>,
    pub stats: ChatStats,
}

impl Report {
    /// One row per source, in name order, then the whole corpus; none when
    /// the corpus holds no conversation.
    pub fn chat_rows(&self) -> Vec<ChatRow> {
        if self.chat.overall.conversations == 0 {
            return Vec::new();
        }
        let mut rows: Vec<ChatRow> = self
            .chat
            .sources
            .iter()
            .map(|(name, stats)| ChatRow {
                source: Some(name.clone()),
                stats: stats.clone(),
            })
            .collect();
        rows.push(ChatRow {
            source: None,
            stats: self.chat.overall.clone(),
        });
        rows
    }
}

/// One row of a per-source table: a source's (or the whole corpus's) figures.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceRow {
    /// The source name, or `None` for the whole corpus.
    pub source: Option<String>,
    pub stats: SourceStats,
    pub diversity: SourceDiversity,
    /// Members of exact-duplicate clusters other than the representative.
    pub exact_duplicates: u64,
    /// Members of near-duplicate clusters other than the representative.
    pub near_duplicates: u64,
}

impl SourceRow {
    /// Exact duplicates as a percentage of documents.
    pub fn exact_percent(&self) -> f64 {
        100.0 * ratio(self.exact_duplicates as f64, self.stats.documents as f64)
    }

    /// Near duplicates as a percentage of documents.
    pub fn near_percent(&self) -> f64 {
        100.0 * ratio(self.near_duplicates as f64, self.stats.documents as f64)
    }
}

impl Report {
    /// One row per source, in name order, then the whole corpus.
    pub fn rows(&self) -> Vec<SourceRow> {
        let mut rows: Vec<SourceRow> = self
            .tokens
            .sources
            .iter()
            .map(|(name, stats)| {
                let dups = self.dedup.sources.iter().find(|s| &s.source == name);
                SourceRow {
                    source: Some(name.clone()),
                    stats: stats.clone(),
                    diversity: self
                        .diversity
                        .sources
                        .get(name)
                        .copied()
                        .unwrap_or_default(),
                    exact_duplicates: dups.map_or(0, |d| d.exact_duplicates),
                    near_duplicates: dups.map_or(0, |d| d.near_duplicates),
                }
            })
            .collect();
        rows.push(SourceRow {
            source: None,
            stats: self.tokens.overall.clone(),
            diversity: self.diversity.overall,
            exact_duplicates: rows.iter().map(|r| r.exact_duplicates).sum(),
            near_duplicates: rows.iter().map(|r| r.near_duplicates).sum(),
        });
        rows
    }
}

/// Gathers [`DocumentFacts`] and problems, then builds the [`Report`].
///
/// Memory per document: its signature (4·K bytes), exact key (16 bytes),
/// source index and token count — about 470 bytes with the default K = 112 —
/// plus its shingle set when verifying.
pub struct ReportBuilder {
    tokenizer: String,
    params: DedupParams,
    files: Vec<FileReport>,
    tally: CorpusTally,
    diversity: BTreeMap<String, DiversityTally>,
    chat: BTreeMap<String, ChatTally>,
    source_names: Vec<String>,
    source_index: HashMap<String, u32>,
    doc_sources: Vec<u32>,
    hashes: Vec<u128>,
    signatures: SignatureStore,
    shingles: Vec<ShingleSet>,
    problems: Vec<Problem>,
    quality: QualityTally,
}

impl ReportBuilder {
    /// An empty builder for documents counted with `tokenizer` and hashed with `params`.
    pub fn new(tokenizer: impl Into<String>, params: DedupParams) -> Result<Self> {
        params.minhash.validate()?;
        Ok(Self {
            tokenizer: tokenizer.into(),
            params,
            files: Vec::new(),
            tally: CorpusTally::default(),
            diversity: BTreeMap::new(),
            chat: BTreeMap::new(),
            source_names: Vec::new(),
            source_index: HashMap::new(),
            doc_sources: Vec::new(),
            hashes: Vec::new(),
            signatures: SignatureStore::new(params.minhash.num_perm),
            shingles: Vec::new(),
            problems: Vec::new(),
            quality: QualityTally::default(),
        })
    }

    /// Records a file read to its end.
    pub fn add_file(&mut self, report: FileReport) {
        self.files.push(report);
    }

    /// Adds the next document.
    pub fn add(&mut self, facts: DocumentFacts) -> Result<()> {
        self.signatures.push(&facts.signature)?;
        if self.params.verify_threshold.is_some() {
            let set = facts.shingles.ok_or_else(|| {
                Error::DedupParams("verification needs each document's shingle set".into())
            })?;
            self.shingles.push(set);
        }
        self.tally.add(&facts.source, facts.bytes, facts.tokens);
        if let Some(labels) = &facts.quality {
            self.quality.add(&facts.source, labels, facts.tokens as u64);
        }
        self.diversity
            .entry(facts.source.clone())
            .or_default()
            .add_measured(&facts.unigrams, &facts.diversity);
        self.chat
            .entry(facts.source.clone())
            .or_default()
            .add(facts.chat.as_ref(), facts.tokens);
        let next = self.source_names.len() as u32;
        let index = *self
            .source_index
            .entry(facts.source.clone())
            .or_insert(next);
        if index == next {
            self.source_names.push(facts.source);
        }
        self.doc_sources.push(index);
        self.hashes.push(facts.exact_hash);
        Ok(())
    }

    /// Adds rejected records (and whole-file problems).
    pub fn add_problems(&mut self, problems: impl IntoIterator<Item = Problem>) {
        self.problems.extend(problems);
    }

    /// Documents added so far.
    pub fn documents(&self) -> usize {
        self.hashes.len()
    }

    /// The report over everything added.
    pub fn finish(self) -> Result<Report> {
        Ok(self.finish_with_signatures()?.0)
    }

    /// The report, and the signatures that re-cluster it under another banding.
    pub fn finish_with_signatures(self) -> Result<(Report, SignatureStore)> {
        let doc_sources: Vec<&str> = self
            .doc_sources
            .iter()
            .map(|&i| self.source_names[i as usize].as_str())
            .collect();
        let dedup = dedup_from(
            self.params,
            &doc_sources,
            &self.hashes,
            &self.signatures,
            &self.shingles,
        )?;
        let mut overall = DiversityTally::default();
        for tally in self.diversity.values() {
            overall.merge(tally);
        }
        let mut chat_overall = ChatTally::default();
        for tally in self.chat.values() {
            chat_overall.merge(tally);
        }
        let chat = if chat_overall.conversations() == 0 {
            ChatReport::default()
        } else {
            ChatReport {
                overall: chat_overall.stats(),
                sources: self
                    .chat
                    .iter()
                    .map(|(name, tally)| (name.clone(), tally.stats()))
                    .collect(),
            }
        };
        let report = Report {
            schema: REPORT_SCHEMA,
            tokenizer: self.tokenizer,
            files: self.files,
            tokens: self.tally.stats(),
            diversity: CorpusDiversity {
                overall: overall.diversity(),
                sources: self
                    .diversity
                    .iter()
                    .map(|(name, tally)| (name.clone(), tally.diversity()))
                    .collect(),
            },
            dedup,
            problems: self.problems,
            chat,
            quality: (!self.quality.is_empty()).then(|| self.quality.report()),
        };
        Ok((report, self.signatures))
    }
}
