// One request: the URL and headers, the attempts with their timeout, the retries with their
// sleeps, one abort path. The I/O is JS's own (`fetch`, timers, AbortController); what a failed
// response means and whether to retry it are the wasm's decisions (`failedResponse`,
// `retryDelay`), the same the Rust client takes.
import { wasmCall } from './wasm.js';
import { AnthropicError, APIConnectionError, APIConnectionTimeoutError, APIUserAbortError } from './errors.js';
import { toError } from './descriptors.js';

/** `setTimeout` fires at once for delays of 2^31 ms and more: longer waits are capped. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Header sources merged in order, names compared without case, a later value winning and a
 * `null`/`undefined` value removing the header. A source is an object, a `Headers` or a list
 * of `[name, value]` pairs.
 */
export function mergeHeaders(...sources) {
  const merged = new Map();
  for (const source of sources) {
    if (!source) continue;
    for (const [name, value] of entriesOf(source)) {
      const key = String(name).toLowerCase();
      merged.delete(key);
      if (value !== null && value !== undefined) merged.set(key, [name, String(value)]);
    }
  }
  return Object.fromEntries(merged.values());
}

/**
 * SDK 1.15's header params: `workspace_id` and `user_profile_id` of `params` go as the
 * `anthropic-workspace-id` and `anthropic-user-profile-id` headers, before the request's own
 * (whose `null`s still remove a default). Returns the other params and the options.
 */
export function headerParams(params, options = {}) {
  const { workspace_id, user_profile_id, ...rest } = params ?? {};
  const own = [['anthropic-workspace-id', workspace_id], ['anthropic-user-profile-id', user_profile_id]].filter(([, v]) => v != null);
  if (own.length) options = { ...options, headers: [...own, ...entriesOf(options.headers ?? [])] };
  return [rest, options];
}

/** The `[name, value]` pairs of an object, a `Headers` or a list of pairs. */
export function entriesOf(source) {
  return Array.isArray(source) ? source : typeof source.entries === 'function' ? source.entries() : Object.entries(source);
}

/** The credentials a request carries, one a line, for the wasm's redaction. */
function secretsOf(headers) {
  const secrets = [];
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (lower === 'x-api-key') secrets.push(value);
    if (lower === 'authorization') secrets.push(value.replace(/^Bearer\s+/i, ''), value);
  }
  return secrets.join('\n');
}

/**
 * An AbortController that also aborts when the caller's `signal` does; `release()` removes
 * the listener from the caller's signal, so a long-lived signal does not keep every finished
 * request alive.
 */
export function linkedController(signal) {
  const controller = new AbortController();
  const forward = () => controller.abort();
  if (signal?.aborted) controller.abort();
  else signal?.addEventListener('abort', forward, { once: true });
  return { controller, release: () => signal?.removeEventListener('abort', forward) };
}

