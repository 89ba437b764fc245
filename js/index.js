// Browsers and bundlers: fetch the wasm next to this file and initialise it before use.
import init from './anthropic_wasm.js';

await init({ module_or_path: new URL('./anthropic_wasm_bg.wasm', import.meta.url) });

export * from './client.js';
export * from './helpers.js';
export { default } from './client.js';
