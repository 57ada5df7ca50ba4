//! The app's entry point: panic hook, then mount the app (or the benchmark page).

#[cfg(target_arch = "wasm32")]
fn main() {
    use corpuscope_app::components::bench::{is_bench_page, BenchPage};
    console_error_panic_hook::set_once();
    if is_bench_page() {
        leptos::mount::mount_to_body(BenchPage);
    } else {
        leptos::mount::mount_to_body(corpuscope_app::app::App);
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("corpuscope-app runs in the browser: build it with `trunk build`");
}
