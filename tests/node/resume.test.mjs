// Resuming a stream cut short (`MessageStream.resume()`, an extension) against the local server:
// cut by an error event and by a dropped connection (the server's `x-devserver-fault` header on
// the first request only), continued with the text so far as a prefill, stitched into the very
// reply an uncut request gets; and the refusals.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import Anthropic, { AnthropicError, APIError, APIConnectionError, InvalidRequestError } from 'anthropic-wasm';
import { startDevserver } from '../../devserver/tests-node/helpers.mjs';

let server;

before(async () => {
  server = await startDevserver();
});

after(async () => {
  await server?.stop();
});

const client = () => new Anthropic({ apiKey: 'sk-any', baseURL: server.url, maxRetries: 0 });
const story = { model: 'claude-sonnet-4-5', max_tokens: 400, messages: [{ role: 'user', content: 'Tell me a story about resuming' }] };
const faulty = (fault) => ({ headers: { 'x-devserver-fault': fault } });

for (const fault of ['error-after=5', 'drop-after=1500']) {
  test(`a stream cut by ${fault} resumes into the reply an uncut request gets`, async () => {
    const whole = await client().messages.create(story);
    const first = client().messages.stream(story, faulty(fault));
    const error = await first.finalMessage().catch((e) => e);
    assert.ok(error instanceof APIError || error instanceof APIConnectionError || error instanceof AnthropicError, String(error));
    const partial = error.partialMessage.content[0].text;
    assert.ok(partial.length > 0 && whole.content[0].text.startsWith(partial), JSON.stringify(partial));
    const resumed = first.resume({});
    const texts = [];
    resumed.on('text', (delta) => texts.push(delta));
    const message = await resumed.finalMessage();
    assert.equal(message.content.length, 1);
    assert.equal(message.content[0].text, whole.content[0].text, 'one reply, continued where it was cut');
    assert.ok(texts.join('').length > 0 && message.content[0].text.endsWith(texts.join('')), 'the events are the continuation');
    assert.equal(message.stop_reason, 'end_turn');
    const { partial_usage, continuation_usage } = message.resumed;
    assert.equal(message.usage.input_tokens, partial_usage.input_tokens + continuation_usage.input_tokens);
    assert.equal(message.usage.output_tokens, partial_usage.output_tokens + continuation_usage.output_tokens);
    // The continuation carried the text so far as its last, assistant turn.
    assert.deepEqual(resumed.messages.at(1), { role: 'assistant', content: partial.trimEnd() });
  });
}

test('a resumed stream cut again resumes again, from everything so far', async () => {
  const whole = await client().messages.create(story);
  const first = client().messages.stream(story, faulty('error-after=3'));
  await first.finalMessage().catch(() => {});
  const second = first.resume(faulty('error-after=4'));
  const error = await second.finalMessage().catch((e) => e);
  const soFar = error.partialMessage.content[0].text;
  assert.ok(whole.content[0].text.startsWith(soFar.trimEnd()) && soFar.length > first.currentMessage.content[0].text.length, soFar);
  const message = await second.resume({}).finalMessage();
  assert.equal(message.content[0].text, whole.content[0].text);
});

test('resume refuses what a prefill cannot continue, with a typed error', async () => {
  const done = client().messages.stream(story);
  await done.finalMessage();
  const notResumable = (reason) => (e) =>
    e instanceof InvalidRequestError && e.rule === 'NotResumable' && e.message === `the reply cannot be resumed: ${reason}`;
  assert.throws(() => done.resume(), notResumable('the stream did not fail'));
  // Thinking on: a prefill cannot continue the reply.
  const thinking = { ...story, max_tokens: 2048, thinking: { type: 'enabled', budget_tokens: 1024 } };
  const cut = client().messages.stream(thinking, faulty('error-after=3'));
  await cut.finalMessage().catch(() => {});
  assert.throws(() => cut.resume(), notResumable('thinking is on'));
  // Cut before any text: nothing to continue.
  const early = client().messages.stream(story, faulty('error-after=0'));
  await early.finalMessage().catch(() => {});
  assert.throws(() => early.resume(), notResumable('no text arrived'));
  // A model that refuses prefill: the continuation is refused before it is sent.
  const newer = client().messages.stream({ ...story, model: 'claude-opus-4-6' }, faulty('error-after=3'));
  await newer.finalMessage().catch(() => {});
  const refused = await newer.resume({}).finalMessage().catch((e) => e);
  assert.ok(refused instanceof InvalidRequestError && refused.rule === 'PrefillUnsupported', String(refused));
});
