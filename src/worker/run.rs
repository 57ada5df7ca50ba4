//! One ingestion run in a worker: the engine's [`Pipeline`] (in the primary:
//! the file being read, the report being built) and [`Analysis`] (in every
//! worker), driven by messages.

use super::protocol::ingestion::{Reported, Share};
use corpuscope_core::analyze::DocumentFacts;
use corpuscope_core::dedup::DedupParams;
use corpuscope_core::ingest::{preview, FieldChoice, FileReport, ReadOptions};
use corpuscope_core::pipeline::{Analysis, Analyzed, Parsed, Pipeline, Skip};
use corpuscope_core::tokenize::TokenCounter;
use corpuscope_core::vectors::{CorpusVectors, SemDedupParams, StaticModel, Vectors};
use corpuscope_core::{Document, Problem};

fn text(e: corpuscope_core::Error) -> String {
    e.to_string()
}

/// A corpus run.
pub struct Run {
    analysis: Analysis,
    pipeline: Pipeline,
    /// The documents of the slice just parsed, until their share is analysed.
    parsed: Vec<Document>,
    /// The primary's own share, analysed, until the next `add_facts`.
    held: Option<Analyzed>,
}

impl Run {
    pub fn new(
        tokenizer: &str,
        counter: TokenCounter,
        params: DedupParams,
        embed: bool,
    ) -> Result<Self, String> {
        Ok(Self {
            analysis: Analysis::new(counter, params, embed).map_err(text)?,
            pipeline: Pipeline::new(tokenizer, params).map_err(text)?,
            parsed: Vec::new(),
            held: None,
        })
    }

    /// Adds what the corpus already stored (after an interrupted run, or to
    /// recount it); returns each document's token count.
    pub fn replay(
        &mut self,
        model: Option<&StaticModel>,
        documents: Vec<Document>,
        problems: Vec<Problem>,
        files: Vec<FileReport>,
    ) -> Result<Vec<u32>, String> {
        let analyzed = self.analysis.analyze(model, &documents).map_err(text)?;
        let tokens = analyzed.tokens();
        self.pipeline.add(analyzed, problems, None).map_err(text)?;
        files.into_iter().for_each(|f| self.pipeline.add_file(f));
        Ok(tokens)
    }

    pub fn begin(
        &mut self,
        file: String,
        fields: FieldChoice,
        vector_dim: Option<usize>,
        skip: Skip,
    ) {
        let options = ReadOptions {
            vector_dim,
            fields,
            ..ReadOptions::default()
        };
        self.pipeline.begin(file, options, skip);
    }

    /// The slice's documents and problems; its documents are kept for
    /// [`Run::analyze_held`].
    pub fn chunk(&mut self, bytes: &[u8]) -> Result<Parsed, String> {
        let parsed = self.pipeline.feed(bytes).map_err(text)?;
        self.parsed.clone_from(&parsed.documents);
        Ok(parsed)
    }

    /// What the file still held, and its report.
    pub fn finish(&mut self) -> Result<Parsed, String> {
        let parsed = self.pipeline.end_file().map_err(text)?;
        self.parsed.clone_from(&parsed.documents);
        Ok(parsed)
    }

    /// The report, the signatures and the vector index.
    pub fn report(self) -> Result<Reported, String> {
        let done = self.pipeline.finish().map_err(text)?;
        let json = serde_json::to_string(&done.report).map_err(|e| e.to_string())?;
        let vectors = match done.vectors {
            Some(vectors) => Some(
                CorpusVectors::build(vectors, SemDedupParams::default())
                    .map_err(text)?
                    .to_stored(),
            ),
            None => None,
        };
        Ok(Reported {
            json,
            signatures: done.signatures.to_bytes(),
            vectors,
        })
    }

    /// The facts of `documents` and their embeddings, as the message carries them.
    pub fn analyze(
        &mut self,
        model: Option<&StaticModel>,
        documents: &[Document],
    ) -> Result<Share, String> {
        let analyzed = self.analysis.analyze(model, documents).map_err(text)?;
        Ok(share(analyzed, true))
    }

    /// Analyses the first `count` documents of the slice just parsed and
    /// keeps their facts for [`Run::add_facts`]; the answer carries their
    /// tokens and embeddings only.
    pub fn analyze_held(
        &mut self,
        model: Option<&StaticModel>,
        count: usize,
    ) -> Result<Share, String> {
        let documents = self
            .parsed
            .get(..count)
            .ok_or("fewer documents were parsed")?;
        let analyzed = self.analysis.analyze(model, documents).map_err(text)?;
        let answer = share(analyzed.clone(), false);
        self.held = Some(analyzed);
        self.parsed.clear();
        Ok(answer)
    }

    /// Adds the held share, then analysed documents (the next in corpus
    /// order), their embeddings ([`Vectors::to_bytes`]) and problems to
    /// the report, and the file's report when it ended.
    pub fn add_facts(
        &mut self,
        facts: Vec<DocumentFacts>,
        vectors: Option<serde_bytes::ByteBuf>,
        problems: Vec<Problem>,
        file: Option<FileReport>,
    ) -> Result<(), String> {
        if let Some(held) = self.held.take() {
            self.pipeline.add(held, Vec::new(), None).map_err(text)?;
        }
        let vectors = vectors
            .map(|bytes| Vectors::from_bytes(&bytes))
            .transpose()
            .map_err(text)?;
        self.pipeline
            .add(Analyzed { facts, vectors }, problems, file)
            .map_err(text)
    }
}

/// `analyzed` as a share's answer, with its facts when `with_facts`.
fn share(analyzed: Analyzed, with_facts: bool) -> Share {
    Share {
        tokens: analyzed.tokens(),
        facts: if with_facts {
            analyzed.facts
        } else {
            Vec::new()
        },
        vectors: analyzed
            .vectors
            .map(|v| serde_bytes::ByteBuf::from(v.to_bytes())),
        busy_ms: 0.0,
    }
}

/// A preview of a file's first bytes (all of it when `whole`), as JSON.
pub fn preview_json(
    file: &str,
    bytes: &[u8],
    whole: bool,
    fields: FieldChoice,
) -> Result<String, String> {
    let options = ReadOptions {
        fields,
        ..ReadOptions::default()
    };
    serde_json::to_string(&preview(file, bytes, whole, &options)).map_err(|e| e.to_string())
}
