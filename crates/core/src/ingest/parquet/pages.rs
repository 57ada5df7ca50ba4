//! A pure-Rust page reader for zstd-compressed Parquet, for builds whose
//! `parquet` crate has no zstd codec (wasm32: its codec binds the C library).
//!
//! The `parquet` crate offers no codec hook, but its record reader takes any
//! [`RowGroupReader`]. [`ZstdRowGroup`] serves pages itself: it decodes each
//! page header (Thrift compact protocol), inflates the page with `ruzstd`,
//! and hands the `parquet` crate the uncompressed page to decode as usual.

use bytes::Bytes;
use parquet::basic::{Compression, Encoding};
use parquet::bloom_filter::Sbbf;
use parquet::column::page::{Page, PageMetadata, PageReader};
use parquet::errors::{ParquetError, Result};
use parquet::file::metadata::{ColumnChunkMetaData, RowGroupMetaData};
use parquet::file::reader::RowGroupReader;
use parquet::record::reader::RowIter;
use parquet::schema::types::Type;

/// The largest page this reader inflates: 1 GiB.
const MAX_PAGE: usize = 1 << 30;

/// One row group whose zstd pages are inflated by `ruzstd`.
pub struct ZstdRowGroup<'a> {
    pub metadata: &'a RowGroupMetaData,
    pub file: Bytes,
}

impl RowGroupReader for ZstdRowGroup<'_> {
    fn metadata(&self) -> &RowGroupMetaData {
        self.metadata
    }

    fn num_columns(&self) -> usize {
        self.metadata.num_columns()
    }

    fn get_column_page_reader(&self, i: usize) -> Result<Box<dyn PageReader>> {
        let column = self
            .metadata
            .columns()
            .get(i)
            .ok_or_else(|| general(format!("no column {i}")))?;
        Ok(Box::new(Pages::new(column, &self.file)?))
    }

    fn get_column_bloom_filter(&self, _i: usize) -> Option<&Sbbf> {
        None
    }

    fn get_row_iter(&self, projection: Option<Type>) -> Result<RowIter<'_>> {
        RowIter::from_row_group(projection, self)
    }
}

/// Walks the page headers of a column chunk with this module's decoder:
/// each must decode, hold at most [`MAX_VALUES`] values, and its page lie
/// inside the chunk. The `parquet` crate's own header reader spends some
/// 8 KiB of work per byte on some bogus headers (thousands of empty
/// binaries to skip, each through a fresh zeroed buffer), so a chunk that
/// fails here is not handed to it.
pub(super) fn check_chunk(column: &ColumnChunkMetaData, file: &[u8]) -> Result<()> {
    let range = super::source::chunk_range(column, file.len())
        .ok_or_else(|| general("a column chunk lies outside the file".into()))?;
    let mut rest = &file[range];
    let mut page = 0;
    while !rest.is_empty() {
        page += 1;
        let header = Header::read(&mut rest).map_err(|e| {
            let reason = match e {
                ParquetError::General(reason) => reason,
                other => other.to_string(),
            };
            general(format!(
                "page {page} of column {}: {reason}",
                column.column_path()
            ))
        })?;
        if header.compressed > rest.len() {
            return Err(general(format!(
                "page {page} of column {} runs past its column chunk",
                column.column_path()
            )));
        }
        rest = &rest[header.compressed..];
    }
    Ok(())
}

fn general(message: String) -> ParquetError {
    ParquetError::General(message)
}

/// The pages of one column chunk.
struct Pages {
    chunk: Bytes,
    zstd: bool,
}

impl Pages {
    fn new(column: &ColumnChunkMetaData, file: &Bytes) -> Result<Self> {
        let zstd = match column.compression() {
            Compression::ZSTD(_) => true,
            Compression::UNCOMPRESSED => false,
            other => return Err(general(format!("{other} pages in a zstd reader"))),
        };
        let range = super::source::chunk_range(column, file.len())
            .ok_or_else(|| general("a column chunk lies outside the file".into()))?;
        Ok(Self {
            chunk: file.slice(range),
            zstd,
        })
    }

