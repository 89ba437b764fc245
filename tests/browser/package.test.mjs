// The npm package in headless Chromium: a plain `<script type="module">` page imports it through
// an import map (the wasm initialises itself), and talks cross-origin to the local Messages API
// server, which answers CORS and refuses browser requests without the opt-in header as the API
// does. Each test's page must report no uncaught error and no console error beyond the HTTP
// statuses the test provokes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { eventually, startDevserver } from '../../devserver/tests-node/helpers.mjs';
import { launchChromium, openPage, repoRoot, startStaticServer, statusNote } from './harness.mjs';

const PROXY_KEY = 'sk-ant-proxy-side-key';

let devserver;
let keyedDevserver;
let site;
let browser;

before(async () => {
  devserver = await startDevserver();
  keyedDevserver = await startDevserver(['--api-key', PROXY_KEY]);
  site = await startStaticServer({
    mounts: { '/pkg/': path.join(repoRoot, 'pkg'), '/pages/': path.join(repoRoot, 'tests', 'browser', 'pages') },
    proxy: { upstream: keyedDevserver.url, apiKey: PROXY_KEY },
  });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await site?.close();
  await devserver?.stop();
  await keyedDevserver?.stop();
});

/**
 * Runs `body(page)` on a fresh module page, then checks the page reported no uncaught error and
 * no console error beyond those matching `allowConsole` (what the test provokes).
 */
async function onPage(body, { allowConsole = [] } = {}) {
  const { page, problems, close } = await openPage(browser, `${site.url}/pages/index.html`);
  try {
    await body(page);
    assert.deepEqual(problems(allowConsole), [], 'console errors or uncaught errors in the page');
  } finally {
    await close();
  }
}

test('a module page creates a message, streams text in several steps and gets the final message', () =>
  onPage(async (page) => {
    const result = await page.evaluate(async (baseURL) => {
      const client = new Anthropic({ apiKey: 'sk-browser', baseURL, dangerouslyAllowBrowser: true });
      const params = { model: 'claude-sonnet-4-5', max_tokens: 200 };
      const message = await client.messages.create({
        ...params,
        messages: [{ role: 'user', content: 'Say exactly: hello browser' }],
      });
      const deltas = [];
      const stream = client.messages
        .stream({ ...params, messages: [{ role: 'user', content: 'Tell me a story about rivers' }] })
        .on('text', (delta) => deltas.push(delta));
      const final = await stream.finalMessage();
      return {
        text: message.content[0].text,
        requestId: message._request_id,
        deltas,
        finalText: final.content[0].text,
        stopReason: final.stop_reason,
        streamRequestId: stream.request_id,
        origin: location.origin,
      };
    }, devserver.url);
    assert.equal(result.text, 'hello browser');
    assert.match(result.requestId, /^req_/);
    assert.ok(result.deltas.length > 1, `only ${result.deltas.length} text deltas`);
    assert.equal(result.finalText, result.deltas.join(''));
    assert.equal(result.stopReason, 'end_turn');
    assert.match(result.streamRequestId, /^req_/);
    assert.notEqual(result.origin, new URL(devserver.url).origin, 'the page must be cross-origin to the API');
  }));

test('create with stream: true iterates raw events in the browser', () =>
  onPage(async (page) => {
    const types = await page.evaluate(async (baseURL) => {
      const client = new Anthropic({ apiKey: 'sk-browser', baseURL, dangerouslyAllowBrowser: true });
      const stream = await client.messages.create({
        model: 'claude-sonnet-4-5',
        max_tokens: 100,
        messages: [{ role: 'user', content: 'count to 5' }],
        stream: true,
      });
      const seen = [];
      for await (const event of stream) seen.push(event.type);
      return seen;
    }, devserver.url);
    assert.equal(types[0], 'message_start');
    assert.equal(types.at(-1), 'message_stop');
    assert.ok(types.filter((t) => t === 'content_block_delta').length > 1);
  }));

test('a key without dangerouslyAllowBrowser is refused with an error explaining the risk and the option', () =>
  onPage(async (page) => {
    const refusals = await page.evaluate(() =>
      [{ apiKey: 'sk-browser' }, { authToken: 'token' }, { apiKey: 'sk-browser', baseURL: 'https://proxy.example' }, {}].map(
        (options) => {
          try {
            new Anthropic(options);
            return { constructed: true };
          } catch (error) {
            return {
              name: error.constructor.name,
              isAnthropicError: error instanceof Anthropic.AnthropicError,
              isAPIError: error instanceof Anthropic.APIError,
              message: error.message,
            };
          }
        },
      ),
    );
    for (const refusal of refusals) {
      assert.equal(refusal.name, 'AnthropicError');
      assert.ok(refusal.isAnthropicError);
      assert.ok(!refusal.isAPIError, 'a refusal before any request is not an APIError');
      assert.match(refusal.message, /browser/);
      assert.match(refusal.message, /risks exposing your secret API credentials/);
      assert.match(refusal.message, /dangerouslyAllowBrowser/);
      assert.doesNotMatch(refusal.message, /sk-browser/);
    }
  }));

