// A streamed body through the wasm stream codec, one call per network chunk, and the official
// `Stream` of raw events over it.
import { wasm, readBatch, streamTables } from './wasm.js';
import { AnthropicError, APIConnectionError, APIConnectionTimeoutError, APIUserAbortError } from './errors.js';
import { toError } from './descriptors.js';

/** `setTimeout` fires at once for delays of 2^31 ms and more. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Reads a streamed response and decodes it in wasm: yields each chunk's batch as
 * `{items, full}`, `items` the flat array `[op, index, payload, …]` (docs/architecture.md).
 * `full()` says whether whole events are wanted for the hot deltas too (someone iterates the
 * events or listens to `streamEvent`); otherwise their payload is only the text they add.
 * `idleMs` bounds the wait for each chunk, with one timer re-armed only when it fires early,
 * and cleared when the body ends. A terminal item (an error event, bad bytes, an early end)
 * ends its batch and is thrown as its error; with `endsQuietly`, an early end (the body
 * stopped inside an event or before `message_stop`) just ends, as the official raw Stream.
 */
export async function* batches(connection, controller, idleMs, full, endsQuietly = false) {
  const { response, secrets, settle, abort } = connection;
  const decoder = new wasm.StreamDecoder(secrets, response.headers.get('request-id') ?? undefined);
  const reader = response.body?.getReader();
  const { ERROR, INCOMPLETE } = streamTables().ops;
  let timedOut = false;
  let lastChunk = performance.now();
  let timer;
  const arm = (ms) => {
    timer = setTimeout(() => {
      const idle = performance.now() - lastChunk;
      if (idle < idleMs) return arm(idleMs - idle);
      timedOut = true;
      abort();
    }, Math.min(ms, MAX_TIMER_MS));
  };
  const stop = () => abort();
  controller.signal.addEventListener('abort', stop, { once: true });
  arm(idleMs);
  try {
    for (;;) {
      if (controller.signal.aborted) throw new APIUserAbortError();
      let chunk;
      try {
        chunk = reader ? await reader.read() : { done: true };
      } catch (error) {
        if (timedOut) throw new APIConnectionTimeoutError();
        if (controller.signal.aborted) throw new APIUserAbortError();
        const said = wasm.redact(`${error?.name ?? 'Error'}: ${error?.message ?? error}`, secrets);
        throw new APIConnectionError({ message: said, cause: error });
      }
      lastChunk = performance.now();
      const whole = full();
      const items = readBatch(chunk.done ? decoder.end(whole) : decoder.push(chunk.value, whole));
      if (items) {
        const last = items.length - 3;
        if (last >= 0 && items[last] >= ERROR) {
          if (last > 0) yield { items: items.slice(0, last), full: whole };
          if (endsQuietly && items[last] === INCOMPLETE) return;
          throw toError(decoder.failure(), response.headers);
        }
        yield { items, full: whole };
      }
      if (chunk.done) return;
    }
  } finally {
    clearTimeout(timer);
    controller.signal.removeEventListener('abort', stop);
    settle();
    decoder.free();
    if (reader) reader.cancel().catch(() => {});
  }
}

/**
 * The event a hot delta's item stands for: its payload when that is the whole event, else the
 * event rebuilt from the delta's text (the codec sends the text alone only when the event had
 * exactly these members, in this order: core/src/stream.rs).
 */
export function hotEvent(op, index, payload) {
  if (typeof payload !== 'string') return payload;
  const { TEXT, INPUT_JSON } = streamTables().ops;
  if (op === TEXT) return { type: 'content_block_delta', index, delta: { type: 'text_delta', text: payload } };
  if (op === INPUT_JSON) return { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: payload } };
  return { type: 'content_block_delta', index, delta: { type: 'thinking_delta', thinking: payload } };
}

/**
 * The raw events of `messages.create({stream: true})`, as the official `Stream`: iterate once,
 * `tee()` to read twice, `toReadableStream()` / `Stream.fromReadableStream()` to pass it on.
 */
export class Stream {
  #iterator;

  /** `iterator` makes the async iterator; `controller` aborts the request behind it. */
  constructor(iterator, controller) {
    this.#iterator = iterator;
    this.controller = controller;
  }

  /** The events of a streamed response; the first iteration consumes them. */
  static _fromResponse(connection, controller, idleMs) {
    async function* events() {
      // The codec has dropped keep-alive pings, as the official SDK does; an early end is
      // quiet there too (its helpers say what is missing).
      for await (const { items } of batches(connection, controller, idleMs, () => true, true)) {
        for (let i = 0; i < items.length; i += 3) yield hotEvent(items[i], items[i + 1], items[i + 2]);
      }
    }
    const stream = new Stream(onceOnly(events, controller), controller);
    stream.request_id = connection.response.headers.get('request-id');
    return stream;
  }

  /** A Stream of the JSON values, one a line, of `readableStream` (as `toReadableStream` makes). */
  static fromReadableStream(readableStream, controller = new AbortController()) {
    async function* values() {
      const decoder = new TextDecoder();
      let buffered = '';
      for await (const chunk of readableStream) {
        buffered += decoder.decode(chunk, { stream: true });
        const lines = buffered.split('\n');
        buffered = lines.pop();
        for (const line of lines) if (line.trim()) yield JSON.parse(line);
      }
      buffered += decoder.decode();
      if (buffered.trim()) yield JSON.parse(buffered);
    }
    return new Stream(onceOnly(values, controller), controller);
  }

  [Symbol.asyncIterator]() {
    return this.#iterator();
  }

  /** Two Streams of the same events, each read at its own pace. */
  tee() {
    const queues = [[], []];
    const source = this[Symbol.asyncIterator]();
    const branch = (queue) => () => ({
      next() {
        if (queue.length === 0) {
          const result = source.next();
          for (const q of queues) q.push(result);
        }
        return queue.shift();
      },
    });
    return queues.map((queue) => new Stream(branch(queue), this.controller));
  }

  /** Newline-delimited JSON of the events. */
  toReadableStream() {
    return ndjson(this[Symbol.asyncIterator]());
  }
}

/**
 * An iterator factory that serves one iteration only. The iteration ends quietly on a user
 * abort, and aborts the request when left early (`break`), as in the official SDK.
 */
function onceOnly(generator, controller) {
  let consumed = false;
  return async function* () {
    if (consumed) throw new AnthropicError('Cannot iterate over a consumed stream, use `.tee()` to split the stream.');
    consumed = true;
    let done = false;
    try {
      yield* generator();
      done = true;
    } catch (error) {
      if (error instanceof APIUserAbortError || error?.name === 'AbortError') return;
      throw error;
    } finally {
      if (!done) controller.abort();
    }
  };
}

/** A ReadableStream of newline-delimited JSON of what `iterator` yields. */
export function ndjson(iterator) {
  const encoder = new TextEncoder();
  return new ReadableStream({
    async pull(controller) {
      try {
        const { value, done } = await iterator.next();
        if (done) return controller.close();
        controller.enqueue(encoder.encode(JSON.stringify(value) + '\n'));
      } catch (error) {
        controller.error(error);
      }
    },
    async cancel() {
      await iterator.return?.();
    },
  });
}
