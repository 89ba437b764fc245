// Browsers and bundlers: fetch the wasm next to this file and start it before use.
import { loadWasm } from './core/wasm.js';

const wasmUrl = new URL('./anthropic_wasm_bg.wasm', import.meta.url);
try {
  await loadWasm(wasmUrl);
} catch (cause) {
  // The usual cause: a dev server pre-bundled this file away from the .wasm beside it.
  throw new Error(
    `anthropic-wasm: cannot load its WebAssembly from ${wasmUrl} (${cause}). A dev server that ` +
      "pre-bundles dependencies must leave this package alone (Vite: optimizeDeps: { exclude: ['anthropic-wasm'] }).",
    { cause },
  );
}

export * from './client.js';
export * from './lib/helpers.js';
export { default } from './client.js';
