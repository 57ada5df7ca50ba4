"""Exact top-k by brute force with NumPy: the oracle for vectors::top_k.

Usage: brute_topk.py VECTORS QUERIES K
Both files are the engine's Vectors::to_bytes format: b"CSV1", dim and rows
as little-endian u32, then float32 LE values, row-major.
Scores are float64 dot products of the float32 inputs. Prints one JSON line
per query: {"index": [...], "score": [...]}, best first, ties by lower index.
(hybrid.py imports `load` from here.)
"""
import json
import sys

import numpy as np


def load(path):
    raw = open(path, "rb").read()
    assert raw[:4] == b"CSV1", "bad header"
    dim, rows = np.frombuffer(raw[4:12], dtype="<u4")
    data = np.frombuffer(raw[12:], dtype="<f4").astype(np.float64)
    return data.reshape(int(rows), int(dim))


def main():
    vectors, queries, k = load(sys.argv[1]), load(sys.argv[2]), int(sys.argv[3])
    scores = queries @ vectors.T
    for row in scores:
        # lexsort: last key is primary; -score descending, then index ascending.
        order = np.lexsort((np.arange(len(row)), -row))[:k]
        print(json.dumps({"index": order.tolist(), "score": row[order].tolist()}))


if __name__ == "__main__":
    main()
