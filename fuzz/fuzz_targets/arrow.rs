//! Arrow IPC: the fuzzer's bytes as an IPC stream (behind a continuation
//! marker if they lack one) or, when they start with `ARROW1`, an IPC file,
//! through the `FileReader` whole and in odd chunks. Seeds: the Arrow
//! fixtures in tests/fixtures/containers.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut bytes = data.to_vec();
    if !bytes.starts_with(b"ARROW1") && !bytes.starts_with(&[0xFF; 4]) {
        bytes.splice(0..0, [0xFF, 0xFF, 0xFF, 0xFF]);
    }
    corpuscope_fuzz::check_file(
        "f.arrow",
        &bytes,
        &corpuscope_fuzz::options(false),
        &corpuscope_fuzz::sizes(&bytes),
    );
});
