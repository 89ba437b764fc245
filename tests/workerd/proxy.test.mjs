// The example Worker (examples/worker), bundled by wrangler and run in real workerd, against the
// local Messages API server. Between the two sits a recording relay (a few lines of Node) that
// notes each upstream request's headers and whether the Worker hung up before the reply ended.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import Anthropic, { RateLimitError } from 'anthropic-wasm';
import { eventually, startDevserver } from '../../devserver/tests-node/helpers.mjs';
import { readEvents, repoRoot, startRelay, startWorker } from './helpers.mjs';

const KEY = 'sk-ant-worker-secret-7f3a9c41';
const ALLOWED_ORIGIN = 'https://demo.example';
const MODEL = 'claude-haiku-4-5';
// The devserver injects faults by model suffix; the allow-list names each one the tests use.
const FAULTY = {
  rateLimited: `${MODEL}+fault=429:retry-after=7`,
  overloaded: `${MODEL}+fault=529`,
  midStream: `${MODEL}+fault=error-after=3`,
};

let devserver;
let relay;
let worker;
/** Every reply the Worker gave in this file: status, headers and body text, for the key check. */
const replies = [];

before(async () => {
  // Paced at 200 tokens/s: replies take a measurable time, so timing and hang-ups can be seen.
  devserver = await startDevserver(['--api-key', KEY, '--tokens-per-second', '200']);
  relay = await startRelay(devserver.url);
  worker = await startWorker(path.join(repoRoot, 'examples', 'worker'), {
    ANTHROPIC_API_KEY: KEY,
    UPSTREAM_BASE_URL: relay.url,
    ALLOWED_MODELS: [MODEL, ...Object.values(FAULTY)].join(','),
    MAX_TOKENS_CAP: '3000',
    // Beyond the defaults (tests/workerd/proxy-guards.test.mjs): what these tests send, and more.
    ALLOWED_FIELDS: 'model,messages,max_tokens,system,stream,service_tier,tools',
    ALLOWED_TOOL_TYPES: 'web_search_20250305',
    ALLOWED_BETAS: 'b-1,b-2',
    ALLOWED_ORIGINS: `${ALLOWED_ORIGIN},https://other.example`,
    CHAT_MODEL: MODEL,
    CHAT_MAX_TOKENS: '300',
  });
});

after(async () => {
  await worker?.dispose();
  relay?.close();
  await devserver?.stop();
});

