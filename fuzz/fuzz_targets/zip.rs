//! Zip: the fuzzer's bytes behind a local file header's signature, through
//! the `FileReader` whole and in odd chunks (members' problems name
//! `f.zip/member`), and through the raw deflate `Decompressor` a zip member
//! uses. Seeds: the zip fixtures in tests/fixtures/containers.
#![no_main]

use corpuscope_core::ingest::Compression;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut bytes = data.to_vec();
    if !bytes.starts_with(b"PK") {
        bytes.splice(0..0, *b"PK\x03\x04");
    }
    corpuscope_fuzz::check_file(
        "f.zip",
        &bytes,
        &corpuscope_fuzz::options(false),
        &corpuscope_fuzz::sizes(&bytes),
    );
    corpuscope_fuzz::decompress(Compression::Deflate, data);
});
