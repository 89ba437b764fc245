// The npm package (pkg/, imported as `anthropic-wasm`) against the official SDK (`@anthropic-ai/sdk`)
// in one run: the synthetic stream (bench/js/synthetic.mjs) through messages.stream() of each,
// over a loopback HTTP server in its own process (bench/js/sse-server.mjs) and over an
// in-process fetch, in 64 KiB and 1–7-byte chunks, at 100 000 and 1 000 000 deltas; each
// measurement in a fresh Node process (bench/js/stream-run.mjs), R rounds, medians and spreads
// (bench/js/stream-report.mjs); then the bundle sizes. See bench/README.md.
// `node bench/js/stream-bench.mjs --help` lists the options.
import { spawn } from 'node:child_process';
import { existsSync, symlinkSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startServer } from './sse-server.mjs';
import { cachedBody } from './synthetic.mjs';
import { cellTables, fmtEvents, fmtMs, fmtRatio, fmtSpread, median, spread, table } from './stream-report.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = fileURLToPath(new URL('../..', import.meta.url));
const HELP = `usage: node bench/js/stream-bench.mjs [options]
  --deltas LIST       text deltas in the stream, every row at each, e.g. 100000,1000000; default:
                      every row at 100000, and the 64 KiB rows of both transports also at 1000000
  --1m                --deltas 1000000
  --quick             a smoke test: --deltas 2000 --rounds 1 --no-size, unless given
  --rounds R          runs of each measurement, each in a fresh process (default 5)
  --timeout S         seconds before a run is stopped and reported as did not finish (default 120)
  --workloads LIST    iterate,text,streamEvent,floor (default all)
  --clients LIST      sdk,wasm (default both)
  --transports LIST   tcp,inproc (default both)
  --chunkings LIST    64k,tiny (default both)
  --tcp-writes LIST   how the loopback server sends its 1–7-byte HTTP chunks: piece (one writev
                      per chunk, TCP_NODELAY), coalesced (the same chunks in 64 KiB writes);
                      default both (64 KiB chunks are one write each either way)
  --json FILE         write every raw run, the summary and the sizes to FILE
  --allow-dnf         runs that did not finish do not fail the exit code (wrong results still do)
  --no-size           skip the bundle sizes`;

const { values: opts } = parseArgs({
  options: {
    deltas: { type: 'string' }, '1m': { type: 'boolean' }, quick: { type: 'boolean' },
    rounds: { type: 'string' }, timeout: { type: 'string', default: '120' },
    workloads: { type: 'string', default: 'iterate,text,streamEvent,floor' },
    clients: { type: 'string', default: 'sdk,wasm' }, transports: { type: 'string', default: 'tcp,inproc' },
    chunkings: { type: 'string', default: '64k,tiny' }, 'tcp-writes': { type: 'string', default: 'piece,coalesced' },
    json: { type: 'string' }, 'allow-dnf': { type: 'boolean' }, 'no-size': { type: 'boolean' }, help: { type: 'boolean' },
  },
});
if (opts.help) {
  console.log(HELP);
  process.exit(0);
}
const list = (value, allowed, what) => {
  const items = value.split(',').map((s) => s.trim()).filter(Boolean);
  for (const item of items) if (allowed && !allowed.includes(item)) throw new Error(`unknown ${what} ${item} (${allowed.join(', ')})`);
  return items;
};
const deltasOption = opts['1m'] ? '1000000' : (opts.deltas ?? (opts.quick ? '2000' : null));
const deltasList = deltasOption === null ? null : list(deltasOption, null, 'deltas').map(Number);
const rounds = Number(opts.rounds ?? (opts.quick ? 1 : 5));
const timeoutMs = Number(opts.timeout) * 1000;
const noSize = opts['no-size'] || opts.quick;
const workloads = list(opts.workloads, ['iterate', 'text', 'streamEvent', 'floor'], 'workload');
const clients = list(opts.clients, ['sdk', 'wasm'], 'client');
const transports = list(opts.transports, ['tcp', 'inproc'], 'transport');
const chunkings = list(opts.chunkings, ['64k', 'tiny'], 'chunking');
const tcpWrites = list(opts['tcp-writes'], ['piece', 'coalesced'], 'tcp writes');
if (deltasList?.some((d) => !(Number.isInteger(d) && d > 0)) || !(rounds > 0) || !(timeoutMs > 0)) {
  throw new Error(`bad --deltas, --rounds or --timeout\n${HELP}`);
}

// The cells: deltas × transport × chunking (× the server's writes over TCP). By default every
// cell at 100 000 deltas and the 64 KiB ones also at 1 000 000 (1–7-byte pieces of 1 000 000
// deltas are 36 M writes: minutes).
const cells = [];
for (const deltas of deltasList ?? [100_000, 1_000_000]) {
  for (const transport of transports) {
    for (const chunking of chunkings) {
      if (!deltasList && deltas !== 100_000 && chunking !== '64k') continue;
      const writesList = transport !== 'tcp' ? [null] : chunking === '64k' ? ['piece'] : tcpWrites;
      for (const writes of writesList) cells.push({ deltas, transport, chunking, writes });
    }
  }
}
const allDeltas = [...new Set(cells.map((c) => c.deltas))];

