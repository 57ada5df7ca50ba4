#!/usr/bin/env python3
"""Writes a large JSONL corpus built from the demo corpus, for memory and speed runs.

usage: scripts/big_corpus.py OUT.jsonl [MEGABYTES]   (default 1024)

Each record joins a few demo documents of one source (one or two documents, ~7 KB on average),
with a per-record number so documents are distinct; every 50th record repeats an
earlier one so dedup has work. Deterministic: the same arguments give the same bytes.
"""
import json
import random
import sys

out_path = sys.argv[1]
target = int(sys.argv[2] if len(sys.argv) > 2 else 1024) * 1024 * 1024
docs = {}
with open("assets/corpus/demo.jsonl", encoding="utf-8") as f:
    for line in f:
        if line.strip():
            r = json.loads(line)
            docs.setdefault(r["source"], []).append(r["text"])
sources = sorted(docs)
rng = random.Random(7)
written = 0
recent = []
with open(out_path, "w", encoding="utf-8") as out:
    n = 0
    while written < target:
        n += 1
        if n % 50 == 0 and recent:
            line = rng.choice(recent)
        else:
            source = sources[n % len(sources)]
            parts = [rng.choice(docs[source]) for _ in range(rng.randint(1, 2))]
            text = f"Record {n}.\n" + "\n\n".join(parts)
            line = json.dumps({"text": text, "source": source, "id": n}, ensure_ascii=False)
            recent = (recent + [line])[-1000:]
        out.write(line + "\n")
        written += len(line.encode("utf-8")) + 1
print(f"wrote {written} bytes, {n} records to {out_path}")
