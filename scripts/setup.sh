#!/usr/bin/env bash
# Installs what building and testing need, each only when missing, at pinned versions:
# the wasm32 target, wasm-bindgen-cli equal to the crate's wasm-bindgen, trunk (builds the demo
# page), Debian's Chromium, ChromeDriver and python3-venv, the npm packages of package-lock.json
# (wasm-opt from npm's binaryen, the official SDK, Prism, TypeScript, playwright-core, vite,
# miniflare, wrangler), and llama.cpp's llama-server with its test model for the interop test
# (scripts/peer-server.sh: built from llama.cpp's sources, about 5 minutes the first time), and
# Debian's qemu-user, which runs that build on emulated CPUs for the portability test. Nothing
# downloads binaries at run time.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  rustup target add wasm32-unknown-unknown
fi

wasm_bindgen_version=$(sed -n 's/^wasm-bindgen = "=\(.*\)"$/\1/p' Cargo.toml)
if ! wasm-bindgen --version 2>/dev/null | grep -qF "$wasm_bindgen_version"; then
  cargo install --locked wasm-bindgen-cli --version "$wasm_bindgen_version"
fi

# trunk 0.22 needs a newer rustc; LTO off and 16 codegen units build it in ~60% of the time.
if ! trunk --version 2>/dev/null | grep -qF 0.21.14; then
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 cargo install --locked trunk --version 0.21.14
fi

# Another apt (an unattended upgrade, a second setup) may hold dpkg's lock: wait for it.
apt_get() {
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 "$@"
}

apt_install() {
  apt_get update -qq
  # The image's apt hook deletes downloaded packages between dpkg runs; retrying recovers.
  for attempt in 1 2 3; do
    apt_get install -y -qq "$@" && break
    apt_get install -y -qq -f || true
    [ "$attempt" = 3 ] && exit 1
  done
}

if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  apt_install chromium chromium-driver
fi

# The interop test's llama-server lives in a Python venv (scripts/peer-server.sh); Debian's
# python3 makes venvs only with python3-venv (which ships ensurepip).
if ! python3 -c 'import ensurepip, venv' 2>/dev/null; then
  apt_install python3-venv
fi

# tests/interop/portability.test.mjs runs llama-server on CPUs this host is not (qemu-x86_64).
if ! command -v qemu-x86_64 >/dev/null; then
  apt_install qemu-user
fi

# `npm install`, not `npm ci`: the lock pins every version, but this registry lacks some of
# rollup's (vite's) optional builds for other platforms, which `npm ci` insists on finding.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm install --no-audit --no-fund --no-save
fi

bash scripts/peer-server.sh setup
