//! Shared data for the dedup tests: the demo corpus and planted near duplicates.

use std::collections::HashSet;
use std::sync::OnceLock;

use corpuscope_core::Document;

/// The demo corpus, line by line (line i is document i).
pub fn demo() -> &'static [Document] {
    static DEMO: OnceLock<Vec<Document>> = OnceLock::new();
    DEMO.get_or_init(|| {
        let text = std::fs::read_to_string(crate::oracle::path("assets/corpus/demo.jsonl"))
            .expect("read the demo corpus");
        text.lines()
            .enumerate()
            .map(|(i, line)| {
                let v: serde_json::Value = serde_json::from_str(line).expect("demo line is JSON");
                Document {
                    line: i as u64 + 1,
                    source: v["source"].as_str().expect("source").to_string(),
                    text: v["text"].as_str().expect("text").to_string(),
                    vector: None,
                    conversation: None,
                }
            })
            .collect()
    })
}

/// The first `per_source` documents of each of `sources` with 100 to 1,500
/// whitespace-separated words.
pub fn real_texts(sources: &[&str], per_source: usize) -> Vec<String> {
    let mut out = Vec::new();
    for source in sources {
        out.extend(
            demo()
                .iter()
                .filter(|d| d.source == *source)
                .filter(|d| (100..=1500).contains(&d.text.split_whitespace().count()))
                .take(per_source)
                .map(|d| d.text.clone()),
        );
    }
    out
}

/// A small deterministic generator (SplitMix64), so the tests need no RNG crate.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// `text` with each whitespace-separated word, at `rate`, replaced by a fresh
/// word, deleted, or preceded by an inserted fresh word (one third each).
pub fn mutate(text: &str, rate: f64, rng: &mut Rng) -> String {
    let mut out: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        if rng.unit() >= rate {
            out.push(word.to_string());
            continue;
        }
        let fresh = format!("zq{}", rng.next() % 1_000_000);
        match rng.next() % 3 {
            0 => out.push(fresh),
            1 => {}
            _ => {
                out.push(fresh);
                out.push(word.to_string());
            }
        }
    }
    out.join(" ")
}

/// Real texts followed by their planted mutants.
pub struct Planted {
    pub texts: Vec<String>,
    /// (base, mutant) document indices.
    pub pairs: Vec<(u32, u32)>,
}

/// For each base and each of `mutants` copies, a mutant at the next rate of
/// `rates` (cycling).
pub fn plant(bases: &[String], mutants: usize, rates: &[f64], seed: u64) -> Planted {
    let mut rng = Rng(seed);
    let mut texts = bases.to_vec();
    let mut pairs = Vec::new();
    let mut k = 0;
    for (i, base) in bases.iter().enumerate() {
        for _ in 0..mutants {
            pairs.push((i as u32, texts.len() as u32));
            texts.push(mutate(base, rates[k % rates.len()], &mut rng));
            k += 1;
        }
    }
    Planted { texts, pairs }
}

/// The word 5-gram set of `text`, as strings: an independent reading of the
/// engine's documented rule (alphanumeric runs, lowercased).
pub fn word_shingles(text: &str, n: usize) -> HashSet<Vec<String>> {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    words
        .windows(n.min(words.len()).max(1))
        .map(<[String]>::to_vec)
        .collect()
}

/// Exact Jaccard of two string shingle sets.
pub fn jaccard(a: &HashSet<Vec<String>>, b: &HashSet<Vec<String>>) -> f64 {
    let both = a.intersection(b).count();
    both as f64 / (a.len() + b.len() - both).max(1) as f64
}
