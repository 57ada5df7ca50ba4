//! Zip, streamed through the local header before each member (the central
//! directory at the end is not needed and not read).
//!
//! Methods: stored, deflate, bzip2 (12), zstd (93) and xz (95). A member
//! whose sizes follow it in a data descriptor (bit 3, as streaming writers
//! do) is read to the end of its compressed stream, which says where it
//! stops; a *stored* one cannot be, as only the central directory knows its
//! length: it ends the reading of the archive, with a problem saying so.

use super::Members;
use crate::ingest::{Batch, Compression};

const LOCAL: &[u8; 4] = b"PK\x03\x04";
const CENTRAL: &[u8; 4] = b"PK\x01\x02";
const END: &[u8; 4] = b"PK\x05\x06";
const END64: &[u8; 4] = b"PK\x06\x06";
const DESCRIPTOR: &[u8; 4] = b"PK\x07\x08";
/// The fixed part of a local header.
const HEADER: usize = 30;

pub(super) struct Zip {
    state: State,
    /// A header or descriptor being assembled.
    held: Vec<u8>,
    /// Archive bytes taken so far (for messages).
    at: u64,
}

enum State {
    Signature,
    /// A local header's fixed part, then its name and extra field.
    Header,
    /// A member of known compressed size (read, or passed over).
    Data {
        left: u64,
    },
    /// A compressed member of unknown size, read until its stream ends;
    /// `fed` counts its bytes so far; `zip64` says the descriptor's sizes
    /// are 8 bytes.
    Open {
        fed: u64,
        zip64: bool,
    },
    /// The data descriptor after an open member (signature optional).
    Descriptor {
        zip64: bool,
    },
    /// The central directory or end record: the members are over.
    End,
}

impl Zip {
    pub(super) fn new() -> Self {
        Self {
            state: State::Signature,
            held: Vec::new(),
            at: 0,
        }
    }

    /// Whether the central directory (the end of the members) was met.
    pub(super) fn ended(&self) -> bool {
        matches!(self.state, State::End)
    }

