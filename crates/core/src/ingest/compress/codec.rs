//! bzip2, xz and raw deflate: decoders that take an input slice and fill an
//! output buffer, driven the same way.

use crate::ingest::Compression;
use flate2::FlushDecompress;
use lzma_rust2::{Action, Status as XzStatus, XzStream};

/// Output buffer for one step.
const OUT: usize = 64 * 1024;
/// The most memory an xz stream may ask for (its dictionary): 256 MiB, above
/// what `xz -9` uses (64 MiB).
const XZ_MEMORY_KIB: u32 = 256 * 1024;

/// One of the buffer-pair decoders.
pub(super) struct Codec {
    state: State,
    out: Vec<u8>,
    /// Compressed bytes the decoder took.
    used: u64,
    /// Whether a bzip2 stream has begun and not yet ended.
    in_stream: bool,
    /// For deflate, the compressed bytes taken when the stream ended.
    ended: Option<u64>,
}

enum State {
    Bzip2(bzip2::Decompress),
    Xz(Box<XzStream>),
    Deflate(Box<flate2::Decompress>),
}

impl Codec {
    /// A decoder for `compression`, one of bzip2, xz and deflate.
    pub(super) fn new(compression: Compression) -> Self {
        let state = match compression {
            Compression::Bzip2 => State::Bzip2(bzip2::Decompress::new(false)),
            Compression::Xz => State::Xz(Box::new(XzStream::new_mem_limit(true, XZ_MEMORY_KIB))),
            _ => State::Deflate(Box::new(flate2::Decompress::new(false))),
        };
        Self {
            state,
            out: vec![0; OUT],
            used: 0,
            in_stream: false,
            ended: None,
        }
    }

    fn name(&self) -> &'static str {
        match self.state {
            State::Bzip2(_) => "bzip2",
            State::Xz(_) => "xz",
            State::Deflate(_) => "deflate",
        }
    }

    pub(super) fn ended_after(&self) -> Option<u64> {
        self.ended
    }

    /// Decodes `input`, passing output to `emit`; `bytes_in` counts the
    /// compressed bytes fed so far, this step included (for messages).
    pub(super) fn run(
        &mut self,
        input: &[u8],
        bytes_in: u64,
        emit: &mut dyn FnMut(&[u8]) -> Result<(), String>,
    ) -> Result<(), String> {
        let mut rest = input;
        loop {
            if self.ended.is_some() {
                return Ok(());
            }
            let at = bytes_in - rest.len() as u64;
            let (consumed, produced) = self
                .step(rest, false)
                .map_err(|e| format!("{} data is corrupt after byte {at}: {e}", self.name()))?;
            rest = &rest[consumed..];
            emit(&self.out[..produced])?;
            if consumed == 0 && produced == 0 {
                return Ok(());
            }
        }
    }

    /// Ends the stream: drains the decoder, and fails if it stops inside a
    /// stream.
    pub(super) fn finish(
        &mut self,
        bytes_in: u64,
        emit: &mut dyn FnMut(&[u8]) -> Result<(), String>,
    ) -> Result<(), String> {
        let name = self.name();
        let early =
            || format!("{name} stream ends early after {bytes_in} bytes (truncated or corrupt)");
        loop {
            if self.ended.is_some() {
                return Ok(());
            }
            let (_, produced) = self.step(&[], true).map_err(|_| early())?;
            emit(&self.out[..produced])?;
            if produced > 0 {
                continue;
            }
            let done = match &self.state {
                State::Bzip2(_) => !self.in_stream,
                State::Xz(_) => self.ended.is_some() || self.used == 0,
                State::Deflate(_) => false,
            };
            return if done { Ok(()) } else { Err(early()) };
        }
    }

    /// One call of the decoder: (input taken, output written).
    fn step(&mut self, input: &[u8], end: bool) -> Result<(usize, usize), String> {
        let (consumed, produced) = match &mut self.state {
            State::Bzip2(d) => {
                if input.is_empty() && !self.in_stream {
                    return Ok((0, 0));
                }
                let (i, o) = (d.total_in(), d.total_out());
                let status = d
                    .decompress(input, &mut self.out)
                    .map_err(|e| e.to_string())?;
                let counts = ((d.total_in() - i) as usize, (d.total_out() - o) as usize);
                self.in_stream = true;
                if status == bzip2::Status::StreamEnd {
                    // Concatenated streams (pbzip2, lbzip2) follow one another.
                    *d = bzip2::Decompress::new(false);
                    self.in_stream = false;
                }
                counts
            }
            State::Xz(x) => {
                let action = if end { Action::Finish } else { Action::Run };
                let r = x
                    .process(input, &mut self.out, action)
                    .map_err(|e| e.to_string())?;
                if r.status == XzStatus::StreamEnd {
                    self.ended = Some(self.used + r.bytes_consumed as u64);
                }
                (r.bytes_consumed, r.bytes_produced)
            }
            State::Deflate(d) => {
                let (i, o) = (d.total_in(), d.total_out());
                let status = d
                    .decompress(input, &mut self.out, FlushDecompress::None)
                    .map_err(|e| e.to_string())?;
                let counts = ((d.total_in() - i) as usize, (d.total_out() - o) as usize);
                if status == flate2::Status::StreamEnd {
                    self.ended = Some(self.used + counts.0 as u64);
                }
                counts
            }
        };
        self.used += consumed as u64;
        Ok((consumed, produced))
    }
}
