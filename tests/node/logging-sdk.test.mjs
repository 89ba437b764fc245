// Logging as SDK 1.15 does it, the same calls on both clients against the local server: the
// levels (`logLevel`, `ANTHROPIC_LOG`, an unknown level warned of), the `info` line of each
// attempt (a retry included), the `debug` details with the credentials redacted, and the
// deprecated-model warnings. The key appears in no line.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import OfficialAnthropic from '@anthropic-ai/sdk';
import Anthropic from 'anthropic-wasm';
import { startDevserver } from '../../devserver/tests-node/helpers.mjs';

let server;

before(async () => {
  server = await startDevserver();
});

after(async () => {
  await server?.stop();
});

const KEY = 'sk-ant-logging-secret-key';

/** A logger that keeps each line as `level: text`, ids, times and the port made alike. */
function recorder() {
  const lines = [];
  const keep = (level) => (...args) => lines.push(`${level}: ${args.map((a) => (typeof a === 'string' ? a : inspect(a, { depth: 4 }))).join(' ')}`);
  const logger = { error: keep('error'), warn: keep('warn'), info: keep('info'), debug: keep('debug') };
  const alike = () =>
    lines.map((line) =>
      line
        .replace(/log_[0-9a-f]{6}/g, 'log_ID')
        .replace(/req_[0-9A-Za-z]+/g, 'req_ID')
        .replace(/in \d+ms/g, 'in Nms')
        .replace(new RegExp(server.url, 'g'), 'URL'),
    );
  return { logger, lines, alike };
}

async function run(Client, options, call) {
  const { logger, lines, alike } = recorder();
  const client = new Client({ apiKey: KEY, baseURL: server.url, logger, maxRetries: 2, ...options });
  await call(client).catch(() => {});
  return { client, lines, alike: alike() };
}

const hello = (model = 'claude-sonnet-4-5', extra = {}) => (client) =>
  client.messages.create({ model, max_tokens: 20, messages: [{ role: 'user', content: 'Hello' }], ...extra }, { headers: { 'x-devserver-fault': extra.fault ?? '' } });

test('at info: one line per attempt, a retry included, as 1.15 writes them', async () => {
  // The local server fails the first attempt of each distinct request: one text per client.
  const call = (text) => (client) =>
    client.messages.create(
      { model: 'claude-sonnet-4-5', max_tokens: 20, messages: [{ role: 'user', content: text }] },
      { headers: { 'x-devserver-fault': 'fail-first=1' } },
    );
  const ours = await run(Anthropic, { logLevel: 'info' }, call('Hello from ours'));
  const theirs = await run(OfficialAnthropic, { logLevel: 'info' }, call('Hello from theirs'));
  assert.deepEqual(ours.alike, theirs.alike);
  assert.equal(ours.alike.length, 2);
  assert.match(ours.alike[0], /^info: \[log_ID, request-id: "req_ID"\] post URL\/v1\/messages failed with status 529 in Nms - retrying, 2 attempts remaining$/);
  assert.match(ours.alike[1], /^info: \[log_ID, retryOf: log_ID, request-id: "req_ID"\] post URL\/v1\/messages succeeded with status 200 in Nms$/);
  assert.equal(ours.client.logLevel, 'info');
});

test('the default level is warn; ANTHROPIC_LOG sets it; an unknown level is warned of', async () => {
  assert.deepEqual((await run(Anthropic, {}, hello())).lines, []);
  process.env.ANTHROPIC_LOG = 'info';
  try {
    assert.equal((await run(Anthropic, {}, hello())).lines.length, 1);
  } finally {
    delete process.env.ANTHROPIC_LOG;
  }
  const ours = await run(Anthropic, { logLevel: 'loud' }, () => Promise.resolve());
  const theirs = await run(OfficialAnthropic, { logLevel: 'loud' }, () => Promise.resolve());
  assert.deepEqual(ours.lines, theirs.lines);
  assert.deepEqual(ours.lines, ['warn: ClientOptions.logLevel was set to "loud", expected one of ["off","error","warn","info","debug"]']);
  assert.equal(ours.client.logLevel, 'warn');
});

test('at debug: the request details, the credentials redacted', async () => {
  const ours = await run(Anthropic, { logLevel: 'debug' }, hello());
  assert.ok(ours.lines.some((line) => /^debug: \[log_[0-9a-f]{6}\] sending request/.test(line)), ours.lines.join('\n'));
  const sending = ours.lines.find((line) => line.includes('sending request'));
  assert.match(sending, /method: 'POST'/);
  assert.match(sending, /authorization/);
  for (const line of ours.lines) assert.ok(!line.includes(KEY), `the key in: ${line}`);
  const theirs = await run(OfficialAnthropic, { logLevel: 'debug' }, hello());
  for (const line of theirs.lines) assert.ok(!line.includes(KEY));
});

/** What `console.warn` got while `f` ran, as the recorder keeps lines (1.15 warns there). */
async function consoleWarnings(f) {
  const saved = console.warn;
  const lines = [];
  console.warn = (...args) => lines.push(`warn: ${args.join(' ')}`);
  try {
    await f();
  } finally {
    console.warn = saved;
  }
  return lines;
}

// The warnings go to the client's logger at `warn`, which `logLevel: 'off'` silences; 1.15
// writes them to console.warn whatever its logger and level.
test("deprecated models and thinking 'enabled' where it is deprecated are warned of, as 1.15 words it", async () => {
  for (const call of [
    hello('claude-opus-4-5'),
    hello('claude-opus-4-6', { thinking: { type: 'enabled', budget_tokens: 1024 }, max_tokens: 2000 }),
    hello('claude-opus-4-6', { thinking: { type: 'adaptive' } }),
    (client) => client.messages.stream({ model: 'claude-opus-4-5-20251101', max_tokens: 20, messages: [{ role: 'user', content: 'Hi' }] }).finalMessage(),
  ]) {
    const ours = await run(Anthropic, {}, call);
    assert.deepEqual(ours.lines, await consoleWarnings(() => run(OfficialAnthropic, {}, call)));
  }
  assert.deepEqual((await run(Anthropic, {}, hello('claude-opus-4-5'))).lines, [
    "warn: The model 'claude-opus-4-5' is deprecated and will reach end-of-life on January 22nd, 2027\nPlease migrate to a newer model. Visit https://docs.anthropic.com/en/docs/resources/model-deprecations for more information.",
  ]);
  assert.deepEqual((await run(Anthropic, { logLevel: 'off' }, hello('claude-opus-4-5'))).lines, []);
});
