//! A look at a file's first records, to choose its text, source and vector
//! columns before loading it.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::fields::SAMPLE_SIZE;
use super::parquet::parquet_sample;
use super::{
    detect_fields, field_warnings, parquet_schema, Batch, ColumnInfo, ColumnKind, Compression,
    DetectedFields, FileReader, Format, ReadOptions, SAMPLE_RECORDS,
};
use crate::{Document, Problem};

/// What the start of a file holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Preview {
    pub file: String,
    pub format: Format,
    pub compression: Compression,
    /// The columns and the text (plain or a conversation), source and vector
    /// fields detected in `records`, and the warnings about the text field
    /// `options.fields` reads (the detected one unless a text is chosen). For
    /// Parquet, the columns of the schema, and the conversation, vector field
    /// and its length and the warnings found in the first rows (the plain
    /// text and source are detected while reading). A detected vector is only a proposal: set
    /// [`FieldChoice::vector`](super::FieldChoice::vector) and
    /// [`ReadOptions::vector_dim`] to read it.
    pub detected: DetectedFields,
    /// The first records as parsed (none for Parquet and plain text).
    pub records: Vec<Map<String, Value>>,
    /// The first documents as `options.fields` reads them.
    pub documents: Vec<Document>,
    /// The first problems met.
    pub problems: Vec<Problem>,
}

/// Previews `head`, the first bytes of the file called `file`; `whole` says
/// whether `head` is the entire file (a Parquet file needs to be whole).
pub fn preview(file: &str, head: &[u8], whole: bool, options: &ReadOptions) -> Preview {
    let mut reader = FileReader::new(file, options.clone());
    let mut batch = Batch::sampling();
    reader.feed(head, &mut batch);
    if whole {
        reader.finish(&mut batch);
    }
    let records = batch.samples.take().unwrap_or_default();
    let mut detected = detect_fields(&records);
    detected.warnings = field_warnings(&records, &options.fields, &detected);
    if reader.format() == Format::Parquet && whole {
        // Parquet rows are not sampled: list the schema's columns instead,
        // with the vector column found in the first rows.
        if let Ok(columns) = parquet_schema(head) {
            let sample = parquet_sample(head, SAMPLE_SIZE);
            let rows = detect_fields(&sample);
            detected.warnings = field_warnings(&sample, &options.fields, &rows);
            detected.conversation = rows.conversation;
            detected.vector = rows.vector;
            detected.vector_dim = rows.vector_dim;
            detected.columns = columns
                .into_iter()
                .map(|(path, kind)| {
                    let vector = detected.vector.as_ref() == Some(&path);
                    ColumnInfo {
                        kind: match kind.as_str() {
                            "string" => ColumnKind::String,
                            _ if vector => ColumnKind::Numbers,
                            _ => ColumnKind::Object,
                        },
                        mean_length: match detected.vector_dim {
                            Some(dim) if vector => dim as f64,
                            _ => 0.0,
                        },
                        path,
                        example: kind,
                    }
                })
                .collect();
        }
    }
    batch.documents.truncate(SAMPLE_RECORDS);
    batch.problems.truncate(SAMPLE_RECORDS);
    Preview {
        file: file.to_string(),
        format: reader.format(),
        compression: reader.compression(),
        detected,
        records,
        documents: batch.documents,
        problems: batch.problems,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::FieldChoice;

    #[test]
    fn jsonl_head_shows_records_and_detected_fields() {
        let mut data = String::new();
        for i in 0..200 {
            data.push_str(&format!(
                "{{\"id\":{i},\"meta\":{{\"body\":\"document number {i} with some words\"}},\"url\":\"https://site{}.org/p\"}}\n",
                i % 3
            ));
        }
        // Cut in the middle of a line, as a head slice would be.
        let head = &data.as_bytes()[..data.len() - 10];
        let p = preview("x.jsonl", head, false, &ReadOptions::default());
        assert_eq!(p.format, Format::Jsonl);
        assert_eq!(p.records.len(), SAMPLE_RECORDS);
        assert_eq!(p.detected.text.as_deref(), Some("meta.body"));
        assert!(p.problems.is_empty(), "{:?}", p.problems);
        assert_eq!(p.documents.len(), SAMPLE_RECORDS);
        assert_eq!(p.documents[0].text, "document number 0 with some words");
    }

    #[test]
    fn chosen_fields_shape_the_documents() {
        let head = b"a,b\nshort,the longer text here\nx,y\n";
        let options = ReadOptions {
            fields: FieldChoice {
                text: Some("a".into()),
                source: Some("b".into()),
                ..FieldChoice::default()
            },
            ..ReadOptions::default()
        };
        let p = preview("t.csv", head, true, &options);
        assert_eq!(p.format, Format::Csv);
        assert_eq!(p.detected.text.as_deref(), Some("b"));
        assert_eq!(p.documents[0].text, "short");
        assert_eq!(p.documents[0].source, "the longer text here");
    }

    #[test]
    fn vectors_are_detected_and_read_when_chosen() {
        let head = b"{\"text\":\"a\",\"emb\":[1,2,3]}\n{\"text\":\"b\",\"emb\":[0.5,0,1]}\n";
        let p = preview("v.jsonl", head, true, &ReadOptions::default());
        assert_eq!(p.detected.vector.as_deref(), Some("emb"));
        assert_eq!(p.detected.vector_dim, Some(3));
        assert_eq!(p.documents[0].vector, None);
        let options = ReadOptions {
            fields: FieldChoice {
                vector: p.detected.vector.clone(),
                ..FieldChoice::default()
            },
            vector_dim: p.detected.vector_dim,
            ..ReadOptions::default()
        };
        let p = preview("v.jsonl", head, true, &options);
        assert_eq!(p.documents[1].vector, Some(vec![0.5, 0.0, 1.0]));

        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../tests/fixtures/parquet/nested.parquet"
        );
        let bytes = std::fs::read(path).unwrap();
        let p = preview("n.parquet", &bytes, true, &ReadOptions::default());
        assert_eq!(p.detected.vector.as_deref(), Some("emb"));
        assert_eq!(p.detected.vector_dim, Some(4));
        let emb = p.detected.columns.iter().find(|c| c.path == "emb");
        let emb = emb.map(|c| (c.kind, c.mean_length));
        assert_eq!(emb, Some((ColumnKind::Numbers, 4.0)));
        // Not a whole file: nothing to sample.
        let p = preview("n.parquet", &bytes[..100], false, &ReadOptions::default());
        assert_eq!(p.detected.vector, None);
    }

    #[test]
    fn parquet_lists_its_schema() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../tests/fixtures/parquet/demo_snappy.parquet"
        );
        let bytes = std::fs::read(path).unwrap();
        let p = preview("d.parquet", &bytes, true, &ReadOptions::default());
        assert_eq!(p.format, Format::Parquet);
        assert!(p.detected.columns.iter().any(|c| c.path == "text"));
        assert_eq!(p.documents.len(), SAMPLE_RECORDS);
    }
}
