//! The native side of `make bench`: the same figures as the browser's
//! benchmark page (`corpuscope_core::benchmark`), timed with `Instant`, and
//! the demo corpus's shingle sets for the Python anchors.
//!
//! `cargo run --release -p corpuscope-core --example bench_figures -- OUT_DIR [REPEATS]`
//! writes `OUT_DIR/native.json` and `OUT_DIR/shingles.bin` (`BENCH_ONLY=minhash`
//! or `tokenize`: only those figures).

use corpuscope_core::benchmark::{
    jsonl_texts, minhash_figures, shingle_sets, shingles_to_bytes, tokenize_figures,
};
use std::path::PathBuf;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let out = PathBuf::from(
        args.next()
            .ok_or("usage: bench_figures OUT_DIR [REPEATS]")?,
    );
    let repeats: usize = args.next().map_or(Ok(3), |r| r.parse())?;
    let assets = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../assets");
    let texts = jsonl_texts(&std::fs::read(assets.join("corpus/demo.jsonl"))?)?;
    std::fs::create_dir_all(&out)?;
    std::fs::write(
        out.join("shingles.bin"),
        shingles_to_bytes(&shingle_sets(&texts)?),
    )?;
    let tokenizers: Vec<(String, Vec<u8>)> = ["gpt2-bytelevel-bpe", "cl100k_base"]
        .iter()
        .map(|name| {
            let path = assets.join(format!("tokenizers/{name}/tokenizer.json"));
            std::fs::read(path).map(|json| (name.to_string(), json))
        })
        .collect::<Result<_, _>>()?;
    let origin = Instant::now();
    let now = move || origin.elapsed().as_secs_f64() * 1e3;
    // BENCH_ONLY=minhash (or tokenize) runs one of the two.
    let only = std::env::var("BENCH_ONLY").unwrap_or_default();
    let mut figures = serde_json::Map::new();
    if only != "minhash" {
        let tokenize = tokenize_figures(&texts, &tokenizers, repeats, &now)?;
        figures.insert("tokenize".into(), tokenize);
    }
    if only != "tokenize" {
        figures.insert("minhash".into(), minhash_figures(&texts, repeats, &now)?);
    }
    let json = serde_json::to_string_pretty(&figures)?;
    std::fs::write(out.join("native.json"), &json)?;
    println!("{json}");
    Ok(())
}
