#!/usr/bin/env bash
# Sets up and runs the demo: builds the page (www/, with Trunk) and the local Messages API
# server, starts both and prints the page's address. No key needed: the page talks to the
# local server; a key or a proxy URL entered in the page switches it to the real API.
# PORT (default 8080) is the page's port, API_PORT (default 8787) the local server's.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH" TRUNK_SKIP_VERSION_CHECK=true
bash scripts/setup.sh
trunk build --release
cargo build -p devserver
page_port=${PORT:-8080}
api_port=${API_PORT:-8787}
target/debug/devserver --port "$api_port" --tokens-per-second "${TOKENS_PER_SECOND:-30}" &
devserver=$!
trap 'kill $devserver 2>/dev/null' EXIT
echo
echo "Demo: http://127.0.0.1:$page_port/?api=http://127.0.0.1:$api_port  (Ctrl-C stops)"
echo "Local Messages API server: http://127.0.0.1:$api_port (any key accepted)"
# WITH_WORKER=1: the example proxy Worker beside them, for the page's proxy setting
# (examples/worker/README.md).
[ "${WITH_WORKER:-0}" != 1 ] || UPSTREAM="http://127.0.0.1:$api_port" bash scripts/worker-dev.sh &
node www/serve.mjs target/demo-dist "$page_port"
