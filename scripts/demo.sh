#!/usr/bin/env bash
# Sets up and runs the demo. The Leptos demo and the local Messages API server are being built
# (see the issues); until they land this builds the library for wasm and says so.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  rustup target add wasm32-unknown-unknown
fi
cargo build --lib --target wasm32-unknown-unknown --release
wasm=target/wasm32-unknown-unknown/release/anthropic_wasm.wasm
echo "Built $wasm ($(wc -c < "$wasm") bytes)."
echo "The demo (chat with image upload and a prefill playground, on a built-in local Messages API"
echo "server) is not there yet: this command will start it once it is."
