//! One ingestion run in the worker: the file being read, the report being
//! built and, with a model, every document's embedding.

use super::{CountedDocument, Response};
use corpuscope_core::analyze::Analyzer;
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
    /// Every embedding so far, in document order: the model's when the run
    /// embeds, or the documents' own vectors.
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
        embed_dim: Option<usize>,
    ) -> Result<Self, String> {
        Ok(Self {
            analyzer: Analyzer::new(counter, params).map_err(text)?,
            builder: ReportBuilder::new(tokenizer, params).map_err(text)?,
            embedding: embed_dim.map(Vectors::new),
            reader: None,
            skip_documents: 0,
            skip_problems: 0,
        })
    }

    /// Adds what an interrupted run stored (its vectors are recomputed);
    /// returns each document's token count.
    pub fn replay(
        &mut self,
        model: Option<&StaticModel>,
        documents: Vec<Document>,
        problems: Vec<Problem>,
        files: Vec<FileReport>,
    ) -> Result<Vec<u32>, String> {
        let tokens = documents
            .iter()
            .map(|d| self.add(model, d))
            .collect::<Result<_, _>>()?;
        self.builder.add_problems(problems);
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
            },
            ..ReadOptions::default()
        };
        self.reader = Some(FileReader::new(file, options));
        self.skip_documents = skip_documents;
        self.skip_problems = skip_problems;
    }

    pub fn chunk(&mut self, model: Option<&StaticModel>, bytes: &[u8]) -> Result<Response, String> {
        self.read(model, |r, out| {
            r.feed(bytes, out);
            None
        })
    }

    pub fn finish(&mut self, model: Option<&StaticModel>) -> Result<Response, String> {
        let response = self.read(model, |r, out| Some(r.finish(out)));
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

    /// Analyses (and embeds) one document; returns its token count and the
    /// row of its embedding, if any.
    fn add(&mut self, model: Option<&StaticModel>, document: &Document) -> Result<u32, String> {
        let facts = self.analyzer.analyze(document).map_err(text)?;
        let tokens = facts.tokens as u32;
        self.builder.add(facts).map_err(text)?;
        let row = match (&document.vector, &self.embedding) {
            (Some(own), _) => Some(own.clone()),
            (None, Some(_)) => {
                let model = model.ok_or("the embedding model is not loaded")?;
                Some(model.embed(&document.text).map_err(text)?)
            }
            (None, None) => None,
        };
        if let Some(row) = row {
            let vectors = self
                .embedding
                .get_or_insert_with(|| Vectors::new(row.len()));
            vectors.push(&row).map_err(text)?;
        }
        Ok(tokens)
    }

    fn read(
        &mut self,
        model: Option<&StaticModel>,
        step: impl FnOnce(&mut FileReader, &mut Batch) -> Option<FileReport>,
    ) -> Result<Response, String> {
        let reader = self.reader.as_mut().ok_or("no file was begun")?;
        let mut batch = Batch::default();
        let file = step(reader, &mut batch);
        let fresh = skip_front(batch.documents, &mut self.skip_documents);
        let problems = skip_front(batch.problems, &mut self.skip_problems);
        let first_row = self.embedding.as_ref().map_or(0, Vectors::len);
        let mut documents = Vec::with_capacity(fresh.len());
        for mut document in fresh {
            let tokens = self.add(model, &document)?;
            // The vector is stored apart, with the batch's others.
            document.vector = None;
            documents.push(CountedDocument { document, tokens });
        }
        self.builder.add_problems(problems.iter().cloned());
        if let Some(report) = &file {
            self.builder.add_file(report.clone());
        }
        let vectors = self.embedding.as_ref().map(|v| {
            let rows = &v.as_flat()[first_row * v.dim()..];
            let bytes: Vec<u8> = rows.iter().flat_map(|x| x.to_le_bytes()).collect();
            (v.dim() as u32, serde_bytes::ByteBuf::from(bytes))
        });
        Ok(Response::Batch {
            documents,
            problems,
            file,
            vectors,
        })
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
