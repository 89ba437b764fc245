// The proxy Worker's guards with its default settings (issue 13): what a caller may send
// upstream with the Worker's key (body fields, betas, tools, body size, the exact bytes checked)
// and which upstream response headers it gets back. Run in workerd, behind the recording relay.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startDevserver } from '../../devserver/tests-node/helpers.mjs';
import { repoRoot, startRelay, startWorker } from './helpers.mjs';

const KEY = 'sk-ant-guards-secret-61c0d2';
const MODEL = 'claude-haiku-4-5';
/** The devserver's fault by model suffix (the proxy forwards no x-devserver-fault header). */
const RATE_LIMITED = `${MODEL}+fault=429:retry-after=3,should-retry=true`;
const API_HEADERS = { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' };
/** The default body-size cap (README.md: one image at the API's 5 MB limit, as base64, and the conversation). */
const MAX_BODY_BYTES = 8 * 1024 * 1024;

let devserver;
let relay;
let worker;

before(async () => {
  devserver = await startDevserver(['--api-key', KEY]);
  relay = await startRelay(devserver.url);
  // Only what any deployment must set: the allow-lists and the size cap keep their defaults.
  worker = await startWorker(path.join(repoRoot, 'examples', 'worker'), {
    ANTHROPIC_API_KEY: KEY,
    UPSTREAM_BASE_URL: relay.url,
    ALLOWED_MODELS: [MODEL, RATE_LIMITED],
    MAX_TOKENS_CAP: '3000',
  });
});

after(async () => {
  await worker?.dispose();
  relay?.close();
  await devserver?.stop();
});

const params = (extra = {}) => ({ model: MODEL, max_tokens: 50, messages: [{ role: 'user', content: 'Hello' }], ...extra });
const weatherTool = { name: 'get_weather', description: 'The weather', input_schema: { type: 'object', properties: { city: { type: 'string' } } } };

/** POSTs a body (a string as is, anything else as JSON) to the Worker's /v1/messages. */
async function post(body, headers = {}) {
  const response = await fetch(`${worker.url}/v1/messages`, {
    method: 'POST',
    headers: { ...API_HEADERS, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  assert.ok(!text.includes(KEY), 'the key in a reply');
  return { response, json: JSON.parse(text) };
}

async function assertRefused(body, headers, status, type, message) {
  const before = relay.seen.length;
  const { response, json } = await post(body, headers);
  assert.equal(response.status, status, JSON.stringify(json));
  assert.equal(json.type, 'error');
  assert.equal(json.error.type, type);
  assert.match(json.error.message, message);
  assert.equal(relay.seen.length, before, 'a refused request went upstream');
}

test('finding 1: body fields, betas and tools outside the default allow-lists are refused before going upstream', async () => {
  const refused = 'invalid_request_error';
  await assertRefused(params({ mcp_servers: [{ type: 'url', url: 'https://mcp.example/sse', name: 'x' }] }), {}, 400, refused, /^mcp_servers: /);
  await assertRefused(params({ container: 'container_011' }), {}, 400, refused, /^container: /);
  await assertRefused(params({ service_tier: 'auto' }), {}, 400, refused, /^service_tier: /);
  await assertRefused(params({ inference_geo: 'us' }), {}, 400, refused, /^inference_geo: /);
  await assertRefused(params({ tools: [{ type: 'web_search_20250305', name: 'web_search' }] }), {}, 400, refused, /^tools\.0: .*web_search_20250305/);
  await assertRefused(params({ tools: [weatherTool, { name: 'no_schema' }] }), {}, 400, refused, /^tools\.1: .*input_schema/);
  await assertRefused(params({ tools: [{ ...weatherTool, type: 'mcp_toolset' }] }), {}, 400, refused, /^tools\.0: .*mcp_toolset/);
  await assertRefused(params(), { 'anthropic-beta': 'mcp-client-2025-04-04' }, 400, refused, /^anthropic-beta: .*mcp-client-2025-04-04/);

  // The plain Messages API passes: client tools, tool_choice, thinking, sampling, metadata.
  const before = relay.seen.length;
  const { response, json } = await post(
    params({
      max_tokens: 2000,
      system: 'Be brief.',
      tools: [weatherTool, { ...weatherTool, type: 'custom', name: 'get_time' }],
      tool_choice: { type: 'auto' },
      thinking: { type: 'enabled', budget_tokens: 1024 },
      metadata: { user_id: 'u-1' },
      stop_sequences: ['###'],
      temperature: 1,
    }),
  );
  assert.equal(response.status, 200, JSON.stringify(json));
  assert.equal(relay.seen.length, before + 1);
});

test('finding 2: a body above the size cap gets 413 request_too_large, nothing upstream', async () => {
  const over = (bytes) => JSON.stringify(params({ system: 'x'.repeat(bytes - JSON.stringify(params({ system: '' })).length) }));
  const oneByteOver = over(MAX_BODY_BYTES + 1);
  assert.equal(Buffer.byteLength(oneByteOver), MAX_BODY_BYTES + 1);
  await assertRefused(oneByteOver, {}, 413, 'request_too_large', /8388608 bytes/);
  // The finding's 60 MB, and a body without content-length (chunked) over the cap.
  await assertRefused(over(60_000_000), {}, 413, 'request_too_large', /8388608 bytes/);
  const before = relay.seen.length;
  const chunk = new TextEncoder().encode('x'.repeat(1024 * 1024));
  let sent = 0;
  const chunked = new ReadableStream({
    pull(controller) {
      if (sent++ < 9) controller.enqueue(chunk);
      else controller.close();
    },
  });
  const response = await fetch(`${worker.url}/v1/messages`, { method: 'POST', headers: API_HEADERS, body: chunked, duplex: 'half' });
  assert.equal(response.status, 413);
  assert.equal((await response.json()).error.type, 'request_too_large');
  assert.equal(relay.seen.length, before);
});

test('finding 3: duplicate keys cannot smuggle a model or max_tokens: the body upstream is the one checked', async () => {
  // JSON.parse keeps the last duplicate; a parser upstream that keeps the first saw opus and 100000.
  const smuggled = `{"model":"claude-opus-4-1","max_tokens":100000,"messages":[{"role":"user","content":"Hi"}],"model":"${MODEL}","max_tokens":20}`;
  const before = relay.seen.length;
  await post(smuggled);
  assert.equal(relay.seen.length, before + 1);
  const forwarded = relay.seen.at(-1).body;
  assert.equal(forwarded, JSON.stringify(JSON.parse(smuggled)));
  assert.ok(!forwarded.includes('claude-opus-4-1') && !forwarded.includes('100000'), forwarded);
});

test('finding 4: only the allow-listed upstream response headers reach the caller (no anthropic-organization-id)', async () => {
  // The devserver sends anthropic-organization-id and anthropic-ratelimit-* as the API does.
  const direct = await fetch(`${devserver.url}/v1/messages`, { method: 'POST', headers: { ...API_HEADERS, 'x-api-key': KEY }, body: JSON.stringify(params()) });
  assert.ok(direct.headers.get('anthropic-organization-id'));
  assert.ok(direct.headers.get('anthropic-ratelimit-requests-remaining'));

  const forwarded = new Set(['content-type', 'request-id', 'retry-after', 'retry-after-ms', 'x-should-retry']);
  // Framing of the Worker's own reply, set by workerd (it gzips for a caller that accepts it;
  // the devserver sends no content-encoding).
  const framing = new Set(['content-length', 'transfer-encoding', 'content-encoding']);
  for (const body of [params(), params({ stream: true }), params({ model: RATE_LIMITED })]) {
    const response = await fetch(`${worker.url}/v1/messages`, { method: 'POST', headers: API_HEADERS, body: JSON.stringify(body) });
    await response.text();
    const names = [...response.headers.keys()];
    const extra = names.filter((name) => !forwarded.has(name) && !framing.has(name));
    assert.deepEqual(extra, [], `status ${response.status}: ${names.join(', ')}`);
    assert.match(response.headers.get('request-id'), /^req_/);
    assert.ok(response.headers.get('content-type'));
    if (response.status === 429) {
      assert.equal(response.headers.get('retry-after'), '3');
      assert.equal(response.headers.get('x-should-retry'), 'true');
    }
  }
});
