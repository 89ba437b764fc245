// Differential test: the same scripted calls through the official `@anthropic-ai/sdk` and through
// `anthropic-wasm`, each against its own local server behind a recording proxy, must send the same
// requests (method, path, query, headers less the SDK's telemetry, JSON bodies) and give the same
// results: return values, raw stream events, MessageStream helper events with their snapshots,
// final messages, error classes and bodies; beta messages and the Files API (uploads compared
// as multipart text). Ids and dates the server makes up are normalised.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import OfficialAnthropic from '@anthropic-ai/sdk';
import WasmAnthropic, { toFile as wasmToFile } from 'anthropic-wasm';
import { toFile as officialToFile } from '@anthropic-ai/sdk';
import { startDevserver } from '../../devserver/tests-node/helpers.mjs';

/** Header names that only the official SDK sends (telemetry) or that name the client. */
const TELEMETRY = /^(x-stainless-|user-agent$)/;

/** A server plus a proxy in front of it that records every request as the server received it. */
async function recordedServer() {
  const server = await startDevserver();
  const upstream = new URL(server.url);
  const requests = [];
  const proxy = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const headers = Object.fromEntries(
        Object.entries(req.headers).filter(([name]) => !TELEMETRY.test(name) && name !== 'host'),
      );
      // An upload's multipart body is kept as text, its boundary (random per request) named.
      const boundary = /boundary=(\S+)/.exec(headers['content-type'] ?? '')?.[1];
      if (boundary) headers['content-type'] = headers['content-type'].replace(boundary, '<boundary>');
      const read = boundary ? (text) => text.toString().split(boundary).join('<boundary>') : JSON.parse;
      requests.push({ method: req.method, url: req.url, headers, body: body.length ? read(body) : null });
      const forward = http.request(
        { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
        (reply) => {
          res.writeHead(reply.statusCode, reply.headers);
          reply.pipe(res);
        },
      );
      forward.on('error', () => res.destroy());
      res.on('close', () => forward.destroy());
      forward.end(body);
    });
  });
  await new Promise((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${proxy.address().port}`;
  const stop = async () => {
    proxy.closeAllConnections();
    await new Promise((resolve) => proxy.close(resolve));
    await server.stop();
  };
  return { url, requests, stop };
}

let official;
let wasm;

before(async () => {
  official = await recordedServer();
  wasm = await recordedServer();
});

after(async () => {
  await official?.stop();
  await wasm?.stop();
});

/** Server-made ids and times differ run to run: replace them by their kind. */
function normalise(value) {
  return JSON.parse(JSON.stringify(value ?? null), (_key, value) => {
    let v = value;
    if (typeof v !== 'string') return v;
    v = v.replace(/^http:\/\/127\.0\.0\.1:\d+/, '<server>');
    v = v.replace(/\b(msg|req|toolu|msgbatch|srvtoolu|file)_[A-Za-z0-9]{8,}/g, '$1_<id>');
    if (/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/.test(v)) return '<time>';
    if (/^EqQ[A-Za-z0-9+/=]+$/.test(v) || /^sig_/.test(v)) return '<signature>';
    return v;
  });
}

/** What an error says to its caller, comparable across the two libraries. */
function describeError(error) {
  return normalise({
    class: error.constructor.name,
    status: error.status ?? null,
    error: error.error ?? null,
    requestID: error.requestID ? 'present' : null,
    headerNames: error.headers ? [...error.headers.keys()].sort() : null,
    workspaceID: error.workspaceID ?? null,
    apiMessage: error.apiMessage ?? null,
    type: error.type ?? null,
    errorCode: error.errorCode ?? null,
    details: error.details ?? null,
  });
}

// Both send SDK 1.15's `anthropic-version: 2026-10-21` and a key as a Bearer token (the last test
// pins that down, with the `apiVersion` option that pins another version), so every header counts.
const TOKEN = 'sk-ant-differential-token';
const clients = {
  official: (options) => new OfficialAnthropic({ authToken: TOKEN, baseURL: official.url, ...options }),
  wasm: (options) => new WasmAnthropic({ authToken: TOKEN, baseURL: wasm.url, validation: false, ...options }),
};
const servers = () => ({ official, wasm });

/**
 * Runs `scenario(client)` with each library and asserts equal outcomes and equal recorded
 * requests. The scenario returns whatever it observed; a thrown error is compared by class and body.
 */
async function sameBehaviour(scenario, options = {}) {
  const outcomes = {};
  const sent = {};
  for (const name of ['official', 'wasm']) {
    const server = servers()[name];
    const first = server.requests.length;
    let outcome;
    try {
      outcome = { value: normalise(await scenario(clients[name](options), name)) };
    } catch (error) {
      outcome = { thrown: describeError(error) };
    }
    outcomes[name] = outcome;
    sent[name] = normalise(server.requests.slice(first));
  }
  assert.deepEqual(sent.wasm, sent.official, 'requests on the wire');
  assert.deepEqual(outcomes.wasm, outcomes.official, 'what the caller saw');
  return outcomes.wasm;
}

/** Every helper event of a MessageStream, with its arguments, in order. */
const HELPER_EVENTS = ['connect', 'streamEvent', 'text', 'inputJson', 'thinking', 'signature', 'citation',
  'contentBlock', 'message', 'finalMessage', 'error', 'abort', 'end'];

async function helperEvents(stream) {
  const seen = [];
  for (const name of HELPER_EVENTS) {
    // Copied as emitted: the official SDK hands out one snapshot object that it keeps changing.
    stream.on(name, (...args) =>
      seen.push([name, ...args.map((arg) => (arg instanceof Error ? describeError(arg) : normalise(arg)))]),
    );
  }
  let final = null;
  let failure = null;
  try {
    final = await stream.finalMessage();
  } catch (error) {
    failure = describeError(error);
  }
  return { seen, final, failure, current: stream.currentMessage ?? null };
}

const model = 'claude-sonnet-4-5';
const user = (content) => ({ role: 'user', content });
const RED_PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEklEQVR4nGP4f4ABghgYGBgYACuiBfk+kkb+AAAAAElFTkSuQmCC';

const requests = {
  plain: { model, max_tokens: 200, messages: [user('Hello there, how are you?')] },
  everything: {
    model,
    max_tokens: 120,
    system: [{ type: 'text', text: 'You are terse.', cache_control: { type: 'ephemeral' } }],
    messages: [
      user('What is 2 + 3?'),
      { role: 'assistant', content: 'It is 5.' },
      user([
        { type: 'text', text: 'Describe this image, then count to 30' },
        { type: 'image', source: { type: 'base64', media_type: 'image/png', data: RED_PNG } },
        { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
      ]),
      { role: 'assistant', content: 'Sure:' },
    ],
    temperature: 0.5,
    top_k: 10,
    top_p: 0.9,
    stop_sequences: ['7,'],
    metadata: { user_id: 'user-123' },
  },
  tools: {
    model,
    max_tokens: 400,
    tools: [
      {
        name: 'get_weather',
        description: 'Weather for a city',
        input_schema: {
          type: 'object',
          properties: { city: { type: 'string' }, days: { type: 'integer', minimum: 1, maximum: 7 } },
          required: ['city', 'days'],
        },
      },
    ],
    tool_choice: { type: 'any' },
    messages: [user('What is the weather in Paris for 3 days?')],
  },
  thinking: {
    model,
    max_tokens: 2000,
    thinking: { type: 'enabled', budget_tokens: 1024 },
    messages: [user('What is 12 × 12?')],
  },
  structured: {
    model,
    max_tokens: 300,
    output_config: {
      format: {
        type: 'json_schema',
        schema: {
          type: 'object',
          properties: { name: { type: 'string' }, age: { type: 'integer' } },
          required: ['name', 'age'],
          additionalProperties: false,
        },
      },
    },
    messages: [user('Invent a person')],
  },
  prefill: {
    model,
    max_tokens: 100,
    messages: [user('Give me a JSON object with a name'), { role: 'assistant', content: '{"name": "' }],
  },
};

for (const [name, params] of Object.entries(requests)) {
  test(`create: ${name}`, () => sameBehaviour((client) => client.messages.create(params)));

  test(`create stream: true: ${name}`, () =>
    sameBehaviour(async (client) => {
      const events = [];
      for await (const event of await client.messages.create({ ...params, stream: true })) events.push(event);
      return events;
    }));

  test(`messages.stream helper events: ${name}`, () =>
    sameBehaviour((client) => helperEvents(client.messages.stream(params))));
}

test('countTokens', () =>
  sameBehaviour((client) =>
    client.messages.countTokens({ model, messages: requests.everything.messages, system: 'Be brief.' })));

test('models: list pages, auto-pagination, retrieve', () =>
  sameBehaviour(async (client) => {
    const page = await client.models.list({ limit: 2 });
    const all = [];
    for await (const info of client.models.list({ limit: 3 })) all.push(info);
    return {
      page: page.data,
      hasNext: page.hasNextPage(),
      all,
      one: await client.models.retrieve(all[0].id),
    };
  }));

test('errors: 400 from the server, 401, 404 and an HTML 502', () =>
  sameBehaviour(async (client) => {
    const outcomes = [];
    const attempts = [
      () => client.messages.create({ model, max_tokens: -1, messages: [user('x')] }),
      () => client.messages.create(requests.plain, { headers: { 'x-devserver-fault': '401' } }),
      () => client.models.retrieve('no-such-model'),
      () => client.messages.create(requests.plain, { headers: { 'x-devserver-fault': 'html-502' }, maxRetries: 0 }),
    ];
    for (const attempt of attempts) {
      try {
        outcomes.push({ value: await attempt() });
      } catch (error) {
        outcomes.push(describeError(error));
      }
    }
    return outcomes;
  }));

test('retries: 529 twice then success, and a retry-after-ms 429', () =>
  sameBehaviour(async (client) => [
    await client.messages.create(requests.plain, { headers: { 'x-devserver-fault': 'fail-first=2' } }),
    await client.messages
      .create(requests.plain, { headers: { 'x-devserver-fault': '429:retry-after-ms=10' }, maxRetries: 1 })
      .catch(describeError),
  ]));

test('mid-stream error event: same error and partial message', () =>
  sameBehaviour((client) =>
    helperEvents(
      client.messages.stream(
        { ...requests.plain, messages: [user('Tell me a long story about the sea')] },
        { headers: { 'x-devserver-fault': 'error-after=5' } },
      ),
    )));

test('batches: create, retrieve, list, results', () =>
  sameBehaviour(async (client) => {
    const batch = await client.messages.batches.create({
      requests: [
        { custom_id: 'a', params: requests.plain },
        { custom_id: 'b', params: { ...requests.plain, model: `${model}+fault=400` } },
      ],
    });
    // The server takes 50 ms per request; one retrieve after that keeps the requests identical.
    await new Promise((resolve) => setTimeout(resolve, 600));
    const current = await client.messages.batches.retrieve(batch.id);
    const results = [];
    for await (const line of await client.messages.batches.results(batch.id)) results.push(line);
    // Results come in no particular order, from the real API as from this server.
    results.sort((a, b) => a.custom_id.localeCompare(b.custom_id));
    const listed = (await client.messages.batches.list({ limit: 1 })).data.map((b) => b.request_counts);
    return { batch, current, results, listed };
  }));

test('on the wire as SDK 1.15: its API version and the key as a Bearer token; apiVersion pins another', async () => {
  const sentBy = async (name, client) => {
    const server = servers()[name];
    const first = server.requests.length;
    await client.messages.countTokens({ model, messages: [user('hi')] });
    return server.requests[first].headers;
  };
  const key = 'sk-ant-key-for-headers';
  const theirs = await sentBy('official', new OfficialAnthropic({ apiKey: key, baseURL: official.url }));
  const ours = await sentBy('wasm', new WasmAnthropic({ apiKey: key, baseURL: wasm.url }));
  assert.equal(theirs.authorization, `Bearer ${key}`);
  assert.equal(theirs['anthropic-version'], '2026-10-21');
  assert.equal(ours.authorization, theirs.authorization);
  assert.equal(ours['x-api-key'], undefined);
  assert.equal(ours['anthropic-version'], theirs['anthropic-version']);
  const pinned = await sentBy('wasm', new WasmAnthropic({ apiKey: key, baseURL: wasm.url, apiVersion: '2023-06-01' }));
  assert.equal(pinned['anthropic-version'], '2023-06-01');
});

test('beta messages: betas as the anthropic-beta header, countTokens and parse with their betas, output_format', async () => {
  const seen = await sameBehaviour(async (client) => {
    const betas = ['files-api-2025-04-14'];
    const created = await client.beta.messages.create({ ...requests.plain, betas });
    const streamed = await client.beta.messages.stream({ ...requests.plain, betas }).finalMessage();
    const counted = await client.beta.messages.countTokens({ model, messages: requests.plain.messages, betas });
    const schema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false };
    const parsed = await client.beta.messages.parse({
      ...requests.plain,
      messages: [user('Which city is the Louvre in? In Paris.')],
      output_format: { type: 'json_schema', schema },
    });
    return { created, streamed, counted, parsed: [parsed.content, parsed.parsed_output] };
  });
  assert.deepEqual(seen.value.parsed[1], { city: 'Paris' }, 'a format without parse is read with JSON.parse');
  const beta = wasm.requests.filter((r) => r.headers['anthropic-beta']).map((r) => [r.url, r.headers['anthropic-beta']]);
  assert.deepEqual(beta.slice(-4), [
    ['/v1/messages', 'files-api-2025-04-14'],
    ['/v1/messages', 'files-api-2025-04-14'],
    ['/v1/messages/count_tokens', 'files-api-2025-04-14,token-counting-2024-11-01'],
    ['/v1/messages', 'structured-outputs-2025-12-15'],
  ]);
});

test('files: upload with toFile, list, metadata, a document by file_id, a refused download, delete', async () => {
  const seen = await sameBehaviour(async (client, name) => {
    const toFile = name === 'wasm' ? wasmToFile : officialToFile;
    const file = await toFile(new TextEncoder().encode('The river is 42 km long.'), 'river.txt', { type: 'text/plain' });
    const uploaded = await client.beta.files.upload({ file, betas: ['files-api-2025-04-14'] });
    const listed = (await client.beta.files.list({ limit: 5 })).data.filter((f) => f.id === uploaded.id);
    const metadata = await client.beta.files.retrieveMetadata(uploaded.id);
    const answer = await client.messages.create({
      ...requests.plain,
      messages: [{ role: 'user', content: [{ type: 'document', source: { type: 'file', file_id: uploaded.id } }, { type: 'text', text: 'How long is it?' }] }],
    });
    const download = await client.beta.files.download(uploaded.id).then((r) => r.status, describeError);
    const deleted = await client.beta.files.delete(uploaded.id);
    return { uploaded, listed, metadata, answer, download, deleted };
  });
  assert.equal(seen.value.listed.length, 1);
  assert.equal(seen.value.download.class, 'FileNotDownloadableError');
  assert.equal(seen.value.deleted.type, 'file_deleted');
});
