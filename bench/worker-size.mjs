// Size and start-up of anthropic-wasm in Cloudflare Workers.
//   node bench/worker-size.mjs [rounds]     (after scripts/build-pkg.sh)
// 1. Bundles the example Worker (examples/worker) with `wrangler deploy --dry-run`, as a deploy
//    would, and compares its compressed size with the Workers plan limits.
// 2. Start-up in workerd (Miniflare): a Worker with no wasm against one that imports the package,
//    each started fresh `rounds` times: time until workerd is ready (the script, and the wasm
//    module, compiled and the global scope run), the first request (a client built, a request
//    validated in wasm), a second request. Inside a Worker, performance.now() is coarse (workerd
//    moves it at I/O, not while JS runs), so the cost is measured from outside, as the difference
//    between the two Workers; the in-Worker reading around the request's work is printed too.
// 3. For reference, the same wasm in Node (same V8 engine, a real clock): compile and instantiate.
// Exits non-zero when the bundle is above the free plan's limit.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { Miniflare } from 'miniflare';
import { bundleWorker, repoRoot, WRANGLER_ENV } from '../tests/workerd/helpers.mjs';

const rounds = Number(process.argv[2] ?? 5);
const MIB = 1024 * 1024;
/** Compressed Worker size limits (developers.cloudflare.com/workers/platform/limits). */
const PLAN_LIMITS = { free: 3 * MIB, paid: 10 * MIB };
const COMPATIBILITY_DATE = '2026-04-01';
/** The two small Workers compared at start-up. */
const workersDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'workerd');

const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
const ms = (value) => `${value.toFixed(1)} ms`;
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Raw and gzip -9 size of each file of a bundle. */
async function bundleSizes(outDir) {
  const files = (await readdir(outDir)).filter((file) => file.endsWith('.js') || file.endsWith('.wasm'));
  const sizes = [];
  for (const file of files) {
    const bytes = await readFile(path.join(outDir, file));
    sizes.push({ file, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length });
  }
  return sizes;
}

/** `wrangler deploy --dry-run` of one script with no wrangler.toml (the bundle keeps its name). */
async function bundleScript(script, outDir) {
  await promisify(execFile)(
    path.join(repoRoot, 'node_modules', '.bin', 'wrangler'),
    ['deploy', '--dry-run', '--outdir', outDir, '--name', 'bench', '--compatibility-date', COMPATIBILITY_DATE, path.join(workersDir, script)],
    { cwd: workersDir, env: WRANGLER_ENV },
  );
}

/** One cold start of a bundled Worker: ready, first and second request times, and its reply. */
async function coldStart(outDir, script) {
  const started = performance.now();
  const mf = new Miniflare({
    modules: true,
    scriptPath: path.join(outDir, script),
    modulesRoot: outDir,
    modulesRules: [
      { type: 'ESModule', include: ['**/*.js'] },
      { type: 'CompiledWasm', include: ['**/*.wasm'] },
    ],
    compatibilityDate: COMPATIBILITY_DATE,
  });
  try {
    const url = await mf.ready;
    const ready = performance.now();
    const reply = await (await fetch(url)).json();
    const first = performance.now();
    const again = await (await fetch(url)).json();
    const second = performance.now();
    return { ready: ready - started, first: first - ready, second: second - first, reply, again };
  } finally {
    await mf.dispose();
  }
}

async function size(work) {
  const outDir = path.join(work, 'example');
  const output = await bundleWorker(path.join(repoRoot, 'examples', 'worker'), outDir);
  const sizes = await bundleSizes(outDir);
  const gzip = sizes.reduce((sum, file) => sum + file.gzip, 0);
  console.log('## Bundle of examples/worker (wrangler deploy --dry-run)\n');
  console.log('| file | raw | gzip -9 |\n| --- | --- | --- |');
  for (const file of sizes) console.log(`| ${file.file.replace(/^[0-9a-f]{40}-/, '<hash>-')} | ${kib(file.raw)} | ${kib(file.gzip)} |`);
  console.log(`| total | ${kib(sizes.reduce((sum, file) => sum + file.raw, 0))} | ${kib(gzip)} |`);
  console.log(`\nwrangler: ${output.match(/Total Upload: .*/)?.[0] ?? '(no size line)'}`);
  for (const [plan, limit] of Object.entries(PLAN_LIMITS)) {
    console.log(`${plan} plan limit ${limit / MIB} MiB compressed: ${((100 * gzip) / limit).toFixed(1)}% used`);
  }
  return gzip <= PLAN_LIMITS.free;
}

async function startup(work) {
  const variants = {};
  for (const name of ['no-wasm', 'with-package']) {
    variants[name] = { outDir: path.join(work, name), script: `${name}.js`, runs: [] };
    await bundleScript(variants[name].script, variants[name].outDir);
  }
  // Interleaved, so a busy machine weighs on both alike.
  for (let round = 0; round < rounds; round += 1) {
    for (const variant of Object.values(variants)) variant.runs.push(await coldStart(variant.outDir, variant.script));
  }
  console.log(`\n## Cold start in workerd (Miniflare), median of ${rounds}\n`);
  console.log('| Worker | ready | first request | second request | inside, first / second |');
  console.log('| --- | --- | --- | --- | --- |');
  for (const [name, { runs }] of Object.entries(variants)) {
    const pick = (key) => ms(median(runs.map((run) => run[key])));
    const inside = (reply) => ms(median(runs.map((run) => run[reply].elapsedInside)));
    console.log(`| ${name} | ${pick('ready')} | ${pick('first')} | ${pick('second')} | ${inside('reply')} / ${inside('again')} |`);
  }
  const cost = (key) => median(variants['with-package'].runs.map((run) => run[key])) - median(variants['no-wasm'].runs.map((run) => run[key]));
  const signed = (value) => `${value >= 0 ? '+' : '−'}${ms(Math.abs(value))}`;
  console.log(`\nWith the package (difference of medians): ready ${signed(cost('ready'))}, first request ${signed(cost('first'))}.`);
  const reply = variants['with-package'].runs[0].reply;
  if (reply.name !== 'InvalidRequestError') throw new Error(`the package Worker answered ${JSON.stringify(reply)}`);
}

async function nodeReference() {
  const bytes = await readFile(path.join(repoRoot, 'pkg', 'anthropic_wasm_bg.wasm'));
  const compileStarted = performance.now();
  new WebAssembly.Module(bytes);
  const compiled = performance.now();
  await import(path.join(repoRoot, 'pkg', 'node.js'));
  const imported = performance.now();
  console.log(`\n## Reference: the same wasm in Node ${process.version}\n`);
  console.log(`compile ${ms(compiled - compileStarted)} (${kib(bytes.length)}), import of the package (compiles again) ${ms(imported - compiled)}`);
}

const work = await mkdtemp(path.join(tmpdir(), 'anthropic-wasm-bench-'));
try {
  const fits = await size(work);
  await startup(work);
  await nodeReference();
  if (!fits) {
    console.error('\nThe bundle is above the free plan limit.');
    process.exitCode = 1;
  }
} finally {
  await rm(work, { recursive: true, force: true });
}
