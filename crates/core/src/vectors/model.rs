//! [`StaticModel`]: model2vec-style static embeddings (one row per token id).
//!
//! Inference, as `model2vec`'s `StaticModel.encode`: cut the text to
//! 512 × (median token length) characters, tokenize without special tokens
//! (at most 512 tokens), drop the unknown-token id, average the rows of the
//! remaining ids, L2-normalise. Int8 tables need no scale because the
//! result is normalised.

use super::matrix::{normalize, Vectors};
use crate::tokenize::TokenCounter;
use crate::{Error, Result};
use safetensors::{Dtype, SafeTensors};
use tokenizers::Tokenizer;

/// Tokens embedded per text, as `model2vec`'s `max_length`.
pub const MAX_TOKENS: usize = 512;

/// A static embedding model: a tokenizer and a table of token vectors.
pub struct StaticModel {
    /// The model's tokenizer (padding and truncation off), word-cached.
    ids: TokenCounter,
    /// Row-major `rows × dim`, as f32.
    table: Vec<f32>,
    dim: usize,
    /// The tokenizer's unknown-token id, never embedded.
    unk: Option<u32>,
    /// Characters of a text that are tokenized (model2vec's pre-cut).
    char_limit: usize,
}

impl StaticModel {
    /// Loads a model from the bytes of its `model.safetensors` (a 2-D table
    /// of int8, f16, bf16 or f32, named `embeddings` or alone in the file)
    /// and its `tokenizer.json`.
    pub fn from_bytes(safetensors: &[u8], tokenizer_json: &[u8]) -> Result<Self> {
        let bad = |why: String| Error::Model(why);
        let tensors = SafeTensors::deserialize(safetensors)
            .map_err(|e| bad(format!("not a safetensors file ({e})")))?;
        let view = match tensors.tensor("embeddings") {
            Ok(view) => view,
            Err(_) => {
                let names = tensors.names();
                match names.as_slice() {
                    [only] => tensors
                        .tensor(only)
                        .map_err(|e| bad(format!("tensor {only}: {e}")))?,
                    _ => return Err(bad("no tensor named `embeddings`".into())),
                }
            }
        };
        let [rows, dim] = view.shape() else {
            return Err(bad(format!("table has shape {:?}, not 2-D", view.shape())));
        };
        let (rows, dim) = (*rows, *dim);
        if dim == 0 {
            return Err(bad("table has dimension 0".into()));
        }
        let table = decode(view.dtype(), view.data())?;
        if table.len() != rows * dim {
            return Err(bad("table data does not match its shape".into()));
        }

        // The tokenizer with the exact word cache, for the ids; loading it
        // first checks what `tokenizers` would panic on.
        let ids = TokenCounter::from_json(tokenizer_json)?;
        let tokenizer = Tokenizer::from_bytes(tokenizer_json)
            .map_err(|e| Error::Tokenizer(format!("not a valid tokenizer.json ({e})")))?;
        let vocab = tokenizer.get_vocab_size(true);
        if vocab > rows {
            return Err(bad(format!(
                "tokenizer has {vocab} tokens but the table only {rows} rows"
            )));
        }
        let unk = unknown_id(&tokenizer);
        let char_limit = MAX_TOKENS * median_token_chars(&tokenizer);
        Ok(Self {
            ids,
            table,
            dim,
            unk,
            char_limit,
        })
    }

    /// Values per embedding.
    pub fn dim(&self) -> usize {
        self.dim
    }

    /// The unit-norm embedding of `text`; all zeros when no known token is left.
    pub fn embed(&self, text: &str) -> Result<Vec<f32>> {
        let text = match text.char_indices().nth(self.char_limit) {
            Some((end, _)) => &text[..end],
            None => text,
        };
        // The first MAX_TOKENS ids, as the tokenizer's truncation keeps them.
        let ids = self.ids.ids(text)?;
        let mut sum = vec![0.0f32; self.dim];
        let mut count = 0usize;
        for &id in ids.iter().take(MAX_TOKENS) {
            if Some(id) == self.unk {
                continue;
            }
            let start = id as usize * self.dim;
            let Some(row) = self.table.get(start..start + self.dim) else {
                continue;
            };
            sum.iter_mut().zip(row).for_each(|(s, r)| *s += r);
            count += 1;
        }
        if count > 0 {
            let n = count as f32;
            sum.iter_mut().for_each(|s| *s /= n);
            normalize(&mut sum);
        }
        Ok(sum)
    }

    /// The embeddings of `texts`, one row each.
    pub fn embed_batch<S: AsRef<str>>(&self, texts: &[S]) -> Result<Vectors> {
        let mut out = Vectors::new(self.dim);
        for text in texts {
            out.push(&self.embed(text.as_ref())?)?;
        }
        Ok(out)
    }
}

/// The id of the model's unknown token (`[UNK]` for WordPiece), if any.
fn unknown_id(tokenizer: &Tokenizer) -> Option<u32> {
    let json = serde_json::to_value(tokenizer.get_model()).ok()?;
    let token = json.get("unk_token")?.as_str()?;
    tokenizer.token_to_id(token)
}

/// The median length in characters of the vocabulary's tokens, rounded down
/// (numpy's median, as `model2vec`).
fn median_token_chars(tokenizer: &Tokenizer) -> usize {
    let mut lengths: Vec<usize> = tokenizer
        .get_vocab(true)
        .keys()
        .map(|t| t.chars().count())
        .collect();
    lengths.sort_unstable();
    match lengths.len() {
        0 => 1,
        n if n % 2 == 1 => lengths[n / 2],
        n => (lengths[n / 2 - 1] + lengths[n / 2]) / 2,
    }
    .max(1)
}

/// The table's values as f32.
fn decode(dtype: Dtype, data: &[u8]) -> Result<Vec<f32>> {
    Ok(match dtype {
        Dtype::I8 => data.iter().map(|&b| b as i8 as f32).collect(),
        Dtype::F32 => data
            .chunks_exact(4)
            .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect(),
        Dtype::F16 => data
            .chunks_exact(2)
            .map(|c| half::f16::from_le_bytes([c[0], c[1]]).to_f32())
            .collect(),
        Dtype::BF16 => data
            .chunks_exact(2)
            .map(|c| half::bf16::from_le_bytes([c[0], c[1]]).to_f32())
            .collect(),
        other => return Err(Error::Model(format!("unsupported table type {other:?}"))),
    })
}