    /// The next page's header and its (still compressed) body.
    fn next_raw(&mut self) -> Result<Option<(Header, Bytes)>> {
        if self.chunk.is_empty() {
            return Ok(None);
        }
        let mut input: &[u8] = &self.chunk;
        let header = Header::read(&mut input)?;
        let start = self.chunk.len() - input.len();
        let end = start
            .checked_add(header.compressed)
            .filter(|&e| e <= self.chunk.len())
            .ok_or_else(|| general("a page runs past its column chunk".into()))?;
        let body = self.chunk.slice(start..end);
        self.chunk = self.chunk.slice(end..);
        Ok(Some((header, body)))
    }

    fn inflate(&self, body: &[u8], size: usize) -> Result<Bytes> {
        if !self.zstd {
            return Ok(Bytes::copy_from_slice(body));
        }
        if size > MAX_PAGE {
            return Err(general(format!("a page claims {size} bytes")));
        }
        let mut out = vec![0; size];
        let written = ruzstd::decoding::FrameDecoder::new()
            .decode_all(body, &mut out)
            .map_err(|e| general(format!("zstd: {e}")))?;
        if written != size {
            return Err(general(format!(
                "zstd page gave {written} bytes, its header says {size}"
            )));
        }
        Ok(Bytes::from(out))
    }
}

impl Iterator for Pages {
    type Item = Result<Page>;

    fn next(&mut self) -> Option<Result<Page>> {
        self.get_next_page().transpose()
    }
}

impl PageReader for Pages {
    fn get_next_page(&mut self) -> Result<Option<Page>> {
        loop {
            let Some((header, body)) = self.next_raw()? else {
                return Ok(None);
            };
            let page = match header.kind {
                Kind::Dictionary {
                    num_values,
                    encoding,
                } => Page::DictionaryPage {
                    buf: self.inflate(&body, header.uncompressed)?,
                    num_values,
                    encoding: encoding_of(encoding)?,
                    is_sorted: false,
                },
                Kind::DataV1 {
                    num_values,
                    encoding,
                    def,
                    rep,
                } => Page::DataPage {
                    buf: self.inflate(&body, header.uncompressed)?,
                    num_values,
                    encoding: encoding_of(encoding)?,
                    def_level_encoding: encoding_of(def)?,
                    rep_level_encoding: encoding_of(rep)?,
                    statistics: None,
                },
                Kind::DataV2(v2) => {
                    // Levels are stored uncompressed before the values.
                    let levels = v2.def_len as usize + v2.rep_len as usize;
                    if levels > body.len() || levels > header.uncompressed {
                        return Err(general("page levels longer than the page".into()));
                    }
                    let values = if v2.is_compressed {
                        self.inflate(&body[levels..], header.uncompressed - levels)?
                    } else {
                        body.slice(levels..)
                    };
                    let mut buf = Vec::with_capacity(levels + values.len());
                    buf.extend_from_slice(&body[..levels]);
                    buf.extend_from_slice(&values);
                    Page::DataPageV2 {
                        buf: Bytes::from(buf),
                        num_values: v2.num_values,
                        encoding: encoding_of(v2.encoding)?,
                        num_nulls: v2.num_nulls,
                        num_rows: v2.num_rows,
                        def_levels_byte_len: v2.def_len,
                        rep_levels_byte_len: v2.rep_len,
                        is_compressed: v2.is_compressed,
                        statistics: None,
                    }
                }
                // Index pages and unknown kinds carry no values.
                Kind::Other => continue,
            };
            return Ok(Some(page));
        }
    }

    fn peek_next_page(&mut self) -> Result<Option<PageMetadata>> {
        let mut input: &[u8] = &self.chunk;
        if input.is_empty() {
            return Ok(None);
        }
        let header = Header::read(&mut input)?;
        Ok(Some(match header.kind {
            Kind::Dictionary { .. } => PageMetadata {
                num_rows: None,
                num_levels: None,
                is_dict: true,
            },
            Kind::DataV1 { num_values, .. } => PageMetadata {
                num_rows: None,
                num_levels: Some(num_values as usize),
                is_dict: false,
            },
            Kind::DataV2(v2) => PageMetadata {
                num_rows: Some(v2.num_rows as usize),
                num_levels: Some(v2.num_values as usize),
                is_dict: false,
            },
            Kind::Other => PageMetadata {
                num_rows: Some(0),
                num_levels: Some(0),
                is_dict: false,
            },
        }))
    }

