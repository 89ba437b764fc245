// The demo's static server (www/serve.mjs), run as scripts/demo.sh runs it: bad paths get an
// answer and the server goes on serving.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { repoRoot } from '../../devserver/tests-node/helpers.mjs';

let dir;
let child;
let url;

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'serve-test-'));
  await writeFile(path.join(dir, 'index.html'), '<p>demo</p>');
  child = spawn(process.execPath, [path.join(repoRoot, 'www', 'serve.mjs'), dir, '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [line] = await Promise.race([
    createInterface({ input: child.stdout })[Symbol.asyncIterator]().next().then((r) => [r.value]),
    new Promise((_, reject) => child.once('exit', (code) => reject(new Error(`serve.mjs exited ${code}`)))),
  ]);
  url = line.match(/demo page on (http:\S+)/)[1];
});

after(async () => {
  child?.kill();
  await rm(dir, { recursive: true, force: true });
});

// Finding 7: decodeURIComponent threw on a bad escape, and the rejection ended the process.
test('a bad percent-escape (GET /%E0%A4%A) gets 400 and the server keeps serving', async () => {
  for (const bad of ['%E0%A4%A', '%', '%zz/index.html']) {
    const response = await fetch(new URL(bad, url));
    assert.equal(response.status, 400, bad);
    await response.arrayBuffer();
  }
  const page = await fetch(url);
  assert.equal(page.status, 200);
  assert.equal(await page.text(), '<p>demo</p>');
  assert.equal(child.exitCode, null, 'still running');
});

test('paths outside the directory are refused, missing files are 404', async () => {
  const outside = await fetch(new URL('/..%2f..%2fetc%2fpasswd', url));
  assert.equal(outside.status, 403);
  const missing = await fetch(new URL('/nope.js', url));
  assert.equal(missing.status, 404);
});
