//! [`Vectors`]: a flat row-major f32 matrix, and checks for user vectors.

use crate::{Error, Result};

/// Rows of `dim` f32 values stored one after another.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Vectors {
    dim: usize,
    data: Vec<f32>,
}

/// Leading bytes of [`Vectors::to_bytes`].
const MAGIC: &[u8; 4] = b"CSV1";

impl Vectors {
    /// An empty matrix of rows of `dim` values.
    pub fn new(dim: usize) -> Self {
        Self {
            dim,
            data: Vec::new(),
        }
    }

    /// A matrix over `data`, whose length must be a multiple of `dim` (> 0).
    pub fn from_flat(dim: usize, data: Vec<f32>) -> Result<Self> {
        if dim == 0 || !data.len().is_multiple_of(dim) {
            return Err(Error::Vector(format!(
                "{} values do not make rows of {dim}",
                data.len()
            )));
        }
        Ok(Self { dim, data })
    }

    /// Appends one row; it must have `dim` values.
    pub fn push(&mut self, row: &[f32]) -> Result<()> {
        if row.len() != self.dim {
            return Err(Error::Vector(format!(
                "row has {} values, expected {}",
                row.len(),
                self.dim
            )));
        }
        self.data.extend_from_slice(row);
        Ok(())
    }

    /// Values per row.
    pub fn dim(&self) -> usize {
        self.dim
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.data.len().checked_div(self.dim).unwrap_or(0)
    }

    /// Whether there is no row.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Row `i`. Panics when `i >= len()`.
    pub fn row(&self, i: usize) -> &[f32] {
        &self.data[i * self.dim..(i + 1) * self.dim]
    }

    /// All rows in order.
    pub fn rows(&self) -> impl ExactSizeIterator<Item = &[f32]> + '_ {
        self.data.chunks_exact(self.dim.max(1))
    }

    /// The values, row after row.
    pub fn as_flat(&self) -> &[f32] {
        &self.data
    }

    /// Scales every row to unit L2 norm (zero rows stay zero).
    pub fn normalize(&mut self) {
        for row in self.data.chunks_exact_mut(self.dim.max(1)) {
            normalize(row);
        }
    }

    /// `"CSV1"`, dim and rows as u32 LE, then the values as f32 LE.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(12 + 4 * self.data.len());
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&(self.dim as u32).to_le_bytes());
        out.extend_from_slice(&(self.len() as u32).to_le_bytes());
        self.extend_le_values(&mut out);
        out
    }

    /// The values alone, row after row, as f32 LE (no header).
    pub fn to_le_values(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(4 * self.data.len());
        self.extend_le_values(&mut out);
        out
    }

    fn extend_le_values(&self, out: &mut Vec<u8>) {
        for v in &self.data {
            out.extend_from_slice(&v.to_le_bytes());
        }
    }

    /// Reads what [`Vectors::to_bytes`] wrote.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        let bad = |why: &str| Error::Vector(format!("cannot decode vectors: {why}"));
        if bytes.len() < 12 || &bytes[..4] != MAGIC {
            return Err(bad("missing header"));
        }
        let word = |at: usize| {
            u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
        };
        let (dim, rows) = (word(4) as usize, word(8) as usize);
        dim.checked_mul(rows)
            .filter(|n| n.checked_mul(4) == Some(bytes.len() - 12))
            .ok_or_else(|| bad("length does not match the header"))?;
        Self::from_le_values(dim, &bytes[12..])
    }

    /// Rows of `dim` values read from what [`Vectors::to_le_values`] wrote.
    pub fn from_le_values(dim: usize, bytes: &[u8]) -> Result<Self> {
        let bad = |why: &str| Error::Vector(format!("cannot decode vectors: {why}"));
        if dim == 0 {
            return Err(bad("dimension 0"));
        }
        if !bytes.len().is_multiple_of(4 * dim) {
            return Err(bad("not a whole number of rows"));
        }
        let data = bytes
            .chunks_exact(4)
            .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect();
        Ok(Self { dim, data })
    }
}

/// Scales `v` to unit L2 norm in place; a zero vector stays zero.
pub fn normalize(v: &mut [f32]) {
    let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    if norm > 0.0 {
        v.iter_mut().for_each(|x| *x /= norm);
    }
}

/// Why a user-supplied vector cannot be used (see [`check_user_vector`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum VectorFault {
    /// It has `found` values where `expected` are needed.
    Length { found: usize, expected: usize },
    /// It has no value at all.
    Empty,
    /// Value `index` (0-based) is NaN or infinite.
    NotFinite { index: usize, value: f32 },
    /// Every value is zero: it has no direction to compare.
    Zero,
}

impl std::fmt::Display for VectorFault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Length { found, expected } => write!(f, "{found} values, expected {expected}"),
            Self::Empty => write!(f, "no values"),
            Self::NotFinite { index, value } => {
                write!(f, "value {index} is {value}, not a finite number")
            }
            Self::Zero => write!(f, "all values are zero"),
        }
    }
}

impl std::error::Error for VectorFault {}

impl From<VectorFault> for Error {
    fn from(fault: VectorFault) -> Self {
        Error::Vector(fault.to_string())
    }
}

/// Checks a user-supplied vector: `dim` values, at least one, all finite,
/// not all zero (a zero vector cannot be normalised). The first fault found
/// is returned, in that order.
pub fn check_user_vector(values: &[f32], dim: usize) -> Result<(), VectorFault> {
    if values.len() != dim {
        return Err(VectorFault::Length {
            found: values.len(),
            expected: dim,
        });
    }
    if values.is_empty() {
        return Err(VectorFault::Empty);
    }
    if let Some((index, &value)) = values.iter().enumerate().find(|(_, v)| !v.is_finite()) {
        return Err(VectorFault::NotFinite { index, value });
    }
    if values.iter().all(|&v| v == 0.0) {
        return Err(VectorFault::Zero);
    }
    Ok(())
}
