// Node: read the wasm from disk (Node's fetch has no file: URLs) and start it.
import { readFile } from 'node:fs/promises';
import { startWasm } from './core/wasm.js';

startWasm(await readFile(new URL('./anthropic_wasm_bg.wasm', import.meta.url)));

export * from './client.js';
export * from './lib/helpers.js';
export { default } from './client.js';
