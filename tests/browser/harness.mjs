// Shared by the browser tests: a static HTTP server for pkg/ and the test pages (with a tiny
// key-adding proxy in front of the devserver), and headless Chromium pages that record every
// console error and uncaught exception. Not a test file itself (no `.test.` in its name).
import { createServer, request as httpRequest } from 'node:http';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { repoRoot } from '../../devserver/tests-node/helpers.mjs';

export { repoRoot };

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.css': 'text/css',
  '.map': 'application/json',
};

/**
 * Serves files under `mounts` (`{ '/pkg/': dir, … }`) on a free loopback port. `/proxy/…` is
 * forwarded to `proxy.upstream` with `x-api-key: proxy.apiKey` added, as a server-side proxy
 * that keeps the key out of the browser would; `proxied` records the headers each request
 * arrived with. Returns { url, proxied, close }.
 */
export async function startStaticServer({ mounts, proxy }) {
  const proxied = [];
  const server = createServer(async (req, res) => {
    const { pathname } = new URL(req.url, 'http://localhost');
    if (proxy && pathname.startsWith('/proxy/')) return forward(req, res, proxy, proxied);
    const prefix = Object.keys(mounts).find((mount) => pathname.startsWith(mount));
    if (!prefix) return notFound(res);
    const root = mounts[prefix];
    const file = path.join(root, decodeURIComponent(pathname.slice(prefix.length)) || 'index.html');
    if (!file.startsWith(root)) return notFound(res);
    try {
      if (!(await stat(file)).isFile()) return notFound(res);
    } catch {
      return notFound(res);
    }
    res.writeHead(200, {
      'content-type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-store',
    });
    createReadStream(file).pipe(res);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}`;
  const close = () => {
    server.closeAllConnections();
    return new Promise((resolve) => server.close(resolve));
  };
  return { url, proxied, close };
}

function notFound(res) {
  res.writeHead(404, { 'content-type': 'text/plain' });
  res.end('not found');
}

/** Forwards to the upstream without the browser's Origin, adding the key server-side. */
function forward(req, res, { upstream, apiKey }, proxied) {
  proxied.push({ method: req.method, url: req.url, headers: { ...req.headers } });
  const target = new URL(req.url.slice('/proxy'.length), upstream);
  const headers = { ...req.headers, host: target.host, 'x-api-key': apiKey };
  delete headers.origin;
  delete headers.referer;
  const upstreamRequest = httpRequest(target, { method: req.method, headers }, (upstreamResponse) => {
    res.writeHead(upstreamResponse.statusCode, upstreamResponse.headers);
    upstreamResponse.pipe(res);
  });
  upstreamRequest.on('error', () => {
    res.writeHead(502, { 'content-type': 'text/plain' });
    res.end('proxy: upstream unreachable');
  });
  req.pipe(upstreamRequest);
}

/** Headless Debian Chromium, as the toolchain notes say. */
export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}

/**
 * Chromium's own console note of an HTTP error status a fetch received (it logs every 4xx/5xx,
 * wanted or not), for `problems()` to let through.
 */
export function statusNote(...statuses) {
  return new RegExp(`^Failed to load resource: the server responded with a status of (${statuses.join('|')})\\b`);
}

export async function openPage(browser, url, { ready = 'window.Anthropic' } = {}) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const reported = [];
  page.on('console', (message) => {
    if (message.type() === 'error') reported.push({ kind: 'console', text: message.text() });
  });
  let threw;
  const pageError = new Promise((resolve) => (threw = resolve));
  page.on('pageerror', (error) => {
    reported.push({ kind: 'pageerror', text: String(error?.stack ?? error) });
    threw();
  });
  await page.goto(url);
  const readyState = page.waitForFunction(ready, undefined, { timeout: 15_000 });
  readyState.catch(() => {}); // when the page threw first, this fails at close
  await Promise.race([readyState, pageError]);
  const problems = (allowed = []) =>
    reported.filter(({ kind, text }) => kind !== 'console' || !allowed.some((pattern) => pattern.test(text)));
  return { page, problems, close: () => context.close() };
}
