// The JS API, shaped like the official TypeScript SDK. Everything that decides what a request,
// a stream, an error or a retry means runs in wasm; this file only moves JSON text across and
// gives it the official shape: the Anthropic class, the error classes, Stream and MessageStream.
import { WasmClient, parsePartialJson } from './anthropic_wasm.js';

const DEFAULT_BASE_URL = 'https://api.anthropic.com';

// ---------------------------------------------------------------------------------------------
// Errors: the official class names, status, error (the body), requestID, headers.

export class AnthropicError extends Error {}

export class APIError extends AnthropicError {
  constructor(status, error, message, headers, requestID) {
    super(message ?? (status ? `${status} status code` : 'API error'));
    this.status = status;
    this.error = error;
    this.headers = headers;
    this.requestID = requestID;
    this.type = error?.error?.type;
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
  constructor({
    apiKey = readEnv('ANTHROPIC_API_KEY') ?? null,
    authToken = readEnv('ANTHROPIC_AUTH_TOKEN') ?? null,
    baseURL = readEnv('ANTHROPIC_BASE_URL'),
    maxRetries = 2,
    timeout,
    defaultHeaders,
    dangerouslyAllowBrowser = false,
    fetch,
    validation,
  } = {}) {
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
    this.#credentials = credentials || Boolean(baseURL && baseURL !== DEFAULT_BASE_URL);
    this.#wasm = new WasmClient(
      JSON.stringify({
        apiKey: apiKey || undefined,
        authToken: authToken || undefined,
        baseURL: this.baseURL,
        maxRetries,
        timeout,
        defaultHeaders,
        dangerouslyAllowBrowser,
        validation,
      }),
      fetch,
    );
    this.messages = new Messages(this);
    this.models = new Models(this);
  }

  #wasm;
  #credentials;

