// SDK 1.15's method signatures, each call made the same way on both clients against a fetch that
// records what is sent: `(id, params, options)` for the resource methods, header params
// (`workspace_id`, `user_profile_id`) sent as headers and not in the body or query, and the
// options (headers, an aborted signal) of the last argument honoured; the client options of 1.x
// (`apiKey` as a function, `defaultQuery` and `query`, `ANTHROPIC_CUSTOM_HEADERS`).
import test from 'node:test';
import assert from 'node:assert/strict';
import OfficialAnthropic from '@anthropic-ai/sdk';
import Anthropic from 'anthropic-wasm';

const MESSAGE = {
  id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-opus-4-7', content: [{ type: 'text', text: 'ok' }],
  stop_reason: 'end_turn', stop_sequence: null, usage: { input_tokens: 1, output_tokens: 1 },
};
const STREAM = [
  ['message_start', { type: 'message_start', message: { ...MESSAGE, content: [], stop_reason: null } }],
  ['content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }],
  ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'ok' } }],
  ['content_block_stop', { type: 'content_block_stop', index: 0 }],
  ['message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 1 } }],
  ['message_stop', { type: 'message_stop' }],
].map(([event, data]) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`).join('');
const BATCH = { id: 'msgbatch_1', type: 'message_batch', processing_status: 'ended', results_url: 'https://api.anthropic.com/v1/messages/batches/msgbatch_1/results' };

/** A client of `Client` whose fetch records each request and answers it plausibly. */
function recording(Client, options = {}) {
  const sent = [];
  const fetch = async (url, init) => {
    const headers = new Headers(init.headers);
    const path = new URL(url).pathname;
    sent.push({
      method: init.method,
      url: String(url).replace(/^https?:\/\/[^/]+/, ''),
      body: init.body ? JSON.parse(init.body) : null,
      headers: Object.fromEntries(['anthropic-workspace-id', 'anthropic-user-profile-id', 'x-caller', 'authorization', 'x-custom', 'x-other', 'anthropic-beta'].map((h) => [h, headers.get(h)])),
    });
    if (path.endsWith('/results')) return new Response(`${JSON.stringify({ custom_id: 'a', result: { type: 'succeeded', message: MESSAGE } })}\n`);
    if (init.body && JSON.parse(init.body).stream) return new Response(STREAM, { headers: { 'content-type': 'text/event-stream' } });
    if (path === '/v1/messages') return Response.json(MESSAGE);
    if (path.endsWith('/count_tokens')) return Response.json({ input_tokens: 3 });
    if (path === '/v1/models' || path === '/v1/messages/batches') return Response.json({ data: [], has_more: false, first_id: null, last_id: null });
    if (path.startsWith('/v1/models/')) return Response.json({ id: 'm', type: 'model' });
    return Response.json(BATCH);
  };
  return { client: new Client({ apiKey: 'sk-ant-signatures', fetch, maxRetries: 0, ...options }), sent };
}

const PARAMS = { model: 'claude-opus-4-7', max_tokens: 16, messages: [{ role: 'user', content: 'Hi' }] };
const HEADER_PARAMS = { workspace_id: 'wrk_1', user_profile_id: 'up_1' };
const OPTIONS = { headers: { 'x-caller': 'yes' } };

const CALLS = {
  'messages.create': (c) => c.messages.create({ ...PARAMS, ...HEADER_PARAMS }, OPTIONS),
  'messages.create stream': async (c) => {
    for await (const event of await c.messages.create({ ...PARAMS, ...HEADER_PARAMS, stream: true }, OPTIONS)) void event;
  },
  'messages.stream': (c) => c.messages.stream({ ...PARAMS, ...HEADER_PARAMS }, OPTIONS).finalMessage(),
  'messages.countTokens': (c) => c.messages.countTokens({ model: PARAMS.model, messages: PARAMS.messages, ...HEADER_PARAMS }, OPTIONS),
  'batches.create': (c) => c.messages.batches.create({ requests: [{ custom_id: 'a', params: PARAMS }], ...HEADER_PARAMS }, OPTIONS),
  'batches.retrieve': (c) => c.messages.batches.retrieve('msgbatch_1', { workspace_id: 'wrk_1' }, OPTIONS),
  'batches.list': (c) => c.messages.batches.list({ workspace_id: 'wrk_1', limit: 2 }, OPTIONS),
  'batches.cancel': (c) => c.messages.batches.cancel('msgbatch_1', { workspace_id: 'wrk_1' }, OPTIONS),
  'batches.delete': (c) => c.messages.batches.delete('msgbatch_1', { workspace_id: 'wrk_1' }, OPTIONS),
  'models.retrieve': (c) => c.models.retrieve('claude-opus-4-7', { workspace_id: 'wrk_1' }, OPTIONS),
  'models.list': (c) => c.models.list({ workspace_id: 'wrk_1', limit: 2 }, OPTIONS),
  'client.get': (c) => c.get('/v1/models', { query: { limit: 1 }, headers: { 'x-caller': 'yes', 'anthropic-workspace-id': 'wrk_1' } }),
  'client.post': (c) =>
    c.post('/v1/messages/count_tokens', { body: { model: PARAMS.model, messages: PARAMS.messages }, headers: { 'x-caller': 'yes', 'anthropic-workspace-id': 'wrk_1' } }),
  'client.delete': (c) => c.delete('/v1/messages/batches/msgbatch_1', { headers: { 'x-caller': 'yes', 'anthropic-workspace-id': 'wrk_1' } }),
};

/** What `call` sends on our client, once asserted to be what SDK 1.15 sends for it. */
async function sentAsTheSdk(call) {
  const official = recording(OfficialAnthropic);
  const ours = recording(Anthropic);
  await call(official.client);
  await call(ours.client);
  assert.ok(ours.sent.length > 0);
  assert.deepEqual(ours.sent, official.sent);
  return ours.sent;
}

for (const [name, call] of Object.entries(CALLS)) {
  test(`${name}: what SDK 1.15 sends for the same call`, async () => {
    for (const request of await sentAsTheSdk(call)) {
      assert.equal(request.headers['anthropic-workspace-id'], 'wrk_1');
      assert.equal(request.headers['x-caller'], 'yes');
      assert.ok(!JSON.stringify(request.body ?? {}).includes('wrk_1'), 'not in the body');
      assert.ok(!request.url.includes('wrk_1'), 'not in the query');
    }
  });
}

test('batches.results(id, params, options): the header on both requests, lines as the SDK gives them', async () => {
  const official = recording(OfficialAnthropic);
  const ours = recording(Anthropic);
  const lines = async (client) => {
    const out = [];
    for await (const line of await client.messages.batches.results('msgbatch_1', { workspace_id: 'wrk_1' }, OPTIONS)) out.push(line);
    return out;
  };
  assert.deepEqual(await lines(ours.client), await lines(official.client));
  assert.deepEqual(ours.sent, official.sent);
  assert.equal(ours.sent.length, 2);
});

test('an aborted signal in the last argument stops each call before it is sent', async () => {
  const signal = AbortSignal.abort();
  for (const [name, call] of [
    ['batches.retrieve', (c) => c.messages.batches.retrieve('msgbatch_1', {}, { signal })],
    ['batches.cancel', (c) => c.messages.batches.cancel('msgbatch_1', {}, { signal })],
    ['batches.delete', (c) => c.messages.batches.delete('msgbatch_1', {}, { signal })],
    ['models.retrieve', (c) => c.models.retrieve('claude-opus-4-7', {}, { signal })],
    ['messages.create', (c) => c.messages.create(PARAMS, { signal })],
  ]) {
    for (const Client of [OfficialAnthropic, Anthropic]) {
      const { client, sent } = recording(Client);
      const error = await call(client).then(() => null, (e) => e);
      assert.equal(error?.constructor.name, 'APIUserAbortError', `${name} (${Client.name})`);
      assert.equal(sent.length, 0, `${name} (${Client.name})`);
    }
  }
});

/** What each client sends, or the error it throws, for `call` with client `options` (or the
 * options a function makes, anew for each client). */
async function both(options, call) {
  const out = [];
  for (const Client of [OfficialAnthropic, Anthropic]) {
    const { client, sent } = recording(Client, typeof options === 'function' ? options() : options);
    const error = await Promise.resolve()
      .then(() => call(client))
      .then(() => null, (e) => ({ class: e.constructor.name, message: e.message, cause: e.cause?.message }));
    out.push({ sent, error });
  }
  return out;
}

test('apiKey as a function (sync or async) is asked each request; its failures are SDK 1.15\'s errors', async () => {
  const counting = () => {
    let asked = 0;
    return { apiKey: async () => `sk-ant-fn-${++asked}` };
  };
  const [official, ours] = await both(counting, async (c) => {
    await c.models.retrieve('m');
    await c.models.retrieve('m');
  });
  assert.deepEqual(ours, official);
  assert.deepEqual(ours.sent.map((r) => r.headers.authorization), ['Bearer sk-ant-fn-1', 'Bearer sk-ant-fn-2']);
  for (const apiKey of [() => 'sk-ant-sync', async () => { throw new Error('vault down'); }, async () => '']) {
    const [theirs, mine] = await both({ apiKey }, (c) => c.models.retrieve('m'));
    assert.deepEqual(mine, theirs, String(apiKey));
  }
});

test('defaultQuery and a request\'s query go on the URL as in SDK 1.15', async () => {
  const [official, ours] = await both({ defaultQuery: { tenant: 'a', keep: '1' } }, async (c) => {
    await c.models.retrieve('m', {}, { query: { tenant: 'b' } });
    await c.models.list({ limit: 2 });
  });
  assert.deepEqual(ours.sent.map((r) => r.url), official.sent.map((r) => r.url));
  assert.match(ours.sent[0].url, /tenant=b/);
  assert.match(ours.sent[1].url, /keep=1/);
});

test('ANTHROPIC_CUSTOM_HEADERS: `Name: value` lines, under defaultHeaders, as in SDK 1.15', async () => {
  process.env.ANTHROPIC_CUSTOM_HEADERS = 'X-Custom: one: two\nbroken line\nX-Other:  three ';
  try {
    const [official, ours] = await both({ defaultHeaders: { 'x-other': 'default wins' } }, (c) => c.models.retrieve('m'));
    assert.deepEqual(ours, official);
    assert.equal(ours.sent[0].headers['x-custom'], 'one: two');
    assert.equal(ours.sent[0].headers['x-other'], 'default wins');
  } finally {
    delete process.env.ANTHROPIC_CUSTOM_HEADERS;
  }
});

const BETAS = { betas: ['files-api-2025-04-14', 'context-1m-2025-08-07'] };
const SCHEMA = { type: 'json_schema', schema: { type: 'object', properties: { a: { type: 'string' } }, required: ['a'], additionalProperties: false } };
const BETA_CALLS = {
  'beta.messages.create': (c) => c.beta.messages.create({ ...PARAMS, ...BETAS, ...HEADER_PARAMS }, OPTIONS),
  'beta.messages.create output_format': (c) => c.beta.messages.create({ ...PARAMS, output_format: SCHEMA }, OPTIONS),
  'beta.messages.create stream': async (c) => {
    for await (const event of await c.beta.messages.create({ ...PARAMS, ...BETAS, stream: true }, OPTIONS)) void event;
  },
  'beta.messages.stream': (c) => c.beta.messages.stream({ ...PARAMS, ...BETAS }, OPTIONS).finalMessage(),
  'beta.messages.countTokens': (c) => c.beta.messages.countTokens({ model: PARAMS.model, messages: PARAMS.messages, ...BETAS }, OPTIONS),
  'beta.messages.countTokens no betas': (c) => c.beta.messages.countTokens({ model: PARAMS.model, messages: PARAMS.messages }, OPTIONS),
  'beta.messages.batches.create': (c) => c.beta.messages.batches.create({ requests: [{ custom_id: 'a', params: PARAMS }], ...BETAS }, OPTIONS),
  'beta.messages.batches.retrieve': (c) => c.beta.messages.batches.retrieve('msgbatch_1', { ...BETAS, workspace_id: 'wrk_1' }, OPTIONS),
  'beta.messages.batches.list': (c) => c.beta.messages.batches.list({ ...BETAS, limit: 2 }, OPTIONS),
  'beta.models.retrieve': (c) => c.beta.models.retrieve('claude-opus-4-7', BETAS, OPTIONS),
  'beta.models.list': (c) => c.beta.models.list({ ...BETAS, limit: 2 }, OPTIONS),
};

for (const [name, call] of Object.entries(BETA_CALLS)) {
  test(`${name}: what SDK 1.15 sends for the same call (betas as the anthropic-beta header)`, async () => {
    for (const request of await sentAsTheSdk(call)) assert.ok(!JSON.stringify(request.body ?? {}).includes('"betas"'), 'not in the body');
  });
}

test('beta: output_format with output_config.format is refused as in SDK 1.15', async () => {
  const params = { ...PARAMS, output_format: SCHEMA, output_config: { format: SCHEMA } };
  const [official, ours] = await both({}, (c) => c.beta.messages.create(params));
  assert.deepEqual(ours, official);
  assert.equal(ours.error.class, 'AnthropicError');
  assert.equal(ours.sent.length, 0);
});

test('MessageStream.fromReadableStream replays toReadableStream() as SDK 1.15\'s does; stream.response', async () => {
  const { MessageStream: OfficialMessageStream } = await import('@anthropic-ai/sdk/lib/MessageStream');
  const { MessageStream } = await import('anthropic-wasm');
  const { client } = recording(Anthropic);
  const live = client.messages.stream(PARAMS);
  const ndjson = await new Response(live.toReadableStream()).text();
  assert.ok(live.response instanceof Response, 'the raw Response once connected');
  const replay = async (Class) => {
    const stream = Class.fromReadableStream(new Response(ndjson).body);
    const texts = [];
    stream.on('text', (delta, snapshot) => texts.push([delta, snapshot]));
    return { message: await stream.finalMessage(), texts };
  };
  const ours = await replay(MessageStream);
  assert.deepEqual(ours, await replay(OfficialMessageStream));
  assert.equal(ours.message.content[0].text, 'ok');
});
