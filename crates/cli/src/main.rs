//! `corpuscope`: the engine over files on disk, on all cores.

mod detect;
mod scan;
mod summary;
mod tokenizer;

use anyhow::Result;
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "corpuscope", version, about = "Explore LLM training corpora")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Read data files; print token, entropy and duplicate statistics per source.
    Scan(Box<scan::ScanArgs>),
    /// List the bundled tokenizers.
    Tokenizers,
}

fn main() -> Result<()> {
    match Cli::parse().command {
        Command::Scan(args) => scan::run(&args),
        Command::Tokenizers => {
            for t in corpuscope_core::tokenize::BUNDLED_TOKENIZERS {
                println!("{:<34} {}", t.name, t.description);
            }
            Ok(())
        }
    }
}
