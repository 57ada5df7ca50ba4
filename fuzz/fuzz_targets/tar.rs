//! Tar: the fuzzer's bytes as a tar archive (a ustar magic is written at
//! offset 257 if missing), through the `FileReader` whole and in odd chunks;
//! members' problems name `f.tar/member`. Seeds: the tar fixture in
//! tests/fixtures/containers.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut bytes = data.to_vec();
    if bytes.len() < 262 {
        bytes.resize(262, 0);
    }
    if &bytes[257..262] != b"ustar" {
        bytes[257..262].copy_from_slice(b"ustar");
    }
    corpuscope_fuzz::check_file(
        "f.tar",
        &bytes,
        &corpuscope_fuzz::options(false),
        &corpuscope_fuzz::sizes(&bytes),
    );
});
