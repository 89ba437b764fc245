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
/// Best-effort parsing of an unfinished JSON document (a streamed tool input), by the rules of
/// `anthropic_wasm_core::partial_json`: the official SDK 1.15's partial-JSON parser, whose
/// table of what an unfinished piece becomes is there. One home for the rules, shared with the
/// npm package.
pub mod partial_json {
    use serde_json::Value;

    /// The most complete value a prefix of a JSON document shows: an unfinished string, number
    /// or literal is left out with its key, open containers are closed, and a top-level value
    /// that shows nothing yet is `Value::Null`. `None` when the text is empty or whitespace,
    /// not a prefix of JSON `serde_json` accepts, or nests deeper than `serde_json` allows. A
    /// complete container gives what `serde_json::from_str` gives. Linear, never panics.
    pub fn parse_partial(text: &str) -> Option<Value> {
        let preview = anthropic_wasm_core::partial_json::preview(text)?;
        serde_json::from_str(&preview).ok()
    }
}
pub use anthropic_wasm_core::{headers, retry, sse, stream, types};
pub mod validate;
