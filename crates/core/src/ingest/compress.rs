//! Push-based decompression: compressed chunks in, plain chunks out.

use super::Compression;
use flate2::write::MultiGzDecoder;
use ruzstd::decoding::FrameDecoder;
use std::io::Write;

mod codec;
use codec::Codec;

/// Input handed to a decoder at a time, which bounds the output of one step.
const STEP: usize = 16 * 1024;
/// Output buffer for one zstd step.
const ZSTD_OUT: usize = 64 * 1024;

/// When decompressed output counts as a bomb.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BombLimit {
    /// Output may reach this many times the compressed input read so far...
    pub ratio: u64,
    /// ...once past this many bytes.
    pub floor: u64,
}

/// Decompresses a stream pushed in chunks, keeping only bounded buffers.
pub struct Decompressor {
    kind: Kind,
    compression: Compression,
    limit: BombLimit,
    /// Compressed bytes consumed.
    pub bytes_in: u64,
    /// Decompressed bytes produced.
    pub bytes_out: u64,
}

enum Kind {
    Plain,
    Gzip(Box<MultiGzDecoder<Vec<u8>>>),
    Zstd(Box<Zstd>),
    /// bzip2, xz and raw deflate: decoders with an input/output buffer API.
    Codec(Box<Codec>),
}

struct Zstd {
    decoder: FrameDecoder,
    /// Compressed bytes not yet consumed (at most one block plus a chunk).
    pending: Vec<u8>,
    in_frame: bool,
    /// Bytes of a skippable frame still to pass over.
    skip: u64,
    out: Vec<u8>,
}

impl Decompressor {
    /// A decompressor for `compression` that stops at `limit`.
    pub fn new(compression: Compression, limit: BombLimit) -> Self {
        let kind = match compression {
            Compression::None => Kind::Plain,
            Compression::Gzip => Kind::Gzip(Box::new(MultiGzDecoder::new(Vec::new()))),
            Compression::Zstd => Kind::Zstd(Box::new(Zstd {
                decoder: FrameDecoder::new(),
                pending: Vec::new(),
                in_frame: false,
                skip: 0,
                out: vec![0; ZSTD_OUT],
            })),
            Compression::Bzip2 | Compression::Xz | Compression::Deflate => {
                Kind::Codec(Box::new(Codec::new(compression)))
            }
        };
        Self {
            kind,
            compression,
            limit,
            bytes_in: 0,
            bytes_out: 0,
        }
    }

    /// Decompresses `chunk`, passing output pieces to `sink`. An error is a
    /// reason to stop: the stream cannot be read further.
    pub fn feed(&mut self, chunk: &[u8], sink: &mut dyn FnMut(&[u8])) -> Result<(), String> {
        for step in chunk.chunks(STEP) {
            self.bytes_in += step.len() as u64;
            match &mut self.kind {
                Kind::Plain => {
                    self.bytes_out += step.len() as u64;
                    sink(step);
                }
                Kind::Gzip(gz) => {
                    let mut rest = step;
                    while !rest.is_empty() {
                        let written = gz.write(rest);
                        if written.is_err() {
                            // Output decoded in the failing call stays in the
                            // decoder's buffer; a flush moves it out (and fails
                            // again, which is already known).
                            let _ = gz.flush();
                        }
                        // Output decoded before an error (say, the members
                        // before a corrupt one) is passed on first.
                        let out = std::mem::take(gz.get_mut());
                        emit(&mut self.bytes_out, self.bytes_in, self.limit, &out, sink)?;
                        *gz.get_mut() = out;
                        gz.get_mut().clear();
                        let at = self.bytes_in - rest.len() as u64;
                        match written {
                            Ok(0) => return Err(gzip_error(at, &"no progress")),
                            Ok(n) => rest = &rest[n..],
                            Err(e) => return Err(gzip_error(at, &e)),
                        }
                    }
                }
                Kind::Zstd(z) => {
                    z.pending.extend_from_slice(step);
                    z.run(false, self.bytes_in, &mut self.bytes_out, self.limit, sink)?;
                }
                Kind::Codec(c) => {
                    let (bytes_in, limit) = (self.bytes_in, self.limit);
                    c.run(step, bytes_in, &mut |piece| {
                        emit(&mut self.bytes_out, bytes_in, limit, piece, sink)
                    })?;
                }
            }
        }
        Ok(())
    }

    /// What this decompressor inflates.
    pub fn compression(&self) -> Compression {
        self.compression
    }

    /// For raw deflate (a zip member), the compressed bytes the stream took
    /// once it ended; bytes fed after its end are not decoded.
    pub fn ended_after(&self) -> Option<u64> {
        match &self.kind {
            Kind::Codec(c) => c.ended_after(),
            _ => None,
        }
    }

