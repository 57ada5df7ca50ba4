//! zstd: the fuzzer's bytes behind a zstd magic number, through the
//! `FileReader` (decompression, then JSON Lines) whole and in odd chunks, and
//! through the `Decompressor` alone with a tight bomb limit.
#![no_main]

use corpuscope_core::ingest::Compression;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut bytes = data.to_vec();
    if !bytes.starts_with(&[0x28, 0xB5, 0x2F, 0xFD]) {
        bytes.splice(0..0, [0x28, 0xB5, 0x2F, 0xFD]);
    }
    corpuscope_fuzz::check_text_format("f.jsonl.zst", &bytes);
    corpuscope_fuzz::decompress(Compression::Zstd, &bytes);
});
