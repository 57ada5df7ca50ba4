//! Telling a file's compression, format and binary-ness from its name and first bytes.

use serde::{Deserialize, Serialize};

/// How many decoded bytes detection looks at.
pub const SNIFF_BYTES: usize = 8 * 1024;

/// The record format of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// One JSON object per line.
    Jsonl,
    /// A JSON array of objects, or top-level objects one after another.
    Json,
    Csv,
    Tsv,
    /// Plain text, as one document or blank-line separated blocks.
    Text,
    Parquet,
    /// Arrow IPC, the stream format (Hugging Face `save_to_disk` shards) or
    /// the file format (Feather v2).
    Arrow,
    /// A zip archive of data files, each read as its own file.
    Zip,
    /// A tar archive of data files, each read as its own file.
    Tar,
    /// Not read: empty, binary or cut short before detection.
    Unknown,
}

/// The compression wrapped around a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Compression {
    None,
    Gzip,
    Zstd,
    Bzip2,
    Xz,
    /// Raw deflate: only inside zip archives (a member's method).
    Deflate,
}

/// Bytes [`compression_of`] needs to decide (bzip2's block magic ends at 10).
pub const MAGIC_BYTES: usize = 10;

/// The compression named by a file's magic bytes.
pub fn compression_of(head: &[u8]) -> Compression {
    match head {
        [0x1F, 0x8B, ..] => Compression::Gzip,
        [0x28, 0xB5, 0x2F, 0xFD, ..] => Compression::Zstd,
        [0xFD, b'7', b'z', b'X', b'Z', 0x00, ..] => Compression::Xz,
        // "BZh", the block size, then a block's magic (pi) or, for an empty
        // stream, the end-of-stream magic (sqrt pi).
        [b'B', b'Z', b'h', b'1'..=b'9', rest @ ..]
            if rest.starts_with(b"1AY&SY") || rest.starts_with(b"\x17\x72\x45\x38\x50\x90") =>
        {
            Compression::Bzip2
        }
        _ => Compression::None,
    }
}

/// The file name without a compression suffix, lower-cased (`.tgz` and
/// the like become `.tar`).
pub fn base_name(file: &str) -> String {
    let lower = file.to_ascii_lowercase();
    for (suffix, then) in [(".tgz", ".tar"), (".tbz2", ".tar"), (".txz", ".tar")] {
        if let Some(base) = lower.strip_suffix(suffix) {
            return format!("{base}{then}");
        }
    }
    for suffix in [".gz", ".gzip", ".zst", ".zstd", ".bz2", ".xz"] {
        if let Some(base) = lower.strip_suffix(suffix) {
            return base.to_string();
        }
    }
    lower
}

/// Whether a file found in a picked folder (or an archive) should be read as
/// data: a known data extension (after a compression suffix; archives and
/// Arrow files included), and not hidden.
pub fn is_data_file_name(file: &str) -> bool {
    const DATA: &[&str] = &[
        "jsonl",
        "ndjson",
        "jsonlines",
        "json",
        "csv",
        "tsv",
        "tab",
        "parquet",
        "pq",
        "txt",
        "arrow",
        "feather",
        "zip",
        "tar",
    ];
    let name = file.rsplit(['/', '\\']).next().unwrap_or(file);
    let base = base_name(name);
    !name.starts_with('.')
        && base
            .rsplit_once('.')
            .is_some_and(|(_, ext)| DATA.contains(&ext))
}

