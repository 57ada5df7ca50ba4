//! Parquet: the fuzzer's bytes (given the `PAR1` magic at both ends when
//! missing) through the `FileReader`, whole and in chunks, with and without
//! a vector field; through the preview and `parquet_schema` as the app's
//! column mapping uses them; and with the pure-Rust zstd page reader that the
//! browser build uses. Seeds: `tests/fixtures/parquet` (see scripts/fuzz.sh).
#![no_main]

use corpuscope_core::ingest::{parquet_schema, preview, Batch, ParquetParser, Parser};
use corpuscope_fuzz::{check_file, options};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut bytes = data.to_vec();
    if !bytes.starts_with(b"PAR1") {
        bytes.splice(0..0, *b"PAR1");
    }
    if !bytes.ends_with(b"PAR1") {
        bytes.extend_from_slice(b"PAR1");
    }
    for vector in [false, true] {
        let options = options(vector);
        check_file("f.parquet", &bytes, &options, &[4099]);
        let _ = preview("f.parquet", &bytes, true, &options);
        let mut parser = ParquetParser::new("f.parquet", options.fields.clone()).with_pure_rust_zstd();
        let mut out = Batch::default();
        parser.feed(&bytes, &mut out);
        parser.finish(&mut out);
    }
    let _ = parquet_schema(&bytes);
});
