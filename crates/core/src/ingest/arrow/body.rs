//! Compressed record batches: each buffer inflated (lz4-frame with lz4_flex,
//! zstd with ruzstd) into a new body, described by a rebuilt batch header
//! without compression, which the `arrow-ipc` reader then reads as usual.
//!
//! The IPC format compresses buffer by buffer: 8 bytes of uncompressed
//! length (little-endian, -1 when the buffer was left uncompressed), then
//! the codec's frame.

use std::io::Read;

use arrow_buffer::Buffer;
use arrow_ipc::{
    CompressionType, DictionaryBatch, DictionaryBatchArgs, FieldNode, RecordBatch as FbBatch,
    RecordBatchArgs,
};
use flatbuffers::{FlatBufferBuilder, WIPOffset};

use crate::ingest::compress::BombLimit;

/// Reads a record batch header and its body with `read`, first inflating
/// the body if the header says it is compressed.
pub(super) fn record_batch<T>(
    fb: FbBatch<'_>,
    body: &Buffer,
    limit: BombLimit,
    read: impl FnOnce(FbBatch<'_>, &Buffer) -> Result<T, String>,
) -> Result<T, String> {
    if fb.compression().is_none() {
        return read(fb, body);
    }
    let (plain, buffers) = inflate(fb, body, limit)?;
    let mut fbb = FlatBufferBuilder::new();
    let batch = rebuild(&mut fbb, fb, &buffers);
    fbb.finish_minimal(batch);
    let header = flatbuffers::root::<FbBatch>(fbb.finished_data()).map_err(|e| e.to_string())?;
    read(header, &plain)
}

/// Like [`record_batch`] for a dictionary batch.
pub(super) fn dictionary<T>(
    fb: DictionaryBatch<'_>,
    body: &Buffer,
    limit: BombLimit,
    read: impl FnOnce(DictionaryBatch<'_>, &Buffer) -> Result<T, String>,
) -> Result<T, String> {
    let data = fb.data().ok_or("a dictionary batch without data")?;
    if data.compression().is_none() {
        return read(fb, body);
    }
    let (plain, buffers) = inflate(data, body, limit)?;
    let mut fbb = FlatBufferBuilder::new();
    let batch = rebuild(&mut fbb, data, &buffers);
    let dictionary = DictionaryBatch::create(
        &mut fbb,
        &DictionaryBatchArgs {
            id: fb.id(),
            data: Some(batch),
            isDelta: fb.isDelta(),
        },
    );
    fbb.finish_minimal(dictionary);
    let header =
        flatbuffers::root::<DictionaryBatch>(fbb.finished_data()).map_err(|e| e.to_string())?;
    read(header, &plain)
}

/// The batch header `fb` with `buffers` in place of its own and no compression.
fn rebuild<'a>(
    fbb: &mut FlatBufferBuilder<'a>,
    fb: FbBatch<'_>,
    buffers: &[arrow_ipc::Buffer],
) -> WIPOffset<FbBatch<'a>> {
    let nodes: Vec<FieldNode> = fb
        .nodes()
        .map(|n| n.iter().copied().collect())
        .unwrap_or_default();
    let nodes = fbb.create_vector(&nodes);
    let buffers = fbb.create_vector(buffers);
    let variadic = fb.variadicBufferCounts().map(|v| {
        let counts: Vec<i64> = v.iter().collect();
        fbb.create_vector(&counts)
    });
    FbBatch::create(
        fbb,
        &RecordBatchArgs {
            length: fb.length(),
            nodes: Some(nodes),
            buffers: Some(buffers),
            compression: None,
            variadicBufferCounts: variadic,
        },
    )
}

/// The uncompressed body and where each buffer lies in it (8-byte aligned).
fn inflate(
    fb: FbBatch<'_>,
    body: &Buffer,
    limit: BombLimit,
) -> Result<(Buffer, Vec<arrow_ipc::Buffer>), String> {
    let codec = fb.compression().map(|c| c.codec());
    let lz4 = match codec {
        Some(CompressionType::LZ4_FRAME) => true,
        Some(CompressionType::ZSTD) => false,
        Some(other) => return Err(format!("unknown buffer compression {}", other.0)),
        None => return Err("no compression".into()),
    };
    let allowed = limit
        .floor
        .max(limit.ratio.saturating_mul(body.len().max(1) as u64));
    let mut plain: Vec<u8> = Vec::new();
    let mut placed = Vec::new();
    for (i, b) in fb.buffers().into_iter().flatten().enumerate() {
        let range = usize::try_from(b.offset())
            .ok()
            .zip(usize::try_from(b.length()).ok())
            .and_then(|(start, len)| Some(start..start.checked_add(len)?))
            .filter(|r| r.end <= body.len())
            .ok_or_else(|| format!("buffer {i} lies outside the message body"))?;
        let start = plain.len();
        let data = &body[range];
        if data.len() >= 8 {
            let declared = i64::from_le_bytes(data[..8].try_into().unwrap_or_default());
            let frame = &data[8..];
            if declared == -1 {
                plain.extend_from_slice(frame);
            } else {
                let declared = u64::try_from(declared)
                    .ok()
                    .filter(|&d| (plain.len() as u64).saturating_add(d) <= allowed)
                    .ok_or_else(|| {
                        format!(
                            "buffer {i} declares {declared} bytes uncompressed, past {}× the \
                             batch's size; stopped as a possible decompression bomb",
                            limit.ratio
                        )
                    })?;
                let got = if lz4 {
                    lz4_flex::frame::FrameDecoder::new(frame)
                        .take(declared + 1)
                        .read_to_end(&mut plain)
                } else {
                    ruzstd::decoding::StreamingDecoder::new(frame)
                        .map_err(|e| format!("buffer {i}: zstd: {e}"))?
                        .take(declared + 1)
                        .read_to_end(&mut plain)
                };
                let got = got.map_err(|e| {
                    let codec = if lz4 { "lz4" } else { "zstd" };
                    format!("buffer {i} is corrupt ({codec}): {e}")
                })?;
                if got as u64 != declared {
                    return Err(format!(
                        "buffer {i} inflates to {got} bytes, not the {declared} it declares"
                    ));
                }
            }
        } else if !data.is_empty() {
            return Err(format!("buffer {i} is too short to be compressed"));
        }
        let len = plain.len() - start;
        placed.push(arrow_ipc::Buffer::new(start as i64, len as i64));
        plain.resize(plain.len().next_multiple_of(8), 0);
    }
    Ok((Buffer::from_vec(plain), placed))
}
