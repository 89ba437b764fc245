// A streaming tool input's preview object, kept up to date by the edit ops of the incremental
// partial-JSON parser in wasm (core/src/partial_json.rs, where the op table is documented):
// each fragment is parsed once and each value sent once, complete, so previews cost time
// linear in the input where re-parsing the whole buffer per fragment (as the official SDK)
// is quadratic. The previews are the SDK's partial-JSON parse of the text so far. Also the
// input a tool block ends with (the core's decision, shared with the Rust API).

import { helperTables, wasmCall } from '../core/wasm.js';
import { AnthropicError } from '../core/errors.js';

const PUT = 0;
const OBJECT = 1;
const ARRAY = 2;
const INVALID = 3;

/** Sets `container[key]` as `JSON.parse` would, also for the key `__proto__`. */
function set(container, key, value) {
  if (key === '__proto__') {
    Object.defineProperty(container, key, { value, writable: true, enumerable: true, configurable: true });
  } else {
    container[key] = value;
  }
}

export class PartialPreview {
  #parser;
  /** Containers by id; container 0 holds the top-level value at index 0. */
  #containers = [[]];
  #invalid = false;

  /** `parser` has `push(fragment) -> ops JSON text` (the wasm `PartialJsonPreview`). */
  constructor(parser) {
    this.#parser = parser;
  }

  /** A high surrogate that ended the last fragment: held back, since wasm takes UTF-8 and
   * would turn half a character into U+FFFD. */
  #carry = '';

  /** Feeds the next fragment of the input's JSON text. */
  push(fragment) {
    if (this.#invalid || !this.#parser || !fragment) return;
    let text = this.#carry + fragment;
    const last = text.charCodeAt(text.length - 1);
    this.#carry = last >= 0xd800 && last <= 0xdbff ? text.slice(-1) : '';
    if (this.#carry) text = text.slice(0, -1);
    if (text) this.apply(JSON.parse(this.#parser.push(text)));
  }

  /** Applies one batch of ops (a flat array). */
  apply(ops) {
    const containers = this.#containers;
    for (let i = 0; i < ops.length; ) {
      const op = ops[i];
      if (op === INVALID) {
        this.#invalid = true;
        this.#containers = [[]];
        return;
      }
      const container = containers[ops[i + 1]];
      const key = ops[i + 2];
      switch (op) {
        case PUT:
          set(container, key, ops[i + 3]);
          i += 4;
          break;
        case OBJECT:
        case ARRAY: {
          const value = op === ARRAY ? [] : {};
          set(container, key, value);
          containers[ops[i + 3]] = value;
          i += 4;
          break;
        }
        default:
          throw new Error(`partial JSON preview: unknown op ${op}`);
      }
    }
  }

  /** The preview: `{}` before anything but whitespace (a tool block's initial input), `null`
   * once the text cannot be JSON, else the value so far (the same object, updated in place). */
  get value() {
    if (this.#invalid) return null;
    const holder = this.#containers[0];
    return holder.length ? holder[0] : {};
  }

  /** Releases the wasm parser. */
  free() {
    this.#parser?.free?.();
    this.#parser = undefined;
  }
}

/** A best-effort parse of unfinished tool input; nothing yet is the block's initial `{}`. */
export function previewInput(input) {
  return input.trim() ? JSON.parse(wasmCall('parsePartialJson', input) ?? 'null') : {};
}

/**
 * The input of a tool block that has stopped, by the core's decision (the official SDK's
 * partial-JSON parse of it: the document, or the preview of one cut short); where the SDK's
 * parse throws, this throws its error, which fails the stream as there.
 */
export function stoppedInput(input) {
  // A complete object or array: the SDK's parser drops nothing of it, JSON.parse is its parse.
  if (/^\s*[[{]/.test(input)) {
    try {
      return JSON.parse(input);
    } catch {
      // Cut short or not JSON: the core decides.
    }
  }
  const [code, value] = JSON.parse(wasmCall('finishToolInput', input));
  const { VALUE, NOT_JSON } = helperTables().toolInputEnd;
  if (code === VALUE) return value;
  // The text its JSON.parse sees: the text itself, or nothing when its parser drops it all.
  throw invalidToolInput(code === NOT_JSON ? input : '');
}

/** The official MessageStream's error for a tool input its parser throws on: an
 * AnthropicError with the message of JSON.parse's SyntaxError on `parsed`, which is its cause. */
function invalidToolInput(parsed) {
  let cause;
  try {
    JSON.parse(parsed);
  } catch (error) {
    cause = error;
  }
  const error = new AnthropicError(cause?.message ?? 'the tool input is not JSON');
  error.cause = cause;
  return error;
}
