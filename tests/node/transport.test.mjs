// The JS shell's own transport (js/core/request.js, js/core/streaming.js): what the earlier wasm
// transport did and this one must not (issue 13's JS findings; each of these failed on the
// package before the codec redesign): keep listeners on a long-lived signal, swallow an abort
// while reading an error body, fire a 2^31 ms timeout at once, leak part of a key that an error
// body echoes across the excerpt's cut. And an abort during a retry backoff ends it at once
// (that one held before too).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import Anthropic, { APIConnectionTimeoutError, APIError, APIUserAbortError } from 'anthropic-wasm';
import { startDevserver } from '../../devserver/tests-node/helpers.mjs';

let server;

before(async () => {
  server = await startDevserver();
});

after(async () => {
  await server?.stop();
});

const params = { model: 'claude-sonnet-4-5', max_tokens: 50, messages: [{ role: 'user', content: 'Hi' }] };

test('finished requests and streams leave no listener on a long-lived signal', async () => {
  const client = new Anthropic({ apiKey: 'sk-any', baseURL: server.url });
  const { signal } = new AbortController();
  for (let i = 0; i < 10; i++) {
    await client.messages.create(params, { signal });
    await client.messages.stream(params, { signal }).finalMessage();
    for await (const event of await client.messages.create({ ...params, stream: true }, { signal })) void event;
    await client.models.list({}, { signal });
  }
  assert.equal(getEventListeners(signal, 'abort').length, 0);
});

/** A fetch that answers every call with `respond()`, counting the calls. */
function scripted(respond) {
  const calls = [];
  const fetch = async (url, init) => {
    calls.push(url);
    return respond(init);
  };
  return { fetch, calls };
}

for (const [what, call] of [
  ['create', (client, signal) => client.messages.create(params, { signal })],
  ['stream', (client, signal) => client.messages.stream(params, { signal }).finalMessage()],
]) {
  test(`an abort during a retry backoff ends the request at once, without another attempt (${what})`, async () => {
    const { fetch, calls } = scripted(
      () =>
        new Response(JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }), {
          status: 529,
          headers: { 'retry-after': '30', 'content-type': 'application/json' },
        }),
    );
    const client = new Anthropic({ apiKey: 'sk-any', baseURL: 'http://api.invalid', fetch, maxRetries: 3 });
    const controller = new AbortController();
    const started = Date.now();
    const request = call(client, controller.signal);
    setTimeout(() => controller.abort(), 50);
    await assert.rejects(request, APIUserAbortError);
    assert.equal(calls.length, 1);
    assert.ok(Date.now() - started < 5000, 'the 30 s backoff was not waited out');
  });
}

test('a retry-after HTTP date is waited for (read with Date.parse, as SDK 1.15); a past one retries at once', async () => {
  const gaps = [];
  // HTTP dates have whole seconds: 2.6 s ahead is 1.6–2.6 s once cut to the second.
  for (const ahead of [2600, -60_000]) {
    const times = [];
    const { fetch } = scripted(() => {
      times.push(Date.now());
      if (times.length > 1) return Response.json({ type: 'message', role: 'assistant', content: [], stop_reason: 'end_turn', usage: {} });
      return new Response('{"type":"error","error":{"type":"rate_limit_error","message":"slow down"}}', {
        status: 429,
        headers: { 'retry-after': new Date(Date.now() + ahead).toUTCString(), 'content-type': 'application/json' },
      });
    });
    await new Anthropic({ apiKey: 'sk-any', baseURL: 'http://api.invalid', fetch, maxRetries: 1 }).messages.create(params);
    gaps.push(times[1] - times[0]);
  }
  // The backoff without a usable header is 0.375–0.5 s: the date's wait is longer, the past one shorter.
  assert.ok(gaps[0] >= 1500, `waited ${gaps[0]} ms for a date 1.6–2.6 s ahead`);
  assert.ok(gaps[1] < 300, `waited ${gaps[1]} ms for a date in the past`);
});

