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
pub mod headers;
pub mod helpers;
#[cfg(target_arch = "wasm32")]
pub mod js;
#[cfg(target_arch = "wasm32")]
pub mod js_helpers;
pub mod partial_json;
pub mod retry;
pub use anthropic_wasm_core::sse;
pub mod types;
pub mod validate;
