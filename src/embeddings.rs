//! The bundled static embedding model, served beside the app and fetched
//! only when a corpus is embedded or searched.

use crate::error::AppError;
use crate::files::fetch_cached_bytes;

/// Where the model's files are served from.
pub const MODEL_DIR: &str = "assets/embeddings/minilm-l6-m2v-128-int8";

/// The model's `model.safetensors` and `tokenizer.json`.
pub async fn model_files() -> Result<(Vec<u8>, Vec<u8>), AppError> {
    let table = fetch_cached_bytes(&format!("{MODEL_DIR}/model.safetensors")).await?;
    let tokenizer = fetch_cached_bytes(&format!("{MODEL_DIR}/tokenizer.json")).await?;
    Ok((table, tokenizer))
}