test('an abort while an error body is read is an abort, not a swallowed error', async () => {
  const { fetch } = scripted(
    (init) =>
      new Response(
        new ReadableStream({
          start(controller) {
            controller.enqueue(new TextEncoder().encode('{"type":"error",'));
            init.signal.addEventListener('abort', () => controller.error(new DOMException('aborted', 'AbortError')));
          },
        }),
        { status: 500 },
      ),
  );
  const client = new Anthropic({ apiKey: 'sk-any', baseURL: 'http://api.invalid', fetch, maxRetries: 0 });
  const controller = new AbortController();
  const request = client.messages.create(params, { signal: controller.signal });
  setTimeout(() => controller.abort(), 50);
  await assert.rejects(request, APIUserAbortError);
});

test('a timeout of 2^31 ms or more does not fire at once', async () => {
  const client = new Anthropic({ apiKey: 'sk-any', baseURL: server.url, timeout: 2 ** 31 + 1000 });
  const message = await client.messages.create(params);
  assert.equal(message.type, 'message');
  const stream = client.messages.stream(params);
  assert.equal((await stream.finalMessage()).type, 'message');
});

test('a key echoed across the excerpt limit of a non-JSON error leaves no part of it', async () => {
  const key = 'sk-ant-echoed-0123456789abcdefghijklmnopqrstuvwxyz';
  const { fetch } = scripted(() => new Response(`<html>${'x'.repeat(180)}${key} tail</html>`, { status: 502 }));
  const client = new Anthropic({ apiKey: key, baseURL: 'http://api.invalid', fetch, maxRetries: 0 });
  const error = await client.messages.create(params).catch((e) => e);
  assert.ok(error instanceof APIError, String(error));
  assert.equal(error.status, 502);
  assert.match(error.message, /\[redacted\]/);
  assert.ok(!error.message.includes(key.slice(0, 12)), error.message);
});

test('ids . and .. (and empty) are refused before sending, with the official SDK 1.15 error', async () => {
  const { default: Official } = await import('@anthropic-ai/sdk');
  const calls = [];
  const fetch = async (url) => {
    calls.push(url);
    return new Response('{}', { status: 200, headers: { 'content-type': 'application/json' } });
  };
  const ours = new Anthropic({ apiKey: 'sk-any', fetch, maxRetries: 0 });
  const theirs = new Official({ apiKey: 'sk-any', fetch, maxRetries: 0 });
  // How a call fails: at once (a throw) or as a rejected promise, and with what.
  const thrown = async (call) => {
    let result;
    try {
      result = call();
    } catch (error) {
      return `throws ${error.constructor.name}: ${error.message}`;
    }
    try {
      await result;
      return 'no error';
    } catch (error) {
      return `rejects ${error.constructor.name}: ${error.message}`;
    }
  };
  for (const id of ['', '.', '..']) {
    for (const [name, call] of [
      ['batches.retrieve', (c) => c.messages.batches.retrieve(id)],
      ['batches.cancel', (c) => c.messages.batches.cancel(id)],
      ['batches.delete', (c) => c.messages.batches.delete(id)],
      ['batches.results', (c) => c.messages.batches.results(id)],
      ['models.retrieve', (c) => c.models.retrieve(id)],
    ]) {
      const expected = await thrown(() => call(theirs));
      assert.match(expected, /^(throws|rejects) AnthropicError: Path parameters result in path with invalid segments/, `${name}(${JSON.stringify(id)}) in the SDK`);
      assert.equal(await thrown(() => call(ours)), expected, `${name}(${JSON.stringify(id)})`);
    }
  }
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.deepEqual(calls, [], 'nothing was sent');
});

/** A body of 1-byte chunks that holds `text`, then stays open until `release()`. */
function heldBody(text) {
  const bytes = new TextEncoder().encode(text);
  let at = 0;
  let release;
  const released = new Promise((resolve) => (release = resolve));
  const body = new ReadableStream({
    async pull(controller) {
      if (at < bytes.length) return controller.enqueue(bytes.subarray(at, ++at));
      await released;
      controller.close();
    },
  }, { highWaterMark: 0 });
  return { body, release };
}

