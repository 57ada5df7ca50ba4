//! bzip2: the fuzzer's bytes behind a bzip2 magic number, through the
//! `FileReader` (decompression, then JSON Lines) whole and in odd chunks, and
//! through the `Decompressor` alone with a tight bomb limit.
#![no_main]

use corpuscope_core::ingest::Compression;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut bytes = data.to_vec();
    if !bytes.starts_with(b"BZh") {
        bytes.splice(0..0, *b"BZh91AY&SY");
    }
    corpuscope_fuzz::check_text_format("f.jsonl.bz2", &bytes);
    corpuscope_fuzz::decompress(Compression::Bzip2, &bytes);
});
