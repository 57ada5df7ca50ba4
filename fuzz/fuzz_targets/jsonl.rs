//! JSON Lines through the `FileReader` (named `.jsonl`, and unnamed so the
//! format is sniffed), whole and in odd chunks, with and without a vector field.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    corpuscope_fuzz::check_text_format("f.jsonl", data);
    corpuscope_fuzz::check_text_format("data", data);
});
