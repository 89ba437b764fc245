// SDK 1.15's tool runner (`client.beta.messages.toolRunner` with `betaTool` from
// `/helpers/beta/json-schema`), the same script run on both clients against the local server:
// what each request carries (`betas` as the `anthropic-beta` header, options set with
// `setRequestOptions`), how often each tool runs when the loop body calls
// `generateToolResponse()` itself (once: the loop reuses it), the run context, `done()`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import OfficialAnthropic from '@anthropic-ai/sdk';
import { betaTool as officialBetaTool } from '@anthropic-ai/sdk/helpers/beta/json-schema';
import Anthropic from 'anthropic-wasm';
import { betaTool } from 'anthropic-wasm/helpers/beta/json-schema';
import { startDevserver } from '../../devserver/tests-node/helpers.mjs';

let server;

before(async () => {
  server = await startDevserver();
});

after(async () => {
  await server?.stop();
});

const BETA = 'tools-test-2026-01-01';

/** Runs the script on a client of `Client` with `toolOf`; what it saw, to compare. */
async function script(Client, toolOf) {
  const sent = [];
  const fetch = async (url, init) => {
    const headers = new Headers(init.headers);
    sent.push({ beta: headers.get('anthropic-beta'), round: headers.get('x-round') });
    return globalThis.fetch(url, init);
  };
  const client = new Client({ apiKey: 'sk-any', baseURL: server.url, fetch, maxRetries: 0 });
  const runs = [];
  const weather = toolOf({
    name: 'get_weather',
    description: 'Weather for a city',
    inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
    run: async (input, context) => {
      runs.push({ input, id: context.toolUse.id === context.toolUseBlock.id, signal: context.signal === undefined });
      return `rain in ${input.city}`;
    },
  });
  const runner = client.beta.messages.toolRunner({
    model: 'claude-sonnet-4-5',
    max_tokens: 300,
    betas: [BETA],
    // SDK 1.15 keeps the conversation in a server-held message thread unless told not to; the
    // local server has no threads, and this runner sends the whole history each round.
    thread: false,
    messages: [{ role: 'user', content: 'Please use get_weather for Oslo' }],
    tools: [weather],
  });
  const seen = [];
  let round = 0;
  for await (const message of runner) {
    round += 1;
    runner.setRequestOptions({ headers: { 'x-round': String(round) } });
    const response = await runner.generateToolResponse();
    seen.push({ stop: message.stop_reason, results: response?.content.map((r) => [r.type, r.content, r.is_error]) ?? null });
  }
  const final = await runner.done();
  return { sent, runs, seen, final: final.content[0].text, history: runner.params.messages.length };
}

test('the beta tool runner as SDK 1.15 runs it: betas, setRequestOptions, a tool response made once', async () => {
  const ours = await script(Anthropic, betaTool);
  const official = await script(OfficialAnthropic, officialBetaTool);
  assert.deepEqual(ours, official);
  // Not alike by accident: what both did.
  assert.deepEqual(ours.runs, [{ input: { city: 'Oslo' }, id: true, signal: true }]);
  assert.deepEqual(ours.seen, [
    { stop: 'tool_use', results: [['tool_result', 'rain in Oslo', undefined]] },
    { stop: 'end_turn', results: null },
  ]);
  assert.deepEqual(ours.sent, [
    { beta: BETA, round: null },
    { beta: BETA, round: '1' },
  ]);
  assert.match(ours.final, /rain in Oslo/);
});

const CITY = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };

test("a tool's parse reads the input before run; a parse that throws is answered as an error", async () => {
  const runs = [];
  const client = new Anthropic({ apiKey: 'sk-any', baseURL: server.url });
  const runner = client.beta.messages.toolRunner({
    model: 'claude-sonnet-4-5',
    max_tokens: 300,
    messages: [{ role: 'user', content: 'Please use get_weather and get_time for Oslo' }],
    tools: [
      { ...betaTool({ name: 'get_weather', description: 'w', inputSchema: CITY, run: (input) => runs.push(input) && 'ok' }), parse: ({ city }) => ({ town: city.toUpperCase() }) },
      { ...betaTool({ name: 'get_time', description: 't', inputSchema: CITY, run: () => 'noon' }), parse: () => { throw new Error('bad time input'); } },
    ],
  });
  const first = (await runner[Symbol.asyncIterator]().next()).value;
  assert.equal(first.stop_reason, 'tool_use');
  const response = await runner.generateToolResponse();
  assert.deepEqual(runs, [{ town: 'OSLO' }]);
  assert.deepEqual(response.content.map((r) => [r.content, r.is_error]), [['ok', undefined], ['Error: bad time input', true]]);
});

/** A runner whose loop body takes the history over on the first reply; what each side saw. */
async function takenOver(Client, toolOf, max_iterations) {
  const client = new Client({ apiKey: 'sk-any', baseURL: server.url, maxRetries: 0 });
  let runs = 0;
  const runner = client.beta.messages.toolRunner({
    model: 'claude-sonnet-4-5',
    max_tokens: 300,
    thread: false,
    max_iterations,
    messages: [{ role: 'user', content: 'Please use get_weather for Oslo' }],
    tools: [toolOf({ name: 'get_weather', description: 'w', inputSchema: CITY, run: () => (runs += 1) && 'rain' })],
  });
  const stops = [];
  for await (const message of runner) {
    stops.push(message.stop_reason);
    if (stops.length === 1) runner.pushMessages({ role: 'assistant', content: message.content });
  }
  const roles = runner.params.messages.map((m) => `${m.role}:${Array.isArray(m.content) ? m.content.map((b) => b.type).join('+') : 'text'}`);
  return { stops, roles, runs, done: (await runner.done()).stop_reason };
}

test('a history taken over in the loop body, and max_iterations ending with the last reply, as 1.15', async () => {
  for (const max of [undefined, 1]) {
    const ours = await takenOver(Anthropic, betaTool, max);
    assert.deepEqual(ours, await takenOver(OfficialAnthropic, officialBetaTool, max), `max_iterations ${max}`);
  }
  assert.deepEqual(await takenOver(Anthropic, betaTool, undefined), {
    stops: ['tool_use', 'end_turn'],
    roles: ['user:text', 'assistant:text+tool_use', 'user:tool_result', 'assistant:text'],
    runs: 1,
    done: 'end_turn',
  });
  assert.deepEqual((await takenOver(Anthropic, betaTool, 1)).stops, ['tool_use']);
});
