// `anthropic-wasm/streaming` and `/core/streaming`, as SDK 1.15's: the package's own `Stream`.
export { Stream } from 'anthropic-wasm';
