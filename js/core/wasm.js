// The wasm's decisions, as the JS shell reads them: the module's plain exports (npm/src/abi.rs)
// behind one call by name, the stream decoder and the tool-input preview. A call writes its
// arguments into the module's input buffer and reads the answer at the address it returns
// (`[length u32 LE][tag u8][bytes]`). Tables are read on first use, after the entry point has
// started the module.

let exports;
/** A view of the wasm memory, made again when the memory has grown (its old buffer is then
 * detached and the view's length 0). */
let bytes = new Uint8Array(0);
/** The input buffer: its address and the room it has (both known after any `input` call). */
let inputAt = 0;
let inputRoom = 0;

const utf8 = new TextDecoder();
const utf8Encoder = new TextEncoder();
const number = new Float64Array(1);
const numberBytes = new Uint8Array(number.buffer);
/** Text longer than this is encoded to its exact length first, so that the input buffer does
 * not grow to three times its length. */
const LONG_TEXT = 16384;

const TAG_UNDEFINED = 0;
const TAG_JSON = 2;
const TAG_ERROR = 3;

function memory() {
  if (bytes.byteLength === 0) bytes = new Uint8Array(exports.memory.buffer);
  return bytes;
}

function room(length) {
  if (length > inputRoom) {
    inputAt = exports.input(length) >>> 0;
    inputRoom = length;
    bytes = new Uint8Array(0);
  }
}

/** Writes `values` (text, numbers, booleans, `undefined`/`null`) as the module's arguments;
 * their length in bytes. */
function writeArguments(values) {
  let most = 0;
  const long = [];
  for (const value of values) {
    if (typeof value !== 'string') most += 9;
    else if (value.length <= LONG_TEXT) most += 5 + 3 * value.length;
    else {
      const encoded = utf8Encoder.encode(value);
      long.push(encoded);
      most += 5 + encoded.length;
    }
  }
  room(most);
  const b = memory();
  let at = inputAt;
  for (const value of values) {
    if (typeof value === 'string') {
      let length;
      if (value.length <= LONG_TEXT) {
        length = utf8Encoder.encodeInto(value, b.subarray(at + 5, at + 5 + 3 * value.length)).written;
      } else {
        const encoded = long.shift();
        b.set(encoded, at + 5);
        length = encoded.length;
      }
      b[at] = 1;
      b[at + 1] = length;
      b[at + 2] = length >>> 8;
      b[at + 3] = length >>> 16;
      b[at + 4] = length >>> 24;
      at += 5 + length;
    } else if (value === undefined || value === null) {
      b[at++] = TAG_UNDEFINED;
    } else {
      number[0] = Number(value);
      b[at] = 2;
      b.set(numberBytes, at + 1);
      at += 9;
    }
  }
  return at - inputAt;
}

/** The answer at `at`: `undefined`, text or a parsed JSON value; an error's message is thrown. */
function readAnswer(at) {
  const b = memory();
  at >>>= 0;
  const length = (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;
  const tag = b[at + 4];
  if (tag === TAG_UNDEFINED) return undefined;
  const text = utf8.decode(b.subarray(at + 5, at + 5 + length));
  if (tag === TAG_JSON) return JSON.parse(text);
  if (tag === TAG_ERROR) throw new Error(text);
  return text;
}

/** Runs the wasm operation `name` (npm/src/ops.rs) on `args`. */
export function wasmCall(name, ...args) {
  args.unshift(name);
  return readAnswer(exports.call(writeArguments(args)));
}

/** What runs once the module has started: setup that reads its tables (the entry modules start
 * it after every other module has been evaluated). */
const onStart = [];
export const whenStarted = (setup) => onStart.push(setup);

function started(instance) {
  exports = instance.exports;
  for (const setup of onStart) setup();
}

/** Starts the module from its compiled `WebAssembly.Module` or its bytes. */
export function startWasm(module) {
  started(new WebAssembly.Instance(module instanceof WebAssembly.Module ? module : new WebAssembly.Module(module), {}));
}

/** Fetches, compiles and starts the module (streaming compilation when served as wasm). */
export async function loadWasm(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const streaming = response.headers.get('content-type')?.startsWith('application/wasm');
  const { instance } = streaming
    ? await WebAssembly.instantiateStreaming(response, {})
    : await WebAssembly.instantiate(await response.arrayBuffer(), {});
  started(instance);
}

// A decoder or preview that is dropped without `free()` (a stream abandoned mid-way) is freed
// when it is collected.
const unfreed = new FinalizationRegistry(([free, handle]) => exports[free](handle));

/** One streamed response's decoder (npm/src/abi.rs `StreamDecoder`). */
export class StreamDecoder {
  #handle;

  /** `secrets`: the request's credentials, one a line; the limits are the client's
   * `maxEventBytes` and `maxToolInputBytes`. */
  constructor(secrets, maxEventBytes, maxToolInputBytes) {
    this.#handle = exports.decoder_new(writeArguments([secrets]), maxEventBytes, maxToolInputBytes);
    unfreed.register(this, ['decoder_free', this.#handle], this);
  }

  /** Feeds a chunk; the address of the batch of the events it completed (see `readBatch`).
   * `full`: whole events for the hot deltas too. */
  push(chunk, full) {
    room(chunk.length);
    memory().set(chunk, inputAt);
    return exports.decoder_push(this.#handle, chunk.length, full) >>> 0;
  }

  /** The body ended: as `push`, with an `INCOMPLETE` item if it ended short of message_stop. */
  end(full) {
    return exports.decoder_end(this.#handle, full) >>> 0;
  }

  /** Why the stream ended early (the descriptor's JSON text), once a batch ended so. */
  failure() {
    return readAnswer(exports.decoder_failure(this.#handle));
  }

  free() {
    if (!this.#handle) return;
    unfreed.unregister(this);
    exports.decoder_free(this.#handle);
    this.#handle = 0;
  }
}

/** A streaming tool input's preview: `push(fragment)` answers the edit ops (JSON text) that
 * bring it up to date, so a preview per fragment costs the fragment. */
export class PartialJsonPreview {
  #handle = exports.preview_new();

  constructor() {
    unfreed.register(this, ['preview_free', this.#handle], this);
  }

  push(fragment) {
    room(3 * fragment.length);
    const { written } = utf8Encoder.encodeInto(fragment, memory().subarray(inputAt, inputAt + 3 * fragment.length));
    return readAnswer(exports.preview_push(this.#handle, written));
  }

  free() {
    if (!this.#handle) return;
    unfreed.unregister(this);
    exports.preview_free(this.#handle);
    this.#handle = 0;
  }
}

let tables;
const allTables = () => (tables ??= wasmCall('tables'));

/** The stream codec's tables: `ops` (name → number) and the `messageDelta` rule. */
export const streamTables = () => allTables().stream;

/** The helpers' code table: `toolInputEnd` (name → number), the outcomes of a finished tool
 * input (core/src/partial_json/finish.rs). */
export const helperTables = () => allTables().helpers;

/** The client defaults shared with the Rust client: baseURL, apiVersion, timeout, maxRetries. */
export const DEFAULTS = () => allTables().defaults;

/** The classes of `error_code`s, `[name, parent name]` each (core/src/error_classes.rs). */
export const errorCodeClasses = () => allTables().errorCodeClasses;

/** The batch at `at` in wasm memory (`[length u32 LE][JSON]`), parsed; `null` when empty. */
export function readBatch(at) {
  const b = memory();
  const length = (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;
  return length ? JSON.parse(utf8.decode(b.subarray(at + 4, at + 4 + length))) : null;
}
