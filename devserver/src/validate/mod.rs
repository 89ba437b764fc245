//! The server's own request validation, written from the API's documented behaviour and the
//! OpenAPI spec (not shared with the client, so that one bug cannot hide in both).
//!
//! Two passes: [`shape`] checks the JSON against the request schema with the API's messages
//! (`messages.0.content.0.image.source.base64.media_type: Input should be …`), before anything
//! is deserialized; [`rules`] then checks what needs the model or the whole conversation
//! (prefill, `tool_use`/`tool_result` pairing, `max_tokens` against the model's limit…).

mod blocks;
pub mod check;
pub mod rules;
mod shape;
mod tools;

pub use shape::{batch_params, count_tokens, create};
