//! A pure-Rust page reader for zstd-compressed Parquet, for builds whose
//! `parquet` crate has no zstd codec (wasm32: its codec binds the C library).
//!
//! The `parquet` crate offers no codec hook, but its record reader takes any
//! [`RowGroupReader`]. [`ZstdRowGroup`] serves pages itself: it decodes each
//! page header (Thrift compact protocol), inflates the page with `ruzstd`,
//! and hands the `parquet` crate the uncompressed page to decode as usual.

use bytes::Bytes;
use parquet::basic::Compression;
use parquet::bloom_filter::Sbbf;
use parquet::column::page::{Page, PageMetadata, PageReader};
use parquet::errors::{ParquetError, Result};
use parquet::file::metadata::{ColumnChunkMetaData, RowGroupMetaData};
use parquet::file::reader::RowGroupReader;
use parquet::record::reader::RowIter;
use parquet::schema::types::Type;

mod header;

use header::{encoding_of, Header, Kind};

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
/// each must decode, hold at most [`header::MAX_VALUES`] values, and its page lie
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
