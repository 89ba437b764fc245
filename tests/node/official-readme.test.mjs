// The official SDK's README examples, run against the npm package: the import changed to
// 'anthropic-wasm', the environment pointing the client at the local Messages API server
// (ANTHROPIC_BASE_URL, ANTHROPIC_API_KEY), and `console` in each test a recorder, so the code of
// each example stays as the README has it and the test checks what it printed and returned.
//
// Source: node_modules/@anthropic-ai/sdk/README.md (1.15.0) has only "Getting started"; its
// message, streaming, error, retry, timeout, pagination, batch and request-option examples are
// those of the SDK repository's full README (anthropics/anthropic-sdk-typescript at 5c2bec85,
// the last before it was cut down). Changes to the examples: the import; `claude-opus-5-5`
// (1.15.0) becomes `claude-opus-4-7`, a model the local server knows; where an example needs a
// failure or a slow server, the request asks the server for it (a `+fault=` model suffix or
// the `x-devserver-fault` header); `batch_id` and `client` are defined.
//
// Not run, and why:
// - Request & Response types: TypeScript; checked by tests/types/official-readme.ts.
// - MCP helpers: not in this package (see README, differences from 1.15).
// - Tool use (`toolRunner`, `betaZodTool`, `ToolError`), file uploads (`toFile`, `beta.files`),
//   beta features (`client.beta.messages`), logging (`logLevel`, `logger`) and undocumented
//   endpoints (`client.post(…)`): run in the SDK 1.15 comparisons instead, the same code on both
//   clients (tool-runner-sdk, structured-sdk, files, differential, logging-sdk, sdk-signatures).
// - AWS Bedrock: a separate package.
// - Proxies through `fetchOptions` (undici `dispatcher`, Bun `proxy`, Deno `client`): runtime
//   specific; `fetchOptions` itself is checked (it reaches `fetch` as the README says).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import Anthropic from 'anthropic-wasm';
import { Stream } from 'anthropic-wasm';
import { startDevserver } from '../../devserver/tests-node/helpers.mjs';

let server;
let client;
let anthropic;

before(async () => {
  server = await startDevserver();
  process.env.ANTHROPIC_BASE_URL = server.url;
  process.env.ANTHROPIC_API_KEY = 'sk-ant-readme-examples';
  client = new Anthropic();
  anthropic = client;
});

after(async () => {
  delete process.env.ANTHROPIC_BASE_URL;
  delete process.env.ANTHROPIC_API_KEY;
  await server?.stop();
});

