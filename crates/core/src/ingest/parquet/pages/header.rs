//! Parquet page headers, decoded with a bounded reader of the Thrift compact
//! protocol: at most [`MAX_VALUES`] values a header, so bogus headers fail
//! fast instead of costing work per byte.

use super::general;
use parquet::basic::Encoding;
use parquet::errors::Result;

#[allow(deprecated)]
pub(super) fn encoding_of(code: i32) -> Result<Encoding> {
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
pub(super) struct Header {
    pub(super) uncompressed: usize,
    pub(super) compressed: usize,
    pub(super) kind: Kind,
}

pub(super) enum Kind {
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
pub(super) struct V2 {
    pub(super) num_values: u32,
    pub(super) num_nulls: u32,
    pub(super) num_rows: u32,
    pub(super) encoding: i32,
    pub(super) def_len: u32,
    pub(super) rep_len: u32,
    pub(super) is_compressed: bool,
}

impl Header {
    /// Decodes a `PageHeader` struct and advances `input` past it.
    pub(super) fn read(input: &mut &[u8]) -> Result<Self> {
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
pub(super) const MAX_VALUES: u32 = 4096;

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
