//! What a client decides about a request before it is sent, the same for the Rust client and
//! the JS shell: the defaults, and when a non-streaming request must be streamed instead.

use crate::prelude::*;

use crate::text;

/// The API's address unless configured otherwise.
pub const DEFAULT_BASE_URL: &str = "https://api.anthropic.com";
/// The `anthropic-version` header: the version SDK 1.15 sends (the JS client's `apiVersion`
/// option pins another).
pub const API_VERSION: &str = "2026-10-21";
/// How long a request may take, as in the official SDK: 10 minutes.
pub const DEFAULT_TIMEOUT_MS: u64 = 600_000;
/// How long a streamed body may send no byte at all before the stream is ended as stalled.
/// The API keeps a quiet stream alive with `ping` events (during extended thinking, a slow
/// first token, a long tool input); proxies that stand in for it send them every 10-15 s. A
/// minute is four to six missed pings: a stream that quiet has hung, and the official SDK,
/// whose only bound is the 10-minute timeout, would wait on it for the rest of that.
pub const DEFAULT_STALL_TIMEOUT_MS: u64 = 60_000;

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
    let limit = crate::stream::DEFAULT_LIMIT_BYTES;
    text!(
        r#"{"baseURL":""#,
        DEFAULT_BASE_URL,
        r#"","apiVersion":""#,
        API_VERSION,
        r#"","timeout":"#,
        DEFAULT_TIMEOUT_MS,
        r#","stallTimeout":"#,
        DEFAULT_STALL_TIMEOUT_MS,
        r#","maxRetries":"#,
        crate::retry::DEFAULT_MAX_RETRIES,
        r#","maxEventBytes":"#,
        limit,
        r#","maxToolInputBytes":"#,
        limit,
        r#","mustStreamMessage":""#,
        MUST_STREAM_MESSAGE,
        r#""}"#
    )
}

/// Percent-encodes everything but RFC 3986 unreserved characters: safe in a path or query.
pub fn percent_encode(text: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 15)]));
        }
    }
    out
}

/// `prefix`, the id percent-encoded as one path segment, then `suffix`; or, for an id that
/// cannot be a segment (empty, `.`, `..`: `batches.retrieve("..")` would have been
/// `GET /v1/messages`), the official SDK's message, with the path and the segment marked.
pub fn resource_path(prefix: &str, id: &str, suffix: &str) -> Result<String, String> {
    let segment = percent_encode(id);
    let path = text!(prefix, segment, suffix);
    if !matches!(segment.as_str(), "" | "." | "..") {
        return Ok(path);
    }
    let marks = "^".repeat(segment.len().max(1));
    Err(text!(
        "Path parameters result in path with invalid segments:\nValue \"",
        segment,
        "\" can't be safely passed as a path parameter\n",
        path,
        "\n",
        " ".repeat(prefix.len()),
        marks
    ))
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

    #[test]
    fn ids_that_are_not_one_path_segment_are_refused() {
        assert_eq!(
            resource_path("/v1/models/", "claude-x", "").as_deref(),
            Ok("/v1/models/claude-x")
        );
        assert_eq!(
            resource_path("/v1/b/", "a/../c", "/x").as_deref(),
            Ok("/v1/b/a%2F..%2Fc/x")
        );
        assert_eq!(
            resource_path("/v1/b/", "%2e", "").as_deref(),
            Ok("/v1/b/%252e")
        );
        for id in ["", ".", ".."] {
            let message = resource_path("/v1/b/", id, "/cancel").unwrap_err();
            assert!(
                message.contains(&format!("Value \"{id}\" can't be safely passed")),
                "{message}"
            );
            assert!(
                message.ends_with(&format!(
                    "/v1/b/{id}/cancel\n      {}",
                    "^".repeat(id.len().max(1))
                )),
                "{message:?}"
            );
        }
    }
}
