// The JS API, shaped like the official TypeScript SDK: the Anthropic class and its resources.
// The shell does the I/O (js/core/request.js); what a request, a stream, an error or a retry
// means is decided in wasm (npm/, over core/), the same as in the Rust client.
import { APIPromise, newExchange } from './core/api-promise.js';
import * as errorClasses from './core/errors.js';
import { AnthropicError, InvalidRequestError } from './core/errors.js';
import { codeClasses, toError } from './core/descriptors.js';
import { mergeHeaders, send } from './core/request.js';
import { DEFAULTS, wasmCall, whenStarted } from './core/wasm.js';
import { Messages } from './resources/messages.js';
import { Models } from './resources/models.js';
import { betaResource } from './resources/beta.js';
import { Files } from './resources/files.js';

export * from './core/errors.js';
export { APIPromise } from './core/api-promise.js';
export { Stream } from './core/streaming.js';
export { MessageStream } from './lib/message-stream.js';
export { toFile } from './resources/files.js';

function isRunningInBrowser() {
  return typeof window !== 'undefined' && typeof window.document !== 'undefined' && typeof navigator !== 'undefined';
}

function readEnv(name) {
  return globalThis.process?.env?.[name]?.trim() || undefined;
}

/** SDK 1.15's refusal, word for word. */
const BROWSER_REFUSAL =
  "It looks like you're running in a browser-like environment.\n\nThis is disabled by default, as it risks " +
  'exposing your secret API credentials to attackers.\nIf you understand the risks and have appropriate ' +
  'mitigations in place,\nyou can set the `dangerouslyAllowBrowser` option to `true`, e.g.,\n\n' +
  'new Anthropic({ apiKey, dangerouslyAllowBrowser: true });\n';

export class Anthropic {
  constructor(options = {}) {
    const defaults = DEFAULTS();
    const {
      apiKey = readEnv('ANTHROPIC_API_KEY') ?? null,
      authToken = readEnv('ANTHROPIC_AUTH_TOKEN') ?? null,
      baseURL = readEnv('ANTHROPIC_BASE_URL'),
      maxRetries = defaults.maxRetries,
      timeout,
      stallTimeout = defaults.stallTimeout,
      defaultHeaders,
      dangerouslyAllowBrowser = false,
      fetch,
      fetchOptions,
      defaultQuery,
      apiVersion = defaults.apiVersion,
      validation,
      maxEventBytes = defaults.maxEventBytes,
      maxToolInputBytes = defaults.maxToolInputBytes,
      logLevel,
      logger = console,
    } = options;
    const credentials = Boolean(apiKey || authToken);
    if (!dangerouslyAllowBrowser && isRunningInBrowser() && (credentials || !baseURL)) {
      throw new AnthropicError(BROWSER_REFUSAL);
    }
    checkOption('maxRetries', maxRetries, (v) => Number.isInteger(v) && v >= 0, 'a whole number ≥ 0');
    checkOption('timeout', timeout, (v) => v === undefined || (typeof v === 'number' && v >= 0), 'milliseconds ≥ 0');
    checkOption('stallTimeout', stallTimeout, (v) => typeof v === 'number' && v >= 0, 'milliseconds ≥ 0');
    // The wasm takes 32-bit sizes: 4 GiB is more than its memory can hold anyway.
    const size = (v) => Number.isInteger(v) && v > 0 && v < 2 ** 32;
    checkOption('maxEventBytes', maxEventBytes, size, 'a whole number of bytes, 1 to 2^32 - 1');
    checkOption('maxToolInputBytes', maxToolInputBytes, size, 'a whole number of bytes, 1 to 2^32 - 1');
    this.logger = logger;
    this.logLevel = 'warn';
    const level = (value, source) => {
      if (!value || LOG_LEVELS.includes(value)) return value || undefined;
      this._log('warn', `${source} was set to ${JSON.stringify(value)}, expected one of ${JSON.stringify(LOG_LEVELS)}`);
    };
    this.logLevel = level(logLevel, 'ClientOptions.logLevel') ?? level(readEnv('ANTHROPIC_LOG'), "process.env['ANTHROPIC_LOG']") ?? 'warn';
    this.baseURL = baseURL ?? defaults.baseURL;
    this.maxRetries = maxRetries;
    this.timeout = timeout ?? defaults.timeout;
    this.stallTimeout = stallTimeout;
    // Without white space around them: a key read from a file often ends in a newline.
    this.apiKey = (typeof apiKey === 'string' && apiKey.trim()) || null;
    this._apiKeyFunction = typeof apiKey === 'function' ? apiKey : null;
    this.apiVersion = apiVersion;
    this._defaultQuery = defaultQuery;
    // `Name: value` lines, before `defaultHeaders`, as SDK 1.15 reads them.
    this._customHeaders = readEnv('ANTHROPIC_CUSTOM_HEADERS')
      ?.split('\n')
      .filter((line) => line.includes(':'))
      .map((line) => [line.slice(0, line.indexOf(':')).trim(), line.slice(line.indexOf(':') + 1).trim()]);
    this.authToken = (typeof authToken === 'string' ? authToken.trim() : authToken) || null;
    this.maxEventBytes = maxEventBytes;
    this.maxToolInputBytes = maxToolInputBytes;
    this._allowBrowser = dangerouslyAllowBrowser;
    this._defaultHeaders = defaultHeaders;
    this._fetch = fetch;
    this._fetchOptions = fetchOptions;
    this.#options = options;
    this.#timeoutSet = timeout !== undefined;
    this.#credentials = credentials || Boolean(baseURL && baseURL !== defaults.baseURL);
    // `false`: no checks; `{ rejectPrefill: false }`: checks, but prefill allowed on every model.
    this.#checks = validation === false ? null : { rejectPrefill: validation?.rejectPrefill ?? true };
    this.messages = new Messages(this);
    this.models = new Models(this);
    this.files = new Files(this);
    this.beta = { messages: betaResource(this.messages), models: betaResource(this.models), files: betaResource(this.files) };
  }

