// Baseline for bench/worker-size.mjs: a Worker with no wasm, answering the same shape of reply.
export default {
  async fetch() {
    const before = performance.now();
    const error = 'max_tokens: Field required';
    return Response.json({ name: 'none', message: error, elapsedInside: performance.now() - before });
  },
};
