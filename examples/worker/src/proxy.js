// POST /v1/messages and /v1/messages/count_tokens, relayed upstream with the Worker's key.
// The body is checked against the allow-lists (fields, models, tools, betas) and the max_tokens
// cap, then the checked object itself is serialized and sent; the reply (a JSON body or an SSE
// stream) is piped back as it arrives, never buffered, with only the headers a caller needs.

import { apiError, FORWARDED_RESPONSE_HEADERS, readJsonObject, redact } from './http.js';

/** The caller's headers that go upstream; everything else (its own key, cookies…) stays here. */
const FORWARDED_REQUEST_HEADERS = ['anthropic-version', 'anthropic-beta', 'content-type', 'accept'];

/** The longest caller string (a model, a field name…) quoted back in an error message. */
const QUOTED_LENGTH = 100;

export const PROXIED_PATHS = ['/v1/messages', '/v1/messages/count_tokens'];

const quote = (value) => JSON.stringify(String(value).slice(0, QUOTED_LENGTH));
const allowed = (list) => list.entries.join(', ') || 'none';
const isObject = (value) => value !== null && typeof value === 'object' && !Array.isArray(value);

/** Why the proxy refuses this tool, or null: a client tool with a schema, or a listed type. */
function toolRefusal(tool, config) {
  if (!isObject(tool)) return 'an object is required.';
  const type = tool.type ?? 'custom';
  if (type === 'custom') return isObject(tool.input_schema) ? null : 'a client tool needs an input_schema object.';
  if (config.toolTypes.allows(type)) return null;
  return `the tool type ${quote(type)} is not allowed by this proxy (allowed: client tools with an input_schema, ${allowed(config.toolTypes)}).`;
}

/** Why the proxy refuses these parameters and betas, or null when they may go upstream. */
function refusal(params, betas, path, config) {
  const field = Object.keys(params).find((name) => !config.fields.allows(name));
  if (field !== undefined) return `${quote(field).slice(1, -1)}: this field is not allowed by this proxy.`;
  const { model, tools } = params;
  if (typeof model !== 'string') return 'model: Field required (a string).';
  if (!config.models.allows(model)) return `model: ${quote(model)} is not allowed by this proxy (allowed: ${allowed(config.models)}).`;
  if (path === '/v1/messages') {
    const maxTokens = params.max_tokens;
    if (!Number.isInteger(maxTokens)) return 'max_tokens: Field required (an integer).';
    if (maxTokens > config.maxTokensCap) {
      return `max_tokens: ${maxTokens} is above this proxy's cap of ${config.maxTokensCap}.`;
    }
  }
  if (tools !== undefined) {
    if (!Array.isArray(tools)) return 'tools: an array is required.';
    for (const [index, tool] of tools.entries()) {
      const refused = toolRefusal(tool, config);
      if (refused) return `tools.${index}: ${refused}`;
    }
  }
  const beta = betas.find((name) => !config.betas.allows(name));
  if (beta !== undefined) return `anthropic-beta: ${quote(beta)} is not allowed by this proxy (allowed: ${allowed(config.betas)}).`;
  return null;
}

/** Relays one request; `note` collects what the Worker's log line says about it. */
export async function proxy(request, path, config, note) {
  const { body, error } = await readJsonObject(request, config.maxBodyBytes);
  if (error) return error;
  // Printable characters only: the caller's string must not forge log lines.
  note.model = typeof body.model === 'string' ? body.model.slice(0, QUOTED_LENGTH).replace(/[^\x20-\x7e]/g, '?') : undefined;
  note.stream = body.stream === true;
  const betas = (request.headers.get('anthropic-beta') ?? '').split(',').map((name) => name.trim()).filter(Boolean);
  const refused = refusal(body, betas, path, config);
  if (refused) return apiError(400, 'invalid_request_error', refused);

  const headers = new Headers();
  for (const name of FORWARDED_REQUEST_HEADERS) {
    const value = request.headers.get(name);
    if (value !== null) headers.set(name, value);
  }
  headers.set('content-type', 'application/json');
  headers.set('x-api-key', config.apiKey);

  // The object checked, not the caller's text: a duplicate key (`"model"` twice) read one way
  // here and another way upstream could otherwise smuggle past the checks.
  const checked = JSON.stringify(body);
  let upstream;
  try {
    // The caller's signal: a caller that goes away before the reply starts cancels the request.
    upstream = await fetch(config.upstream + path, { method: 'POST', headers, body: checked, signal: request.signal });
  } catch {
    note.upstream = request.signal.aborted ? 'caller went away' : 'unreachable';
    return apiError(502, 'api_error', 'The proxy could not reach the upstream API.');
  }
  return relay(upstream, config);
}

/**
 * The upstream reply with its status and the forwarded headers. A success is piped through
 * untouched (the runtime cancels the upstream request when the caller disconnects); an error
 * body is small, so it is read and any echo of the key scrubbed before it is passed on.
 */
async function relay(upstream, config) {
  const headers = new Headers();
  for (const name of FORWARDED_RESPONSE_HEADERS) {
    const value = upstream.headers.get(name);
    if (value !== null) headers.set(name, value);
  }
  if (upstream.ok) return new Response(upstream.body, { status: upstream.status, headers });
  return new Response(redact(await upstream.text(), config.apiKey), { status: upstream.status, headers });
}
