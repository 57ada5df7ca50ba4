//! Turning a byte stream into valid UTF-8: BOMs, UTF-16 and invalid bytes.

/// The text encoding of a stream, from its byte-order mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16Le,
    Utf16Be,
}

impl Encoding {
    /// The encoding named by the BOM at the start of `head`, and the BOM length.
    pub fn sniff(head: &[u8]) -> (Encoding, usize) {
        match head {
            [0xEF, 0xBB, 0xBF, ..] => (Encoding::Utf8, 3),
            [0xFF, 0xFE, ..] => (Encoding::Utf16Le, 2),
            [0xFE, 0xFF, ..] => (Encoding::Utf16Be, 2),
            _ => (Encoding::Utf8, 0),
        }
    }
}

/// Streams bytes out as valid UTF-8, replacing each invalid sequence (or
/// unpaired UTF-16 surrogate) by U+FFFD and counting the replacements.
#[derive(Debug)]
pub struct Utf8Stream {
    encoding: Encoding,
    /// BOM bytes still to drop at the start.
    skip: usize,
    /// Bytes of an unfinished character, carried to the next chunk.
    carry: Vec<u8>,
    /// A UTF-16 high surrogate waiting for its pair.
    high: Option<u16>,
    /// How many invalid sequences were replaced.
    pub replaced: u64,
    /// The line of the first replacement, once met.
    pub first_line: Option<u64>,
    /// Newlines put out before `counted`, until the first replacement.
    lines: u64,
    /// How much of `out` was searched for newlines.
    counted: usize,
    out: Vec<u8>,
}

impl Utf8Stream {
    /// A stream for data starting with `head` (used only to read the BOM).
    pub fn new(head: &[u8]) -> Self {
        let (encoding, skip) = Encoding::sniff(head);
        Self {
            encoding,
            skip,
            carry: Vec::new(),
            high: None,
            replaced: 0,
            first_line: None,
            lines: 0,
            counted: 0,
            out: Vec::new(),
        }
    }

    /// The encoding read from the BOM.
    pub fn encoding(&self) -> Encoding {
        self.encoding
    }

    /// Converts the next chunk; the result is valid UTF-8.
    pub fn feed(&mut self, mut chunk: &[u8]) -> &[u8] {
        self.out.clear();
        self.counted = 0;
        let drop = self.skip.min(chunk.len());
        chunk = &chunk[drop..];
        self.skip -= drop;
        match self.encoding {
            Encoding::Utf8 => self.utf8(chunk),
            Encoding::Utf16Le | Encoding::Utf16Be => self.utf16(chunk),
        }
        self.count_lines();
        &self.out
    }

    /// Counts the newlines put out, until the first replacement.
    fn count_lines(&mut self) {
        if self.first_line.is_none() {
            let new = &self.out[self.counted..];
            self.lines += new.iter().filter(|&&b| b == b'\n').count() as u64;
        }
        self.counted = self.out.len();
    }

    /// Names the replacements made, for a file-level note: `None` if none.
    pub fn note(&self) -> Option<String> {
        let n = self.replaced;
        let line = self.first_line?;
        let what = match (self.encoding, n) {
            (Encoding::Utf8, 1) => "1 invalid UTF-8 sequence was",
            (Encoding::Utf8, _) => "invalid UTF-8 sequences were",
            (_, 1) => "1 invalid UTF-16 sequence (an unpaired surrogate or an odd last byte) was",
            _ => "invalid UTF-16 sequences (unpaired surrogates or an odd last byte) were",
        };
        let count = if n == 1 {
            String::new()
        } else {
            format!("{n} ")
        };
        Some(format!(
            "{count}{what} replaced by U+FFFD; the first is on line {line}"
        ))
    }

    /// Flushes an unfinished character at the end of the stream.
    pub fn finish(&mut self) -> &[u8] {
        self.out.clear();
        self.counted = 0;
        if !self.carry.is_empty() || self.high.is_some() {
            self.carry.clear();
            self.high = None;
            self.replace();
        }
        &self.out
    }

    fn replace(&mut self) {
        if self.first_line.is_none() {
            self.count_lines();
            self.first_line = Some(self.lines + 1);
        }
        self.replaced += 1;
        self.out.extend_from_slice("\u{FFFD}".as_bytes());
    }

    fn utf8(&mut self, chunk: &[u8]) {
        let mut owned;
        let mut rest = if self.carry.is_empty() {
            chunk
        } else {
            owned = std::mem::take(&mut self.carry);
            owned.extend_from_slice(chunk);
            &owned[..]
        };
        loop {
            match std::str::from_utf8(rest) {
                Ok(s) => {
                    self.out.extend_from_slice(s.as_bytes());
                    return;
                }
                Err(e) => {
                    let (good, bad) = rest.split_at(e.valid_up_to());
                    self.out.extend_from_slice(good);
                    match e.error_len() {
                        Some(n) => {
                            self.replace();
                            rest = &bad[n..];
                        }
                        None => {
                            self.carry = bad.to_vec();
                            return;
                        }
                    }
                }
            }
        }
    }

