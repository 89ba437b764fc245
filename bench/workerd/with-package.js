// For bench/worker-size.mjs: imports anthropic-wasm (its wasm compiled and instantiated when the
// Worker starts), and on each request builds a client and has it validate a request (no network).
import Anthropic from 'anthropic-wasm';

export default {
  async fetch() {
    const before = performance.now();
    const client = new Anthropic({ apiKey: 'sk-bench', baseURL: 'http://127.0.0.1:9' });
    const error = await client.messages.create({ model: 'claude-haiku-4-5', messages: [] }).catch((e) => e);
    return Response.json({ name: error.constructor.name, message: error.message, elapsedInside: performance.now() - before });
  },
};
