//! The app's entry point: panic hook, then mount.

#[cfg(target_arch = "wasm32")]
fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(corpuscope_app::app::App);
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("corpuscope-app runs in the browser: build it with `trunk build`");
}
