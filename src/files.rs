//! Reading browser files, fetched URLs and bundled assets, chunk by chunk.

use crate::error::AppError;
use js_sys::{Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, ReadableStreamDefaultReader};

/// Bytes read from a file per slice.
pub const SLICE_BYTES: f64 = (1 << 20) as f64;

/// Where an input's bytes come from.
#[derive(Clone)]
pub enum Source {
    /// A dropped or picked file, or any blob: read by slices.
    Blob(Blob),
    /// An http(s) URL: streamed as the response body arrives.
    Url(String),
}

/// An open input, yielding its bytes in chunks.
pub enum Chunks {
    Blob {
        blob: Blob,
        name: String,
        pos: f64,
    },
    Stream {
        reader: ReadableStreamDefaultReader,
        name: String,
    },
}

impl Chunks {
    /// Opens `source` for reading; also returns its size when known.
    pub async fn open(source: &Source, name: &str) -> Result<(Self, Option<f64>), AppError> {
        match source {
            Source::Blob(blob) => Ok((
                Chunks::Blob {
                    blob: blob.clone(),
                    name: name.to_string(),
                    pos: 0.0,
                },
                Some(blob.size()),
            )),
            Source::Url(url) => {
                let response = fetch(url).await?;
                let size = response
                    .headers()
                    .get("content-length")
                    .ok()
                    .flatten()
                    .and_then(|s| s.parse::<f64>().ok());
                let body = response
                    .body()
                    .ok_or_else(|| fetch_error(url, "the response has no body".into()))?;
                let reader = body
                    .get_reader()
                    .dyn_into::<ReadableStreamDefaultReader>()
                    .map_err(|_| fetch_error(url, "cannot read the response body".into()))?;
                Ok((
                    Chunks::Stream {
                        reader,
                        name: name.to_string(),
                    },
                    size,
                ))
            }
        }
    }

    /// The next chunk, or `None` at the end.
    pub async fn next(&mut self) -> Result<Option<Vec<u8>>, AppError> {
        match self {
            Chunks::Blob { blob, name, pos } => {
                let size = blob.size();
                if *pos >= size {
                    return Ok(None);
                }
                let end = (*pos + SLICE_BYTES).min(size);
                let bytes = read_slice(blob, name, *pos, end).await?;
                *pos = end;
                Ok(Some(bytes))
            }
            Chunks::Stream { reader, name } => {
                let result = JsFuture::from(reader.read())
                    .await
                    .map_err(|e| read_error(name, e))?;
                let done = Reflect::get(&result, &"done".into())
                    .map_err(|e| read_error(name, e))?
                    .as_bool()
                    .unwrap_or(true);
                if done {
                    return Ok(None);
                }
                let value =
                    Reflect::get(&result, &"value".into()).map_err(|e| read_error(name, e))?;
                Ok(Some(Uint8Array::new(&value).to_vec()))
            }
        }
    }

    /// The first `max` bytes of `source` (a little more from a stream), and
    /// whether that is all of it.
    pub async fn head(source: &Source, name: &str, max: f64) -> Result<(Vec<u8>, bool), AppError> {
        if let Source::Blob(blob) = source {
            let take = blob.size().min(max);
            let bytes = read_slice(blob, name, 0.0, take).await?;
            return Ok((bytes, take >= blob.size()));
        }
        let (mut chunks, _) = Chunks::open(source, name).await?;
        let mut bytes = Vec::new();
        while (bytes.len() as f64) < max {
            match chunks.next().await? {
                Some(chunk) => bytes.extend_from_slice(&chunk),
                None => return Ok((bytes, true)),
            }
        }
        chunks.close();
        Ok((bytes, false))
    }

    /// Stops reading; a stream is cancelled so the download stops too.
    pub fn close(&mut self) {
        if let Chunks::Stream { reader, .. } = self {
            // Cancelling an already closed stream is harmless.
            let _ = reader.cancel();
        }
    }
}

fn read_error(name: &str, e: JsValue) -> AppError {
    AppError::Read {
        file: name.to_string(),
        reason: js_message(&e),
    }
}

fn fetch_error(url: &str, reason: String) -> AppError {
    AppError::Fetch {
        url: url.to_string(),
        reason,
    }
}

/// A readable message from a thrown JavaScript value.
pub fn js_message(e: &JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| format!("{e:?}"))
}