test('with dangerouslyAllowBrowser the request passes the preflight and carries the opt-in header', () =>
  onPage(async (page) => {
    const logStart = devserver.logs.length;
    const result = await page.evaluate(async (baseURL) => {
      const sent = [];
      const recordingFetch = (url, init) => {
        sent.push(Object.fromEntries(new Headers(init.headers)));
        return fetch(url, init);
      };
      const client = new Anthropic({ apiKey: 'sk-browser', baseURL, dangerouslyAllowBrowser: true, fetch: recordingFetch });
      const message = await client.messages.create({
        model: 'claude-haiku-4-5',
        max_tokens: 50,
        messages: [{ role: 'user', content: 'Say exactly: opted in' }],
      });
      return { text: message.content[0].text, sent };
    }, devserver.url);
    assert.equal(result.text, 'opted in');
    assert.equal(result.sent.length, 1);
    assert.equal(result.sent[0]['anthropic-dangerous-direct-browser-access'], 'true');
    assert.equal(result.sent[0].authorization, 'Bearer sk-browser');
    // The devserver logs a request after answering it: its line can come after the page's answer.
    const logged = (start) => devserver.logs.slice(logStart).some((line) => line.startsWith(start));
    await eventually(() => logged('POST /v1/messages 200'), 5000, 'the devserver logged the POST');
    const logs = devserver.logs.slice(logStart);
    assert.ok(logged('OPTIONS /v1/messages'), `no preflight in ${logs.join('\n')}`);
  }));

test('the server rule is real: a browser request without the opt-in header is refused', () =>
  onPage(
    async (page) => {
      const logStart = devserver.logs.length;
      const result = await page.evaluate(async (baseURL) => {
        const send = (extraHeaders) =>
          fetch(`${baseURL}/v1/messages`, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              'anthropic-version': '2023-06-01',
              'x-api-key': 'sk-browser',
              ...extraHeaders,
            },
            body: JSON.stringify({ model: 'claude-haiku-4-5', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }),
          }).then(
            (response) => ({ status: response.status }),
            (error) => ({ failed: error.name }),
          );
        // The same through the client, with a fetch that drops the opt-in header.
        const strippingFetch = (url, init) => {
          const headers = new Headers(init.headers);
          headers.delete('anthropic-dangerous-direct-browser-access');
          return fetch(url, { ...init, headers });
        };
        const client = new Anthropic({
          apiKey: 'sk-browser',
          baseURL,
          dangerouslyAllowBrowser: true,
          fetch: strippingFetch,
          maxRetries: 0,
        });
        const error = await client.messages
          .create({ model: 'claude-haiku-4-5', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] })
          .catch((e) => e);
        return {
          withoutHeader: await send({}),
          withHeader: await send({ 'anthropic-dangerous-direct-browser-access': 'true' }),
          clientError: error.constructor.name,
          isConnectionError: error instanceof Anthropic.APIConnectionError,
          clientErrorMentionsKey: error.message.includes('sk-browser'),
        };
      }, devserver.url);
      // The API answers 401 without CORS headers, so the page cannot even read the refusal.
      assert.deepEqual(result.withoutHeader, { failed: 'TypeError' });
      assert.deepEqual(result.withHeader, { status: 200 });
      assert.equal(result.clientError, 'APIConnectionError');
      assert.ok(result.isConnectionError);
      assert.ok(!result.clientErrorMentionsKey);
      const postsLogged = () => devserver.logs.slice(logStart).filter((line) => line.startsWith('POST /v1/messages'));
      await eventually(() => postsLogged().length >= 3, 5000, 'the devserver logged the three POSTs');
      const posts = postsLogged();
      assert.deepEqual(
        posts.map((line) => line.split(' ')[2]),
        ['401', '401', '200'], // the client's request, then the raw ones without and with the header
        `the server's verdicts:\n${posts.join('\n')}`,
      );
    },
    { allowConsole: [/blocked by CORS policy/, /net::ERR_FAILED/] },
  ));

test('a proxy baseURL without a key needs no opt-in and sends no key', () =>
  onPage(async (page) => {
    const seenBefore = site.proxied.length;
    const result = await page.evaluate(async () => {
      const client = new Anthropic({ baseURL: `${location.origin}/proxy` });
      const message = await client.messages.create({
        model: 'claude-haiku-4-5',
        max_tokens: 50,
        messages: [{ role: 'user', content: 'Say exactly: via the proxy' }],
      });
      const text = await client.messages
        .stream({ model: 'claude-haiku-4-5', max_tokens: 50, messages: [{ role: 'user', content: 'count to 4' }] })
        .finalText();
      return { text: message.content[0].text, streamed: text };
    });
    assert.equal(result.text, 'via the proxy');
    assert.equal(result.streamed, '1, 2, 3, 4.');
    const requests = site.proxied.slice(seenBefore);
    assert.equal(requests.length, 2);
    for (const { headers } of requests) {
      assert.equal(headers['x-api-key'], undefined);
      assert.equal(headers.authorization, undefined);
      assert.equal(headers['anthropic-dangerous-direct-browser-access'], undefined);
      assert.equal(headers['anthropic-version'], '2026-10-21');
    }
  }));

