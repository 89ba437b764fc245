// Differential test over the shared SSE transcripts: every fixture in `../shared/fixtures/sse`
// (beside the repository, or `$ANTHROPIC_WASM_FIXTURES`) × LF / CRLF / lone-CR line ends ×
// whole / seeded-random / 1-byte chunks, served by a `fetch` option to both the official
// `@anthropic-ai/sdk` and `anthropic-wasm`. For each case both must give the same raw events of
// `messages.create({ stream: true })`, the same MessageStream helper events (arguments and
// snapshots copied when emitted) and the same final message, or throw the same error.
//
// Only the public API and the `fetch` option are used, so this test holds across rewrites of the
// package's transport and stream internals. Neither library may depend on the line ends or the
// split (checked per fixture). Where the two differ, the case is in ALLOWED (the SDK throws there
// and the package does better) or PENDING (a difference from the SDK the package should lose,
// run as `test.todo` until then); each entry pins the exact differences observed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { observe, seededRandom } from './differential-harness.mjs';

const FIXTURES_DIR =
  process.env.ANTHROPIC_WASM_FIXTURES ?? fileURLToPath(new URL('../../../shared/fixtures/sse', import.meta.url));
const FIXTURES = readdirSync(FIXTURES_DIR)
  .filter((name) => name.endsWith('.sse'))
  .sort();

const LINE_ENDS = { LF: '\n', CRLF: '\r\n', CR: '\r' };

/** A seed from a case's name, so every fixture and line end gets its own reproducible split. */
function seedOf(text) {
  let hash = 2166136261;
  for (const char of text) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619);
  return hash >>> 0;
}

const SPLITS = {
  whole: (bytes) => [bytes],
  random: (bytes, name) => {
    const random = seededRandom(seedOf(name));
    const chunks = [];
    for (let at = 0; at < bytes.length; ) {
      const size = 1 + Math.floor(random() * 48);
      chunks.push(bytes.subarray(at, at + size));
      at += size;
    }
    return chunks;
  },
  byte: (bytes) => Array.from({ length: bytes.length }, (_, at) => bytes.subarray(at, at + 1)),
};

/** The fixture's bytes with every LF replaced by `eol` (an LF byte is never inside a UTF-8 sequence). */
function withLineEnds(bytes, eol) {
  const out = [];
  for (const byte of bytes) {
    if (byte === 0x0a) out.push(...Buffer.from(eol));
    else out.push(byte);
  }
  return Uint8Array.from(out);
}

/**
 * The leaf paths where the two observations differ, each with the official and the wasm value
 * (a side without a value at that path has no key), in path order: the form the lists pin.
 */
function differences(official, wasm, path = '') {
  if (Object.is(official, wasm)) return [];
  const container = (v) => v !== null && typeof v === 'object';
  if (!container(official) || !container(wasm) || Array.isArray(official) !== Array.isArray(wasm)) {
    return [{ path, ...(official === undefined ? {} : { official }), ...(wasm === undefined ? {} : { wasm }) }];
  }
  const keys = [...new Set([...Object.keys(official), ...Object.keys(wasm)])];
  const step = (key) => (Array.isArray(official) ? `${path}[${key}]` : `${path}.${key}`);
  return keys.flatMap((key) => differences(official[key], wasm[key], step(key)));
}

