//! xz: the fuzzer's bytes behind an xz magic number, through the
//! `FileReader` (decompression, then JSON Lines) whole and in odd chunks, and
//! through the `Decompressor` alone with a tight bomb limit.
#![no_main]

use corpuscope_core::ingest::Compression;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut bytes = data.to_vec();
    if !bytes.starts_with(b"\xFD7zXZ\x00") {
        bytes.splice(0..0, *b"\xFD7zXZ\x00");
    }
    corpuscope_fuzz::check_text_format("f.jsonl.xz", &bytes);
    corpuscope_fuzz::decompress(Compression::Xz, &bytes);
});
