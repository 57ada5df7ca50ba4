#!/usr/bin/env bash
# The engine never touches the browser: fails if a browser crate appears in the
# dependency tree of the engine crate, on any target.
set -euo pipefail
cd "$(dirname "$0")/.."
banned='^(leptos|leptos_[a-z_]+|web-sys|rexie|idb|gloo|gloo-[a-z-]+|wasm-bindgen-futures)$'
package=${1:-corpuscope-core}
tree=$(cargo tree -p "$package" -e normal,build --target all --prefix none --format '{p}')
found=$(awk '{print $1}' <<<"$tree" | sort -u | grep -E "$banned" || true)
if [ -n "$found" ]; then
  echo "check-engine-deps: browser crates in $package's tree:" >&2
  echo "$found" >&2
  exit 1
fi
echo "check-engine-deps: $package's tree has no browser crate"
