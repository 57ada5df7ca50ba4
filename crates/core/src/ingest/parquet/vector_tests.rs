//! Parquet user vectors, on files written here with the `parquet` crate's
//! column writer (lists of floats, doubles and strings, nulls, several row
//! groups) and on the pyarrow fixture `nested.parquet`.

use super::*;
use crate::ingest::vector::tests::{loaded, problem, summary};
use parquet::data_type::{ByteArray, ByteArrayType, DataType, DoubleType, FloatType};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::parser::parse_message_type;
use std::sync::Arc;

/// A row of a test file: its text, and its list (`None`: null) of items
/// (`None`: a null item).
type ListRow<T> = (&'static str, Option<Vec<Option<T>>>);

/// A Parquet file with a `text` column and a list column `emb` of `item`
/// values (`FLOAT`, `DOUBLE`, ...), in a struct `meta` if `nested`; one
/// row group per entry of `groups`.
fn list_file<T: DataType>(item: &str, nested: bool, groups: &[Vec<ListRow<T::T>>]) -> Vec<u8> {
    let list = format!(
        "OPTIONAL group emb (LIST) {{ REPEATED group list {{ OPTIONAL {item} element; }} }}"
    );
    let list = if nested {
        format!("REQUIRED group meta {{ {list} }}")
    } else {
        list
    };
    let message = format!("message m {{ REQUIRED BYTE_ARRAY text (UTF8); {list} }}");
    let schema = Arc::new(parse_message_type(&message).expect("schema"));
    let properties = Arc::new(WriterProperties::builder().build());
    let mut bytes = Vec::new();
    let mut writer = SerializedFileWriter::new(&mut bytes, schema, properties).expect("writer");
    for rows in groups {
        let mut group = writer.next_row_group().expect("row group");
        let texts: Vec<ByteArray> = rows.iter().map(|(t, _)| ByteArray::from(*t)).collect();
        let mut column = group.next_column().expect("text").expect("text");
        column
            .typed::<ByteArrayType>()
            .write_batch(&texts, None, None)
            .expect("write texts");
        column.close().expect("close text");
        // Definition levels: 0 a null list, 1 an empty one, 2 a null item,
        // 3 an item. Repetition level 1 continues a list.
        let (mut values, mut defs, mut reps) = (Vec::new(), Vec::new(), Vec::new());
        for (_, list) in rows {
            let Some(items) = list else {
                defs.push(0);
                reps.push(0);
                continue;
            };
            if items.is_empty() {
                defs.push(1);
                reps.push(0);
            }
            for (i, item) in items.iter().enumerate() {
                reps.push(i16::from(i > 0));
                defs.push(if item.is_some() { 3 } else { 2 });
                values.extend(item.clone());
            }
        }
        let mut column = group.next_column().expect("emb").expect("emb");
        column
            .typed::<T>()
            .write_batch(&values, Some(&defs), Some(&reps))
            .expect("write items");
        column.close().expect("close emb");
        group.close().expect("close row group");
    }
    writer.close().expect("close file");
    bytes
}

/// A list row of floats, all present.
fn floats(text: &'static str, values: &[f32]) -> ListRow<f32> {
    (text, Some(values.iter().map(|&v| Some(v)).collect()))
}

/// Reads `bytes` with vectors in field `path`, of length `dim` if given.
fn parse_vectors(path: &str, dim: Option<usize>, bytes: &[u8]) -> Batch {
    let fields = FieldChoice {
        vector: Some(path.into()),
        ..FieldChoice::default()
    };
    let parser = ParquetParser::new("v.parquet", fields).with_vector_dim(dim);
    crate::ingest::read_all(parser, &[bytes])
}

fn fixture(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/../../tests/fixtures/parquet/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("read {path}: {e}"))
}

#[test]
fn vectors_are_read_exactly() {
    let tiny = f32::from_bits(1);
    let rows = vec![
        floats("a", &[0.1, -0.0, tiny]),
        floats("b", &[f32::MAX, -1.5, 3.0]),
    ];
    for nested in [false, true] {
        let file = list_file::<FloatType>("FLOAT", nested, std::slice::from_ref(&rows));
        let path = if nested { "meta.emb" } else { "emb" };
        let (docs, problems) = summary(&parse_vectors(path, None, &file));
        assert_eq!(problems, vec![], "{path}");
        let expected = vec![
            loaded(1, &[0.1, -0.0, tiny]),
            loaded(2, &[f32::MAX, -1.5, 3.0]),
        ];
        assert_eq!(docs, expected, "{path}");
    }

    // Doubles are rounded to the nearest f32.
    let file = list_file::<DoubleType>(
        "DOUBLE",
        false,
        &[vec![("a", Some(vec![Some(0.1), Some(-2.5), Some(1e-300)]))]],
    );
    let (docs, _) = summary(&parse_vectors("emb", None, &file));
    assert_eq!(docs, vec![loaded(1, &[0.1f64 as f32, -2.5, 0.0])]);

    // The pyarrow fixture: emb is [i, i + 0.5, -1, 0.25] in row i + 1,
    // whose text is null in row 4.
    let out = parse_vectors("emb", None, &fixture("nested.parquet"));
    let (docs, problems) = summary(&out);
    let expected: Vec<_> = (0..20u8)
        .filter(|&i| i != 3)
        .map(|i| {
            let i = f32::from(i);
            loaded(u64::from(i as u8) + 1, &[i, i + 0.5, -1.0, 0.25])
        })
        .collect();
    assert_eq!(docs, expected);
    assert_eq!(
        problems,
        vec![problem(4, "text column \"meta.text\" is null in this row")]
    );
    // Without a vector field, none.
    let plain = ParquetParser::new("n.parquet", FieldChoice::default());
    let out = crate::ingest::read_all(plain, &[&fixture("nested.parquet")]);
    assert_eq!(out.documents.len(), 19);
    assert!(out.documents.iter().all(|d| d.vector.is_none()));
}

