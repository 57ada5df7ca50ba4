#!/usr/bin/env python3
"""Write the container test fixtures in tests/fixtures/containers/ from the demo corpus.

Written by independent makers: pyarrow 26.0.1 (Arrow IPC stream and file, lz4-frame and
zstd buffers) and Python's own zipfile, tarfile, gzip, bz2 and lzma modules:

  python3 -m venv .cache/venv && .cache/venv/bin/pip install pyarrow==26.0.1
  .cache/venv/bin/python scripts/assets/container_fixtures.py

Zip and tar entries carry the time of writing: a rerun changes those bytes, not the records.
Each fixture comes with expected/<fixture>.json: the records the maker wrote, in order, as
[file, text, source] with file the name a problem would give (the fixture, or
fixture/member inside an archive) and source the record's own, else that name.

Files (run from the repository root):
  stream.arrow            IPC stream, 3 batches of 8 rows (id, source, text), uncompressed,
                          the format of a Hugging Face save_to_disk shard
  stream_lz4.arrow        the same with lz4-frame buffers
  stream_zstd.arrow       the same with zstd buffers
  file_lz4.feather        IPC file (Feather v2), lz4-frame
  file_zstd.arrow         IPC file, zstd
  nested.arrow            IPC stream: a dictionary-encoded source, text in a struct
                          (meta.text, null in row 3), a list column and a timestamp
  records.jsonl.bz2       JSON Lines, bzip2 (two concatenated streams)
  records.jsonl.xz        JSON Lines, xz
  shards.zip              deflate members a.jsonl, dir/b.csv, stored c.jsonl.gz, bzip2 d.jsonl,
                          lzma (method 14, unsupported) e.jsonl, a README.md, a directory
  streamed.zip            deflate members with data descriptors (written to a pipe)
  stored_streamed.zip     a stored member with a data descriptor, then another member
  shards.tar              a.jsonl, a pax long-named member, c.jsonl.gz, an Arrow shard with
                          dataset_info.json and state.json beside it, a README, a directory
  shards.tar.gz, shards.tgz, shards.tar.bz2, shards.tar.xz   the same tar, compressed

  hf/data-00000-of-00001.arrow, hf/dataset_info.json, hf/state.json
                          a real Hugging Face datasets save_to_disk folder (datasets 4.4.1,
                          pip install datasets==4.4.1), 12 records; hf_save_to_disk.tar: that
                          folder as a tar

  bad/corrupt_batch.arrow  IPC stream (zstd) of 3 batches of 8 rows whose 2nd batch has a
                           corrupt zstd frame
  bad/zeros.jsonl.bz2, bad/zeros.jsonl.xz   16 MiB of one repeated record line (bombs
                           under a tight cap)
  bad/bomb.zip             a deflate member of 16 MiB of one repeated line, then a.jsonl
  bad/odd.tar              a PNG named x.jsonl, a zip inside the tar, a .7z, then a.jsonl
"""

import bz2
import gzip
import io
import json
import lzma
import tarfile
import zipfile
from pathlib import Path

import pyarrow as pa
import pyarrow.ipc as ipc

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "tests" / "fixtures" / "containers"
EXPECTED = OUT / "expected"


def demo_records(n, skip=0):
    with open(ROOT / "assets" / "corpus" / "demo.jsonl", encoding="utf-8") as f:
        lines = [line for _, line in zip(range(skip + n), f)][skip:]
    return [json.loads(line) for line in lines]


def expect(name, rows):
    EXPECTED.mkdir(parents=True, exist_ok=True)
    with open(EXPECTED / f"{name}.json", "w", encoding="utf-8") as f:
        json.dump(rows, f, ensure_ascii=False, indent=0)
        f.write("\n")


def rows_of(file, records, source=True):
    return [[file, r["text"], r["source"] if source else file] for r in records]


def demo_table(records):
    return pa.table(
        {
            "id": [r["id"] for r in records],
            "source": [r["source"] for r in records],
            "text": [r["text"] for r in records],
        }
    )


def arrow_stream(table, compression=None):
    sink = io.BytesIO()
    options = ipc.IpcWriteOptions(compression=compression)
    with ipc.new_stream(sink, table.schema, options=options) as w:
        for batch in table.to_batches(max_chunksize=8):
            w.write_batch(batch)
    return sink.getvalue()


def arrow_file(table, compression):
    sink = io.BytesIO()
    options = ipc.IpcWriteOptions(compression=compression)
    with ipc.new_file(sink, table.schema, options=options) as w:
        for batch in table.to_batches(max_chunksize=8):
            w.write_batch(batch)
    return sink.getvalue()


def jsonl(records, source=True):
    keys = ["id", "source", "text"] if source else ["id", "text"]
    return "".join(json.dumps({k: r[k] for k in keys}, ensure_ascii=False) + "\n" for r in records).encode()


