//! One corpus run, the same for every front end: files are read in chunks
//! ([`FileReader`]), their documents analysed ([`Analysis`]: the
//! [`Analyzer`] and each document's embedding) and the facts added, in corpus
//! order, to the [`ReportBuilder`] ([`Pipeline`]).
//!
//! The reading and the report are sequential; the analysis is the part worth
//! spreading. The CLI analyses each batch's documents on all cores (rayon, one
//! [`Analysis`] per thread), the browser's workers each analyse a contiguous
//! share of a slice (the primary holds the [`Pipeline`]); both hand
//! [`Analyzed`] shares back in order.

use crate::analyze::{Analyzer, DocumentFacts};
use crate::dedup::{DedupParams, SignatureStore};
use crate::ingest::{Batch, FileReader, FileReport, ReadOptions};
use crate::report::{Report, ReportBuilder};
use crate::tokenize::TokenCounter;
use crate::vectors::{StaticModel, Vectors};
use crate::{Document, Error, Problem, Result};
use serde::{Deserialize, Serialize};

/// Analyses documents: their facts and, when the run embeds, embeddings.
#[derive(Clone)]
pub struct Analysis {
    analyzer: Analyzer,
    /// Whether documents that bring no vector of their own are embedded.
    embed: bool,
}

impl Analysis {
    /// An analysis counting with `counter`, hashing with `params`, embedding
    /// with the model passed to [`Analysis::analyze`] when `embed`.
    pub fn new(counter: TokenCounter, params: DedupParams, embed: bool) -> Result<Self> {
        Ok(Self {
            analyzer: Analyzer::new(counter, params)?,
            embed,
        })
    }

    /// This analysis labelling every document with the quality filters and
    /// its language (see [`crate::quality`]) when `on`.
    pub fn with_quality_labels(mut self, on: bool) -> Self {
        self.analyzer = self.analyzer.with_quality_labels(on);
        self
    }

    /// Whether this analysis embeds documents without a vector.
    pub fn embeds(&self) -> bool {
        self.embed
    }

    /// The facts of `documents` and their embeddings: each document's own
    /// vector, else the model's when the analysis embeds. All or none of
    /// them have one.
    pub fn analyze(
        &mut self,
        model: Option<&StaticModel>,
        documents: &[Document],
    ) -> Result<Analyzed> {
        let mut facts = Vec::with_capacity(documents.len());
        let mut vectors: Option<Vectors> = None;
        for (i, document) in documents.iter().enumerate() {
            facts.push(self.analyzer.analyze(document)?);
            let row = match &document.vector {
                Some(own) => Some(own.clone()),
                None if self.embed => {
                    let model = model
                        .ok_or_else(|| Error::Vector("the embedding model is not loaded".into()))?;
                    Some(model.embed(&document.text)?)
                }
                None => None,
            };
            match (row, &mut vectors) {
                (Some(row), Some(all)) => all.push(&row)?,
                (Some(row), None) if i == 0 => vectors = Some(Vectors::from_flat(row.len(), row)?),
                (None, None) => {}
                _ => return Err(mixed_vectors()),
            }
        }
        Ok(Analyzed { facts, vectors })
    }
}

fn mixed_vectors() -> Error {
    Error::Vector("some documents have a vector and others not".into())
}

/// The vectors of `had` documents followed by those of `more` documents:
/// all of them have one, or none has.
fn join_vectors(
    all: &mut Option<Vectors>,
    had: usize,
    next: Option<Vectors>,
    more: usize,
) -> Result<()> {
    match (all.as_mut(), next) {
        (Some(all), Some(next)) => {
            for row in next.rows() {
                all.push(row)?;
            }
        }
        (None, Some(next)) if had == 0 => *all = Some(next),
        (None, None) => {}
        (Some(_), None) if more == 0 => {}
        _ => return Err(mixed_vectors()),
    }
    Ok(())
}

/// Analysed documents, in order: their facts and, if embedded, a vector each.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Analyzed {
    pub facts: Vec<DocumentFacts>,
    pub vectors: Option<Vectors>,
}

impl Analyzed {
    /// Each document's token count.
    pub fn tokens(&self) -> Vec<u32> {
        self.facts.iter().map(|f| f.tokens as u32).collect()
    }

    /// `next`'s documents after these: the shares of one batch, in order.
    pub fn append(&mut self, next: Analyzed) -> Result<()> {
        let (before, after) = (self.facts.len(), next.facts.len());
        self.facts.extend(next.facts);
        join_vectors(&mut self.vectors, before, next.vectors, after)
    }

    /// The shares, in order, as one.
    pub fn concat(shares: impl IntoIterator<Item = Analyzed>) -> Result<Self> {
        let mut all = Analyzed::default();
        for share in shares {
            all.append(share)?;
        }
        Ok(all)
    }
}

/// What a slice of a file gave, less what an earlier run already stored.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Parsed {
    pub documents: Vec<Document>,
    pub problems: Vec<Problem>,
    /// The file's report, once it ended.
    pub file: Option<FileReport>,
}

/// What an interrupted run stored of a file: so many of its first documents
/// and problems, which a resumed run reads again but does not give twice.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Skip {
    pub documents: u64,
    pub problems: u64,
}

