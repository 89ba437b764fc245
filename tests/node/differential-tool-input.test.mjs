// Differential test of streamed tool input against the official `@anthropic-ai/sdk` 1.15.0:
// the previews of random tool inputs cut into random fragments (the SDK's partial-JSON rules
// after every fragment), and tool inputs that are not JSON when their block stops (the SDK's
// MessageStream fails with an `error` event there: an AnthropicError with JSON.parse's message).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HELPER_EVENTS, observe, seededRandom } from './differential-harness.mjs';

/** The SSE body of a message with one tool_use block whose input arrives as `fragments`. */
function toolUseBody(fragments) {
  const events = [
    ['message_start', { type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant',
      model: 'claude-opus-4-7', content: [], stop_reason: null, stop_sequence: null,
      usage: { input_tokens: 10, output_tokens: 1 } } }],
    ['content_block_start', { type: 'content_block_start', index: 0,
      content_block: { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: {} } }],
    ...fragments.map((partial_json) => ['content_block_delta', { type: 'content_block_delta', index: 0,
      delta: { type: 'input_json_delta', partial_json } }]),
    ['content_block_stop', { type: 'content_block_stop', index: 0 }],
    ['message_delta', { type: 'message_delta', delta: { stop_reason: 'tool_use', stop_sequence: null },
      usage: { output_tokens: 20 } }],
    ['message_stop', { type: 'message_stop' }],
  ];
  const text = events.map(([name, data]) => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`).join('');
  return [new TextEncoder().encode(text)];
}

const WORDS = ['Paris', 'a "quoted" word', 'back\\slash', 'tab\there', 'é😀', '', 'line\nbreak', 'true', '-1'];
const NUMBERS = [0, -0.5, 12, 1e21, 3.25e-7, -1234567, 42];

/** A random JSON value: objects, arrays, strings with escapes, numbers, literals. */
function randomValue(random, depth = 0) {
  const pick = (list) => list[Math.floor(random() * list.length)];
  const kind = depth > 3 ? Math.floor(random() * 4) : Math.floor(random() * 6);
  switch (kind) {
    case 0: return pick(WORDS);
    case 1: return pick(NUMBERS);
    case 2: return pick([true, false, null]);
    case 3: return pick(WORDS) + pick(WORDS);
    case 4: return Array.from({ length: Math.floor(random() * 4) }, () => randomValue(random, depth + 1));
    default: return randomObject(random, depth + 1);
  }
}

function randomObject(random, depth = 0) {
  const object = {};
  for (let n = Math.floor(random() * 4); n > 0; n--) object[WORDS[Math.floor(random() * WORDS.length)] + n] = randomValue(random, depth);
  return object;
}

/** `text` cut at random places (`parts` pieces at most), or into single characters. */
function cut(text, random, parts) {
  if (parts === 'chars') return [...text];
  const ends = Array.from({ length: parts }, () => Math.floor(random() * (text.length + 1))).sort((a, b) => a - b);
  const pieces = [];
  let start = 0;
  for (const end of [...ends, text.length]) {
    pieces.push(text.slice(start, end));
    start = end;
  }
  return pieces.filter((piece, i) => piece || i === 0);
}

test('random tool inputs in random fragments: every preview and the final input as the SDK', async () => {
  const random = seededRandom(20261202);
  for (let round = 0; round < 60; round++) {
    const value = randomObject(random);
    const text = random() < 0.5 ? JSON.stringify(value) : JSON.stringify(value, null, random() < 0.5 ? 2 : '\t');
    const fragments = cut(text, random, round % 3 === 0 ? 'chars' : 1 + Math.floor(random() * 12));
    const official = await observe('official', toolUseBody(fragments));
    const wasm = await observe('wasm', toolUseBody(fragments));
    assert.equal(official.helpers.thrown, undefined, text);
    assert.deepEqual(wasm, official, `${text} in ${JSON.stringify(fragments)}`);
  }
});

test('a tool input cut short at its stop: the SDK preview of it, also in the final message', async () => {
  for (const text of ['{"city": "Par', '{"a": [1, 2', '{"a": {"b": true, "c', '{"n": 12', '{"a": 1,', '{"k"']) {
    const official = await observe('official', toolUseBody([text]));
    const wasm = await observe('wasm', toolUseBody([text]));
    assert.equal(official.helpers.thrown, undefined, text);
    assert.deepEqual(wasm, official, text);
  }
});

/** The helper events without those that read a streaming input: the SDK then reads (and parses)
 * it first at content_block_stop. */
const STOP_READERS = HELPER_EVENTS.filter((name) => name !== 'streamEvent' && name !== 'inputJson');

const NOT_JSON = [
  ['{"unit": celsius}'],
  ['{"a": ', 'nope', '}'],
  ['{"a": 1}}'],
  ['[1]]'],
  ['{"a": 1', ']'],
  ['12'],
  ['"unfinished'],
  [' '],
];

test('tool input that is not JSON at its stop: the same error event and rejection as the SDK', async () => {
  for (const fragments of NOT_JSON) {
    const official = await observe('official', toolUseBody(fragments), STOP_READERS);
    const wasm = await observe('wasm', toolUseBody(fragments), STOP_READERS);
    assert.equal(official.helpers.thrown?.class, 'AnthropicError', JSON.stringify(fragments));
    assert.ok(official.helpers.seen.some(([name]) => name === 'error'), 'the SDK emits error');
    assert.deepEqual(wasm, official, JSON.stringify(fragments));
  }
});

test('tool input that is not JSON, every helper listening: both fail with an AnthropicError', async () => {
  // The SDK's listeners read the input at the first fragment that makes it invalid and throw
  // there; the package fails at the block's stop. The raw events are the same.
  for (const fragments of NOT_JSON) {
    const official = await observe('official', toolUseBody(fragments));
    const wasm = await observe('wasm', toolUseBody(fragments));
    assert.deepEqual(wasm.raw, official.raw);
    assert.equal(official.helpers.thrown?.class, 'AnthropicError');
    assert.equal(wasm.helpers.thrown?.class, 'AnthropicError');
    const names = (seen) => seen.map(([name]) => name).slice(-2);
    assert.deepEqual(names(wasm.helpers.seen), ['error', 'end']);
    assert.deepEqual(names(official.helpers.seen), ['error', 'end']);
  }
});