const API_HEADERS = { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' };
const params = (text, extra = {}) => ({ model: MODEL, max_tokens: 200, messages: [{ role: 'user', content: text }], ...extra });

/** POSTs JSON to the Worker and records the reply (body read in full unless `stream`). */
async function post(route, body, { headers = {}, signal, stream = false } = {}) {
  const response = await fetch(worker.url + route, {
    method: 'POST',
    headers: { ...API_HEADERS, ...headers },
    body: JSON.stringify(body),
    signal,
  });
  const reply = { status: response.status, headers: Object.fromEntries(response.headers), text: '' };
  replies.push(reply);
  if (stream) return { response, reply };
  reply.text = await response.text();
  return { response, reply, json: JSON.parse(reply.text) };
}

/** Reads a recorded streamed reply's events, keeping its text for the key check. */
async function events(response, reply, since, onEvent) {
  const read = await readEvents(response, since, onEvent);
  reply.text = read.map((event) => `event: ${event.event}\ndata: ${event.data}\n\n`).join('');
  return read;
}

function assertApiError(json, type) {
  assert.equal(json.type, 'error');
  assert.equal(json.error.type, type);
  assert.equal(typeof json.error.message, 'string');
}

test('a request is relayed with the Worker key; the caller’s own credentials are not forwarded', async () => {
  const before = relay.seen.length;
  const { response, json } = await post('/v1/messages', params('Hello through the proxy'), {
    headers: { 'x-api-key': 'sk-caller-own', authorization: 'Bearer caller-token', cookie: 'session=1', 'anthropic-beta': 'b-1' },
  });
  assert.equal(response.status, 200);
  assert.equal(json.type, 'message');
  assert.match(json.content[0].text, /Hello through the proxy/);
  assert.match(response.headers.get('request-id'), /^req_/);
  assert.equal(response.headers.get('set-cookie'), null);
  assert.equal(response.headers.get('access-control-allow-origin'), null);
  const sent = relay.seen.slice(before);
  assert.equal(sent.length, 1);
  assert.equal(sent[0].headers['x-api-key'], KEY);
  assert.equal(sent[0].headers.authorization, undefined);
  assert.equal(sent[0].headers.cookie, undefined);
  assert.equal(sent[0].headers['anthropic-version'], '2023-06-01');
  assert.equal(sent[0].headers['anthropic-beta'], 'b-1');
});

test('count_tokens is relayed', async () => {
  const { response, json } = await post('/v1/messages/count_tokens', { model: MODEL, messages: [{ role: 'user', content: 'Count these tokens' }] });
  assert.equal(response.status, 200);
  assert.ok(json.input_tokens > 0);
});

test('the SSE stream reaches the caller as it arrives, not when upstream ends', async () => {
  // ~200 output tokens at 200 tokens/s: about a second from first to last event upstream.
  const started = performance.now();
  const { response, reply } = await post('/v1/messages', params('count to 100', { max_tokens: 400, stream: true }), { stream: true });
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type'), /^text\/event-stream/);
  const read = await events(response, reply, started);
  const deltas = read.filter((event) => event.event === 'content_block_delta');
  const last = read.at(-1);
  assert.equal(last.event, 'message_stop');
  assert.ok(deltas.length > 50, `${deltas.length} deltas`);
  const spread = last.at - deltas[0].at;
  assert.ok(spread > 500, `first delta at ${deltas[0].at.toFixed(0)} ms, last event at ${last.at.toFixed(0)} ms: buffered?`);
  // Arrivals are spread over the whole reply: the middle delta comes well before the end too.
  const middle = deltas[Math.floor(deltas.length / 2)];
  assert.ok(last.at - middle.at > spread / 4, `middle delta at ${middle.at.toFixed(0)} ms`);
});

test('a caller that hangs up mid-stream makes the Worker abort the upstream request', async () => {
  // ~2000 tokens at 200 tokens/s: ten seconds upstream if nobody stops it.
  const controller = new AbortController();
  const started = performance.now();
  const { response, reply } = await post('/v1/messages', params('count to 1000', { max_tokens: 2500, stream: true }), {
    stream: true,
    signal: controller.signal,
  });
  const logsBefore = devserver.logs.length;
  const record = relay.seen.at(-1);
  const read = await events(response, reply, started, (event) => event.event === 'content_block_delta').catch(() => []);
  assert.ok(read.length >= 2);
  controller.abort();
  const hungUpAt = performance.now();
  await eventually(() => record.hungUp, 3000, 'the Worker closed its upstream connection');
  assert.equal(record.finished, false, 'the upstream reply had already ended');
  // The devserver saw its client (the relay, closed by the Worker's hang-up) go away.
  await eventually(
    () => devserver.logs.slice(logsBefore).some((line) => /^POST \/v1\/messages 200 .*\(client went away\)$/.test(line)),
    3000,
    'the devserver logged the hang-up',
  );
  assert.ok(performance.now() - hungUpAt < 3000);
});

test('429 is relayed with its status, body and retry-after', async () => {
  const { response, json } = await post('/v1/messages', params('hi', { model: FAULTY.rateLimited }));
  assert.equal(response.status, 429);
  assertApiError(json, 'rate_limit_error');
  assert.equal(response.headers.get('retry-after'), '7');
  assert.match(response.headers.get('request-id'), /^req_/);
});

test('529 is relayed with its status and body', async () => {
  const { response, json } = await post('/v1/messages', params('hi', { model: FAULTY.overloaded, stream: true }));
  assert.equal(response.status, 529);
  assertApiError(json, 'overloaded_error');
});

test('an error event mid-stream reaches the caller after the events before it', async () => {
  const { response, reply } = await post('/v1/messages', params('Tell me a story', { model: FAULTY.midStream, stream: true }), { stream: true });
  assert.equal(response.status, 200);
  const read = await events(response, reply, performance.now());
  assert.equal(read.filter((event) => event.event === 'content_block_delta').length, 3);
  const last = read.at(-1);
  assert.equal(last.event, 'error');
  assertApiError(JSON.parse(last.data), 'overloaded_error');
});

test('the package in Node uses the Worker as its baseURL, with no key of its own', async () => {
  const client = new Anthropic({ baseURL: worker.url, maxRetries: 0 });
  const stream = client.messages.stream(params('Hello via anthropic-wasm'));
  const deltas = [];
  stream.on('text', (text) => deltas.push(text));
  const message = await stream.finalMessage();
  assert.ok(deltas.length > 1);
  assert.equal(message.content[0].text, deltas.join(''));
  await assert.rejects(client.messages.create(params('hi', { model: FAULTY.rateLimited })), RateLimitError);
});

test('models outside the allow-list are refused with the API’s 400, before going upstream', async () => {
  const before = relay.seen.length;
  for (const [route, body] of [
    ['/v1/messages', params('hi', { model: 'claude-opus-4-1' })],
    ['/v1/messages/count_tokens', { model: 'claude-opus-4-1', messages: [{ role: 'user', content: 'hi' }] }],
    ['/v1/messages', params('hi', { model: undefined })],
    ['/v1/messages', params('hi', { model: 'x\nPOST /forged 200' })],
  ]) {
    const { response, json } = await post(route, body);
    assert.equal(response.status, 400, route);
    assertApiError(json, 'invalid_request_error');
    assert.match(json.error.message, /^model: /);
  }
  assert.equal(relay.seen.length, before);
  await eventually(() => worker.logs.some((line) => line.includes('/forged')), 2000, 'the refused request was logged');
  assert.ok(!worker.logs.some((line) => line.startsWith('POST /forged')), 'a model string forged a log line');
});

test('max_tokens above the cap is refused; at the cap it goes through', async () => {
  const before = relay.seen.length;
  const over = await post('/v1/messages', params('hi', { max_tokens: 3001 }));
  assert.equal(over.response.status, 400);
  assertApiError(over.json, 'invalid_request_error');
  assert.match(over.json.error.message, /^max_tokens: 3001 .*cap of 3000/);
  const notInteger = await post("/v1/messages", params("hi", { max_tokens: "10" }));
  assert.equal(notInteger.response.status, 400);
  assert.equal(relay.seen.length, before);
  const atCap = await post('/v1/messages', params('hi', { max_tokens: 3000 }));
  assert.equal(atCap.response.status, 200);
});

test('configured allow-lists let their fields, tool types and betas through, and only those', async () => {
  const before = relay.seen.length;
  const webSearch = { type: 'web_search_20250305', name: 'web_search' };
  await post('/v1/messages', params('hi', { service_tier: 'auto', tools: [webSearch] }), { headers: { 'anthropic-beta': 'b-2, b-1' } });
  assert.equal(relay.seen.length, before + 1);
  assert.deepEqual(JSON.parse(relay.seen.at(-1).body).tools, [webSearch]);
  assert.equal(relay.seen.at(-1).headers['anthropic-beta'], 'b-2, b-1');
  for (const [body, headers] of [
    [params('hi', { temperature: 1 }), {}],
    [params('hi', { tools: [{ type: 'code_execution_20250825', name: 'code_execution' }] }), {}],
    [params('hi'), { 'anthropic-beta': 'b-1,b-3' }],
  ]) {
    const { response, json } = await post('/v1/messages', body, { headers });
    assert.equal(response.status, 400);
    assert.match(json.error.message, /not allowed by this proxy/);
  }
  assert.equal(relay.seen.length, before + 1);
});

test('a body that is not a JSON object gets the API’s 400', async () => {
  const response = await fetch(`${worker.url}/v1/messages`, { method: 'POST', headers: API_HEADERS, body: '{"model":' });
  const reply = { status: response.status, headers: Object.fromEntries(response.headers), text: await response.text() };
  replies.push(reply);
  assert.equal(response.status, 400);
  assertApiError(JSON.parse(reply.text), 'invalid_request_error');
});

test('CORS: preflight and requests from allowed origins are answered, other origins refused', async () => {
  const preflight = (origin) =>
    fetch(`${worker.url}/v1/messages`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, anthropic-version' },
    });
  const allowed = await preflight(ALLOWED_ORIGIN);
  assert.equal(allowed.status, 204);
  assert.equal(allowed.headers.get('access-control-allow-origin'), ALLOWED_ORIGIN);
  assert.match(allowed.headers.get('access-control-allow-methods'), /POST/);
  assert.equal(allowed.headers.get('access-control-allow-headers'), 'content-type, anthropic-version');
  assert.match(allowed.headers.get('vary'), /Origin/i);

  const refused = await preflight('https://evil.example');
  assert.equal(refused.status, 403);
  assert.equal(refused.headers.get('access-control-allow-origin'), null);

  const fromAllowed = await post('/v1/messages', params('hi'), { headers: { origin: ALLOWED_ORIGIN } });
  assert.equal(fromAllowed.response.status, 200);
  assert.equal(fromAllowed.response.headers.get('access-control-allow-origin'), ALLOWED_ORIGIN);
  assert.match(fromAllowed.response.headers.get('access-control-expose-headers'), /request-id/);

  const before = relay.seen.length;
  const fromOther = await post('/v1/messages', params('hi'), { headers: { origin: 'https://evil.example' } });
  assert.equal(fromOther.response.status, 403);
  assertApiError(fromOther.json, 'permission_error');
  assert.equal(fromOther.response.headers.get('access-control-allow-origin'), null);
  assert.equal(relay.seen.length, before, 'a refused origin never reaches upstream');

  const noOrigin = await post('/v1/messages', params('hi'));
  assert.equal(noOrigin.response.headers.get('access-control-allow-origin'), null);
});

