// What the official `@anthropic-ai/sdk` 1.15.0 and `anthropic-wasm` each observe for one
// response body served in given chunks by a `fetch` option: the raw events of
// `messages.create({ stream: true })`, the MessageStream helper events (arguments and snapshots
// copied when emitted) and the final message, or the errors thrown. Only the public API is used.
import OfficialAnthropic from '@anthropic-ai/sdk';
import WasmAnthropic from 'anthropic-wasm';

/** A `fetch` answering every request with a 200 event stream that yields exactly `chunks`. */
function fetchServing(chunks) {
  return async () => {
    let next = 0;
    const body = new ReadableStream(
      {
        pull(controller) {
          if (next < chunks.length) controller.enqueue(new Uint8Array(chunks[next++]));
          else controller.close();
        },
      },
      { highWaterMark: 0 },
    );
    return new Response(body, {
      status: 200,
      headers: { 'content-type': 'text/event-stream', 'request-id': 'req_fixture' },
    });
  };
}

const CLIENTS = {
  official: (fetch) => new OfficialAnthropic({ apiKey: 'sk-ant-fixtures', fetch, maxRetries: 0 }),
  wasm: (fetch) => new WasmAnthropic({ apiKey: 'sk-ant-fixtures', fetch, maxRetries: 0 }),
};

const PARAMS = { model: 'claude-opus-4-7', max_tokens: 1024, messages: [{ role: 'user', content: 'Hello' }] };

/** What an error tells its caller, comparable across the two libraries. */
function describeError(error) {
  return copy({
    class: error?.constructor?.name ?? typeof error,
    message: error?.message ?? String(error),
    status: error?.status ?? null,
    error: error?.error ?? null,
    type: error?.type ?? null,
  });
}

/** A copy as JSON would carry it, taken when emitted: later mutation cannot hide a difference. */
function copy(value) {
  if (value instanceof Error) return describeError(value);
  return value === undefined ? '<undefined>' : JSON.parse(JSON.stringify(value));
}

/** Every helper event MessageStream 1.15.0 emits to listeners (lib/MessageStream.js `_emit`). */
export const HELPER_EVENTS = ['connect', 'streamEvent', 'text', 'citation', 'inputJson', 'thinking', 'signature',
  'contentBlock', 'message', 'finalMessage', 'error', 'abort', 'end'];

/** Raw events of `create({ stream: true })`, then the error if iterating threw. */
async function rawEvents(client) {
  const events = [];
  try {
    for await (const event of await client.messages.create({ ...PARAMS, stream: true })) events.push(copy(event));
    return { events };
  } catch (error) {
    return { events, thrown: describeError(error) };
  }
}

/** Helper events of `messages.stream()` in order, then the final message or its error. */
async function helperEvents(client, names) {
  const stream = client.messages.stream(PARAMS);
  const seen = [];
  for (const name of names) stream.on(name, (...args) => seen.push([name, ...args.map(copy)]));
  try {
    return { seen, finalMessage: copy(await stream.finalMessage()) };
  } catch (error) {
    return { seen, thrown: describeError(error) };
  }
}

/** The events of a `for await` over `messages.stream()` with no listener, then the final
 * message or its error: the path where a batch's text deltas are appended at once. */
async function iteratedEvents(client) {
  const stream = client.messages.stream(PARAMS);
  const events = [];
  try {
    for await (const event of stream) events.push(copy(event));
    return { events, finalMessage: copy(await stream.finalMessage()) };
  } catch (error) {
    return { events, thrown: describeError(error) };
  }
}

/** What one library observes for one case. */
export async function observe(library, chunks, names = HELPER_EVENTS) {
  const client = CLIENTS[library](fetchServing(chunks));
  return { raw: await rawEvents(client), helpers: await helperEvents(client, names), iterated: await iteratedEvents(client) };
}


/** A small seeded generator (mulberry32), so a random split is the same on every run. */
export function seededRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