    /// Ends the stream, reporting input that stops inside a member or frame.
    pub fn finish(&mut self, sink: &mut dyn FnMut(&[u8])) -> Result<(), String> {
        match &mut self.kind {
            Kind::Plain => Ok(()),
            Kind::Gzip(gz) => {
                let done = gz.try_finish();
                let out = std::mem::take(gz.get_mut());
                emit(&mut self.bytes_out, self.bytes_in, self.limit, &out, sink)?;
                done.map_err(|_| {
                    format!(
                        "gzip stream ends early after {} bytes (truncated or corrupt)",
                        self.bytes_in
                    )
                })
            }
            Kind::Zstd(z) => z.run(true, self.bytes_in, &mut self.bytes_out, self.limit, sink),
            Kind::Codec(c) => {
                let (bytes_in, limit) = (self.bytes_in, self.limit);
                c.finish(bytes_in, &mut |piece| {
                    emit(&mut self.bytes_out, bytes_in, limit, piece, sink)
                })
            }
        }
    }
}

/// A corrupt gzip stream, `at` the compressed bytes read without error
/// (the decoder buffers a member's header, so the bad byte may lie a few
/// bytes further).
fn gzip_error(at: u64, e: &dyn std::fmt::Display) -> String {
    format!("gzip data is corrupt after byte {at}: {e}")
}

/// Passes `piece` on unless the output has grown past the bomb limit.
fn emit(
    bytes_out: &mut u64,
    bytes_in: u64,
    limit: BombLimit,
    piece: &[u8],
    sink: &mut dyn FnMut(&[u8]),
) -> Result<(), String> {
    if piece.is_empty() {
        return Ok(());
    }
    let total = *bytes_out + piece.len() as u64;
    let allowed = limit.floor.max(limit.ratio.saturating_mul(bytes_in.max(1)));
    if total > allowed {
        // `bytes_out` keeps counting only what was passed on.
        return Err(format!(
            "decompressed data passes {}× its compressed size ({} bytes from the first {}); stopped as a possible decompression bomb",
            limit.ratio, total, bytes_in
        ));
    }
    *bytes_out = total;
    sink(piece);
    Ok(())
}

/// A corrupt zstd stream, `at` the compressed bytes read without error (up
/// to the frame header or block being decoded).
fn zstd_error(at: u64, e: &dyn std::fmt::Display) -> String {
    format!("zstd data is corrupt after byte {at}: {e}")
}

fn truncated(bytes_in: u64) -> String {
    format!("zstd stream ends early after {bytes_in} bytes (truncated or corrupt)")
}

impl Zstd {
    /// Decodes what `pending` allows; at the end, everything must be used.
    fn run(
        &mut self,
        end: bool,
        bytes_in: u64,
        bytes_out: &mut u64,
        limit: BombLimit,
        sink: &mut dyn FnMut(&[u8]),
    ) -> Result<(), String> {
        let mut start = 0;
        let result = loop {
            let input = &self.pending[start..];
            if !self.in_frame {
                // A frame header is at most 18 bytes; wait for them unless at the end.
                if input.is_empty() || (input.len() < 18 && !end) {
                    break Ok(());
                }
                if self.skip > 0 {
                    let n = input
                        .len()
                        .min(usize::try_from(self.skip).unwrap_or(usize::MAX));
                    start += n;
                    self.skip -= n as u64;
                    continue;
                }
                // A skippable frame: magic 0x184D2A5?, then its length.
                if let [0x50..=0x5F, 0x2A, 0x4D, 0x18, a, b, c, d, ..] = *input {
                    self.skip = u64::from(u32::from_le_bytes([a, b, c, d])) + 8;
                    continue;
                }
                let mut cursor = input;
                if let Err(e) = self.decoder.reset(&mut cursor) {
                    break Err(if end && input.len() < 18 {
                        truncated(bytes_in)
                    } else {
                        zstd_error(bytes_in - input.len() as u64, &e)
                    });
                }
                start += input.len() - cursor.len();
                self.in_frame = true;
                continue;
            }
            let (read, written) = match self.decoder.decode_from_to(input, &mut self.out) {
                Ok(rw) => rw,
                Err(e) => break Err(zstd_error(bytes_in - input.len() as u64, &e)),
            };
            if read > input.len() {
                // ruzstd reports a checksum as read before all of it has arrived.
                break if end {
                    Err(truncated(bytes_in))
                } else {
                    Ok(())
                };
            }
            start += read;
            if let Err(e) = emit(bytes_out, bytes_in, limit, &self.out[..written], sink) {
                break Err(e);
            }
            if self.decoder.is_finished() && self.decoder.can_collect() == 0 {
                self.in_frame = false;
                continue;
            }
            if read == 0 && written == 0 {
                break if end {
                    Err(truncated(bytes_in))
                } else {
                    Ok(())
                };
            }
        };
        self.pending.drain(..start);
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::write::GzEncoder;
    use proptest::prelude::*;

    const LIMIT: BombLimit = BombLimit {
        ratio: 1000,
        floor: 64 << 20,
    };

    pub(crate) fn gzip(data: &[u8]) -> Vec<u8> {
        let mut e = GzEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(data).expect("write");
        e.finish().expect("finish")
    }

    fn bzip2(data: &[u8]) -> Vec<u8> {
        let mut e = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::fast());
        e.write_all(data).expect("write");
        e.finish().expect("finish")
    }

