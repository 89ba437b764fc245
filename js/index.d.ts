// Types of the anthropic-wasm package. (Being completed: see js/client.js for the API.)
export * from './client.js';
export { default } from './client.js';
