//! `corpuscope scan`: read files in chunks, analyse documents on all cores,
//! print a summary and write the report.

use anyhow::{bail, Context, Result};
use clap::Args;
use corpuscope_core::dedup::{
    optimal_params, DedupParams, MinHashParams, MinHashScheme, ShingleKind,
};
use corpuscope_core::ingest::{FieldChoice, ReadOptions, TextMode};
use corpuscope_core::pipeline::{Analysis, Analyzed, Pipeline};
use corpuscope_core::report::Report;
use corpuscope_core::Document;
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Bytes read from a file at a time.
const CHUNK: usize = 4 << 20;
/// Documents analysed together (bounds memory with the chunk).
const BATCH: usize = 4096;

#[derive(Args)]
pub struct ScanArgs {
    /// Data files to read.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Bundled tokenizer name (see `corpuscope tokenizers`) or a tokenizer.json path.
    #[arg(long, default_value = "gpt2-bytelevel-bpe")]
    tokenizer: String,
    /// Jaccard threshold the LSH banding is tuned for (as datasketch picks it).
    #[arg(long, conflicts_with_all = ["bands", "rows"])]
    threshold: Option<f64>,
    /// LSH bands.
    #[arg(long, requires = "rows")]
    bands: Option<usize>,
    /// Rows per LSH band.
    #[arg(long, requires = "bands")]
    rows: Option<usize>,
    /// MinHash permutations (signature length).
    #[arg(long, default_value_t = 112)]
    num_perm: usize,
    /// How MinHash signatures are made: `one-permutation` (one hash per
    /// shingle into K bins, empty bins filled by optimal densification; fast)
    /// or `permutations` (K permutations of each shingle, datasketch's family).
    /// Signatures of the two never compare.
    #[arg(long, value_enum, default_value_t = Scheme::OnePermutation)]
    scheme: Scheme,
    /// Shingle length: words, or characters with --char-shingles.
    #[arg(long, default_value_t = 5)]
    ngram: usize,
    /// Shingle by characters instead of words (code, languages without spaces).
    #[arg(long)]
    char_shingles: bool,
    /// Keep a candidate pair only if the exact Jaccard of its shingles reaches this.
    #[arg(long)]
    verify: Option<f64>,
    /// Field holding the text (dotted path); detected when absent.
    #[arg(long)]
    text_field: Option<String>,
    /// Field naming the source (dotted path); detected when absent.
    #[arg(long)]
    source_field: Option<String>,
    /// Field holding each record's vector, a list of numbers (dotted path;
    /// JSON Lines, JSON, Parquet): records whose vector is missing, not
    /// finite, all zeros or of another length than the file's first are
    /// rejected.
    #[arg(long, value_name = "PATH")]
    vector_field: Option<String>,
    /// Read plain-text files as blank-line separated blocks, not one document each.
    #[arg(long)]
    text_blocks: bool,
    /// Label every document with datatrove's quality filters (Gopher
    /// quality and repetition, C4 quality and paragraph, FineWeb quality, at
    /// their default thresholds) and its language; the summary then shows
    /// what each filter would remove per source.
    #[arg(long)]
    quality: bool,
    /// Write the full report as JSON here.
    #[arg(long)]
    report: Option<PathBuf>,
    /// Worker threads (default: all cores).
    #[arg(long)]
    threads: Option<usize>,
}

/// `--scheme`'s values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum Scheme {
    OnePermutation,
    Permutations,
}

impl From<Scheme> for MinHashScheme {
    fn from(scheme: Scheme) -> Self {
        match scheme {
            Scheme::OnePermutation => MinHashScheme::OnePermutation,
            Scheme::Permutations => MinHashScheme::Permutations,
        }
    }
}