/// The end of a run: the report, every document's MinHash signature and,
/// when embedded, every document's vector, all in corpus order.
pub struct Finished {
    pub report: Report,
    pub signatures: SignatureStore,
    pub vectors: Option<Vectors>,
}

/// The file being read.
struct Reading {
    reader: FileReader,
    skip: Skip,
}

/// A corpus run: the file being read, the report being built and the
/// embeddings so far.
pub struct Pipeline {
    builder: ReportBuilder,
    vectors: Option<Vectors>,
    reading: Option<Reading>,
}

impl Pipeline {
    /// A run whose report names `tokenizer` and uses `params`.
    pub fn new(tokenizer: &str, params: DedupParams) -> Result<Self> {
        Ok(Self {
            builder: ReportBuilder::new(tokenizer, params)?,
            vectors: None,
            reading: None,
        })
    }

    /// Documents added so far.
    pub fn documents(&self) -> usize {
        self.builder.documents()
    }

    /// Starts reading the file called `file`, dropping what `skip` says an
    /// earlier run stored. Once a vector is known, every file's vectors
    /// must have its length.
    pub fn begin(&mut self, file: impl Into<String>, mut options: ReadOptions, skip: Skip) {
        if let Some(known) = self.vectors.as_ref().filter(|v| !v.is_empty()) {
            options.vector_dim = Some(known.dim());
        }
        self.reading = Some(Reading {
            reader: FileReader::new(file, options),
            skip,
        });
    }

    /// The documents and problems of the file's next chunk.
    pub fn feed(&mut self, chunk: &[u8]) -> Result<Parsed> {
        self.step(|reader, out| {
            reader.feed(chunk, out);
            None
        })
    }

    /// Ends the file: what it still held, and its report.
    pub fn end_file(&mut self) -> Result<Parsed> {
        let parsed = self.step(|reader, out| Some(reader.finish(out)));
        self.reading = None;
        parsed
    }

    fn step(
        &mut self,
        read: impl FnOnce(&mut FileReader, &mut Batch) -> Option<FileReport>,
    ) -> Result<Parsed> {
        let reading = self
            .reading
            .as_mut()
            .ok_or_else(|| Error::Run("no file was begun".into()))?;
        let mut batch = Batch::default();
        let file = read(&mut reading.reader, &mut batch);
        Ok(Parsed {
            documents: skip_front(batch.documents, &mut reading.skip.documents),
            problems: skip_front(batch.problems, &mut reading.skip.problems),
            file,
        })
    }

    /// Adds analysed documents (the next in corpus order), problems and,
    /// when a file ended, its report.
    pub fn add(
        &mut self,
        analyzed: Analyzed,
        problems: Vec<Problem>,
        file: Option<FileReport>,
    ) -> Result<()> {
        let (had, more) = (self.builder.documents(), analyzed.facts.len());
        for facts in analyzed.facts {
            self.builder.add(facts)?;
        }
        join_vectors(&mut self.vectors, had, analyzed.vectors, more)?;
        self.builder.add_problems(problems);
        if let Some(file) = file {
            self.builder.add_file(file);
        }
        Ok(())
    }

    /// Adds the report of a file an earlier run finished.
    pub fn add_file(&mut self, file: FileReport) {
        self.builder.add_file(file);
    }

    /// Reads a whole file from `input` in chunks of `chunk` bytes, analysing
    /// at least `batch` documents at a time with `analyze`; `progress`
    /// hears the bytes of each chunk read. For front ends that can block.
    pub fn read_file(
        &mut self,
        name: impl Into<String>,
        options: ReadOptions,
        mut input: impl std::io::Read,
        sizes: (usize, usize),
        mut analyze: impl FnMut(&[Document]) -> Result<Analyzed>,
        mut progress: impl FnMut(u64),
    ) -> Result<()> {
        let name = name.into();
        let (chunk, batch) = sizes;
        self.begin(name.clone(), options, Skip::default());
        let mut buf = vec![0u8; chunk.max(1)];
        let mut pending = Parsed::default();
        loop {
            let n = input
                .read(&mut buf)
                .map_err(|e| Error::Run(format!("cannot read {name}: {e}")))?;
            let ended = n == 0;
            let parsed = if ended {
                self.end_file()?
            } else {
                self.feed(&buf[..n])?
            };
            progress(n as u64);
            pending.documents.extend(parsed.documents);
            pending.problems.extend(parsed.problems);
            pending.file = parsed.file;
            if ended || pending.documents.len() >= batch {
                let Parsed {
                    documents,
                    problems,
                    file,
                } = std::mem::take(&mut pending);
                let analyzed = analyze(&documents)?;
                self.add(analyzed, problems, file)?;
            }
            if ended {
                return Ok(());
            }
        }
    }

    /// The report, the signatures and the embeddings.
    pub fn finish(self) -> Result<Finished> {
        let (report, signatures) = self.builder.finish_with_signatures()?;
        Ok(Finished {
            report,
            signatures,
            vectors: self.vectors.filter(|v| !v.is_empty()),
        })
    }
}

/// Drops up to `*skip` items from the front of `items`, lowering `*skip`.
fn skip_front<T>(mut items: Vec<T>, skip: &mut u64) -> Vec<T> {
    let n = (*skip).min(items.len() as u64) as usize;
    *skip -= n as u64;
    items.drain(..n);
    items
}

#[cfg(test)]
mod tests;