/// Reads bytes `start..end` of `blob` without reading the rest.
pub async fn read_slice(
    blob: &Blob,
    name: &str,
    start: f64,
    end: f64,
) -> Result<Vec<u8>, AppError> {
    let slice = blob
        .slice_with_f64_and_f64(start, end)
        .map_err(|e| read_error(name, e))?;
    let buffer = JsFuture::from(slice.array_buffer())
        .await
        .map_err(|e| read_error(name, e))?;
    Ok(Uint8Array::new(&buffer).to_vec())
}

async fn fetch(url: &str) -> Result<web_sys::Response, AppError> {
    let response = gloo_net::http::Request::get(url)
        .send()
        .await
        .map_err(|e| fetch_error(url, e.to_string()))?;
    if !response.ok() {
        return Err(fetch_error(
            url,
            format!("HTTP {} {}", response.status(), response.status_text()),
        ));
    }
    Ok(response.into())
}

/// The Cache Storage holding bundled assets (tokenizers, the model) once
/// fetched; named after the app's version, whose build bundles them.
const ASSET_CACHE: &str = concat!("corpuscope-assets-", env!("CARGO_PKG_VERSION"));

/// A bundled asset's bytes: from the asset cache when it holds them, else
/// fetched and kept there (any cache failure falls back to the network).
pub async fn fetch_cached_bytes(url: &str) -> Result<Vec<u8>, AppError> {
    let cache = match web_sys::window().map(|w| w.caches()) {
        Some(Ok(caches)) => JsFuture::from(caches.open(ASSET_CACHE))
            .await
            .ok()
            .and_then(|c| c.dyn_into::<web_sys::Cache>().ok()),
        _ => None,
    };
    let Some(cache) = cache else {
        return fetch_bytes(url).await;
    };
    let kept = JsFuture::from(cache.match_with_str(url))
        .await
        .ok()
        .and_then(|r| r.dyn_into::<web_sys::Response>().ok());
    let response = match kept {
        Some(response) => response,
        None => {
            let response = fetch(url).await?;
            if let Ok(copy) = response.clone() {
                let _ = JsFuture::from(cache.put_with_str(url, &copy)).await;
            }
            response
        }
    };
    response_bytes(url, response).await
}

/// Fetches a same-origin asset's bytes, such as a bundled tokenizer.
pub async fn fetch_bytes(url: &str) -> Result<Vec<u8>, AppError> {
    response_bytes(url, fetch(url).await?).await
}

/// The whole body of `response` (from `url`).
async fn response_bytes(url: &str, response: web_sys::Response) -> Result<Vec<u8>, AppError> {
    let promise = response
        .array_buffer()
        .map_err(|e| fetch_error(url, js_message(&e)))?;
    let buffer = JsFuture::from(promise)
        .await
        .map_err(|e| fetch_error(url, js_message(&e)))?;
    Ok(Uint8Array::new(&buffer).to_vec())
}

/// Offers `bytes` to the user as a download called `name`.
pub fn download(name: &str, mime: &str, bytes: &[u8]) -> Result<(), AppError> {
    download_parts(name, mime, js_sys::Array::of1(&Uint8Array::from(bytes)))
}

/// Offers the concatenation of `parts` (`Uint8Array`s or strings, kept by
/// the browser rather than in wasm memory) as a download called `name`.
pub fn download_parts(name: &str, mime: &str, parts: js_sys::Array) -> Result<(), AppError> {
    let fail =
        |e: JsValue| AppError::Storage(format!("cannot offer the download: {}", js_message(&e)));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = Blob::new_with_u8_array_sequence_and_options(&parts, &options).map_err(fail)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(fail)?;
    offer(name, &url)?;
    web_sys::Url::revoke_object_url(&url).map_err(fail)
}

/// Offers what `href` (an object or data URL) holds as a download called `name`.
pub fn offer(name: &str, href: &str) -> Result<(), AppError> {
    let fail =
        |e: JsValue| AppError::Storage(format!("cannot offer the download: {}", js_message(&e)));
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(|| fail(JsValue::NULL))?;
    let anchor = document
        .create_element("a")
        .map_err(fail)?
        .dyn_into::<web_sys::HtmlAnchorElement>()
        .map_err(|_| fail(JsValue::NULL))?;
    anchor.set_href(href);
    anchor.set_download(name);
    anchor.click();
    Ok(())
}

/// Waits `ms` milliseconds (a `setTimeout`), yielding to the page.
pub async fn sleep_ms(ms: i32) {
    let wait = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            // Without a timer the promise resolves at once.
            if window
                .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
                .is_err()
            {
                let _ = resolve.call0(&wasm_bindgen::JsValue::NULL);
            }
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(wait).await;
}
