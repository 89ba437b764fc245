// Issue 13's key and bounds findings, in the JS package: the key in no error (also when an
// upstream echoes it with JSON escapes), a key read from a file sent trimmed, no key sent to a
// batch results_url of another origin, JSONL read in linear time, no timer left once a stream
// ended, and the client's limits on an event's and a tool input's size.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as pkg from 'anthropic-wasm';

// From the namespace: the package before this change had no LimitExceededError.
const { default: Anthropic, AnthropicError, APIError, LimitExceededError, Stream } = pkg;

const KEY = 'sk-ant-test-SECRET-KEY-123';
const params = { model: 'claude-sonnet-4-5', max_tokens: 50, messages: [{ role: 'user', content: 'Hi' }] };
const encoder = new TextEncoder();

/** A fetch that answers the calls in turn with `replies` (functions of url and init), recording them. */
function scripted(...replies) {
  const calls = [];
  const fetch = async (url, init) => {
    calls.push({ url: String(url), headers: init.headers });
    return replies[calls.length - 1](url, init);
  };
  return { fetch, calls };
}

const json = (status, body) => () => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** The key with every character written as a JSON \u escape, as some encoders send text. */
const escaped = [...KEY].map((c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0')).join('');

function sse(...events) {
  return events.map(([name, data]) => `event: ${name}\ndata: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`).join('');
}

const messageStart = ['message_start', { type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 1, output_tokens: 0 } } }];
const textStart = ['content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }];
const textDelta = (text) => ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } }];
const ending = [
  ['content_block_stop', { type: 'content_block_stop', index: 0 }],
  ['message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 1 } }],
  ['message_stop', { type: 'message_stop' }],
];

/** A streamed reply of `chunks` (strings or byte arrays). */
const streamed = (chunks) => () =>
  new Response(
    new ReadableStream({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(typeof chunk === 'string' ? encoder.encode(chunk) : chunk);
        controller.close();
      },
    }),
    { status: 200, headers: { 'content-type': 'text/event-stream' } },
  );

test('unknown fields of an error object are redacted, also when the key is sent with JSON escapes', async () => {
  const body = `{"type":"error","error":{"type":"invalid_request_error","message":"bad ${escaped}","echo":"${KEY}","escaped":"${escaped}","nested":{"list":["${escaped}"]}}}`;
  const { fetch } = scripted(() => new Response(body, { status: 400 }));
  const client = new Anthropic({ apiKey: KEY, baseURL: 'http://api.invalid', fetch, maxRetries: 0 });
  const error = await client.messages.create(params).catch((e) => e);
  assert.ok(error instanceof APIError, String(error));
  const shown = JSON.stringify({ message: error.message, error: error.error, apiMessage: error.apiMessage });
  assert.ok(!shown.includes(KEY), shown);
  assert.equal(error.error.error.echo, '[redacted]');
  assert.equal(error.error.error.nested.list[0], '[redacted]');
});

test('unknown fields of a mid-stream error are redacted, also when escaped', async () => {
  const error = `{"type":"error","error":{"type":"overloaded_error","message":"x","echo":"${escaped}"}}`;
  const { fetch } = scripted(streamed([sse(messageStart, textStart, textDelta('Hi'), ['error', error])]));
  const client = new Anthropic({ apiKey: KEY, baseURL: 'http://api.invalid', fetch, maxRetries: 0 });
  const failure = await client.messages.stream(params).finalMessage().catch((e) => e);
  assert.ok(failure instanceof APIError, String(failure));
  assert.ok(!JSON.stringify(failure.error).includes(KEY), JSON.stringify(failure.error));
});

test('a key with a trailing newline is sent trimmed and redacted', async () => {
  const { fetch, calls } = scripted(json(401, { type: 'error', error: { type: 'authentication_error', message: `invalid x-api-key ${KEY}` } }));
  const client = new Anthropic({ apiKey: `${KEY}\n`, baseURL: 'http://api.invalid', fetch, maxRetries: 0 });
  const error = await client.messages.create(params).catch((e) => e);
  assert.ok(!error.message.includes(KEY), error.message);
  assert.equal(calls[0].headers.authorization, `Bearer ${KEY}`);
});

const batch = (results_url) =>
  json(200, {
    id: 'msgbatch_1', type: 'message_batch', processing_status: 'ended', results_url,
    request_counts: { processing: 0, succeeded: 1, errored: 0, canceled: 0, expired: 0 },
    created_at: '2026-01-01T00:00:00Z', expires_at: '2026-01-02T00:00:00Z',
  });

test('the key is not sent to a batch results_url of another origin', async () => {
  for (const url of [
    'https://evil.example/v1/messages/batches/msgbatch_1/results',
    'http://api.anthropic.com/v1/messages/batches/msgbatch_1/results',
    'https://api.anthropic.com:8443/results',
    'https://api.anthropic.com@evil.example/results',
    '//evil.example/results',
  ]) {
    const { fetch, calls } = scripted(batch(url), streamed(['{}\n']));
    const client = new Anthropic({ apiKey: KEY, fetch, maxRetries: 0 });
    const error = await client.messages.batches.results('msgbatch_1').catch((e) => e);
    assert.ok(error instanceof AnthropicError && /results_url/.test(error.message), `${url}: ${error}`);
    assert.equal(calls.length, 1, `${url} was fetched`);
  }
  const same = 'HTTPS://API.anthropic.com:443/v1/messages/batches/msgbatch_1/results';
  const { fetch, calls } = scripted(batch(same), streamed(['{"custom_id":"a","result":{"type":"canceled"}}\n']));
  const client = new Anthropic({ apiKey: KEY, fetch, maxRetries: 0 });
  const lines = [];
  for await (const line of await client.messages.batches.results('msgbatch_1')) lines.push(line.custom_id);
  assert.deepEqual(lines, ['a']);
  assert.equal(calls[1].headers.authorization, `Bearer ${KEY}`);
});

