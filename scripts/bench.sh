#!/usr/bin/env bash
# `make bench`: builds the release app and the native bench binary, runs every
# figure beside its anchor in one go on this machine, and writes the generated
# section of BENCHMARKS.md (between <!-- bench:start --> and <!-- bench:end -->).
#
#   scripts/bench.sh            # 3 passes per figure, the best counts
#   BENCH_REPEATS=5 scripts/bench.sh
#   BENCH_SKIP_BUILD=1 scripts/bench.sh   # reuse dist/ and the built example
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/tools/node_modules/.bin:$PATH"
say() { printf '\033[1mbench:\033[0m %s\n' "$*"; }

REPEATS=${BENCH_REPEATS:-3}
OUT=target/bench
mkdir -p "$OUT"
rm -f "$OUT"/*.json

# The anchors' venv, pinned by scripts/bench/requirements.txt.
VENV=.cache/bench-venv
if [ ! -x "$VENV/bin/python" ]; then
  say "creating $VENV"
  python3 -m venv "$VENV"
fi
if ! cmp -s scripts/bench/requirements.txt "$VENV/requirements.installed"; then
  say "installing the Python anchors"
  "$VENV/bin/pip" install -q -r scripts/bench/requirements.txt
  cp scripts/bench/requirements.txt "$VENV/requirements.installed"
fi
PY="$VENV/bin/python"

if [ -z "${BENCH_SKIP_BUILD:-}" ]; then
  say "building the release app (trunk) and the native bench binary"
  trunk build --release
  cargo build --release --locked -p corpuscope-core --example bench_figures
fi

# What the figures were measured on.
"$PY" - "$OUT/machine.json" <<'PYEOF'
import json, os, platform, subprocess, sys, datetime
def first(path, key):
    for line in open(path):
        if line.startswith(key):
            return line.split(":", 1)[1].strip()
def run(*cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True).stdout.strip()
    except OSError:
        return None
json.dump({
    "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    "nproc": os.cpu_count(),
    "cpu": first("/proc/cpuinfo", "model name"),
    "memory": first("/proc/meminfo", "MemTotal"),
    "load_before": os.getloadavg(),
    "kernel": platform.release(),
    "rustc": run("rustc", "--version"),
    "chromium": run("/usr/bin/chromium", "--version"),
    "node": run("node", "--version"),
    "commit": run("git", "rev-parse", "--short", "HEAD"),
}, open(sys.argv[1], "w"), indent=2)
PYEOF

# Ours and the anchors in turn, stage by stage, so a busy machine weighs on both.
say "native: token counting and near-dedup (also writes the shingle sets)"
cargo run -q --release --locked -p corpuscope-core --example bench_figures -- "$OUT" "$REPEATS" >/dev/null
say "Python tokenizers (one thread)"
"$PY" scripts/bench/tokenize_anchor.py "$OUT/py-tokenize.json" "$REPEATS" >/dev/null
say "browser: token counting in the worker"
node tests/bench/corpus.mjs tokenize "$OUT" >/dev/null
say "Python datasketch and rensa (one thread)"
"$PY" scripts/bench/minhash_anchor.py "$OUT/shingles.bin" "$OUT/py-minhash.json" "$REPEATS" >/dev/null
say "browser: near-dedup in the worker"
node tests/bench/corpus.mjs minhash "$OUT" >/dev/null
say "browser: start-up"
node tests/bench/startup.mjs 5 "$OUT" >/dev/null
"$PY" -c 'import os, json, sys; m = json.load(open(sys.argv[1])); m["load_after"] = os.getloadavg(); json.dump(m, open(sys.argv[1], "w"), indent=2)' "$OUT/machine.json"

"$PY" scripts/bench/report.py "$OUT" BENCHMARKS.md
say "BENCHMARKS.md updated (figures in $OUT)"
