"""Semantic clusters from Python model2vec and plain NumPy: the oracle for
vectors::semdedup on a JSONL corpus.

Usage: semantic_clusters.py MODEL_DIR CORPUS.jsonl THRESHOLD
The rule, written here as leaders claiming documents: documents are taken in
corpus order; a document no leader has claimed becomes a leader and claims
every later unclaimed document whose cosine with it is >= THRESHOLD. A
cluster is a leader with what it claimed, when it claimed anything.
Prints JSON: {"clusters": [[positions, leader first], ...] (by leader),
"min_cosine": lowest member-to-leader cosine, "closest": the smallest
|cosine - THRESHOLD| over every leader-document comparison made}.
"""
import json
import sys

import numpy as np
from model2vec import StaticModel


def main():
    model_dir, corpus, threshold = sys.argv[1], sys.argv[2], float(sys.argv[3])
    with open(corpus, encoding="utf-8") as f:
        texts = [json.loads(line)["text"] for line in f if line.strip()]
    model = StaticModel.from_pretrained(model_dir)
    docs = model.encode(texts, use_multiprocessing=False).astype(np.float64)
    docs /= np.maximum(np.linalg.norm(docs, axis=1, keepdims=True), 1e-30)
    n = len(texts)
    claimed = np.zeros(n, dtype=bool)
    clusters, min_cosine, closest = [], 1.0, float("inf")
    for i in range(n):
        if claimed[i]:
            continue
        claimed[i] = True
        later = np.nonzero(~claimed[i + 1:])[0] + i + 1
        if later.size == 0:
            continue
        cosines = docs[later] @ docs[i]
        closest = min(closest, float(np.min(np.abs(cosines - threshold))))
        hit = cosines >= threshold
        if hit.any():
            claimed[later[hit]] = True
            clusters.append([i] + later[hit].tolist())
            min_cosine = min(min_cosine, float(cosines[hit].min()))
    json.dump({"clusters": clusters, "min_cosine": min_cosine, "closest": closest}, sys.stdout)


main()
