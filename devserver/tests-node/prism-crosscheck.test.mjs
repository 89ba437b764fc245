// Cross-check of the devserver's request validation against Prism running Anthropic's official
// OpenAPI spec: the same accept/reject verdict on every request below (Prism rejects with 422
// and `sl-violations`, the devserver with 400). Where the spec and the real API disagree, the
// case is listed as a known divergence and the devserver must follow the real API.
// The spec is ../shared/reference/anthropic-openapi.yaml beside the repository (or
// $ANTHROPIC_OPENAPI_SPEC).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { repoRoot, startDevserver } from './helpers.mjs';

const spec = process.env.ANTHROPIC_OPENAPI_SPEC ?? path.join(repoRoot, '..', 'shared', 'reference', 'anthropic-openapi.yaml');
const M = 'claude-haiku-4-5';
const user = (content) => ({ role: 'user', content });
const base = (extra = {}) => ({ model: M, max_tokens: 100, messages: [user('Hi')], ...extra });
const png = (() => {
  // A 1×1 PNG.
  return 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
})();
const imageBlock = (media, data = png) => ({ type: 'image', source: { type: 'base64', media_type: media, data } });
const tool = { name: 'get_weather', input_schema: { type: 'object', properties: { location: { type: 'string' } } } };

// Both must accept.
const good = {
  'minimal string content': base(),
  'text blocks': base({ messages: [user([{ type: 'text', text: 'Hello' }])] }),
  'system string': base({ system: 'Be brief.' }),
  'system blocks with cache_control': base({ system: [{ type: 'text', text: 'Rules.', cache_control: { type: 'ephemeral', ttl: '1h' } }] }),
  'multi-turn': base({ messages: [user('Hi'), { role: 'assistant', content: 'Hello!' }, user('How are you?')] }),
  'prefill on a model that allows it': base({ messages: [user('Hi'), { role: 'assistant', content: 'Well,' }] }),
  'stop_sequences': base({ stop_sequences: ['END', '\n\nHuman:'] }),
  'sampling parameters': base({ temperature: 0.5, top_p: 0.9, top_k: 5 }),
  'metadata.user_id': base({ metadata: { user_id: 'user-123' } }),
  'tools with tool_choice auto': base({ tools: [tool], tool_choice: { type: 'auto' } }),
  'tool_choice naming a tool': base({ tools: [tool], tool_choice: { type: 'tool', name: 'get_weather', disable_parallel_tool_use: true } }),
  'tool_use then tool_result': base({
    tools: [tool],
    messages: [
      user('Weather?'),
      { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_01A', name: 'get_weather', input: { location: 'Paris' } }] },
      user([{ type: 'tool_result', tool_use_id: 'toolu_01A', content: '21C' }]),
    ],
  }),
  'base64 PNG image': base({ messages: [user([imageBlock('image/png'), { type: 'text', text: 'What is this?' }])] }),
  'URL image': base({ messages: [user([{ type: 'image', source: { type: 'url', url: 'https://example.com/a.png' } }])] }),
  'thinking enabled': base({ max_tokens: 2048, thinking: { type: 'enabled', budget_tokens: 1024 } }),
  'thinking adaptive': base({ thinking: { type: 'adaptive', display: 'omitted' } }),
  'plain-text document': base({ messages: [user([{ type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'Doc.' }, title: 'T' }])] }),
  'stream: true': base({ stream: true }),
  'structured output format': base({ output_config: { format: { type: 'json_schema', schema: { type: 'object', properties: {} } } } }),
  'service_tier': base({ service_tier: 'standard_only' }),
  'max_tokens 0 (cache pre-warm)': base({ max_tokens: 0 }),
};

// Both must reject.
const bad = {
  'missing model': { max_tokens: 10, messages: [user('Hi')] },
  'missing max_tokens': { model: M, messages: [user('Hi')] },
  'missing messages': { model: M, max_tokens: 10 },
  'unknown top-level field': base({ frobnicate: 1 }),
  'role robot': base({ messages: [{ role: 'robot', content: 'Hi' }] }),
  'temperature above 1': base({ temperature: 1.5 }),
  'top_k below 0': base({ top_k: -1 }),
  'max_tokens as a string': base({ max_tokens: 'ten' }),
  'unknown block type': base({ messages: [user([{ type: 'hologram', text: 'x' }])] }),
  'text block without text': base({ messages: [user([{ type: 'text' }])] }),
  'empty text block': base({ messages: [user([{ type: 'text', text: '' }])] }),
  'image media type not allowed': base({ messages: [user([imageBlock('image/bmp')])] }),
  'image data not base64': base({ messages: [user([imageBlock('image/png', '!!!not base64')])] }),
  'tool_choice tool without a name': base({ tools: [tool], tool_choice: { type: 'tool' } }),
  'tool name with a space': base({ tools: [{ ...tool, name: 'get weather' }] }),
  'thinking budget below 1024': base({ max_tokens: 2048, thinking: { type: 'enabled', budget_tokens: 100 } }),
  'stop_sequences not a list': base({ stop_sequences: 'END' }),
  'metadata with an unknown key': base({ metadata: { user: 'x' } }),
  'message with an extra key': base({ messages: [{ role: 'user', content: 'Hi', name: 'bob' }] }),
  'cache_control ttl not allowed': base({ system: [{ type: 'text', text: 'x', cache_control: { type: 'ephemeral', ttl: '2h' } }] }),
};