  #options;
  #timeoutSet;
  #credentials;
  #checks;

  /**
   * The longest wait for a stream's next chunk, and the error when it passes: the stall
   * watchdog's period (`stallTimeout`, a minute by default: the API pings a quiet stream) when
   * it is on and shorter than the request's timeout, else the timeout.
   */
  _idle(options) {
    const timeout = options.timeout ?? this.timeout;
    const stall = options.stallTimeout ?? this.stallTimeout;
    if (stall > 0 && stall < timeout) {
      return { ms: stall, message: `The stream stalled: no data for ${stall} ms (stallTimeout).` };
    }
    return { ms: timeout, message: undefined };
  }

  /** Logs at `level` when `logLevel` lets it through, as SDK 1.15's client does. */
  _log(level, ...args) {
    if (LOG_LEVELS.indexOf(level) <= LOG_LEVELS.indexOf(this.logLevel)) this.logger[level](...args);
  }

  /** A new client with these options over this one's, as the official `withOptions`. */
  withOptions(options) {
    return new this.constructor({ ...this.#options, ...options });
  }

  /**
   * One API request (see `send` in js/core/request.js), after the checks that refuse it before
   * sending: credentials, the request rules of `check` (`message`, `count_tokens`, `batch`), and
   * with `mustFit` a non-streaming message that could outlast the default timeout. Resolves to the JSON data (with `_request_id`), or for `stream` the connection.
   */
  async _send({ body, options = {}, check, mustFit = false, ...request }) {
    if (!this.#credentials && !hasAuthHeader(options.headers)) {
      throw new AnthropicError(
        'Could not resolve authentication method. Expected either apiKey or authToken to be set, or a ' +
          'baseURL that adds credentials (a proxy).',
      );
    }
    if (check === 'message') warnIfDeprecated(this, body);
    // A FormData (an upload) is sent as it is.
    const text = body === undefined || body instanceof FormData ? body : JSON.stringify(body);
    if (check && this.#checks) {
      const violation = wasmCall('checkRequest', check, text, this.#checks.rejectPrefill);
      if (violation) throw toError(violation);
    }
    if (mustFit && options.timeout === undefined && !this.#timeoutSet) {
      if (wasmCall('mustStream', String(body?.model ?? ''), Number(body?.max_tokens) || 0)) {
        throw new InvalidRequestError(`max_tokens: ${DEFAULTS().mustStreamMessage}`, 'max_tokens', 'StreamingRequired');
      }
    }
    const reply = await send(this, { ...request, body: text, options, signal: request.signal ?? options.signal });
    if (request.stream || request.raw) return reply;
    const { data, response } = reply;
    if (data && typeof data === 'object') {
      Object.defineProperty(data, '_request_id', { value: response.headers.get('request-id'), enumerable: false });
    }
    return data;
  }

  /** One call as an `APIPromise`; `parse` turns the data into the result. */
  _request(request, parse = (data) => data, onFailure = () => {}) {
    const exchange = newExchange();
    const result = this._send({ ...request, exchange }).then(parse, (error) => {
      onFailure();
      throw error;
    });
    return new APIPromise(result, exchange);
  }

  /**
   * The body at `url` (a path, or an absolute URL on the base URL's origin: the request carries
   * the credentials) with this client's headers, as a connection (see `send`): batch results.
   * `url` on another origin is refused before anything is sent.
   */
  async _fetchStream(url, options = {}) {
    // A path is on the base URL, as in the official SDK; anything else must be absolute.
    const joined = /^\/(?![/\\])/.test(url) ? this.baseURL.replace(/\/+$/, '') + url : url;
    let target = null;
    try {
      target = new URL(joined);
    } catch {}
    if (!target || target.origin !== new URL(this.baseURL).origin || target.username || target.password) {
      throw new AnthropicError(
        `the batch's results_url ${url} is not on the base URL's origin, and the client sends its credentials there only; fetch it yourself if you trust it`,
      );
    }
    const headers = mergeHeaders(options.headers, { accept: 'application/binary' });
    return send(this, { method: 'GET', url: joined, options: { ...options, headers }, signal: options.signal, stream: true });
  }
}

/** SDK 1.15's log levels, from none to all. */
const LOG_LEVELS = ['off', 'error', 'warn', 'info', 'debug'];

/** SDK 1.15's deprecated models and their end of life, and the models where thinking
 * `enabled` is deprecated; it warns of both on every messages request, word for word. */
const DEPRECATED_MODELS = {
  __proto__: null,
  'claude-mythos-preview': 'June 30th, 2026',
  'claude-opus-4-5': 'January 22nd, 2027',
  'claude-opus-4-5-20251101': 'January 22nd, 2027',
};
const THINKING_ENABLED_DEPRECATED = ['claude-opus-4-6', 'claude-mythos-preview'];

function warnIfDeprecated(client, { model, thinking }) {
  if (DEPRECATED_MODELS[model]) {
    client._log(
      'warn',
      `The model '${model}' is deprecated and will reach end-of-life on ${DEPRECATED_MODELS[model]}\nPlease migrate to a ` +
        'newer model. Visit https://docs.anthropic.com/en/docs/resources/model-deprecations for more information.',
    );
  }
  if (THINKING_ENABLED_DEPRECATED.includes(model) && thinking?.type === 'enabled') {
    client._log(
      'warn',
      `Using Claude with ${model} and 'thinking.type=enabled' is deprecated. Use 'thinking.type=adaptive' instead which ` +
        'results in better model performance in our testing: https://platform.claude.com/docs/en/build-with-claude/adaptive-thinking',
    );
  }
}

function checkOption(name, value, ok, expected) {
  if (!ok(value)) throw new AnthropicError(`the client option ${name} must be ${expected}, not ${JSON.stringify(value)}`);
}

function hasAuthHeader(headers) {
  return Object.keys(mergeHeaders(headers)).some((h) => ['x-api-key', 'authorization'].includes(h.toLowerCase()));
}

for (const [name, ErrorClass] of Object.entries(errorClasses)) Anthropic[name] = ErrorClass;
whenStarted(() => Object.assign(Anthropic, codeClasses));
// SDK 1.15's raw calls: `client.get('/v1/models', { query })`, `client.post(path, { body })`.
for (const method of ['get', 'post', 'put', 'patch', 'delete']) {
  Anthropic.prototype[method] = function (path, options = {}) {
    return this._request({ method: method.toUpperCase(), path, body: options.body, options });
  };
}
Anthropic.Anthropic = Anthropic;
// The resource class, as in the official SDK; helpers.js adds `parse` and `toolRunner` to it.
Anthropic.Messages = Messages;

export default Anthropic;
