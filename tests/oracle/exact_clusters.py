"""Exact-duplicate clusters of a JSONL corpus: the oracle for exact dedup.

Usage: exact_clusters.py FILE.jsonl
Document i is line i (0-based) of the file. Its key is the "text" field under
Unicode NFKC, str.lower(), and whitespace runs (str.split()) joined by one
space. Prints JSON {"clusters": [...], "sources": [...], "overlap": [[...]]}:
clusters are sorted lists of document indices, of size >= 2, sorted by first
member; overlap[a][b] counts the documents of sources[a] (sorted names) whose
cluster holds another document of sources[b].
"""
import json
import sys
import unicodedata
from collections import defaultdict


def main(path):
    groups, source_of = defaultdict(list), []
    with open(path, encoding="utf-8") as f:
        for i, line in enumerate(f):
            record = json.loads(line)
            key = " ".join(unicodedata.normalize("NFKC", record["text"]).lower().split())
            groups[key].append(i)
            source_of.append(record["source"])
    clusters = sorted(g for g in groups.values() if len(g) > 1)
    sources = sorted(set(source_of))
    overlap = [[0] * len(sources) for _ in sources]
    for cluster in clusters:
        for doc in cluster:
            others = {source_of[o] for o in cluster if o != doc}
            for other in others:
                overlap[sources.index(source_of[doc])][sources.index(other)] += 1
    print(json.dumps({"clusters": clusters, "sources": sources, "overlap": overlap}))


if __name__ == "__main__":
    main(*sys.argv[1:])
