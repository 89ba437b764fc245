// The official @anthropic-ai/sdk against the devserver: if the official client reads our
// replies, streams, errors and retry hints correctly, the wire format is what it expects.
// Run: node --test devserver/tests-node/
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import { startDevserver } from './helpers.mjs';

const MODEL = 'claude-haiku-4-5';
let server;
let keyed;

before(async () => {
  server = await startDevserver();
  keyed = await startDevserver(['--api-key', 'sk-test-right']);
});

after(async () => {
  await server?.stop();
  await keyed?.stop();
});

/** A client whose fetch records the status of every attempt it makes. */
function client(options = {}) {
  const statuses = [];
  const anthropic = new Anthropic({
    apiKey: 'sk-any',
    baseURL: server.url,
    ...options,
    fetch: async (url, init) => {
      const response = await fetch(url, init);
      statuses.push(response.status);
      return response;
    },
  });
  return { anthropic, statuses };
}

const ask = (text, extra = {}) => ({ model: MODEL, max_tokens: 400, messages: [{ role: 'user', content: text }], ...extra });
const fault = (spec) => ({ headers: { 'x-devserver-fault': spec } });

test('messages.create returns a Message the SDK reads, with request id and usage', async () => {
  const { anthropic } = client();
  const message = await anthropic.messages.create(ask('What is 7 * 6?', { system: 'Answer briefly.' }));
  assert.equal(message.type, 'message');
  assert.equal(message.role, 'assistant');
  assert.equal(message.model, MODEL);
  assert.equal(message.stop_reason, 'end_turn');
  assert.equal(
    message.content[0].text,
    'You asked: "What is 7 * 6?" 7 × 6 = 42. I am following the system prompt: "Answer briefly." Your message has 5 words.',
  );
  assert.match(message._request_id, /^req_011C/);
  assert.equal(message.usage.service_tier, 'standard');
  assert.ok(message.usage.output_tokens > 10);
});

test('messages.stream: text events add up to finalMessage()', async () => {
  const { anthropic } = client();
  const stream = anthropic.messages.stream(ask('Tell me a story about Lisbon'));
  const deltas = [];
  stream.on('text', (delta) => deltas.push(delta));
  const final = await stream.finalMessage();
  assert.ok(deltas.length > 20, `${deltas.length} text events`);
  assert.equal(deltas.join(''), final.content[0].text);
  assert.match(final.content[0].text, /Once upon a time, Lisbon/);
  assert.equal(final.stop_reason, 'end_turn');
  const created = await anthropic.messages.create(ask('Tell me a story about Lisbon'));
  assert.equal(created.content[0].text, final.content[0].text);
  assert.equal(created.usage.output_tokens, final.usage.output_tokens);
});

test('tool use: inputJson events while streaming, a valid input, then the result is used', async () => {
  const { anthropic } = client();
  const tools = [
    {
      name: 'get_weather',
      description: 'Weather for a place',
      input_schema: {
        type: 'object',
        properties: {
          location: { type: 'string' },
          unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
          days: { type: 'integer', minimum: 1, maximum: 5 },
        },
        required: ['location', 'unit'],
      },
    },
  ];
  const params = ask('What is the weather in Kyoto in celsius?', { tools, tool_choice: { type: 'any' } });
  const stream = anthropic.messages.stream(params);
  const partials = [];
  stream.on('inputJson', (partial, snapshot) => partials.push([partial, snapshot]));
  const final = await stream.finalMessage();
  assert.equal(final.stop_reason, 'tool_use');
  const call = final.content.find((block) => block.type === 'tool_use');
  assert.equal(call.name, 'get_weather');
  assert.match(call.id, /^toolu_01/);
  assert.deepEqual(call.input, { location: 'Kyoto', unit: 'celsius', days: 3 });
  assert.ok(partials.length > 3, 'several input_json_delta fragments');
  assert.equal(partials.map(([p]) => p).join(''), JSON.stringify(call.input));
  assert.deepEqual(partials.at(-1)[1], call.input, 'the last snapshot is the whole input');

  const answer = await anthropic.messages.create({
    ...ask('What is the weather in Kyoto in celsius?', { tools }),
    messages: [
      params.messages[0],
      { role: 'assistant', content: final.content },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: call.id, content: '{"temperature": 18}' }] },
    ],
  });
  assert.equal(answer.stop_reason, 'end_turn');
  assert.match(answer.content[0].text, /^The get_weather tool returned: temperature is 18\./);
});

