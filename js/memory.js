// The wasm instance's memory, set by the entry point once it has initialised the wasm: the
// stream codec's batches are read straight out of it (one JSON text per network chunk).
let memory;

export function setWasmExports(exports) {
  memory = exports.memory;
}

export function wasmMemory() {
  return memory;
}
