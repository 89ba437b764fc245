// Node: read the wasm from disk (Node's fetch has no file: URLs) and initialise it.
import { readFile } from 'node:fs/promises';
import { initSync } from './anthropic_wasm.js';
import { setWasmExports } from './core/wasm.js';

setWasmExports(initSync({ module: await readFile(new URL('./anthropic_wasm_bg.wasm', import.meta.url)) }));

export * from './client.js';
export * from './lib/helpers.js';
export { default } from './client.js';
