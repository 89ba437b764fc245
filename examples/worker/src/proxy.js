// POST /v1/messages and /v1/messages/count_tokens, relayed upstream with the Worker's key.
// The body is checked against the model allow-list and the max_tokens cap, then forwarded as
// sent; the reply (a JSON body or an SSE stream) is piped back as it arrives, never buffered.

import { apiError, readJsonObject, redact } from './http.js';

/** The caller's headers that go upstream; everything else (its own key, cookies…) stays here. */
const FORWARDED_REQUEST_HEADERS = ['anthropic-version', 'anthropic-beta', 'content-type', 'accept'];

/** Upstream headers about the upstream connection or site, not the API reply; CORS is ours. */
const DROPPED_RESPONSE_HEADERS = ['set-cookie', 'connection', 'keep-alive', 'transfer-encoding'];
const DROPPED_RESPONSE_PREFIX = 'access-control-';

/** The longest model string quoted back in an error message. */
const QUOTED_MODEL_LENGTH = 100;

export const PROXIED_PATHS = ['/v1/messages', '/v1/messages/count_tokens'];

/** Why the proxy refuses these parameters, or null when they may go upstream. */
function refusal(params, path, config) {
  const { model } = params;
  if (typeof model !== 'string') return 'model: Field required (a string).';
  if (!config.models.allows(model)) {
    const quoted = JSON.stringify(model.slice(0, QUOTED_MODEL_LENGTH));
    return `model: ${quoted} is not allowed by this proxy (allowed: ${config.models.entries.join(', ') || 'none'}).`;
  }
  if (path === '/v1/messages') {
    const maxTokens = params.max_tokens;
    if (!Number.isInteger(maxTokens)) return 'max_tokens: Field required (an integer).';
    if (maxTokens > config.maxTokensCap) {
      return `max_tokens: ${maxTokens} is above this proxy's cap of ${config.maxTokensCap}.`;
    }
  }
  return null;
}

/** Relays one request; `note` collects what the Worker's log line says about it. */
export async function proxy(request, path, config, note) {
  const { body, text, error } = await readJsonObject(request);
  if (error) return error;
  // Printable characters only: the caller's string must not forge log lines.
  note.model = typeof body.model === 'string' ? body.model.slice(0, QUOTED_MODEL_LENGTH).replace(/[^\x20-\x7e]/g, '?') : undefined;
  note.stream = body.stream === true;
  const refused = refusal(body, path, config);
  if (refused) return apiError(400, 'invalid_request_error', refused);

  const headers = new Headers();
  for (const name of FORWARDED_REQUEST_HEADERS) {
    const value = request.headers.get(name);
    if (value !== null) headers.set(name, value);
  }
  headers.set('content-type', 'application/json');
  headers.set('x-api-key', config.apiKey);

  let upstream;
  try {
    // The caller's signal: a caller that goes away before the reply starts cancels the request.
    upstream = await fetch(config.upstream + path, { method: 'POST', headers, body: text, signal: request.signal });
  } catch {
    note.upstream = request.signal.aborted ? 'caller went away' : 'unreachable';
    return apiError(502, 'api_error', 'The proxy could not reach the upstream API.');
  }
  return relay(upstream, config);
}

/**
 * The upstream reply with its status and headers. A success is piped through untouched (the
 * runtime cancels the upstream request when the caller disconnects); an error body is small,
 * so it is read and any echo of the key scrubbed before it is passed on.
 */
async function relay(upstream, config) {
  const headers = new Headers();
  for (const [name, value] of upstream.headers) {
    if (!DROPPED_RESPONSE_HEADERS.includes(name) && !name.startsWith(DROPPED_RESPONSE_PREFIX)) headers.append(name, value);
  }
  if (upstream.ok) return new Response(upstream.body, { status: upstream.status, headers });
  const body = redact(await upstream.text(), config.apiKey);
  headers.delete('content-length');
  headers.delete('content-encoding');
  return new Response(body, { status: upstream.status, headers });
}
