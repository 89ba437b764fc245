// The Worker: a Messages API proxy that holds the key (proxy.js), and a chat endpoint that uses
// anthropic-wasm itself (chat.js). Settings come from vars and the ANTHROPIC_API_KEY secret
// (config.js); each request is logged in one line that never holds the key or a body.

import { chat } from './chat.js';
import { readConfig } from './config.js';
import { apiError, corsFor, preflight, withHeaders } from './http.js';
import { PROXIED_PATHS, proxy } from './proxy.js';

const ROUTES = new Map([
  ...PROXIED_PATHS.map((path) => [path, (request, config, note) => proxy(request, path, config, note)]),
  ['/chat', chat],
]);

export default {
  async fetch(request, env) {
    const started = Date.now();
    const { pathname } = new URL(request.url);
    const note = {};
    const response = await route(request, pathname, readConfig(env), note);
    // Time to the reply's headers; workerd's clock advances only across I/O.
    const details = [note.model && `model=${note.model}`, note.stream && 'stream', note.upstream && `upstream: ${note.upstream}`];
    console.log(`${request.method} ${pathname} ${response.status} ${Date.now() - started}ms ${details.filter(Boolean).join(' ')}`.trim());
    return response;
  },
};

async function route(request, path, config, note) {
  const handler = ROUTES.get(path);
  if (!handler) return apiError(404, 'not_found_error', 'Not found.');
  const cors = corsFor(request, config);
  if (cors.refused) {
    return withHeaders(apiError(403, 'permission_error', `Origin ${cors.origin} is not allowed to call this proxy.`), cors.headers);
  }
  if (request.method === 'OPTIONS') return preflight(request, cors);
  if (request.method !== 'POST') {
    return withHeaders(apiError(405, 'invalid_request_error', `${path} takes POST.`), { ...cors.headers, allow: 'POST, OPTIONS' });
  }
  if (!config.apiKey) return withHeaders(apiError(500, 'api_error', 'The proxy has no ANTHROPIC_API_KEY secret.'), cors.headers);
  return withHeaders(await handler(request, config, note), cors.headers);
}
