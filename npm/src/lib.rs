//! The npm package's wasm: the protocol core's decisions, exported to the JS shell over bytes
//! and JSON text. The boundary is thin on purpose: on the hot path one call per network
//! chunk, whose batch JS reads straight out of wasm memory and parses with one `JSON.parse`.
#![deny(missing_docs)]

use anthropic_wasm_core::stream::StreamCodec;
use wasm_bindgen::prelude::*;

/// The stream codec of one response (see `anthropic_wasm_core::stream`).
#[wasm_bindgen]
pub struct Codec {
    codec: StreamCodec,
    /// The last batch, behind a 4-byte little-endian length, so that one call returns both.
    out: Vec<u8>,
}

#[wasm_bindgen]
impl Codec {
    /// A codec at the start of a response body.
    #[wasm_bindgen(constructor)]
    pub fn new() -> Codec {
        Codec {
            codec: StreamCodec::new(),
            out: Vec::new(),
        }
    }

    /// Decodes a chunk; returns the address of `[length: u32 LE][batch bytes]` in wasm
    /// memory, valid until the next call (length 0: nothing completed).
    pub fn push(&mut self, chunk: &[u8], full: bool) -> usize {
        let batch = self.codec.push(chunk, full);
        frame(&mut self.out, batch)
    }

    /// The body ended; as `push`.
    pub fn end(&mut self, full: bool) -> usize {
        let batch = self.codec.end(full);
        frame(&mut self.out, batch)
    }
}

impl Default for Codec {
    fn default() -> Self {
        Self::new()
    }
}

fn frame(out: &mut Vec<u8>, batch: &[u8]) -> usize {
    out.clear();
    out.extend_from_slice(&(batch.len() as u32).to_le_bytes());
    out.extend_from_slice(batch);
    out.as_ptr() as usize
}

/// The stream codec's tables (ops, message-delta rule) as JSON.
#[wasm_bindgen]
pub fn rules() -> String {
    anthropic_wasm_core::stream::rules_json()
}