// The package under test is pkg/ (scripts/build-pkg.sh), imported by name as a user would.
if (clients.includes('wasm') || !noSize) {
  if (!existsSync(`${root}pkg/package.json`)) throw new Error('stream-bench: no pkg/; build it first: bash scripts/build-pkg.sh');
  if (!existsSync(`${root}node_modules/anthropic-wasm`)) symlinkSync('../pkg', `${root}node_modules/anthropic-wasm`);
}

const log = (line) => process.stderr.write(`${line}\n`);
const started = new Date();
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
log(`stream-bench: ${allDeltas.join(', ')} deltas, ${rounds} rounds, timeout ${timeoutMs / 1000} s; load average ${load()}`);
// Built once, before anything is timed; runs and servers read them from the cache files.
const bodies = new Map(allDeltas.map((deltas) => [deltas, cachedBody(deltas)]));
for (const [deltas, { expected }] of bodies) {
  log(`stream at ${deltas} deltas: ${expected.bytes} bytes, ${expected.events} events (${expected.pings} pings), tool input ${expected.toolJson.length} bytes`);
}

// One loopback server per deltas × chunking × writes, started before the first run, kept for all.
const servers = new Map();
const serverKey = (m) => `${m.deltas} ${m.chunking} ${m.writes}`;
const stopServers = () => servers.forEach((server) => server.stop());
process.on('SIGINT', () => {
  stopServers();
  process.exit(130);
});

/** Runs one measurement in a fresh process: { status: ok | dnf | wrong, reason?, result? }. */
function runOnce(m) {
  const args = ['--expose-gc', `${here}stream-run.mjs`, m.client, m.workload, m.transport, m.chunking, String(m.deltas)];
  const server = m.transport === 'tcp' ? servers.get(serverKey(m)) : null;
  if (server) args.push(String(server.port));
  const serverCpuBefore = server?.cpuMs() ?? null;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (data) => (stdout += data));
    child.stderr.on('data', (data) => (stderr = (stderr + data).slice(-4000)));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      // What the server process spent during this run (its health check and warm request included).
      const serverCpuMs = serverCpuBefore === null ? null : server.cpuMs() - serverCpuBefore;
      const lastLines = stderr.trim().split('\n').filter((l) => l.trim()).slice(-2).join(' / ').slice(0, 300);
      // The first line (import time) arrives before the request, so a DNF still has it.
      const lines = stdout.trim().split('\n').filter(Boolean).map((line) => {
        try {
          return JSON.parse(line);
        } catch {
          return {};
        }
      });
      const importMs = lines[0]?.importMs;
      const result = lines.find((line) => 'ms' in line);
      if (timedOut) return resolve({ status: 'dnf', importMs, reason: `timed out after ${timeoutMs / 1000} s` });
      if (code === 3) return resolve({ status: 'wrong', importMs, reason: lastLines });
      if (code !== 0) return resolve({ status: 'dnf', importMs, reason: `${signal ? `killed by ${signal}` : `exit code ${code}`}: ${lastLines || 'no output'}` });
      if (!result) return resolve({ status: 'dnf', importMs, reason: `no result line: ${stdout.slice(-200)}` });
      resolve({ status: 'ok', importMs, result: { ...result, serverCpuMs } });
    });
  });
}

// The plan: every client × workload (and the floor) in every cell.
const measurements = [];
for (const cell of cells) {
  for (const workload of workloads) {
    if (workload === 'floor') measurements.push({ client: 'fetch', workload: 'drain', ...cell, runs: [] });
    else for (const client of clients) measurements.push({ client, workload, ...cell, runs: [] });
  }
}

try {
  for (const m of measurements) {
    if (m.transport === 'tcp' && !servers.has(serverKey(m))) servers.set(serverKey(m), await startServer(bodies.get(m.deltas).path, m.chunking, m.writes));
  }
  // Round-robin: round 1 of everything, then round 2, so a slow spell of the machine is spread
  // over all measurements instead of falling on one.
  let done = 0;
  const total = measurements.length * rounds;
  for (let round = 1; round <= rounds; round++) {
    for (const m of measurements) {
      done++;
      const name = `${m.client} ${m.workload} ${m.transport}${m.writes ? ` (${m.writes} writes)` : ''} ${m.chunking} ${m.deltas}`;
      // After a run did not finish, the rest of its rounds are skipped (and counted as failed):
      // a quadratic run would otherwise cost the full timeout R times.
      if (m.skip) {
        m.runs.push({ round, status: 'dnf', skipped: true, reason: `skipped after round ${m.skip.round}: ${m.skip.reason}` });
        continue;
      }
      const run = { round, ...(await runOnce(m)) };
      m.runs.push(run);
      if (run.status === 'dnf') m.skip = run;
      const figure = run.status === 'ok' ? `${fmtMs(run.result.ms)} ms, ${fmtEvents(run.result.eventsPerSec)} events/s` : `${run.status === 'dnf' ? 'did not finish' : 'WRONG'}: ${run.reason}`;
      log(`[${done}/${total}] ${name}: ${figure}`);
    }
  }
} finally {
  stopServers();
}