  /** Runs one wasm operation with the request options' signal and the rest as JSON. */
  _call(method, args, options = {}) {
    if (!this.#credentials && !hasAuthHeader(options.headers)) {
      return Promise.reject(
        new AnthropicError(
          'Could not resolve authentication method. Expected either apiKey or authToken to be set, or a ' +
            'baseURL that adds credentials (a proxy).',
        ),
      );
    }
    const { signal, ...rest } = options;
    return this.#wasm[method](...args, JSON.stringify(rest), signal ?? undefined);
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
      const connecting = call(this.#client._call('stream', [JSON.stringify(params)], { ...options, signal: controller.signal }));
      const idleMs = options.timeout ?? this.#client.timeout;
      return connecting.then((wasmStream) => new Stream(wasmStream, controller, idleMs));
    }
    return call(this.#client._call('create', [JSON.stringify(params)], options)).then(unwrap);
  }

  /** A MessageStream: events, accumulated message, promises; starts at once. */
  stream(params, options = {}) {
    return MessageStream._start(this.#client, { ...params, stream: true }, options);
  }

  countTokens(params, options = {}) {
    return call(this.#client._call('countTokens', [JSON.stringify(params)], options)).then(unwrap);
  }
}

class Models {
  #client;

  constructor(client) {
    this.#client = client;
  }

  list(params = {}, options = {}) {
    return pagePromise((query) => this.#client._call('listModels', [JSON.stringify(query)], options), params);
  }

  retrieve(modelID, options = {}) {
    return call(this.#client._call('retrieveModel', [modelID], options)).then(unwrap);
  }
}

class Batches {
  #client;

  constructor(client) {
    this.#client = client;
  }

  create(params, options = {}) {
    return call(this.#client._call('createBatch', [JSON.stringify(params)], options)).then(unwrap);
  }

  retrieve(batchID, options = {}) {
    return call(this.#client._call('batchAction', ['retrieve', batchID], options)).then(unwrap);
  }

  list(params = {}, options = {}) {
    return pagePromise((query) => this.#client._call('listBatches', [JSON.stringify(query)], options), params);
  }

  cancel(batchID, options = {}) {
    return call(this.#client._call('batchAction', ['cancel', batchID], options)).then(unwrap);
  }

  delete(batchID, options = {}) {
    return call(this.#client._call('batchAction', ['delete', batchID], options)).then(unwrap);
  }

  /** The results as an async iterable of `{custom_id, result}` lines. */
  async results(batchID, options = {}) {
    const lines = JSON.parse(await call(this.#client._call('batchResults', [batchID], options)));
    return {
      async *[Symbol.asyncIterator]() {
        yield* lines;
      },
    };
  }
}

// ---------------------------------------------------------------------------------------------
// Pagination: `await list()` gives the first Page; `for await (const item of list())` gives
// every item of every page.

class Page {
  #fetch;
  #query;

  constructor(body, fetch, query) {
    Object.assign(this, body);
    this.#fetch = fetch;
    this.#query = query;
  }

  hasNextPage() {
    return Boolean(this.has_more && (this.#query.before_id ? this.first_id : this.last_id));
  }

  getNextPage() {
    const query = { ...this.#query };
    if (query.before_id) query.before_id = this.first_id;
    else query.after_id = this.last_id;
    return loadPage(this.#fetch, query);
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

async function loadPage(fetch, query) {
  return new Page(unwrap(await call(fetch(query))), fetch, query);
}

function pagePromise(fetch, query) {
  const first = loadPage(fetch, query);
  return Object.assign(first, {
    async *[Symbol.asyncIterator]() {
      yield* await first;
    },
  });
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

const TEXT = 1;
const INPUT_JSON = 2;
const THINKING = 3;
const SIGNATURE = 4;
const CITATION = 5;
const CONTENT_BLOCK = 6;
const MESSAGE = 7;

/**
 * Reads the body and yields batches from wasm: arrays of [event name, event, helper code, index,
 * payload]. JS reads the body's stream (one await per chunk, as any JS client pays) and wasm
 * decodes each chunk synchronously. The event itself is only sent across when `withEvents()`
 * says someone will read it. `idleMs` bounds the wait for each chunk, with one timer re-armed
 * only when it fires early.
 */
async function* batches(wasmStream, controller, idleMs, withEvents = () => true) {
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
      let batch;
      try {
        batch = chunk.done ? wasmStream.end(withEvents()) : wasmStream.push(chunk.value, withEvents());
      } catch (raw) {
        throw toError(raw);
      }
      if (batch) yield JSON.parse(batch);
      if (chunk.done) return;
    }
  } finally {
    clearTimeout(timer);
    controller.signal.removeEventListener('abort', stop);
  }
}

/** The raw events of `messages.create({stream: true})`. */
export class Stream {
  #wasmStream;
  #consumed = false;

  #idleMs;

  constructor(wasmStream, controller, idleMs) {
    this.#wasmStream = wasmStream;
    this.#idleMs = idleMs;
    this.controller = controller;
    this.request_id = wasmStream.requestId ?? null;
  }

  async *[Symbol.asyncIterator]() {
    if (this.#consumed) throw new AnthropicError('Cannot iterate over a consumed stream, use `.tee()` to split the stream.');
    this.#consumed = true;
    let done = false;
    try {
      for await (const batch of batches(this.#wasmStream, this.controller, this.#idleMs)) {
        // Keep-alive pings are not events to callers, as in the official SDK.
        for (const item of batch) if (item[0] !== 'ping') yield item[1];
      }
      done = true;
    } catch (error) {
      // A user abort ends iteration quietly, as in the official SDK.
      if (error instanceof APIUserAbortError) return;
      throw error;
    } finally {
      if (!done) this.controller.abort();
    }
  }

  /** Newline-delimited JSON of the events. */
  toReadableStream() {
    return ndjson(this[Symbol.asyncIterator]());
  }
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
  #listeners = {};
  #queue = [];
  #waiters = [];
  #texts = [];
  #thinking = [];
  #inputs = [];
  #citations = [];
  #end;
  #endSettled;
  #handled = false;
  #iterating = false;
  #connected;

  #idleMs;

  static _start(client, params, options) {
    const stream = new MessageStream();
    // The longest wait for the next chunk: the request's timeout, as for the connection.
    stream.#idleMs = options.timeout ?? client.timeout;
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
      this.#wasmStream = await call(client._call('stream', [JSON.stringify(params)], options));
      this.request_id = this.#wasmStream.requestId ?? null;
      this.#emit('connect');
      const withEvents = () => this.#iterating || Boolean(this.#listeners.streamEvent?.length);
      for await (const batch of batches(this.#wasmStream, this.controller, this.#idleMs, withEvents)) {
        for (const item of batch) if (item[0] !== 'ping') this.#dispatch(item);
      }
      const message = this.receivedMessages.at(-1);
      if (!message) throw new AnthropicError('stream ended without producing a Message with role=assistant');
      this.#emit('finalMessage', message);
      this.#finish();
    } catch (error) {
      this.#fail(error);
    }
  }

  #dispatch([, event, helper, index, payload]) {
    this.#push(event);
    if (this.#listeners.streamEvent?.length) this.#emit('streamEvent', event, this.currentMessage);
    switch (helper) {
      case TEXT:
        this.#texts[index] = (this.#texts[index] ?? '') + payload;
        this.#emit('text', payload, this.#texts[index]);
        break;
      case INPUT_JSON:
        this.#inputs[index] = (this.#inputs[index] ?? '') + payload;
        if (this.#listeners.inputJson?.length) {
          // Nothing yet is the block's initial input, `{}`, as the official SDK reports it.
          const buffer = this.#inputs[index];
          this.#emit('inputJson', payload, buffer.trim() ? JSON.parse(parsePartialJson(buffer) ?? 'null') : {});
        }
        break;
      case THINKING:
        this.#thinking[index] = (this.#thinking[index] ?? '') + payload;
        this.#emit('thinking', payload, this.#thinking[index]);
        break;
      case SIGNATURE:
        this.#emit('signature', payload);
        break;
      case CITATION:
        (this.#citations[index] ??= []).push(payload);
        this.#emit('citation', payload, this.#citations[index]);
        break;
      case CONTENT_BLOCK:
        this.#emit('contentBlock', payload);
        break;
      case MESSAGE:
        this.receivedMessages.push(payload);
        this.messages.push({ role: payload.role, content: payload.content });
        this.#emit('message', payload);
        break;
    }
  }

  /** The message so far; after a failure, everything that arrived. */
  get currentMessage() {
    const snapshot = this.#wasmStream?.snapshot();
    return snapshot ? JSON.parse(snapshot) : undefined;
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

  async withResponse() {
    await this.#connected;
    return { data: this, request_id: this.request_id, headers: JSON.parse(this.#wasmStream.headers) };
  }

  [Symbol.asyncIterator]() {
    this.#handled = true;
    this.#iterating = true;
    return {
      next: () => {
        if (this.#queue.length) return Promise.resolve({ value: this.#queue.shift(), done: false });
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

Anthropic.Anthropic = Anthropic;
Anthropic.AnthropicError = AnthropicError;
Anthropic.APIError = APIError;
Anthropic.APIConnectionError = APIConnectionError;
Anthropic.APIConnectionTimeoutError = APIConnectionTimeoutError;
Anthropic.APIUserAbortError = APIUserAbortError;
Anthropic.BadRequestError = BadRequestError;
Anthropic.AuthenticationError = AuthenticationError;
Anthropic.PermissionDeniedError = PermissionDeniedError;
Anthropic.NotFoundError = NotFoundError;
Anthropic.ConflictError = ConflictError;
Anthropic.UnprocessableEntityError = UnprocessableEntityError;
Anthropic.RateLimitError = RateLimitError;
Anthropic.InternalServerError = InternalServerError;
Anthropic.InvalidRequestError = InvalidRequestError;
// The resource class, as in the official SDK; helpers.js adds `parse` and `toolRunner` to it.
Anthropic.Messages = Messages;

export default Anthropic;