const byPath = (a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

// ---------------------------------------------------------------------------------------------
// The known differences. Nothing depends on the line ends or the split on either side, so every
// entry covers all nine variants; each pins its differences exactly, and every case asserts that
// its differences are exactly those of its entries.

const EVERY_VARIANT = Object.keys(LINE_ENDS).flatMap((ending) =>
  Object.keys(SPLITS).map((split) => `${ending} ${split}`),
);

const errorOf = (className, message) => ({ class: className, message, status: null, error: null, type: null });
const ENDED_EARLY = errorOf('AnthropicError', 'the stream ended early: the stream ended in the middle of an event');
const USAGE_TYPE_ERROR = "Cannot read properties of undefined (reading 'output_tokens')";

/** The file ends inside its last event: the SDK ends with 'end' and finalMessage() rejects with
 * `sdkMessage`; the package emits 'error' (ended early) before 'end' and rejects with it. */
const endedEarlyHelpers = (endAt, sdkMessage) => [
  { path: `.helpers.seen[${endAt}][0]`, official: 'end', wasm: 'error' },
  { path: `.helpers.seen[${endAt}][1]`, wasm: ENDED_EARLY },
  { path: `.helpers.seen[${endAt + 1}]`, wasm: ['end'] },
  { path: '.helpers.thrown.message', official: sdkMessage, wasm: ENDED_EARLY.message },
];

/** Cases where the package does better and the SDK throws; `part` is where the SDK throws. */
const ALLOWED = [
  {
    fixture: 'docs-error-event.sse',
    variants: EVERY_VARIANT,
    part: 'helpers',
    reason: 'the file ends inside its only event (no blank line): both reject with an AnthropicError, in other words',
    differences: ['.helpers.seen[1][1].message', '.helpers.thrown.message'].map((path) => ({
      path,
      official: 'request ended without sending any chunks',
      wasm: ENDED_EARLY.message,
    })),
  },
  {
    fixture: 'docs-error-event.sse',
    variants: EVERY_VARIANT,
    part: 'iterated',
    reason: 'as above, for a `for await` loop over messages.stream()',
    differences: [{ path: '.iterated.thrown.message', official: 'request ended without sending any chunks', wasm: ENDED_EARLY.message }],
  },
  {
    fixture: 'docs-extended-thinking.sse',
    variants: EVERY_VARIANT,
    part: 'helpers',
    reason:
      'message_delta without usage: the SDK throws a TypeError (event.usage.output_tokens) and stops; ' +
      'the package applies it, then reports the missing message_stop (the file ends inside it)',
    differences: [
      { path: '.helpers.seen[20][0]', official: 'error', wasm: 'streamEvent' },
      { path: '.helpers.seen[20][1].class', official: 'AnthropicError' },
      { path: '.helpers.seen[20][1].delta', wasm: { stop_reason: 'end_turn', stop_sequence: null } },
      { path: '.helpers.seen[20][1].error', official: null },
      { path: '.helpers.seen[20][1].message', official: USAGE_TYPE_ERROR },
      { path: '.helpers.seen[20][1].status', official: null },
      { path: '.helpers.seen[20][1].type', official: null, wasm: 'message_delta' },
      {
        path: '.helpers.seen[20][2]',
        wasm: {
          id: 'msg_01...',
          type: 'message',
          role: 'assistant',
          content: [
            {
              type: 'thinking',
              thinking:
                'I need to find the GCD of 1071 and 462 using the Euclidean algorithm.\n\n1071 = 2 × 462 + 147\n' +
                '462 = 3 × 147 + 21\n147 = 7 × 21 + 0\nThe remainder is 0, so GCD(1071, 462) = 21.',
              signature: 'EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds...',
            },
            { type: 'text', text: 'The greatest common divisor of 1071 and 462 is **21**.' },
          ],
          model: 'claude-opus-4-8',
          stop_reason: 'end_turn',
          stop_sequence: null,
        },
      },
      { path: '.helpers.seen[21][0]', official: 'end', wasm: 'error' },
      { path: '.helpers.seen[21][1]', wasm: ENDED_EARLY },
      { path: '.helpers.seen[22]', wasm: ['end'] },
      { path: '.helpers.thrown.message', official: USAGE_TYPE_ERROR, wasm: ENDED_EARLY.message },
    ],
  },
  {
    fixture: 'docs-extended-thinking.sse',
    variants: EVERY_VARIANT,
    part: 'iterated',
    reason: 'as above, for a `for await` loop: the SDK throws before it yields the message_delta',
    differences: [
      {
        path: '.iterated.events[11]',
        wasm: { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null } },
      },
      { path: '.iterated.thrown.message', official: USAGE_TYPE_ERROR, wasm: ENDED_EARLY.message },
    ],
  },
  ...[
    ['docs-tool-use.sse', 47],
    ['sdk-py-beta-compaction.sse', 12],
    ['sdk-py-refusal-stop-details.sse', 6],
  ].map(([fixture, endAt]) => ({
    fixture,
    variants: EVERY_VARIANT,
    part: 'helpers',
    reason:
      'the file ends inside message_stop (no blank line): the SDK rejects finalMessage() without an error ' +
      'event, the package emits one',
    differences: endedEarlyHelpers(endAt, 'stream ended without producing a Message with role=assistant'),
  })),
  ...['docs-tool-use.sse', 'sdk-py-beta-compaction.sse', 'sdk-py-refusal-stop-details.sse'].map((fixture) => ({
    fixture,
    variants: EVERY_VARIANT,
    part: 'iterated',
    reason: 'as above, for a `for await` loop over messages.stream()',
    differences: [
      {
        path: '.iterated.thrown.message',
        official: 'stream ended without producing a Message with role=assistant',
        wasm: ENDED_EARLY.message,
      },
    ],
  })),
];

