// Node: read the wasm from disk (Node's fetch has no file: URLs) and initialise it.
import { readFile } from 'node:fs/promises';
import { initSync } from './anthropic_wasm.js';
import { setWasmExports } from './memory.js';

setWasmExports(initSync({ module: await readFile(new URL('./anthropic_wasm_bg.wasm', import.meta.url)) }));

export * from './client.js';
export * from './helpers.js';
export { default } from './client.js';
