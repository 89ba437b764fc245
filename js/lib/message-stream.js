// `messages.stream(...)`: the official MessageStream over the wasm stream codec. One
// accumulation, here: `message_start`'s own object is the snapshot, and the codec's ops say
// what each event does to it (docs/architecture.md, "The stream boundary").
import { nameClasses } from '../core/names.js';
import { batches, hotEvent, jsonLines, ndjson } from '../core/streaming.js';
import { DEFAULTS, PartialJsonPreview, streamTables } from '../core/wasm.js';
import { newExchange } from '../core/api-promise.js';
import { AnthropicError, APIUserAbortError } from '../core/errors.js';
import { linkedController, MAX_TIMER_MS } from '../core/request.js';
import { PartialPreview, previewInput, stoppedInput } from './partial-preview.js';
import { continuationParams, refuse, stitch } from './resume.js';
import { applyMessageDelta, withParsedOutput } from './snapshot.js';

const OPS = () => streamTables().ops;

/**
 * Events waiting for a `for await` loop before the stream stops reading the body until the
 * loop has taken three quarters of them: a fast body (or an in-process one) otherwise queues
 * the whole stream. After the first batch, the reading waits until the loop has taken all of
 * it, so that the first events do not wait behind the decoding of the rest.
 */
const QUEUE_HIGH = 1024;
/** `messages.stream(...)`: the official MessageStream's events, promises and fields. */
export class MessageStream {
  messages = [];
  receivedMessages = [];
  controller = new AbortController();
  request_id = null;
  ended = false;
  errored = false;
  aborted = false;

  #response = null;
  #exchange = newExchange();
  #listeners = {};
  /** Events not yet taken by the iterator, from `#queueHead` on: `shift()` is O(n) on a long
   * queue, and a fast body can queue the whole stream before the loop catches up. */
  #queue = [];
  #queueHead = 0;
  #waiters = [];
  /** Resumes the read loop paused for the iterator (`QUEUE_HIGH`). */
  #resume = null;
  /** How many events may still wait for the iterator when the read loop resumes. */
  #resumeAt = 0;
  /** Set once the stream must read on whatever the iterator does: a promise method or a
   * listener may wait for the end while the loop no longer asks for events. */
  #eager = false;
  /** The message as it streams: `message_start`'s own object, accumulated in place. */
  #snapshot;
  /** The JSON text of each streaming tool input, by block index. */
  #inputs = [];
  /** Per tool block, its incremental preview, made when first wanted and fed from then on. */
  #previews = [];
  #end;
  #endSettled;
  #handled = false;
  #iterating = false;
  #connected;
  #client;
  #params;
  #options;
  #completed = false;
  /** For a resumed stream: the reply so far, which this one's message is stitched onto. */
  #stitchWith = null;

  /** The longest wait for the next chunk, and its error's message (`client._idle`). */
  #wait;
  /** Removes the link from the caller's signal once the stream has ended. */
  #release = () => {};

  static _start(client, params, options) {
    const stream = new MessageStream();
    stream.#wait = client._idle(options);
    stream.#client = client;
    stream.#params = params;
    stream.#options = options;
    stream.messages.push(...(params.messages ?? []));
    const { controller, release } = linkedController(options.signal);
    stream.controller = controller;
    stream.#release = release;
    controller.signal.addEventListener('abort', () => stream.#wake(), { once: true });
    stream.#run(() =>
      client._send({
        method: 'POST',
        path: '/v1/messages',
        body: params,
        options,
        check: 'message',
        signal: controller.signal,
        exchange: stream.#exchange,
        stream: true,
      }),
    );
    return stream;
  }

