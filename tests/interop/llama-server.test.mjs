// The npm package against an implementation of the Messages API that is not ours: llama.cpp's
// llama-server (its own /v1/messages, JSON and SSE, and /v1/messages/count_tokens) with a tiny
// random-weight model, started by scripts/peer-server.sh. The model's text is gibberish and its
// ids and counts vary, so only what the real API also guarantees is asserted: shapes, the event
// grammar, stop reasons, schema-valid tool input, and consistency between events and messages.
//
// Where llama-server (build b11434) differs from the real API, and what is tolerated here:
// - ids: the message id is `chatcmpl-…`, not `msg_…`; tool_use ids are bare, not `toolu_…`;
//   no `request-id` header, so `_request_id` and `request_id` are null.
// - `model` echoes the server's alias (`tiny-llama`), not the requested model.
// - usage: `input_tokens` leaves out the cached prompt prefix, which comes as
//   `cache_read_input_tokens` (a repeated prompt can show `input_tokens: 1`); no
//   `cache_creation_input_tokens` or `service_tier`.
// - a reply may be empty (`content: []`) when the model ends its turn at once, and `end_turn`
//   may come with `output_tokens == max_tokens` (the end-of-turn token is counted).
// - tool streams: the text block is closed only after the tool blocks started (all
//   `content_block_stop`s come at the end), and `content_block_start` for `tool_use` has no
//   `input`. The official SDK accepts both; the package failed on the second (fixed in
//   src/types/content.rs, tested natively in tests/llama_server_streams.rs).
// - errors: the body has no top-level `"type": "error"` and carries `code`; the package gives
//   callers the official shape either way. The API's 400s for malformed fields (e.g.
//   `max_tokens: -3`) cannot be provoked through the package, which refuses those before
//   sending; a prompt longer than the server's 4096-token slot is the 400 used here.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import Anthropic, { tool } from 'anthropic-wasm';
import { PEER_KEY as KEY, startPeer } from './peer.mjs';

// PEER_TEST_TIMEOUT_MS: longer bounds for a server under emulation (PEER_SERVER_CPU), where
// each token costs tens of times more.
const LIMIT_MS = Number(process.env.PEER_TEST_TIMEOUT_MS ?? 60_000);
const TIMEOUT = { timeout: LIMIT_MS };

// First run on a fresh machine builds llama-server and the model (scripts/setup.sh does it
// first, so this is rare). When the server cannot start, the one test below fails with the
// script's line saying why, and the others are not registered: one clear failure instead of
// the same hook error for each of them.
const started = await startPeer().then(
  (server) => ({ server }),
  (error) => ({ error }),
);
const { server } = started;
test('llama-server starts', (t) => {
  if (started.error) throw started.error;
  t.diagnostic(server.report);
});
const peerTest = server ? test : () => {};
after(() => server?.stop());

const client = (options = {}) => new Anthropic({ apiKey: KEY, baseURL: server.url, timeout: LIMIT_MS, ...options });

const params = (extra = {}) => ({
  model: 'claude-sonnet-4-5',
  max_tokens: 200,
  messages: [{ role: 'user', content: 'Tell me something about rivers.' }],
  ...extra,
});

const WEATHER = {
  name: 'get_weather',
  description: 'The weather forecast for a city',
  input_schema: {
    type: 'object',
    properties: {
      city: { type: 'string' },
      days: { type: 'integer' },
      unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
    },
    required: ['city', 'days', 'unit'],
    additionalProperties: false,
  },
};

const toolParams = () => params({ max_tokens: 1024, tools: [WEATHER], tool_choice: { type: 'any' } });

