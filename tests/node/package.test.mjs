// The npm package as users call it, in Node, against the local Messages API server: the JS API
// shaped like the official SDK, its streams, errors, retries, aborts, lists and batches.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import Anthropic, {
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  AuthenticationError,
  BadRequestError,
  InternalServerError,
  InvalidRequestError,
  NotFoundError,
} from 'anthropic-wasm';
import { startDevserver } from '../../devserver/tests-node/helpers.mjs';

let server;
let keyed;
const KEY = 'sk-ant-test-package-key';

before(async () => {
  server = await startDevserver();
  keyed = await startDevserver(['--api-key', KEY]);
});

after(async () => {
  await server?.stop();
  await keyed?.stop();
});

const client = (options = {}) => new Anthropic({ apiKey: 'sk-any', baseURL: server.url, ...options });
const params = (text, extra = {}) => ({
  model: 'claude-sonnet-4-5',
  max_tokens: 300,
  messages: [{ role: 'user', content: text }],
  ...extra,
});
const fault = (value) => ({ headers: { 'x-devserver-fault': value } });

test('create returns a Message with its request id', async () => {
  const message = await client().messages.create(params('Hello from the package test'));
  assert.equal(message.type, 'message');
  assert.equal(message.role, 'assistant');
  assert.equal(message.content[0].type, 'text');
  assert.ok(message.content[0].text.length > 0);
  assert.equal(message.stop_reason, 'end_turn');
  assert.equal(message.stop_sequence, null, 'null, not undefined, where JSON has null');
  assert.match(message._request_id, /^req_/);
  assert.ok(message.usage.input_tokens > 0 && message.usage.output_tokens > 0);
});

test('messages.stream emits text in several steps and resolves the final message', async () => {
  const stream = client().messages.stream(params('Tell me a story about rivers'));
  const deltas = [];
  const snapshots = [];
  let connected = false;
  stream.on('connect', () => (connected = true));
  stream.on('text', (delta, snapshot) => {
    deltas.push(delta);
    snapshots.push(snapshot);
  });
  const message = await stream.finalMessage();
  assert.ok(connected);
  assert.ok(deltas.length > 1, `only ${deltas.length} deltas`);
  assert.equal(snapshots.at(-1), deltas.join(''));
  assert.equal(message.content[0].text, deltas.join(''));
  assert.equal(await stream.finalText(), deltas.join(''));
  assert.match(stream.request_id, /^req_/);
  assert.equal(stream.currentMessage, undefined, 'once complete, as in the official SDK');
});

test('create with stream: true yields the raw events', async () => {
  const events = await client().messages.create(params('Count to five', { stream: true }));
  const types = [];
  for await (const event of events) types.push(event.type);
  assert.equal(types[0], 'message_start');
  assert.equal(types.at(-1), 'message_stop');
  assert.ok(types.includes('content_block_delta'));
});

test('a MessageStream is async-iterable', async () => {
  const stream = client().messages.stream(params('Iterate please'));
  let deltas = 0;
  for await (const event of stream) if (event.type === 'content_block_delta') deltas++;
  assert.ok(deltas > 1);
  assert.equal((await stream.finalMessage()).stop_reason, 'end_turn');
});

test('tool use streams input JSON with partial previews', async () => {
  const stream = client().messages.stream(
    params('What is the weather in Paris?', {
      tools: [
        {
          name: 'get_weather',
          description: 'Weather by city',
          input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
        },
      ],
      tool_choice: { type: 'any' },
    }),
  );
  const previews = [];
  stream.on('inputJson', (_fragment, snapshot) => previews.push(snapshot));
  const message = await stream.finalMessage();
  const tool = message.content.find((block) => block.type === 'tool_use');
  assert.equal(message.stop_reason, 'tool_use');
  assert.equal(typeof tool.input.city, 'string');
  assert.ok(previews.length > 1);
  assert.deepEqual(previews.at(-1), tool.input);
});

test('retries: overloaded twice, then the answer', async () => {
  const message = await client().messages.create(params('retry'), fault('fail-first=2'));
  assert.equal(message.type, 'message');
});

test('errors carry the official classes, status, body and request id', async () => {
  const noRetry = client({ maxRetries: 0 });
  const overloaded = await noRetry.messages.create(params('x'), fault('529')).catch((e) => e);
  assert.ok(overloaded instanceof InternalServerError && overloaded instanceof APIError);
  assert.equal(overloaded.status, 529);
  assert.equal(overloaded.error.error.type, 'overloaded_error');
  assert.match(overloaded.requestID, /^req_/);
  const missing = await noRetry.messages.create(params('x', { model: 'claude-nonexistent-9' })).catch((e) => e);
  assert.ok(missing instanceof NotFoundError, missing);
  const unchecked = client({ maxRetries: 0, validation: false });
  const bad = await unchecked.messages.create(params('x', { temperature: 7 })).catch((e) => e);
  assert.ok(bad instanceof BadRequestError, bad);
  assert.equal(bad.status, 400);
});

test('requests the API would refuse are refused before sending, naming the field', async () => {
  const error = await client().messages.create(params('x', { temperature: 7 })).catch((e) => e);
  assert.ok(error instanceof InvalidRequestError, error);
  assert.equal(error.path, 'temperature');
  const prefill = await client()
    .messages.create({ ...params('x'), model: 'claude-opus-4-6', messages: [{ role: 'user', content: 'Hi' }, { role: 'assistant', content: 'The answer is' }] })
    .catch((e) => e);
  assert.ok(prefill instanceof InvalidRequestError);
  assert.equal(prefill.rule, 'PrefillUnsupported');
});

