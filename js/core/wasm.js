// The wasm's decisions, as the JS shell reads them: its exports (the wasm-bindgen glue) and its
// memory, which the entry point sets once it has initialised the wasm. Tables are read on first
// use, because this module is evaluated before the entry point initialises the wasm.
import { clientDefaults, helperRules, streamRules } from '../anthropic_wasm.js';

export * as wasm from '../anthropic_wasm.js';

let memory;

/** Called by the entry point (index.js, node.js, workerd.js) with the initialised exports. */
export function setWasmExports(exports) {
  memory = exports.memory;
}

let rules;
let helpers;
let defaults;

/** The stream codec's tables: `ops` (name → number) and the `messageDelta` rule. */
export const streamTables = () => (rules ??= JSON.parse(streamRules()));

/** The helpers' code table: `toolInputEnd` (name → number), the outcomes of a finished tool
 * input (core/src/partial_json/finish.rs). */
export const helperTables = () => (helpers ??= JSON.parse(helperRules()));

/** The client defaults shared with the Rust client: baseURL, apiVersion, timeout, maxRetries. */
export const DEFAULTS = () => (defaults ??= JSON.parse(clientDefaults()));

const utf8 = new TextDecoder();
let bytes = new Uint8Array(0);

/** The batch at `at` in wasm memory (`[length u32 LE][JSON]`), parsed; `null` when empty. */
export function readBatch(at) {
  // The view is made again only when the memory has grown (its old buffer is then detached).
  if (bytes.byteLength === 0) bytes = new Uint8Array(memory.buffer);
  const length = (bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (bytes[at + 3] << 24)) >>> 0;
  return length ? JSON.parse(utf8.decode(bytes.subarray(at + 4, at + 4 + length))) : null;
}