test('aborting mid-stream keeps the partial message', () =>
  onPage(async (page) => {
    const result = await page.evaluate(async (baseURL) => {
      const client = new Anthropic({ apiKey: 'sk-browser', baseURL, dangerouslyAllowBrowser: true });
      // The server stalls after the first delta, so the abort lands mid-stream.
      const stream = client.messages.stream(
        { model: 'claude-sonnet-4-5', max_tokens: 300, messages: [{ role: 'user', content: 'Tell me a story about owls' }] },
        { headers: { 'x-devserver-fault': 'stall=5000' } },
      );
      let received = '';
      stream.on('text', (delta) => {
        received += delta;
        stream.abort();
      });
      const started = performance.now();
      const error = await stream.finalMessage().catch((e) => e);
      return {
        elapsed: performance.now() - started,
        received,
        errorClass: error.constructor.name,
        isAbort: error instanceof Anthropic.APIUserAbortError,
        partialText: error.partialMessage?.content[0]?.text,
        currentText: stream.currentMessage?.content[0]?.text,
        aborted: stream.aborted,
      };
    }, devserver.url);
    assert.equal(result.errorClass, 'APIUserAbortError');
    assert.ok(result.isAbort);
    assert.ok(result.aborted);
    assert.ok(result.received.length > 0);
    assert.equal(result.partialText, result.received);
    assert.equal(result.currentText, result.received);
    assert.ok(result.elapsed < 4000, `the abort took ${result.elapsed} ms: it waited for the stall`);
  }));

test('an overloaded reply (529) is retried in the browser and the retry succeeds', () =>
  onPage(
    async (page) => {
      const result = await page.evaluate(async (baseURL) => {
        const statuses = [];
        const countingFetch = async (url, init) => {
          const response = await fetch(url, init);
          statuses.push(response.status);
          return response;
        };
        const client = new Anthropic({ apiKey: 'sk-browser', baseURL, dangerouslyAllowBrowser: true, fetch: countingFetch });
        const request = {
          model: 'claude-haiku-4-5',
          max_tokens: 50,
          messages: [{ role: 'user', content: 'Say exactly: retried' }],
        };
        const message = await client.messages.create(request, { headers: { 'x-devserver-fault': 'fail-first=1' } });
        const streamed = await client.messages
          .stream({ ...request, messages: [{ role: 'user', content: 'Say exactly: streamed after a retry' }] }, {
            headers: { 'x-devserver-fault': 'fail-first=1' },
          })
          .finalText();
        return { text: message.content[0].text, streamed, statuses };
      }, devserver.url);
      assert.equal(result.text, 'retried');
      assert.equal(result.streamed, 'streamed after a retry');
      assert.deepEqual(result.statuses, [529, 200, 529, 200]);
    },
    { allowConsole: [statusNote(529)] },
  ));

test('API errors are typed in the browser: class, status, requestID, body', () =>
  onPage(
    async (page) => {
      const errors = await page.evaluate(async (baseURL) => {
        const client = new Anthropic({ apiKey: 'sk-browser', baseURL, dangerouslyAllowBrowser: true, maxRetries: 0 });
        const request = { model: 'claude-haiku-4-5', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] };
        const describe = (error) => ({
          name: error.name,
          isOwnClass: error instanceof Anthropic[error.name] && error.constructor === Anthropic[error.name],
          isAPIError: error instanceof Anthropic.APIError,
          status: error.status,
          requestID: error.requestID,
          type: error.error?.error?.type,
          message: error.message,
        });
        const fault = (spec) => client.messages.create(request, { headers: { 'x-devserver-fault': spec } }).catch(describe);
        return {
          authentication: await fault('401'),
          rateLimit: await fault('429'),
          overloaded: await fault('529'),
          badRequest: await fault('400'),
          notFound: await client.models.retrieve('no-such-model').catch(describe),
          midStream: await client.messages
            .stream(request, { headers: { 'x-devserver-fault': 'error-after=1' } })
            .finalMessage()
            .catch((error) => ({ ...describe(error), partial: error.partialMessage?.content?.length })),
        };
      }, devserver.url);
      const expected = {
        authentication: ['AuthenticationError', 401, 'authentication_error'],
        rateLimit: ['RateLimitError', 429, 'rate_limit_error'],
        overloaded: ['OverloadedError', 529, 'overloaded_error'],
        badRequest: ['BadRequestError', 400, 'invalid_request_error'],
        notFound: ['NotFoundError', 404, 'not_found_error'],
      };
      for (const [key, [name, status, type]] of Object.entries(expected)) {
        const error = errors[key];
        assert.equal(error.name, name, key);
        assert.ok(error.isOwnClass, key);
        assert.ok(error.isAPIError, key);
        assert.equal(error.status, status, key);
        assert.match(error.requestID, /^req_/, key);
        assert.equal(error.type, type, key);
      }
      assert.equal(errors.midStream.name, 'APIError');
      assert.equal(errors.midStream.type, 'overloaded_error');
      assert.equal(errors.midStream.partial, 1, 'the text that arrived before the error event');
    },
    { allowConsole: [statusNote(400, 401, 404, 429, 529)] },
  ));
