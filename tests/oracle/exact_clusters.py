"""Exact-duplicate clusters of a JSONL corpus: the oracle for exact dedup.

Usage: exact_clusters.py FILE.jsonl
Document i is line i (0-based) of the file. Its key is the "text" field under
Unicode NFKC, str.lower(), and whitespace runs (str.split()) joined by one
space. Prints a JSON list of clusters (sorted lists of document indices) of size
>= 2, sorted by first member.
"""
import json
import sys
import unicodedata
from collections import defaultdict


def main(path):
    groups = defaultdict(list)
    with open(path, encoding="utf-8") as f:
        for i, line in enumerate(f):
            text = json.loads(line)["text"]
            key = " ".join(unicodedata.normalize("NFKC", text).lower().split())
            groups[key].append(i)
    print(json.dumps(sorted(g for g in groups.values() if len(g) > 1)))


if __name__ == "__main__":
    main(*sys.argv[1:])
