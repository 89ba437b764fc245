// What a browser downloads: each client bundled by esbuild (platform browser, esm, minified, the
// wasm left external) and gzip -9, plus anthropic-wasm's .wasm file(s), gzip -9 each.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const here = fileURLToPath(new URL('.', import.meta.url));

async function bundle(contents, resolveDir) {
  const result = await build({
    stdin: { contents, resolveDir, loader: 'js' },
    bundle: true, minify: true, format: 'esm', platform: 'browser', write: false, external: ['*.wasm'], logLevel: 'silent',
  });
  return result.outputFiles[0].contents;
}

const gzip = (bytes) => gzipSync(bytes, { level: 9 }).length;

/** Sizes in bytes: { sdk: { js, jsGzip }, wasm: { js, jsGzip, wasm, wasmGzip, totalGzip }, ratio }. */
export async function bundleSizes(root) {
  // Assigning the default export to a global keeps the whole client from being tree-shaken away.
  const sdkJs = await bundle("import Anthropic from '@anthropic-ai/sdk'; globalThis.Anthropic = Anthropic;", here);
  const oursJs = await bundle("import Anthropic from 'anthropic-wasm'; globalThis.Anthropic = Anthropic;", root);
  const pkg = join(root, 'pkg');
  const wasmFiles = readdirSync(pkg).filter((name) => name.endsWith('.wasm')).map((name) => readFileSync(join(pkg, name)));
  if (wasmFiles.length === 0) throw new Error('bundle-size: no .wasm in pkg/');
  const wasm = wasmFiles.reduce((sum, bytes) => sum + bytes.length, 0);
  const wasmGzip = wasmFiles.reduce((sum, bytes) => sum + gzip(bytes), 0);
  const sdk = { js: sdkJs.length, jsGzip: gzip(sdkJs) };
  const ours = { js: oursJs.length, jsGzip: gzip(oursJs), wasm, wasmGzip, totalGzip: gzip(oursJs) + wasmGzip };
  return { sdk, wasm: ours, ratio: ours.totalGzip / sdk.jsGzip };
}
