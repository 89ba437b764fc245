#!/usr/bin/env bash
# Runs every test of the project, installing what is missing first (pinned versions, only when
# absent). This is the README's test command and exactly what CI runs (.ci/run).
set -uo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

passed=0
failed=0
failures=()
step() {
  local name=$1
  shift
  echo "::: $name"
  if "$@"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    failures+=("$name")
  fi
}

bash scripts/setup.sh || exit 1

step "format" cargo fmt --all -- --check
step "clippy" cargo clippy --workspace --all-targets -- -D warnings
step "clippy (wasm32)" cargo clippy --lib --target wasm32-unknown-unknown -- -D warnings
step "native tests" cargo test --workspace
step "npm package build" bash scripts/build-pkg.sh
step "TypeScript declarations" sh tests/types/check.sh
ln -sfn ../pkg node_modules/anthropic-wasm

# The local Messages API server, for the wasm tests (its address is baked in at build time).
cargo build -p devserver --quiet || exit 1
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
target/debug/devserver --port "$port" 2> target/devserver-test.log &
devserver=$!
trap 'kill $devserver 2>/dev/null' EXIT
export ANTHROPIC_WASM_TEST_SERVER="http://127.0.0.1:$port"
for _ in $(seq 100); do
  curl -sf -o /dev/null -H 'anthropic-version: 2023-06-01' "$ANTHROPIC_WASM_TEST_SERVER/v1/models" && break
  sleep 0.1
done
export WASM_BINDGEN_TEST_WEBDRIVER_JSON="$PWD/webdriver.json" WASM_BINDGEN_TEST_TIMEOUT=120
step "wasm tests in Node" cargo test --target wasm32-unknown-unknown --test wasm
step "wasm tests in headless Chromium" env WASM_BINDGEN_USE_BROWSER=1 cargo test --target wasm32-unknown-unknown --test wasm
step "npm package in Node" node --test --test-concurrency=1 tests/node/
step "npm package in headless Chromium" node --test --test-concurrency=1 tests/browser/
step "npm package and proxy Worker in workerd" env CI=true WRANGLER_SEND_METRICS=false CLOUDFLARE_CF_FETCH_ENABLED=false \
  node --test --test-concurrency=1 tests/workerd/
step "official SDK against the local server" node --test --test-concurrency=1 devserver/tests-node/
# llama.cpp's llama-server on a free port (scripts/peer-server.sh, installed by setup.sh).
step "interop with llama-server" node --test --test-concurrency=1 tests/interop/
step "demo format" cargo fmt --manifest-path www/Cargo.toml -- --check
step "demo clippy (wasm32)" cargo clippy --manifest-path www/Cargo.toml --release --target wasm32-unknown-unknown -- -D warnings
step "demo unit tests (wasm in Node)" cargo test --manifest-path www/Cargo.toml --target wasm32-unknown-unknown
step "demo page build" env TRUNK_SKIP_VERSION_CHECK=true trunk build --release
step "demo in Chromium" node --test --test-concurrency=1 tests/demo/

echo
for name in "${failures[@]}"; do echo "FAILED: $name"; done
echo "steps: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