  /**
   * A MessageStream of the events in `readableStream` (newline-delimited JSON, as
   * `toReadableStream()` makes it), as SDK 1.15's: they go through the same decoder as a
   * response's, as the server-sent events they stand for.
   */
  static fromReadableStream(readableStream) {
    const stream = new MessageStream();
    const { maxEventBytes, maxToolInputBytes } = DEFAULTS();
    stream.#wait = { ms: MAX_TIMER_MS };
    const body = ndjson(jsonLines(readableStream), (event) => `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
    const response = new Response(body);
    stream.#run(async () => ({ response, secrets: '', limits: [maxEventBytes, maxToolInputBytes], settle() {}, abort() {} }));
    return stream;
  }

  constructor() {
    this.#end = new Promise((resolve, reject) => {
      this.#endSettled = { resolve, reject };
    });
    // Rejections are reported through 'error' listeners and the promise methods; an error
    // nobody asked about is re-thrown below, as the official SDK does.
    this.#end.catch(() => {});
    this.#connected = new Promise((resolve) => this.#listen('connect', resolve, true));
  }

  /** Reads the stream `connect()` opens (see `send` in js/core/request.js) to its end. */
  async #run(connect) {
    try {
      const connection = await connect();
      this.#response = connection.response;
      this.request_id = connection.response.headers.get('request-id');
      this.#emit('connect');
      const full = () => this.#iterating || Boolean(this.#listeners.streamEvent?.length);
      let first = true;
      const { TEXT } = OPS();
      for await (const { items, full: whole } of batches(connection, this.controller, this.#wait, full)) {
        for (let i = 0; i < items.length; ) {
          if (items[i] === TEXT && !this.#listeners.text?.length && !this.#listeners.streamEvent?.length) {
            i = this.#applyTexts(items, i, whole);
          } else {
            this.#apply(items[i], items[i + 1], items[i + 2], whole);
            i += 3;
          }
        }
        // The loop gets the first batch's events before the next is decoded (first text).
        const waiting = this.#queue.length - this.#queueHead;
        if (this.#iterating && !this.#eager && (waiting >= QUEUE_HIGH || (first && waiting > 0))) {
          this.#resumeAt = first ? 0 : QUEUE_HIGH / 4;
          await new Promise((resolve) => (this.#resume = resolve));
        }
        first = false;
      }
      const message = this.receivedMessages.at(-1);
      if (!message) throw new AnthropicError('stream ended without producing a Message with role=assistant');
      this.#completed = true;
      this.#emit('finalMessage', message);
      this.#finish();
    } catch (error) {
      this.#fail(error);
    }
  }

  /**
   * Applies one codec item to the message, then tells the event's readers: the iterator and
   * `streamEvent` first, then the helper event, in the official SDK's order. `payload` is the
   * whole event, or for a hot delta often only the text it adds (see `hotEvent`); `full` says
   * whether its readers want the event.
   */
  #apply(op, index, payload, full) {
    const OP = OPS();
    const message = this.#snapshot;
    switch (op) {
      case OP.TEXT: {
        const block = message.content[index];
        const text = typeof payload === 'string' ? payload : payload.delta.text;
        block.text = (block.text ?? '') + text;
        if (full) this.#event(hotEvent(op, index, payload));
        if (this.#listeners.text?.length) this.#emit('text', text, block.text);
        return;
      }
      case OP.INPUT_JSON: {
        const fragment = typeof payload === 'string' ? payload : payload.delta.partial_json;
        const input = (this.#inputs[index] ?? '') + fragment;
        this.#inputs[index] = input;
        this.#previews[index]?.push(fragment);
        if (full) this.#event(hotEvent(op, index, payload));
        if (this.#listeners.inputJson?.length) this.#emit('inputJson', fragment, this.#previewOf(index));
        return;
      }
      case OP.THINKING: {
        const block = message.content[index];
        const thinking = typeof payload === 'string' ? payload : payload.delta.thinking;
        block.thinking = (block.thinking ?? '') + thinking;
        if (full) this.#event(hotEvent(op, index, payload));
        if (this.#listeners.thinking?.length) this.#emit('thinking', thinking, block.thinking);
        return;
      }
      case OP.MESSAGE_START:
        // A copy: the event's own `message` stays as received, as a `for await` loop sees it in
        // the official SDK, where the loop runs before the next event is applied.
        this.#snapshot = JSON.parse(JSON.stringify(payload.message));
        this.#snapshot.content ??= [];
        this.#event(payload);
        return;
      case OP.BLOCK_START: {
        // A copy, so that the event stays as received while the block grows.
        const block = { ...payload.content_block };
        if (block.type === 'tool_use' || block.type === 'server_tool_use') {
          this.#inputs[index] = '';
          this.#previewWhileStreaming(block, index);
        }
        message.content.push(block);
        this.#event(payload);
        return;
      }
      case OP.SIGNATURE: {
        const block = message.content[index];
        block.signature = payload.delta.signature;
        this.#event(payload);
        this.#emit('signature', block.signature);
        return;
      }
      case OP.CITATION: {
        const block = message.content[index];
        (block.citations ??= []).push(payload.delta.citation);
        this.#event(payload);
        this.#emit('citation', payload.delta.citation, block.citations);
        return;
      }
      case OP.BLOCK_STOP: {
        const block = message.content[index];
        this.#finishInput(block, index, true);
        this.#event(payload);
        this.#emit('contentBlock', block);
        return;
      }
      case OP.MESSAGE_DELTA: {
        applyMessageDelta(message, payload);
        this.#event(payload);
        return;
      }
      case OP.MESSAGE_STOP: {
        // Tool blocks that never got their content_block_stop keep their best-effort input.
        message.content.forEach((block, i) => this.#finishInput(block, i));
        this.#event(payload);
        const final = withParsedOutput(this.#stitchWith ? stitch(this.#stitchWith, message) : message, this.#params);
        this.receivedMessages.push(final);
        this.messages.push({ role: final.role, content: final.content });
        this.#emit('message', final);
        return;
      }
      default:
        this.#event(payload);
    }
  }

  /**
   * The run of text deltas to one block from `items[i]` on, appended at once (when nobody
   * watches each delta: no `text` or `streamEvent` listener). The block's text is then one
   * string per batch, not a rope of every delta that the engine's young-generation GC copies.
   * Returns the index after the run.
   */
  #applyTexts(items, i, full) {
    const { TEXT } = OPS();
    const index = items[i + 1];
    const pieces = [];
    for (; i < items.length && items[i] === TEXT && items[i + 1] === index; i += 3) {
      const payload = items[i + 2];
      pieces.push(typeof payload === 'string' ? payload : payload.delta.text);
      if (full) this.#push(hotEvent(TEXT, index, payload));
    }
    const block = this.#snapshot.content[index];
    block.text = (block.text ?? '') + pieces.join('');
    return i;
  }

  /** While a tool input streams, the block's `input` is the best-effort parse of it so far,
   * computed when read (as the official SDK's lazy input). */
  #previewWhileStreaming(block, index) {
    Object.defineProperty(block, 'input', {
      enumerable: true,
      configurable: true,
      get: () => this.#previewOf(index),
    });
  }

  /** The tool input's preview so far (one object, updated in place). The first time, the
   * preview is fed the text so far; after that each fragment as it arrives, once. */
  #previewOf(index) {
    let preview = this.#previews[index];
    if (!preview) {
      preview = this.#previews[index] = new PartialPreview(new PartialJsonPreview());
      preview.push(this.#inputs[index]);
    }
    return preview.value;
  }

  /** A finished tool input becomes a plain field: its JSON parsed once (nothing: `{}`). At its
   * block's stop (`stopped`), by `stoppedInput`, which throws where the SDK does; a block cut
   * short keeps its best-effort value. */
  #finishInput(block, index, stopped = false) {
    const input = this.#inputs[index];
    if (input === undefined) return;
    this.#inputs[index] = undefined;
    this.#previews[index]?.free();
    this.#previews[index] = undefined;
    let value;
    try {
      value = stopped ? stoppedInput(input) : input.trim() ? JSON.parse(input) : {};
    } catch (error) {
      value = previewInput(input);
      if (stopped) {
        Object.defineProperty(block, 'input', { value, enumerable: true, configurable: true, writable: true });
        throw error;
      }
    }
    Object.defineProperty(block, 'input', { value, enumerable: true, configurable: true, writable: true });
  }

  #event(event) {
    this.#push(event);
    if (this.#listeners.streamEvent?.length) this.#emit('streamEvent', event, this.#snapshot);
  }

  /**
   * After a failure or an abort, continues the reply (an extension, opt-in): the request again
   * with what arrived as a prefill, as a new MessageStream whose events are the continuation's
   * and whose `finalMessage()` is one message stitched from both (usage added up, each request's
   * in `resumed`). A reply a prefill cannot continue throws an `InvalidRequestError` (rule
   * `NotResumable`); a model that refuses prefill fails the new stream with one (rule
   * `PrefillUnsupported`).
   */
  resume(options = this.#options) {
    if (!this.errored && !this.aborted) refuse('the stream did not fail');
    const snapshot = this.#snapshot;
    // A resumed stream that failed before its message began sends its continuation again.
    const params = snapshot || !this.#stitchWith ? continuationParams(this.#params, snapshot) : this.#params;
    const stream = MessageStream._start(this.#client, params, options);
    stream.#stitchWith = this.#soFar();
    return stream;
  }

  /** Everything this stream's reply has, stitched onto the earlier part it resumes. */
  #soFar() {
    const snapshot = this.#snapshot;
    if (!this.#stitchWith) return snapshot;
    return snapshot ? stitch(this.#stitchWith, snapshot) : this.#stitchWith;
  }

  /** The raw `Response` once connected, as SDK 1.15's getter. */
  get response() {
    return this.#response;
  }

  /** The message so far; after a failure, everything that arrived; once the stream has
   * completed, `undefined` (the final message has it), as in the official SDK. */
  get currentMessage() {
    return this.#completed ? undefined : this.#snapshot;
  }

  on(event, listener) {
    this.#readOn();
    return this.#listen(event, listener, false);
  }

  off(event, listener) {
    const listeners = this.#listeners[event];
    if (listeners) this.#setListeners(event, listeners.filter((l) => l.listener !== listener));
    return this;
  }

  once(event, listener) {
    this.#readOn();
    return this.#listen(event, listener, true);
  }

  #listen(event, listener, once) {
    const listeners = (this.#listeners[event] ??= []);
    listeners.push(once ? { listener, once } : { listener });
    if (once) listeners.withOnce = true;
    return this;
  }

  /** From now on the body is read to its end whatever the iterator does. */
  #readOn() {
    this.#eager = true;
    this.#wake();
  }

  #wake() {
    const resume = this.#resume;
    this.#resume = null;
    resume?.();
  }

  /** Resolves with the arguments of the next `event`. */
  emitted(event) {
    return new Promise((resolve, reject) => {
      this.#handled = true;
      if (event !== 'error') this.once('error', reject);
      this.once(event, resolve);
    });
  }

  async done() {
    this.#handled = true;
    this.#readOn();
    await this.#end;
  }

  async finalMessage() {
    await this.done();
    return this.receivedMessages.at(-1);
  }

  /** The text blocks of the final message, joined with a space as the official SDK does. */
  async finalText() {
    const message = await this.finalMessage();
    const texts = message.content.filter((block) => block.type === 'text').map((block) => block.text);
    if (texts.length === 0) throw new AnthropicError('stream ended without producing a content block with type=text');
    return texts.join(' ');
  }

  abort() {
    this.controller.abort();
  }

  /** Once connected: this stream, the raw `Response` (its body is this stream's), the request id. */
  async withResponse() {
    await this.#connected;
    return {
      data: this,
      response: this.#exchange.response,
      request_id: this.request_id,
      headers: Object.fromEntries(this.#response.headers),
    };
  }

  [Symbol.asyncIterator]() {
    this.#handled = true;
    this.#iterating = true;
    return {
      next: () => {
        if (this.#queueHead < this.#queue.length) {
          const value = this.#queue[this.#queueHead++];
          if (this.#queueHead >= 1024 && this.#queueHead * 2 >= this.#queue.length) {
            this.#queue = this.#queue.slice(this.#queueHead);
            this.#queueHead = 0;
          }
          if (this.#resume && this.#queue.length - this.#queueHead <= this.#resumeAt) this.#wake();
          return Promise.resolve({ value, done: false });
        }
        if (this.ended) return this.#end.then(() => ({ value: undefined, done: true }));
        return new Promise((resolve, reject) => this.#waiters.push({ resolve, reject }));
      },
      return: () => {
        this.abort();
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }

  toReadableStream() {
    return ndjson(this[Symbol.asyncIterator]());
  }

  #push(event) {
    const waiter = this.#waiters.shift();
    if (waiter) waiter.resolve({ value: event, done: false });
    else if (this.#iterating) this.#queue.push(event);
  }

  /** A list of listeners, marked when it holds `once` ones (so that `#emit` need not look). */
  #setListeners(event, listeners) {
    listeners.withOnce = listeners.some((l) => l.once);
    this.#listeners[event] = listeners;
  }

  #emit(event, ...args) {
    const listeners = this.#listeners[event];
    if (!listeners?.length) return;
    if (listeners.withOnce) this.#setListeners(event, listeners.filter((l) => !l.once));
    for (let i = 0; i < listeners.length; i++) listeners[i].listener.apply(this, args);
  }

  #finish() {
    this.#release();
    this.ended = true;
    for (const waiter of this.#waiters.splice(0)) waiter.resolve({ value: undefined, done: true });
    this.#endSettled.resolve();
    this.#emit('end');
  }

  #fail(raw) {
    this.#release();
    // Tool inputs cut short keep their best-effort value, and their previews are freed.
    this.#snapshot?.content?.forEach((block, i) => this.#finishInput(block, i));
    const aborted = raw instanceof APIUserAbortError || this.controller.signal.aborted;
    const error = aborted && !(raw instanceof APIUserAbortError) ? new APIUserAbortError() : raw;
    error.partialMessage = this.#soFar();
    this.ended = true;
    if (aborted) {
      this.aborted = true;
      this.#emit('abort', error);
    } else {
      this.errored = true;
    }
    const listened = Boolean(this.#listeners.error?.length);
    this.#emit('error', error);
    for (const waiter of this.#waiters.splice(0)) waiter.reject(error);
    this.#endSettled.reject(error);
    this.#emit('end');
    if (!listened && !this.#handled && !aborted) {
      // Nobody asked: surface it rather than lose it, as the official SDK does.
      Promise.reject(error);
    }
  }
}

nameClasses({ MessageStream });
