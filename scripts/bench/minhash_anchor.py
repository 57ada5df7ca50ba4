"""The near-dedup anchors: Python `datasketch` and `rensa` (Rust inside), one thread.

They hash the engine's own shingle sets (`shingles.bin`, written by the
`bench_figures` example: per document a u32 count then its distinct u64
shingle hashes, little-endian), with the engine's parameters: 112
permutations, LSH of 14 bands × 8 rows. Timed (best of REPEATS): signatures
of every set, then the LSH index and the documents that have a candidate.
Loading the sets into each package's input type is not timed.

- `datasketch` (documented usage): each shingle as its 8 little-endian bytes,
  hashed by the default `sha1_hash32`, `MinHash.bulk`, then `MinHashLSH`
  (params=(14, 8)): insert every document, query every document, union-find.
- `datasketch`, pre-hashed: the same with `hashfunc` the identity over the
  shingle hashes' low 32 bits (no SHA-1): its fastest CPU path.
- `rensa`: `RMinHash.digest_matrix_from_flat_token_hashes` over the u64 hashes
  (no re-hashing), then `RMinHashLSH(…, 112, 14).insert_matrix_and_query_duplicate_flags`
  (documents with a candidate; rensa has no cluster output for a matrix).

RAYON_NUM_THREADS=1 is set before import (rensa uses rayon); CPU time is
recorded beside wall time to show one thread.

After the timing, what each found is written beside its figures, for the
report's agreement rows: datasketch's candidate pairs and the documents in
its clusters (`candidate_pairs`, `clustered`), rensa's flagged documents
(`flagged`, as indices of all documents).

    python scripts/bench/minhash_anchor.py SHINGLES.bin OUT.json [REPEATS]
"""

import os

os.environ["RAYON_NUM_THREADS"] = "1"

import json  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from importlib.metadata import version  # noqa: E402

import numpy as np  # noqa: E402
import rensa  # noqa: E402
from datasketch import MinHash, MinHashLSH  # noqa: E402

NUM_PERM, BANDS, ROWS, SEED = 112, 14, 8, 1


def read_sets(path):
    data = open(path, "rb").read()
    sets, at = [], 0
    while at < len(data):
        n = int.from_bytes(data[at : at + 4], "little")
        at += 4
        sets.append(np.frombuffer(data, dtype="<u8", count=n, offset=at))
        at += 8 * n
    return sets


def timed(repeats, run):
    walls, cpus, out = [], [], None
    for _ in range(repeats):
        w, c = time.perf_counter(), time.process_time()
        out = run()
        walls.append((time.perf_counter() - w) * 1e3)
        cpus.append((time.process_time() - c) * 1e3)
    return walls, cpus, out


def components(n, candidates):
    parent = list(range(n))

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, found in enumerate(candidates):
        for j in found:
            a, b = find(i), find(j)
            if a != b:
                parent[max(a, b)] = min(a, b)
    sizes = {}
    for i in range(n):
        r = find(i)
        sizes[r] = sizes.get(r, 0) + 1
    clusters = [s for s in sizes.values() if s > 1]
    return len(clusters), sum(clusters)


def clustered_of(candidates):
    """The documents in components of two or more, sorted (untimed)."""
    parent = list(range(len(candidates)))

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, found in enumerate(candidates):
        for j in found:
            parent[find(i)] = find(j)
    roots = [find(i) for i in range(len(candidates))]
    counts = {}
    for r in roots:
        counts[r] = counts.get(r, 0) + 1
    return [i for i, r in enumerate(roots) if counts[r] > 1]


def pairs_of(candidates):
    return sorted({(min(i, j), max(i, j)) for i, found in enumerate(candidates) for j in found if i != j})


def datasketch_run(inputs, **kwargs):
    def run():
        hashes = MinHash.bulk(inputs, num_perm=NUM_PERM, seed=SEED, **kwargs)
        lsh = MinHashLSH(num_perm=NUM_PERM, params=(BANDS, ROWS))
        live = [i for i, s in enumerate(inputs) if len(s)]
        for i in live:
            lsh.insert(i, hashes[i])
        candidates = [[] for _ in inputs]
        for i in live:
            candidates[i] = lsh.query(hashes[i])
        return components(len(inputs), candidates), candidates

    return run


