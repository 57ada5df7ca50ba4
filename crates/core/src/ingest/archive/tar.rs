//! Tar, streamed: 512-byte headers (ustar, with pax and GNU long names),
//! each followed by its member padded to 512 bytes.

use super::Members;
use crate::ingest::{Batch, Compression};

const BLOCK: usize = 512;
/// The largest pax header or GNU long name held: 1 MiB.
const MAX_EXTENDED: u64 = 1 << 20;

pub(super) struct Tar {
    state: State,
    /// A header block or extended header being assembled.
    held: Vec<u8>,
    /// Archive bytes taken so far (for messages).
    at: u64,
    /// The path a pax header or GNU long name gives the next member.
    next_path: Option<String>,
    /// The size a pax header gives the next member.
    next_size: Option<u64>,
}

enum State {
    Header,
    /// An extended header's data: pax (`x`), GNU long name (`L`), or one to
    /// pass over (`g`, `K`); then its padding.
    Extended {
        kind: u8,
        left: u64,
        pad: u64,
    },
    /// A member's data, read or passed over, then its padding.
    Data {
        left: u64,
        pad: u64,
    },
    /// Padding after data.
    Pad {
        left: u64,
    },
    /// After the end-of-archive blocks: the rest is not read.
    End,
}

impl Tar {
    pub(super) fn new() -> Self {
        Self {
            state: State::Header,
            held: Vec::new(),
            at: 0,
            next_path: None,
            next_size: None,
        }
    }

    /// Whether the end-of-archive marker was met.
    pub(super) fn ended(&self) -> bool {
        matches!(self.state, State::End)
    }

    pub(super) fn push(
        &mut self,
        mut piece: &[u8],
        members: &mut Members,
        out: &mut Batch,
    ) -> Result<(), String> {
        while !piece.is_empty() {
            match &mut self.state {
                State::End => return Ok(()),
                State::Header => {
                    self.at += super::fill(&mut self.held, &mut piece, BLOCK) as u64;
                    if self.held.len() == BLOCK {
                        let block = std::mem::take(&mut self.held);
                        self.header(&block, members, out)?;
                    }
                }
                State::Extended { kind, left, pad } => {
                    let take = (*left).min(piece.len() as u64) as usize;
                    if matches!(*kind, b'x' | b'L') {
                        self.held.extend_from_slice(&piece[..take]);
                    }
                    *left -= take as u64;
                    piece = &piece[take..];
                    self.at += take as u64;
                    if *left == 0 {
                        let (kind, pad) = (*kind, *pad);
                        let data = std::mem::take(&mut self.held);
                        self.extended(kind, &data);
                        self.state = State::Pad { left: pad };
                    }
                }
                State::Data { left, pad } => {
                    let take = (*left).min(piece.len() as u64) as usize;
                    *left -= take as u64;
                    let pad = *pad;
                    let done = *left == 0;
                    self.at += take as u64;
                    members.data(&piece[..take], out)?;
                    piece = &piece[take..];
                    if done {
                        members.end(out);
                        self.state = State::Pad { left: pad };
                    }
                }
                State::Pad { left } => {
                    let take = (*left).min(piece.len() as u64) as usize;
                    *left -= take as u64;
                    piece = &piece[take..];
                    self.at += take as u64;
                    if *left == 0 {
                        self.state = State::Header;
                    }
                }
            }
        }
        // A member of no bytes, or padding of none, ends without more input.
        match self.state {
            State::Data { left: 0, pad } => {
                members.end(out);
                self.state = State::Pad { left: pad };
                self.settle();
            }
            State::Pad { left: 0 } => self.state = State::Header,
            _ => {}
        }
        Ok(())
    }

    fn settle(&mut self) {
        if let State::Pad { left: 0 } = self.state {
            self.state = State::Header;
        }
    }

