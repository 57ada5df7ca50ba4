//! Splitting a chunked byte stream into numbered lines.

/// Turns chunks of bytes into complete lines, keeping only the unfinished tail.
///
/// With a cap ([`LineSplitter::with_cap`]), a line longer than the cap is not
/// kept: its bytes are dropped as they arrive and [`LineSplitter::feed_capped`]
/// reports only its length, so memory stays bounded by the cap.
#[derive(Debug)]
pub struct LineSplitter {
    tail: Vec<u8>,
    next_line: u64,
    cap: usize,
    /// The length so far of a current line that passed the cap.
    over: Option<u64>,
}

impl Default for LineSplitter {
    fn default() -> Self {
        Self::new()
    }
}

/// A line's bytes, or the length of a line longer than the cap.
pub type CappedLine<'a> = Result<&'a [u8], u64>;

impl LineSplitter {
    /// A splitter whose first line is line 1.
    pub fn new() -> Self {
        Self {
            tail: Vec::new(),
            next_line: 1,
            cap: usize::MAX,
            over: None,
        }
    }

    /// A splitter that keeps no line longer than `cap` bytes.
    pub fn with_cap(mut self, cap: usize) -> Self {
        self.cap = cap;
        self
    }

    /// Calls `line(number, bytes)` for every line completed by `chunk`.
    /// The line excludes its `\n` and any `\r` before it. Lines past the
    /// cap are left out (see [`LineSplitter::feed_capped`]).
    pub fn feed(&mut self, chunk: &[u8], mut line: impl FnMut(u64, &[u8])) {
        self.feed_capped(chunk, |n, l| {
            if let Ok(l) = l {
                line(n, l);
            }
        });
    }

    /// Calls `line(number, Ok(bytes))` for every line completed by `chunk`,
    /// or `line(number, Err(length))` for one longer than the cap.
    pub fn feed_capped(&mut self, chunk: &[u8], mut line: impl FnMut(u64, CappedLine)) {
        let mut rest = chunk;
        while let Some(pos) = rest.iter().position(|&b| b == b'\n') {
            let (head, after) = rest.split_at(pos);
            if let Some(long) = self.over.take() {
                line(self.next_line, Err(long + head.len() as u64));
            } else if self.tail.len() + head.len() > self.cap {
                let long = (self.tail.len() + head.len()) as u64;
                self.tail = Vec::new();
                line(self.next_line, Err(long));
            } else if self.tail.is_empty() {
                line(self.next_line, Ok(strip_cr(head)));
            } else {
                self.tail.extend_from_slice(head);
                line(self.next_line, Ok(strip_cr(&self.tail)));
                self.tail.clear();
            }
            self.next_line += 1;
            rest = &after[1..];
        }
        if let Some(long) = &mut self.over {
            *long += rest.len() as u64;
        } else if self.tail.len() + rest.len() > self.cap {
            self.over = Some((self.tail.len() + rest.len()) as u64);
            self.tail = Vec::new();
        } else {
            self.tail.extend_from_slice(rest);
        }
    }

    /// Calls `line` for a last line that had no trailing newline.
    pub fn finish(&mut self, mut line: impl FnMut(u64, &[u8])) {
        self.finish_capped(|n, l| {
            if let Ok(l) = l {
                line(n, l);
            }
        });
    }

    /// Like [`LineSplitter::finish`], reporting a last line past the cap.
    pub fn finish_capped(&mut self, mut line: impl FnMut(u64, CappedLine)) {
        if let Some(long) = self.over.take() {
            line(self.next_line, Err(long));
            self.next_line += 1;
        } else if !self.tail.is_empty() {
            line(self.next_line, Ok(strip_cr(&self.tail)));
            self.tail.clear();
            self.next_line += 1;
        }
    }
}

/// `bytes` as a size for people: bytes below 1 MiB, else MiB.
pub(crate) fn size(bytes: u64) -> String {
    const MIB: u64 = 1 << 20;
    if bytes < MIB {
        format!("{bytes} bytes")
    } else if bytes.is_multiple_of(MIB) {
        format!("{} MiB", bytes / MIB)
    } else {
        format!("{:.1} MiB", bytes as f64 / MIB as f64)
    }
}

fn strip_cr(line: &[u8]) -> &[u8] {
    line.strip_suffix(b"\r").unwrap_or(line)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn split(chunks: &[&[u8]]) -> Vec<(u64, Vec<u8>)> {
        let mut s = LineSplitter::new();
        let mut out = Vec::new();
        for c in chunks {
            s.feed(c, |n, l| out.push((n, l.to_vec())));
        }
        s.finish(|n, l| out.push((n, l.to_vec())));
        out
    }

    #[test]
    fn lines_across_chunks() {
        let got = split(&[b"ab", b"c\nde", b"\r\n\nf"]);
        assert_eq!(
            got,
            vec![
                (1, b"abc".to_vec()),
                (2, b"de".to_vec()),
                (3, b"".to_vec()),
                (4, b"f".to_vec())
            ]
        );
    }

    #[test]
    fn long_lines_past_the_cap_are_only_measured() {
        let mut s = LineSplitter::new().with_cap(4);
        let mut out = Vec::new();
        for c in [&b"abcd\nabc"[..], b"de", b"f\r\nok\n", b"toolong"] {
            s.feed_capped(c, |n, l| out.push((n, l.map(<[u8]>::to_vec))));
        }
        s.finish_capped(|n, l| out.push((n, l.map(<[u8]>::to_vec))));
        assert_eq!(
            out,
            vec![
                (1, Ok(b"abcd".to_vec())),
                (2, Err(7)),
                (3, Ok(b"ok".to_vec())),
                (4, Err(7))
            ]
        );
        assert_eq!(size(5), "5 bytes");
        assert_eq!(size(64 << 20), "64 MiB");
        assert_eq!(size(200_000_000), "190.7 MiB");
    }

    proptest! {
        /// However the input is cut into chunks, the lines are those of `split('\n')`.
        #[test]
        fn chunking_does_not_change_lines(data in proptest::collection::vec(any::<u8>(), 0..300), cuts in proptest::collection::vec(0usize..300, 0..10)) {
            let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c.min(data.len())).collect();
            cuts.sort();
            let mut chunks = Vec::new();
            let mut start = 0;
            for c in cuts { chunks.push(&data[start..c]); start = c; }
            chunks.push(&data[start..]);
            let got = split(&chunks);
            let mut want: Vec<Vec<u8>> = data.split(|&b| b == b'\n').map(|l| strip_cr(l).to_vec()).collect();
            if data.last().is_none_or(|&b| b == b'\n') { want.pop(); }
            let want: Vec<(u64, Vec<u8>)> = want.into_iter().enumerate().map(|(i, l)| (i as u64 + 1, l)).collect();
            prop_assert_eq!(got, want);
        }
    }
}
