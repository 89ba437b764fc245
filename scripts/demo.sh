#!/usr/bin/env bash
# Sets up and runs the demo on the built-in local Messages API server (no key needed).
# Today the Leptos demo page is still being built (see the issues): this starts the local server
# and builds the npm package, so the API can be tried with any client; the page comes next.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build-pkg.sh
cargo build -p devserver --release
port=${PORT:-8787}
echo
echo "Local Messages API server: http://127.0.0.1:$port (any key accepted; Ctrl-C stops it)"
echo "Try:  curl -s http://127.0.0.1:$port/v1/messages -H 'anthropic-version: 2023-06-01' \\"
echo "        -H 'content-type: application/json' \\"
echo "        -d '{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":100,\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}'"
echo "The demo page (chat, image upload, prefill playground) is not there yet."
# WITH_WORKER=1: the example proxy Worker beside it (examples/worker/README.md).
[ "${WITH_WORKER:-0}" != 1 ] || UPSTREAM="http://127.0.0.1:$port" bash scripts/worker-dev.sh &
exec target/release/devserver --port "$port" --tokens-per-second "${TOKENS_PER_SECOND:-30}"
