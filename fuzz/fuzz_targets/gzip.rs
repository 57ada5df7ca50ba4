//! gzip: the fuzzer's bytes behind a gzip magic number, through the
//! `FileReader` (decompression, then JSON Lines) whole and in odd chunks, and
//! through the `Decompressor` alone with a tight bomb limit.
#![no_main]

use corpuscope_core::ingest::Compression;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut bytes = data.to_vec();
    if !bytes.starts_with(&[0x1F, 0x8B]) {
        bytes.splice(0..0, [0x1F, 0x8B, 0x08, 0x00]);
    }
    corpuscope_fuzz::check_text_format("f.jsonl.gz", &bytes);
    corpuscope_fuzz::decompress(Compression::Gzip, &bytes);
});
