// What every demo test file shares: the local server paced so that streaming is visible, the
// built page served, headless Chromium (playwright-core, Debian's /usr/bin/chromium), and the
// page helpers. Screenshots of each state go to target/demo-screenshots/.
import { before, after } from 'node:test';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import zlib from 'node:zlib';
import { chromium } from 'playwright-core';
import { startDevserver, repoRoot } from '../../devserver/tests-node/helpers.mjs';
import { serveDirectory } from '../../www/serve.mjs';

const dist = process.env.DEMO_DIST ?? path.join(repoRoot, 'target', 'demo-dist');
const shots = path.join(repoRoot, 'target', 'demo-screenshots');

/** The file's server, site and browser, started before its tests and stopped after them. */
export const demo = { server: null, site: null, browser: null, pageUrl: null };

before(async () => {
  await mkdir(shots, { recursive: true });
  demo.server = await startDevserver(['--tokens-per-second', '40']);
  demo.site = await serveDirectory(dist);
  demo.pageUrl = `${demo.site.url}?api=${encodeURIComponent(demo.server.url)}`;
  demo.browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-quic'],
  });
});

after(async () => {
  await demo.browser?.close();
  await demo.site?.close();
  await demo.server?.stop();
});

/** A screenshot of the page as target/demo-screenshots/NAME.png. */
export const screenshot = (page, name, options = {}) => page.screenshot({ path: path.join(shots, `${name}.png`), ...options });

export const STORY = 'Tell me a story about streams';

/** A fresh page on the demo, its model list loaded; `problems` collects console errors. */
export async function openDemo(viewport = { width: 1280, height: 900 }) {
  const page = await demo.browser.newPage({ viewport });
  const problems = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(String(error)));
  await page.goto(demo.pageUrl);
  await page.waitForFunction(() => /^\d+ models$/.test(document.querySelector('#models-note')?.textContent ?? ''));
  return { page, problems };
}

/** Waits until no reply streams and `count` replies are shown; returns the last one's parts. */
export async function replyDone(page, count) {
  await page.waitForFunction(
    (n) => !document.querySelector('.turn.live') && document.querySelectorAll('.turn.assistant').length === n,
    count,
    { timeout: 20_000 },
  );
  const last = page.locator('.turn.assistant').last();
  return {
    prefill: (await last.locator('.prefill').count()) ? await last.locator('.prefill').innerText() : '',
    text: await last.locator('.continuation').innerText(),
    info: await last.locator('.info').allInnerTexts(),
  };
}

/** The live reply's text at every animation frame until it ends (distinct values only). */
export async function watchLiveText(page) {
  return page.evaluate(
    () =>
      new Promise((resolve) => {
        const seen = [];
        const tick = () => {
          const live = document.querySelector('.turn.live .continuation');
          if (live) {
            if (seen.at(-1) !== live.textContent) seen.push(live.textContent);
            requestAnimationFrame(tick);
          } else if (seen.length === 0 && performance.now() - started < 5000) {
            requestAnimationFrame(tick);
          } else {
            resolve(seen);
          }
        };
        const started = performance.now();
        tick();
      }),
  );
}

/** Layout shifts not caused by input (the Layout Instability API), from now on. */
export const watchShifts = (page) =>
  page.evaluate(() => {
    window.shifts = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.shifts.push(entry.value);
    }).observe({ type: 'layout-shift' });
  });

/** The POST /v1/messages lines the server logged so far. */
export const messageRequests = () => demo.server.logs.filter((line) => line.startsWith('POST /v1/messages'));

/** A w×h PNG of one colour, made here so the server's description can be checked. */
export function png(width, height, [r, g, b]) {
  const chunk = (type, data) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: width }, () => [r, g, b]).flat())]);
  const pixels = zlib.deflateSync(Buffer.concat(Array.from({ length: height }, () => row)));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', pixels),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