    /// Reads one header block.
    fn header(
        &mut self,
        block: &[u8],
        members: &mut Members,
        out: &mut Batch,
    ) -> Result<(), String> {
        let start = self.at - BLOCK as u64;
        if block.iter().all(|&b| b == 0) {
            // Two zero blocks end the archive; one is enough to stop at.
            self.state = State::End;
            return Ok(());
        }
        let stored = octal(&block[148..156]);
        let sum: u64 = block
            .iter()
            .enumerate()
            .map(|(i, &b)| {
                if (148..156).contains(&i) {
                    32
                } else {
                    u64::from(b)
                }
            })
            .sum();
        if stored != Some(sum) {
            return Err(format!(
                "the tar archive is corrupt at byte {start}: a header's checksum does not match"
            ));
        }
        let size = self
            .next_size
            .take()
            .or_else(|| number(&block[124..136]))
            .ok_or_else(|| {
                format!(
                    "the tar archive is corrupt at byte {start}: a header's size is not a number"
                )
            })?;
        let pad = (BLOCK as u64 - size % BLOCK as u64) % BLOCK as u64;
        let kind = block[156];
        match kind {
            b'x' | b'L' | b'g' | b'K' => {
                if matches!(kind, b'x' | b'L') && size > MAX_EXTENDED {
                    return Err(format!(
                        "the tar archive is corrupt at byte {start}: an extended header of {size} bytes"
                    ));
                }
                self.state = State::Extended {
                    kind,
                    left: size,
                    pad,
                };
                if size == 0 {
                    self.extended(kind, &[]);
                    self.state = State::Pad { left: pad };
                    self.settle();
                }
            }
            b'0' | 0 | b'7' => {
                let path = self.next_path.take().unwrap_or_else(|| ustar_path(block));
                members.begin(&path, Compression::None, out);
                self.state = State::Data { left: size, pad };
                if size == 0 {
                    members.end(out);
                    self.state = State::Pad { left: pad };
                    self.settle();
                }
            }
            _ => {
                // Directories, links, devices: their data (if any) is passed over.
                self.next_path = None;
                self.state = State::Data { left: size, pad };
                if size == 0 {
                    self.state = State::Pad { left: pad };
                    self.settle();
                }
            }
        }
        Ok(())
    }

    /// Applies an extended header to the next member.
    fn extended(&mut self, kind: u8, data: &[u8]) {
        match kind {
            b'L' => {
                let name = data.split(|&b| b == 0).next().unwrap_or(data);
                self.next_path = Some(String::from_utf8_lossy(name).into_owned());
            }
            b'x' => {
                for (key, value) in pax_records(data) {
                    match key {
                        "path" => self.next_path = Some(value.to_string()),
                        "size" => self.next_size = value.parse().ok(),
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
}

/// The records of a pax header: `<length> <key>=<value>\n`, one after another.
fn pax_records(mut data: &[u8]) -> Vec<(&str, &str)> {
    let mut records = Vec::new();
    while let Some(space) = data.iter().position(|&b| b == b' ') {
        let Some(len) = std::str::from_utf8(&data[..space])
            .ok()
            .and_then(|s| s.parse::<usize>().ok())
            .filter(|&l| l > space && l <= data.len())
        else {
            break;
        };
        let record = &data[space + 1..len];
        let record = record.strip_suffix(b"\n").unwrap_or(record);
        if let Ok(text) = std::str::from_utf8(record) {
            if let Some((key, value)) = text.split_once('=') {
                records.push((key, value));
            }
        }
        data = &data[len..];
    }
    records
}

/// A ustar name: the prefix (if any), a slash, the name.
fn ustar_path(block: &[u8]) -> String {
    let field = |range: std::ops::Range<usize>| {
        let bytes = &block[range];
        let bytes = bytes.split(|&b| b == 0).next().unwrap_or(bytes);
        String::from_utf8_lossy(bytes).into_owned()
    };
    let name = field(0..100);
    let prefix = if &block[257..262] == b"ustar" {
        field(345..500)
    } else {
        String::new()
    };
    if prefix.is_empty() {
        name
    } else {
        format!("{prefix}/{name}")
    }
}

/// An octal field (spaces and NULs around it allowed).
fn octal(field: &[u8]) -> Option<u64> {
    let text = std::str::from_utf8(field).ok()?;
    let text = text.trim_matches(|c: char| c == ' ' || c == '\0');
    if text.is_empty() {
        return Some(0);
    }
    u64::from_str_radix(text, 8).ok()
}

/// A size field: octal, or GNU base-256 (high bit set) for large members.
fn number(field: &[u8]) -> Option<u64> {
    if field[0] & 0x80 != 0 {
        let mut n: u64 = u64::from(field[0] & 0x7F);
        for &b in &field[1..] {
            n = n.checked_mul(256)?.checked_add(u64::from(b))?;
        }
        return Some(n);
    }
    octal(field)
}
