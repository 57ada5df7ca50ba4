//! Splitting a chunked byte stream into numbered lines.

/// Turns chunks of bytes into complete lines, keeping only the unfinished tail.
#[derive(Debug, Default)]
pub struct LineSplitter {
    tail: Vec<u8>,
    next_line: u64,
}

impl LineSplitter {
    /// A splitter whose first line is line 1.
    pub fn new() -> Self {
        Self {
            tail: Vec::new(),
            next_line: 1,
        }
    }

    /// Calls `line(number, bytes)` for every line completed by `chunk`.
    /// The line excludes its `\n` and any `\r` before it.
    pub fn feed(&mut self, chunk: &[u8], mut line: impl FnMut(u64, &[u8])) {
        let mut rest = chunk;
        while let Some(pos) = rest.iter().position(|&b| b == b'\n') {
            let (head, after) = rest.split_at(pos);
            if self.tail.is_empty() {
                line(self.next_line, strip_cr(head));
            } else {
                self.tail.extend_from_slice(head);
                line(self.next_line, strip_cr(&self.tail));
                self.tail.clear();
            }
            self.next_line += 1;
            rest = &after[1..];
        }
        self.tail.extend_from_slice(rest);
    }

    /// Calls `line` for a last line that had no trailing newline.
    pub fn finish(&mut self, mut line: impl FnMut(u64, &[u8])) {
        if !self.tail.is_empty() {
            line(self.next_line, strip_cr(&self.tail));
            self.tail.clear();
            self.next_line += 1;
        }
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
