//! Shingling: a document as a set of hashed word or character n-grams.

use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::xxh3_64;

/// What a shingle is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ShingleKind {
    /// `n` consecutive words (prose; datatrove's and FineWeb's default is 5).
    Words(usize),
    /// `n` consecutive characters of the lowercased, whitespace-collapsed text
    /// (code, CJK and other text without spaces between words).
    Chars(usize),
}

/// Turns a text into shingle hashes (u64), reusing its buffers between texts.
///
/// Words are maximal runs of characters with `char::is_alphanumeric`, each
/// lowercased by `char::to_lowercase`; everything else separates words. A word's
/// hash is XXH3-64 of its UTF-8 bytes; a word shingle's hash is XXH3-64 of the
/// little-endian bytes of its `n` word hashes. A character shingle's hash is
/// XXH3-64 of its UTF-8 bytes. A text shorter than one shingle yields one
/// shingle of all it has; an empty text (no words, no characters) yields none.
#[derive(Debug, Clone)]
pub struct Shingler {
    kind: ShingleKind,
    word: String,
    words: Vec<u64>,
    text: String,
    bounds: Vec<usize>,
}

impl Shingler {
    /// A shingler of `kind`; `n` must be at least 1 ([`super::MinHashParams::validate`]).
    pub fn new(kind: ShingleKind) -> Self {
        Self {
            kind,
            word: String::new(),
            words: Vec::new(),
            text: String::new(),
            bounds: Vec::new(),
        }
    }

    /// The kind of shingle this shingler makes.
    pub fn kind(&self) -> ShingleKind {
        self.kind
    }

    /// Calls `each` with the hash of every shingle of `text`, in order, repeats
    /// included.
    pub fn for_each(&mut self, text: &str, mut each: impl FnMut(u64)) {
        match self.kind {
            ShingleKind::Words(n) => {
                self.split_words(text);
                let n = n.max(1);
                if self.words.is_empty() {
                    return;
                }
                let mut bytes = [0u8; 8 * 32];
                for window in self.words.windows(n.min(self.words.len())) {
                    if window.len() > 32 {
                        let all: Vec<u8> = window.iter().flat_map(|h| h.to_le_bytes()).collect();
                        each(xxh3_64(&all));
                        continue;
                    }
                    for (slot, hash) in bytes.chunks_exact_mut(8).zip(window) {
                        slot.copy_from_slice(&hash.to_le_bytes());
                    }
                    each(xxh3_64(&bytes[..8 * window.len()]));
                }
            }
            ShingleKind::Chars(n) => {
                self.collapse(text);
                let n = n.max(1);
                let chars = self.bounds.len() - 1;
                if chars == 0 {
                    return;
                }
                let n = n.min(chars);
                for start in 0..=chars - n {
                    each(xxh3_64(
                        &self.text.as_bytes()[self.bounds[start]..self.bounds[start + n]],
                    ));
                }
            }
        }
    }

    /// The set of shingle hashes of `text`: sorted, without repeats.
    pub fn shingle_set(&mut self, text: &str) -> ShingleSet {
        let mut hashes = Vec::new();
        self.for_each(text, |h| hashes.push(h));
        hashes.sort_unstable();
        hashes.dedup();
        ShingleSet(hashes)
    }

    fn split_words(&mut self, text: &str) {
        self.words.clear();
        self.word.clear();
        for c in text.chars() {
            if c.is_alphanumeric() {
                self.word.extend(c.to_lowercase());
            } else if !self.word.is_empty() {
                self.words.push(xxh3_64(self.word.as_bytes()));
                self.word.clear();
            }
        }
        if !self.word.is_empty() {
            self.words.push(xxh3_64(self.word.as_bytes()));
        }
    }

    fn collapse(&mut self, text: &str) {
        self.text.clear();
        for word in text.split_whitespace() {
            if !self.text.is_empty() {
                self.text.push(' ');
            }
            self.text.extend(word.chars().flat_map(char::to_lowercase));
        }
        self.bounds.clear();
        self.bounds.extend(self.text.char_indices().map(|(i, _)| i));
        self.bounds.push(self.text.len());
    }
}

/// A document's distinct shingle hashes, sorted: kept only to verify candidate
/// pairs by their exact Jaccard similarity.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShingleSet(pub Vec<u64>);

impl ShingleSet {
    /// Exact Jaccard similarity |A ∩ B| / |A ∪ B| (1 for two empty sets).
    pub fn jaccard(&self, other: &ShingleSet) -> f64 {
        let (a, b) = (&self.0, &other.0);
        if a.is_empty() && b.is_empty() {
            return 1.0;
        }
        let (mut i, mut j, mut both) = (0, 0, 0usize);
        while i < a.len() && j < b.len() {
            match a[i].cmp(&b[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    both += 1;
                    i += 1;
                    j += 1;
                }
            }
        }
        both as f64 / (a.len() + b.len() - both) as f64
    }

    /// The number of distinct shingles.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the document had no shingle.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(kind: ShingleKind, text: &str) -> usize {
        Shingler::new(kind).shingle_set(text).len()
    }

    #[test]
    fn shingle_counts() {
        let cases = [
            (ShingleKind::Words(2), "a b c", 2),
            (ShingleKind::Words(2), "A, b; a B!", 2), // "a b", "b a"
            (ShingleKind::Words(5), "just three words", 1),
            (ShingleKind::Words(5), " ... ", 0),
            (ShingleKind::Chars(3), "abcd", 2),
            (ShingleKind::Chars(3), "ab\n\n AB", 3), // "ab ", "b a", " ab"
            (ShingleKind::Chars(3), "日本語の", 2),
            (ShingleKind::Chars(3), "  ", 0),
        ];
        for (kind, text, want) in cases {
            assert_eq!(count(kind, text), want, "{kind:?} {text:?}");
        }
    }

    #[test]
    fn jaccard_of_sets() {
        let a = ShingleSet(vec![1, 2, 3, 4]);
        let b = ShingleSet(vec![3, 4, 5]);
        assert_eq!(a.jaccard(&b), 2.0 / 5.0);
        assert_eq!(a.jaccard(&a), 1.0);
        assert_eq!(ShingleSet::default().jaccard(&a), 0.0);
    }
}
