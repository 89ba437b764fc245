// A `for await` loop over `messages.stream()` that is behind the body: the stream stops reading
// once about a thousand events wait for the loop (js/lib/message-stream.js, QUEUE_HIGH), so a
// fast body is not queued whole; and what must read on (a promise method, a listener, the end
// of the loop) still does, with no timeout while the loop is the one that is slow.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Anthropic from 'anthropic-wasm';

const DELTAS = 20_000;

function body(deltas) {
  const event = (name, data) => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
  let text = event('message_start', {
    type: 'message_start',
    message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-test', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 1, output_tokens: 1 } },
  });
  text += event('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });
  for (let i = 0; i < deltas; i++) text += event('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: ` w${i}` } });
  text += event('content_block_stop', { type: 'content_block_stop', index: 0 });
  text += event('message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: deltas } });
  text += event('message_stop', { type: 'message_stop' });
  return new TextEncoder().encode(text);
}

/** A client whose fetch serves `bytes` in 4 KiB chunks, counting the bytes the client pulled. */
function client(bytes) {
  const pulled = { bytes: 0 };
  const fetch = async () => {
    let at = 0;
    const stream = new ReadableStream({
      pull(controller) {
        if (at >= bytes.length) return controller.close();
        const end = Math.min(bytes.length, at + 4096);
        controller.enqueue(bytes.slice(at, end));
        pulled.bytes = end;
        at = end;
      },
    }, { highWaterMark: 0 });
    return new Response(stream, { status: 200, headers: { 'content-type': 'text/event-stream' } });
  };
  return { client: new Anthropic({ apiKey: 'sk-test', fetch, maxRetries: 0, timeout: 200 }), pulled };
}

const params = { model: 'claude-test', max_tokens: 100_000, messages: [{ role: 'user', content: 'Hi' }] };
const bytes = body(DELTAS);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

test('a loop that is behind holds the reading of the body, and gets every event', async () => {
  const { client: c, pulled } = client(bytes);
  const stream = c.messages.stream(params);
  let events = 0;
  let pulledEarly = null;
  for await (const event of stream) {
    events++;
    if (events === 10) {
      // The body is fast (every pull answers at once): give the reader every chance to run ahead.
      await sleep(50);
      pulledEarly = pulled.bytes;
    }
    void event;
  }
  assert.equal(events, DELTAS + 5);
  // ~80 bytes an event: a thousand queued events are ~80 KB; the whole body is ~1.6 MB.
  assert.ok(pulledEarly < 200_000, `after 10 events and a pause, ${pulledEarly} of ${bytes.length} bytes were read`);
});

test('a loop slower than the timeout does not time the stream out', async () => {
  const { client: c } = client(bytes);
  const stream = c.messages.stream(params);
  let events = 0;
  for await (const event of stream) {
    if (++events === 10) await sleep(600); // three timeouts (200 ms) while the reading is held
    void event;
  }
  assert.equal(events, DELTAS + 5);
});

test('a loop left without return still lets finalMessage() and end listeners finish', async () => {
  for (const wait of ['finalMessage', 'end']) {
    const { client: c, pulled } = client(bytes);
    const stream = c.messages.stream(params);
    const iterator = stream[Symbol.asyncIterator]();
    await iterator.next();
    await sleep(20);
    assert.equal(stream.ended, false, 'the reading is held after one event');
    const done = wait === 'finalMessage' ? stream.finalMessage() : new Promise((resolve) => stream.on('end', resolve));
    const outcome = await Promise.race([done.then(() => 'finished'), sleep(5000).then(() => 'hung')]);
    assert.equal(outcome, 'finished', `${wait} after a loop that stopped asking`);
    assert.equal(pulled.bytes, bytes.length);
  }
});

test('abort() or a break while the reading is held ends the stream at once', async () => {
  for (const how of ['abort', 'break']) {
    const { client: c } = client(bytes);
    const stream = c.messages.stream(params);
    let events = 0;
    for await (const event of stream) {
      void event;
      if (++events < 3) continue;
      await sleep(20);
      assert.equal(stream.ended, false, 'the reading is held after the first events');
      if (how === 'abort') stream.abort();
      break;
    }
    // Nothing but the abort may end it: no promise method, no listener.
    await sleep(50);
    assert.equal(stream.ended, true, `${how}: the stream ended`);
    assert.equal(stream.aborted, true, `${how}: as aborted`);
  }
});
