//! CSV and TSV through the `FileReader`, whole and in odd chunks.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    corpuscope_fuzz::check_text_format("f.csv", data);
    corpuscope_fuzz::check_text_format("f.tsv", data);
});
