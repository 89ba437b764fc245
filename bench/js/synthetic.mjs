// The synthetic Messages stream the stream benchmark serves, in the wire format of the real
// transcripts (shared/fixtures/sse): message_start with usage, one text block of N text_delta
// events (ASCII, JSON escapes, multi-byte UTF-8), a ping every 1000 events, a tool_use block whose
// input arrives as 10 000 input_json_delta fragments (a ~200 KB object), message_delta
// (tool_use, usage) and message_stop. Deterministic: the same N gives the same bytes.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const TOOL_FRAGMENTS = 10_000;

// Text deltas cycle through these; `${i}` makes each one distinct. The emoji is a surrogate pair
// in JS and 4 bytes in UTF-8, so 1–7-byte chunks split it and the other multi-byte characters.
const TEXTS = [
  (i) => ` word${i}`,
  () => ' caf\u00e9 \u2014 na\u00efve',
  () => '\n"quoted" \\ back',
  () => ' \u65e5\u672c\u8a9e\u{1F980}',
  () => ' and',
  () => '\t{"json":"in text"}',
];

/** FNV-1a over UTF-16 code units: a cheap fingerprint of the final text, checked after timing. */
export function textHash(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** The tool input object, ~200 KB of JSON (only BMP characters: fragments never split a pair). */
export function toolInput() {
  const lines = [];
  for (let i = 0; i < 4_700; i++) lines.push(`line ${i}: "quoted" caf\u00e9 \u2713 \\ tab\tend`);
  return { path: 'src/bench.rs', overwrite: true, mode: 420, lines, meta: { author: 'bench', tags: ['a', 'b'], ratio: 0.5 } };
}

/**
 * The body as bytes, and what a client must end up with: `events` (every SSE event, pings
 * included), `pings`, `textDeltas`, `textLength` and `textHash` of the final text, `toolJson`.
 */
export function syntheticBody(textDeltas = 100_000) {
  const parts = [];
  let sincePing = 0;
  let pings = 0;
  const event = (name, data) => {
    parts.push(`event: ${name}\ndata: ${data}\n\n`);
    if (++sincePing === 1000) {
      parts.push('event: ping\ndata: {"type": "ping"}\n\n');
      pings++;
      sincePing = 0;
    }
  };
  event('message_start', JSON.stringify({
    type: 'message_start',
    message: {
      id: 'msg_bench', type: 'message', role: 'assistant', model: 'claude-bench', content: [],
      stop_reason: null, stop_sequence: null,
      usage: { input_tokens: 377, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 1, service_tier: 'standard' },
    },
  }));
  event('content_block_start', '{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}');
  let textLength = 0;
  let h = 0x811c9dc5;
  for (let i = 0; i < textDeltas; i++) {
    const t = TEXTS[i % TEXTS.length](i);
    for (let k = 0; k < t.length; k++) h = Math.imul(h ^ t.charCodeAt(k), 0x01000193) >>> 0;
    textLength += t.length;
    event('content_block_delta', JSON.stringify({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: t } }));
  }
  event('content_block_stop', '{"type":"content_block_stop","index":0}');
  event('content_block_start', '{"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_bench","name":"write_file","input":{}}}');
  const toolJson = JSON.stringify(toolInput());
  // Fragment lengths vary (deterministically) around the mean, so splits land anywhere: inside
  // keys, strings and escapes. The first fragment is empty, as in the real transcripts.
  const mean = toolJson.length / TOOL_FRAGMENTS;
  let at = 0;
  for (let f = 0; f < TOOL_FRAGMENTS; f++) {
    const end = f === TOOL_FRAGMENTS - 1 ? toolJson.length : Math.min(toolJson.length, Math.round(mean * (f + 1) + ((f * 37) % 11) - 5));
    const piece = f === 0 ? '' : toolJson.slice(at, Math.max(at, end));
    at += piece.length;
    event('content_block_delta', JSON.stringify({ type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: piece } }));
  }
  if (at !== toolJson.length) throw new Error('synthetic: tool fragments do not cover the input');
  event('content_block_stop', '{"type":"content_block_stop","index":1}');
  event('message_delta', '{"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":123456}}');
  event('message_stop', '{"type":"message_stop"}');
  const bytes = new TextEncoder().encode(parts.join(''));
  return {
    bytes,
    expected: { events: parts.length, pings, textDeltas, toolFragments: TOOL_FRAGMENTS, textLength, textHash: h, bytes: bytes.length, toolJson },
  };
}

/**
 * The body from a cache file in the temp directory (written on first use), so a measured process
 * reads it from disk instead of building it: its memory peak before the request stays low.
 * The cache key includes this file's source, so a changed generator never serves stale bytes.
 * Returns `expected`, the file's `path` (the native loopback server reads it) and `readBytes()`
 * (a process that only talks to the server needs no body).
 */
export function cachedBody(textDeltas) {
  const source = readFileSync(new URL(import.meta.url));
  const key = createHash('sha256').update(source).update(String(textDeltas)).digest('hex').slice(0, 16);
  const dir = join(tmpdir(), 'anthropic-wasm-stream-bench');
  const bodyPath = join(dir, `${key}.sse`);
  const expectPath = join(dir, `${key}.json`);
  if (!existsSync(bodyPath) || !existsSync(expectPath)) {
    const { bytes, expected } = syntheticBody(textDeltas);
    mkdirSync(dir, { recursive: true });
    // Write then rename: a concurrent reader never sees half a file.
    writeFileSync(`${bodyPath}.${process.pid}`, bytes);
    writeFileSync(`${expectPath}.${process.pid}`, JSON.stringify(expected));
    renameSync(`${bodyPath}.${process.pid}`, bodyPath);
    renameSync(`${expectPath}.${process.pid}`, expectPath);
  }
  // A plain Uint8Array view of the file's bytes (no copy), not a Buffer: what a fetch body holds.
  const readBytes = () => {
    const buffer = readFileSync(bodyPath);
    return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length);
  };
  return { expected: JSON.parse(readFileSync(expectPath, 'utf8')), path: bodyPath, readBytes };
}

/**
 * Chunk sizes: `64k` is 65 536 bytes each; `tiny` is 1–7 bytes from a fixed-seed xorshift, so
 * every run and both transports cut the body at the same places. Returns a function giving the
 * next size (no array: 1M deltas make ~25 M tiny chunks).
 */
export function chunkSizes(chunking) {
  if (chunking === '64k') return () => 65_536;
  if (chunking !== 'tiny') throw new Error(`unknown chunking ${chunking} (64k or tiny)`);
  let x = 0x9e3779b9;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return 1 + ((x >>> 0) % 7);
  };
}
