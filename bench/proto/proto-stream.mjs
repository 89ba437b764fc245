// Prototype of the codec-driven MessageStream (issue 12 design, measured before the move):
// JS reads the body, wasm decodes each chunk into one batch, JS parses the batch once and
// accumulates on the wire JSON (the message_start object, mutated in place).
import init, { Codec, rules } from '../../target/proto/codec.js';
import { readFileSync } from 'node:fs';

const wasm = await init({ module_or_path: readFileSync(new URL('../../target/proto/codec_opt.wasm', import.meta.url)) });
const OP = JSON.parse(rules()).ops;
const decoder = new TextDecoder();

export class ProtoStream {
  #listeners = {};
  #queue = [];
  #head = 0;
  #waiters = [];
  #iterating = false;
  #snapshot;
  #inputs = [];
  #done;
  #resolveDone;
  #rejectDone;
  ended = false;

  constructor(responsePromise) {
    this.#done = new Promise((resolve, reject) => {
      this.#resolveDone = resolve;
      this.#rejectDone = reject;
    });
    this.#done.catch(() => {});
    this.#run(responsePromise);
  }

  on(event, listener) {
    (this.#listeners[event] ??= []).push(listener);
    return this;
  }

  async finalMessage() {
    await this.#done;
    return this.#snapshot;
  }

  [Symbol.asyncIterator]() {
    this.#iterating = true;
    return {
      next: () => {
        if (this.#head < this.#queue.length) {
          const value = this.#queue[this.#head++];
          if (this.#head > 4096 && this.#head * 2 > this.#queue.length) {
            this.#queue = this.#queue.slice(this.#head);
            this.#head = 0;
          }
          return Promise.resolve({ value, done: false });
        }
        if (this.ended) return this.#done.then(() => ({ value: undefined, done: true }));
        return new Promise((resolve, reject) => this.#waiters.push({ resolve, reject }));
      },
    };
  }

  async #run(responsePromise) {
    try {
      const response = await responsePromise;
      const reader = response.body.getReader();
      const codec = new Codec();
      for (;;) {
        const { done, value } = await reader.read();
        const full = this.#iterating || Boolean(this.#listeners.streamEvent);
        const at = done ? codec.end(full) : codec.push(value, full);
        const memory = new Uint8Array(wasm.memory.buffer);
        const length = memory[at] | (memory[at + 1] << 8) | (memory[at + 2] << 16) | (memory[at + 3] << 24);
        if (length) {
          const items = JSON.parse(decoder.decode(memory.subarray(at + 4, at + 4 + length)));
          for (let i = 0; i < items.length; i += 3) this.#apply(items[i], items[i + 1], items[i + 2], full);
        }
        if (done) break;
      }
      codec.free();
      this.ended = true;
      for (const w of this.#waiters.splice(0)) w.resolve({ value: undefined, done: true });
      this.#resolveDone();
    } catch (error) {
      this.ended = true;
      for (const w of this.#waiters.splice(0)) w.reject(error);
      this.#rejectDone(error);
    }
  }

  #emit(name, a, b) {
    const listeners = this.#listeners[name];
    if (listeners) for (const l of listeners) l(a, b);
  }

  #event(event) {
    if (this.#iterating) {
      const waiter = this.#waiters.shift();
      if (waiter) waiter.resolve({ value: event, done: false });
      else this.#queue.push(event);
    }
    if (this.#listeners.streamEvent) this.#emit('streamEvent', event, this.#snapshot);
  }

  #apply(op, index, payload, full) {
    const snapshot = this.#snapshot;
    switch (op) {
      case OP.TEXT: {
        const block = snapshot.content[index];
        const text = full ? payload.delta.text : payload;
        block.text += text;
        if (full) this.#event(payload);
        if (this.#listeners.text) this.#emit('text', text, block.text);
        return;
      }
      case OP.INPUT_JSON: {
        this.#inputs[index] = (this.#inputs[index] ?? '') + (full ? payload.delta.partial_json : payload);
        if (full) this.#event(payload);
        return;
      }
      case OP.THINKING: {
        const block = snapshot.content[index];
        block.thinking += full ? payload.delta.thinking : payload;
        if (full) this.#event(payload);
        return;
      }
      case OP.MESSAGE_START:
        this.#snapshot = payload.message;
        break;
      case OP.BLOCK_START:
        snapshot.content.push({ ...payload.content_block });
        break;
      case OP.BLOCK_STOP: {
        const input = this.#inputs[index];
        if (input !== undefined) snapshot.content[index].input = input ? JSON.parse(input) : {};
        break;
      }
      case OP.MESSAGE_DELTA: {
        for (const key in payload.delta) if (key !== 'container' || payload.delta[key] != null) snapshot[key] = payload.delta[key];
        if (payload.usage) {
          const usage = (snapshot.usage ??= {});
          for (const key in payload.usage) if (payload.usage[key] != null) usage[key] = payload.usage[key];
        }
        break;
      }
      case OP.MESSAGE_STOP:
      case OP.RAW:
        break;
      default:
        throw new Error(`stream failed: ${JSON.stringify(payload)}`);
    }
    this.#event(payload);
  }
}