test('thinking: thinking and signature events, then text', async () => {
  const { anthropic } = client();
  const stream = anthropic.messages.stream(ask('Why is the sea salty?', { max_tokens: 3000, thinking: { type: 'adaptive' } }));
  let thinking = '';
  let signature = '';
  stream.on('thinking', (delta) => (thinking += delta));
  stream.on('signature', (sig) => (signature = sig));
  const final = await stream.finalMessage();
  assert.equal(final.content[0].type, 'thinking');
  assert.equal(final.content[0].thinking, thinking);
  assert.equal(final.content[0].signature, signature);
  assert.ok(signature.length > 40);
  assert.equal(final.content[1].type, 'text');
});

test('prefill: JSON continued into valid JSON, one-letter multiple choice', async () => {
  const { anthropic } = client();
  const prefill = '{"name": "';
  const json = await anthropic.messages.create({
    model: MODEL,
    max_tokens: 300,
    messages: [
      { role: 'user', content: 'Describe Grace Hopper as JSON' },
      { role: 'assistant', content: prefill },
    ],
  });
  const parsed = JSON.parse(prefill + json.content[0].text);
  assert.equal(parsed.name, 'Hopper');
  const letter = await anthropic.messages.create({
    model: MODEL,
    max_tokens: 1,
    messages: [
      { role: 'user', content: "What's the Greek name for Sun? (A) Sol (B) Helios (C) Sun" },
      { role: 'assistant', content: 'The best answer is (' },
    ],
  });
  assert.equal(letter.content[0].text, 'B');
  assert.equal(letter.stop_reason, 'max_tokens');
});

test('countTokens agrees with the usage of create', async () => {
  const { anthropic } = client();
  const params = ask('Count these words please', { system: 'Be exact.' });
  const { input_tokens } = await anthropic.messages.countTokens({ model: params.model, system: params.system, messages: params.messages });
  const message = await anthropic.messages.create(params);
  const usage = message.usage;
  assert.equal(input_tokens, usage.input_tokens + usage.cache_creation_input_tokens + usage.cache_read_input_tokens);
  assert.equal(input_tokens, 3 + 1 + 4);
});

test('models.list auto-paginates; retrieve resolves an alias', async () => {
  const { anthropic, statuses } = client();
  const all = [];
  for await (const model of anthropic.models.list({ limit: 3 })) all.push(model.id);
  assert.ok(all.length >= 8);
  assert.ok(statuses.length >= 3, `${statuses.length} pages fetched`);
  const unpaged = await anthropic.models.list({ limit: 100 });
  assert.deepEqual(all, unpaged.data.map((m) => m.id));
  for (const id of ['claude-opus-4-7', 'claude-opus-4-6', 'claude-sonnet-4-6', 'claude-mythos-preview']) assert.ok(all.includes(id), id);
  const model = await anthropic.models.retrieve('claude-haiku-4-5');
  assert.equal(model.id, 'claude-haiku-4-5-20251001');
});

