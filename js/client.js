// The JS API, shaped like the official TypeScript SDK. Everything that decides what a request,
// a stream, an error or a retry means runs in wasm; this file only moves JSON text across and
// gives it the official shape: the Anthropic class, the error classes, Stream and MessageStream.
import { PartialJsonPreview, WasmClient, parsePartialJson, streamRules } from './anthropic_wasm.js';
import { PartialPreview } from './lib/partial-preview.js';
import { wasmMemory } from './memory.js';

const DEFAULT_BASE_URL = 'https://api.anthropic.com';

// ---------------------------------------------------------------------------------------------
// Errors: the official class names, status, error (the body), requestID, headers.

export class AnthropicError extends Error {}

export class APIError extends AnthropicError {
  constructor(status, error, message, headers, requestID) {
    super(message ?? (status ? `${status} status code` : 'API error'));
    this.status = status;
    // The official fields: a `Headers` object, and what the body's `error` says.
    this.headers = headers === undefined ? undefined : new Headers(headers);
    this.requestID = this.headers?.get('request-id') ?? requestID;
    this.workspaceID = this.headers?.get('anthropic-workspace-id');
    this.error = error;
    const details = error?.error?.details;
    this.apiMessage = error?.error?.message ?? null;
    this.type = error?.error?.type ?? null;
    this.errorCode = typeof details?.error_code === 'string' ? details.error_code : null;
    this.details = details ?? null;
  }

  static generate(status, error, message, headers, requestID) {
    const Class = ERROR_BY_STATUS[status] ?? (status >= 500 ? InternalServerError : APIError);
    return new Class(status, error, message, headers, requestID);
  }
}

export class APIUserAbortError extends APIError {
  constructor({ message } = {}) {
    super(undefined, undefined, message || 'Request was aborted.', undefined);
  }
}

export class APIConnectionError extends APIError {
  constructor({ message, cause } = {}) {
    super(undefined, undefined, message || 'Connection error.', undefined);
    if (cause) this.cause = cause;
  }
}

export class APIConnectionTimeoutError extends APIConnectionError {
  constructor({ message } = {}) {
    super({ message: message ?? 'Request timed out.' });
  }
}

export class BadRequestError extends APIError {}
export class AuthenticationError extends APIError {}
export class PermissionDeniedError extends APIError {}
export class NotFoundError extends APIError {}
export class ConflictError extends APIError {}
export class UnprocessableEntityError extends APIError {}
export class RateLimitError extends APIError {}
export class InternalServerError extends APIError {}

/** A request refused before sending: `path` names the field, `rule` the check. */
export class InvalidRequestError extends AnthropicError {
  constructor(message, path, rule) {
    super(message);
    this.path = path;
    this.rule = rule;
  }
}

const ERROR_BY_STATUS = {
  400: BadRequestError,
  401: AuthenticationError,
  403: PermissionDeniedError,
  404: NotFoundError,
  409: ConflictError,
  422: UnprocessableEntityError,
  429: RateLimitError,
};

// The wasm side rejects with a JSON descriptor; turn it into an error object.
function toError(raw) {
  if (raw instanceof Error) return raw;
  let d;
  try {
    d = JSON.parse(raw);
  } catch {
    return new AnthropicError(String(raw));
  }
  switch (d.kind) {
    case 'api':
      return APIError.generate(d.status, d.error ?? undefined, d.message, d.headers ?? {}, d.requestId ?? undefined);
    case 'mid_stream':
      return new APIError(undefined, d.error, d.message, d.headers ?? {}, d.requestId ?? undefined);
    case 'connection':
      return new APIConnectionError({ message: d.message });
    case 'timeout':
      return new APIConnectionTimeoutError();
    case 'aborted':
      return new APIUserAbortError();
    case 'invalid_request':
      return new InvalidRequestError(d.message, d.path, d.rule);
    default:
      return new AnthropicError(d.message);
  }
}

async function call(promise) {
  try {
    return await promise;
  } catch (raw) {
    throw toError(raw);
  }
}

// ---------------------------------------------------------------------------------------------
// The client.

function isRunningInBrowser() {
  return typeof window !== 'undefined' && typeof window.document !== 'undefined' && typeof navigator !== 'undefined';
}

function readEnv(name) {
  return globalThis.process?.env?.[name]?.trim() || undefined;
}

