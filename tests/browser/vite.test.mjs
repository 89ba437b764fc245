// The npm package through a bundler: `vite-app/` imports `anthropic-wasm` by name, Vite's JS API
// builds it (offline, no config file), and the built page, served on its own, streams a reply
// from the local Messages API server in headless Chromium. Only the build output is served, so
// the wasm must come from the assets Vite emitted. Then Vite's dev server, with the package
// installed as npm would (a copy in node_modules, which Vite pre-bundles): with the documented
// `optimizeDeps.exclude` it works; without it, the page gets our error naming the fix.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build, createServer } from 'vite';
import { startDevserver } from '../../devserver/tests-node/helpers.mjs';
import { launchChromium, openPage, repoRoot, startStaticServer } from './harness.mjs';

const appDir = path.join(repoRoot, 'tests', 'browser', 'vite-app');

let devserver;
let outDir;
let installedApp;
let site;
let browser;

before(async () => {
  outDir = await mkdtemp(path.join(tmpdir(), 'anthropic-wasm-vite-'));
  await build({
    root: appDir,
    configFile: false,
    base: './',
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true },
  });
  devserver = await startDevserver();
  site = await startStaticServer({ mounts: { '/app/': outDir } });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await site?.close();
  await devserver?.stop();
  for (const dir of [outDir, installedApp]) if (dir) await rm(dir, { recursive: true, force: true });
});

/** The app with the package copied into its node_modules, as `npm install` leaves it. */
async function installApp() {
  installedApp = await mkdtemp(path.join(tmpdir(), 'anthropic-wasm-vite-dev-'));
  await cp(appDir, installedApp, { recursive: true });
  await cp(path.join(repoRoot, 'pkg'), path.join(installedApp, 'node_modules', 'anthropic-wasm'), { recursive: true });
  return installedApp;
}

function freePort() {
  return new Promise((resolve) => {
    const server = createNetServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Vite's dev server on the installed app; `body(page, problems)` runs on its page. */
async function onDevServer(optimizeDeps, body) {
  const root = installedApp ?? (await installApp());
  const server = await createServer({
    root,
    configFile: false,
    logLevel: 'warn',
    cacheDir: path.join(root, `.vite-${Date.now()}`),
    optimizeDeps,
    server: { host: '127.0.0.1', port: await freePort(), strictPort: true },
  });
  await server.listen();
  const { page, problems, close } = await openPage(
    browser,
    `${server.resolvedUrls.local[0]}index.html?api=${encodeURIComponent(devserver.url)}`,
    { ready: 'window.outcome' },
  );
  try {
    await body(page, problems);
  } finally {
    await close();
    await server.close();
  }
}

test('Vite emits the wasm as an asset next to one JS chunk', async () => {
  const assets = await readdir(path.join(outDir, 'assets'));
  assert.equal(assets.filter((name) => name.endsWith('.wasm')).length, 1, assets.join(', '));
  assert.equal(assets.filter((name) => name.endsWith('.js')).length, 1, assets.join(', '));
});

test('the Vite-built page streams a reply from the API in Chromium', async () => {
  const { page, problems, close } = await openPage(
    browser,
    `${site.url}/app/index.html?api=${encodeURIComponent(devserver.url)}`,
    { ready: 'window.outcome' },
  );
  try {
    const outcome = await page.evaluate(() => window.outcome);
    assert.equal(outcome.error, undefined);
    assert.equal(outcome.text, '1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12.');
    assert.ok(outcome.deltas.length > 1, `only ${outcome.deltas.length} text deltas`);
    assert.equal(outcome.deltas.join(''), outcome.text);
    assert.match(outcome.requestId, /^req_/);
    assert.equal(await page.textContent('#out'), outcome.text);
    assert.deepEqual(problems(), []);
  } finally {
    await close();
  }
});

test('under the Vite dev server with optimizeDeps.exclude the installed package streams', () =>
  onDevServer({ exclude: ['anthropic-wasm'] }, async (page, problems) => {
    const outcome = await page.evaluate(() => window.outcome);
    assert.equal(outcome.error, undefined);
    assert.equal(outcome.text, '1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12.');
    assert.deepEqual(problems(), []);
  }));

test('pre-bundled by the Vite dev server, the package fails with an error naming the fix', () =>
  onDevServer({}, async (page, problems) => {
    const reported = problems();
    assert.equal(reported.length, 1, JSON.stringify(reported));
    assert.equal(reported[0].kind, 'pageerror');
    assert.match(reported[0].text, /cannot load its WebAssembly from .*\/\.vite.*\/anthropic_wasm_bg\.wasm/);
    assert.match(reported[0].text, /optimizeDeps: \{ exclude: \['anthropic-wasm'\] \}/);
  }));
