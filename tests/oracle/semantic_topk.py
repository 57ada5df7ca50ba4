"""Semantic top-k from Python model2vec and a NumPy brute force: the oracle
for the app's semantic search on a JSONL corpus.

Usage: semantic_topk.py MODEL_DIR CORPUS.jsonl K QUERY [QUERY ...]
Prints, per query, {"query", "docs": [corpus positions], "scores": [cosines]},
best first (ties by position), over every line's "text".
"""
import json
import sys

import numpy as np
from model2vec import StaticModel


def main():
    model_dir, corpus, k, queries = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4:]
    with open(corpus, encoding="utf-8") as f:
        texts = [json.loads(line)["text"] for line in f if line.strip()]
    model = StaticModel.from_pretrained(model_dir)
    docs = model.encode(texts, use_multiprocessing=False).astype(np.float64)
    docs /= np.maximum(np.linalg.norm(docs, axis=1, keepdims=True), 1e-30)
    out = []
    for query in queries:
        q = model.encode([query], use_multiprocessing=False)[0].astype(np.float64)
        q /= max(np.linalg.norm(q), 1e-30)
        scores = docs @ q
        order = sorted(range(len(texts)), key=lambda i: (-scores[i], i))[:k]
        out.append({"query": query, "docs": order, "scores": [float(scores[i]) for i in order]})
    json.dump(out, sys.stdout)


main()
