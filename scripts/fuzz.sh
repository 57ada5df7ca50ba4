#!/usr/bin/env bash
# Runs every fuzz target in fuzz/ for a set time each (default 60 s) and
# fails if any of them crashes (a panic, an abort, a timeout or running out
# of memory). Usage: scripts/fuzz.sh [seconds-per-target] [target...]
#
# Needs the nightly toolchain (rustup) and cargo-fuzz, installed if missing.
# Corpora grow in fuzz/corpus/<target> (not committed); crashing inputs land
# in fuzz/artifacts/<target>/. Seeds: fuzz/seeds/<target> and, for Parquet,
# tests/fixtures/parquet (arrow, zip and tar seeds are copies of
# tests/fixtures/containers files). Runs at low priority (nice 10).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

seconds="${1:-60}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(jsonl json csv parquet gzip zstd tokenizer arrow bzip2 xz zip tar)
fi

if ! rustup run nightly rustc --version >/dev/null 2>&1; then
  echo "fuzz: installing the nightly toolchain"
  rustup toolchain install nightly --profile minimal
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "fuzz: installing cargo-fuzz"
  cargo install cargo-fuzz --locked
fi

# Extra libFuzzer flags per target: the largest input, a dictionary.
flags() {
  case "$1" in
    parquet | arrow | zip | tar) echo "-max_len=65536" ;;
    tokenizer) echo "-max_len=16384 -dict=fuzz/dicts/json.dict" ;;
    jsonl | json) echo "-max_len=4096 -dict=fuzz/dicts/json.dict" ;;
    *) echo "-max_len=4096" ;;
  esac
}

seeds() {
  case "$1" in
    parquet) echo "tests/fixtures/parquet" ;;
    *) echo "fuzz/seeds/$1" ;;
  esac
}

(cd fuzz && nice -n 10 cargo +nightly fuzz build -O)

failed=()
for target in "${targets[@]}"; do
  corpus="fuzz/corpus/$target"
  mkdir -p "$corpus"
  echo "fuzz: $target for ${seconds}s"
  # shellcheck disable=SC2046
  if ! (cd fuzz && nice -n 10 cargo +nightly fuzz run -O "$target" \
    "../$corpus" "../$(seeds "$target")" -- \
    -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 \
    $(flags "$target" | sed 's#-dict=#-dict=../#') -print_final_stats=1); then
    failed+=("$target")
  fi
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: crashes in: ${failed[*]} (inputs in fuzz/artifacts/)" >&2
  exit 1
fi
echo "fuzz: ${#targets[@]} targets, ${seconds}s each, no crash"
