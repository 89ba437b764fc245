//! anthropic-wasm: an Anthropic Messages API client for browsers, Cloudflare Workers and Node.
//!
//! The protocol core (everything below) is pure Rust with no web-sys, js-sys or wasm-bindgen
//! imports, so that plain `cargo test` exercises what a stream, an error or a retry means.
#![deny(missing_docs)]

pub mod accumulate;
pub mod client;
pub mod error;
#[cfg(target_arch = "wasm32")]
pub mod fetch;
pub mod helpers;
pub mod partial_json;
pub use anthropic_wasm_core::{headers, retry, sse, types};
pub mod validate;