    fn utf16(&mut self, chunk: &[u8]) {
        let mut bytes = chunk;
        let mut pair = [0u8; 2];
        if let Some(&first) = self.carry.first() {
            let Some((&second, rest)) = bytes.split_first() else {
                return;
            };
            pair = [first, second];
            self.carry.clear();
            self.unit(pair);
            bytes = rest;
        }
        let mut units = bytes.chunks_exact(2);
        for u in units.by_ref() {
            pair.copy_from_slice(u);
            self.unit(pair);
        }
        self.carry.extend_from_slice(units.remainder());
    }

    fn unit(&mut self, pair: [u8; 2]) {
        let unit = match self.encoding {
            Encoding::Utf16Be => u16::from_be_bytes(pair),
            _ => u16::from_le_bytes(pair),
        };
        let units: [u16; 2];
        let slice: &[u16] = match (self.high.take(), unit) {
            (None, 0xD800..=0xDBFF) => {
                self.high = Some(unit);
                return;
            }
            (Some(h), 0xDC00..=0xDFFF) => {
                units = [h, unit];
                &units
            }
            (Some(_), 0xD800..=0xDBFF) => {
                self.replace();
                self.high = Some(unit);
                return;
            }
            (Some(_), _) => {
                self.replace();
                units = [unit, 0];
                &units[..1]
            }
            (None, _) => {
                units = [unit, 0];
                &units[..1]
            }
        };
        for c in char::decode_utf16(slice.iter().copied()) {
            match c {
                Ok(c) => {
                    let mut buf = [0u8; 4];
                    self.out
                        .extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                }
                Err(_) => self.replace(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn run(chunks: &[&[u8]]) -> (String, u64) {
        let head: Vec<u8> = chunks.concat();
        let mut s = Utf8Stream::new(&head);
        let mut out = Vec::new();
        for c in chunks {
            out.extend_from_slice(s.feed(c));
        }
        out.extend_from_slice(s.finish());
        (String::from_utf8(out).expect("valid UTF-8"), s.replaced)
    }

    fn utf16(text: &str, be: bool) -> Vec<u8> {
        let mut v = if be {
            vec![0xFE, 0xFF]
        } else {
            vec![0xFF, 0xFE]
        };
        for u in text.encode_utf16() {
            v.extend(if be { u.to_be_bytes() } else { u.to_le_bytes() });
        }
        v
    }

    #[test]
    fn cases() {
        let le = utf16("a😀é", false);
        let be = utf16("a😀é", true);
        let cases: Vec<(Vec<&[u8]>, &str, u64)> = vec![
            (vec![b"\xEF\xBB\xBFhi"], "hi", 0),
            (vec![b"\xEF", b"\xBB", b"\xBFhi"], "hi", 0),
            (vec![b"a\xFFb"], "a\u{FFFD}b", 1),
            (vec![b"\xC3", b"\xA9"], "é", 0),
            (vec![b"x\xC3"], "x\u{FFFD}", 1),
            (vec![&le[..3], &le[3..7], &le[7..]], "a😀é", 0),
            (vec![&be[..]], "a😀é", 0),
            (vec![b"\xFF\xFE\x00\xD8a\x00"], "\u{FFFD}a", 1),
            (vec![b"\xFF\xFEa"], "\u{FFFD}", 1),
        ];
        for (chunks, want, n) in cases {
            assert_eq!(run(&chunks), (want.to_string(), n), "{chunks:?}");
        }
    }

    #[test]
    fn the_note_names_the_first_line() {
        let mut s = Utf8Stream::new(b"");
        assert_eq!(s.feed(b"ok\nfine\n").len(), 8);
        assert_eq!(s.note(), None);
        s.feed(b"x\na\xFFb\n\xFF");
        s.feed(b"\n");
        s.finish();
        assert_eq!(
            s.note().as_deref(),
            Some("2 invalid UTF-8 sequences were replaced by U+FFFD; the first is on line 4")
        );
        let mut s = Utf8Stream::new(b"\xFF\xFE");
        s.feed(b"\xFF\xFEa\x00\n\x00\x00\xD8");
        s.finish();
        assert_eq!(
            s.note().as_deref(),
            Some("1 invalid UTF-16 sequence (an unpaired surrogate or an odd last byte) was replaced by U+FFFD; the first is on line 2")
        );
    }

    proptest! {
        /// Any bytes, any cut: valid UTF-8 out, the same as in one piece.
        #[test]
        fn chunking_is_invisible(data in proptest::collection::vec(any::<u8>(), 0..200), cut in 0usize..200, bom in 0usize..3) {
            let mut data = data;
            let boms: [&[u8]; 3] = [b"", b"\xFF\xFE", b"\xFE\xFF"];
            data.splice(0..0, boms[bom].iter().copied());
            let cut = cut.min(data.len());
            prop_assert_eq!(run(&[&data[..cut], &data[cut..]]), run(&[&data]));
        }
    }
}
