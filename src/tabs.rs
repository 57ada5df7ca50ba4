//! Other tabs: a connection to the library kept open only to hear that
//! another tab (a newer Corpuscope) wants to upgrade or delete it. This tab
//! then stops its work between two batches, lets go of the library so the
//! other tab is not blocked, and asks the user to reload.

use crate::storage::{DB_NAME, DB_VERSION};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Calls `on_change` once, when another connection asks for a new version
/// of the library. Open it after the library exists (a first
/// [`crate::storage::Storage::open`]): it never creates or upgrades it.
pub fn watch(on_change: impl FnOnce() + 'static) {
    let Some(factory) = web_sys::window().and_then(|w| w.indexed_db().ok().flatten()) else {
        return;
    };
    let Ok(request) = factory.open_with_u32(DB_NAME, DB_VERSION) else {
        return;
    };
    // The library must already be at this version: never upgrade it here.
    let upgrade = Closure::once_into_js(|event: web_sys::IdbVersionChangeEvent| {
        let request: Option<web_sys::IdbOpenDbRequest> =
            event.target().and_then(|t| t.dyn_into().ok());
        if let Some(tx) = request.and_then(|r| r.transaction()) {
            let _ = tx.abort();
        }
    });
    request.set_onupgradeneeded(Some(upgrade.unchecked_ref()));
    let opened = request.clone();
    let success = Closure::once_into_js(move || {
        let Some(db) = opened
            .result()
            .ok()
            .and_then(|r| r.dyn_into::<web_sys::IdbDatabase>().ok())
        else {
            return;
        };
        let watcher = db.clone();
        let change = Closure::once_into_js(move || {
            watcher.close();
            on_change();
        });
        db.set_onversionchange(Some(change.unchecked_ref()));
    });
    request.set_onsuccess(Some(success.unchecked_ref()));
}
