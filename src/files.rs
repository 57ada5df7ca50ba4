//! Reading browser files and fetched assets.

use crate::error::AppError;
use js_sys::Uint8Array;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::Blob;

/// Bytes read from a file per slice.
pub const SLICE_BYTES: f64 = (1 << 20) as f64;

/// Reads bytes `start..end` of `blob` without reading the rest.
pub async fn read_slice(
    blob: &Blob,
    name: &str,
    start: f64,
    end: f64,
) -> Result<Vec<u8>, AppError> {
    let read_error = |e: wasm_bindgen::JsValue| AppError::Read {
        file: name.to_string(),
        reason: format!("{e:?}"),
    };
    let slice = blob
        .slice_with_f64_and_f64(start, end)
        .map_err(read_error)?;
    let buffer = JsFuture::from(slice.array_buffer())
        .await
        .map_err(read_error)?;
    Ok(Uint8Array::new(&buffer).to_vec())
}

/// Fetches a same-origin asset, such as a bundled tokenizer, as a `Blob`.
pub async fn fetch_blob(url: &str) -> Result<Blob, AppError> {
    let fail = |reason: String| AppError::Fetch {
        url: url.to_string(),
        reason,
    };
    let response = gloo_net::http::Request::get(url)
        .send()
        .await
        .map_err(|e| fail(e.to_string()))?;
    if !response.ok() {
        return Err(fail(format!("HTTP {}", response.status())));
    }
    let raw: web_sys::Response = response.into();
    let promise = raw.blob().map_err(|e| fail(format!("{e:?}")))?;
    let blob = JsFuture::from(promise)
        .await
        .map_err(|e| fail(format!("{e:?}")))?;
    blob.dyn_into::<Blob>()
        .map_err(|_| fail("not a blob".into()))
}

/// Fetches a same-origin asset's bytes.
pub async fn fetch_bytes(url: &str) -> Result<Vec<u8>, AppError> {
    let blob = fetch_blob(url).await?;
    read_slice(&blob, url, 0.0, blob.size()).await
}