    fn skip_next_page(&mut self) -> Result<()> {
        self.next_raw().map(|_| ())
    }
}

#[allow(deprecated)]
fn encoding_of(code: i32) -> Result<Encoding> {
    Ok(match code {
        0 => Encoding::PLAIN,
        2 => Encoding::PLAIN_DICTIONARY,
        3 => Encoding::RLE,
        4 => Encoding::BIT_PACKED,
        5 => Encoding::DELTA_BINARY_PACKED,
        6 => Encoding::DELTA_LENGTH_BYTE_ARRAY,
        7 => Encoding::DELTA_BYTE_ARRAY,
        8 => Encoding::RLE_DICTIONARY,
        9 => Encoding::BYTE_STREAM_SPLIT,
        other => return Err(general(format!("unknown encoding {other}"))),
    })
}

/// The fields of a page header this reader uses.
struct Header {
    uncompressed: usize,
    compressed: usize,
    kind: Kind,
}

enum Kind {
    Dictionary {
        num_values: u32,
        encoding: i32,
    },
    DataV1 {
        num_values: u32,
        encoding: i32,
        def: i32,
        rep: i32,
    },
    DataV2(V2),
    Other,
}

#[derive(Default)]
struct V2 {
    num_values: u32,
    num_nulls: u32,
    num_rows: u32,
    encoding: i32,
    def_len: u32,
    rep_len: u32,
    is_compressed: bool,
}

impl Header {
    /// Decodes a `PageHeader` struct and advances `input` past it.
    fn read(input: &mut &[u8]) -> Result<Self> {
        let mut r = Compact {
            input,
            depth: 0,
            values: 0,
        };
        let (mut kind_code, mut uncompressed, mut compressed) = (-1, -1, -1);
        let mut v1 = (0, 0, 0, 0);
        let mut dict = (0, 0);
        let mut v2 = V2 {
            is_compressed: true,
            ..V2::default()
        };
        r.each_field(&mut |r, id, ty| {
            match (id, ty) {
                (1, I32) => kind_code = r.int()? as i32,
                (2, I32) => uncompressed = r.int()?,
                (3, I32) => compressed = r.int()?,
                (5, STRUCT) => r.each_field(&mut |r, id, ty| {
                    match (id, ty) {
                        (1, I32) => v1.0 = r.int()?,
                        (2, I32) => v1.1 = r.int()?,
                        (3, I32) => v1.2 = r.int()?,
                        (4, I32) => v1.3 = r.int()?,
                        _ => r.skip(ty)?,
                    }
                    Ok(())
                })?,
                (7, STRUCT) => r.each_field(&mut |r, id, ty| {
                    match (id, ty) {
                        (1, I32) => dict.0 = r.int()?,
                        (2, I32) => dict.1 = r.int()?,
                        _ => r.skip(ty)?,
                    }
                    Ok(())
                })?,
                (8, STRUCT) => r.each_field(&mut |r, id, ty| {
                    match (id, ty) {
                        (1, I32) => v2.num_values = count(r.int()?)?,
                        (2, I32) => v2.num_nulls = count(r.int()?)?,
                        (3, I32) => v2.num_rows = count(r.int()?)?,
                        (4, I32) => v2.encoding = r.int()? as i32,
                        (5, I32) => v2.def_len = count(r.int()?)?,
                        (6, I32) => v2.rep_len = count(r.int()?)?,
                        (7, TRUE) => v2.is_compressed = true,
                        (7, FALSE) => v2.is_compressed = false,
                        _ => r.skip(ty)?,
                    }
                    Ok(())
                })?,
                _ => r.skip(ty)?,
            }
            Ok(())
        })?;
        let kind = match kind_code {
            0 => Kind::DataV1 {
                num_values: count(v1.0)?,
                encoding: v1.1 as i32,
                def: v1.2 as i32,
                rep: v1.3 as i32,
            },
            2 => Kind::Dictionary {
                num_values: count(dict.0)?,
                encoding: dict.1 as i32,
            },
            3 => Kind::DataV2(v2),
            _ => Kind::Other,
        };
        Ok(Self {
            uncompressed: count(uncompressed)? as usize,
            compressed: count(compressed)? as usize,
            kind,
        })
    }
}

