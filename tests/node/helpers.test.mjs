// The helpers of the npm package in Node against the local server: the tool runner (rounds,
// parallel calls, errors, bound, streaming, abort), the conversation (history, failures, partial
// replies, images, export, trimming to a token budget around tool pairs), structured outputs and
// prefill.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import Anthropic, {
  APIUserAbortError,
  Conversation,
  imageBlock,
  InvalidRequestError,
  jsonSchemaOutputFormat,
  PrefillUnsupportedError,
  prefillJSON,
  sendWithPrefill,
  StructuredOutputParseError,
  tool,
  TokenBudgetError,
} from 'anthropic-wasm';
import { startDevserver } from '../../devserver/tests-node/helpers.mjs';

let server;

before(async () => {
  server = await startDevserver();
});

after(async () => {
  await server?.stop();
});

const MODEL = 'claude-sonnet-4-5';
const client = (options = {}) => new Anthropic({ apiKey: 'sk-any', baseURL: server.url, ...options });
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

/** A tool that logs its start and end around a pause, and answers `answer(input)`. */
function loggedTool(name, log, answer, schema = { city: { type: 'string' } }) {
  return tool({
    name,
    description: `${name} for a city`,
    inputSchema: { type: 'object', properties: schema, required: Object.keys(schema) },
    run: async (input) => {
      log.push(`start ${name}`);
      await sleep(30);
      log.push(`end ${name}`);
      return answer(input);
    },
  });
}

test('the tool runner runs parallel calls concurrently, follows up, and answers in three rounds', async () => {
  const log = [];
  const runner = client().messages.toolRunner({
    model: MODEL,
    max_tokens: 500,
    messages: [{ role: 'user', content: 'Use get_weather and get_time for Oslo' }],
    tools: [
      loggedTool('get_weather', log, ({ city }) => `rain in ${city}; get_news has the storm warnings`),
      loggedTool('get_time', log, () => ({ time: 'noon' })),
      loggedTool('get_news', log, ({ city }) => `a storm at 6 in ${city}`),
    ],
  });
  const replies = [];
  for await (const message of runner) replies.push(message);
  assert.deepEqual(
    replies.map((m) => m.stop_reason),
    ['tool_use', 'tool_use', 'end_turn'],
  );
  assert.equal(runner.iterations, 3);
  // Both calls of the first reply started before either ended.
  assert.deepEqual(log.slice(0, 4), ['start get_weather', 'start get_time', 'end get_weather', 'end get_time']);
  const history = runner.params.messages;
  assert.equal(history.length, 6);
  const calls = replies[0].content.filter((b) => b.type === 'tool_use');
  assert.deepEqual(
    history[2].content.map((r) => [r.tool_use_id, r.content, r.is_error]),
    [
      [calls[0].id, 'rain in Oslo; get_news has the storm warnings', undefined],
      [calls[1].id, '{"time":"noon"}', undefined],
    ],
  );
  const follow = replies[1].content.find((b) => b.type === 'tool_use');
  assert.deepEqual([follow.name, follow.input], ['get_news', { city: 'Oslo' }]);
  assert.match(replies[2].content[0].text, /^The get_news tool returned: a storm at 6 in Oslo\./);
  assert.equal(await runner.done(), replies[2]);
});

test('a failing tool and a tool without run are answered with is_error results', async () => {
  const runner = client().messages.toolRunner({
    model: MODEL,
    max_tokens: 500,
    messages: [{ role: 'user', content: 'Use get_weather and lookup for Oslo' }],
    tools: [
      tool({
        name: 'get_weather',
        description: 'Weather',
        inputSchema: { type: 'object', properties: { city: { type: 'string' } } },
        run: () => {
          throw new Error('station offline');
        },
      }),
      { name: 'lookup', description: 'Not runnable here', input_schema: { type: 'object', properties: {} } },
    ],
  });
  const final = await runner;
  const results = runner.params.messages[2].content;
  assert.deepEqual(
    results.map((r) => [r.content, r.is_error]),
    [
      ['Error: station offline', true],
      ["Error: Tool 'lookup' not found", true],
    ],
  );
  assert.match(final.content[0].text, /The get_weather tool reported an error: Error: station offline/);
});

