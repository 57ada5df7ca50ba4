//! One ingestion run in the worker: the file being read, the report being
//! built and, with a model, every document's embedding.

use super::Response;
use corpuscope_core::analyze::Analyzer;
use corpuscope_core::analyze::DocumentFacts;
use corpuscope_core::dedup::DedupParams;
use corpuscope_core::dedup::SignatureStore;
use corpuscope_core::ingest::{preview, Batch, FieldChoice, FileReader, FileReport, ReadOptions};
use corpuscope_core::report::{Report, ReportBuilder};
use corpuscope_core::tokenize::TokenCounter;
use corpuscope_core::vectors::{CorpusVectors, SemDedupParams, StaticModel, Vectors};
use corpuscope_core::{Document, Problem};

fn text(e: corpuscope_core::Error) -> String {
    e.to_string()
}

/// A corpus run.
pub struct Run {
    analyzer: Analyzer,
    builder: ReportBuilder,
    /// Whether the model embeds the documents that bring no vector.
    embed: bool,
    /// Every embedding added so far, in document order.
    embedding: Option<Vectors>,
    reader: Option<FileReader>,
    skip_documents: u64,
    skip_problems: u64,
}

impl Run {
    pub fn new(
        tokenizer: &str,
        counter: TokenCounter,
        params: DedupParams,
        embed: bool,
    ) -> Result<Self, String> {
        Ok(Self {
            analyzer: Analyzer::new(counter, params).map_err(text)?,
            builder: ReportBuilder::new(tokenizer, params).map_err(text)?,
            embed,
            embedding: None,
            reader: None,
            skip_documents: 0,
            skip_problems: 0,
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
        let (facts, rows) = self.analyze(model, &documents)?;
        let tokens = facts.iter().map(|f| f.tokens as u32).collect();
        self.add_facts(facts, rows, problems, None)?;
        files.into_iter().for_each(|f| self.builder.add_file(f));
        Ok(tokens)
    }

    pub fn begin(&mut self, file: String, fields: Fields, skip_documents: u64, skip_problems: u64) {
        // Every file's vectors must have the length of the first stored one.
        let known = self
            .embedding
            .as_ref()
            .filter(|v| !v.is_empty())
            .map(Vectors::dim);
        let options = ReadOptions {
            vector_dim: known.or(fields.vector_dim),
            fields: FieldChoice {
                text: fields.text,
                source: fields.source,
                vector: fields.vector,
                ..FieldChoice::default()
            },
            ..ReadOptions::default()
        };
        self.reader = Some(FileReader::new(file, options));
        self.skip_documents = skip_documents;
        self.skip_problems = skip_problems;
    }

    pub fn chunk(&mut self, bytes: &[u8]) -> Result<Response, String> {
        self.read(|r, out| {
            r.feed(bytes, out);
            None
        })
    }

    pub fn finish(&mut self) -> Result<Response, String> {
        let response = self.read(|r, out| Some(r.finish(out)));
        self.reader = None;
        response
    }

    /// The report, the signatures and the vector index.
    pub fn report(self) -> Result<Response, String> {
        let (report, signatures) = self.builder.finish_with_signatures().map_err(text)?;
        let json = serde_json::to_string(&report).map_err(|e| e.to_string())?;
        let vectors = match self.embedding {
            Some(vectors) if !vectors.is_empty() => Some(
                CorpusVectors::build(vectors, SemDedupParams::default())
                    .map_err(text)?
                    .to_stored(),
            ),
            _ => None,
        };
        Ok(Response::Report {
            json,
            signatures: signatures.to_bytes(),
            vectors,
        })
    }

    /// The facts of `documents` and their embeddings (each document's own
    /// vector, else the model's when the run embeds): all or none have one.
    pub fn analyze(
        &mut self,
        model: Option<&StaticModel>,
        documents: &[Document],
    ) -> Result<(Vec<DocumentFacts>, Option<Rows>), String> {
        let mut facts = Vec::with_capacity(documents.len());
        let mut rows: Option<Vectors> = None;
        for (i, document) in documents.iter().enumerate() {
            facts.push(self.analyzer.analyze(document).map_err(text)?);
            let row = match &document.vector {
                Some(own) => Some(own.clone()),
                None if self.embed => {
                    let model = model.ok_or("the embedding model is not loaded")?;
                    Some(model.embed(&document.text).map_err(text)?)
                }
                None => None,
            };
            match (row, &mut rows) {
                (Some(row), Some(rows)) => rows.push(&row).map_err(text)?,
                (Some(row), None) if i == 0 => {
                    rows = Some(Vectors::from_flat(row.len(), row).map_err(text)?)
                }
                (None, None) => {}
                _ => return Err("some documents have a vector and others not".into()),
            }
        }
        Ok((facts, rows.map(|v| Rows::of(&v))))
    }

    /// Adds analysed documents (in corpus order), their embeddings and
    /// problems to the report, and the file's report when it ended.
    pub fn add_facts(
        &mut self,
        facts: Vec<DocumentFacts>,
        rows: Option<Rows>,
        problems: Vec<Problem>,
        file: Option<FileReport>,
    ) -> Result<(), String> {
        for f in facts {
            self.builder.add(f).map_err(text)?;
        }
        if let Some(rows) = rows {
            let values = rows.values();
            let all = self
                .embedding
                .get_or_insert_with(|| Vectors::new(rows.dim as usize));
            for row in values.chunks(rows.dim.max(1) as usize) {
                all.push(row).map_err(text)?;
            }
        }
        self.builder.add_problems(problems);
        if let Some(report) = file {
            self.builder.add_file(report);
        }
        Ok(())
    }

    /// The file's next documents and problems, less those to skip.
    fn read(
        &mut self,
        step: impl FnOnce(&mut FileReader, &mut Batch) -> Option<FileReport>,
    ) -> Result<Response, String> {
        let reader = self.reader.as_mut().ok_or("no file was begun")?;
        let mut batch = Batch::default();
        let file = step(reader, &mut batch);
        Ok(Response::Parsed {
            documents: skip_front(batch.documents, &mut self.skip_documents),
            problems: skip_front(batch.problems, &mut self.skip_problems),
            file,
        })
    }
}

/// Embeddings of consecutive documents: `dim` little-endian f32 per row.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Rows {
    pub dim: u32,
    pub bytes: serde_bytes::ByteBuf,
}

impl Rows {
    fn of(vectors: &Vectors) -> Self {
        let bytes = vectors
            .as_flat()
            .iter()
            .flat_map(|x| x.to_le_bytes())
            .collect::<Vec<u8>>();
        Self {
            dim: vectors.dim() as u32,
            bytes: serde_bytes::ByteBuf::from(bytes),
        }
    }

