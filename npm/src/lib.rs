//! The wasm of the npm package: the protocol core's decisions, exported to the JS shell. The
//! shell does the I/O (`fetch`, timers, abort) and calls in here to decide: once per network
//! chunk of a stream, once per failed attempt, once per request check. Values cross as bytes,
//! numbers and JSON text; nothing here builds JS objects, and nothing can panic.

use wasm_bindgen::prelude::*;

use anthropic_wasm_core::stream::{Limits, StreamCodec};

mod check;
mod failure;
#[cfg(any(target_arch = "wasm32", test))]
mod heap;
mod rules;

#[cfg(target_arch = "wasm32")]
#[global_allocator]
static HEAP: heap::PageHeap = heap::PageHeap::new();

pub use check::check_request;
pub use failure::{failed_response, retry_delay};
pub use rules::{
    estimate_tokens, finish_tool_input, first_json_value, helper_rules, history_cut_points,
    normalize_messages, parse_partial_json, PartialJsonPreview,
};

/// One streamed response's decoder: the stream codec plus the batch buffer JS reads.
#[wasm_bindgen]
pub struct StreamDecoder {
    codec: StreamCodec,
    /// The last batch behind its 4-byte little-endian length (see `push`).
    batch: Vec<u8>,
    /// The credentials to remove from text that came from elsewhere (error events, excerpts).
    secrets: Vec<String>,
    /// The response's `request-id`, named in a mid-stream error.
    request_id: Option<String>,
}

#[wasm_bindgen]
impl StreamDecoder {
    /// A decoder; `secrets` are the request's credentials, one a line; the limits are the
    /// client's `maxEventBytes` and `maxToolInputBytes`.
    #[wasm_bindgen(constructor)]
    pub fn new(
        secrets: &str,
        request_id: Option<String>,
        max_event_bytes: usize,
        max_tool_input_bytes: usize,
    ) -> StreamDecoder {
        StreamDecoder {
            codec: StreamCodec::with_limits(Limits {
                max_event_bytes,
                max_tool_input_bytes,
            }),
            batch: Vec::new(),
            secrets: secret_list(secrets),
            request_id,
        }
    }

    /// Feeds a chunk of the body; returns the address in wasm memory of the batch of the
    /// events it completed, behind its length (`[length: u32 LE][batch]`, length 0: none),
    /// valid until the next call. `full`: whole events for the hot deltas too (someone
    /// iterates the events or listens to `streamEvent`). See `anthropic_wasm_core::stream`.
    pub fn push(&mut self, chunk: &[u8], full: bool) -> usize {
        self.batch.clear();
        self.batch.extend_from_slice(&[0; 4]);
        self.batch.extend_from_slice(self.codec.push(chunk, full));
        self.frame()
    }

    /// The body ended: as `push`, with an `INCOMPLETE` item if it ended short of
    /// `message_stop`.
    pub fn end(&mut self, full: bool) -> usize {
        self.batch.clear();
        self.batch.extend_from_slice(&[0; 4]);
        self.batch.extend_from_slice(self.codec.end(full));
        self.frame()
    }

    /// Why the stream ended early, once a batch ended with a terminal item: the JSON
    /// descriptor the shell turns into an error (`undefined` if it did not end so).
    pub fn failure(&self) -> Option<String> {
        let (op, payload) = self.codec.terminal()?;
        Some(failure::stream_failure(
            op,
            payload,
            self.request_id.as_deref(),
            &self.secret_refs(),
        ))
    }
}

impl StreamDecoder {
    /// Frames the batch written after the 4 bytes of its length, with the credentials
    /// removed once the stream has ended (an error event or a bad event's excerpt is text
    /// from elsewhere, which could echo them).
    fn frame(&mut self) -> usize {
        if self.codec.has_ended() {
            let text = String::from_utf8_lossy(self.batch.get(4..).unwrap_or_default());
            let clean = anthropic_wasm_core::api_error::redact(&text, &self.secret_refs());
            self.batch.truncate(4);
            self.batch.extend_from_slice(clean.as_bytes());
        }
        let length = u32::try_from(self.batch.len().saturating_sub(4)).unwrap_or(u32::MAX);
        if let Some(head) = self.batch.get_mut(..4) {
            head.copy_from_slice(&length.to_le_bytes());
        }
        self.batch.as_ptr() as usize
    }

    fn secret_refs(&self) -> Vec<&str> {
        self.secrets.iter().map(String::as_str).collect()
    }
}

/// The stream codec's tables (its ops and the message-delta rule) as JSON, for the shell.
#[wasm_bindgen(js_name = streamRules)]
pub fn stream_rules() -> String {
    anthropic_wasm_core::stream::rules_json()
}

/// `text` without the credentials in `secrets` (one a line), for text from elsewhere (a
/// platform's error message, a header value) before it reaches an error.
#[wasm_bindgen]
pub fn redact(text: &str, secrets: &str) -> String {
    let secrets = secret_list(secrets);
    let refs: Vec<&str> = secrets.iter().map(String::as_str).collect();
    anthropic_wasm_core::api_error::redact(text, &refs)
}

fn secret_list(secrets: &str) -> Vec<String> {
    secrets
        .lines()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The client's defaults (base URL, API version, timeout, retries) as JSON: one table for the
/// Rust client and the JS shell.
#[wasm_bindgen(js_name = clientDefaults)]
pub fn client_defaults() -> String {
    anthropic_wasm_core::request::defaults_json()
}

/// Whether a non-streaming request under the default timeout must be streamed instead (see
/// `anthropic_wasm_core::request::must_stream`); `max_tokens` as JS has it (any number).
#[wasm_bindgen(js_name = mustStream)]
pub fn must_stream(model: &str, max_tokens: f64) -> bool {
    let tokens = if max_tokens.is_finite() && max_tokens > 0.0 {
        max_tokens as u64
    } else {
        0
    };
    anthropic_wasm_core::request::must_stream(model, tokens)
}

/// The JS error class of an HTTP status (`RateLimitError`, …; `APIError` for others).
#[wasm_bindgen(js_name = errorClass)]
pub fn error_class(status: u16) -> String {
    anthropic_wasm_core::api_error::ApiErrorKind::js_class(status).into()
}

/// `prefix` + `id` percent-encoded as one path segment + `suffix`; throws the official SDK's
/// message (a string) for an id that cannot be a segment (empty, `.`, `..`).
#[wasm_bindgen(js_name = resourcePath)]
pub fn resource_path(prefix: &str, id: &str, suffix: &str) -> Result<String, String> {
    anthropic_wasm_core::request::resource_path(prefix, id, suffix)
}