def csv_of(records):
    import csv

    text = io.StringIO()
    w = csv.writer(text, lineterminator="\n")
    w.writerow(["id", "source", "text"])
    for r in records:
        w.writerow([r["id"], r["source"], r["text"]])
    return text.getvalue().encode()


class Pipe(io.RawIOBase):
    """A write-only stream that cannot seek, so zipfile writes data descriptors."""

    def __init__(self):
        self.data = bytearray()

    def writable(self):
        return True

    def write(self, b):
        self.data.extend(b)
        return len(b)


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    records = demo_records(24)
    table = demo_table(records)

    (OUT / "stream.arrow").write_bytes(arrow_stream(table))
    expect("stream.arrow", rows_of("stream.arrow", records))
    (OUT / "stream_lz4.arrow").write_bytes(arrow_stream(table, "lz4"))
    expect("stream_lz4.arrow", rows_of("stream_lz4.arrow", records))
    (OUT / "stream_zstd.arrow").write_bytes(arrow_stream(table, "zstd"))
    expect("stream_zstd.arrow", rows_of("stream_zstd.arrow", records))
    (OUT / "file_lz4.feather").write_bytes(arrow_file(table, "lz4"))
    expect("file_lz4.feather", rows_of("file_lz4.feather", records))
    (OUT / "file_zstd.arrow").write_bytes(arrow_file(table, "zstd"))
    expect("file_zstd.arrow", rows_of("file_zstd.arrow", records))

    few = records[:10]
    nested = pa.table(
        {
            "source": pa.array([r["source"] for r in few]).dictionary_encode(),
            "meta": pa.array(
                [{"text": None if i == 2 else r["text"], "words": len(r["text"].split())} for i, r in enumerate(few)],
                type=pa.struct([("text", pa.string()), ("words", pa.int32())]),
            ),
            "tags": pa.array([["a", str(i)] for i in range(len(few))], type=pa.list_(pa.string())),
            "at": pa.array([1_700_000_000_000 + i for i in range(len(few))], type=pa.timestamp("ms")),
        }
    )
    (OUT / "nested.arrow").write_bytes(arrow_stream(nested, "zstd"))
    expect("nested.arrow", [["nested.arrow", r["text"], r["source"]] for i, r in enumerate(few) if i != 2])

    more = demo_records(12, skip=24)
    data = jsonl(more)
    half = len(data) // 2
    cut = data.rfind(b"\n", 0, half) + 1
    (OUT / "records.jsonl.bz2").write_bytes(bz2.compress(data[:cut]) + bz2.compress(data[cut:]))
    expect("records.jsonl.bz2", rows_of("records.jsonl.bz2", more))
    (OUT / "records.jsonl.xz").write_bytes(lzma.compress(data, format=lzma.FORMAT_XZ))
    expect("records.jsonl.xz", rows_of("records.jsonl.xz", more))

    # Zip: members of several methods, skipped ones between them.
    a, b, c, d, e = (demo_records(4, skip=40 + 4 * i) for i in range(5))
    zip_path = OUT / "shards.zip"
    with zipfile.ZipFile(zip_path, "w") as z:
        z.writestr("README.md", "# shards\n", compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("a.jsonl", jsonl(a, source=False), compress_type=zipfile.ZIP_DEFLATED)
        z.writestr(zipfile.ZipInfo("dir/"), b"")
        z.writestr("dir/b.csv", csv_of(b), compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("c.jsonl.gz", gzip.compress(jsonl(c), mtime=0), compress_type=zipfile.ZIP_STORED)
        z.writestr("d.jsonl", jsonl(d), compress_type=zipfile.ZIP_BZIP2)
        z.writestr("e.jsonl", jsonl(e), compress_type=zipfile.ZIP_LZMA)
    expect(
        "shards.zip",
        rows_of("shards.zip/a.jsonl", a, source=False)
        + rows_of("shards.zip/dir/b.csv", b)
        + rows_of("shards.zip/c.jsonl.gz", c)
        + rows_of("shards.zip/d.jsonl", d),
    )

    pipe = Pipe()
    with zipfile.ZipFile(pipe, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("notes.txt.md", "not data\n")
        z.writestr("a.jsonl", jsonl(a))
        z.writestr("b.csv", csv_of(b))
    (OUT / "streamed.zip").write_bytes(bytes(pipe.data))
    expect("streamed.zip", rows_of("streamed.zip/a.jsonl", a) + rows_of("streamed.zip/b.csv", b))

    pipe = Pipe()
    with zipfile.ZipFile(pipe, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("a.jsonl", jsonl(a))
        z.writestr("b.jsonl", jsonl(b), compress_type=zipfile.ZIP_STORED)
        z.writestr("c.jsonl", jsonl(c))
    (OUT / "stored_streamed.zip").write_bytes(bytes(pipe.data))
    expect("stored_streamed.zip", rows_of("stored_streamed.zip/a.jsonl", a))

    # Tar: a save_to_disk folder beside loose shards.
    shard = arrow_stream(demo_table(d))
    long_name = "train/" + "a-very-long-directory-name-" * 4 + "/part.jsonl"
    members = [
        ("README.md", b"# shards\n"),
        ("a.jsonl", jsonl(a, source=False)),
        (long_name, jsonl(b)),
        ("c.jsonl.gz", gzip.compress(jsonl(c), mtime=0)),
        ("hf/dataset_info.json", b'{"features": {}}'),
        ("hf/state.json", b'{"_data_files": [{"filename": "data-00000-of-00001.arrow"}]}'),
        ("hf/data-00000-of-00001.arrow", shard),
    ]
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as t:
        info = tarfile.TarInfo("hf")
        info.type = tarfile.DIRTYPE
        info.mtime = 0
        t.addfile(info)
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mtime = 0
            t.addfile(info, io.BytesIO(data))
    tar = raw.getvalue()

    def tar_rows(name):
        return (
            rows_of(f"{name}/a.jsonl", a, source=False)
            + rows_of(f"{name}/{long_name}", b)
            + rows_of(f"{name}/c.jsonl.gz", c)
            + rows_of(f"{name}/hf/data-00000-of-00001.arrow", d)
        )

    (OUT / "shards.tar").write_bytes(tar)
    expect("shards.tar", tar_rows("shards.tar"))
    (OUT / "shards.tar.gz").write_bytes(gzip.compress(tar, mtime=0))
    expect("shards.tar.gz", tar_rows("shards.tar.gz"))
    (OUT / "shards.tgz").write_bytes(gzip.compress(tar, mtime=0))
    expect("shards.tgz", tar_rows("shards.tgz"))
    (OUT / "shards.tar.bz2").write_bytes(bz2.compress(tar))
    expect("shards.tar.bz2", tar_rows("shards.tar.bz2"))
    (OUT / "shards.tar.xz").write_bytes(lzma.compress(tar, format=lzma.FORMAT_XZ))
    expect("shards.tar.xz", tar_rows("shards.tar.xz"))
    bad_fixtures(a)
    hf_fixtures()


def hf_fixtures():
    import shutil
    import tempfile

    import datasets

    records = demo_records(12, skip=60)
    ds = datasets.Dataset.from_dict(
        {
            "id": [r["id"] for r in records],
            "source": [r["source"] for r in records],
            "text": [r["text"] for r in records],
        }
    )
    hf = OUT / "hf"
    if hf.exists():
        shutil.rmtree(hf)
    with tempfile.TemporaryDirectory() as tmp:
        ds.save_to_disk(tmp)
        shutil.copytree(tmp, hf)
    name = "hf/data-00000-of-00001.arrow"
    expect(name.replace("/", "_"), rows_of(name, records))
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as t:
        for path in sorted(hf.iterdir()):
            t.add(path, arcname=f"hf/{path.name}")
    (OUT / "hf_save_to_disk.tar").write_bytes(raw.getvalue())
    expect("hf_save_to_disk.tar", rows_of(f"hf_save_to_disk.tar/{name}", records))


def bad_fixtures(a):
    bad = OUT / "bad"
    bad.mkdir(parents=True, exist_ok=True)
    table = demo_table(demo_records(24))
    reader = ipc.MessageReader.open_stream(pa.py_buffer(arrow_stream(table, "zstd")))
    parts = []
    batches = 0
    while True:
        try:
            message = reader.read_next_message()
        except StopIteration:
            break
        data = bytearray(message.serialize().to_pybytes())
        if message.type == "record batch":
            batches += 1
            if batches == 2:
                # Inside the body (its end, past the metadata): break the zstd frames.
                for at in range(len(data) - 200, len(data) - 100):
                    data[at] ^= 0x5A
        parts.append(bytes(data))
    parts.append(b"\xff\xff\xff\xff\x00\x00\x00\x00")
    (bad / "corrupt_batch.arrow").write_bytes(b"".join(parts))

    line = b'{"text": "the same line again"}\n'
    zeros = line * ((16 << 20) // len(line))
    (bad / "zeros.jsonl.bz2").write_bytes(bz2.compress(zeros))
    (bad / "zeros.jsonl.xz").write_bytes(lzma.compress(zeros, format=lzma.FORMAT_XZ))
    with zipfile.ZipFile(bad / "bomb.zip", "w") as z:
        z.writestr("bomb.jsonl", zeros, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
        z.writestr("a.jsonl", jsonl(a), compress_type=zipfile.ZIP_DEFLATED)

    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as z:
        z.writestr("x.jsonl", jsonl(a))
    members = [
        ("x.jsonl", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4),
        ("inner.zip", inner.getvalue()),
        ("data.7z", b"7z\xbc\xaf\x27\x1c" + bytes(64)),
        ("a.jsonl", jsonl(a)),
    ]
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.USTAR_FORMAT) as t:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mtime = 0
            t.addfile(info, io.BytesIO(data))
    (bad / "odd.tar").write_bytes(raw.getvalue())


if __name__ == "__main__":
    main()