/** 50 MB of one JSON line (then a short one), in 64 KiB chunks. */
function longLines() {
  const line = encoder.encode(`{"custom_id":"a","pad":"${'x'.repeat(50 << 20)}"}\n{"custom_id":"b"}\n`);
  const chunks = [];
  for (let at = 0; at < line.length; at += 65536) chunks.push(line.subarray(at, at + 65536));
  return chunks;
}

// A reader that splits its whole buffer again per chunk does ~800 x 25 MB of work here (tens of
// seconds); a linear one well under a second. The bound is generous for a loaded machine.
const LINEAR_MS = 8000;

test('a JSONL stream with a 50 MB line is read in linear time (Stream.fromReadableStream)', async () => {
  const chunks = longLines();
  const source = new ReadableStream({
    pull(controller) {
      if (chunks.length) controller.enqueue(chunks.shift());
      else controller.close();
    },
  });
  const started = Date.now();
  const ids = [];
  for await (const value of Stream.fromReadableStream(source)) ids.push(value.custom_id);
  assert.deepEqual(ids, ['a', 'b']);
  assert.ok(Date.now() - started < LINEAR_MS, `${Date.now() - started} ms`);
});

test('batch results with a 50 MB line are read in linear time, line by line', async () => {
  const url = 'https://api.anthropic.com/v1/messages/batches/msgbatch_1/results';
  const { fetch } = scripted(batch(url), streamed(longLines()));
  const client = new Anthropic({ apiKey: KEY, fetch, maxRetries: 0 });
  const started = Date.now();
  const ids = [];
  for await (const line of await client.messages.batches.results('msgbatch_1')) ids.push(line.custom_id);
  assert.deepEqual(ids, ['a', 'b']);
  assert.ok(Date.now() - started < LINEAR_MS, `${Date.now() - started} ms`);
});

const timers = () => process.getActiveResourcesInfo().filter((name) => name === 'Timeout').length;

test('no timer is left once a stream has ended, however it was read', async () => {
  const body = sse(messageStart, textStart, textDelta('Hi'), ...ending);
  const reads = {
    finalMessage: (client) => client.messages.stream(params).finalMessage(),
    'for await of MessageStream': async (client) => {
      for await (const event of client.messages.stream(params)) void event;
    },
    'for await of a raw Stream': async (client) => {
      for await (const event of await client.messages.create({ ...params, stream: true })) void event;
    },
    'break at message_stop': async (client) => {
      for await (const event of await client.messages.create({ ...params, stream: true })) if (event.type === 'message_stop') break;
    },
  };
  for (const [how, read] of Object.entries(reads)) {
    const before = timers();
    const { fetch } = scripted(streamed([body]));
    const client = new Anthropic({ apiKey: KEY, baseURL: 'http://api.invalid', fetch, maxRetries: 0, timeout: 60_000 });
    await read(client);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(timers(), before, how);
  }
});

test('an event over maxEventBytes ends the stream with LimitExceededError and keeps the message', async () => {
  for (const tail of [[sse(textDelta('y'.repeat(3000)))], [`data: ${'z'.repeat(2000)}`, 'z'.repeat(2000)], [': ', 'c'.repeat(5000)]]) {
    const { fetch } = scripted(streamed([sse(messageStart, textStart, textDelta('Hi')), ...tail]));
    const client = new Anthropic({ apiKey: KEY, baseURL: 'http://api.invalid', fetch, maxRetries: 0, maxEventBytes: 2048 });
    const stream = client.messages.stream(params);
    const error = await stream.finalMessage().catch((e) => e);
    assert.ok(error instanceof LimitExceededError, String(error));
    assert.equal(error.limit, 'maxEventBytes');
    assert.equal(error.max, 2048);
    assert.match(error.message, /maxEventBytes/);
    assert.equal(error.partialMessage?.content[0].text, 'Hi');
  }
});

test('a tool input over maxToolInputBytes ends the stream and keeps the input so far', async () => {
  const tool = ['content_block_start', { type: 'content_block_start', index: 1, content_block: { type: 'tool_use', id: 'toolu_1', name: 'f', input: {} } }];
  const fragments = ['{"a":1,', '"b":2,', '"c":3,', '"d":4}'].map((partial_json) => [
    'content_block_delta',
    { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json } },
  ]);
  const { fetch } = scripted(streamed([sse(messageStart, textStart, textDelta('Hi'), tool, ...fragments)]));
  const client = new Anthropic({ apiKey: KEY, baseURL: 'http://api.invalid', fetch, maxRetries: 0, maxToolInputBytes: 20 });
  const stream = client.messages.stream(params);
  const error = await stream.finalMessage().catch((e) => e);
  assert.ok(error instanceof LimitExceededError, String(error));
  assert.equal(error.limit, 'maxToolInputBytes');
  assert.deepEqual(stream.currentMessage.content[1].input, { a: 1, b: 2 });
  assert.throws(() => new Anthropic({ apiKey: KEY, maxEventBytes: 0 }), AnthropicError);
});
