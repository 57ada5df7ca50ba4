//! A look at a file's first records, to choose its text and source columns
//! before loading it.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{
    detect_fields, parquet_schema, Batch, ColumnInfo, ColumnKind, Compression, DetectedFields,
    FileReader, Format, ReadOptions, SAMPLE_RECORDS,
};
use crate::{Document, Problem};

/// What the start of a file holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Preview {
    pub file: String,
    pub format: Format,
    pub compression: Compression,
    /// The columns and the text, source and vector fields detected in `records`.
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
    if reader.format() == Format::Parquet && whole {
        // Parquet rows are not sampled: list the schema's columns instead.
        if let Ok(columns) = parquet_schema(head) {
            detected.columns = columns
                .into_iter()
                .map(|(path, kind)| ColumnInfo {
                    kind: if kind == "string" {
                        ColumnKind::String
                    } else {
                        ColumnKind::Object
                    },
                    path,
                    mean_length: 0.0,
                    example: kind,
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
