# Corpuscope: `make serve` runs the app, `make test` runs every test.
SHELL := /bin/bash
export PATH := $(HOME)/.cargo/bin:$(CURDIR)/tools/node_modules/.bin:$(PATH)
export CHROMEDRIVER ?= /usr/bin/chromedriver
WASM := --target wasm32-unknown-unknown

.PHONY: serve build test bootstrap lint test-native test-wasm test-e2e checks fuzz bench

## Install what is missing, build the release app, serve it on 127.0.0.1:8080.
serve: bootstrap
	trunk serve --release

## The release build in dist/.
build: bootstrap
	trunk build --release

bootstrap:
	@scripts/bootstrap.sh

## Every test: the checks, lints, native tests, browser tests, end-to-end tests.
test: bootstrap checks lint test-native test-wasm test-e2e
	@echo "make test: all passed"

checks:
	scripts/check-versions.sh
	scripts/check-engine-deps.sh

lint:
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets --locked -- -D warnings
	# The engine's tests run natively (proptest's RNG does not build for wasm32); its library must.
	CLIPPY_CONF_DIR=scripts/clippy_wasm cargo clippy -p corpuscope-core --lib --locked $(WASM) -- -D warnings
	CLIPPY_CONF_DIR=scripts/clippy_wasm cargo clippy -p corpuscope-app --all-targets --locked $(WASM) -- -D warnings

test-native:
	cargo test --workspace --locked

test-wasm:
	CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
	  cargo test -p corpuscope-app --locked $(WASM) --test storage

test-e2e: build
	cargo build -p corpuscope-cli
	node --test --test-concurrency=1 tests/e2e/

## Fuzz every parser, decompressor and tokenizer.json loading for FUZZ_SECONDS each (default 60); fails on any crash.
FUZZ_SECONDS ?= 60
fuzz:
	scripts/fuzz.sh $(FUZZ_SECONDS)

## Every benchmark beside its anchor (Python tokenizers, datasketch, rensa); rewrites the generated section of BENCHMARKS.md.
bench: bootstrap
	scripts/bench.sh