/// A non-negative 32-bit count.
fn count(n: i64) -> Result<u32> {
    u32::try_from(n).map_err(|_| general(format!("bad count {n} in a page header")))
}

// Thrift compact protocol type codes.
const TRUE: u8 = 1;
const FALSE: u8 = 2;
const I8: u8 = 3;
const I16: u8 = 4;
const I32: u8 = 5;
const I64: u8 = 6;
const DOUBLE: u8 = 7;
const BINARY: u8 = 8;
const LIST: u8 = 9;
const SET: u8 = 10;
const MAP: u8 = 11;
const STRUCT: u8 = 12;

/// Values a page header may hold (fields and items, skipped or not): real
/// ones hold a few dozen.
const MAX_VALUES: u32 = 4096;

/// A reader of the Thrift compact protocol, enough for page headers.
struct Compact<'a, 'b> {
    input: &'a mut &'b [u8],
    depth: usize,
    /// Values met so far, up to [`MAX_VALUES`].
    values: u32,
}

type FieldFn<'f, 'a, 'b> = dyn FnMut(&mut Compact<'a, 'b>, i16, u8) -> Result<()> + 'f;

impl<'a, 'b> Compact<'a, 'b> {
    fn byte(&mut self) -> Result<u8> {
        let (&b, rest) = self
            .input
            .split_first()
            .ok_or_else(|| general("a page header is cut short".into()))?;
        *self.input = rest;
        Ok(b)
    }

