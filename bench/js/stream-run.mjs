// One measurement of the stream benchmark, in a fresh Node process (started by stream-bench.mjs):
//   node --expose-gc bench/js/stream-run.mjs CLIENT WORKLOAD TRANSPORT CHUNKING DELTAS [PORT]
// CLIENT: sdk | wasm | fetch (the floor: WORKLOAD drain). WORKLOAD: iterate | text | streamEvent
// | drain. TRANSPORT: tcp (the sse-server on 127.0.0.1:PORT) | inproc (a fetch option that
// enqueues exactly the chunk sizes). Prints one JSON line; verifies the result and exits non-zero
// with the reason on stderr when it is wrong. (A first line `{"importMs":…}` comes before the request.)
import { isDeepStrictEqual } from 'node:util';
import { cachedBody, chunkSizes, textHash } from './synthetic.mjs';

const [clientName, workload, transport, chunking, deltasArg, port] = process.argv.slice(2);
const deltas = Number(deltasArg);
const usage = 'usage: stream-run.mjs sdk|wasm|fetch iterate|text|streamEvent|drain tcp|inproc 64k|tiny DELTAS [PORT]';
const workloads = { sdk: ['iterate', 'text', 'streamEvent'], wasm: ['iterate', 'text', 'streamEvent'], fetch: ['drain'] };
if (!workloads[clientName]?.includes(workload) || !['tcp', 'inproc'].includes(transport) || !(deltas > 0) || (transport === 'tcp' && !port)) {
  throw new Error(usage);
}

// Node loads its fetch and web streams lazily, on first use (~40 ms): load them now so neither
// the import time nor the first text of either client pays for the platform.
void [globalThis.fetch, Response, ReadableStream, Headers, TextDecoder];

const { expected, readBytes } = cachedBody(deltas);
const baseURL = transport === 'tcp' ? `http://127.0.0.1:${port}` : 'http://bench.invalid';
const bytes = transport === 'inproc' ? readBytes() : null;
// Node's fetch compiles its HTTP parser (llhttp, in wasm) at the first connection: one untimed
// request first, so that platform cost (~40 ms, the same for every client) stays out of the figures.
if (transport === 'tcp') await (await globalThis.fetch(`${baseURL}/health`)).text();

/** A fetch answering every request with the body, one enqueued chunk per pull, of the chosen sizes. */
function inprocFetch() {
  return async () => {
    const next = chunkSizes(chunking);
    let at = 0;
    const body = new ReadableStream({
      pull(controller) {
        if (at >= bytes.length) return controller.close();
        const end = Math.min(bytes.length, at + next());
        controller.enqueue(bytes.subarray(at, end));
        at = end;
      },
    }, { highWaterMark: 0 });
    return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream', 'request-id': 'req_bench' } });
  };
}
const fetch = transport === 'inproc' ? inprocFetch() : globalThis.fetch;

// Import time: module load, and for anthropic-wasm the wasm compile and instantiation.
const importStart = performance.now();
const Anthropic = clientName === 'sdk' ? (await import('@anthropic-ai/sdk')).default
  : clientName === 'wasm' ? (await import('anthropic-wasm')).default : null;
const importMs = clientName === 'fetch' ? null : performance.now() - importStart;
// Printed now, so a run that does not finish still reports its import time.
if (Anthropic) console.log(JSON.stringify({ importMs }));
const client = Anthropic && new Anthropic({ apiKey: 'sk-bench', baseURL, maxRetries: 0, ...(transport === 'inproc' ? { fetch } : {}) });
const params = { model: 'claude-bench', max_tokens: 200_000, messages: [{ role: 'user', content: 'bench' }] };

// Memory: the baseline is the RSS just before the request (after a GC, so the import's garbage
// does not count). The peak is the highest of a 2 ms sampler (it runs only when the event loop
// reaches its timers, which a stream fed by microtasks may not do) and of the kernel's maxRSS
// when the run raised it above its value at the baseline.
globalThis.gc?.();
const rssBefore = process.memoryUsage.rss();
const maxRssBefore = process.resourceUsage().maxRSS * 1024;
let sampledPeak = rssBefore;
const sampler = setInterval(() => (sampledPeak = Math.max(sampledPeak, process.memoryUsage.rss())), 2);

let firstTextMs = null;
let firstByteMs = null;
const start = performance.now();
const cpuStart = process.cpuUsage();
const sawText = () => {
  if (firstTextMs === null) firstTextMs = performance.now() - start;
};
const isTextDelta = (event) => event.type === 'content_block_delta' && event.delta.type === 'text_delta';

