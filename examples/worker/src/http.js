// Responses in the Messages API's own shapes, and CORS for the configured origins.

/** Headers a browser script may read from a cross-origin reply (the SDKs read these). */
const EXPOSED_HEADERS = [
  'request-id',
  'retry-after',
  'retry-after-ms',
  'x-should-retry',
  'anthropic-ratelimit-requests-limit',
  'anthropic-ratelimit-requests-remaining',
  'anthropic-ratelimit-requests-reset',
  'anthropic-ratelimit-tokens-limit',
  'anthropic-ratelimit-tokens-remaining',
  'anthropic-ratelimit-tokens-reset',
  'anthropic-ratelimit-input-tokens-limit',
  'anthropic-ratelimit-input-tokens-remaining',
  'anthropic-ratelimit-input-tokens-reset',
  'anthropic-ratelimit-output-tokens-limit',
  'anthropic-ratelimit-output-tokens-remaining',
  'anthropic-ratelimit-output-tokens-reset',
].join(', ');

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

/** Reads a JSON object body (and its text), or returns the API's 400 for anything else. */
export async function readJsonObject(request) {
  const text = await request.text();
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    return { error: apiError(400, 'invalid_request_error', 'The request body is not valid JSON.') };
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return { error: apiError(400, 'invalid_request_error', 'The request body must be a JSON object.') };
  }
  return { body, text };
}