/** The server's log lines matching `pattern`, once at least `count` are there (it logs after replying). */
async function serverLogs(pattern, count = 1) {
  for (let waited = 0; ; waited += 10) {
    const lines = server.logs.filter((line) => pattern.test(line));
    if (lines.length >= count || waited > 2000) return lines;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const hi = { role: 'user', content: 'hi' };

/** A `console` whose `log` records its arguments. */
function recorder() {
  const logged = [];
  return { console: { log: (...args) => logged.push(args.length === 1 ? args[0] : args) }, logged };
}

/** A fetch that records each request's headers and init and each response's status. */
function recordingFetch() {
  const calls = [];
  const fetch = async (url, init) => {
    const response = await globalThis.fetch(url, init);
    calls.push({ url, init, headers: new Headers(init.headers), status: response.status });
    return response;
  };
  return { fetch, calls };
}

test('Getting started (1.15.0 README)', async () => {
  const { console, logged } = recorder();

  const client = new Anthropic({
    apiKey: process.env['ANTHROPIC_API_KEY'], // This is the default and can be omitted
  });

  const message = await client.messages.create({
    max_tokens: 1024,
    messages: [{ role: 'user', content: 'Hello, Claude' }],
    model: 'claude-opus-4-7',
  });

  console.log(message.content);

  assert.equal(logged.length, 1);
  assert.equal(logged[0][0].type, 'text');
  assert.match(logged[0][0].text, /Hello/);
});

test('Usage', async () => {
  const { console, logged } = recorder();

  const client = new Anthropic({
    apiKey: process.env['ANTHROPIC_API_KEY'], // This is the default and can be omitted
  });

  const message = await client.messages.create({
    max_tokens: 1024,
    messages: [{ role: 'user', content: 'Hello, Claude' }],
    model: 'claude-sonnet-4-5-20250929',
  });

  console.log(message.content);

  assert.deepEqual(logged, [message.content]);
  assert.equal(message.model, 'claude-sonnet-4-5-20250929');
  assert.equal(message.stop_reason, 'end_turn');
});

test('Streaming responses: stream: true yields the events', async () => {
  const { console, logged } = recorder();

  const client = new Anthropic();

  const stream = await client.messages.create({
    max_tokens: 1024,
    messages: [{ role: 'user', content: 'Hello, Claude' }],
    model: 'claude-sonnet-4-5-20250929',
    stream: true,
  });
  for await (const messageStreamEvent of stream) {
    console.log(messageStreamEvent.type);
  }

  assert.equal(logged[0], 'message_start');
  assert.equal(logged[1], 'content_block_start');
  assert.ok(logged.filter((type) => type === 'content_block_delta').length > 1);
  assert.deepEqual(logged.slice(-3), ['content_block_stop', 'message_delta', 'message_stop']);
});

test('Streaming responses: `break` from the loop cancels the stream', async () => {
  const stream = await client.messages.create({
    max_tokens: 1024,
    messages: [{ role: 'user', content: 'Tell me a story about a lighthouse' }],
    model: 'claude-sonnet-4-5-20250929',
    stream: true,
  });
  let events = 0;
  for await (const messageStreamEvent of stream) {
    if (messageStreamEvent.type === 'content_block_delta' && ++events === 2) break;
  }
  assert.equal(events, 2);
  assert.ok(stream.controller.signal.aborted, 'the request is aborted');
});

test('Streaming responses: `stream.controller.abort()` ends the loop quietly', async () => {
  const stream = await client.messages.create(
    {
      max_tokens: 1024,
      messages: [{ role: 'user', content: 'Tell me a story about a lighthouse' }],
      model: 'claude-sonnet-4-5-20250929',
      stream: true,
    },
    { headers: { 'x-devserver-fault': 'stall=5000' } },
  );
  const started = Date.now();
  const types = [];
  for await (const messageStreamEvent of stream) {
    types.push(messageStreamEvent.type);
    if (messageStreamEvent.type === 'content_block_delta') stream.controller.abort();
  }
  assert.ok(types.includes('content_block_delta'));
  assert.ok(!types.includes('message_stop'));
  assert.ok(Date.now() - started < 4000, 'the abort did not wait for the stalled server');
});

test('Request & Response types (as JavaScript)', async () => {
  const client = new Anthropic({
    apiKey: process.env['ANTHROPIC_API_KEY'], // This is the default and can be omitted
  });

  const params = {
    max_tokens: 1024,
    messages: [{ role: 'user', content: 'Hello, Claude' }],
    model: 'claude-sonnet-4-5-20250929',
  };
  const message = await client.messages.create(params);

  assert.equal(message.type, 'message');
  assert.equal(message.role, 'assistant');
});

test('Counting Tokens: usage', async () => {
  const { console, logged } = recorder();

  const message = await client.messages.create({
    max_tokens: 1024,
    messages: [{ role: 'user', content: 'Hello, Claude' }],
    model: 'claude-sonnet-4-5-20250929',
  });
  console.log(message.usage);
  // { input_tokens: 25, output_tokens: 13 }

  const [usage] = logged;
  assert.ok(Number.isInteger(usage.input_tokens) && usage.input_tokens > 0);
  assert.ok(Number.isInteger(usage.output_tokens) && usage.output_tokens > 0);
  const counted = await client.messages.countTokens({
    messages: [{ role: 'user', content: 'Hello, Claude' }],
    model: 'claude-sonnet-4-5-20250929',
  });
  assert.equal(counted.input_tokens, usage.input_tokens);
});

test('Streaming Helpers', async () => {
  const { console, logged } = recorder();

  const anthropic = new Anthropic();

  async function main() {
    const stream = anthropic.messages
      .stream({
        model: 'claude-sonnet-4-5-20250929',
        max_tokens: 1024,
        messages: [
          {
            role: 'user',
            content: 'Say hello there!',
          },
        ],
      })
      .on('text', (text) => {
        console.log(text);
      });

    const message = await stream.finalMessage();
    console.log(message);
  }

  await main();

  const message = logged.at(-1);
  const texts = logged.slice(0, -1);
  assert.equal(message.type, 'message');
  assert.ok(texts.length > 1, 'text arrives in several steps');
  assert.equal(texts.join(''), message.content[0].text);
});

test('Message Batches: creating a batch, then getting its results', async () => {
  const { console, logged } = recorder();

  const batch = await anthropic.messages.batches.create({
    requests: [
      {
        custom_id: 'my-first-request',
        params: {
          model: 'claude-sonnet-4-5-20250929',
          max_tokens: 1024,
          messages: [{ role: 'user', content: 'Hello, world' }],
        },
      },
      {
        custom_id: 'my-second-request',
        params: {
          model: 'claude-sonnet-4-5-20250929',
          max_tokens: 1024,
          messages: [{ role: 'user', content: 'Hi again, friend' }],
        },
      },
    ],
  });
  assert.match(batch.id, /^msgbatch_/);
  assert.equal(batch.request_counts.processing, 2);

  // "Once a Message Batch has been processed, indicated by .processing_status === 'ended'"
  const batch_id = batch.id;
  for (let tries = 0; (await anthropic.messages.batches.retrieve(batch_id)).processing_status !== 'ended'; tries++) {
    assert.ok(tries < 100, 'the batch did not end within 5 s');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }

  const results = await anthropic.messages.batches.results(batch_id);
  for await (const entry of results) {
    if (entry.result.type === 'succeeded') {
      console.log(entry.result.message.content);
    }
  }

  assert.equal(logged.length, 2);
  const texts = logged.map((content) => content[0].text).sort();
  assert.match(texts.join('\n'), /Hello, world/);
  assert.match(texts.join('\n'), /Hi again, friend/);
});

test('Handling errors: a subclass of APIError', async () => {
  const { console, logged } = recorder();

  const message = await client.messages
    .create({
      max_tokens: 1024,
      messages: [{ role: 'user', content: 'Hello, Claude' }],
      model: 'claude-sonnet-4-5-20250929+fault=400',
    })
    .catch(async (err) => {
      if (err instanceof Anthropic.APIError) {
        console.log(err.status); // 400
        console.log(err.name); // BadRequestError
        console.log(err.headers); // {server: 'nginx', ...}
      } else {
        throw err;
      }
    });

  assert.equal(message, undefined);
  assert.equal(logged[0], 400);
  assert.equal(logged[1], 'BadRequestError');
  // The README's comment shows a plain object; SDK 1.15.0 itself gives a `Headers`, as we do.
  assert.ok(logged[2] instanceof Headers);
  assert.match(logged[2].get('request-id'), /^req_/);
  assert.equal(logged[2].get('content-type'), 'application/json');
});

test('Handling errors: the error codes table (SDK 1.15 classes)', async () => {
  const table = {
    400: 'BadRequestError',
    401: 'AuthenticationError',
    403: 'PermissionDeniedError',
    404: 'NotFoundError',
    429: 'RateLimitError',
    500: 'InternalServerError',
    529: 'OverloadedError',
  };
  const noRetries = new Anthropic({ maxRetries: 0 });
  for (const [status, name] of Object.entries(table)) {
    const err = await noRetries.messages
      .create(
        { max_tokens: 16, messages: [{ role: 'user', content: 'Hello' }], model: 'claude-haiku-4-5' },
        { headers: { 'x-devserver-fault': status } },
      )
      .catch((e) => e);
    assert.ok(err instanceof Anthropic[name], `${status}: ${err}`);
    assert.ok(err instanceof Anthropic.APIError);
    if (status >= 500) assert.ok(err instanceof Anthropic.InternalServerError, `${status} is an InternalServerError`);
    assert.equal(err.name, name);
    assert.equal(err.status, Number(status));
  }
  // The local server never answers 422 (nor does the API today): a fetch that does.
  const unprocessable = async () =>
    new Response(JSON.stringify({ type: 'error', error: { type: 'invalid_request_error', message: 'unprocessable' } }), {
      status: 422,
      headers: { 'content-type': 'application/json', 'request-id': 'req_422' },
    });
  const err422 = await new Anthropic({ fetch: unprocessable, maxRetries: 0 }).messages
    .create({ max_tokens: 16, messages: [{ role: 'user', content: 'Hello' }], model: 'claude-haiku-4-5' })
    .catch((e) => e);
  assert.ok(err422 instanceof Anthropic.UnprocessableEntityError);
  assert.equal(err422.name, 'UnprocessableEntityError');
  assert.equal(err422.requestID, 'req_422');
  // N/A: no connection at all (a port nobody listens on).
  const unreachable = new Anthropic({ baseURL: 'http://127.0.0.1:9', maxRetries: 0 });
  const err = await unreachable.messages
    .create({ max_tokens: 16, messages: [{ role: 'user', content: 'Hello' }], model: 'claude-haiku-4-5' })
    .catch((e) => e);
  assert.ok(err instanceof Anthropic.APIConnectionError);
  assert.equal(err.name, 'APIConnectionError');
  assert.equal(err.status, undefined);
});

test('Request IDs: _request_id', async () => {
  const { console, logged } = recorder();

  const message = await client.messages.create({
    max_tokens: 1024,
    messages: [{ role: 'user', content: 'Hello, Claude' }],
    model: 'claude-sonnet-4-5-20250929',
  });
  console.log(message._request_id); // req_018EeWyXxfu5pfWkrYcMdjWG

  assert.match(logged[0], /^req_[A-Za-z0-9]+$/);
  assert.ok(!Object.keys(message).includes('_request_id'), 'not an enumerable field of the data');
  assert.equal((await serverLogs(new RegExp(` 200 ${logged[0]} `))).length, 1, 'the id the server logged');
});

test('Retries: maxRetries for the client and per request', async () => {
  const { fetch, calls } = recordingFetch();
  const fault = (spec) => ({ headers: { 'x-devserver-fault': spec } });

  // Configure the default for all requests:
  const client = new Anthropic({
    maxRetries: 0, // default is 2
    fetch,
  });

  const refused = await client.messages
    .create(
      { max_tokens: 1024, messages: [{ role: 'user', content: 'Hello, Claude' }], model: 'claude-sonnet-4-5-20250929' },
      fault('fail-first=1'),
    )
    .catch((e) => e);
  assert.ok(refused instanceof Anthropic.InternalServerError);
  assert.deepEqual(calls.map((c) => c.status), [529]);

  // Or, configure per-request:
  calls.length = 0;
  await client.messages.create({
    max_tokens: 1024,
    messages: [{ role: 'user', content: 'Hello, Claude' }],
    model: 'claude-sonnet-4-5-20250929',
  }, {
    maxRetries: 5,
    ...fault('fail-first=2'),
  });
  assert.deepEqual(calls.map((c) => c.status), [529, 529, 200]);
});

test('Retries: 2 by default, for connection errors, 408, 409, 429 and >=500, not 400', async () => {
  const { fetch, calls } = recordingFetch();
  const client = new Anthropic({ fetch });
  const request = { max_tokens: 16, messages: [{ role: 'user', content: 'Hello' }], model: 'claude-haiku-4-5' };
  const statuses = async (spec, options = {}) => {
    calls.length = 0;
    await client.messages.create(request, { headers: { 'x-devserver-fault': spec }, ...options }).catch(() => {});
    return calls.map((c) => c.status);
  };
  assert.deepEqual(await statuses('500'), [500, 500, 500], 'retried 2 times by default');
  for (const status of [408, 409, 429]) {
    assert.deepEqual(await statuses(String(status), { maxRetries: 1 }), [status, status]);
  }
  assert.deepEqual(await statuses('400'), [400]);

  let attempts = 0;
  const failingFetch = async () => {
    attempts++;
    throw new TypeError('fetch failed');
  };
  const err = await new Anthropic({ fetch: failingFetch, maxRetries: 1 }).messages.create(request).catch((e) => e);
  assert.ok(err instanceof Anthropic.APIConnectionError);
  assert.equal(attempts, 2, 'a connection error is retried');
});

test('Timeouts: client and per-request timeout, APIConnectionTimeoutError, retried twice', async () => {
  const slow = { headers: { 'x-devserver-fault': 'slow-headers=3000' } };

  // Configure the default for all requests:
  const client = new Anthropic({
    timeout: 20 * 1000, // 20 seconds (default is 10 minutes)
  });
  assert.equal(client.timeout, 20_000);

  // Override per-request:
  const { fetch, calls } = recordingFetch();
  let attempts = 0;
  const countingClient = new Anthropic({
    timeout: 20 * 1000,
    fetch: (url, init) => {
      attempts++;
      return fetch(url, init);
    },
  });
  const started = Date.now();
  const err = await countingClient.messages
    .create({
      max_tokens: 1024,
      messages: [{ role: 'user', content: 'Hello, Claude' }],
      model: 'claude-sonnet-4-5-20250929',
    }, {
      timeout: 200,
      ...slow,
    })
    .catch((e) => e);
  // On timeout, an `APIConnectionTimeoutError` is thrown, after two retries.
  assert.ok(err instanceof Anthropic.APIConnectionTimeoutError, String(err));
  assert.equal(attempts, 3);
  assert.equal(calls.length, 0, 'no response arrived');
  assert.ok(Date.now() - started < 3000, 'each attempt stopped at its timeout');
});

test('Long Requests: a non-streaming request expected above ~10 minutes is refused', async () => {
  const long = { max_tokens: 64_000, messages: [{ role: 'user', content: 'Say exactly: ok' }], model: 'claude-sonnet-4-5' };
  const err = await client.messages.create(long).catch((e) => e);
  assert.ok(err instanceof Anthropic.AnthropicError);
  assert.match(err.message, /streaming is required/i);
  // "Passing `stream: true` or overriding the `timeout` option … disables this error."
  assert.equal((await client.messages.create(long, { timeout: 60_000 })).content[0].text, 'ok');
  assert.equal(await client.messages.stream(long).finalText(), 'ok');
  assert.equal((await new Anthropic({ timeout: 60_000 }).messages.create(long)).content[0].text, 'ok');
});

test('Auto-pagination: for await over every page, and one page at a time', async () => {
  const { console, logged } = recorder();
  const created = [];
  for (let i = 0; i < 23; i++) {
    const batch = await client.messages.batches.create({
      requests: [{ custom_id: `page-${i}`, params: { model: 'claude-haiku-4-5', max_tokens: 8, messages: [hi] } }],
    });
    created.push(batch.id);
  }
  const listing = /^GET \/v1\/messages\/batches /;
  const listsBefore = server.logs.filter((line) => listing.test(line)).length;

  async function fetchAllMessageBatches(params) {
    const allMessageBatches = [];
    // Automatically fetches more pages as needed.
    for await (const messageBatch of client.messages.batches.list({ limit: 20 })) {
      allMessageBatches.push(messageBatch);
    }
    return allMessageBatches;
  }

  const all = await fetchAllMessageBatches();
  const ids = all.map((batch) => batch.id);
  assert.equal(new Set(ids).size, ids.length, 'no batch twice');
  for (const id of created) assert.ok(ids.includes(id), `${id} listed`);
  const pagesFetched = Math.ceil(ids.length / 20);
  assert.ok(pagesFetched >= 2);
  assert.equal((await serverLogs(listing, listsBefore + pagesFetched)).length - listsBefore, pagesFetched, 'pages of 20');

  let page = await client.messages.batches.list({ limit: 20 });
  for (const messageBatch of page.data) {
    console.log(messageBatch);
  }

  // Convenience methods are provided for manually paginating:
  const pages = [page.data];
  while (page.hasNextPage()) {
    page = await page.getNextPage();
    pages.push(page.data);
  }

  assert.equal(logged.length, 20);
  assert.deepEqual(pages.flat().map((batch) => batch.id), ids);
});

test('Default Headers: overriding anthropic-version per request', async () => {
  const err = await client.messages
    .create(
      {
        max_tokens: 1024,
        messages: [{ role: 'user', content: 'Hello, Claude' }],
        model: 'claude-sonnet-4-5-20250929',
      },
      { headers: { 'anthropic-version': 'My-Custom-Value' } },
    )
    .catch((e) => e);
  // The local server, like the API, refuses that version: proof the header was sent.
  assert.ok(err instanceof Anthropic.BadRequestError);
  assert.match(err.message, /My-Custom-Value/);
});

test('Accessing raw Response data: asResponse() and withResponse()', async () => {
  const { console, logged } = recorder();
  const client = new Anthropic();

  const response = await client.messages
    .create({
      max_tokens: 1024,
      messages: [{ role: 'user', content: 'Hello, Claude' }],
      model: 'claude-sonnet-4-5-20250929',
    })
    .asResponse();
  console.log(response.headers.get('X-My-Header'));
  console.log(response.statusText); // access the underlying Response object

  const { data: message, response: raw } = await client.messages
    .create({
      max_tokens: 1024,
      messages: [{ role: 'user', content: 'Hello, Claude' }],
      model: 'claude-sonnet-4-5-20250929',
    })
    .withResponse();
  console.log(raw.headers.get('X-My-Header'));
  console.log(message.content);

  assert.deepEqual(logged.slice(0, 3), [null, 'OK', null]);
  assert.deepEqual(logged[3], message.content);
  assert.ok(response instanceof Response && raw instanceof Response);
  // asResponse leaves the body to the caller; withResponse has read it.
  const body = await response.json();
  assert.equal(body.type, 'message');
  assert.equal(body.id.startsWith('msg_'), true);
  assert.equal(raw.bodyUsed, true);
  assert.match(raw.headers.get('request-id'), /^req_/);
  assert.equal(message._request_id, raw.headers.get('request-id'));
});

test('withResponse(): request_id, and the Stream of stream: true', async () => {
  const result = await client.messages
    .create({ max_tokens: 64, messages: [{ role: 'user', content: 'count to 3' }], model: 'claude-haiku-4-5', stream: true })
    .withResponse();
  assert.match(result.request_id, /^req_/);
  assert.match(result.response.headers.get('content-type'), /^text\/event-stream/);
  assert.ok(result.data instanceof Stream);
  const types = [];
  for await (const event of result.data) types.push(event.type);
  assert.equal(types.at(-1), 'message_stop');

  const helper = await client.messages
    .stream({ max_tokens: 64, messages: [{ role: 'user', content: 'count to 3' }], model: 'claude-haiku-4-5' })
    .withResponse();
  assert.equal(helper.response.status, 200);
  assert.equal(helper.request_id, helper.response.headers.get('request-id'));
  assert.equal(await helper.data.finalText(), '1, 2, 3.');
});

test('Undocumented request params are sent as-is', async () => {
  const err = await client.messages
    .create({
      max_tokens: 1024,
      messages: [{ role: 'user', content: 'Hello, Claude' }],
      model: 'claude-sonnet-4-5-20250929',
      // @ts-expect-error baz is not yet public
      baz: 'undocumented option',
    })
    .catch((e) => e);
  // The local server, like the API, rejects the unknown field by name: it was sent.
  assert.ok(err instanceof Anthropic.BadRequestError, String(err));
  assert.match(err.message, /baz/);
});

test('Customizing the fetch client: the global, or the fetch option', async () => {
  // Polyfill the global (looked up at each request):
  const original = globalThis.fetch;
  const seen = [];
  globalThis.fetch = async (url, init) => {
    seen.push(url);
    return original(url, init);
  };
  try {
    await new Anthropic().messages.create({ max_tokens: 8, messages: [hi], model: 'claude-haiku-4-5' });
  } finally {
    globalThis.fetch = original;
  }
  assert.deepEqual(seen, [`${server.url}/v1/messages`]);

  // Or pass it to the client:
  const { fetch, calls } = recordingFetch();
  const client = new Anthropic({ fetch });
  await client.messages.create({ max_tokens: 8, messages: [{ role: 'user', content: 'hi' }], model: 'claude-haiku-4-5' });
  assert.equal(calls.length, 1);
  assert.equal(calls[0].url, `${server.url}/v1/messages`);
  assert.equal(calls[0].headers.get('authorization'), 'Bearer sk-ant-readme-examples');
});

test('Fetch options: RequestInit options from the client and the request reach fetch', async () => {
  const { fetch, calls } = recordingFetch();
  const client = new Anthropic({
    fetch,
    fetchOptions: {
      // `RequestInit` options
      cache: 'no-store',
      keepalive: false,
    },
  });
  const request = { max_tokens: 8, messages: [{ role: 'user', content: 'hi' }], model: 'claude-haiku-4-5' };
  await client.messages.create(request);
  await client.messages.create(request, { fetchOptions: { keepalive: true } });
  assert.equal(calls[0].init.cache, 'no-store');
  assert.equal(calls[0].init.keepalive, false);
  assert.equal(calls[1].init.keepalive, true, 'request-specific options override client options');
  assert.equal(calls[1].init.cache, 'no-store');
  assert.equal(calls[1].init.method, 'POST', "the request's own init wins");
});

test('withOptions: a client with some options changed', async () => {
  const { fetch, calls } = recordingFetch();
  const base = new Anthropic({ fetch, maxRetries: 0, defaultHeaders: { 'x-team': 'docs' } });
  const patient = base.withOptions({ maxRetries: 3 });
  assert.equal(patient.maxRetries, 3);
  assert.equal(base.maxRetries, 0);
  await patient.messages.create(
    { max_tokens: 8, messages: [{ role: 'user', content: 'Say exactly: kept' }], model: 'claude-haiku-4-5' },
    { headers: { 'x-devserver-fault': 'fail-first=1' } },
  );
  assert.deepEqual(calls.map((c) => c.status), [529, 200]);
  assert.equal(calls[1].headers.get('x-team'), 'docs', 'the other options are kept');
});

test('Stream: tee(), toReadableStream() and Stream.fromReadableStream()', async () => {
  const request = {
    max_tokens: 64,
    messages: [{ role: 'user', content: 'count to 5' }],
    model: 'claude-haiku-4-5',
    stream: true,
  };
  const [left, right] = (await client.messages.create(request)).tee();
  const leftTypes = [];
  for await (const event of left) leftTypes.push(event.type);
  const rightTypes = [];
  for await (const event of right) rightTypes.push(event.type);
  assert.equal(leftTypes.at(-1), 'message_stop');
  assert.deepEqual(rightTypes, leftTypes);

  const once = await client.messages.create(request);
  const events = [];
  for await (const event of Stream.fromReadableStream(once.toReadableStream(), new AbortController())) events.push(event);
  assert.deepEqual(events.map((e) => e.type), leftTypes);
  const text = events
    .filter((e) => e.type === 'content_block_delta')
    .map((e) => e.delta.text)
    .join('');
  assert.equal(text, '1, 2, 3, 4, 5.');
  await assert.rejects(
    async () => {
      for await (const event of once) assert.fail(`consumed stream yielded ${event.type}`);
    },
    /Cannot iterate over a consumed stream/,
  );
});