impl ScanArgs {
    fn dedup_params(&self) -> DedupParams {
        let mut minhash = MinHashParams {
            num_perm: self.num_perm,
            scheme: self.scheme.into(),
            shingle: if self.char_shingles {
                ShingleKind::Chars(self.ngram)
            } else {
                ShingleKind::Words(self.ngram)
            },
            ..MinHashParams::default()
        };
        if let (Some(b), Some(r)) = (self.bands, self.rows) {
            (minhash.bands, minhash.rows) = (b, r);
        } else if let Some(t) = self.threshold {
            (minhash.bands, minhash.rows) = optimal_params(t, self.num_perm, 0.5, 0.5);
        }
        DedupParams {
            minhash,
            verify_threshold: self.verify,
        }
    }
}

/// Runs `scan`.
pub fn run(args: &ScanArgs) -> Result<()> {
    if let Some(t) = args.threshold.or(args.verify) {
        if !(0.0..=1.0).contains(&t) {
            bail!("a Jaccard threshold lies between 0 and 1, not {t}");
        }
    }
    if let Some(n) = args.threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build_global()?;
    }
    let (name, counter) = crate::tokenizer::load(&args.tokenizer)?;
    let params = args.dedup_params();
    let analysis = Analysis::new(counter, params, false)?.with_quality_labels(args.quality);
    let options = ReadOptions {
        fields: FieldChoice {
            text: args.text_field.clone(),
            source: args.source_field.clone(),
            vector: args.vector_field.clone(),
            ..FieldChoice::default()
        },
        text_mode: if args.text_blocks {
            TextMode::Blocks
        } else {
            TextMode::Whole
        },
        ..ReadOptions::default()
    };
    for path in &args.files {
        for line in crate::detect::notes(path, &file_name(path), &options)? {
            eprintln!("{line}");
        }
    }
    let report = scan(&args.files, &name, params, &analysis, &options)?;
    crate::summary::print(&report);
    if let Some(quality) = &report.quality {
        println!(
            "\nquality filters (share of documents each would remove):\n{}",
            quality.table()
        );
    }
    if let Some(path) = &args.report {
        let file = std::fs::File::create(path)
            .with_context(|| format!("cannot write {}", path.display()))?;
        serde_json::to_writer(std::io::BufWriter::new(file), &report)?;
        println!("report written to {}", path.display());
    }
    Ok(())
}

/// Reads every file and builds the report.
pub fn scan(
    files: &[PathBuf],
    tokenizer: &str,
    params: DedupParams,
    analysis: &Analysis,
    options: &ReadOptions,
) -> Result<Report> {
    let mut total = 0;
    for path in files {
        total += std::fs::metadata(path)
            .with_context(|| format!("cannot read {}", path.display()))?
            .len();
    }
    let progress = ProgressBar::new(total).with_style(
        ProgressStyle::with_template(
            "{msg:20!} [{bar:30}] {binary_bytes}/{binary_total_bytes} {binary_bytes_per_sec} eta {eta}",
        )?
        .progress_chars("=> "),
    );
    // One analysis per worker thread, so word caches stay warm.
    let analyses: Vec<Mutex<Analysis>> = (0..rayon::current_num_threads())
        .map(|_| Mutex::new(analysis.clone()))
        .collect();
    let mut pipeline = Pipeline::new(tokenizer, params)?;
    for path in files {
        progress.set_message(file_name(path));
        let file =
            std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
        pipeline.read_file(
            file_name(path),
            options.clone(),
            file,
            (CHUNK, BATCH),
            |documents| analyze(documents, &analyses),
            |n| progress.inc(n),
        )?;
    }
    progress.finish_and_clear();
    Ok(pipeline.finish()?.report)
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// Analyses `documents` on all threads, in contiguous shares (several per
/// thread, so uneven documents balance), joined in order.
fn analyze(
    documents: &[Document],
    analyses: &[Mutex<Analysis>],
) -> corpuscope_core::Result<Analyzed> {
    let share = documents.len().div_ceil(analyses.len() * 8).max(1);
    let shares = documents
        .par_chunks(share)
        .map(|share| {
            let slot = rayon::current_thread_index().unwrap_or(0) % analyses.len();
            let mut analysis = analyses[slot].lock().unwrap_or_else(|p| p.into_inner());
            analysis.analyze(None, share)
        })
        .collect::<corpuscope_core::Result<Vec<_>>>()?;
    Analyzed::concat(shares)
}
