// Tool-input previews of the npm package: a 200 KB tool input streamed in small fragments,
// with an `inputJson` listener. Each preview must equal the official SDK's, its partial-JSON
// parse of the whole buffer so far, at sampled steps; the previews come from the incremental
// parser in wasm, fed each fragment once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import Anthropic from 'anthropic-wasm';
// The reference: the official SDK 1.15.0's own partial-JSON parser.
import { partialParse } from '@anthropic-ai/sdk/_vendor/partial-json-parser/parser';

/** About 200 KB of tool input: rows of strings (with escapes), numbers, literals, nesting. */
function bigInput() {
  const rows = [];
  for (let i = 0; rows.length < 900; i++) {
    rows.push({
      id: i,
      text: `row ${i}: "quoted" \\ é ${'lorem ipsum '.repeat(8)}😀\n`,
      score: i / 8 - 40.5,
      ok: i % 3 === 0,
      // Binary fractions: serde_json (the reference) reads them exactly, as JSON.parse does.
      tags: [null, false, { depth: [i, -i, i / 1024] }],
    });
  }
  return JSON.stringify({ rows, note: 'end' });
}

/** Cuts `text` into fragments of 1 to 23 UTF-16 units (deterministic). */
function fragments(text) {
  const out = [];
  for (let i = 0, n = 7; i < text.length; n = (n * 31 + 11) % 23) {
    const size = n + 1;
    out.push(text.slice(i, i + size));
    i += size;
  }
  return out;
}

/** The SSE body of a message with one tool_use block whose input arrives as `pieces`. */
function sse(pieces) {
  const event = (type, data) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
  const parts = [
    event('message_start', {
      message: {
        id: 'msg_preview',
        type: 'message',
        role: 'assistant',
        model: 'claude-sonnet-4-5',
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: 10, output_tokens: 1 },
      },
    }),
    event('content_block_start', { index: 0, content_block: { type: 'tool_use', id: 'toolu_1', name: 'save', input: {} } }),
  ];
  for (const partial_json of pieces) {
    parts.push(event('content_block_delta', { index: 0, delta: { type: 'input_json_delta', partial_json } }));
  }
  parts.push(event('content_block_stop', { index: 0 }));
  parts.push(event('message_delta', { delta: { stop_reason: 'tool_use', stop_sequence: null }, usage: { output_tokens: 5000 } }));
  parts.push(event('message_stop', {}));
  return parts.join('');
}

const input = bigInput();
const pieces = fragments(input);
let server;
let baseURL;

before(async () => {
  const body = sse(pieces);
  server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/event-stream', 'request-id': 'req_preview' });
    // In chunks of 16 KB, as a network would deliver them.
    for (let i = 0; i < body.length; i += 16_384) response.write(body.slice(i, i + 16_384));
    response.end();
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseURL = `http://127.0.0.1:${server.address().port}`;
});

after(() => server?.close());

test('a 200 KB tool input in small fragments: previews equal the SDK\'s full re-parse, in linear time', async () => {
  assert.ok(input.length > 200_000, `${input.length}`);
  const client = new Anthropic({ apiKey: 'sk-any', baseURL, maxRetries: 0 });
  const stream = client.messages.stream({
    model: 'claude-sonnet-4-5',
    max_tokens: 5000,
    messages: [{ role: 'user', content: 'save the rows' }],
  });
  let buffer = '';
  let steps = 0;
  let checked = 0;
  let checking = 0;
  stream.on('inputJson', (fragment, snapshot) => {
    buffer += fragment;
    steps++;
    if (steps % 97 === 1 || steps === pieces.length) {
      const start = performance.now();
      const expected = partialParse(buffer);
      assert.deepEqual(snapshot, expected, `after ${buffer.length} characters`);
      assert.deepEqual(stream.currentMessage.content[0].input, expected);
      checked++;
      checking += performance.now() - start;
    }
  });
  const started = performance.now();
  const message = await stream.finalMessage();
  const elapsed = performance.now() - started - checking;
  console.log(`# ${pieces.length} fragments, ${input.length} characters: ${elapsed.toFixed(0)} ms (without the checks' ${checking.toFixed(0)} ms)`);
  assert.equal(steps, pieces.length);
  assert.ok(checked > 100, `${checked}`);
  assert.equal(buffer, input);
  assert.deepEqual(message.content[0].input, JSON.parse(input));
});
