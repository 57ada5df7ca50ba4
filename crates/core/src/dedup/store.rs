//! All documents' signatures in one flat array, kept to re-cluster without re-hashing.

use serde::{Deserialize, Serialize};

use super::Signature;
use crate::{Error, Result};

/// Signatures indexed by document: document `i` owns values `[i·K, (i+1)·K)`.
///
/// Bytes ([`SignatureStore::to_bytes`]): K as a little-endian u32, then every
/// value as a little-endian u32, document after document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignatureStore {
    num_perm: usize,
    #[serde(with = "serde_bytes_u32")]
    values: Vec<u32>,
}

impl SignatureStore {
    /// An empty store of signatures of length `num_perm`.
    pub fn new(num_perm: usize) -> Self {
        Self {
            num_perm,
            values: Vec::new(),
        }
    }

    /// Appends a document's signature; its length must be K.
    pub fn push(&mut self, signature: &Signature) -> Result<()> {
        if signature.0.len() != self.num_perm {
            return Err(Error::DedupParams(format!(
                "signature of length {} in a store of K = {}",
                signature.0.len(),
                self.num_perm
            )));
        }
        self.values.extend_from_slice(&signature.0);
        Ok(())
    }

    /// K, the length of each signature.
    pub fn num_perm(&self) -> usize {
        self.num_perm
    }

    /// The number of documents.
    pub fn len(&self) -> usize {
        self.values.len().checked_div(self.num_perm).unwrap_or(0)
    }

    /// Whether no document is stored.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// Document `doc`'s signature values.
    pub fn get(&self, doc: usize) -> &[u32] {
        &self.values[doc * self.num_perm..(doc + 1) * self.num_perm]
    }

    /// Every signature, in document order.
    pub fn iter(&self) -> impl Iterator<Item = &[u32]> {
        self.values.chunks_exact(self.num_perm.max(1))
    }

    /// The store as bytes (see the type's documentation).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(4 + 4 * self.values.len());
        out.extend_from_slice(&(self.num_perm as u32).to_le_bytes());
        out.extend(self.values.iter().flat_map(|v| v.to_le_bytes()));
        out
    }

    /// Reads [`SignatureStore::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        let bad = |why: String| Error::SignatureBytes(why);
        let (head, rest) = bytes
            .split_first_chunk::<4>()
            .ok_or_else(|| bad("shorter than its 4-byte header".into()))?;
        let num_perm = u32::from_le_bytes(*head) as usize;
        if num_perm == 0 || !rest.len().is_multiple_of(4 * num_perm) {
            return Err(bad(format!(
                "{} value bytes do not hold whole signatures of K = {num_perm}",
                rest.len()
            )));
        }
        let values = Signature::from_bytes(rest)?.0;
        Ok(Self { num_perm, values })
    }
}

/// Serde for `Vec<u32>` as little-endian bytes.
mod serde_bytes_u32 {
    use serde::{Deserialize, Deserializer, Serializer};

    use crate::dedup::Signature;

    pub fn serialize<S: Serializer>(values: &[u32], s: S) -> Result<S::Ok, S::Error> {
        let bytes: Vec<u8> = values.iter().flat_map(|v| v.to_le_bytes()).collect();
        s.serialize_bytes(&bytes)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u32>, D::Error> {
        let bytes = serde_bytes::ByteBuf::deserialize(d)?;
        Signature::from_bytes(&bytes)
            .map(|s| s.0)
            .map_err(serde::de::Error::custom)
    }
}