test('batches: create, poll retrieve until ended, stream results', async () => {
  const { anthropic } = client();
  const batch = await anthropic.messages.batches.create({
    requests: [
      { custom_id: 'hello', params: ask('Say exactly: batch says hi', { max_tokens: 50 }) },
      { custom_id: 'broken', params: { ...ask('x', { max_tokens: 50 }), model: `${MODEL}+fault=529` } },
    ],
  });
  assert.equal(batch.processing_status, 'in_progress');
  let current = batch;
  const deadline = Date.now() + 10_000;
  while (current.processing_status !== 'ended') {
    assert.ok(Date.now() < deadline, 'batch ended in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
    current = await anthropic.messages.batches.retrieve(batch.id);
  }
  assert.deepEqual(current.request_counts, { processing: 0, succeeded: 1, errored: 1, canceled: 0, expired: 0 });
  assert.equal(current.results_url, `${server.url}/v1/messages/batches/${batch.id}/results`);
  const results = {};
  for await (const line of await anthropic.messages.batches.results(batch.id)) results[line.custom_id] = line.result;
  assert.equal(results.hello.type, 'succeeded');
  assert.equal(results.hello.message.content[0].text, 'batch says hi');
  assert.equal(results.broken.type, 'errored');
  assert.equal(results.broken.error.error.type, 'overloaded_error');
  const listed = [];
  for await (const b of anthropic.messages.batches.list()) listed.push(b.id);
  assert.ok(listed.includes(batch.id));
  const deleted = await anthropic.messages.batches.delete(batch.id);
  assert.deepEqual({ ...deleted }, { id: batch.id, type: 'message_batch_deleted' });
});

test('fail-first=2: the SDK retries twice and succeeds on the third request', async () => {
  const { anthropic, statuses } = client({ maxRetries: 2 });
  const message = await anthropic.messages.create(ask('retry probe 1'), fault('fail-first=2'));
  assert.deepEqual(statuses, [529, 529, 200]);
  assert.equal(message.stop_reason, 'end_turn');
});

test('429 with retry-after-ms is retried after that delay', async () => {
  const { anthropic, statuses } = client({ maxRetries: 2 });
  const started = Date.now();
  await assert.rejects(anthropic.messages.create(ask('rate limited'), fault('429:retry-after-ms=150')), (error) => {
    assert.ok(error instanceof Anthropic.RateLimitError);
    assert.equal(error.status, 429);
    assert.equal(error.type, 'rate_limit_error');
    return true;
  });
  const took = Date.now() - started;
  assert.deepEqual(statuses, [429, 429, 429]);
  // Two waits of 150 ms, well under the SDK's own backoff (0.5 s + 1 s).
  assert.ok(took >= 290 && took < 1200, `took ${took} ms`);
  const { anthropic: again, statuses: secondsStatuses } = client({ maxRetries: 1 });
  await assert.rejects(again.messages.create(ask('rate limited 2'), fault('429:retry-after=0.2')), Anthropic.RateLimitError);
  assert.deepEqual(secondsStatuses, [429, 429]);
});

test('x-should-retry decides over the status', async () => {
  const { anthropic, statuses } = client({ maxRetries: 2 });
  await assert.rejects(anthropic.messages.create(ask('no retry'), fault('529,should-retry=false')), (error) => {
    assert.ok(error instanceof Anthropic.InternalServerError);
    assert.equal(error.status, 529);
    return true;
  });
  assert.deepEqual(statuses, [529], 'x-should-retry: false stops retries of a 529');
  const { anthropic: forced, statuses: forcedStatuses } = client({ maxRetries: 2 });
  await assert.rejects(forced.messages.create(ask('forced retry'), fault('400,should-retry=true')), Anthropic.BadRequestError);
  assert.deepEqual(forcedStatuses, [400, 400, 400], 'x-should-retry: true retries even a 400');
});

test('html-502 from a proxy: InternalServerError after retries', async () => {
  const { anthropic, statuses } = client({ maxRetries: 1 });
  await assert.rejects(anthropic.messages.create(ask('proxy'), fault('html-502')), (error) => {
    assert.ok(error instanceof Anthropic.InternalServerError);
    assert.equal(error.status, 502);
    return true;
  });
  assert.deepEqual(statuses, [502, 502]);
});

test('a model-name fault works without headers', async () => {
  const { anthropic, statuses } = client({ maxRetries: 0 });
  await assert.rejects(anthropic.messages.create({ ...ask('suffix'), model: `${MODEL}+fault=529` }), Anthropic.InternalServerError);
  assert.deepEqual(statuses, [529]);
  const ok = await anthropic.messages.create({ ...ask('suffix ok'), model: `${MODEL}+fault=slow-headers=10` });
  assert.equal(ok.model, MODEL, 'the suffix is not echoed');
});

test('error-after=2: the stream fails with overloaded_error after two deltas', async () => {
  const { anthropic } = client();
  const stream = anthropic.messages.stream(ask('Tell me a story about Quito'), fault('error-after=2'));
  const deltas = [];
  stream.on('text', (delta) => deltas.push(delta));
  await assert.rejects(stream.finalMessage(), (error) => {
    assert.ok(error instanceof Anthropic.APIError);
    assert.equal(error.type, 'overloaded_error');
    assert.match(error.message, /Overloaded/);
    return true;
  });
  assert.equal(deltas.length, 2);
});

test('drop-after and malformed make the stream fail; stall only delays it', async () => {
  const { anthropic } = client({ logLevel: 'off' });
  await assert.rejects(anthropic.messages.stream(ask('Tell me a story about Oslo'), fault('drop-after=400')).finalMessage(), (error) => {
    assert.ok(error instanceof Anthropic.AnthropicError);
    assert.match(error.message, /terminated/, 'the body ended before the stream did');
    return true;
  });
  await assert.rejects(anthropic.messages.stream(ask('hello there'), fault('malformed')).finalMessage(), (error) => {
    assert.ok(error instanceof Anthropic.AnthropicError);
    assert.match(error.message, /JSON/);
    return true;
  });
  const started = Date.now();
  const final = await anthropic.messages.stream(ask('hello there'), fault('stall=300')).finalMessage();
  assert.ok(Date.now() - started >= 290);
  assert.equal(final.stop_reason, 'end_turn');
});

test('slow-headers past the timeout: APIConnectionTimeoutError', async () => {
  const { anthropic } = client({ maxRetries: 0, timeout: 200 });
  await assert.rejects(anthropic.messages.create(ask('slow'), fault('slow-headers=1000')), Anthropic.APIConnectionTimeoutError);
});

test('error classes: AuthenticationError, BadRequestError, NotFoundError', async () => {
  const wrongKey = new Anthropic({ apiKey: 'sk-test-wrong', baseURL: keyed.url, maxRetries: 0 });
  await assert.rejects(wrongKey.messages.create(ask('hi')), (error) => {
    assert.ok(error instanceof Anthropic.AuthenticationError);
    assert.equal(error.status, 401);
    assert.deepEqual(error.error.error, { type: 'authentication_error', message: 'invalid x-api-key' });
    assert.match(error.requestID, /^req_/);
    return true;
  });
  const rightKey = new Anthropic({ apiKey: 'sk-test-right', baseURL: keyed.url });
  assert.equal((await rightKey.messages.create(ask('hi'))).type, 'message');
  assert.ok(!keyed.logs.some((line) => line.includes('sk-test')), 'keys never logged');

  const { anthropic } = client({ maxRetries: 0 });
  await assert.rejects(
    anthropic.messages.create({
      model: 'claude-opus-4-7',
      max_tokens: 20,
      messages: [
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello' },
      ],
    }),
    (error) => {
      assert.ok(error instanceof Anthropic.BadRequestError);
      assert.equal(error.type, 'invalid_request_error');
      assert.equal(error.apiMessage, 'This model does not support assistant message prefill. The conversation must end with a user message.');
      return true;
    },
  );
  await assert.rejects(anthropic.messages.create({ ...ask('hi'), model: 'claude-nonexistent' }), (error) => {
    assert.ok(error instanceof Anthropic.NotFoundError);
    assert.equal(error.apiMessage, 'model: claude-nonexistent');
    return true;
  });
});

test('the request shapes SDK 1.15 sends and the API accepts: speed, diagnostics, between_tools, the 2026 tools', async () => {
  const { anthropic } = client();
  const shapes = {
    speed: { speed: 'fast' },
    'speed null': { speed: null },
    diagnostics: { diagnostics: { previous_message_id: 'msg_01' } },
    'thinking between_tools': { thinking: { type: 'between_tools' } },
    toolsets: { tools: [{ type: 'browser_toolset_20260801' }, { type: 'computer_toolset_20260801', configs: {} }] },
    'the 2026 server tools': {
      tools: [
        { type: 'code_execution_20260521', name: 'code_execution' },
        { type: 'web_search_20260318', name: 'web_search' },
        { type: 'web_fetch_20260318', name: 'web_fetch' },
      ],
    },
  };
  for (const [name, extra] of Object.entries(shapes)) {
    const message = await anthropic.messages.create(ask('Say exactly: ok', extra));
    assert.equal(message.type, 'message', name);
  }
  const counted = await anthropic.messages.countTokens({ model: MODEL, messages: [{ role: 'user', content: 'hi' }], speed: 'standard' });
  assert.ok(counted.input_tokens > 0);
  for (const [name, extra, where] of [
    ['an unknown speed', { speed: 'turbo' }, /speed/],
    ['an unknown diagnostics field', { diagnostics: { other: 1 } }, /diagnostics/],
    ['between_tools with a budget', { thinking: { type: 'between_tools', budget_tokens: 2048 } }, /thinking/],
  ]) {
    const error = await anthropic.messages.create(ask('hi', extra)).catch((e) => e);
    assert.equal(error.status, 400, name);
    assert.match(error.message, where, name);
  }
});
