//! `corpuscope scan`: read files in chunks, analyse documents on all cores,
//! print a summary and write the report.

use anyhow::{bail, Context, Result};
use clap::Args;
use corpuscope_core::analyze::{Analyzer, DocumentFacts};
use corpuscope_core::dedup::{
    optimal_params, DedupParams, MinHashParams, MinHashScheme, ShingleKind,
};
use corpuscope_core::ingest::{Batch, FieldChoice, FileReader, ReadOptions, TextMode};
use corpuscope_core::report::{Report, ReportBuilder};
use corpuscope_core::Document;
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use std::io::Read;
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
    let analyzer = Analyzer::new(counter, params)?;
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
    let report = scan(&args.files, &name, params, &analyzer, &options)?;
    crate::summary::print(&report);
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
    analyzer: &Analyzer,
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
    // One analyzer per worker thread, so word caches stay warm.
    let analyzers: Vec<Mutex<Analyzer>> = (0..rayon::current_num_threads())
        .map(|_| Mutex::new(analyzer.clone()))
        .collect();
    let mut builder = ReportBuilder::new(tokenizer, params)?;
    for path in files {
        progress.set_message(file_name(path));
        scan_file(path, options, &analyzers, &mut builder, &progress)?;
    }
    progress.finish_and_clear();
    Ok(builder.finish()?)
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

fn scan_file(
    path: &Path,
    options: &ReadOptions,
    analyzers: &[Mutex<Analyzer>],
    builder: &mut ReportBuilder,
    progress: &ProgressBar,
) -> Result<()> {
    let mut file =
        std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let mut reader = FileReader::new(file_name(path), options.clone());
    let mut buf = vec![0u8; CHUNK];
    let mut batch = Batch::default();
    loop {
        let n = file
            .read(&mut buf)
            .with_context(|| format!("cannot read {}", path.display()))?;
        if n == 0 {
            let report = reader.finish(&mut batch);
            drain(&mut batch, analyzers, builder)?;
            builder.add_file(report);
            return Ok(());
        }
        reader.feed(&buf[..n], &mut batch);
        progress.inc(n as u64);
        if batch.documents.len() >= BATCH {
            drain(&mut batch, analyzers, builder)?;
        }
    }
}

/// Analyses the batch's documents in parallel and adds them in order.
fn drain(
    batch: &mut Batch,
    analyzers: &[Mutex<Analyzer>],
    builder: &mut ReportBuilder,
) -> Result<()> {
    let facts: Vec<DocumentFacts> = batch
        .documents
        .par_iter()
        .map(|doc: &Document| {
            let slot = rayon::current_thread_index().unwrap_or(0) % analyzers.len();
            let mut analyzer = analyzers[slot].lock().unwrap_or_else(|p| p.into_inner());
            analyzer.analyze(doc)
        })
        .collect::<corpuscope_core::Result<_>>()?;
    for f in facts {
        builder.add(f)?;
    }
    builder.add_problems(batch.problems.drain(..));
    batch.documents.clear();
    Ok(())
}