    fn values(&self) -> Vec<f32> {
        self.bytes
            .chunks_exact(4)
            .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect()
    }

    /// How many rows.
    pub fn len(&self) -> usize {
        self.bytes.len() / 4 / self.dim.max(1) as usize
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// `other`'s rows after these (same dimension).
    pub fn append(&mut self, other: Rows) -> Result<(), String> {
        if other.dim != self.dim && !other.is_empty() {
            return Err(format!("vectors of {} and {} values", self.dim, other.dim));
        }
        self.bytes.extend_from_slice(&other.bytes);
        Ok(())
    }
}

/// A report (JSON) re-banded from its signatures: see `Report::rebanded`.
pub fn reband(
    report_json: &str,
    signatures: &[u8],
    sources: &[String],
    bands: u32,
    rows: u32,
) -> Result<String, String> {
    let report: Report = serde_json::from_str(report_json)
        .map_err(|e| format!("the stored report is damaged: {e}"))?;
    let signatures = SignatureStore::from_bytes(signatures).map_err(text)?;
    let sources: Vec<&str> = sources.iter().map(String::as_str).collect();
    let rebanded = report
        .rebanded(bands as usize, rows as usize, &sources, &signatures)
        .map_err(text)?;
    serde_json::to_string(&rebanded).map_err(|e| e.to_string())
}

/// The fields a file is read with.
pub struct Fields {
    pub text: Option<String>,
    pub source: Option<String>,
    pub vector: Option<String>,
    pub vector_dim: Option<usize>,
}

/// A preview of a file's first bytes (all of it when `whole`), as JSON.
pub fn preview_json(
    file: &str,
    bytes: &[u8],
    whole: bool,
    text_field: Option<String>,
    source_field: Option<String>,
    vector_field: Option<String>,
) -> Result<String, String> {
    let options = ReadOptions {
        fields: FieldChoice {
            text: text_field,
            source: source_field,
            vector: vector_field,
            ..FieldChoice::default()
        },
        ..ReadOptions::default()
    };
    serde_json::to_string(&preview(file, bytes, whole, &options)).map_err(|e| e.to_string())
}

/// Drops up to `*skip` items from the front of `items`, lowering `*skip`.
fn skip_front<T>(mut items: Vec<T>, skip: &mut u64) -> Vec<T> {
    let n = (*skip).min(items.len() as u64) as usize;
    *skip -= n as u64;
    items.drain(..n);
    items
}