test('the tool runner ends at max_iterations with the last reply, as SDK 1.15, and can go on', async () => {
  const runner = client().messages.toolRunner({
    model: MODEL,
    max_tokens: 300,
    messages: [{ role: 'user', content: 'Weather in Rome' }],
    tools: [loggedTool('get_weather', [], () => 'sunny')],
    tool_choice: { type: 'any' },
    max_iterations: 2,
  });
  const last = await runner.runUntilDone();
  assert.equal(last.stop_reason, 'tool_use');
  assert.equal(runner.iterations, 2);
  const history = runner.params.messages;
  assert.equal(history.length, 5);
  assert.equal(history.at(-1).content[0].type, 'tool_result');
  // Without the forced choice the model answers from the last results.
  runner.setMessagesParams((params) => ({ ...params, tool_choice: { type: 'auto' }, max_iterations: 3 }));
  const final = await runner.runUntilDone();
  assert.equal(final.stop_reason, 'end_turn');
  assert.equal(runner.iterations, 3);
});

test('the streaming tool runner yields a MessageStream per round', async () => {
  const runner = client().messages.toolRunner({
    model: MODEL,
    max_tokens: 500,
    stream: true,
    messages: [{ role: 'user', content: 'Please use get_weather for Lima' }],
    tools: [loggedTool('get_weather', [], ({ city }) => `fog in ${city}`)],
  });
  const rounds = [];
  for await (const stream of runner) {
    const texts = [];
    stream.on('text', (delta) => texts.push(delta));
    const message = await stream.finalMessage();
    rounds.push({ text: texts.join(''), stop: message.stop_reason });
  }
  assert.deepEqual(
    rounds.map((r) => r.stop),
    ['tool_use', 'end_turn'],
  );
  assert.equal(rounds[0].text, "I'll call get_weather to help with that.");
  assert.match(rounds[1].text, /^The get_weather tool returned: fog in Lima\./);
});

test('aborting stops the runner while a tool runs, and the tool sees the signal', async () => {
  const controller = new AbortController();
  let toolSignal;
  const runner = client().messages.toolRunner(
    {
      model: MODEL,
      max_tokens: 300,
      messages: [{ role: 'user', content: 'Please use get_weather for Quito' }],
      tools: [
        tool({
          name: 'get_weather',
          description: 'Weather',
          inputSchema: { type: 'object', properties: {} },
          run: (_input, { signal }) => {
            toolSignal = signal;
            controller.abort();
            return new Promise(() => {});
          },
        }),
      ],
    },
    { signal: controller.signal },
  );
  await assert.rejects(runner.runUntilDone(), APIUserAbortError);
  assert.equal(toolSignal?.aborted, true);
  assert.equal(runner.iterations, 1);
});

test('a conversation keeps its history; a failed turn leaves it unchanged', async () => {
  const chat = new Conversation(client({ maxRetries: 0 }), { model: MODEL, max_tokens: 200, system: 'Be brief.' });
  const first = await chat.send('What is 2 + 3?');
  assert.match(first.content[0].text, /2 \+ 3 = 5/);
  const withImage = await chat.send('What is in this picture?', { images: [imageBlock(PNG, 'image/png')] });
  assert.match(withImage.content[0].text, /1×1 PNG/);
  assert.equal(chat.messages.length, 4);
  assert.equal(chat.messages[2].content[1].source.data, PNG.toString('base64'));
  const saved = chat.exportJSON();
  await assert.rejects(chat.send('Again', { headers: { 'x-devserver-fault': '529' } }), { status: 529 });
  assert.equal(chat.exportJSON(), saved);
  const restored = new Conversation(client(), { model: MODEL, max_tokens: 200 });
  restored.importJSON(saved);
  assert.equal(restored.system, 'Be brief.');
  assert.deepEqual(restored.messages, chat.messages);
  assert.throws(() => restored.importJSON('{"messages": [{"role": 1}]}'), InvalidRequestError);
  assert.deepEqual(restored.messages, chat.messages, 'a bad import changes nothing');
  // The third user turn is numbered so: the server saw the whole restored history.
  const third = await restored.send('And now?');
  assert.match(third.content[0].text, /message number 3 in our conversation/);
});

