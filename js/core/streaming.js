// A streamed body through the wasm stream codec, one call per network chunk, and the official
// `Stream` of raw events over it.
import { nameClasses } from './names.js';
import { StreamDecoder, readBatch, streamTables, wasmCall } from './wasm.js';
import { AnthropicError, APIConnectionError, APIConnectionTimeoutError, APIUserAbortError } from './errors.js';
import { toError } from './descriptors.js';
import { MAX_TIMER_MS } from './request.js';

/**
 * Chunks smaller than this are kept in JS until they may end an event (or the body ends): an
 * event is dispatched only by an empty line, and with 1-7-byte chunks the wasm call and the
 * batch read per chunk were most of the client's cost. A chunk that does not fit goes through.
 */
const STAGE_BYTES = 4096;

/**
 * The first chunk is decoded in two calls when it is larger than this: its first events (the
 * message start, the first text) reach the caller before the rest of a large chunk is decoded,
 * which on a cold start includes the engine's optimizing compile of the decoder.
 */
const FIRST_PIECE_BYTES = 2048;

/**
 * Appends `bytes` to `stage` at `at` and says whether they may end an event: whether, with
 * `previous` (the byte before them), they hold two line-end bytes in a row other than CR LF,
 * i.e. an empty line. For tiny chunks a plain loop beats `set` and `indexOf`, which are calls
 * into the engine; a larger chunk says yes when it holds any line end.
 */
function stageBytes(stage, at, bytes, previous) {
  const length = bytes.length;
  if (length > 32) {
    stage.set(bytes, at);
    return bytes.indexOf(10) !== -1 || bytes.indexOf(13) !== -1;
  }
  let emptyLine = false;
  for (let i = 0; i < length; i++) {
    const byte = bytes[i];
    stage[at + i] = byte;
    if ((byte === 10 || byte === 13) && (previous === 10 || (previous === 13 && byte === 13))) emptyLine = true;
    previous = byte;
  }
  return emptyLine;
}

/**
 * A watchdog that aborts when no chunk arrived for `idleMs`: `tick()` per chunk is only a
 * counter bump (reading a clock per tiny chunk was 5 % of a stream's time), and a timer of a
 * quarter of `idleMs` checks it, so the abort comes between 1 and 1.25 `idleMs` after the last
 * chunk. While `held` (the caller has a batch and has not asked for the next: a `for await`
 * loop that is behind), the stream is not idle. `stop()` clears the timer.
 */
function watchdog(idleMs, onIdle) {
  const QUARTERS = 4;
  let chunks = 0;
  let seen = 0;
  let quiet = 0;
  let timer;
  const idle = { held: false, tick: () => chunks++, stop: () => clearTimeout(timer) };
  const check = () => {
    if (chunks !== seen || idle.held) {
      seen = chunks;
      quiet = 0;
    } else if (++quiet >= QUARTERS) {
      return onIdle();
    }
    timer = setTimeout(check, Math.min(idleMs / QUARTERS, MAX_TIMER_MS));
  };
  timer = setTimeout(check, Math.min(idleMs / QUARTERS, MAX_TIMER_MS));
  return idle;
}

/**
 * Reads a streamed response and decodes it in wasm: yields each chunk's batch as
 * `{items, full}`, `items` the flat array `[op, index, payload, …]` (docs/architecture.md).
 * `full()` says whether whole events are wanted for the hot deltas too (someone iterates the
 * events or listens to `streamEvent`); otherwise their payload is only the text they add.
 * `wait.ms` bounds the wait for each chunk (`watchdog`); past it the stream fails with an
 * `APIConnectionTimeoutError` saying `wait.message` (the stall watchdog's, `client._idle`) or
 * the official SDK's. At most one wasm call per chunk, none
 * for a small chunk without a line end (`STAGE_BYTES`), two for the first (`FIRST_PIECE_BYTES`).
 * A terminal item (an error event, bad bytes, an early end) ends its batch and is thrown as its
 * error; with `endsQuietly`, an early end (the body stopped inside an event or before
 * `message_stop`) just ends, as the official raw Stream.
 */
