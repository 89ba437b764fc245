// Serves the built demo page (a directory of static files) on 127.0.0.1. Used by
// scripts/demo.sh and by the Playwright tests: `node www/serve.mjs DIR PORT` (port 0 picks a
// free one) prints `demo page on http://127.0.0.1:PORT/`.
import http from 'node:http';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

/** Serves `dir`; resolves to { url, close }. */
export function serveDirectory(dir, port = 0) {
  const root = path.resolve(dir);
  const server = http.createServer(async (request, response) => {
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(request.url, 'http://localhost').pathname);
    } catch {
      // A bad percent-escape (`/%E0%A4%A`): a rejection here would end the whole server.
      response.writeHead(400, { 'content-type': 'text/plain' }).end('bad request path');
      return;
    }
    const file = path.join(root, pathname.endsWith('/') ? `${pathname}index.html` : pathname);
    if (!file.startsWith(root + path.sep)) {
      response.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(file);
      response.writeHead(200, {
        'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
        'cache-control': 'no-store',
      });
      response.end(body);
    } catch {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      resolve({
        url: `http://127.0.0.1:${server.address().port}/`,
        close: () => new Promise((done) => server.close(done)),
      });
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [dir = 'target/demo-dist', port = '8080'] = process.argv.slice(2);
  const { url } = await serveDirectory(dir, Number(port));
  console.log(`demo page on ${url}`);
}
