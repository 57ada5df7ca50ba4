#!/usr/bin/env python3
"""Write the Parquet test fixtures in tests/fixtures/parquet/ from the demo corpus.

Written with pyarrow 26.0.1 (pip install pyarrow==26.0.1 in a throwaway venv):

  python3 -m venv /tmp/pqvenv && /tmp/pqvenv/bin/pip install pyarrow==26.0.1
  /tmp/pqvenv/bin/python scripts/assets/parquet_fixtures.py

Files (run from the repository root):
  demo_{snappy,gzip,zstd,none}.parquet  the first 100 records of assets/corpus/demo.jsonl
                                        (id, source, text), 32 rows per row group (4 groups)
  nested.parquet   20 records: text in a struct column meta.text (null in row 4), a url
                   column (its host is the source) and a 4-float vector column emb
  nested_zstd_v2.parquet  the same, zstd-compressed in version 2 data pages
  numbers.parquet  3 rows of columns a (int64), b (double), c (bool): no text column
"""

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "tests" / "fixtures" / "parquet"
ROWS = 100
ROW_GROUP = 32


def demo_records(n):
    with open(ROOT / "assets" / "corpus" / "demo.jsonl", encoding="utf-8") as f:
        return [json.loads(line) for _, line in zip(range(n), f)]


def write(table, name, compression="snappy", **options):
    pq.write_table(table, OUT / name, compression=compression, row_group_size=ROW_GROUP, **options)


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    records = demo_records(ROWS)
    demo = pa.table(
        {
            "id": [r["id"] for r in records],
            "source": [r["source"] for r in records],
            "text": [r["text"] for r in records],
        }
    )
    for codec in ["snappy", "gzip", "zstd", "none"]:
        write(demo, f"demo_{codec}.parquet", codec)

    few = records[:20]
    meta = [{"text": None if i == 3 else r["text"], "words": len(r["text"].split())} for i, r in enumerate(few)]
    nested = pa.table(
        {
            "id": [r["id"] for r in few],
            "meta": pa.array(meta, type=pa.struct([("text", pa.string()), ("words", pa.int32())])),
            "url": [f"https://{r['source']}.example.org/{i}" for i, r in enumerate(few)],
            "emb": pa.array([[i, i + 0.5, -1.0, 0.25] for i in range(len(few))], type=pa.list_(pa.float32())),
        }
    )
    write(nested, "nested.parquet")
    write(nested, "nested_zstd_v2.parquet", "zstd", data_page_version="2.0")

    numbers = pa.table({"a": [1, 2, 3], "b": [0.5, 1.5, 2.5], "c": [True, False, True]})
    write(numbers, "numbers.parquet")


if __name__ == "__main__":
    main()
