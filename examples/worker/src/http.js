// Responses in the Messages API's own shapes, and CORS for the configured origins.

/**
 * The upstream reply headers a caller gets: what clients act on (the body's type, the id to
 * quote to support, whether and when to retry). The rest stays here: `anthropic-organization-id`
 * names the key's owner, `anthropic-ratelimit-*` describe the whole organization's budget (every
 * app on it, not this caller's share; a 429 carries `retry-after`), and the upstream site's own
 * headers (cookies, CORS, caching, encoding) are not about this reply.
 */
export const FORWARDED_RESPONSE_HEADERS = ['content-type', 'request-id', 'retry-after', 'retry-after-ms', 'x-should-retry'];

/** Of those, the ones a browser script may read only when exposed (content-type always is). */
const EXPOSED_HEADERS = FORWARDED_RESPONSE_HEADERS.filter((name) => name !== 'content-type').join(', ');

/** A reply with the API's error body: `{"type":"error","error":{"type":...,"message":...}}`. */
export function apiError(status, type, message) {
  return Response.json({ type: 'error', error: { type, message } }, { status });
}

/**
 * The CORS decision for a request: `refused` when it comes from a browser page whose origin is
 * not allowed; otherwise `headers` to add to the reply (none for non-browser callers).
 */
export function corsFor(request, config) {
  const origin = request.headers.get('origin');
  if (origin === null) return { refused: false, headers: {} };
  if (!config.origins.allows(origin)) return { refused: true, origin, headers: { vary: 'Origin' } };
  return {
    refused: false,
    headers: {
      'access-control-allow-origin': origin,
      'access-control-expose-headers': EXPOSED_HEADERS,
      vary: 'Origin',
    },
  };
}

/** The reply to a CORS preflight from an allowed origin. */
export function preflight(request, cors) {
  // Any header the page wants to send may be sent: the proxy forwards only the ones it knows.
  const requested = request.headers.get('access-control-request-headers') ?? '';
  const allowHeaders = requested
    .split(',')
    .map((name) => name.trim())
    .filter((name) => /^[A-Za-z0-9-]{1,64}$/.test(name))
    .join(', ');
  return new Response(null, {
    status: 204,
    headers: {
      ...cors.headers,
      'access-control-allow-methods': 'POST, OPTIONS',
      ...(allowHeaders ? { 'access-control-allow-headers': allowHeaders } : {}),
      'access-control-max-age': '86400',
    },
  });
}

/** The same reply with more headers (a Response's own headers may be immutable). */
export function withHeaders(response, headers) {
  if (Object.keys(headers).length === 0) return response;
  const merged = new Headers(response.headers);
  for (const [name, value] of Object.entries(headers)) merged.set(name, value);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers: merged });
}

/** `text` with every occurrence of `secret` replaced (nothing to replace when it is empty). */
export function redact(text, secret) {
  return secret ? text.replaceAll(secret, '[redacted]') : text;
}

/**
 * The body's text, or null when it is longer than `maxBytes`. No more than that is kept; the rest
 * is read and dropped, since a caller still sending its body cannot read a reply sent before.
 */
async function readCapped(request, maxBytes) {
  if (request.body === null) return '';
  const chunks = [];
  let size = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size <= maxBytes) chunks.push(value);
  }
  return size > maxBytes ? null : new Blob(chunks).text();
}

/**
 * Reads a JSON object body of at most `maxBytes`, or returns the API's error for anything else
 * (413 `request_too_large` as the API answers past its own limit, 400 for what is not JSON).
 */
export async function readJsonObject(request, maxBytes) {
  const text = await readCapped(request, maxBytes);
  if (text === null) {
    return { error: apiError(413, 'request_too_large', `The request body is larger than this proxy's limit of ${maxBytes} bytes.`) };
  }
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    return { error: apiError(400, 'invalid_request_error', 'The request body is not valid JSON.') };
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return { error: apiError(400, 'invalid_request_error', 'The request body must be a JSON object.') };
  }
  return { body };
}