    fn varint(&mut self) -> Result<u64> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            value |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(general("a varint too long in a page header".into()))
    }

    /// A zigzag-encoded integer (i16, i32 or i64).
    fn int(&mut self) -> Result<i64> {
        let v = self.varint()?;
        Ok((v >> 1) as i64 ^ -((v & 1) as i64))
    }

    /// Calls `field` with the id and type of each field of a struct, up to
    /// its stop byte; `field` must consume the value.
    fn each_field(&mut self, field: &mut FieldFn<'_, 'a, 'b>) -> Result<()> {
        self.depth += 1;
        if self.depth > 32 {
            return Err(general("page header nested too deep".into()));
        }
        let mut last: i16 = 0;
        loop {
            let b = self.byte()?;
            if b == 0 {
                break;
            }
            let ty = b & 0x0f;
            let delta = b >> 4;
            let id = if delta == 0 {
                i16::try_from(self.int()?).map_err(|_| general("bad field id".into()))?
            } else {
                last.wrapping_add(i16::from(delta))
            };
            last = id;
            self.values += 1;
            if self.values > MAX_VALUES {
                return Err(general(format!(
                    "a page header holds more than {MAX_VALUES} values"
                )));
            }
            field(self, id, ty)?;
        }
        self.depth -= 1;
        Ok(())
    }

    /// Consumes a value of type `ty`.
    fn skip(&mut self, ty: u8) -> Result<()> {
        self.depth += 1;
        if self.depth > 32 {
            return Err(general("page header nested too deep".into()));
        }
        self.skip_value(ty)?;
        self.depth -= 1;
        Ok(())
    }

    fn skip_value(&mut self, ty: u8) -> Result<()> {
        self.values += 1;
        if self.values > MAX_VALUES {
            return Err(general(format!(
                "a page header holds more than {MAX_VALUES} values"
            )));
        }
        match ty {
            TRUE | FALSE => {}
            I8 => {
                self.byte()?;
            }
            I16 | I32 | I64 => {
                self.varint()?;
            }
            DOUBLE => {
                for _ in 0..8 {
                    self.byte()?;
                }
            }
            BINARY => {
                let len = usize::try_from(self.varint()?).unwrap_or(usize::MAX);
                if len > self.input.len() {
                    return Err(general("a page header is cut short".into()));
                }
                *self.input = &self.input[len..];
            }
            LIST | SET => {
                let b = self.byte()?;
                let size = match b >> 4 {
                    15 => self.varint()?,
                    n => u64::from(n),
                };
                self.skip_items(size, &[b & 0x0f])?;
            }
            MAP => {
                let size = self.varint()?;
                if size > 0 {
                    let kv = self.byte()?;
                    self.skip_items(size, &[kv >> 4, kv & 0x0f])?;
                }
            }
            STRUCT => self.each_field(&mut |r, _, ty| r.skip(ty))?,
            other => return Err(general(format!("unknown Thrift type {other}"))),
        }
        Ok(())
    }

    fn skip_items(&mut self, size: u64, types: &[u8]) -> Result<()> {
        if size > self.input.len() as u64 {
            return Err(general("a page header is cut short".into()));
        }
        for _ in 0..size {
            for &ty in types {
                // In collections booleans take a byte each.
                if ty == TRUE || ty == FALSE {
                    self.byte()?;
                } else {
                    self.skip(ty)?;
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A data page header: type 0, 10 bytes uncompressed, 8 compressed, a
    /// crc, and a data page header with statistics (a binary and a list) to skip.
    const HEADER: &[u8] = &[
        0x15, 0x00, // 1: type = 0 (data page)
        0x15, 0x14, // 2: uncompressed = 10
        0x15, 0x10, // 3: compressed = 8
        0x15, 0x07, // 4: crc (skipped)
        0x1C, // 5: data page header
        0x15, 0x06, //    1: num_values = 3
        0x15, 0x10, //    2: encoding = 8 (RLE_DICTIONARY)
        0x15, 0x06, //    3: def = 3 (RLE)
        0x15, 0x06, //    4: rep = 3
        0x1C, //          5: statistics (skipped)
        0x18, 0x02, b'a', b'b', // 1: binary "ab"
        0x19, 0x25, 0x02, 0x04, // 2: list of two i32
        0x1B, 0x01, 0x55, 0x02, 0x04, // 3: map of one i32 -> i32
        0x00, //          end of statistics
        0x00, //    end of data page header
        0x00, // end of page header
    ];

    #[test]
    fn reads_a_data_page_header() {
        let bytes = [HEADER, b"rest"].concat();
        let mut input: &[u8] = &bytes;
        let header = Header::read(&mut input).expect("header");
        assert_eq!(input, b"rest");
        assert_eq!((header.uncompressed, header.compressed), (10, 8));
        let Kind::DataV1 {
            num_values,
            encoding,
            def,
            rep,
        } = header.kind
        else {
            panic!("not a v1 data page");
        };
        assert_eq!((num_values, encoding, def, rep), (3, 8, 3, 3));
        assert_eq!(encoding_of(encoding).ok(), Some(Encoding::RLE_DICTIONARY));
    }

    #[test]
    fn cut_or_deep_headers_are_errors() {
        for cut in 0..HEADER.len() {
            let mut input = &HEADER[..cut];
            assert!(Header::read(&mut input).is_err(), "cut at {cut}");
        }
        let deep = vec![0x1C; 100];
        let mut input: &[u8] = &deep;
        assert!(Header::read(&mut input).is_err());
        let lists = [&[0x19u8][..], &[0x19; 100]].concat();
        let mut input: &[u8] = &lists;
        assert!(Header::read(&mut input).is_err());
    }

    proptest! {
        /// Any bytes: an error or a header, never a panic.
        #[test]
        fn arbitrary_headers_never_panic(data in proptest::collection::vec(any::<u8>(), 0..200)) {
            let mut input: &[u8] = &data;
            let _ = Header::read(&mut input);
        }
    }
}
