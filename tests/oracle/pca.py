"""First two principal axes with NumPy's SVD: the oracle for vectors::project.

Usage: pca.py VECTORS (the engine's Vectors::to_bytes format, see brute_topk.py).
Prints JSON {"axes": [[...], [...]], "points": [[x, y], ...]}: the first two
right singular vectors of the centred data, each signed so that its
largest-magnitude component is positive, and the centred rows projected on them.
"""
import json
import sys

import numpy as np


def main():
    raw = open(sys.argv[1], "rb").read()
    assert raw[:4] == b"CSV1", "bad header"
    dim, rows = np.frombuffer(raw[4:12], dtype="<u4")
    x = np.frombuffer(raw[12:], dtype="<f4").astype(np.float64).reshape(int(rows), int(dim))
    centred = x - x.mean(axis=0)
    _, _, vt = np.linalg.svd(centred, full_matrices=False)
    axes = vt[:2].copy()
    for a in axes:
        if a[np.argmax(np.abs(a))] < 0:
            a *= -1
    json.dump({"axes": axes.tolist(), "points": (centred @ axes.T).tolist()}, sys.stdout)


main()