#[test]
fn bad_vectors_are_problems_and_the_rest_loads() {
    let rows = vec![
        floats("ok", &[1.0, 2.5, 3.0]),
        floats("short", &[1.0, 2.0]),
        floats("nan", &[1.0, f32::NAN, 3.0]),
        floats("inf", &[f32::NEG_INFINITY, 1.0, 3.0]),
        ("null", None),
        ("empty", Some(vec![])),
        ("hole", Some(vec![Some(1.0), None, Some(3.0)])),
        floats("zero", &[0.0, -0.0, 0.0]),
        floats("ok2", &[4.0, 5.0, 6.0]),
    ];
    let file = list_file::<FloatType>("FLOAT", false, &[rows]);
    let (docs, problems) = summary(&parse_vectors("emb", None, &file));
    assert_eq!(
        docs,
        vec![loaded(1, &[1.0, 2.5, 3.0]), loaded(9, &[4.0, 5.0, 6.0])]
    );
    let field = |line, what: &str| problem(line, &format!("vector field \"emb\": {what}"));
    let expected = vec![
        field(
            2,
            "2 values, expected 3 (the length of the first vector, line 1)",
        ),
        field(3, "value 1 is NaN, not a finite number"),
        field(4, "value 0 is -inf, not a finite number"),
        field(5, "null, not a list of numbers"),
        field(
            6,
            "0 values, expected 3 (the length of the first vector, line 1)",
        ),
        field(7, "value 1 is null, not a number"),
        field(8, "all values are zero"),
    ];
    assert_eq!(problems, expected);

    // Lists of strings: "NaN" is not finite, other strings are not numbers.
    let strings = |items: &[&str]| Some(items.iter().map(|s| Some(ByteArray::from(*s))).collect());
    let rows = vec![("a", strings(&["NaN", "1"])), ("b", strings(&["1", "2"]))];
    let file = list_file::<ByteArrayType>("BYTE_ARRAY", false, &[rows]);
    let (docs, problems) = summary(&parse_vectors("emb", None, &file));
    assert_eq!(docs, vec![]);
    assert_eq!(
        problems,
        vec![
            field(1, "value 0 is the string \"NaN\", not a finite number"),
            field(2, "value 0 is a string, not a number"),
        ]
    );

    // Columns that are not lists; a column the file lacks.
    let nested = fixture("nested.parquet");
    for (path, what) in [("url", "a string"), ("meta", "an object")] {
        let (docs, problems) = summary(&parse_vectors(path, None, &nested));
        assert_eq!(docs, vec![]);
        assert_eq!(problems.len(), 20);
        let reason = format!("vector field \"{path}\": {what}, not a list of numbers");
        assert_eq!(problems[0], problem(1, &reason));
    }
    let (docs, problems) = summary(&parse_vectors("vec", None, &nested));
    assert_eq!(docs, vec![]);
    assert_eq!(
        problems,
        vec![problem(
            0,
            "no column \"vec\": columns are id, meta, url, emb"
        )]
    );
}

/// Two row groups: an invalid vector, one of length 2; one of 3, one of 2.
fn dims_file() -> Vec<u8> {
    list_file::<FloatType>(
        "FLOAT",
        false,
        &[
            vec![floats("a", &[f32::NAN, 1.0, 2.0]), floats("b", &[1.0, 2.0])],
            vec![floats("c", &[1.0, 2.0, 3.0]), floats("d", &[5.0, 6.0])],
        ],
    )
}

#[test]
fn the_first_valid_vector_fixes_the_dimension() {
    let (docs, problems) = summary(&parse_vectors("emb", None, &dims_file()));
    assert_eq!(docs, vec![loaded(2, &[1.0, 2.0]), loaded(4, &[5.0, 6.0])]);
    let expected =
        vec![
        problem(1, "vector field \"emb\": value 0 is NaN, not a finite number"),
        problem(
            3,
            "vector field \"emb\": 3 values, expected 2 (the length of the first vector, line 2)",
        ),
    ];
    assert_eq!(problems, expected);
}

#[test]
fn a_given_dimension_wins() {
    let (docs, problems) = summary(&parse_vectors("emb", Some(3), &dims_file()));
    assert_eq!(docs, vec![loaded(3, &[1.0, 2.0, 3.0])]);
    let lines: Vec<u64> = problems.iter().map(|p| p.0).collect();
    assert_eq!(lines, vec![1, 2, 4]);
    assert_eq!(problems[1].1, "vector field \"emb\": 2 values, expected 3");
}