test('/chat streams text events and ends with the usage', async () => {
  const started = performance.now();
  const body = { system: 'Be brief.', messages: [{ role: 'user', content: 'count to 60' }] };
  const { response, reply } = await post('/chat', body, { stream: true });
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type'), /^text\/event-stream/);
  const read = await events(response, reply, started);
  const texts = read.filter((event) => event.event === 'text');
  assert.ok(texts.length > 10, `${texts.length} text events`);
  const done = read.at(-1);
  assert.equal(done.event, 'done');
  assert.ok(done.at - texts[0].at > 200, 'text arrived as it was generated');
  const final = JSON.parse(done.data);
  assert.equal(final.stop_reason, 'end_turn');
  assert.ok(final.usage.input_tokens > 0 && final.usage.output_tokens > 0);
  // The same request straight to the devserver (deterministic) gives the same text.
  const direct = await fetch(`${devserver.url}/v1/messages`, {
    method: 'POST',
    headers: { ...API_HEADERS, 'x-api-key': KEY },
    body: JSON.stringify({ model: MODEL, max_tokens: 300, ...body }),
  }).then((r) => r.json());
  assert.equal(texts.map((event) => JSON.parse(event.data).text).join(''), direct.content[0].text);
  assert.deepEqual(final.usage.output_tokens, direct.usage.output_tokens);
});

