//! `corpuscope`: the engine over files on disk.

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use corpuscope_core::ingest::{Batch, FieldChoice, JsonlParser, Parser as _};
use corpuscope_core::stats::Totals;
use corpuscope_core::tokenize::TokenCounter;
use std::io::Read;
use std::path::{Path, PathBuf};

#[derive(Parser)]
#[command(name = "corpuscope", version, about = "Explore LLM training corpora")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Read JSONL files and print documents and tokens per file.
    Scan {
        /// Files to read.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Path to a tokenizer.json.
        #[arg(long)]
        tokenizer: PathBuf,
    },
}

fn main() -> Result<()> {
    match Cli::parse().command {
        Command::Scan { files, tokenizer } => scan(&files, &tokenizer),
    }
}

fn scan(files: &[PathBuf], tokenizer: &Path) -> Result<()> {
    let json =
        std::fs::read(tokenizer).with_context(|| format!("cannot read {}", tokenizer.display()))?;
    let counter = TokenCounter::from_json(&json)?;
    let mut all = Totals::default();
    println!(
        "{:<40} {:>10} {:>12} {:>12}",
        "file", "documents", "bytes", "tokens"
    );
    for path in files {
        let totals = scan_file(path, &counter)?;
        println!(
            "{:<40} {:>10} {:>12} {:>12}",
            path.display(),
            totals.documents,
            totals.bytes,
            totals.tokens
        );
        all.merge(&totals);
    }
    println!(
        "{:<40} {:>10} {:>12} {:>12}",
        "total", all.documents, all.bytes, all.tokens
    );
    Ok(())
}

fn scan_file(path: &Path, counter: &TokenCounter) -> Result<Totals> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut file =
        std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let mut parser = JsonlParser::new(name, FieldChoice::default());
    let mut totals = Totals::default();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = file.read(&mut buf)?;
        let mut batch = Batch::default();
        if n == 0 {
            parser.finish(&mut batch);
        } else {
            parser.feed(&buf[..n], &mut batch);
        }
        for doc in &batch.documents {
            totals.add(doc.text.len(), counter.count(&doc.text)?);
        }
        for p in &batch.problems {
            eprintln!("{}:{}: {}", p.file, p.line, p.reason);
        }
        if n == 0 {
            return Ok(totals);
        }
    }
}
