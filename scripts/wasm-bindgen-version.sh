#!/usr/bin/env bash
# Prints the wasm-bindgen version Cargo.lock pins.
set -euo pipefail
cd "$(dirname "$0")/.."
awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock
