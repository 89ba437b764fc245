//! What a client decides about a request before it is sent, the same for the Rust client and
//! the JS shell: the defaults, and when a non-streaming request must be streamed instead.

/// The API's address unless configured otherwise.
pub const DEFAULT_BASE_URL: &str = "https://api.anthropic.com";
/// The `anthropic-version` header; the only version there is.
pub const API_VERSION: &str = "2023-06-01";
/// How long a request may take, as in the official SDK: 10 minutes.
pub const DEFAULT_TIMEOUT_MS: u64 = 600_000;

/// Output tokens the API produces per hour at worst, for the non-streaming guard.
const NONSTREAMING_TOKENS_PER_HOUR: f64 = 128_000.0;

/// Models whose non-streaming replies are capped lower, as the official SDK lists them.
const NONSTREAMING_TOKEN_CAPS: &[(&str, u32)] = &[
    ("claude-opus-4-20250514", 8192),
    ("claude-opus-4-0", 8192),
    ("claude-4-opus-20250514", 8192),
    ("anthropic.claude-opus-4-20250514-v1:0", 8192),
    ("claude-opus-4@20250514", 8192),
    ("claude-opus-4-1-20250805", 8192),
    ("anthropic.claude-opus-4-1-20250805-v1:0", 8192),
    ("claude-opus-4-1@20250805", 8192),
];

/// What the refusal of [`must_stream`] says.
pub const MUST_STREAM_MESSAGE: &str = "streaming is required for operations that may take \
    longer than 10 minutes: use messages.stream (and its final message), lower max_tokens, or \
    set a timeout";

/// Whether a non-streaming request under the default timeout must be refused, as the official
/// SDK refuses it: its `max_tokens` could take longer than the timeout, or passes the model's
/// non-streaming cap.
pub fn must_stream(model: &str, max_tokens: u64) -> bool {
    let expected_ms = 3_600_000.0 * max_tokens as f64 / NONSTREAMING_TOKENS_PER_HOUR;
    let cap = NONSTREAMING_TOKEN_CAPS
        .iter()
        .find(|(name, _)| *name == model)
        .map(|(_, cap)| u64::from(*cap));
    expected_ms > DEFAULT_TIMEOUT_MS as f64 || cap.is_some_and(|cap| max_tokens > cap)
}

/// The defaults (and the must-stream refusal's text) as JSON, for the JS shell.
pub fn defaults_json() -> String {
    format!(
        r#"{{"baseURL":"{DEFAULT_BASE_URL}","apiVersion":"{API_VERSION}","timeout":{DEFAULT_TIMEOUT_MS},"maxRetries":{},"mustStreamMessage":"{MUST_STREAM_MESSAGE}"}}"#,
        crate::retry::DEFAULT_MAX_RETRIES
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_or_capped_requests_must_stream() {
        assert!(!must_stream("claude-sonnet-4-5", 21_333));
        assert!(must_stream("claude-sonnet-4-5", 21_334));
        assert!(must_stream("claude-opus-4-0", 8193));
        assert!(!must_stream("claude-opus-4-0", 8192));
    }
}
