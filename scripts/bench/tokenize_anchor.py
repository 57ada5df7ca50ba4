"""The token-counting anchor: Python `tokenizers` (Rust inside) on one thread.

Same corpus (the demo's `text` fields) and the same `tokenizer.json` files as
the engine's figures. Two ways of calling it, each REPEATS times, best pass:
- `encode`: `Tokenizer.encode(text, add_special_tokens=False)` in a loop (one
  thread by construction): the ratio's anchor;
- `encode_batch`: the whole corpus in one call, with RAYON_NUM_THREADS=1 and
  TOKENIZERS_PARALLELISM=false set before import (checked: CPU time ≈ wall).

    python scripts/bench/tokenize_anchor.py OUT.json [REPEATS]
"""

import os

os.environ["RAYON_NUM_THREADS"] = "1"
os.environ["TOKENIZERS_PARALLELISM"] = "false"

import json  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import tokenizers  # noqa: E402
from tokenizers import Tokenizer  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
NAMES = ["gpt2-bytelevel-bpe", "cl100k_base"]


def timed(repeats, run):
    walls, cpus, out = [], [], None
    for _ in range(repeats):
        w, c = time.perf_counter(), time.process_time()
        out = run()
        walls.append((time.perf_counter() - w) * 1e3)
        cpus.append((time.process_time() - c) * 1e3)
    return walls, cpus, out


def rate(ms, docs, size):
    return {"best_ms": ms, "docs_per_s": docs / (ms / 1e3), "mb_per_s": size / 1e6 / (ms / 1e3)}


def main():
    out = Path(sys.argv[1])
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    texts = []
    with open(ROOT / "assets/corpus/demo.jsonl", encoding="utf-8") as f:
        for line in f:
            texts.append(json.loads(line)["text"])
    size = sum(len(t.encode("utf-8")) for t in texts)
    rows = []
    for name in NAMES:
        tok = Tokenizer.from_file(str(ROOT / f"assets/tokenizers/{name}/tokenizer.json"))
        tok.no_padding()
        tok.no_truncation()
        loop_ms, loop_cpu, loop_total = timed(
            repeats, lambda: sum(len(tok.encode(t, add_special_tokens=False).ids) for t in texts)
        )
        batch_ms, batch_cpu, batch_total = timed(
            repeats,
            lambda: sum(len(e.ids) for e in tok.encode_batch(texts, add_special_tokens=False)),
        )
        rows.append(
            {
                "tokenizer": name,
                "tokens_encode": loop_total,
                "tokens_encode_batch": batch_total,
                "encode": rate(min(loop_ms), len(texts), size),
                "encode_ms": loop_ms,
                "encode_cpu_ms": loop_cpu,
                "encode_batch": rate(min(batch_ms), len(texts), size),
                "encode_batch_ms": batch_ms,
                "encode_batch_cpu_ms": batch_cpu,
            }
        )
    figures = {
        "package": f"tokenizers {tokenizers.__version__}",
        "python": sys.version.split()[0],
        "documents": len(texts),
        "bytes": size,
        "repeats": repeats,
        "tokenizers": rows,
    }
    out.write_text(json.dumps(figures, indent=2))
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
