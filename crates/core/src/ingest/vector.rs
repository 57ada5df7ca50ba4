//! User vectors: a record's list of numbers, named by
//! [`FieldChoice::vector`](super::FieldChoice::vector), read as the
//! document's embedding.
//!
//! One [`VectorField`] reads the vectors of one file: the first valid vector
//! fixes the dimension, unless one was given. A record whose vector is
//! missing, not a list of numbers, holds a NaN or infinite value, is all
//! zeros or has another length is rejected with a reason naming the field.
//! Vectors are not normalised here (the index does that).

use serde_json::{Map, Value};

use super::fields::lookup;
use crate::vectors::{check_user_vector, VectorFault};

/// What a record holds in the vector field, whatever the format.
pub(crate) enum Found<I> {
    /// The field is absent.
    Missing,
    /// Something other than a list, named as [`json_kind`] names it.
    Other(&'static str),
    /// A list: each item as an `f32`, or why it is not a number.
    List(I),
}

/// Reads and checks the vectors of one file.
#[derive(Debug, Clone)]
pub(crate) struct VectorField {
    path: String,
    /// Length every vector must have, once known.
    dim: Option<usize>,
    /// The line whose vector fixed `dim`; `None` when `dim` was given.
    fixed_by: Option<u64>,
}

impl VectorField {
    /// Reads the field at dotted `path` (none: no user vectors). `dim`, when
    /// given, is required of every vector; otherwise the first valid vector
    /// fixes it.
    pub(crate) fn new(path: Option<&str>, dim: Option<usize>) -> Option<Self> {
        path.map(|path| Self {
            path: path.to_string(),
            dim,
            fixed_by: None,
        })
    }

    /// The dotted path read.
    pub(crate) fn path(&self) -> &str {
        &self.path
    }

    /// The vector of a JSON record (JSON Lines, JSON), or why it has none.
    pub(crate) fn of_record(
        &mut self,
        line: u64,
        record: &Map<String, Value>,
    ) -> Result<Vec<f32>, String> {
        let found = match lookup(record, &self.path) {
            None => Found::Missing,
            Some(Value::Array(items)) => Found::List(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| json_number(i, item)),
            ),
            Some(other) => Found::Other(json_kind(other)),
        };
        self.check(line, found)
    }

    /// The checked vector of the record at `line`, or the reason it is
    /// rejected. A valid vector fixes the dimension if none is set yet.
    pub(crate) fn check(
        &mut self,
        line: u64,
        found: Found<impl Iterator<Item = Result<f32, String>>>,
    ) -> Result<Vec<f32>, String> {
        let reason = |what: &str| format!("vector field \"{}\": {what}", self.path);
        let items = match found {
            Found::Missing => return Err(reason("not in this record")),
            Found::Other(kind) => return Err(reason(&format!("{kind}, not a list of numbers"))),
            Found::List(items) => items,
        };
        let values = items
            .collect::<Result<Vec<f32>, String>>()
            .map_err(|e| reason(&e))?;
        let dim = self.dim.unwrap_or(values.len());
        match check_user_vector(&values, dim) {
            Ok(()) => {
                if self.dim.is_none() {
                    self.dim = Some(dim);
                    self.fixed_by = Some(line);
                }
                Ok(values)
            }
            Err(fault @ VectorFault::Length { .. }) => Err(match self.fixed_by {
                Some(first) => reason(&format!(
                    "{fault} (the length of the first vector, line {first})"
                )),
                None => reason(&fault.to_string()),
            }),
            Err(fault) => Err(reason(&fault.to_string())),
        }
    }
}

/// A JSON value's kind, as reasons name it ("a string", "an array", ...).
pub(crate) fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Array(_) => "an array",
        Value::String(_) => "a string",
        Value::Number(_) => "a number",
        Value::Bool(_) => "a boolean",
        Value::Object(_) => "an object",
        Value::Null => "null",
    }
}

/// Item `index` of a vector as a JSON value: a number, or a string spelling
/// NaN or infinity (reported as such); anything else is not a number.
pub(crate) fn json_number(index: usize, item: &Value) -> Result<f32, String> {
    match item {
        Value::Number(n) => float(index, n.as_f64().unwrap_or(f64::NAN)),
        Value::String(s) => match s.trim().parse::<f32>() {
            Ok(v) if !v.is_finite() => Err(format!(
                "value {index} is the string \"{}\", not a finite number",
                s.trim()
            )),
            _ => Err(format!("value {index} is a string, not a number")),
        },
        other => Err(format!(
            "value {index} is {}, not a number",
            json_kind(other)
        )),
    }
}

/// Item `index` of a vector as a 32-bit float. NaN and infinities pass (the
/// check reports them); a finite number too large for `f32` does not.
pub(crate) fn float(index: usize, x: f64) -> Result<f32, String> {
    let v = x as f32;
    if x.is_finite() && !v.is_finite() {
        return Err(format!(
            "value {index} is {x:e}, too large for a 32-bit float"
        ));
    }
    Ok(v)
}

#[cfg(test)]
pub(crate) mod tests {
    use crate::ingest::Batch;

    /// A document's line and vector (as bits: -0.0 and NaN compare exactly).
    pub(crate) type Loaded = (u64, Option<Vec<u32>>);

    /// Each document's line and vector, and each problem's line and reason.
    pub(crate) fn summary(out: &Batch) -> (Vec<Loaded>, Vec<(u64, String)>) {
        let docs = out
            .documents
            .iter()
            .map(|d| (d.line, d.vector.as_deref().map(bits)))
            .collect();
        let problems = out
            .problems
            .iter()
            .map(|p| (p.line, p.reason.clone()))
            .collect();
        (docs, problems)
    }

    /// The bits of each value.
    pub(crate) fn bits(values: &[f32]) -> Vec<u32> {
        values.iter().map(|v| v.to_bits()).collect()
    }

    /// `(line, Some(bits of values))`: a document expected with this vector.
    pub(crate) fn loaded(line: u64, values: &[f32]) -> Loaded {
        (line, Some(bits(values)))
    }

    /// `(line, reason)` as owned strings.
    pub(crate) fn problem(line: u64, reason: &str) -> (u64, String) {
        (line, reason.to_string())
    }
}