test('/chat validates its body', async () => {
  for (const body of [{}, { messages: [] }, { messages: [{ role: 'system', content: 'x' }] }, { messages: [{ role: 'user', content: 5 }] }, { messages: [{ role: 'user', content: 'x' }], system: 1 }]) {
    const { response, json } = await post('/chat', body);
    assert.equal(response.status, 400, JSON.stringify(body));
    assertApiError(json, 'invalid_request_error');
  }
});

test('/chat: a caller that hangs up aborts the upstream stream', async () => {
  const controller = new AbortController();
  const { response, reply } = await post('/chat', { messages: [{ role: 'user', content: 'count to 1000' }] }, { stream: true, signal: controller.signal });
  const record = relay.seen.at(-1);
  await events(response, reply, performance.now(), (event) => event.event === 'text').catch(() => []);
  controller.abort();
  await eventually(() => record.hungUp, 3000, 'the Worker closed its upstream connection');
  assert.equal(record.finished, false);
});

test('unknown routes and methods get API-shaped errors', async () => {
  const missing = await fetch(`${worker.url}/v1/models`);
  assert.equal(missing.status, 404);
  assertApiError(await missing.json(), 'not_found_error');
  const wrongMethod = await fetch(`${worker.url}/v1/messages`);
  assert.equal(wrongMethod.status, 405);
});

test('the key appears in no reply and in no line the Worker logged', () => {
  assert.ok(replies.length > 20, `${replies.length} replies recorded`);
  for (const reply of replies) {
    assert.ok(!JSON.stringify(reply.headers).includes(KEY), `key in the headers of a ${reply.status} reply`);
    assert.ok(!reply.text.includes(KEY), `key in the body of a ${reply.status} reply`);
  }
  // The log is really captured: one line per request.
  assert.ok(worker.logs.some((line) => /^POST \/v1\/messages 200 \d+ms model=claude-haiku-4-5/.test(line)), worker.logs.join('\n'));
  assert.ok(worker.logs.some((line) => line.startsWith('POST /chat 200')));
  for (const line of worker.logs) assert.ok(!line.includes(KEY), `key in the log line: ${line}`);
});