export class Anthropic {
  constructor(options = {}) {
    const {
      apiKey = readEnv('ANTHROPIC_API_KEY') ?? null,
      authToken = readEnv('ANTHROPIC_AUTH_TOKEN') ?? null,
      baseURL = readEnv('ANTHROPIC_BASE_URL'),
      maxRetries = 2,
      timeout,
      defaultHeaders,
      dangerouslyAllowBrowser = false,
      fetch,
      fetchOptions,
      validation,
    } = options;
    const credentials = Boolean(apiKey || authToken);
    if (!dangerouslyAllowBrowser && isRunningInBrowser() && (credentials || !baseURL)) {
      throw new AnthropicError(
        "It looks like you're running in a browser-like environment.\n\nThis is disabled by default, as it risks " +
          'exposing your secret API credentials to attackers.\nIf you understand the risks and have appropriate ' +
          'mitigations in place,\nyou can set the `dangerouslyAllowBrowser` option to `true`, e.g.,\n\n' +
          'new Anthropic({ apiKey, dangerouslyAllowBrowser: true });\n\nor use a proxy baseURL that adds the key ' +
          'server-side, with no key in the browser.',
      );
    }
    this.baseURL = baseURL ?? DEFAULT_BASE_URL;
    this.maxRetries = maxRetries;
    this.timeout = timeout ?? 600000;
    this.#options = options;
    this.#credentials = credentials || Boolean(baseURL && baseURL !== DEFAULT_BASE_URL);
    this.#fetch = fetch;
    this.#fetchOptions = fetchOptions;
    this.#wasmOptions = JSON.stringify({
      apiKey: apiKey || undefined,
      authToken: authToken || undefined,
      baseURL: this.baseURL,
      maxRetries,
      timeout,
      defaultHeaders,
      dangerouslyAllowBrowser,
      validation,
    });
    // Checks the options now rather than at the first request.
    new WasmClient(this.#wasmOptions).free();
    this.messages = new Messages(this);
    this.models = new Models(this);
  }

  #options;
  #credentials;
  #fetch;
  #fetchOptions;
  #wasmOptions;

  /** A new client with these options over this one's, as the official `withOptions`. */
  withOptions(options) {
    return new this.constructor({ ...this.#options, ...options });
  }

  /**
   * Runs one wasm operation with the request options' signal and the rest as JSON. Every
   * response it receives passes through `exchange` (see `newExchange`); `fetchOptions` (the
   * client's, then the request's) go into each fetch under what the request itself sets.
   */
  _call(method, args, options = {}, exchange = newExchange()) {
    if (!this.#credentials && !hasAuthHeader(options.headers)) {
      return Promise.reject(
        new AnthropicError(
          'Could not resolve authentication method. Expected either apiKey or authToken to be set, or a ' +
            'baseURL that adds credentials (a proxy).',
        ),
      );
    }
    const { signal, fetchOptions, ...rest } = options;
    const fetch = this.#fetch ?? globalThis.fetch;
    const init = { ...this.#fetchOptions, ...fetchOptions };
    const capturing = async (url, request) => exchange.receive(await fetch(url, { ...init, ...request }));
    // A client per call, so this call's responses reach this call's exchange. The operation
    // holds its own copies of what it needs, so the client can go at once.
    const wasm = new WasmClient(this.#wasmOptions, capturing);
    try {
      return call(wasm[method](...args, JSON.stringify(rest), signal ?? undefined));
    } finally {
      wasm.free();
    }
  }

  /** One call as an `APIPromise`: `parse` turns the wasm result into the data. */
  _request(method, args, options, parse = unwrap) {
    const exchange = newExchange();
    return new APIPromise(this._call(method, args, options, exchange).then(parse), exchange);
  }
}

/**
 * Where one call's raw responses go: the last one (the attempt that counted) is kept for
 * `asResponse()` / `withResponse()`. Once `keepBody` is set, the client reads a clone and the
 * body of the response kept is left for the caller.
 */
function newExchange() {
  return {
    response: undefined,
    keepBody: false,
    receive(response) {
      this.response = response;
      return this.keepBody ? response.clone() : response;
    },
  };
}

/**
 * What the request methods return, as in the official SDK: a Promise of the data, plus
 * `asResponse()` (the raw `Response`, its body unread when asked for before the request was
 * sent, that is in the same tick as the call) and `withResponse()` (data, response, request id).
 */
export class APIPromise extends Promise {
  #result;
  #exchange;

  constructor(result, exchange) {
    super((resolve) => resolve());
    this.#result = result;
    this.#exchange = exchange;
  }

  // `then` on an APIPromise gives a plain Promise.
  static get [Symbol.species]() {
    return Promise;
  }

  asResponse() {
    this.#exchange.keepBody = true;
    return this.#result.then(() => this.#exchange.response);
  }

  async withResponse() {
    const data = await this.#result;
    const { response } = this.#exchange;
    return {
      data,
      response,
      request_id: response?.headers.get('request-id') ?? null,
      workspace_id: response?.headers.get('anthropic-workspace-id') ?? null,
    };
  }

  then(onFulfilled, onRejected) {
    return this.#result.then(onFulfilled, onRejected);
  }

  catch(onRejected) {
    return this.#result.catch(onRejected);
  }

  finally(onFinally) {
    return this.#result.finally(onFinally);
  }
}

function hasAuthHeader(headers) {
  return Object.keys(headers ?? {}).some((h) => ['x-api-key', 'authorization'].includes(h.toLowerCase()));
}

/** `{data, requestId, headers}` → data, with the request id as the SDK exposes it. */
function unwrap(text) {
  const { data, requestId } = JSON.parse(text);
  if (data && typeof data === 'object') {
    Object.defineProperty(data, '_request_id', { value: requestId ?? null, enumerable: false });
  }
  return data;
}

class Messages {
  #client;

  constructor(client) {
    this.#client = client;
    this.batches = new Batches(client);
  }

  /** A Message, or with `stream: true` a Stream of raw events. */
  create(params, options = {}) {
    if (params.stream) {
      const controller = linkedController(options.signal);
      const idleMs = options.timeout ?? this.#client.timeout;
      const toStream = (wasmStream) => Stream._fromWasm(wasmStream, controller, idleMs);
      return this.#client._request('stream', [JSON.stringify(params)], { ...options, signal: controller.signal }, toStream);
    }
    return this.#client._request('create', [JSON.stringify(params)], options);
  }

  /** A MessageStream: events, accumulated message, promises; starts at once. */
  stream(params, options = {}) {
    return MessageStream._start(this.#client, { ...params, stream: true }, options);
  }

  countTokens(params, options = {}) {
    return this.#client._request('countTokens', [JSON.stringify(params)], options);
  }
}

class Models {
  #client;

  constructor(client) {
    this.#client = client;
  }

  list(params = {}, options = {}) {
    return pagePromise(this.#client, 'listModels', params, options);
  }

  retrieve(modelID, options = {}) {
    return this.#client._request('retrieveModel', [modelID], options);
  }
}

class Batches {
  #client;

  constructor(client) {
    this.#client = client;
  }

  create(params, options = {}) {
    return this.#client._request('createBatch', [JSON.stringify(params)], options);
  }

  retrieve(batchID, options = {}) {
    return this.#client._request('batchAction', ['retrieve', batchID], options);
  }

  list(params = {}, options = {}) {
    return pagePromise(this.#client, 'listBatches', params, options);
  }

  cancel(batchID, options = {}) {
    return this.#client._request('batchAction', ['cancel', batchID], options);
  }

  delete(batchID, options = {}) {
    return this.#client._request('batchAction', ['delete', batchID], options);
  }

  /** The results as an async iterable of `{custom_id, result}` lines. */
  results(batchID, options = {}) {
    return this.#client._request('batchResults', [batchID], options, (text) => {
      const lines = JSON.parse(text);
      return {
        async *[Symbol.asyncIterator]() {
          yield* lines;
        },
      };
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Pagination: `await list()` gives the first Page; `for await (const item of list())` gives
// every item of every page.

class Page {
  #client;
  #method;
  #query;
  #options;

  constructor(body, client, method, query, options) {
    Object.assign(this, body);
    this.#client = client;
    this.#method = method;
    this.#query = query;
    this.#options = options;
  }

  hasNextPage() {
    return Boolean(this.has_more && (this.#query.before_id ? this.first_id : this.last_id));
  }

  getNextPage() {
    const query = { ...this.#query };
    if (query.before_id) query.before_id = this.first_id;
    else query.after_id = this.last_id;
    return pagePromise(this.#client, this.#method, query, this.#options);
  }

  async *[Symbol.asyncIterator]() {
    let page = this;
    for (;;) {
      yield* page.data;
      if (!page.hasNextPage()) return;
      page = await page.getNextPage();
    }
  }
}

/** The APIPromise of a Page that is also an async iterable of every item of every page. */
class PagePromise extends APIPromise {
  async *[Symbol.asyncIterator]() {
    yield* await this;
  }
}

function pagePromise(client, method, query, options) {
  const exchange = newExchange();
  const page = client
    ._call(method, [JSON.stringify(query)], options, exchange)
    .then((text) => new Page(unwrap(text), client, method, query, options));
  return new PagePromise(page, exchange);
}

// ---------------------------------------------------------------------------------------------
// Streams.

/** An AbortController that also aborts when the caller's signal does. */
function linkedController(signal) {
  const controller = new AbortController();
  if (signal) {
    if (signal.aborted) controller.abort();
    else signal.addEventListener('abort', () => controller.abort(), { once: true, signal: controller.signal });
  }
  return controller;
}

// The stream codec's tables (core/src/stream.rs: its ops and the message-delta rule), read
// from wasm on first use: this module is evaluated before the entry point initialises wasm.
let streamTables;
const RULES = () => (streamTables ??= JSON.parse(streamRules()));
const OPS = () => RULES().ops;
const utf8 = new TextDecoder();

/** The batch at `at` in wasm memory (`[length u32 LE][JSON]`), parsed; `null` when empty. */
function readBatch(at) {
  const bytes = new Uint8Array(wasmMemory().buffer);
  const length = (bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (bytes[at + 3] << 24)) >>> 0;
  return length ? JSON.parse(utf8.decode(bytes.subarray(at + 4, at + 4 + length))) : null;
}

/**
 * Reads the body and decodes it in wasm, one call per network chunk: yields each chunk's batch
 * as `{items, full}`, `items` the flat array `[op, index, payload, …]` (docs/architecture.md).
 * `full()` says whether whole events are wanted for the hot deltas too (someone iterates the
 * events or listens to `streamEvent`); otherwise their payload is only the text they add.
 * `idleMs` bounds the wait for each chunk, with one timer re-armed only when it fires early. A
 * terminal item (an error event, bad bytes, an early end) is the last of its batch; the caller
 * throws `toError(wasmStream.failure())` for it.
 */
async function* batches(wasmStream, controller, idleMs, full) {
  const reader = wasmStream.takeReader();
  let timedOut = false;
  let lastChunk = performance.now();
  let timer;
  const arm = (ms) => {
    timer = setTimeout(() => {
      const idle = performance.now() - lastChunk;
      if (idle < idleMs) return arm(idleMs - idle);
      timedOut = true;
      wasmStream.cancel();
    }, ms);
  };
  const stop = () => wasmStream.cancel();
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
        throw new APIConnectionError({ message: `${error?.name ?? 'Error'}: ${error?.message ?? error}`, cause: error });
      }
      lastChunk = performance.now();
      const whole = full();
      const items = readBatch(chunk.done ? wasmStream.end(whole) : wasmStream.push(chunk.value, whole));
      if (items) yield { items, full: whole };
      if (chunk.done) return;
    }
  } finally {
    clearTimeout(timer);
    controller.signal.removeEventListener('abort', stop);
  }
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

  /** Events from the wasm parser; the first iteration consumes them. */
  static _fromWasm(wasmStream, controller, idleMs) {
    async function* events() {
      // The codec has dropped keep-alive pings, as the official SDK does.
      const { ERROR } = OPS();
      for await (const { items } of batches(wasmStream, controller, idleMs, () => true)) {
        for (let i = 0; i < items.length; i += 3) {
          if (items[i] >= ERROR) throw toError(wasmStream.failure());
          yield items[i + 2];
        }
      }
    }
    const stream = new Stream(onceOnly(events, controller), controller);
    stream.request_id = wasmStream.requestId ?? null;
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

function ndjson(iterator) {
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

/**
 * The final message of a stream with `parsed_output`, as the official SDK gives it: when
 * `output_config.format` has a `parse` function (the SDK's output-format helpers), each text
 * block parsed with it (kept on the block, not enumerable) and the first result on the
 * message; otherwise `null`.
 */
function withParsedOutput(message, params) {
  const format = params?.output_config?.format;
  const parse = format && 'parse' in format && format.type === 'json_schema' ? format.parse : null;
  let first = null;
  const content = message.content.map((block) => {
    if (block.type !== 'text') return block;
    let parsed = null;
    if (parse) {
      try {
        parsed = parse(block.text);
      } catch (error) {
        throw new AnthropicError(`Failed to parse structured output: ${error}`);
      }
      first ??= parsed;
    }
    return Object.defineProperty({ ...block }, 'parsed_output', { value: parsed, enumerable: false });
  });
  return { ...message, content, parsed_output: first };
}

/** A best-effort parse of unfinished tool input; nothing yet is the block's initial `{}`. */
function previewInput(input) {
  return input.trim() ? JSON.parse(parsePartialJson(input) ?? 'null') : {};
}

/** `message_delta` onto the message, by the codec's rule (as the official SDK applies it). */
function applyMessageDelta(message, event) {
  const rule = RULES().messageDelta;
  const { delta = {}, usage } = event;
  for (const key of rule.assign) message[key] = delta[key];
  for (const key of rule.assignIfSet) if (delta[key] != null) message[key] = delta[key];
  if (usage) {
    const counts = (message.usage ??= {});
    for (const key of rule.usageAssign) counts[key] = usage[key];
    for (const key of rule.usageAssignIfSet) if (usage[key] != null) counts[key] = usage[key];
  }
}

/** `messages.stream(...)`: the official MessageStream's events, promises and fields. */
export class MessageStream {
  messages = [];
  receivedMessages = [];
  controller = new AbortController();
  request_id = null;
  ended = false;
  errored = false;
  aborted = false;

  #wasmStream = null;
  #exchange = newExchange();
  #listeners = {};
  /** Events not yet taken by the iterator, from `#queueHead` on: `shift()` is O(n) on a long
   * queue, and a fast body can queue the whole stream before the loop catches up. */
  #queue = [];
  #queueHead = 0;
  #waiters = [];
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
  #params;
  #completed = false;

  #idleMs;

  static _start(client, params, options) {
    const stream = new MessageStream();
    // The longest wait for the next chunk: the request's timeout, as for the connection.
    stream.#idleMs = options.timeout ?? client.timeout;
    stream.#params = params;
    stream.messages.push(...(params.messages ?? []));
    const controller = linkedController(options.signal);
    controller.signal.addEventListener('abort', () => stream.controller.abort(), { once: true });
    stream.#run(client, params, { ...options, signal: stream.controller.signal });
    return stream;
  }

  constructor() {
    this.#end = new Promise((resolve, reject) => {
      this.#endSettled = { resolve, reject };
    });
    // Rejections are reported through 'error' listeners and the promise methods; an error
    // nobody asked about is re-thrown below, as the official SDK does.
    this.#end.catch(() => {});
    this.#connected = new Promise((resolve) => this.once('connect', resolve));
  }

  async #run(client, params, options) {
    try {
      this.#wasmStream = await client._call('stream', [JSON.stringify(params)], options, this.#exchange);
      this.request_id = this.#wasmStream.requestId ?? null;
      this.#emit('connect');
      const full = () => this.#iterating || Boolean(this.#listeners.streamEvent?.length);
      const { ERROR } = OPS();
      for await (const { items, full: whole } of batches(this.#wasmStream, this.controller, this.#idleMs, full)) {
        for (let i = 0; i < items.length; i += 3) {
          if (items[i] >= ERROR) throw toError(this.#wasmStream.failure());
          this.#apply(items[i], items[i + 1], items[i + 2], whole);
        }
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
   * whole event, or for the hot deltas without `full` only the text they add.
   */
  #apply(op, index, payload, full) {
    const OP = OPS();
    const message = this.#snapshot;
    switch (op) {
      case OP.TEXT: {
        const block = message.content[index];
        const text = full ? payload.delta.text : payload;
        block.text = (block.text ?? '') + text;
        if (full) this.#event(payload);
        this.#emit('text', text, block.text);
        return;
      }
      case OP.INPUT_JSON: {
        const fragment = full ? payload.delta.partial_json : payload;
        const input = (this.#inputs[index] ?? '') + fragment;
        this.#inputs[index] = input;
        this.#previews[index]?.push(fragment);
        if (full) this.#event(payload);
        if (this.#listeners.inputJson?.length) this.#emit('inputJson', fragment, this.#previewOf(index));
        return;
      }
      case OP.THINKING: {
        const block = message.content[index];
        const thinking = full ? payload.delta.thinking : payload;
        block.thinking = (block.thinking ?? '') + thinking;
        if (full) this.#event(payload);
        this.#emit('thinking', thinking, block.thinking);
        return;
      }
      case OP.MESSAGE_START:
        this.#snapshot = payload.message;
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
      case OP.COMPACTION: {
        const block = message.content[index];
        const { content, encrypted_content } = payload.delta;
        if (content != null) block.content = (block.content ?? '') + content;
        if (encrypted_content != null) block.encrypted_content = encrypted_content;
        this.#event(payload);
        return;
      }
      case OP.BLOCK_STOP: {
        const block = message.content[index];
        this.#finishInput(block, index);
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
        const final = withParsedOutput(message, this.#params);
        this.receivedMessages.push(final);
        this.messages.push({ role: final.role, content: final.content });
        this.#emit('message', final);
        return;
      }
      default:
        this.#event(payload);
    }
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

  /** A finished tool input becomes a plain field: its JSON parsed once (nothing: `{}`). */
  #finishInput(block, index) {
    const input = this.#inputs[index];
    if (input === undefined) return;
    this.#inputs[index] = undefined;
    this.#previews[index]?.free();
    this.#previews[index] = undefined;
    let value;
    try {
      value = input.trim() ? JSON.parse(input) : {};
    } catch {
      value = previewInput(input);
    }
    Object.defineProperty(block, 'input', { value, enumerable: true, configurable: true, writable: true });
  }

  #event(event) {
    this.#push(event);
    if (this.#listeners.streamEvent?.length) this.#emit('streamEvent', event, this.#snapshot);
  }

  /** The message so far; after a failure, everything that arrived; once the stream has
   * completed, `undefined` (the final message has it), as in the official SDK. */
  get currentMessage() {
    return this.#completed ? undefined : this.#snapshot;
  }

  on(event, listener) {
    (this.#listeners[event] ??= []).push({ listener });
    return this;
  }

  off(event, listener) {
    const listeners = this.#listeners[event];
    if (listeners) this.#listeners[event] = listeners.filter((l) => l.listener !== listener);
    return this;
  }

  once(event, listener) {
    (this.#listeners[event] ??= []).push({ listener, once: true });
    return this;
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
      headers: JSON.parse(this.#wasmStream.headers),
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

  #emit(event, ...args) {
    const listeners = this.#listeners[event];
    if (!listeners?.length) return;
    if (listeners.some((l) => l.once)) this.#listeners[event] = listeners.filter((l) => !l.once);
    for (const { listener } of listeners) listener.apply(this, args);
  }

  #finish() {
    this.ended = true;
    for (const waiter of this.#waiters.splice(0)) waiter.resolve({ value: undefined, done: true });
    this.#endSettled.resolve();
    this.#emit('end');
  }

  #fail(raw) {
    const aborted = raw instanceof APIUserAbortError || this.controller.signal.aborted;
    const error = aborted && !(raw instanceof APIUserAbortError) ? new APIUserAbortError() : raw;
    error.partialMessage = this.currentMessage;
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

// The classes' names, which survive minification, as `err.name` and as statics of Anthropic.
const ERROR_CLASSES = {
  AnthropicError,
  APIError,
  APIConnectionError,
  APIConnectionTimeoutError,
  APIUserAbortError,
  BadRequestError,
  AuthenticationError,
  PermissionDeniedError,
  NotFoundError,
  ConflictError,
  UnprocessableEntityError,
  RateLimitError,
  InternalServerError,
  InvalidRequestError,
};
for (const [name, ErrorClass] of Object.entries(ERROR_CLASSES)) {
  Object.defineProperty(ErrorClass.prototype, 'name', { value: name, writable: true, configurable: true });
  Anthropic[name] = ErrorClass;
}
Anthropic.Anthropic = Anthropic;
// The resource class, as in the official SDK; helpers.js adds `parse` and `toolRunner` to it.
Anthropic.Messages = Messages;

export default Anthropic;
