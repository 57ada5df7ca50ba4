#!/usr/bin/env bash
# Installs every tool the build and tests need, from package registries only,
# skipping what is already there. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
say() { printf '\033[1mbootstrap:\033[0m %s\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

export PATH="$HOME/.cargo/bin:$PWD/tools/node_modules/.bin:$PATH"

# Rust: the wasm32 target and the lint/format components.
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi
for component in rustfmt clippy; do
  rustup component list --installed | grep -q "^$component" || rustup component add "$component"
done

# Trunk, from crates.io.
if ! trunk --version 2>/dev/null | grep -qx "trunk $TRUNK_VERSION"; then
  say "installing trunk $TRUNK_VERSION (several minutes)"
  cargo install --locked trunk --version "$TRUNK_VERSION"
fi

# wasm-bindgen-cli at exactly the version Cargo.lock pins. Not --locked: its own
# lock file wants a crate version this registry lacks.
BINDGEN_VERSION=$(scripts/wasm-bindgen-version.sh)
if ! wasm-bindgen --version 2>/dev/null | grep -qx "wasm-bindgen $BINDGEN_VERSION"; then
  say "installing wasm-bindgen-cli $BINDGEN_VERSION"
  cargo install wasm-bindgen-cli --version "$BINDGEN_VERSION"
fi

# Debian's Chromium and ChromeDriver for the browser tests.
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  say "installing chromium and chromium-driver from Debian"
  as_root apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver
fi

# npm tools pinned by tools/package-lock.json: wasm-opt (binaryen) and playwright-core.
if [ ! -x tools/node_modules/.bin/wasm-opt ] || [ tools/package-lock.json -nt tools/node_modules/.package-lock.json ]; then
  say "installing npm tools (binaryen, playwright-core)"
  (cd tools && npm ci --no-audit --no-fund)
fi

# Python oracles for the engine tests, pinned in tests/oracle/requirements.txt.
VENV=.cache/venv
if [ ! -x "$VENV/bin/python" ]; then
  say "creating $VENV"
  python3 -m venv "$VENV"
fi
if ! cmp -s tests/oracle/requirements.txt "$VENV/requirements.installed"; then
  say "installing the Python oracles"
  "$VENV/bin/pip" install -q -r tests/oracle/requirements.txt
  cp tests/oracle/requirements.txt "$VENV/requirements.installed"
fi

# Trunk builds offline: fetch every crate the lock file names, for all targets.
cargo fetch --locked --quiet

scripts/check-versions.sh
