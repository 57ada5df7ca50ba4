"""Entropy and compression of documents, computed independently of the engine.

Usage: diversity.py TOKENIZER_JSON FILE.jsonl STRIDE
Takes every STRIDE-th line of FILE.jsonl (lines 0, STRIDE, 2 STRIDE, ...), tokenizes
its "text" with Python `tokenizers` (no padding, no truncation, no special tokens),
and prints JSON:
  {"documents": [{"tokens", "distinct", "entropy", "normalized", "raw", "compressed"}...],
   "sources": {SOURCE: {"tokens", "distinct", "entropy", "normalized"}}}
Entropy: H = -sum p log2 p over collections.Counter of the ids (math.log2);
normalised: H / log2(distinct), 0 when distinct <= 1; the "sources" figures pool
the ids of all the source's sampled documents into one Counter.
Compressed size: zlib_ng.compress(text_utf8, 6) (zlib container, level 6). The
engine's zlib-rs is a port of zlib-ng; classic zlib (module zlib) gives other sizes.
"""
import json
import math
import sys
from collections import Counter

from tokenizers import Tokenizer
from zlib_ng import zlib_ng


def entropy(counter):
    n = sum(counter.values())
    h = -sum(c / n * math.log2(c / n) for c in counter.values()) if n else 0.0
    d = len(counter)
    return h, (h / math.log2(d) if d > 1 else 0.0)


def main(tokenizer_path, data_path, stride):
    tok = Tokenizer.from_file(tokenizer_path)
    tok.no_padding()
    tok.no_truncation()
    with open(data_path, encoding="utf-8") as f:
        records = [json.loads(line) for line in f if line.strip()][:: int(stride)]
    documents, pooled = [], {}
    for record in records:
        text = record["text"]
        ids = tok.encode(text, add_special_tokens=False).ids
        counter = Counter(ids)
        pooled.setdefault(record["source"], Counter()).update(counter)
        h, normalized = entropy(counter)
        raw = text.encode("utf-8")
        documents.append({
            "tokens": len(ids),
            "distinct": len(counter),
            "entropy": h,
            "normalized": normalized,
            "raw": len(raw),
            "compressed": len(zlib_ng.compress(raw, 6)),
        })
    sources = {}
    for source, counter in pooled.items():
        h, normalized = entropy(counter)
        sources[source] = {
            "tokens": sum(counter.values()),
            "distinct": len(counter),
            "entropy": h,
            "normalized": normalized,
        }
    print(json.dumps({"documents": documents, "sources": sources}))


if __name__ == "__main__":
    main(*sys.argv[1:])
