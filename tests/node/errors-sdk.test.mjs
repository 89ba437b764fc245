// The error classes against SDK 1.15.0's, through the public API of both: for every status its
// client knows (and some it does not), with and without an `error_code`, the same class, chain,
// message and fields; every code class of ours is SDK 1.15's, with its name and parent.
import test from 'node:test';
import assert from 'node:assert/strict';
import OfficialAnthropic from '@anthropic-ai/sdk';
import { ERROR_CODE_CLASSES } from '@anthropic-ai/sdk/core/error-classes';
import Anthropic from 'anthropic-wasm';

const PARAMS = { model: 'claude-opus-4-7', max_tokens: 16, messages: [{ role: 'user', content: 'Hello' }] };

/** A fetch answering with `status` and `body` (a string as it is, else its JSON). */
const answering = (status, body, headers = { 'request-id': 'req_err', 'anthropic-workspace-id': 'wrk_1' }) => async () =>
  new Response(typeof body === 'string' ? body : JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });

/** The class names from an error's own class up to `Error`. */
function chain(error) {
  const names = [];
  for (let p = Object.getPrototypeOf(error); p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    names.push(p.constructor.name);
  }
  return names;
}

/** What each client throws for one answer, as comparable data. */
async function thrown(Client, status, body, headers) {
  const client = new Client({ apiKey: 'sk-ant-errors', fetch: answering(status, body, headers), maxRetries: 0 });
  const error = await client.messages.create(PARAMS).then(
    () => assert.fail('no error'),
    (e) => e,
  );
  const { message, name, requestID, workspaceID, apiMessage, type, errorCode, details } = error;
  return {
    chain: chain(error),
    isStatic: error instanceof Client[error.constructor.name],
    fields: { status: error.status, message, name, requestID, workspaceID, apiMessage, type, errorCode, details, error: error.error },
  };
}

const errorBody = (type, message, code) => ({
  type: 'error',
  error: { type, message, ...(code ? { details: { error_code: code } } : {}) },
  request_id: 'req_body',
});

const STATUSES = [400, 401, 402, 403, 404, 408, 409, 412, 413, 418, 422, 429, 431, 499, 500, 501, 502, 503, 504, 529, 599];

test('every status: the class, its chain, the message and the fields of SDK 1.15', async () => {
  for (const status of STATUSES) {
    for (const body of [errorBody('api_error', `failed with ${status}`), '<html>gateway</html>', '', '{"a": 1}', '[1, 2]', '"text"']) {
      const official = await thrown(OfficialAnthropic, status, body);
      const ours = await thrown(Anthropic, status, body);
      assert.deepEqual(ours, official, `${status} ${JSON.stringify(body)}`);
      assert.ok(ours.isStatic);
      // Without the headers: the request id is the header's only, as in the SDK.
      assert.deepEqual(await thrown(Anthropic, status, body, {}), await thrown(OfficialAnthropic, status, body, {}));
    }
  }
});

/** The SDK's code classes as `{status, code, name, parent}`. */
const sdkCodeClasses = [...ERROR_CODE_CLASSES].map(([key, Class]) => {
  const [status, code] = key.split(' ');
  return { status: Number(status), code, name: Class.name, parent: Object.getPrototypeOf(Class).name };
});

test('every code class of ours is SDK 1.15 one, with the same name, parent and response', async () => {
  const ours = sdkCodeClasses.filter(({ name }) => Anthropic[name]);
  // The Messages, Files, beta and user-profile codes and the shared ones; not the Admin API's.
  assert.equal(ours.length, 55);
  for (const { status, code, name, parent } of ours) {
    assert.equal(Anthropic[name].name, name);
    assert.equal(Object.getPrototypeOf(Anthropic[name]).name, parent, name);
    assert.ok(Anthropic[name].prototype instanceof Anthropic[parent]);
    const body = errorBody('invalid_request_error', `it is ${code}`, code);
    const official = await thrown(OfficialAnthropic, status, body);
    const wasm = await thrown(Anthropic, status, body);
    assert.deepEqual(wasm, official, `${status} ${code}`);
    assert.equal(wasm.chain[0], name);
  }
  for (const name of ['CompactionBlockAmbiguousError', 'BetaCMEKNotApprovedError', 'FileExpiredError', 'CompactionUnavailableError']) {
    assert.ok(ours.some((c) => c.name === name), name);
  }
});

test('a code under another status, or a code of an API this package does not serve, gets the status class', async () => {
  const elsewhere = await thrown(Anthropic, 500, errorBody('api_error', 'x', 'compaction_unavailable'));
  assert.equal(elsewhere.chain[0], 'InternalServerError');
  const admin = sdkCodeClasses.find(({ name }) => !Anthropic[name]);
  const body = errorBody('invalid_request_error', 'admin', admin.code);
  const ours = await thrown(Anthropic, admin.status, body);
  assert.equal(ours.chain[0], (await thrown(OfficialAnthropic, admin.status, errorBody('invalid_request_error', 'admin'))).chain[0]);
  assert.equal(ours.fields.errorCode, admin.code);
});

test('a request refused before sending is caught as a BadRequestError, as the API\'s 400', async () => {
  const client = new Anthropic({ apiKey: 'sk-ant-errors', fetch: answering(200, {}), maxRetries: 0 });
  const error = await client.messages.create({ ...PARAMS, max_tokens: -1 }).catch((e) => e);
  assert.ok(error instanceof Anthropic.BadRequestError);
  assert.ok(error instanceof Anthropic.InvalidRequestError);
  assert.equal(error.status, 400);
  assert.equal(error.type, 'invalid_request_error');
  assert.equal(error.error.error.message, error.message);
  assert.equal(error.apiMessage, error.message);
  assert.equal(error.path, 'max_tokens');
  assert.equal(error.headers, undefined);
  assert.match(error.message, /max_tokens/);
});

test('no response: APIConnectionError with SDK 1.15\'s message and the failure as cause', async () => {
  const cause = new TypeError('fetch failed');
  for (const Client of [OfficialAnthropic, Anthropic]) {
    const client = new Client({ apiKey: 'sk-ant-errors', fetch: async () => { throw cause; }, maxRetries: 0 });
    const error = await client.messages.create(PARAMS).catch((e) => e);
    assert.equal(error.constructor.name, 'APIConnectionError');
    assert.equal(error.message, 'Connection error.');
    assert.equal(error.cause, cause);
  }
});

test('APIError.generate and makeMessage as in SDK 1.15', () => {
  const headers = new Headers({ 'request-id': 'req_g' });
  for (const [status, body, message] of [[529, errorBody('overloaded_error', 'busy'), undefined], [404, undefined, 'gone'], [418, { message: 'tea' }, undefined]]) {
    const official = OfficialAnthropic.APIError.generate(status, body, message, headers);
    const ours = Anthropic.APIError.generate(status, body, message, headers);
    assert.equal(ours.constructor.name, official.constructor.name);
    assert.equal(ours.message, official.message);
    assert.equal(ours.requestID, official.requestID);
  }
  assert.equal(Anthropic.APIError.generate(undefined, undefined, 'down', undefined).constructor.name, 'APIConnectionError');
});
