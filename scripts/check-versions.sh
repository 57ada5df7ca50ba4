#!/usr/bin/env bash
# Fails loudly when an installed tool drifts from the version the project pins.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/tools/node_modules/.bin:$PATH"

fail() { echo "check-versions: $*" >&2; exit 1; }

lock=$(scripts/wasm-bindgen-version.sh)
[ -n "$lock" ] || fail "no wasm-bindgen in Cargo.lock"
cli=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')
[ "$cli" = "$lock" ] || fail "wasm-bindgen-cli is '$cli' but Cargo.lock pins $lock: run scripts/bootstrap.sh"
trunk_pin=$(awk -F'"' '/^wasm_bindgen *=/ {print $2}' Trunk.toml)
[ "$trunk_pin" = "$lock" ] || fail "Trunk.toml [tools] wasm_bindgen is '$trunk_pin' but Cargo.lock pins $lock"
runner=$(wasm-bindgen-test-runner --version 2>/dev/null | awk '{print $2}')
[ "$runner" = "$lock" ] || fail "wasm-bindgen-test-runner is '$runner', expected $lock"
opt=$(wasm-opt --version | awk '{print $3}')
[ "$opt" -ge 118 ] 2>/dev/null || fail "wasm-opt $opt is too old for rustc's output: use tools/node_modules/.bin/wasm-opt"
echo "check-versions: wasm-bindgen $lock (lock = cli = runner = Trunk.toml), wasm-opt $opt"