    fn corrupt(&self, what: &str) -> String {
        format!("the zip archive is corrupt at byte {}: {what}", self.at)
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
                State::Signature => {
                    super::fill(&mut self.held, &mut piece, 4);
                    if self.held.len() < 4 {
                        continue;
                    }
                    let signature = std::mem::take(&mut self.held);
                    match &signature[..] {
                        s if s == LOCAL => {
                            self.held = signature;
                            self.state = State::Header;
                        }
                        s if s == CENTRAL || s == END || s == END64 => self.state = State::End,
                        // A split archive's marker before the first header.
                        s if s == DESCRIPTOR && self.at == 0 => {}
                        _ => return Err(self.corrupt("no member header where one should start")),
                    }
                    self.at += 4;
                }
                State::Header => {
                    if self.held.len() < HEADER {
                        self.at += super::fill(&mut self.held, &mut piece, HEADER) as u64;
                        if self.held.len() < HEADER {
                            continue;
                        }
                    }
                    let need =
                        HEADER + u16_at(&self.held, 26) as usize + u16_at(&self.held, 28) as usize;
                    self.at += super::fill(&mut self.held, &mut piece, need) as u64;
                    if self.held.len() == need {
                        let header = std::mem::take(&mut self.held);
                        self.header(&header, members, out)?;
                    }
                }
                State::Data { left } => {
                    let take = (*left).min(piece.len() as u64) as usize;
                    *left -= take as u64;
                    let done = *left == 0;
                    self.at += take as u64;
                    members.data(&piece[..take], out)?;
                    piece = &piece[take..];
                    if done {
                        members.end(out);
                        self.state = State::Signature;
                    }
                }
                State::Open { fed, zip64 } => {
                    let zip64 = *zip64;
                    let before = *fed;
                    *fed += piece.len() as u64;
                    members.data(piece, out)?;
                    match members.ended_after() {
                        Some(used) => {
                            // The stream ended inside this piece: the rest is the descriptor.
                            let took = usize::try_from(used.saturating_sub(before))
                                .unwrap_or(usize::MAX)
                                .min(piece.len());
                            self.at += took as u64;
                            piece = &piece[took..];
                            members.end(out);
                            self.state = State::Descriptor { zip64 };
                        }
                        None => {
                            self.at += piece.len() as u64;
                            if members.current.as_ref().is_some_and(|c| c.broken) {
                                return Err("a member of unknown length is corrupt, so where the \
                                            next one starts is unknown"
                                    .into());
                            }
                            piece = &[];
                        }
                    }
                }
                State::Descriptor { zip64 } => {
                    let sizes = if *zip64 { 16 } else { 8 };
                    // With its signature: 4 + crc 4 + sizes; without: 4 + sizes.
                    let signed = self.held.len() >= 4 && self.held[..4] == *DESCRIPTOR;
                    let need = if self.held.len() < 4 {
                        4
                    } else if signed {
                        8 + sizes
                    } else {
                        4 + sizes
                    };
                    self.at += super::fill(&mut self.held, &mut piece, need) as u64;
                    if self.held.len() == need && need > 4 {
                        self.held.clear();
                        self.state = State::Signature;
                    }
                }
            }
        }
        if let State::Data { left: 0 } = self.state {
            members.end(out);
            self.state = State::Signature;
        }
        Ok(())
    }

    /// Reads one local header and starts its member.
    fn header(&mut self, h: &[u8], members: &mut Members, out: &mut Batch) -> Result<(), String> {
        let flags = u16_at(h, 6);
        let method = u16_at(h, 8);
        let (name_len, extra_len) = (u16_at(h, 26) as usize, u16_at(h, 28) as usize);
        let name = String::from_utf8_lossy(&h[HEADER..HEADER + name_len]).into_owned();
        let extra = &h[HEADER + name_len..HEADER + name_len + extra_len];
        let mut compressed = u64::from(u32_at(h, 18));
        let mut zip64 = false;
        if compressed == 0xFFFF_FFFF || u32_at(h, 22) == 0xFFFF_FFFF {
            // The zip64 extra field holds the uncompressed, then the compressed size.
            match zip64_sizes(extra) {
                Some((_, c)) => {
                    compressed = c;
                    zip64 = true;
                }
                None => return Err(self.corrupt("a zip64 member without its sizes")),
            }
        } else if zip64_sizes(extra).is_some() {
            zip64 = true;
        }
        let descriptor = flags & 0x08 != 0;
        let known = !descriptor || compressed > 0;
        let kind = match method {
            0 => Some(Compression::None),
            8 => Some(Compression::Deflate),
            12 => Some(Compression::Bzip2),
            93 => Some(Compression::Zstd),
            95 => Some(Compression::Xz),
            _ => None,
        };
        let unreadable = if flags & 0x01 != 0 {
            Some("it is encrypted".to_string())
        } else if kind.is_none() {
            Some(format!(
                "its compression method ({method}) is not supported"
            ))
        } else {
            None
        };
        let member = format!("{}/{name}", members.archive);
        if let Some(why) = unreadable {
            if !known {
                return Err(format!(
                    "member {name} cannot be read ({why}) and its length is unknown"
                ));
            }
            out.problems.push(crate::Problem {
                file: member,
                line: 0,
                reason: format!("skipped: {why}"),
            });
            members.end(out);
            self.state = State::Data { left: compressed };
            return Ok(());
        }
        let kind = kind.unwrap_or(Compression::None);
        if !known && kind == Compression::None {
            members.end(out);
            if name.ends_with('/') {
                // A directory entry: no data follows, only the descriptor.
                self.state = State::Descriptor { zip64 };
                return Ok(());
            }
            return Err(format!(
                "member {name} is stored uncompressed with its length after it (a data \
                 descriptor), which only the central directory at the archive's end gives; \
                 a streamed read cannot find where it ends"
            ));
        }
        members.begin(&name, kind, out);
        if known {
            self.state = State::Data { left: compressed };
        } else {
            if members.current.is_none() {
                // Skipped, but its stream must be decoded to find its end.
                members.discard(kind);
            }
            self.state = State::Open { fed: 0, zip64 };
        }
        Ok(())
    }
}

fn u16_at(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([b[at], b[at + 1]])
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

/// The (uncompressed, compressed) sizes of a zip64 extra field (id 1).
fn zip64_sizes(mut extra: &[u8]) -> Option<(u64, u64)> {
    while extra.len() >= 4 {
        let id = u16_at(extra, 0);
        let len = u16_at(extra, 2) as usize;
        let data = extra.get(4..4 + len)?;
        if id == 1 && data.len() >= 16 {
            let u = u64::from_le_bytes(data[..8].try_into().ok()?);
            let c = u64::from_le_bytes(data[8..16].try_into().ok()?);
            return Some((u, c));
        }
        extra = &extra[4 + len..];
    }
    None
}