test('a streamed turn joins the history when it ends; a failed one keeps its text only if asked', async () => {
  const chat = new Conversation(client({ maxRetries: 0 }), { model: MODEL, max_tokens: 300 });
  const stream = await chat.stream('Tell me a story about rivers');
  const text = await stream.finalText();
  assert.equal(chat.messages.length, 2);
  assert.equal(chat.messages[1].content[0].text, text);
  const failing = { headers: { 'x-devserver-fault': 'error-after=3' } };
  const broken = await chat.stream('Another story', failing);
  await assert.rejects(broken.finalMessage());
  assert.equal(chat.messages.length, 2, 'unchanged');
  const keeping = new Conversation(client({ maxRetries: 0 }), {
    model: MODEL,
    max_tokens: 300,
    keepPartialReplies: true,
    messages: chat.messages,
  });
  const partial = await keeping.stream('Another story', failing);
  const error = await partial.finalMessage().catch((e) => e);
  assert.equal(keeping.messages.length, 4);
  assert.equal(keeping.messages[3].content[0].text, error.partialMessage.content[0].text);
  assert.ok(keeping.messages[3].content[0].text.length > 0);
});

/** A history with tool pairs in the middle: it may start at 0, 4 or 8 only. */
function historyWithTools() {
  const call = (id, name) => ({ type: 'tool_use', id, name, input: { city: 'Oslo' } });
  return [
    { role: 'user', content: 'Use get_weather for Oslo' },
    { role: 'assistant', content: [call('toolu_01a', 'get_weather')] },
    { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_01a', content: 'sunny' }] },
    { role: 'assistant', content: 'It is sunny.' },
    { role: 'user', content: 'Use get_weather and get_time for Oslo' },
    { role: 'assistant', content: [call('toolu_01b', 'get_weather'), call('toolu_01c', 'get_time')] },
    {
      role: 'user',
      content: [
        { type: 'tool_result', tool_use_id: 'toolu_01b', content: 'rain '.repeat(400) },
        { type: 'tool_result', tool_use_id: 'toolu_01c', content: 'noon' },
      ],
    },
    { role: 'assistant', content: 'Rain at noon.' },
  ];
}

const TOOLS = [
  { name: 'get_weather', input_schema: { type: 'object', properties: { city: { type: 'string' } } } },
  { name: 'get_time', input_schema: { type: 'object', properties: { city: { type: 'string' } } } },
];

/** Starts with a plain user turn, every tool_use answered in the next turn. */
function assertSendable(messages) {
  assert.equal(messages[0].role, 'user');
  assert.ok(typeof messages[0].content === 'string' || !messages[0].content.some((b) => b.type === 'tool_result'));
  messages.forEach((message, i) => {
    if (typeof message.content === 'string') return;
    for (const block of message.content.filter((b) => b.type === 'tool_use')) {
      const next = messages[i + 1]?.content;
      assert.ok(Array.isArray(next) && next.some((b) => b.tool_use_id === block.id), `${block.id} lost its result`);
    }
  });
}

test('trimming to a token budget drops whole tool rounds, counted with countTokens', async () => {
  const anthropic = client();
  const count = async (messages) =>
    (await anthropic.messages.countTokens({ model: MODEL, tools: TOOLS, messages })).input_tokens;
  const history = historyWithTools();
  const turn = { role: 'user', content: 'Summarise' };
  const fromFour = await count([...history.slice(4), turn]);
  const fromSix = await count([{ role: 'user', content: 'x' }, ...history.slice(7), turn]);
  // A budget between "from the last turn" and "from q2": index 6 would orphan the big results.
  const budget = fromFour - 1;
  assert.ok(budget > fromSix);
  const withBudget = (maxInputTokens) =>
    new Conversation(anthropic, { model: MODEL, max_tokens: 200, tools: TOOLS, messages: history, tokenBudget: { maxInputTokens } });
  const chat = withBudget(budget);
  const reply = await chat.send('Summarise');
  assert.equal(reply.stop_reason, 'end_turn');
  assert.deepEqual(chat.messages.slice(0, 1), [turn], 'history starts at the new turn, not at the results');
  assert.equal(chat.messages.length, 2);
  // A larger budget keeps the second round whole.
  const roomy = withBudget(fromFour);
  await roomy.send('Summarise');
  assert.equal(roomy.messages[0].content, 'Use get_weather and get_time for Oslo');
  assertSendable(roomy.messages);
  assert.ok((await count(roomy.messages.slice(0, -1))) <= fromFour);
  // Too small for even the last turn.
  const tiny = new Conversation(anthropic, { model: MODEL, max_tokens: 50, messages: history, tokenBudget: { maxInputTokens: 1 } });
  await assert.rejects(tiny.send('Summarise'), TokenBudgetError);
  assert.equal(tiny.messages.length, history.length);
});

test('trimming with the offline estimate, and normalisation', async () => {
  const chat = new Conversation(client(), { model: MODEL, max_tokens: 200, messages: historyWithTools() });
  const whole = await chat.trim({ maxInputTokens: 100_000, counter: 'estimate' });
  assert.deepEqual(whole.dropped, 0);
  const trimmed = await chat.trim({ maxInputTokens: whole.tokens - 1, counter: 'estimate' });
  assert.equal(trimmed.dropped, 4);
  assertSendable(chat.messages);
  chat.messages.push({ role: 'user', content: 'a' }, { role: 'user', content: [{ type: 'text', text: '' }, { type: 'text', text: 'b' }] });
  chat.normalize();
  assert.deepEqual(chat.messages.at(-1), {
    role: 'user',
    content: [
      { type: 'text', text: 'a' },
      { type: 'text', text: 'b' },
    ],
  });
});

test('structured outputs are parsed, and a cut reply fails with its raw text', async () => {
  const schema = {
    type: 'object',
    properties: { city: { type: 'string' }, population: { type: 'integer', minimum: 1 } },
    required: ['city', 'population'],
    additionalProperties: false,
  };
  const request = {
    model: MODEL,
    max_tokens: 300,
    messages: [{ role: 'user', content: 'Which city is the Louvre in? In Paris.' }],
    output_config: { format: jsonSchemaOutputFormat(schema) },
  };
  const reply = await client().messages.parse(request);
  assert.equal(reply.parsed_output.city, 'Paris');
  assert.ok(Number.isInteger(reply.parsed_output.population));
  assert.deepEqual(reply.parsed_output, JSON.parse(reply.content[0].text));
  assert.match(reply._request_id, /^req_/);
  const error = await client()
    .messages.parse({ ...request, max_tokens: 4 })
    .catch((e) => e);
  assert.ok(error instanceof StructuredOutputParseError, String(error));
  assert.equal(error.stopReason, 'max_tokens');
  assert.ok(error.raw.length > 0 && error.raw.startsWith('{'));
  assert.throws(() => JSON.parse(error.raw));
  assert.match(error.message, /max_tokens/);
});

test('prefill helpers give the whole answer and parse a JSON prefill', async () => {
  const params = { model: MODEL, max_tokens: 200, messages: [{ role: 'user', content: 'Describe Paris as JSON' }] };
  const json = await prefillJSON(client(), params, '{"name": "');
  assert.ok(json.text.startsWith('{"name": "'));
  assert.deepEqual(json.parsed, JSON.parse(json.text));
  assert.equal(typeof json.parsed.name, 'string');
  const choice = await sendWithPrefill(client(), { ...params, messages: [{ role: 'user', content: '2+2? (A) 3 (B) 4' }] }, 'The answer is ( ');
  assert.equal(choice.text, 'The answer is (B) 4');
  const cut = await prefillJSON(client(), { ...params, max_tokens: 2 }, '{"name": "').catch((e) => e);
  assert.ok(cut instanceof StructuredOutputParseError);
  assert.ok(cut.raw.startsWith('{"name": "'));
  const refused = await prefillJSON(client(), { ...params, model: 'claude-opus-4-6' }, '{').catch((e) => e);
  assert.ok(refused instanceof PrefillUnsupportedError);
  assert.ok(refused instanceof InvalidRequestError);
  assert.equal(refused.rule, 'PrefillUnsupported');
  assert.match(refused.message, /jsonSchemaOutputFormat/);
});
