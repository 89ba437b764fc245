// The anthropic-wasm package inside real workerd: a test Worker (package-worker/) that imports it
// as users do, bundled by wrangler, runs one scenario per request against the local server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { eventually, startDevserver } from '../../devserver/tests-node/helpers.mjs';
import { bundleWorker, startWorker } from './helpers.mjs';

const KEY = 'sk-ant-package-in-workerd-5d1e';
const workerDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'package-worker');

let devserver;
let worker;

before(async () => {
  // Paced, so an abort lands mid-stream; keyed, so the client must really send its key.
  devserver = await startDevserver(['--api-key', KEY, '--tokens-per-second', '500']);
  worker = await startWorker(workerDir, { ANTHROPIC_API_KEY: KEY, DEVSERVER_URL: devserver.url });
});

after(async () => {
  await worker?.dispose();
  await devserver?.stop();
});

/** Runs a scenario in the Worker; its JSON result. */
async function scenario(name) {
  const response = await fetch(`${worker.url}/${name}`);
  const text = await response.text();
  assert.ok(!text.includes(KEY), `the key in the ${name} result`);
  assert.equal(response.status, 200, text);
  return JSON.parse(text);
}

test('the bundle takes the workerd entry and the wasm as a compiled module', async () => {
  const { mkdtemp, readdir, readFile, rm } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const outDir = await mkdtemp(path.join(tmpdir(), 'anthropic-wasm-bundle-'));
  try {
    await bundleWorker(workerDir, outDir);
    const files = await readdir(outDir);
    const wasm = files.find((file) => file.endsWith('anthropic_wasm_bg.wasm'));
    assert.ok(wasm, files.join(', '));
    const script = await readFile(path.join(outDir, 'index.js'), 'utf8');
    assert.match(script, new RegExp(`import \\w+ from "\\./${wasm}"`));
    assert.ok(!script.includes('node:fs'), 'the Node entry was bundled');
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
});

test('create', async () => {
  const result = await scenario('create');
  assert.equal(result.type, 'message');
  assert.match(result.text, /Hello from workerd/);
  assert.match(result.requestId, /^req_/);
  assert.ok(result.usage.output_tokens > 0);
});

test('messages.stream: several text deltas, the final message is their sum', async () => {
  const result = await scenario('stream');
  assert.ok(result.deltas.length > 5, `${result.deltas.length} deltas`);
  assert.equal(result.text, result.deltas.join(''));
  assert.equal(result.stopReason, 'end_turn');
  assert.match(result.requestId, /^req_/);
});

test('create with stream: true yields the raw events', async () => {
  const { types } = await scenario('rawEvents');
  assert.equal(types[0], 'message_start');
  assert.equal(types.at(-1), 'message_stop');
  assert.ok(types.includes('content_block_delta'));
});

test('abort mid-stream: APIUserAbortError, the partial message kept, the request cancelled', async () => {
  const logsBefore = devserver.logs.length;
  const result = await scenario('abort');
  assert.equal(result.aborted, true);
  assert.equal(result.error.name, 'APIUserAbortError');
  assert.equal(result.error.isAPIError, true);
  assert.ok(result.deltas >= 3);
  assert.match(result.partialText, /^1, 2/);
  // ~2000 tokens at 500/s would take 4 s; the devserver sees its client leave long before.
  await eventually(
    () => devserver.logs.slice(logsBefore).some((line) => line.includes('(client went away)')),
    2000,
    'the devserver logged the cancelled request',
  );
});

test('a 529 is retried (fail-first=1), then succeeds', async () => {
  const logsBefore = devserver.logs.length;
  const result = await scenario('retried');
  assert.equal(result.type, 'message');
  const statuses = devserver.logs.slice(logsBefore).map((line) => line.split(' ')[2]);
  assert.deepEqual(statuses, ['529', '200']);
});

test('errors have the official class names and fields', async () => {
  const outcomes = await scenario('errors');
  const expected = {
    400: ['BadRequestError', 'invalid_request_error'],
    401: ['AuthenticationError', 'authentication_error'],
    404: ['NotFoundError', 'not_found_error'],
    429: ['RateLimitError', 'rate_limit_error'],
    529: ['OverloadedError', 'overloaded_error'],
    500: ['InternalServerError', 'api_error'],
  };
  for (const [status, [name, type]] of Object.entries(expected)) {
    const outcome = outcomes[status];
    assert.equal(outcome?.name, name, status);
    assert.equal(outcome.isAPIError, true, status);
    assert.equal(outcome.status, Number(status));
    assert.equal(outcome.type, type, status);
    assert.match(outcome.requestID, /^req_/, status);
  }
  assert.equal(outcomes.invalid.name, 'InvalidRequestError');
  assert.equal(outcomes.invalid.isAnthropicError, true);
  // A refusal before sending is a BadRequestError, caught as the API's 400 (SDK 1.x catch blocks).
  assert.equal(outcomes.invalid.isAPIError, true);
  assert.equal(outcomes.invalid.status, 400);
  assert.match(outcomes.invalid.message, /max_tokens|messages/);
  assert.equal(outcomes.midStream.name, 'APIError');
  assert.equal(outcomes.midStream.type, 'overloaded_error');
});

test("SDK 1.15's surface in workerd: logging, beta, files by id, 1.x options, parse with Zod, the beta tool runner, raw calls", async () => {
  const result = await scenario('dropIn');
  assert.deepEqual(result.logged, ['[log_ID, request-id: REQ] post URL/v1/messages succeeded with status 200']);
  assert.equal(result.beta, 'message');
  assert.deepEqual(result.file, {
    id: true,
    answered: 'end_turn',
    download: { name: 'FileNotDownloadableError', code: 'file_not_downloadable', sub: true },
    deleted: 'file_deleted',
  });
  assert.equal(result.signalled, 'APIUserAbortError');
  assert.equal(result.parsed.city, 'Paris');
  assert.deepEqual(result.tools, { runs: ['Oslo'], final: 'end_turn' });
  assert.equal(result.raw, 1);
});
