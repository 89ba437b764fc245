#!/usr/bin/env bash
# Builds the npm package into pkg/: the release wasm, its wasm-bindgen glue (--target web, which
# every platform can initialise), wasm-opt -Oz from npm's binaryen (Debian's wasm-opt 108
# corrupts wasm-bindgen 0.2.129 output), and the hand-written JS shell and types from js/.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

bash scripts/setup.sh
wasm-opt --version | grep -q 'version 132' || { echo "wasm-opt is not npm binaryen 132" >&2; exit 1; }

cargo build --lib --target wasm32-unknown-unknown --release
rm -rf pkg
wasm-bindgen --target web --out-dir pkg --out-name anthropic_wasm \
  target/wasm32-unknown-unknown/release/anthropic_wasm.wasm
# The features rustc enables by default for wasm32-unknown-unknown.
wasm-opt -Oz --enable-bulk-memory --enable-reference-types --enable-mutable-globals \
  --enable-nontrapping-float-to-int --enable-sign-ext --enable-multivalue \
  pkg/anthropic_wasm_bg.wasm -o pkg/anthropic_wasm_bg.wasm
cp js/*.js js/*.d.ts pkg/
mkdir -p pkg/lib && cp js/lib/*.js pkg/lib/
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
sed "s/\"version\": \"0.0.0\"/\"version\": \"$version\"/" js/package.json > pkg/package.json
rm -f pkg/.gitignore
echo "pkg/: $(wc -c < pkg/anthropic_wasm_bg.wasm) bytes of wasm, $(gzip -9c pkg/anthropic_wasm_bg.wasm | wc -c) gzipped"