/// What a known binary file type is, from its magic bytes.
pub fn binary_kind(head: &[u8]) -> Option<&'static str> {
    const MAGIC: &[(&[u8], &str)] = &[
        (b"\x89PNG\r\n\x1a\n", "a PNG image"),
        (b"\xFF\xD8\xFF", "a JPEG image"),
        (b"GIF87a", "a GIF image"),
        (b"GIF89a", "a GIF image"),
        (b"%PDF-", "a PDF document"),
        (b"PK\x03\x04", "a ZIP archive (or an Office document)"),
        (b"PK\x05\x06", "an empty ZIP archive"),
        (b"\x7FELF", "an ELF executable"),
        (b"\xFD7zXZ\x00", "an xz archive"),
        (b"7z\xBC\xAF\x27\x1C", "a 7-Zip archive"),
        (b"Rar!\x1A\x07", "a RAR archive"),
        (b"SQLite format 3\x00", "an SQLite database"),
        (b"\x00asm", "a WebAssembly module"),
        (b"\xCA\xFE\xBA\xBE", "a Mach-O or Java class file"),
        (b"\xCF\xFA\xED\xFE", "a Mach-O executable"),
        (b"OggS", "an Ogg media file"),
        (b"fLaC", "a FLAC audio file"),
        (b"ID3", "an MP3 audio file"),
        (b"\x1A\x45\xDF\xA3", "a Matroska/WebM video"),
        (b"\x93NUMPY", "a NumPy array file"),
        (b"ARROW1", "an Arrow IPC file"),
    ];
    if let Some((_, kind)) = MAGIC.iter().find(|(m, _)| head.starts_with(m)) {
        return Some(kind);
    }
    if head.starts_with(b"BZh") && head.get(4..10) == Some(b"1AY&SY") {
        return Some("a bzip2 archive");
    }
    if head.len() >= 12 && head.starts_with(b"RIFF") {
        return Some(match &head[8..12] {
            b"WEBP" => "a WebP image",
            b"WAVE" => "a WAV audio file",
            _ => "a RIFF media file",
        });
    }
    if head.get(4..8) == Some(b"ftyp") {
        return Some("an MP4/QuickTime media file");
    }
    if head.get(257..262) == Some(b"ustar") {
        return Some("a tar archive");
    }
    None
}

/// Whether decoded text still looks binary: more than one in twenty bytes
/// NUL, or more than one in ten a control character other than whitespace.
/// (A stray NUL in one broken record leaves the file text: that record is
/// rejected and the rest loads.)
pub fn looks_binary(text: &[u8]) -> bool {
    if text.iter().filter(|&&b| b == 0).count() * 20 > text.len() {
        return true;
    }
    let control = text
        .iter()
        .filter(|&&b| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C | 0x1B)) || b == 0x7F)
        .count();
    control * 10 > text.len()
}

/// The record format of `file` (name without compression suffix) whose
/// decoded text starts with `head`.
pub fn format_of(base: &str, head: &[u8]) -> Format {
    let ext = base.rsplit_once('.').map_or("", |(_, e)| e);
    let first = head.iter().find(|b| !b.is_ascii_whitespace()).copied();
    match ext {
        "jsonl" | "ndjson" | "jsonlines" => Format::Jsonl,
        "json" => match first {
            Some(b'[') | Some(b'{') | None => Format::Json,
            _ => Format::Jsonl,
        },
        "csv" => match header_delimiter(head) {
            Some(b'\t') => Format::Tsv,
            _ => Format::Csv,
        },
        "tsv" | "tab" => Format::Tsv,
        "parquet" | "pq" => Format::Parquet,
        "txt" | "text" | "md" | "markdown" | "rst" | "org" | "tex" | "html" | "htm" => Format::Text,
        _ => match first {
            Some(b'[') => Format::Json,
            Some(b'{') => Format::Jsonl,
            _ => match sniff_table(head) {
                Some(b'\t') => Format::Tsv,
                Some(_) => Format::Csv,
                None => Format::Text,
            },
        },
    }
}

/// Tab if the first line has tabs, else comma if it has commas.
fn header_delimiter(head: &[u8]) -> Option<u8> {
    let line = head.split(|&b| b == b'\n').next().unwrap_or(head);
    [b'\t', b','].into_iter().find(|d| line.contains(d))
}