test('a wrong key is an AuthenticationError, and the key is in no error', async () => {
  const wrong = new Anthropic({ apiKey: 'sk-ant-wrong-key', baseURL: keyed.url, maxRetries: 0 });
  const error = await wrong.messages.create(params('x')).catch((e) => e);
  assert.ok(error instanceof AuthenticationError, error);
  assert.equal(error.status, 401);
  assert.ok(!JSON.stringify({ message: error.message, error: error.error }).includes('sk-ant-wrong-key'));
  const right = new Anthropic({ apiKey: KEY, baseURL: keyed.url });
  assert.equal((await right.messages.create(params('x'))).type, 'message');
});

test('an error event mid-stream rejects with the partial message kept', async () => {
  const stream = client().messages.stream(params('A long answer, please'), fault('error-after=3'));
  const seen = [];
  stream.on('error', (error) => seen.push(error));
  const error = await stream.finalMessage().catch((e) => e);
  assert.ok(error instanceof APIError);
  assert.equal(error.status, undefined);
  assert.equal(error.error.error.type, 'overloaded_error');
  assert.ok(error.partialMessage.content[0].text.length > 0);
  assert.equal(seen.length, 1);
  assert.ok(stream.errored && stream.ended);
});

test('abort mid-stream keeps what arrived and emits abort then end', async () => {
  const stream = client().messages.stream(params('A long answer, please'), fault('stall=5000'));
  const order = [];
  stream.on('abort', () => order.push('abort')).on('end', () => order.push('end'));
  await new Promise((resolve) => stream.once('text', resolve));
  stream.abort();
  const error = await stream.done().catch((e) => e);
  assert.ok(error instanceof APIUserAbortError, error);
  assert.ok(stream.aborted);
  assert.deepEqual(order, ['abort', 'end']);
  assert.ok(stream.currentMessage.content[0].text.length > 0);
});

test('a stream that stalls longer than the timeout fails with APIConnectionTimeoutError', async () => {
  const stream = client().messages.stream(params('Tell me a story about streams'), { ...fault('stall=3000'), timeout: 300 });
  const error = await stream.finalMessage().catch((e) => e);
  assert.ok(error instanceof APIConnectionTimeoutError, error);
  assert.ok(error.partialMessage.content[0].text.length > 0, 'what arrived before the stall is kept');
});

test('a caller signal aborts a request', async () => {
  const controller = new AbortController();
  const pending = client().messages.create(params('x'), { ...fault('slow-headers=5000'), signal: controller.signal });
  setTimeout(() => controller.abort(), 50);
  assert.ok((await pending.catch((e) => e)) instanceof APIUserAbortError);
});

test('toReadableStream gives newline-delimited JSON events', async () => {
  const stream = client().messages.stream(params('NDJSON please'));
  const text = await new Response(stream.toReadableStream()).text();
  const events = text.trim().split('\n').map((line) => JSON.parse(line));
  assert.equal(events[0].type, 'message_start');
  assert.equal(events.at(-1).type, 'message_stop');
});

test('countTokens, models with auto-pagination, and retrieve', async () => {
  const count = await client().messages.countTokens({ model: 'claude-sonnet-4-5', messages: [{ role: 'user', content: 'How many tokens is this?' }] });
  assert.ok(count.input_tokens > 0);
  const all = [];
  for await (const model of client().models.list({ limit: 2 })) all.push(model.id);
  assert.ok(all.length > 2, 'more than one page');
  assert.equal(new Set(all).size, all.length);
  const first = await client().models.list({ limit: 2 });
  assert.equal(first.data.length, 2);
  assert.ok(first.hasNextPage());
  const model = await client().models.retrieve(all[0]);
  assert.equal(model.id, all[0]);
});

test('batches: create, poll until ended, results', async () => {
  const batches = client().messages.batches;
  const batch = await batches.create({
    requests: [
      { custom_id: 'first', params: params('one') },
      { custom_id: 'second', params: params('two') },
    ],
  });
  let current = batch;
  for (let i = 0; i < 100 && current.processing_status !== 'ended'; i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    current = await batches.retrieve(batch.id);
  }
  assert.equal(current.processing_status, 'ended');
  const ids = [];
  for await (const line of await batches.results(batch.id)) {
    assert.equal(line.result.type, 'succeeded');
    ids.push(line.custom_id);
  }
  assert.deepEqual(ids.sort(), ['first', 'second']);
  const listed = [];
  for await (const item of batches.list()) listed.push(item.id);
  assert.ok(listed.includes(batch.id));
});

test('in a browser-like environment the key needs the explicit opt-in', async () => {
  // What the official SDK's detection looks for: window, window.document and navigator.
  const saved = { window: globalThis.window, navigator: Object.getOwnPropertyDescriptor(globalThis, 'navigator') };
  globalThis.window = { document: {} };
  Object.defineProperty(globalThis, 'navigator', { value: { userAgent: 'test' }, configurable: true });
  try {
    assert.throws(() => new Anthropic({ apiKey: 'sk-x', baseURL: server.url }), /dangerouslyAllowBrowser/);
    assert.ok(new Anthropic({ apiKey: 'sk-x', baseURL: server.url, dangerouslyAllowBrowser: true }));
    // a proxy that adds the key server-side needs no opt-in
    assert.ok(new Anthropic({ apiKey: null, baseURL: 'https://proxy.example' }));
  } finally {
    if (saved.window === undefined) delete globalThis.window;
    else globalThis.window = saved.window;
    if (saved.navigator) Object.defineProperty(globalThis, 'navigator', saved.navigator);
    else delete globalThis.navigator;
  }
});
