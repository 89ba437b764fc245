// The npm package against @anthropic-ai/sdk in one run: the same synthetic stream (100 000 text
// deltas and a 2 000-fragment tool input) through each client's messages.stream(), fed by the
// same in-process fetch in 64 KiB chunks and in 1–7-byte chunks; each measurement in a fresh
// process (best of ROUNDS), then bundle sizes. Prints a table of figures and ratios.
//   node bench/js/compare.mjs [rounds]
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, symlinkSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = fileURLToPath(new URL('../..', import.meta.url));
const rounds = Number(process.argv[2] ?? 3);
// The package under test is pkg/ (scripts/build-pkg.sh), imported by name like a user would.
if (!existsSync(`${root}node_modules/anthropic-wasm`)) symlinkSync('../pkg', `${root}node_modules/anthropic-wasm`);

function measure(client, chunking) {
  const runs = [];
  for (let i = 0; i < rounds; i++) {
    runs.push(JSON.parse(execFileSync(process.execPath, [`${here}run-one.mjs`, client, chunking], { cwd: root, encoding: 'utf8' })));
  }
  const best = (key) => Math.min(...runs.map((r) => r[key]));
  return {
    ms: best('ms'),
    importMs: best('importMs'),
    firstTextMs: best('firstTextMs'),
    coldFirstTextMs: Math.min(...runs.map((r) => r.importMs + r.firstTextMs)),
    warmFirstTextMs: best('warmFirstTextMs'),
    peakRssMb: best('peakRssMb'),
    events: runs[0].events,
    bytes: runs[0].bytes,
  };
}

const rows = [];
for (const chunking of ['64k', 'tiny']) {
  const official = measure('official', chunking);
  const wasm = measure('wasm', chunking);
  rows.push({ chunking, official, wasm });
}

const fmt = (n, d = 0) => n.toFixed(d);
console.log(`${rounds} runs each, best taken; ratio = official ÷ anthropic-wasm (above 1: we are faster / smaller)`);
// First text: `first` = first request after import; `cold` = import + first request (a new
// process or isolate); `warm` = a later request in the same process.
console.log('chunking   client          ms   events/s     MB/s  import ms  first text ms (first / cold / warm)  peak RSS MB');
for (const { chunking, official, wasm } of rows) {
  for (const [name, r] of [['official', official], ['anthropic-wasm', wasm]]) {
    const firsts = [r.firstTextMs, r.coldFirstTextMs, r.warmFirstTextMs].map((v) => fmt(v, 1)).join(' / ');
    console.log(`${chunking.padEnd(10)} ${name.padEnd(14)} ${fmt(r.ms).padStart(6)} ${fmt(r.events / (r.ms / 1000)).padStart(10)} ${fmt(r.bytes / 1e6 / (r.ms / 1000), 1).padStart(8)} ${fmt(r.importMs, 1).padStart(10)} ${firsts.padStart(37)} ${fmt(r.peakRssMb, 1).padStart(12)}`);
  }
  const ratio = (key) => fmt(official[key] / wasm[key], 2);
  console.log(`${chunking.padEnd(10)} ratio          speed ${ratio('ms')}×, import ${ratio('importMs')}×, first text ${ratio('firstTextMs')}× / cold ${ratio('coldFirstTextMs')}× / warm ${ratio('warmFirstTextMs')}×, peak RSS ${ratio('peakRssMb')}×`);
}

// Sizes: what a browser downloads.
const official = await build({ stdin: { contents: "import Anthropic from '@anthropic-ai/sdk'; globalThis.Anthropic = Anthropic;", resolveDir: root }, bundle: true, minify: true, format: 'esm', platform: 'browser', write: false });
const officialGzip = gzipSync(official.outputFiles[0].contents, { level: 9 }).length;
const ours = await build({ entryPoints: [`${root}pkg/index.js`], bundle: true, minify: true, format: 'esm', platform: 'browser', write: false, external: ['*.wasm'] });
const oursJsGzip = gzipSync(ours.outputFiles[0].contents, { level: 9 }).length;
const wasmGzip = gzipSync(readFileSync(`${root}pkg/anthropic_wasm_bg.wasm`), { level: 9 }).length;
console.log(`size (minified, gzip -9): official ${officialGzip} B; anthropic-wasm ${oursJsGzip + wasmGzip} B (JS ${oursJsGzip} + wasm ${wasmGzip}); ratio ${fmt(officialGzip / (oursJsGzip + wasmGzip), 2)}×`);