let events = 0;
let message = null;
let stream = null;
const checks = {};
if (workload === 'iterate') {
  stream = client.messages.stream(params);
  for await (const event of stream) {
    events++;
    if (firstTextMs === null && isTextDelta(event)) sawText();
  }
} else if (workload === 'text') {
  stream = client.messages.stream(params);
  let texts = 0;
  let snapshotLength = 0;
  stream.on('text', (delta, snapshot) => {
    sawText();
    texts++;
    snapshotLength = snapshot.length;
  });
  message = await stream.finalMessage();
  Object.assign(checks, { texts, snapshotLength });
} else if (workload === 'streamEvent') {
  stream = client.messages.stream(params);
  let touched = 0;
  stream.on('streamEvent', (event, snapshot) => {
    events++;
    touched += snapshot.content.length;
    if (firstTextMs === null && isTextDelta(event)) sawText();
  });
  message = await stream.finalMessage();
  checks.touched = touched;
} else {
  const response = await fetch(`${baseURL}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': 'sk-bench', 'anthropic-version': '2023-06-01' },
    body: JSON.stringify({ ...params, stream: true }),
  });
  let received = 0;
  let reads = 0; // how many pieces the body arrived in: over TCP, not the server's writes
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (firstByteMs === null) firstByteMs = performance.now() - start;
    received += value.length;
    reads++;
  }
  Object.assign(checks, { received, reads });
}
const ms = performance.now() - start;
const cpu = process.cpuUsage(cpuStart); // this process's user and system time while it ran
clearInterval(sampler);
const maxRssEnd = process.resourceUsage().maxRSS * 1024;
const peak = Math.max(sampledPeak, process.memoryUsage.rss(), maxRssEnd > maxRssBefore ? maxRssEnd : 0);

// Verification, after the clock stopped.
const fail = (what) => {
  console.error(`wrong result: ${what}`);
  process.exit(3);
};
if (workload === 'drain') {
  if (checks.received !== expected.bytes) fail(`${checks.received} bytes received, ${expected.bytes} sent`);
} else {
  const clientEvents = expected.events - expected.pings; // both SDKs keep pings from callers
  if (workload === 'iterate') message = await stream.finalMessage();
  if (workload !== 'text' && events !== clientEvents) fail(`${events} events seen, ${clientEvents} expected`);
  if (workload === 'text') {
    if (checks.texts !== expected.textDeltas) fail(`${checks.texts} text events, ${expected.textDeltas} expected`);
    if (checks.snapshotLength !== expected.textLength) fail(`last text snapshot ${checks.snapshotLength} long, ${expected.textLength} expected`);
  }
  if (workload === 'streamEvent' && !(checks.touched > 0)) fail('no snapshot content seen');
  const [text, tool] = message.content;
  if (message.content.length !== 2 || text?.type !== 'text' || tool?.type !== 'tool_use') {
    fail(`content is [${message.content.map((b) => b.type)}], expected [text, tool_use]`);
  }
  if (text.text.length !== expected.textLength || textHash(text.text) !== expected.textHash) {
    fail(`final text ${text.text.length} long (hash ${textHash(text.text)}), expected ${expected.textLength} (hash ${expected.textHash})`);
  }
  if (!isDeepStrictEqual(tool.input, JSON.parse(expected.toolJson))) fail('final tool input differs from the generated object');
  if (message.stop_reason !== 'tool_use' || message.usage?.output_tokens !== 123456) {
    fail(`stop_reason ${message.stop_reason}, output_tokens ${message.usage?.output_tokens}`);
  }
  if (firstTextMs === null) fail('no text delta seen');
}

// A second request in the same process, once everything is loaded and compiled: its first text,
// then abort. Untimed for the figures above; reported as `warmFirstTextMs`.
let warmFirstTextMs = null;
if (client) {
  const warmStart = performance.now();
  const warm = client.messages.stream(params);
  const ended = warm.done().catch(() => {});
  warmFirstTextMs = await new Promise((resolve, reject) => {
    warm.on('text', () => resolve(performance.now() - warmStart));
    warm.on('error', reject);
  });
  warm.abort();
  await Promise.race([ended, new Promise((resolve) => setTimeout(resolve, 5000))]);
}

console.log(JSON.stringify({
  client: clientName, workload, transport, chunking, deltas,
  ms, eventsPerSec: expected.events / (ms / 1000), mbPerSec: expected.bytes / 1e6 / (ms / 1000),
  events: expected.events, bytes: expected.bytes,
  deltaRssMb: (peak - rssBefore) / 2 ** 20, rssBeforeMb: rssBefore / 2 ** 20, peakRssMb: peak / 2 ** 20,
  maxRssRaised: maxRssEnd > maxRssBefore, sampledPeakMb: sampledPeak / 2 ** 20,
  firstTextMs, warmFirstTextMs, firstByteMs, importMs, cpuMs: { user: cpu.user / 1000, system: cpu.system / 1000 },
  ...(workload === 'drain' ? { reads: checks.reads } : {}),
}));
// A keep-alive socket to the server must not hold the process open.
process.exit(0);
