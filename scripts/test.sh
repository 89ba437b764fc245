#!/usr/bin/env bash
# Runs every test of the project, installing what is missing first (pinned versions, only when
# absent). This is the README's test command and exactly what CI runs (.ci/run).
set -uo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never

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

# Tools: the wasm32 target (a no-op when present).
if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  rustup target add wasm32-unknown-unknown || exit 1
fi

step "format" cargo fmt --all -- --check
step "clippy" cargo clippy --all-targets -- -D warnings
step "native tests" cargo test
step "wasm32 release build" cargo build --lib --target wasm32-unknown-unknown --release

echo
for name in "${failures[@]}"; do echo "FAILED: $name"; done
echo "steps: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