/// A table's delimiter if the first two lines have the same number (≥ 1) of it.
fn sniff_table(head: &[u8]) -> Option<u8> {
    let mut lines = head.split(|&b| b == b'\n');
    let (first, second) = (lines.next()?, lines.next()?);
    lines.next()?; // the second line must be complete
    [b'\t', b','].into_iter().find(|d| {
        let count = |l: &[u8]| l.iter().filter(|&b| b == d).count();
        count(first) > 0 && count(first) == count(second)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        let cases: &[(&str, &[u8], Format)] = &[
            ("a.jsonl", b"{}", Format::Jsonl),
            ("a.ndjson", b"", Format::Jsonl),
            ("a.json", b"  [{}]", Format::Json),
            ("a.json", b"{\"a\":1}", Format::Json),
            ("a.csv", b"a,b\n1,2\n", Format::Csv),
            ("a.csv", b"a\tb\n1\t2\n", Format::Tsv),
            ("a.tsv", b"a,b", Format::Tsv),
            ("a.md", b"[link](x)", Format::Text),
            ("data", b"\n[1]", Format::Json),
            ("data", b"{\"a\":1}\n", Format::Jsonl),
            ("data", b"a\tb\n1\t2\n", Format::Tsv),
            ("data", b"a,b\n1,2\n", Format::Csv),
            ("data", b"Hello, world.\nBye now\n", Format::Text),
            ("x.parquet", b"PAR1", Format::Parquet),
        ];
        for (name, head, want) in cases {
            assert_eq!(format_of(name, head), *want, "{name} {head:?}");
        }
        assert_eq!(base_name("A.JSONL.GZ"), "a.jsonl");
        assert_eq!(base_name("x.csv.zst"), "x.csv");
        assert_eq!(base_name("x.TGZ"), "x.tar");
        assert_eq!(base_name("x.jsonl.bz2"), "x.jsonl");
        assert_eq!(base_name("x.tar.xz"), "x.tar");
    }

    #[test]
    fn magic() {
        assert_eq!(compression_of(b"\x1f\x8b\x08"), Compression::Gzip);
        assert_eq!(compression_of(b"\x28\xb5\x2f\xfd"), Compression::Zstd);
        assert_eq!(compression_of(b"{"), Compression::None);
        assert_eq!(compression_of(b"\xfd7zXZ\0\0\x04"), Compression::Xz);
        assert_eq!(compression_of(b"BZh91AY&SY"), Compression::Bzip2);
        assert_eq!(
            compression_of(b"BZh9\x17\x72\x45\x38\x50\x90"),
            Compression::Bzip2
        );
        assert_eq!(compression_of(b"BZh9 is text"), Compression::None);
        assert_eq!(binary_kind(b"\x89PNG\r\n\x1a\n...."), Some("a PNG image"));
        assert_eq!(binary_kind(b"%PDF-1.7"), Some("a PDF document"));
        assert_eq!(binary_kind(b"{\"text\":1}"), None);
        assert!(looks_binary(b"ab\0c"));
        assert!(looks_binary(b"\x01\x02\x03abc"));
        assert!(!looks_binary("tab\there\r\nünï".as_bytes()));
    }

    #[test]
    fn data_file_names_in_folders() {
        for yes in [
            "a.jsonl",
            "dir/b.csv.gz",
            "C.PARQUET",
            "x.txt.zst",
            "train.json",
            "data-00000-of-00002.arrow",
            "x.feather",
            "shards.zip",
            "shards.tar.gz",
            "shards.tgz",
            "a.jsonl.xz",
            "b.csv.bz2",
        ] {
            assert!(is_data_file_name(yes), "{yes}");
        }
        for no in [
            ".hidden.jsonl",
            "README.md",
            "image.png",
            "Makefile",
            "d/.DS_Store",
        ] {
            assert!(!is_data_file_name(no), "{no}");
        }
    }
}