/** The problems of `value` against the JSON-schema subset WEATHER uses; empty when valid. */
function schemaProblems(schema, value, path = 'input') {
  switch (schema.type) {
    case 'object': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${path} is not an object`];
      const problems = (schema.required ?? []).filter((key) => !(key in value)).map((key) => `${path}.${key} is missing`);
      for (const [key, item] of Object.entries(value)) {
        const property = schema.properties?.[key];
        if (property) problems.push(...schemaProblems(property, item, `${path}.${key}`));
        else if (schema.additionalProperties === false) problems.push(`${path}.${key} is not in the schema`);
      }
      return problems;
    }
    case 'string':
      if (typeof value !== 'string') return [`${path} is not a string`];
      return schema.enum && !schema.enum.includes(value) ? [`${path} is not one of ${schema.enum}`] : [];
    case 'integer':
      return Number.isInteger(value) ? [] : [`${path} is not an integer`];
    default:
      throw new Error(`schema type ${schema.type} is not handled here`);
  }
}

function assertUsage(usage) {
  assert.ok(Number.isInteger(usage.input_tokens) && usage.input_tokens >= 0, `input_tokens ${usage.input_tokens}`);
  assert.ok(Number.isInteger(usage.output_tokens) && usage.output_tokens >= 1, `output_tokens ${usage.output_tokens}`);
}

function assertMessage(message) {
  assert.equal(message.type, 'message');
  assert.equal(message.role, 'assistant');
  assert.equal(typeof message.id, 'string');
  assert.ok(message.id.length > 0);
  assert.equal(typeof message.model, 'string');
  assert.ok(Array.isArray(message.content));
  assert.ok(['end_turn', 'max_tokens', 'tool_use', 'stop_sequence'].includes(message.stop_reason), message.stop_reason);
  assertUsage(message.usage);
}

const textOf = (message) =>
  message.content
    .filter((block) => block.type === 'text')
    .map((block) => block.text)
    .join('');

/**
 * Checks the official stream grammar: message_start, then blocks (start, deltas of the block's
 * kind, stop), then message_delta and message_stop. With `interleavedStops` a block may start
 * before earlier ones stopped (llama-server's tool streams), but every block still starts once,
 * in index order, before its deltas and its one stop, and all stop before message_delta.
 */
function assertGrammar(events, { interleavedStops = false } = {}) {
  const types = events.map((event) => event.type);
  assert.equal(types[0], 'message_start');
  assert.equal(types.at(-2), 'message_delta');
  assert.equal(types.at(-1), 'message_stop');
  assert.equal(types.filter((type) => type === 'message_start').length, 1);
  const blocks = [];
  for (const event of events.slice(1, -2)) {
    const open = blocks.filter((block) => !block.stopped);
    switch (event.type) {
      case 'content_block_start':
        assert.equal(event.index, blocks.length, 'blocks start in index order');
        if (!interleavedStops) assert.equal(open.length, 0, `block ${event.index} started before the last one stopped`);
        blocks.push({ type: event.content_block.type, stopped: false });
        break;
      case 'content_block_delta': {
        const block = blocks[event.index];
        assert.ok(block && !block.stopped, `delta for block ${event.index}, which is not open`);
        const expected = { text: 'text_delta', tool_use: 'input_json_delta' }[block.type];
        assert.equal(event.delta.type, expected, `delta in a ${block.type} block`);
        break;
      }
      case 'content_block_stop':
        assert.ok(blocks[event.index] && !blocks[event.index].stopped, `stop for block ${event.index}, which is not open`);
        blocks[event.index].stopped = true;
        break;
      default:
        assert.fail(`unexpected ${event.type} between message_start and message_delta`);
    }
  }
  assert.ok(blocks.every((block) => block.stopped), 'every block stopped before message_delta');
  return blocks;
}

/** The final message agrees with the events it was built from. */
function assertConsistent(message, events) {
  const start = events[0].message;
  const delta = events.at(-2);
  assert.equal(message.id, start.id);
  assert.equal(message.model, start.model);
  assert.equal(message.stop_reason, delta.delta.stop_reason);
  assert.equal(message.usage.input_tokens, start.usage.input_tokens);
  assert.equal(message.usage.output_tokens, delta.usage.output_tokens);
  const starts = events.filter((event) => event.type === 'content_block_start');
  assert.deepEqual(
    message.content.map((block) => block.type),
    starts.map((event) => event.content_block.type),
  );
  const textDeltas = (index) =>
    events
      .filter((event) => event.index === index && event.delta?.type === 'text_delta')
      .map((event) => event.delta.text)
      .join('');
  message.content.forEach((block, index) => {
    if (block.type === 'text') assert.equal(block.text, textDeltas(index));
  });
}

peerTest('create returns a Message', TIMEOUT, async () => {
  const message = await client().messages.create(params());
  assertMessage(message);
  assert.ok(['end_turn', 'max_tokens'].includes(message.stop_reason));
  assert.ok(message.usage.output_tokens <= 200);
  for (const block of message.content) {
    assert.equal(block.type, 'text');
    assert.equal(typeof block.text, 'string');
  }
});

peerTest('messages.stream: the official grammar, text deltas add up, finalMessage matches', TIMEOUT, async () => {
  const stream = client().messages.stream(params());
  const events = [];
  const deltas = [];
  let snapshot = '';
  stream.on('streamEvent', (event) => events.push(event));
  stream.on('text', (delta, textSnapshot) => {
    deltas.push(delta);
    snapshot = textSnapshot;
  });
  const message = await stream.finalMessage();
  assertMessage(message);
  const blocks = assertGrammar(events);
  assert.ok(blocks.every((block) => block.type === 'text'));
  assert.equal(deltas.join(''), textOf(message));
  if (message.content.length === 1) assert.equal(snapshot, message.content[0].text);
  assertConsistent(message, events);
  assert.equal(stream.currentMessage, undefined, "once complete, as in the official SDK");
  assert.deepEqual(stream.receivedMessages, [message]);
  assert.ok(stream.ended && !stream.errored && !stream.aborted);
});

peerTest('create({stream: true}) yields the raw events in the official grammar', TIMEOUT, async () => {
  const events = [];
  for await (const event of await client().messages.create(params({ stream: true }))) events.push(event);
  assertGrammar(events);
  const start = events[0].message;
  assert.equal(start.type, 'message');
  assert.equal(start.role, 'assistant');
  assert.deepEqual(start.content, []);
  assert.equal(start.stop_reason, null);
  assert.ok(Number.isInteger(start.usage.input_tokens) && start.usage.input_tokens >= 0);
  const { output_tokens } = events.at(-2).usage;
  assert.ok(Number.isInteger(output_tokens) && output_tokens >= 1, `output_tokens ${output_tokens}`);
  assert.ok(['end_turn', 'max_tokens'].includes(events.at(-2).delta.stop_reason));
});

peerTest('tool use: create gives tool_use blocks whose input matches the schema', TIMEOUT, async () => {
  const message = await client().messages.create(toolParams());
  assertMessage(message);
  assert.equal(message.stop_reason, 'tool_use');
  const tools = message.content.filter((block) => block.type === 'tool_use');
  assert.ok(tools.length >= 1);
  for (const tool of tools) {
    assert.equal(tool.name, 'get_weather');
    assert.equal(typeof tool.id, 'string');
    assert.ok(tool.id.length > 0);
    assert.deepEqual(schemaProblems(WEATHER.input_schema, tool.input), []);
  }
});

peerTest('tool use: streamed inputJson snapshots end at the block input', TIMEOUT, async () => {
  const stream = client().messages.stream(toolParams());
  const events = [];
  const lastSnapshots = new Map();
  const fragments = new Map();
  const finished = [];
  // 'streamEvent' comes before the helper events of the same event, as in the official SDK.
  stream.on('streamEvent', (event) => events.push(event));
  stream.on('inputJson', (fragment, snapshot) => {
    const index = events.at(-1).index;
    fragments.set(index, (fragments.get(index) ?? '') + fragment);
    lastSnapshots.set(index, snapshot);
  });
  stream.on('contentBlock', (block) => finished.push(block));
  const message = await stream.finalMessage();
  assertMessage(message);
  assert.equal(message.stop_reason, 'tool_use');
  assertGrammar(events, { interleavedStops: true });
  assertConsistent(message, events);
  assert.deepEqual(finished, message.content);
  const toolIndexes = [...message.content.keys()].filter((index) => message.content[index].type === 'tool_use');
  assert.ok(toolIndexes.length >= 1);
  assert.deepEqual([...fragments.keys()].sort((a, b) => a - b), toolIndexes, 'input arrives for the tool blocks only');
  for (const index of toolIndexes) {
    const { input } = message.content[index];
    assert.deepEqual(schemaProblems(WEATHER.input_schema, input), []);
    assert.deepEqual(JSON.parse(fragments.get(index)), input, 'the fragments are the input');
    assert.deepEqual(lastSnapshots.get(index), input, 'the last snapshot is the input');
  }
});

peerTest('tool runner: every tool_use answered by its tool_result, within the bound', TIMEOUT, async () => {
  // With `auto` the model asks for tools in most replies and answers in some: the runner must
  // call the tool with schema-valid input, answer every call in the next user turn, in order,
  // and end with a final reply or, at its bound, the typed error carrying the history. A run in
  // which the model answers at once proves nothing, so runs repeat until a tool was called.
  let calls = [];
  for (let attempt = 0; attempt < 5 && calls.length === 0; attempt++) {
    calls = [];
    const weather = tool({
      name: WEATHER.name,
      description: WEATHER.description,
      inputSchema: WEATHER.input_schema,
      run: async (input) => {
        calls.push(input);
        return `Sunny, 18 degrees in ${input.city}`;
      },
    });
    const runner = client().messages.toolRunner({
      ...params({ max_tokens: 400 }),
      tools: [weather],
      tool_choice: { type: 'auto' },
      max_iterations: 3,
    });
    // At max_iterations the runner ends with the last reply, as SDK 1.15's does.
    assertMessage(await runner.runUntilDone());
    const history = runner.params.messages;
    assert.ok(runner.iterations >= 1 && runner.iterations <= 3, `iterations ${runner.iterations}`);
    let asked = 0;
    history.forEach((turn, index) => {
      if (turn.role !== 'assistant' || !Array.isArray(turn.content)) return;
      const uses = turn.content.filter((block) => block.type === 'tool_use');
      if (uses.length === 0) return;
      asked += uses.length;
      for (const use of uses) assert.deepEqual(schemaProblems(WEATHER.input_schema, use.input), []);
      const reply = history[index + 1];
      assert.equal(reply?.role, 'user', 'tool results follow in a user turn');
      const results = reply.content.filter((block) => block.type === 'tool_result');
      assert.deepEqual(
        results.map((result) => result.tool_use_id),
        uses.map((use) => use.id),
        'one result per call, in order',
      );
      assert.ok(results.every((result) => !result.is_error));
    });
    assert.equal(calls.length, asked, 'the tool ran once per call');
  }
  assert.ok(calls.length > 0, 'in five runs the model never called the tool');
});

peerTest('a small max_tokens stops with max_tokens', TIMEOUT, async () => {
  // The model may end its turn within two tokens (rarely); then it must say so with end_turn.
  let stopped;
  for (let attempt = 0; attempt < 5 && !stopped; attempt++) {
    const message = await client().messages.create(params({ max_tokens: 2 }));
    assertMessage(message);
    assert.ok(message.usage.output_tokens <= 2, `output_tokens ${message.usage.output_tokens}`);
    if (message.stop_reason === 'max_tokens') stopped = message;
    else assert.equal(message.stop_reason, 'end_turn');
  }
  assert.ok(stopped, 'five replies, none stopped by max_tokens');
  assert.equal(stopped.usage.output_tokens, 2);
});

peerTest('abort mid-stream keeps what arrived; the server serves the next request', TIMEOUT, async () => {
  // A short reply can end before the abort (the model may end its turn at once): then again.
  let stream;
  let error;
  for (let attempt = 0; attempt < 5 && !(error instanceof Anthropic.APIUserAbortError); attempt++) {
    stream = client().messages.stream(params({ max_tokens: 4000 }));
    await new Promise((resolve) => stream.once('text', resolve).once('end', resolve));
    stream.abort();
    error = await stream.done().catch((e) => e);
  }
  assert.ok(error instanceof Anthropic.APIUserAbortError, error);
  assert.ok(stream.aborted);
  assert.ok(error.partialMessage.content[0].text.length > 0);
  assertMessage(await client().messages.create(params({ max_tokens: 5 })));
});

peerTest('countTokens returns a positive integer that grows with the prompt', TIMEOUT, async () => {
  const count = (content) => client().messages.countTokens({ model: 'claude-sonnet-4-5', messages: [{ role: 'user', content }] });
  const short = await count('How many tokens is this?');
  const long = await count('How many tokens is this? '.repeat(20));
  assert.deepEqual(Object.keys(short), ['input_tokens']);
  assert.ok(Number.isInteger(short.input_tokens) && short.input_tokens > 0, `input_tokens ${short.input_tokens}`);
  assert.ok(long.input_tokens > short.input_tokens);
});

peerTest('a wrong key is an AuthenticationError with status 401, the key in no message', TIMEOUT, async () => {
  const wrongKey = 'sk-ant-interop-wrong-key-3141';
  const error = await client({ apiKey: wrongKey, maxRetries: 0 })
    .messages.create(params())
    .catch((e) => e);
  assert.ok(error instanceof Anthropic.AuthenticationError, error);
  assert.ok(error instanceof Anthropic.APIError);
  assert.equal(error.status, 401);
  assert.equal(error.error.error.type, 'authentication_error');
  for (const text of [error.message, JSON.stringify(error.error), error.stack]) assert.ok(!text.includes(wrongKey), text);
  const stream = client({ apiKey: wrongKey, maxRetries: 0 }).messages.stream(params());
  const streamError = await stream.finalMessage().catch((e) => e);
  assert.ok(streamError instanceof Anthropic.AuthenticationError, streamError);
  assert.ok(!streamError.message.includes(wrongKey));
});

peerTest('a request the server rejects is a BadRequestError, in both modes', TIMEOUT, async () => {
  // Longer than a server slot's 4096 tokens of context.
  const tooLong = params({ messages: [{ role: 'user', content: 'rivers '.repeat(6000) }] });
  const error = await client({ maxRetries: 0 }).messages.create(tooLong).catch((e) => e);
  assert.ok(error instanceof Anthropic.BadRequestError, error);
  assert.equal(error.status, 400);
  assert.equal(typeof error.error.error.message, 'string');
  assert.ok(!error.message.includes(KEY));
  const streamError = await client({ maxRetries: 0 }).messages.stream(tooLong).finalMessage().catch((e) => e);
  assert.ok(streamError instanceof Anthropic.BadRequestError, streamError);
  assert.equal(streamError.status, 400);
});
