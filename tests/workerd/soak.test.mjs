// Soak (issue 13): rounds of SOAK_STREAMS (50) concurrent streams through the proxy Worker in
// workerd and as many straight to the devserver, with faults (dropped connections, error events,
// malformed data, error statuses) and client aborts at random byte offsets, for SOAK_SECONDS
// (30; a long run: SOAK_SECONDS=900). Checks: no crash (both servers answer afterwards, no
// uncaught error logged), every failed stream's partial message holds what arrived, the key in
// no response header, body, error or log line, and no growth of the client's timers, handles,
// abort listeners or memory beyond the bounds below. Replay a run with SOAK_SEED.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { getEventListeners, setMaxListeners } from 'node:events';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import Anthropic from 'anthropic-wasm';
import { startDevserver } from '../../devserver/tests-node/helpers.mjs';
import { repoRoot, startWorker } from './helpers.mjs';

const KEY = 'sk-ant-soak-fake-key-3b9e04d7c1';
const MODEL = 'claude-haiku-4-5';
const SECONDS = Number(process.env.SOAK_SECONDS ?? 30);
const STREAMS = Number(process.env.SOAK_STREAMS ?? 50);
const SEED = Number(process.env.SOAK_SEED ?? Date.now() % 1_000_000);
/** Bounds on the client process after the soak, against the same figures after a warm-up round:
 * the JS heap, and the memory outside it (`external`: the wasm memory, whose growth it counts
 * byte for byte, and the ArrayBuffers). Not RSS: with both of these flat, it grew from 2 to
 * 57 MiB between runs (glibc's arenas, V8's committed pages), so a bound on it
 * failed one run in four without any leak; it stays in the diagnostics. */
const MAX_HEAP_GROWTH = 16 * 1024 * 1024;
const MAX_EXTERNAL_GROWTH = 4 * 1024 * 1024;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc');

