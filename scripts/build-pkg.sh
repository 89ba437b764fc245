#!/usr/bin/env bash
# Builds the npm package into pkg/: the release wasm of npm/ (the core's decisions, no serde, no
# generated glue: js/core/wasm.js reads its plain exports), wasm-opt -Oz from npm's binaryen,
# and the JS shell of js/ bundled by esbuild: one module per entry point (index, node, workerd)
# over one shared chunk. The types (js/*.d.ts) are copied as they are.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

bash scripts/setup.sh
wasm-opt --version | grep -q 'version 132' || { echo "wasm-opt is not npm binaryen 132" >&2; exit 1; }

cargo build -p anthropic-wasm-npm --target wasm32-unknown-unknown --release
stage=target/pkg-stage
rm -rf pkg "$stage"
mkdir -p pkg "$stage"
cp -r js/. "$stage/"
cp target/wasm32-unknown-unknown/release/anthropic_wasm_npm.wasm "$stage/anthropic_wasm_bg.wasm"
# The features rustc enables by default for wasm32-unknown-unknown. Rust leaves the first KiB of
# memory unused (its data starts at 1 MiB), which lets wasm-opt fold constant offsets; the
# producers and target-features sections are metadata no runtime reads. --reorder-functions
# (after -Oz, which does not run it) gives the most-called functions the smallest indexes, so
# the shortest LEB128 call operands: 245 B gzip less. --flatten --rereloop then -Oz twice
# rebuilds the control flow before shrinking it again: 266 B gzip less, with no change in the
# stream benchmark beyond its noise (session 11, 3 alternating runs of each build); a second
# round takes off 116 B more (session 12).
wasm-opt -Oz --converge --flatten --rereloop -Oz -Oz --flatten --rereloop -Oz -Oz --reorder-functions --low-memory-unused --strip-producers --strip-target-features --enable-bulk-memory --enable-reference-types --enable-mutable-globals \
  --enable-nontrapping-float-to-int --enable-sign-ext --enable-multivalue \
  "$stage/anthropic_wasm_bg.wasm" -o pkg/anthropic_wasm_bg.wasm
esbuild "$stage/index.js" "$stage/node.js" "$stage/workerd.js" --bundle --splitting --format=esm \
  --platform=neutral --target=es2022 --outdir=pkg --chunk-names=shell-[hash] \
  --external:node:* --external:./anthropic_wasm_bg.wasm --log-level=warning
cp js/*.d.ts pkg/
# The wire types, from SDK 1.15's own declarations.
node scripts/sdk-types.mjs wire pkg/sdk-types.d.ts
node scripts/sdk-types.mjs beta pkg/sdk-beta-types.d.ts
# SDK 1.15's subpath imports (anthropic-wasm/error, …): thin re-exports through the package's
# own entry, so that every class is the one the root export has.
cp js/error.js js/streaming.js js/helpers-json-schema.js js/helpers-beta-json-schema.js js/helpers-zod.js js/helpers-beta-zod.js pkg/
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
sed "s/\"version\": \"0.0.0\"/\"version\": \"$version\"/" js/package.json > pkg/package.json
js=$(cat pkg/*.js | wc -c)
echo "pkg/: $(wc -c < pkg/anthropic_wasm_bg.wasm) bytes of wasm ($(gzip -9c pkg/anthropic_wasm_bg.wasm | wc -c) gzipped), $js bytes of JS"