function delay(ms, signal) {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new APIUserAbortError());
    const onAbort = () => {
      clearTimeout(timer);
      reject(new APIUserAbortError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, Math.min(ms, MAX_TIMER_MS));
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** The key an `apiKey` function gives, with SDK 1.15's errors when it fails or gives none. */
async function apiKeyOf(get) {
  let key;
  try {
    key = await get();
  } catch (error) {
    throw new AnthropicError(`The \`apiKey\` function failed: ${error?.message ?? error}`, { cause: error });
  }
  if (!key) throw new AnthropicError(`The \`apiKey\` function must return a non-empty string. It returned ${JSON.stringify(key)}.`);
  return key;
}

/** A response's headers with the credentials removed from every value (a proxy may echo them). */
function cleanHeaders(headers, secrets) {
  const clean = new Headers();
  for (const [name, value] of headers) clean.append(name, secrets ? wasmCall('redact', value, secrets) : value);
  return clean;
}

/**
 * Sends one API request with the client's options and the request's own, retrying as the
 * wasm decides. Resolves to `{response, data}` (the JSON reply) or, with `stream`, to
 * `{response, secrets, limits, settle, abort}` once the headers are in: the body is the caller's to
 * read, `settle()` releases the abort link when it is done; with `raw`, to `{response, text}`.
 * `url` replaces `baseURL` + `path` (batch results live elsewhere). Rejects with the official error classes.
 *
 * `signal` aborts everything, also a retry's sleep; `exchange.receive` sees every response.
 */
export async function send(client, { method, path, url: absolute, query, body, options = {}, signal, exchange, stream = false, raw = false }) {
  // As SDK 1.15 sends them: its version (unless pinned) and a key as a Bearer token, a key
  // given as a function asked for it each request.
  const key = client._apiKeyFunction ? await apiKeyOf(client._apiKeyFunction) : client.apiKey;
  const token = key || client.authToken;
  const headers = mergeHeaders(
    {
      accept: 'application/json',
      'anthropic-version': client.apiVersion,
      // A FormData body gets its multipart type (and boundary) from fetch.
      'content-type': typeof body === 'string' ? 'application/json' : undefined,
      authorization: token ? `Bearer ${token}` : undefined,
      'anthropic-dangerous-direct-browser-access': client._allowBrowser ? 'true' : undefined,
      'anthropic-beta': options.betas?.length ? options.betas.join(',') : undefined,
    },
    client._customHeaders,
    client._defaultHeaders,
    options.headers,
  );
  const secrets = secretsOf(headers);
  const url =
    absolute ??
    client.baseURL.replace(/\/+$/, '') + '/' + path.replace(/^\/+/, '') + queryString({ ...client._defaultQuery, ...query, ...options.query });
  const timeout = options.timeout ?? client.timeout;
  const maxRetries = options.maxRetries ?? client.maxRetries;
  const fetch = client._fetch ?? globalThis.fetch;
  const init = { ...client._fetchOptions, ...options.fetchOptions, method, headers, body };

  // SDK 1.15's log lines: an id per attempt, the outcome at `info`, details at `debug` (the
  // credentials redacted from the headers).
  let firstID;
  for (let retries = 0; ; retries++) {
    if (signal?.aborted) throw new APIUserAbortError();
    const logID = 'log_' + ((Math.random() * (1 << 24)) | 0).toString(16).padStart(6, '0');
    const retryOf = firstID ? `, retryOf: ${firstID}` : '';
    firstID ??= logID;
    const start = Date.now();
    const left = maxRetries - retries;
    const log = (what, retrying) =>
      client._log('info', `${what}${retrying === undefined ? '' : ` - ${retrying ? `retrying, ${left} attempts remaining` : left ? 'error; not retryable' : 'error; no more retries left'}`}`);
    // Made only when asked for: redacting the headers is a wasm call per header.
    if (client.logLevel === 'debug') {
      client._log('debug', `[${logID}] sending request`, { method, url, headers: Object.fromEntries(cleanHeaders(Object.entries(headers), secrets)) });
    }
    const attempt = new AbortController();
    let timedOut = false;
    const onAbort = () => attempt.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(() => {
      timedOut = true;
      attempt.abort();
    }, Math.min(timeout, MAX_TIMER_MS));
    const settle = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    const aborted = () => signal?.aborted && !timedOut;

    let response;
    try {
      response = await fetch(url, { ...init, signal: attempt.signal });
    } catch (error) {
      settle();
      if (aborted()) throw new APIUserAbortError();
      const wait = wasmCall('retryDelay', retries, maxRetries, Math.random());
      log(`[${logID}${retryOf}] connection ${timedOut ? 'timed out' : 'failed'}`, wait >= 0);
      if (wait < 0) throw connectionError(error, timedOut);
      await delay(wait, signal);
      continue;
    }
    if (exchange) response = exchange.receive(response);
    const ids = ['request-id', 'anthropic-workspace-id'].map((name) => (response.headers.has(name) ? `, ${name}: ${JSON.stringify(response.headers.get(name))}` : ''));
    const status = `[${logID}${retryOf}${ids.join('')}] ${method.toLowerCase()} ${url} ${response.ok ? 'succeeded' : 'failed'} with status ${response.status} in ${Date.now() - start}ms`;
    if (response.ok) log(status);

    if (!response.ok) {
      let text = '';
      try {
        text = await response.text();
      } catch (error) {
        if (aborted()) {
          settle();
          throw new APIUserAbortError();
        }
      }
      settle();
      const h = response.headers;
      const descriptor = wasmCall('failedResponse', 
        response.status,
        text,
        h.get('x-should-retry') ?? undefined,
        h.get('retry-after-ms') ?? dateDelay(h.get('retry-after')),
        h.get('retry-after') ?? undefined,
        retries,
        maxRetries,
        Date.now(),
        Math.random(),
        secrets,
      );
      const { retryMs } = JSON.parse(descriptor);
      log(status, retryMs >= 0);
      if (retryMs >= 0) {
        await delay(retryMs, signal);
        continue;
      }
      throw toError(descriptor, cleanHeaders(h, secrets), secrets);
    }

    if (stream) {
      // The idle timer of the body is the stream reader's; the abort link stays until it ends.
      clearTimeout(timer);
      const limits = [client.maxEventBytes, client.maxToolInputBytes];
      return { response, secrets, limits, settle, abort: () => attempt.abort() };
    }
    let text;
    try {
      text = await response.text();
    } catch (error) {
      settle();
      if (aborted()) throw new APIUserAbortError();
      throw connectionError(error, timedOut);
    }
    settle();
    if (raw) return { response, text };
    try {
      return { response, data: JSON.parse(text) };
    } catch (error) {
      const excerpt = wasmCall('redact', text.slice(0, 200), secrets);
      throw new AnthropicError(`the response could not be read: ${error.message} (near ${JSON.stringify(excerpt)})`);
    }
  }
}

/** The wait a `retry-after` HTTP date asks for, in ms (a past one: 0), read with `Date.parse`
 * as SDK 1.15 reads it; the wasm takes it as `retry-after-ms` (it parses no dates). */
function dateDelay(value) {
  const at = value && Number.isNaN(parseFloat(value)) ? Date.parse(value) : NaN;
  return Number.isNaN(at) ? undefined : String(Math.max(0, at - Date.now()));
}

/** SDK 1.15's error for a request that got no response: its message, the failure as `cause`. */
function connectionError(error, timedOut) {
  return timedOut ? new APIConnectionTimeoutError() : new APIConnectionError({ cause: error });
}

/** `?a=1&b=2` of the defined values, encoded as the Rust client encodes them; a list as
 * `name[]=v` pairs, as SDK 1.15 sends it. */
function queryString(query) {
  const pairs = Object.entries(query ?? {})
    .flatMap(([name, value]) => (Array.isArray(value) ? value.map((v) => [`${name}[]`, v]) : [[name, value]]))
    .filter(([, value]) => value !== undefined && value !== null);
  return pairs.length ? '?' + pairs.map(([name, value]) => `${encode(name)}=${encode(value)}`).join('&') : '';
}

/**
 * `prefix`, the id percent-encoded as one path segment (core's rule), then `suffix`. An id that
 * cannot be a segment (empty, `.`, `..`: `retrieve('..')` would reach another endpoint) throws
 * the official SDK's AnthropicError, before anything is sent.
 */
export function resourcePath(prefix, id, suffix = '') {
  try {
    return wasmCall('resourcePath', prefix, String(id), suffix);
  } catch (error) {
    throw new AnthropicError(error.message);
  }
}

/** Percent-encodes all but `A–Z a–z 0–9 - _ . ~`. */
function encode(value) {
  return encodeURIComponent(String(value)).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
