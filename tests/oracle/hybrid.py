"""Keyword, semantic and hybrid rankings: the oracle for vectors::search.

Usage: hybrid.py DOC_VECTORS QUERY_VECTORS < request.json
The vector files are the engine's Vectors::to_bytes format (see brute_topk.py),
one row per document and per query. The request:
{"docs": [text, ...], "queries": [text, ...], "k": K, "depth": D, "rrf_k": C}.

- keyword: the K best documents by BM25 (bm25.py), score > 0 only;
- semantic: the K best by cosine (float64 dot of the float32 unit rows);
- hybrid: reciprocal rank fusion of the D best of each, computed exactly with
  fractions: score = sum over the rankings holding a document of
  1 / (C + rank), rank from 1; the K best.
Ties (equal scores; BM25 and cosine compared at float32, the precision the
engine's results carry) go to the lower document index.
Prints JSON, one object per query: {"keyword": [[doc, score, rank], ...],
"semantic": [...], "hybrid": [[doc, score, semantic rank or null,
keyword rank or null], ...]}.
"""
import json
import sys
from fractions import Fraction

import numpy as np

from bm25 import scores as bm25_scores
from brute_topk import load


def ranked(scores, depth, positive_only):
    """The `depth` best (index, score), ties by index at float32."""
    keep = [i for i in range(len(scores)) if not positive_only or scores[i] > 0]
    keep.sort(key=lambda i: (-float(np.float32(scores[i])), i))
    return [(i, float(scores[i])) for i in keep[:depth]]


def fuse(semantic, keyword, c):
    fused = {}
    for which, hits in (("semantic", semantic), ("keyword", keyword)):
        for rank, (doc, _) in enumerate(hits, start=1):
            entry = fused.setdefault(doc, {"score": Fraction(0), "semantic": None, "keyword": None})
            entry[which] = rank
            entry["score"] += Fraction(1, 1) / (c + rank)
    order = sorted(fused, key=lambda d: (-fused[d]["score"], d))
    return [[d, float(fused[d]["score"]), fused[d]["semantic"], fused[d]["keyword"]] for d in order]


def main():
    docs, queries = load(sys.argv[1]), load(sys.argv[2])
    request = json.load(sys.stdin)
    k, depth, c = request["k"], request["depth"], Fraction(request["rrf_k"])
    keyword_scores = bm25_scores(request["docs"], request["queries"])
    assert len(keyword_scores) == len(queries)
    out = []
    for q, kw in zip(queries, keyword_scores):
        cosines = docs @ q
        semantic_deep = ranked(cosines, depth, False)
        keyword_deep = ranked(kw, depth, True)
        with_rank = lambda hits: [[d, s, r] for r, (d, s) in enumerate(hits[:k], start=1)]
        out.append({
            "keyword": with_rank(keyword_deep),
            "semantic": with_rank(semantic_deep),
            "hybrid": fuse(semantic_deep, keyword_deep, c)[:k],
        })
    json.dump(out, sys.stdout)


main()
