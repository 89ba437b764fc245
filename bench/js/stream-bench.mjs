// The npm package (pkg/, imported as `anthropic-wasm`) against the official SDK (`@anthropic-ai/sdk`)
// in one run: the synthetic stream (bench/js/synthetic.mjs) through messages.stream() of each,
// over a loopback HTTP server in its own process (bench/js/sse-server.mjs) and over an
// in-process fetch, in 64 KiB and 1–7-byte chunks; each measurement in a fresh Node process
// (bench/js/stream-run.mjs), R rounds, medians and spreads; then the bundle sizes. See
// bench/README.md. `node bench/js/stream-bench.mjs --help` lists the options.
import { spawn } from 'node:child_process';
import { existsSync, symlinkSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { cachedBody, chunkSizes } from './synthetic.mjs';
import { fmtEvents, fmtSpread, fmtMs, fmtMb, fmtRatio, median, spread, table } from './stream-report.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = fileURLToPath(new URL('../..', import.meta.url));
const HELP = `usage: node bench/js/stream-bench.mjs [options]
  --deltas N          text deltas in the stream (default 100000); --1m is --deltas 1000000
  --rounds R          runs of each measurement, each in a fresh process (default 5)
  --timeout S         seconds before a run is stopped and reported as did not finish (default 120)
  --workloads LIST    iterate,text,streamEvent,floor (default all)
  --clients LIST      sdk,wasm (default both)
  --transports LIST   tcp,inproc (default both)
  --chunkings LIST    64k,tiny (default both)
  --json FILE         write every raw run, the summary and the sizes to FILE
  --allow-dnf         runs that did not finish do not fail the exit code (wrong results still do)
  --no-size           skip the bundle sizes`;

const { values: opts } = parseArgs({
  options: {
    deltas: { type: 'string', default: '100000' }, '1m': { type: 'boolean' },
    rounds: { type: 'string', default: '5' }, timeout: { type: 'string', default: '120' },
    workloads: { type: 'string', default: 'iterate,text,streamEvent,floor' },
    clients: { type: 'string', default: 'sdk,wasm' }, transports: { type: 'string', default: 'tcp,inproc' },
    chunkings: { type: 'string', default: '64k,tiny' }, json: { type: 'string' },
    'allow-dnf': { type: 'boolean' }, 'no-size': { type: 'boolean' }, help: { type: 'boolean' },
  },
});
if (opts.help) {
  console.log(HELP);
  process.exit(0);
}
const deltas = opts['1m'] ? 1_000_000 : Number(opts.deltas);
const rounds = Number(opts.rounds);
const timeoutMs = Number(opts.timeout) * 1000;
const list = (value, allowed, what) => {
  const items = value.split(',').map((s) => s.trim()).filter(Boolean);
  for (const item of items) if (!allowed.includes(item)) throw new Error(`unknown ${what} ${item} (${allowed.join(', ')})`);
  return items;
};
const workloads = list(opts.workloads, ['iterate', 'text', 'streamEvent', 'floor'], 'workload');
const clients = list(opts.clients, ['sdk', 'wasm'], 'client');
const transports = list(opts.transports, ['tcp', 'inproc'], 'transport');
const chunkings = list(opts.chunkings, ['64k', 'tiny'], 'chunking');
if (!(deltas > 0) || !(rounds > 0) || !(timeoutMs > 0)) throw new Error(`bad --deltas, --rounds or --timeout\n${HELP}`);

// The package under test is pkg/ (scripts/build-pkg.sh), imported by name as a user would.
if (clients.includes('wasm') || !opts['no-size']) {
  if (!existsSync(`${root}pkg/package.json`)) throw new Error('stream-bench: no pkg/; build it first: bash scripts/build-pkg.sh');
  if (!existsSync(`${root}node_modules/anthropic-wasm`)) symlinkSync('../pkg', `${root}node_modules/anthropic-wasm`);
}

const log = (line) => process.stderr.write(`${line}\n`);
const started = new Date();
log(`stream-bench: ${deltas} deltas, ${rounds} rounds, timeout ${timeoutMs / 1000} s; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
// Built once, before anything is timed; runs and servers read it from the cache file.
const { expected } = cachedBody(deltas);
log(`stream: ${expected.bytes} bytes, ${expected.events} events (${expected.pings} pings), tool input ${expected.toolJson.length} bytes`);

// One loopback server per chunking, started before the first run and kept for all of them.
const servers = new Map();
function startServer(chunking) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [`${here}sse-server.mjs`, String(deltas), chunking], { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`sse-server (${chunking}) did not start in 60 s`)), 60_000);
    child.stdout.on('data', (data) => {
      out += data;
      if (!out.includes('\n')) return;
      clearTimeout(timer);
      resolve({ child, port: JSON.parse(out.split('\n')[0]).port });
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`sse-server (${chunking}) exited with ${code}`));
    });
  });
}
function stopServers() {
  for (const { child } of servers.values()) {
    child.stdin.end(); // it exits when its stdin ends
    setTimeout(() => child.kill(), 2000).unref();
  }
}
process.on('SIGINT', () => {
  stopServers();
  process.exit(130);
});

/** Runs one measurement in a fresh process: { status: ok | dnf | wrong, reason?, result? }. */
function runOnce(m) {
  const args = ['--expose-gc', `${here}stream-run.mjs`, m.client, m.workload, m.transport, m.chunking, String(deltas)];
  if (m.transport === 'tcp') args.push(String(servers.get(m.chunking).port));
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
      resolve({ status: 'ok', importMs, result });
    });
  });
}

// The plan: every client × workload (and the floor) × transport × chunking.
const measurements = [];
for (const transport of transports) {
  for (const chunking of chunkings) {
    for (const workload of workloads) {
      if (workload === 'floor') measurements.push({ client: 'fetch', workload: 'drain', transport, chunking, runs: [] });
      else for (const client of clients) measurements.push({ client, workload, transport, chunking, runs: [] });
    }
  }
}

try {
  if (transports.includes('tcp')) for (const chunking of chunkings) servers.set(chunking, await startServer(chunking));
  // Round-robin: round 1 of everything, then round 2, so a slow spell of the machine is spread
  // over all measurements instead of falling on one.
  let done = 0;
  const total = measurements.length * rounds;
  for (let round = 1; round <= rounds; round++) {
    for (const m of measurements) {
      done++;
      const name = `${m.client} ${m.workload} ${m.transport} ${m.chunking}`;
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

// Summary: medians over the runs that finished and verified.
const ok = (m) => m.runs.filter((r) => r.status === 'ok').map((r) => r.result);
const stats = (m, key) => {
  const values = ok(m).map((r) => r[key]).filter((v) => v !== null && v !== undefined);
  return values.length ? { median: median(values), spread: spread(values), n: values.length } : null;
};
const summary = [];
const pieces = (chunking) => {
  const next = chunkSizes(chunking);
  let count = 0;
  for (let at = 0; at < expected.bytes; at += next()) count++;
  return count;
};
const find = (client, workload, transport, chunking) => measurements.find((m) => m.client === client && m.workload === workload && m.transport === transport && m.chunking === chunking);
const failures = (m) => {
  const bad = m.runs.filter((r) => r.status !== 'ok');
  return bad.length ? `${bad.length} of ${m.runs.length} ${bad.every((r) => r.status === 'dnf') ? 'did not finish' : 'failed'}: ${[...new Set(bad.map((r) => r.reason))].join('; ')}` : '';
};

console.log(`\nstream-bench ${started.toISOString()}: ${expected.bytes} bytes, ${expected.events} SSE events (${deltas} text deltas, ${expected.toolFragments} tool fragments), ${rounds} rounds, Node ${process.version}, ${cpus().length} CPUs, load average now ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
console.log('medians, spread = min–max as % of median; ratio = anthropic-wasm ÷ SDK (events/s: above 1 is faster; ΔRSS, first text, import: below 1 is better); × floor = time ÷ the fetch-and-drain floor\'s');
console.log('first text: first request after the import (a cold start pays import + first text); warm: first text of a second request in the same process');
for (const transport of transports) {
  for (const chunking of chunkings) {
    const floorM = find('fetch', 'drain', transport, chunking);
    const floorMs = floorM && stats(floorM, 'ms');
    const rows = [];
    const notes = [];
    const rowFor = (label, client, m) => {
      const [ms, eps, rss, first, warm] = ['ms', 'eventsPerSec', 'deltaRssMb', m.client === 'fetch' ? 'firstByteMs' : 'firstTextMs', 'warmFirstTextMs'].map((key) => stats(m, key));
      const entry = { transport, chunking, workload: m.workload, client, runs: m.runs.length, ok: ok(m).length, ms, eventsPerSec: eps, deltaRssMb: rss, first, warm, failures: failures(m) };
      summary.push(entry);
      if (entry.failures) notes.push(`${m.workload} ${client}: ${entry.failures}`);
      if (!ms) {
        rows.push([label, client, `did not finish: ${[...new Set(m.runs.map((r) => r.reason))].join('; ')}`]);
        return entry;
      }
      rows.push([label, client, fmtMs(ms.median), fmtEvents(eps.median), fmtSpread(eps.spread), fmtMb(rss.median), fmtSpread(rss.spread),
        `${fmtMs(first.median)}${m.client === 'fetch' ? ' (first byte)' : ''}`, fmtSpread(first.spread), warm ? fmtMs(warm.median) : '',
        floorMs && m.client !== 'fetch' ? `${(ms.median / floorMs.median).toFixed(1)}×` : '', `${entry.ok}/${entry.runs}`]);
      return entry;
    };
    for (const workload of workloads.filter((w) => w !== 'floor')) {
      const [sdk, ours] = clients.map((client, i) => rowFor(i === 0 ? workload : '', client === 'sdk' ? 'SDK 1.15.0' : 'anthropic-wasm', find(client, workload, transport, chunking)));
      if (clients.length === 2) {
        const r = (key) => (sdk[key] && ours[key] ? fmtRatio(ours[key].median / sdk[key].median) : '—');
        rows.push(['', 'ratio', '', r('eventsPerSec'), '', r('deltaRssMb'), '', r('first'), '', r('warm'), '', '']);
      }
    }
    if (floorM) {
      rowFor('floor', 'fetch + drain', floorM);
      const reads = stats(floorM, 'reads');
      if (reads) notes.unshift(`floor: the body (${pieces(chunking)} ${transport === 'tcp' ? 'writes' : 'chunks'}) arrived in ${Math.round(reads.median)} reads`);
    }
    const title = transport === 'tcp' ? `loopback HTTP server (own process), ${chunking} writes` : `in-process fetch, ${chunking} chunks`;
    console.log(`\n${title}`);
    console.log(table(['workload', 'client', 'ms', 'events/s', 'spread', 'ΔRSS MB', 'spread', 'first text ms', 'spread', 'warm', '× floor', 'ok'], rows));
    for (const note of notes) console.log(`  ${note}`);
  }
}

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
if (!opts['no-size']) {
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
  const raw = measurements.flatMap(({ client, workload, transport, chunking, runs }) => runs.map((r) => ({ client, workload, transport, chunking, ...r })));
  const meta = { started: started.toISOString(), finished: new Date().toISOString(), node: process.version, cpus: cpus().length, loadavg: loadavg(), deltas, rounds, timeoutMs, stream: { ...expected, toolJson: undefined, toolJsonBytes: expected.toolJson.length } };
  writeFileSync(opts.json, `${JSON.stringify({ meta, runs: raw, summary, imports, sizes }, null, 1)}\n`);
  log(`raw runs written to ${opts.json}`);
}
console.log(`stream-bench: ${passed} passed, ${dnf + wrong} failed`);
process.exit(wrong > 0 || (dnf > 0 && !opts['allow-dnf']) ? 1 : 0);