export async function* batches(connection, controller, wait, full, endsQuietly = false) {
  const { response, secrets, limits, settle, abort } = connection;
  const decoder = new StreamDecoder(secrets, ...limits);
  const reader = response.body?.getReader();
  const { ERROR, INCOMPLETE } = streamTables().ops;
  let timedOut = false;
  const idle = watchdog(wait.ms, () => {
    timedOut = true;
    abort();
  });
  const staged = new Uint8Array(STAGE_BYTES);
  let stagedLength = 0;
  // The last byte handed on: an empty line can begin in one chunk and end in the next. A line
  // end "before" the body, so that a body starting with a line end is handed on.
  let previous = 10;
  let first = true;
  let rest = null; // the first chunk's bytes after its first piece
  // A flag the listener sets: reading `signal.aborted` per chunk is a call into the engine.
  let aborted = controller.signal.aborted;
  const stop = () => {
    aborted = true;
    abort();
  };
  controller.signal.addEventListener('abort', stop, { once: true });
  try {
    for (;;) {
      if (aborted) throw new APIUserAbortError();
      let chunk;
      try {
        if (rest) {
          chunk = { done: false, value: rest };
          rest = null;
        } else {
          chunk = reader ? await reader.read() : { done: true };
        }
      } catch (error) {
        if (timedOut) throw new APIConnectionTimeoutError({ message: wait.message });
        if (controller.signal.aborted) throw new APIUserAbortError();
        const said = wasmCall('redact', `${error?.name ?? 'Error'}: ${error?.message ?? error}`, secrets);
        throw new APIConnectionError({ message: said, cause: error });
      }
      idle.tick();
      let items;
      if (chunk.done) {
        // The staged tail, then the end: the one place with two calls for a chunk.
        const tail = stagedLength ? readBatch(decoder.push(staged.subarray(0, stagedLength), full())) : null;
        items = readBatch(decoder.end(full()));
        if (tail) items = items ? tail.concat(items) : tail;
      } else {
        let bytes = chunk.value;
        if (first && bytes.length > FIRST_PIECE_BYTES) {
          rest = bytes.subarray(FIRST_PIECE_BYTES);
          bytes = bytes.subarray(0, FIRST_PIECE_BYTES);
        }
        first = false;
        const before = previous;
        if (bytes.length) previous = bytes[bytes.length - 1];
        if (stagedLength + bytes.length <= STAGE_BYTES) {
          const mayEnd = stageBytes(staged, stagedLength, bytes, before);
          stagedLength += bytes.length;
          if (!mayEnd) continue;
          bytes = staged.subarray(0, stagedLength);
        } else if (stagedLength) {
          const joined = new Uint8Array(stagedLength + bytes.length);
          joined.set(staged.subarray(0, stagedLength));
          joined.set(bytes, stagedLength);
          bytes = joined;
        }
        stagedLength = 0;
        items = readBatch(decoder.push(bytes, full()));
      }
      if (items) {
        const whole = full();
        const last = items.length - 3;
        if (last >= 0 && items[last] >= ERROR) {
          if (last > 0) {
            idle.held = true;
            yield { items: items.slice(0, last), full: whole };
            idle.held = false;
          }
          if (endsQuietly && items[last] === INCOMPLETE) return;
          throw toError(decoder.failure(), response.headers, secrets);
        }
        idle.held = true;
        yield { items, full: whole };
        idle.held = false;
      }
      if (chunk.done) return;
    }
  } finally {
    idle.stop();
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
  static _fromResponse(connection, controller, wait) {
    async function* events() {
      // The codec has dropped keep-alive pings, as the official SDK does; an early end is
      // quiet there too (its helpers say what is missing).
      for await (const { items } of batches(connection, controller, wait, () => true, true)) {
        for (let i = 0; i < items.length; i += 3) yield hotEvent(items[i], items[i + 1], items[i + 2]);
      }
    }
    const stream = new Stream(onceOnly(events, controller), controller);
    stream.request_id = connection.response.headers.get('request-id');
    return stream;
  }

  /** A Stream of the JSON values, one a line, of `readableStream` (as `toReadableStream` makes). */
  static fromReadableStream(readableStream, controller = new AbortController()) {
    return new Stream(onceOnly(() => jsonLines(readableStream), controller), controller);
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
 * The JSON values, one a line (blank lines skipped), of a stream of bytes, in time linear in
 * its length however it is chunked: a chunk's text is searched for a line end only where it
 * has not been yet, and a line split across chunks is joined once, when it ends.
 */
export async function* jsonLines(body) {
  const decoder = new TextDecoder();
  const chunks = body.getReader ? chunksOf(body) : body;
  let pieces = []; // the start of a line that has not ended yet
  const parse = (line) => (line.trim() ? [JSON.parse(line)] : []);
  for await (const chunk of chunks) {
    const text = decoder.decode(chunk, { stream: true });
    let start = 0;
    for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
      pieces.push(text.slice(start, end));
      yield* parse(pieces.join(''));
      pieces = [];
      start = end + 1;
    }
    if (start < text.length) pieces.push(text.slice(start));
  }
  pieces.push(decoder.decode());
  yield* parse(pieces.join(''));
}

/** The chunks of a ReadableStream through its reader (not every browser iterates streams);
 * the stream is cancelled when the reading stops early. */
async function* chunksOf(stream) {
  const reader = stream.getReader();
  let done = false;
  try {
    for (let chunk; !(chunk = await reader.read()).done; ) yield chunk.value;
    done = true;
  } finally {
    if (!done) reader.cancel().catch(() => {});
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

/** A ReadableStream of newline-delimited JSON of what `iterator` yields (or of the text
 * `format` makes of each value). */
export function ndjson(iterator, format = (value) => JSON.stringify(value) + '\n') {
  const encoder = new TextEncoder();
  return new ReadableStream({
    async pull(controller) {
      try {
        const { value, done } = await iterator.next();
        if (done) return controller.close();
        controller.enqueue(encoder.encode(format(value)));
      } catch (error) {
        controller.error(error);
      }
    },
    async cancel() {
      await iterator.return?.();
    },
  });
}

nameClasses({ Stream });
