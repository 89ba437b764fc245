// Cloudflare Workers: the wasm is imported as a compiled module (wrangler and Miniflare do this
// for .wasm imports); workerd cannot fetch or compile wasm at run time.
import wasmModule from './anthropic_wasm_bg.wasm';
import { startWasm } from './core/wasm.js';

startWasm(wasmModule);

export * from './client.js';
export * from './lib/helpers.js';
export { default } from './client.js';
