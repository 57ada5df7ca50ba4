//! JSON (a streamed top-level array, or top-level objects) through the
//! `FileReader`, whole and in odd chunks, with and without a vector field.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    corpuscope_fuzz::check_text_format("f.json", data);
});