/** Differences the package must lose to match SDK 1.15.0 (each also runs as a `test.todo`):
 * none left. */
const PENDING = [];

// ---------------------------------------------------------------------------------------------

const CASES = FIXTURES.flatMap((fixture) =>
  Object.keys(LINE_ENDS).flatMap((ending) => Object.keys(SPLITS).map((split) => ({ fixture, ending, split }))),
);
const variantOf = ({ ending, split }) => `${ending} ${split}`;
const covers = (entry, testCase) =>
  entry.fixture === testCase.fixture && entry.variants.includes(variantOf(testCase));

/** Both observations of a case, computed once (the pending checks reuse them). */
const observed = new Map();
function observeCase(testCase) {
  const name = `${testCase.fixture} ${variantOf(testCase)}`;
  if (!observed.has(name)) {
    const bytes = withLineEnds(readFileSync(join(FIXTURES_DIR, testCase.fixture)), LINE_ENDS[testCase.ending]);
    const chunks = SPLITS[testCase.split](bytes, name);
    observed.set(name, (async () => {
      const official = await observe('official', chunks);
      const wasm = await observe('wasm', chunks);
      return { official, wasm, found: differences(official, wasm).sort(byPath) };
    })());
  }
  return observed.get(name);
}

test('the shared fixtures are all there', () => {
  assert.ok(FIXTURES.length >= 12, `expected the 12 shared fixtures in ${FIXTURES_DIR}, found ${FIXTURES.length}`);
});

test('every listed fixture exists and every allowed difference is where the SDK throws', () => {
  for (const entry of [...ALLOWED, ...PENDING]) assert.ok(FIXTURES.includes(entry.fixture), entry.fixture);
  for (const entry of ALLOWED) {
    for (const { path } of entry.differences) {
      assert.ok(path.startsWith(`.${entry.part}.`), `${entry.fixture}: ${path}`);
    }
  }
});

for (const testCase of CASES) {
  test(`${testCase.fixture} ${variantOf(testCase)}`, async () => {
    const { official, found } = await observeCase(testCase);
    for (const entry of ALLOWED.filter((e) => covers(e, testCase))) {
      assert.ok(official[entry.part].thrown, `allowed (${entry.reason}), but the SDK does not throw in ${entry.part}`);
    }
    const expected = [...ALLOWED, ...PENDING].filter((e) => covers(e, testCase)).flatMap((e) => e.differences);
    assert.deepEqual(found, expected.sort(byPath), 'the differences from SDK 1.15.0 are exactly the listed ones');
  });
}

for (const fixture of FIXTURES) {
  test(`${fixture}: neither library depends on the line ends or the split`, async () => {
    const [first, ...others] = CASES.filter((c) => c.fixture === fixture);
    const reference = await observeCase(first);
    for (const testCase of others) {
      const { official, wasm } = await observeCase(testCase);
      assert.deepEqual(official, reference.official, `SDK: ${variantOf(testCase)} against ${variantOf(first)}`);
      assert.deepEqual(wasm, reference.wasm, `anthropic-wasm: ${variantOf(testCase)} against ${variantOf(first)}`);
    }
  });
}

for (const entry of PENDING) {
  test.todo(`PENDING ${entry.fixture}: ${entry.reason}`, async () => {
    for (const testCase of CASES.filter((c) => covers(entry, c))) {
      const { found } = await observeCase(testCase);
      const paths = new Set(entry.differences.map((d) => d.path));
      assert.deepEqual(found.filter((d) => paths.has(d.path)), [], `${variantOf(testCase)} still differs`);
    }
  });
}
