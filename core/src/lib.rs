//! The protocol core of anthropic-wasm: what a stream, a request, an error or a retry means,
//! as functions and objects over bytes and JSON text. No web bindings (wasm-bindgen, web-sys,
//! js-sys), and the typed (serde) model of messages only behind the `types` feature: the npm
//! package's wasm is built on the rest alone, and it is tested natively with `cargo test`.
#![deny(missing_docs)]
// No std unless the serde types are on: the npm package's wasm then has no std panic
// machinery (npm/src/lib.rs).
#![cfg_attr(not(any(test, feature = "types")), no_std)]

extern crate alloc;

pub use anthropic_wasm_codec::{json, prelude, sse, stream, text};

pub mod api_error;
pub mod error_classes;
pub mod headers;
pub mod history;
mod numbers;
pub mod partial_json;
pub mod request;
pub mod retry;
pub mod tree;
#[cfg(feature = "types")]
pub mod types;
pub mod validate;