    fn deflate(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(data).expect("write");
        e.finish().expect("finish")
    }

    pub(crate) fn zstd(data: &[u8]) -> Vec<u8> {
        ruzstd::encoding::compress_to_vec(data, ruzstd::encoding::CompressionLevel::Fastest)
    }

    fn run(kind: Compression, chunks: &[&[u8]], limit: BombLimit) -> (Vec<u8>, Result<(), String>) {
        let mut d = Decompressor::new(kind, limit);
        let mut out = Vec::new();
        for c in chunks {
            if let Err(e) = d.feed(c, &mut |p| out.extend_from_slice(p)) {
                return (out, Err(e));
            }
        }
        let r = d.finish(&mut |p| out.extend_from_slice(p));
        (out, r)
    }

    #[test]
    fn cases() {
        let text: Vec<u8> = (0..20_000u32)
            .flat_map(|i| format!("line {i}\n").into_bytes())
            .collect();
        let gz = gzip(&text);
        let two = [gzip(b"first "), gzip(b"second")].concat();
        let zs = zstd(&text);
        let skippable = b"\x50\x2A\x4D\x18\x03\x00\x00\x00abc";
        let two_zs = [&zstd(b"first ")[..], skippable, &zstd(b"second")].concat();

        assert_eq!(
            run(Compression::Gzip, &[&gz], LIMIT),
            (text.clone(), Ok(()))
        );
        assert_eq!(
            run(Compression::Gzip, &[&two[..5], &two[5..]], LIMIT).0,
            b"first second"
        );
        assert_eq!(
            run(Compression::Zstd, &[&zs], LIMIT),
            (text.clone(), Ok(()))
        );
        assert_eq!(
            run(Compression::Zstd, &[&two_zs], LIMIT),
            (b"first second".to_vec(), Ok(()))
        );

        let (partial, err) = run(Compression::Gzip, &[&gz[..gz.len() / 2]], LIMIT);
        assert!(text.starts_with(&partial) && !partial.is_empty());
        assert!(err.unwrap_err().contains("gzip stream ends early after"));
        let (partial, err) = run(Compression::Zstd, &[&zs[..zs.len() / 2]], LIMIT);
        assert!(text.starts_with(&partial));
        assert!(err.unwrap_err().contains("zstd stream ends early"));

        let zeros = gzip(&vec![0u8; 1 << 20]);
        let tight = BombLimit {
            ratio: 10,
            floor: 1000,
        };
        let (_, err) = run(Compression::Gzip, &[&zeros], tight);
        assert!(err.unwrap_err().contains("decompression bomb"));
    }

    proptest! {
        /// Arbitrary bytes never panic; any cut of a valid stream gives the same output.
        #[test]
        fn any_input(data in proptest::collection::vec(any::<u8>(), 0..300), cut in 0usize..400, z in any::<bool>()) {
            let kind = if z { Compression::Zstd } else { Compression::Gzip };
            let _ = run(kind, &[&data], LIMIT);
            let packed = if z { zstd(&data) } else { gzip(&data) };
            let cut = cut.min(packed.len());
            prop_assert_eq!(run(kind, &[&packed[..cut], &packed[cut..]], LIMIT), (data.clone(), Ok(())));
        }

        /// The same for bzip2 (two concatenated streams) and raw deflate.
        #[test]
        fn bzip2_and_deflate_cut_anywhere(data in proptest::collection::vec(any::<u8>(), 0..300), cut in 0usize..600, bz in any::<bool>()) {
            let (kind, packed) = if bz {
                let half = data.len() / 2;
                (Compression::Bzip2, [bzip2(&data[..half]), bzip2(&data[half..])].concat())
            } else {
                (Compression::Deflate, deflate(&data))
            };
            let _ = run(kind, &[&data], LIMIT);
            let cut = cut.min(packed.len());
            prop_assert_eq!(run(kind, &[&packed[..cut], &packed[cut..]], LIMIT), (data.clone(), Ok(())));
            let (partial, result) = run(kind, &[&packed[..packed.len() - 1]], LIMIT);
            prop_assert!(data.starts_with(&partial));
            prop_assert!(result.is_err());
        }
    }
}
