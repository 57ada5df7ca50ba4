//! Files dropped on the page, with dropped folders walked through the
//! File and Directory Entries API (`webkitGetAsEntry`, `readEntries`).
//!
//! The API is reached by name through `Reflect`, so that anything shaped like
//! it (a test's stand-in included) works.

use js_sys::{Array, Function, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// The entries of what was dropped; must be taken during the drop event
/// (the browser empties the list afterwards). `None` when no folder was
/// dropped: the plain file list then serves.
pub fn folder_entries(transfer: &JsValue) -> Option<Vec<JsValue>> {
    let items = Reflect::get(transfer, &"items".into()).ok()?;
    let count = Reflect::get(&items, &"length".into()).ok()?.as_f64()? as u32;
    let entries: Vec<JsValue> = (0..count)
        .filter_map(|i| Reflect::get_u32(&items, i).ok())
        .filter_map(|item| call(&item, "webkitGetAsEntry", &[]).ok())
        .filter(|entry| !entry.is_null() && !entry.is_undefined())
        .collect();
    entries.iter().any(is_directory).then_some(entries)
}

/// Every file under `entries`, with its path (folders' files filtered by
/// `keep`, which sees the path): in the order the browser lists them.
pub async fn walk(
    entries: Vec<JsValue>,
    keep: impl Fn(&str) -> bool,
) -> Result<Vec<(String, web_sys::File)>, String> {
    let mut out = Vec::new();
    let mut stack: Vec<(JsValue, bool)> = entries.into_iter().rev().map(|e| (e, false)).collect();
    while let Some((entry, in_folder)) = stack.pop() {
        let path = Reflect::get(&entry, &"fullPath".into())
            .ok()
            .and_then(|p| p.as_string())
            .unwrap_or_default()
            .trim_start_matches('/')
            .to_string();
        if is_directory(&entry) {
            let children = read_all(&entry).await?;
            stack.extend(children.into_iter().rev().map(|c| (c, true)));
        } else if !in_folder || keep(&path) {
            let file = settle(&entry, "file").await?;
            out.push((path, file.unchecked_into()));
        }
    }
    Ok(out)
}

fn is_directory(entry: &JsValue) -> bool {
    Reflect::get(entry, &"isDirectory".into())
        .ok()
        .and_then(|v| v.as_bool())
        .unwrap_or(false)
}

/// All children of a folder entry: `readEntries` gives them in batches
/// until an empty one.
async fn read_all(folder: &JsValue) -> Result<Vec<JsValue>, String> {
    let reader = call(folder, "createReader", &[])?;
    let mut all = Vec::new();
    loop {
        let batch: Array = settle(&reader, "readEntries").await?.unchecked_into();
        if batch.length() == 0 {
            return Ok(all);
        }
        all.extend(batch.iter());
    }
}

/// Calls `target.method(onSuccess, onError)` and awaits the callback.
async fn settle(target: &JsValue, method: &str) -> Result<JsValue, String> {
    let target = target.clone();
    let method = method.to_string();
    let promise = Promise::new(&mut |ok, fail| {
        if let Err(e) = call(&target, &method, &[ok.into(), fail.clone().into()]) {
            let _ = fail.call1(&JsValue::NULL, &JsValue::from_str(&e));
        }
    });
    JsFuture::from(promise).await.map_err(|e| message(&e))
}

fn call(target: &JsValue, method: &str, args: &[JsValue]) -> Result<JsValue, String> {
    let f: Function = Reflect::get(target, &method.into())
        .map_err(|e| message(&e))?
        .dyn_into()
        .map_err(|_| format!("the dropped item has no {method}()"))?;
    f.apply(target, &args.iter().collect::<Array>())
        .map_err(|e| message(&e))
}

fn message(e: &JsValue) -> String {
    e.as_string()
        .or_else(|| {
            Reflect::get(e, &"message".into())
                .ok()
                .and_then(|m| m.as_string())
        })
        .unwrap_or_else(|| "the dropped folder could not be read".into())
}
