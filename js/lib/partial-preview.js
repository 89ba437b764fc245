// A streaming tool input's preview object, kept up to date by the edit ops of the incremental
// partial-JSON parser in wasm (core/src/partial_json.rs, where the op table is documented):
// each fragment is parsed once and each value sent once, complete, so previews cost time
// linear in the input where re-parsing the whole buffer per fragment (as the official SDK)
// is quadratic. The previews are the SDK's partial-JSON parse of the text so far.

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