/** mulberry32: the run's random choices, replayable from SOAK_SEED. */
let state = SEED;
function random() {
  state = (state + 0x6d2b79f5) | 0;
  let t = Math.imul(state ^ (state >>> 15), 1 | state);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const between = (low, high) => low + Math.floor(random() * (high - low + 1));

let devserver;
let worker;
/** A signal every stream without its own is given, never aborted: its listeners must not pile up. */
const appLifetime = new AbortController();
setMaxListeners(4 * STREAMS, appLifetime.signal);
/** Per request id (x-soak-id): the stream and the byte offset at which the client aborts it. */
const plans = new Map();
const leaks = [];
let responses = 0;
/** Streams that failed in a way their kind does not allow, with the error's causes. */
const unexpected = [];
/** Failed streams whose partial message was checked against what arrived. */
let partials = 0;

/**
 * The clients' fetch: sees every raw response (headers, and the body bytes as they pass) for the
 * key, and aborts a stream once `abortAt` body bytes went by.
 */
async function watchingFetch(url, init) {
  const plan = plans.get(new Headers(init.headers).get('x-soak-id'));
  const response = await fetch(url, init);
  responses++;
  const headers = JSON.stringify([...response.headers]);
  if (headers.includes(KEY)) leaks.push(`response headers of ${url}`);
  if (response.body === null) return response;
  const decoder = new TextDecoder();
  let tail = '';
  let seen = 0;
  const watched = response.body.pipeThrough(
    new TransformStream({
      transform(chunk, controller) {
        const text = tail + decoder.decode(chunk, { stream: true });
        if (text.includes(KEY)) leaks.push(`response body of ${url}`);
        tail = text.slice(-KEY.length);
        controller.enqueue(chunk);
        seen += chunk.byteLength;
        if (plan?.abortAt !== undefined && seen >= plan.abortAt) plan.stream?.abort();
      },
    }),
  );
  return new Response(watched, { status: response.status, statusText: response.statusText, headers: response.headers });
}

before(async () => {
  // Paced, so streams overlap and aborts land mid-stream; keyed, so the Worker must add the key.
  devserver = await startDevserver([
    '--api-key', KEY, '--tokens-per-second', '1500',
    // 50 streams straight and 50 through the Worker, with their pooled connections: above the
    // default cap of 64, which would answer 503.
    '--max-connections', '512',
  ]);
  worker = await startWorker(path.join(repoRoot, 'examples', 'worker'), {
    ANTHROPIC_API_KEY: KEY,
    UPSTREAM_BASE_URL: devserver.url,
    ALLOWED_MODELS: '*',
    MAX_TOKENS_CAP: '4096',
  });
});

after(async () => {
  await worker?.dispose();
  await devserver?.stop();
});

/** What a stream is asked to do: its model suffix (a devserver fault) and a client abort offset. */
function scenario() {
  const count = between(20, 200);
  const pick = random();
  if (pick < 0.25) return { kind: 'complete', count };
  // A stream of `count to N` is about 1,000 + 120 × N bytes: offsets fall anywhere in it, or
  // past its end for about one stream in seven.
  const offset = () => between(0, 1000 + 140 * count);
  if (pick < 0.45) return { kind: 'drop', count, fault: `drop-after=${offset()}` };
  if (pick < 0.6) return { kind: 'error-event', count, fault: `error-after=${between(0, 20)}` };
  if (pick < 0.65) return { kind: 'malformed', count, fault: 'malformed' };
  if (pick < 0.7) return { kind: 'status', count, fault: random() < 0.5 ? '529' : '429' };
  if (pick < 0.8) return { kind: 'signal-abort', count, abortAfterMs: between(0, 400) };
  return { kind: 'byte-abort', count, abortAt: offset() };
}

/** Runs one stream; returns its outcome, throwing on a broken promise of the package. */
async function runStream(client, id, plan) {
  const model = plan.fault ? `${MODEL}+fault=${plan.fault}` : MODEL;
  const own = plan.abortAfterMs === undefined ? null : new AbortController();
  plans.set(id, plan);
  const stream = client.messages.stream(
    { model, max_tokens: 1000, messages: [{ role: 'user', content: `count to ${plan.count}` }] },
    { signal: own?.signal ?? appLifetime.signal, headers: { 'x-soak-id': id } },
  );
  plan.stream = stream;
  let started = false;
  let text = '';
  stream.on('streamEvent', (event) => {
    if (event.type === 'message_start') started = true;
  });
  stream.on('text', (delta) => (text += delta));
  const timer = own && setTimeout(() => own.abort(), plan.abortAfterMs);
  try {
    const message = await stream.finalMessage();
    assert.equal(message.content[0]?.text ?? '', text, `${id}: the final text is the deltas`);
    if (!EXPECTED[plan.kind].includes('completed')) unexpected.push(`${id} (${plan.kind} ${plan.fault}): completed`);
    return 'completed';
  } catch (error) {
    const said = `${String(error)} ${error.stack ?? ''} ${JSON.stringify(error.error ?? null)}`;
    if (said.includes(KEY)) leaks.push(`error of ${id}`);
    if (started) {
      // The partial message holds everything that arrived before the failure.
      assert.ok(error.partialMessage, `${id} (${plan.kind}): no partial message on ${error.name}`);
      assert.equal(stream.currentMessage, error.partialMessage);
      const partialText = error.partialMessage.content.map((block) => block.text ?? '').join('');
      assert.equal(partialText, text, `${id}: the partial text is the deltas`);
      if (JSON.stringify(error.partialMessage).includes(KEY)) leaks.push(`partial message of ${id}`);
      partials++;
    }
    if (!EXPECTED[plan.kind].includes(error.name)) {
      const causes = [];
      for (let cause = error.cause; cause; cause = cause.cause) causes.push(`${cause.name}: ${cause.message} ${cause.code ?? ''}`);
      unexpected.push(`${id} (${plan.kind} ${plan.fault ?? ''}): ${error.name}: ${error.message} (${causes.join('; ')})`);
    }
    return error.name;
  } finally {
    clearTimeout(timer);
    plans.delete(id);
  }
}

/** Counts outcome per scenario kind: `outcomes[kind][outcome]`. */
function tally(outcomes, kind, outcome) {
  const counts = (outcomes[kind] ??= {});
  counts[outcome] = (counts[outcome] ?? 0) + 1;
}

/** What each kind may end in: past-the-end offsets and late aborts complete. */
const EXPECTED = {
  complete: ['completed'],
  drop: ['completed', 'APIConnectionError', 'AnthropicError'],
  'error-event': ['APIError'],
  malformed: ['AnthropicError'],
  status: ['InternalServerError', 'OverloadedError', 'RateLimitError'],
  'signal-abort': ['completed', 'APIUserAbortError'],
  'byte-abort': ['completed', 'APIUserAbortError'],
};

/** One round: STREAMS concurrent streams through the Worker and STREAMS to the devserver. */
async function round(clients, number, outcomes) {
  const runs = [];
  for (const [target, client] of Object.entries(clients)) {
    for (let i = 0; i < STREAMS; i++) {
      const id = `${target}-${number}-${i}`;
      const plan = scenario();
      runs.push(runStream(client, id, plan).then((outcome) => tally(outcomes, plan.kind, outcome)));
    }
  }
  await Promise.all(runs);
}

/** The client process after a settle: handles by type, abort listeners, memory after gc. */
async function measure() {
  // Idle keep-alive sockets close after undici's 4 s; wait for the pool to drain (at most 10 s).
  const sockets = () => process.getActiveResourcesInfo().filter((type) => type === 'TCPSocketWrap').length;
  for (let waited = 0; sockets() > 0 && waited < 10_000; waited += 250) await new Promise((resolve) => setTimeout(resolve, 250));
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
  const resources = {};
  for (const type of process.getActiveResourcesInfo()) resources[type] = (resources[type] ?? 0) + 1;
  const { rss, heapUsed, external } = process.memoryUsage();
  return { resources, listeners: getEventListeners(appLifetime.signal, 'abort').length, rss, heapUsed, external };
}

const mib = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

test(`soak: ${STREAMS} concurrent streams through the Worker and to the devserver, faults and aborts at random byte offsets`, async (t) => {
  const clients = {
    // One retry, as users have (the default is 2): a `drop-after` offset past a reply's end
    // closes a keep-alive connection the pool may just have handed to the next request, whose
    // POST then fails before any byte ("fetch failed", about once in 25,000 streams without it).
    // A retry never hides a mid-stream failure: only a request with no reply yet is sent again.
    worker: new Anthropic({ baseURL: worker.url, maxRetries: 1, fetch: watchingFetch }),
    direct: new Anthropic({ baseURL: devserver.url, apiKey: KEY, maxRetries: 1, fetch: watchingFetch }),
  };
  t.diagnostic(`seed: ${SEED}`);
  const outcomes = {};
  await round(clients, 0, outcomes);
  const baseline = await measure();

  const started = performance.now();
  let rounds = 0;
  let peakListeners = 0;
  const sample = setInterval(() => (peakListeners = Math.max(peakListeners, getEventListeners(appLifetime.signal, 'abort').length)), 20);
  while (performance.now() - started < SECONDS * 1000) await round(clients, ++rounds, outcomes);
  clearInterval(sample);
  const seconds = (performance.now() - started) / 1000;
  const end = await measure();

  // No crash: both servers still answer, nothing logged an uncaught error or a panic.
  const hello = { model: MODEL, max_tokens: 20, messages: [{ role: 'user', content: 'Hello' }] };
  for (const client of Object.values(clients)) assert.equal((await client.messages.create(hello)).type, 'message');
  const crashes = [...worker.logs, ...devserver.logs].filter((line) => /uncaught|panicked|internal error/i.test(line));
  assert.deepEqual(crashes, []);

  // The key: in no response (headers, bodies: checked as they passed), error, or log line.
  const logged = [...worker.logs, ...devserver.logs].filter((line) => line.includes(KEY));
  assert.deepEqual(leaks, []);
  assert.deepEqual(logged, []);

  const streams = (rounds + 1) * STREAMS * 2;
  const figures = {
    seconds: Number(seconds.toFixed(1)),
    rounds,
    streams,
    responses,
    outcomes,
    partialMessagesChecked: partials,
    rss: `${mib(baseline.rss)} -> ${mib(end.rss)}`,
    heapUsed: `${mib(baseline.heapUsed)} -> ${mib(end.heapUsed)}`,
    external: `${mib(baseline.external)} -> ${mib(end.external)}`,
    resources: `${JSON.stringify(baseline.resources)} -> ${JSON.stringify(end.resources)}`,
    abortListeners: `${baseline.listeners} -> ${end.listeners} (peak ${peakListeners})`,
  };
  for (const [name, value] of Object.entries(figures)) t.diagnostic(`${name}: ${typeof value === 'string' ? value : JSON.stringify(value)}`);

  assert.deepEqual(unexpected, []);
  assert.deepEqual(Object.keys(outcomes).sort(), Object.keys(EXPECTED).sort(), 'a kind of stream never ran');
  assert.ok(peakListeners > 0, 'the lifetime signal was never listened to: the check would prove nothing');
  assert.equal(end.listeners, 0, 'abort listeners left on the caller’s signal');
  for (const type of ['Timeout', 'TCPSocketWrap', 'FSReqCallback']) {
    assert.ok((end.resources[type] ?? 0) <= (baseline.resources[type] ?? 0), `${type}: ${figures.resources}`);
  }
  assert.ok(end.heapUsed - baseline.heapUsed <= MAX_HEAP_GROWTH, `heap grew ${mib(end.heapUsed - baseline.heapUsed)}`);
  assert.ok(end.external - baseline.external <= MAX_EXTERNAL_GROWTH, `external memory grew ${mib(end.external - baseline.external)}`);
});
