#!/usr/bin/env bash
# Runs the example proxy Worker (examples/worker) locally under `wrangler dev`, its upstream the
# local Messages API server (started here, unless $UPSTREAM names one already running) and a
# dummy key, and prints the Worker's URL: the demo page's "proxy URL". Ctrl-C stops both.
#   WORKER_PORT (8788), PORT (devserver, 8787), TOKENS_PER_SECOND (30),
#   ALLOWED_ORIGINS and ALLOWED_MODELS ("*": any page, any model, fault suffixes included).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export CI=true WRANGLER_SEND_METRICS=false CLOUDFLARE_CF_FETCH_ENABLED=false

bash scripts/setup.sh
[ -f pkg/anthropic_wasm_bg.wasm ] || bash scripts/build-pkg.sh
ln -sfn ../pkg node_modules/anthropic-wasm

children=()
trap 'kill "${children[@]}" 2>/dev/null' EXIT
if [ -z "${UPSTREAM:-}" ]; then
  cargo build -p devserver --release --quiet
  devserver_port=${PORT:-8787}
  target/release/devserver --port "$devserver_port" --tokens-per-second "${TOKENS_PER_SECOND:-30}" &
  children+=($!)
  UPSTREAM="http://127.0.0.1:$devserver_port"
fi

worker_port=${WORKER_PORT:-8788}
worker="http://127.0.0.1:$worker_port"
(cd examples/worker && exec wrangler dev --ip 127.0.0.1 --port "$worker_port" \
  --var "UPSTREAM_BASE_URL:$UPSTREAM" --var ANTHROPIC_API_KEY:sk-ant-local-dummy-key \
  --var "ALLOWED_ORIGINS:${ALLOWED_ORIGINS:-*}" --var "ALLOWED_MODELS:${ALLOWED_MODELS:-*}") &
children+=($!)
for _ in $(seq 300); do
  curl -s -o /dev/null -X OPTIONS "$worker/chat" && break
  sleep 0.1
done
echo
echo "Proxy Worker: $worker  (upstream $UPSTREAM, a dummy key; Ctrl-C stops it)"
echo "  POST $worker/v1/messages, $worker/v1/messages/count_tokens (proxy), $worker/chat (SSE)"
echo "  In the demo page, set the proxy URL to $worker"
wait -n