// The spec and the real API disagree: [request, Prism's verdict, the devserver's status (the real API's)].
const divergences = {
  'empty messages (the API needs one)': [base({ messages: [] }), 'accept', 400],
  'assistant first (the API needs a user turn first)': [base({ messages: [{ role: 'assistant', content: 'Hi' }] }), 'accept', 400],
  'system role mid-conversation (2026 API accepts it, the spec does not)': [
    base({ messages: [user('Hi'), { role: 'system', content: 'Be brief.' }, user('Go')] }),
    'reject',
    200,
  ],
  'empty string content': [base({ messages: [user('')] }), 'accept', 400],
  'whitespace-only text block': [base({ messages: [user([{ type: 'text', text: '   ' }])] }), 'accept', 400],
  'prefill on a model that rejects prefill': [
    base({ model: 'claude-opus-4-7', messages: [user('Hi'), { role: 'assistant', content: 'Hello' }] }),
    'accept',
    400,
  ],
  'prefill ending in white space': [base({ messages: [user('Hi'), { role: 'assistant', content: 'Hello ' }] }), 'accept', 400],
  'PNG bytes declared as image/jpeg': [base({ messages: [user([imageBlock('image/jpeg')])] }), 'accept', 400],
  'tool_result without its tool_use': [base({ messages: [user([{ type: 'tool_result', tool_use_id: 'toolu_x', content: 'r' }])] }), 'accept', 400],
  'tool_choice naming a tool not in tools': [base({ tools: [tool], tool_choice: { type: 'tool', name: 'other' } }), 'accept', 400],
  'thinking budget not below max_tokens': [base({ max_tokens: 1024, thinking: { type: 'enabled', budget_tokens: 1024 } }), 'accept', 400],
  'max_tokens above the model limit': [base({ max_tokens: 1_000_000 }), 'accept', 400],
  'unknown model (404)': [base({ model: 'claude-imaginary-1' }), 'accept', 404],
};

let prism;
let prismUrl;
let devserver;

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

before(async () => {
  assert.ok(existsSync(spec), `OpenAPI spec not found at ${spec} (set ANTHROPIC_OPENAPI_SPEC)`);
  devserver = await startDevserver(['--quiet']);
  const port = await freePort();
  prismUrl = `http://127.0.0.1:${port}`;
  prism = spawn(path.join(repoRoot, 'node_modules', '.bin', 'prism'), ['mock', '-h', '127.0.0.1', '-p', String(port), spec], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  process.once('exit', () => prism.kill());
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('Prism did not start within 60 s')), 60_000);
    prism.once('exit', (code) => reject(new Error(`Prism exited with ${code}`)));
    const watch = (chunk) => {
      if (chunk.toString().includes('Prism is listening')) {
        clearTimeout(timer);
        resolve();
      }
    };
    prism.stdout.on('data', watch);
    prism.stderr.on('data', watch);
  });
});

after(async () => {
  await devserver?.stop();
  if (prism && prism.exitCode === null) {
    await new Promise((resolve) => {
      prism.once('exit', resolve);
      prism.kill();
    });
  }
});

async function post(url, body) {
  const response = await fetch(`${url}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', 'x-api-key': 'sk-test' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, violations: response.headers.get('sl-violations') ?? '', text };
}

/** Prism's verdict: a request-side violation means 422 (bad JSON would be 400). */
function prismVerdict({ status, violations }) {
  if (status === 422 || status === 400) {
    assert.match(violations, /"request"|request/, 'Prism names a request violation');
    return 'reject';
  }
  assert.equal(status, 200);
  return 'accept';
}

function ourVerdict({ status, text }) {
  if (status === 200) return 'accept';
  assert.ok(status === 400 || status === 404, `devserver status ${status}: ${text}`);
  const body = JSON.parse(text);
  assert.equal(body.type, 'error');
  assert.match(body.request_id, /^req_/);
  return 'reject';
}

test('the case list is large enough', () => {
  const total = Object.keys(good).length + Object.keys(bad).length + Object.keys(divergences).length;
  assert.ok(total >= 30, `${total} cases`);
});

for (const [name, body] of Object.entries(good)) {
  test(`both accept: ${name}`, async () => {
    const [theirs, ours] = await Promise.all([post(prismUrl, body), post(devserver.url, body)]);
    assert.equal(prismVerdict(theirs), 'accept', theirs.violations);
    assert.equal(ourVerdict(ours), 'accept', ours.text);
  });
}

for (const [name, body] of Object.entries(bad)) {
  test(`both reject: ${name}`, async () => {
    const [theirs, ours] = await Promise.all([post(prismUrl, body), post(devserver.url, body)]);
    assert.equal(prismVerdict(theirs), 'reject', `Prism accepted: ${name}`);
    assert.equal(ourVerdict(ours), 'reject', `devserver accepted: ${name}`);
    assert.equal(ours.status, 400);
    assert.equal(JSON.parse(ours.text).error.type, 'invalid_request_error');
  });
}

for (const [name, [body, prismExpected, ourStatus]] of Object.entries(divergences)) {
  test(`known divergence, devserver follows the real API: ${name}`, async () => {
    const [theirs, ours] = await Promise.all([post(prismUrl, body), post(devserver.url, body)]);
    assert.equal(prismVerdict(theirs), prismExpected, `the spec's verdict changed: ${theirs.violations}`);
    assert.equal(ours.status, ourStatus, ours.text);
  });
}