// The shell keeps small chunks in JS until they may end an event (js/core/streaming.js,
// `stageBytes`): an event whose empty line has arrived must reach the caller then, not wait for
// more bytes, with each line end and the empty line split across chunks.
for (const [name, end] of [['LF', '\n'], ['CRLF', '\r\n'], ['CR', '\r']]) {
  test(`an event reaches the caller once its empty line arrives in 1-byte chunks (${name})`, async () => {
    const start = { type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'm', content: [], stop_reason: null, usage: { input_tokens: 1, output_tokens: 0 } } };
    const block = { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } };
    const text = [start, block].map((event) => `event: ${event.type}${end}data: ${JSON.stringify(event)}${end}${end}`).join('');
    const { body, release } = heldBody(`: hello${end}${text}`);
    const fetch = async () => new Response(body, { headers: { 'content-type': 'text/event-stream' } });
    const client = new Anthropic({ apiKey: 'sk-any', fetch, maxRetries: 0 });
    const stream = client.messages.stream(params);
    const seen = [];
    // The body is let go after 5 s so that a failing run ends; an event seen only then is late.
    let late = false;
    const timeout = setTimeout(() => {
      late = true;
      release();
    }, 5000);
    try {
      for await (const event of stream) {
        seen.push(event.type);
        if (seen.length === 2) break;
      }
    } catch (error) {
      if (!(error instanceof APIUserAbortError)) throw error;
    } finally {
      clearTimeout(timeout);
      release();
    }
    assert.deepEqual(seen, ['message_start', 'content_block_start']);
    assert.equal(late, false, 'the events came only once the body went on');
  });
}

// The stall watchdog (an extension): a stream whose body sends nothing for `stallTimeout`
// (60 s by default) ends with a timeout error that keeps the message so far; `0` turns it off.
test('a stalled stream ends after stallTimeout with the message so far, and 0 turns the watchdog off', async () => {
  assert.equal(new Anthropic({ apiKey: 'sk-any', baseURL: server.url }).stallTimeout, 60_000);
  assert.throws(() => new Anthropic({ apiKey: 'sk-any', stallTimeout: -1 }), /stallTimeout/);
  const client = new Anthropic({ apiKey: 'sk-any', baseURL: server.url, stallTimeout: 300, maxRetries: 0 });
  // The local server sends the first delta, then nothing for 5 s.
  const stalling = { ...params, model: 'claude-sonnet-4-5+fault=stall=5000' };
  for (const [what, run] of [
    ['MessageStream', (options) => client.messages.stream(stalling, options).finalMessage()],
    ['raw stream', async (options) => {
      for await (const event of await client.messages.create({ ...stalling, stream: true }, options)) void event;
    }],
  ]) {
    const started = performance.now();
    const error = await run().then(() => null, (e) => e);
    const took = performance.now() - started;
    assert.ok(error instanceof APIConnectionTimeoutError, `${what}: ${error}`);
    assert.equal(error.message, 'The stream stalled: no data for 300 ms (stallTimeout).');
    assert.ok(took < 4000, `${what} ended ${took.toFixed(0)} ms after it began, before the stall did`);
    if (what === 'MessageStream') assert.ok(error.partialMessage.content[0].text.length > 0, 'the text so far is kept');
  }
  // Off for one request: the stream waits a (shorter) stall out and completes.
  const brief = { ...params, model: 'claude-sonnet-4-5+fault=stall=1000' };
  const message = await client.messages.stream(brief, { stallTimeout: 0 }).finalMessage();
  assert.equal(message.stop_reason, 'end_turn');
  // Never longer than the request's own timeout, whose error stays the official one.
  const short = await client.messages.stream(stalling, { timeout: 200 }).finalMessage().catch((e) => e);
  assert.ok(short instanceof APIConnectionTimeoutError);
  assert.equal(short.message, 'Request timed out.');
});