def main():
    sets = read_sets(sys.argv[1])
    out = sys.argv[2]
    repeats = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    shingles = sum(len(s) for s in sets)
    figures = {
        "packages": {p: version(p) for p in ["datasketch", "rensa", "numpy"]},
        "python": sys.version.split()[0],
        "documents": len(sets),
        "shingles": shingles,
        "num_perm": NUM_PERM,
        "bands": BANDS,
        "rows": ROWS,
        "repeats": repeats,
    }

    as_bytes = [[int(h).to_bytes(8, "little") for h in s] for s in sets]
    walls, cpus, ((clusters, members), candidates) = timed(
        repeats, datasketch_run(as_bytes)
    )
    figures["datasketch"] = {
        "input": "8-byte shingles, default sha1_hash32",
        "best_ms": min(walls), "ms": walls, "cpu_ms": cpus,
        "clusters": clusters, "clustered_documents": members,
        "clustered": clustered_of(candidates), "candidate_pairs": pairs_of(candidates),
    }
    del as_bytes

    low32 = [[int(h) & 0xFFFFFFFF for h in s] for s in sets]
    walls, cpus, ((clusters, members), candidates) = timed(
        repeats, datasketch_run(low32, hashfunc=lambda x: x)
    )
    figures["datasketch_prehashed"] = {
        "input": "low 32 bits of the shingle hashes, identity hashfunc",
        "best_ms": min(walls), "ms": walls, "cpu_ms": cpus,
        "clusters": clusters, "clustered_documents": members,
        "clustered": clustered_of(candidates), "candidate_pairs": pairs_of(candidates),
    }
    del low32

    flat = np.concatenate(sets).astype(np.uint64) if sets else np.zeros(0, np.uint64)
    offsets = np.zeros(len(sets) + 1, dtype=np.uint64)
    offsets[1:] = np.cumsum([len(s) for s in sets])
    # Empty documents: rensa would give them an all-max digest like every
    # other empty one, so they would all collide; leave them out as the engine does.
    keep = np.array([len(s) > 0 for s in sets])
    flat_kept = np.concatenate([s for s in sets if len(s)]).astype(np.uint64)
    offsets_kept = np.zeros(int(keep.sum()) + 1, dtype=np.uint64)
    offsets_kept[1:] = np.cumsum([len(s) for s in sets if len(s)])

    def rensa_run():
        matrix = rensa.RMinHash.digest_matrix_from_flat_token_hashes(
            flat_kept, offsets_kept, NUM_PERM, SEED
        )
        signed = time.perf_counter()
        lsh = rensa.RMinHashLSH(0.8, NUM_PERM, BANDS)
        flags = lsh.insert_matrix_and_query_duplicate_flags(matrix)
        return signed, flags

    walls, cpus, lsh_ms = [], [], []
    flags = []
    for _ in range(repeats):
        w, c = time.perf_counter(), time.process_time()
        signed, flags = rensa_run()
        end = time.perf_counter()
        walls.append((end - w) * 1e3)
        cpus.append((time.process_time() - c) * 1e3)
        lsh_ms.append((end - signed) * 1e3)
    kept = [i for i, s in enumerate(sets) if len(s)]
    flagged = sorted(kept[i] for i, f in enumerate(flags) if f)
    figures["rensa"] = {
        "input": "u64 shingle hashes (flat buffer), RMinHash digest matrix",
        "best_ms": min(walls), "ms": walls, "cpu_ms": cpus, "lsh_ms": lsh_ms,
        "documents_with_candidates": len(flagged), "flagged": flagged,
    }
    json.dump(figures, open(out, "w"))
    print(json.dumps({k: v for k, v in figures.items() if not isinstance(v, dict)}, indent=2))


if __name__ == "__main__":
    main()