const streams = allDeltas.map((d) => {
  const { expected } = bodies.get(d);
  return `${d} text deltas: ${expected.bytes} bytes, ${expected.events} SSE events (${expected.toolFragments} tool fragments)`;
});
console.log(`\nstream-bench ${started.toISOString()}: ${rounds} rounds, Node ${process.version}, ${cpus().length} CPUs, load average now ${load()}`);
for (const line of streams) console.log(`  ${line}`);
console.log('medians, spread = min–max as % of median; ratio = anthropic-wasm ÷ SDK (events/s: above 1 is faster; ΔRSS, first text, import: below 1 is better); × floor = time ÷ the fetch-and-drain floor\'s; ceiling = SDK time ÷ floor time, the best events/s ratio any client could reach in that row');
console.log('first text: first request after the import (a cold start pays import + first text); warm: first text of a second request in the same process; CPU: the run process\'s user+system ms from the request to the end (/ the loopback server process\'s during the run)');
const { text: tablesText, summary } = cellTables({ measurements, cells, workloads, clients, expectedOf: (d) => bodies.get(d).expected });
console.log(tablesText);

// Import time does not depend on the workload: pooled over every run of a client that got past
// its import (a run that then did not finish still imported).
const importOf = (client) => {
  const values = measurements.filter((m) => m.client === client).flatMap((m) => m.runs.map((r) => r.importMs)).filter((v) => typeof v === 'number');
  return values.length ? { median: median(values), spread: spread(values), n: values.length } : null;
};
const imports = Object.fromEntries(clients.map((c) => [c, importOf(c)]));
console.log('\nimport (module load, and wasm compile + instantiation), pooled over all runs');
console.log(table(['client', 'import ms', 'spread', 'runs'], [
  ...clients.map((c) => [c === 'sdk' ? 'SDK 1.15.0' : 'anthropic-wasm', imports[c] ? fmtMs(imports[c].median) : '—', imports[c] ? fmtSpread(imports[c].spread) : '', String(imports[c]?.n ?? 0)]),
  ...(clients.length === 2 ? [['ratio', imports.sdk && imports.wasm ? fmtRatio(imports.wasm.median / imports.sdk.median) : '—', '', '']] : []),
]));

let sizes = null;
if (!noSize) {
  const { bundleSizes } = await import('./bundle-size.mjs');
  sizes = await bundleSizes(root);
  console.log('\nsize (esbuild, platform browser, esm, minified; gzip -9)');
  console.log(table(['', 'minified B', 'gzip -9 B'], [
    ['SDK 1.15.0', String(sizes.sdk.js), String(sizes.sdk.jsGzip)],
    ['anthropic-wasm JS', String(sizes.wasm.js), String(sizes.wasm.jsGzip)],
    ['anthropic-wasm .wasm', String(sizes.wasm.wasm), String(sizes.wasm.wasmGzip)],
    ['anthropic-wasm total', String(sizes.wasm.js + sizes.wasm.wasm), String(sizes.wasm.totalGzip)],
    ['ratio (ours ÷ SDK)', '', fmtRatio(sizes.ratio)],
  ]));
}

const all = measurements.flatMap((m) => m.runs);
const passed = all.filter((r) => r.status === 'ok').length;
const dnf = all.filter((r) => r.status === 'dnf').length;
const wrong = all.filter((r) => r.status === 'wrong').length;
if (opts.json) {
  const raw = measurements.flatMap(({ client, workload, transport, writes, chunking, deltas, runs }) => runs.map((r) => ({ client, workload, transport, writes, chunking, deltas, ...r })));
  const stream = Object.fromEntries(allDeltas.map((d) => {
    const { expected } = bodies.get(d);
    return [d, { ...expected, toolJson: undefined, toolJsonBytes: expected.toolJson.length }];
  }));
  const meta = { started: started.toISOString(), finished: new Date().toISOString(), node: process.version, cpus: cpus().length, loadavg: loadavg(), deltas: allDeltas, rounds, timeoutMs, stream };
  writeFileSync(opts.json, `${JSON.stringify({ meta, runs: raw, summary, imports, sizes }, null, 1)}\n`);
  log(`raw runs written to ${opts.json}`);
}
console.log(`stream-bench: ${passed} passed, ${dnf + wrong} failed`);
process.exit(wrong > 0 || (dnf > 0 && !opts['allow-dnf']) ? 1 : 0);
