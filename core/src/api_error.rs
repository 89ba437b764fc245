//! What a failed response means: its class (one table for Rust and the JS shell), the message
//! a caller reads, and the redaction of credentials from any text that came from elsewhere.
//! Works on the body's bytes with the JSON scanner, so the npm build needs no serde.

use crate::prelude::*;

use crate::json;
use crate::numbers::round_to_u64;
use crate::stream::json_string;
use crate::text;

/// The classes of API error, after the official SDK's error classes (plus the
/// Anthropic-specific 402, 413, 504 and 529).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ApiErrorKind {
    /// 400 `invalid_request_error`.
    BadRequest,
    /// 401 `authentication_error`.
    Authentication,
    /// 402 `billing_error`.
    Billing,
    /// 403 `permission_error`.
    PermissionDenied,
    /// 404 `not_found_error`.
    NotFound,
    /// 409 `conflict_error`.
    Conflict,
    /// 413 `request_too_large`.
    RequestTooLarge,
    /// 422.
    UnprocessableEntity,
    /// 429 `rate_limit_error`.
    RateLimit,
    /// 500 `api_error` and other 5xx.
    InternalServer,
    /// 504 `timeout_error`.
    GatewayTimeout,
    /// 529 `overloaded_error`.
    Overloaded,
    /// Any other status or error type.
    Other,
}

impl ApiErrorKind {
    /// The class of an HTTP status.
    pub fn from_status(status: u16) -> Self {
        match status {
            400 => Self::BadRequest,
            401 => Self::Authentication,
            402 => Self::Billing,
            403 => Self::PermissionDenied,
            404 => Self::NotFound,
            409 => Self::Conflict,
            413 => Self::RequestTooLarge,
            422 => Self::UnprocessableEntity,
            429 => Self::RateLimit,
            504 => Self::GatewayTimeout,
            529 => Self::Overloaded,
            500..=599 => Self::InternalServer,
            _ => Self::Other,
        }
    }

    /// The class of an `error.type` as the wire spells it (for errors without a status, and
    /// unknown statuses).
    pub fn from_error_type(kind: &str) -> Self {
        match kind {
            "invalid_request_error" => Self::BadRequest,
            "authentication_error" => Self::Authentication,
            "billing_error" => Self::Billing,
            "permission_error" => Self::PermissionDenied,
            "not_found_error" => Self::NotFound,
            "conflict_error" => Self::Conflict,
            "request_too_large" => Self::RequestTooLarge,
            "rate_limit_error" => Self::RateLimit,
            "api_error" => Self::InternalServer,
            "timeout_error" => Self::GatewayTimeout,
            "overloaded_error" => Self::Overloaded,
            _ => Self::Other,
        }
    }

    /// The class of a response: from its status, or from its `error.type` when the status
    /// names no class (or there is none, as for an `error` event in a stream).
    pub fn classify(status: Option<u16>, error_type: &str) -> Self {
        match status.map(Self::from_status) {
            Some(Self::Other) | None => Self::from_error_type(error_type),
            Some(kind) => kind,
        }
    }

    /// What the caller can do about it.
    pub fn advice(self) -> &'static str {
        match self {
            Self::BadRequest => "fix the request as the message says",
            Self::Authentication => "check the API key or auth token",
            Self::Billing => "check the account's billing",
            Self::PermissionDenied => "this key may not use this resource or model",
            Self::NotFound => "check the model name or resource id",
            Self::Conflict => "the resource changed; fetch it again and retry",
            Self::RequestTooLarge => "send less (messages are limited to 32 MB)",
            Self::UnprocessableEntity => "the request was understood but cannot be processed",
            Self::RateLimit => "slow down, or retry after the delay",
            Self::InternalServer => "the API failed; retry later",
            Self::GatewayTimeout => "the API timed out; retry, or stream long replies",
            Self::Overloaded => "the API is overloaded; retry later",
            Self::Other => "see the message",
        }
    }
}

/// The parts of an API error that its message is made of.
#[derive(Clone, Copy, Debug, Default)]
pub struct MessageParts<'a> {
    /// The HTTP status; `None` for an `error` event inside a started stream.
    pub status: Option<u16>,
    /// `error.type` as received.
    pub error_type: &'a str,
    /// `error.message` as received.
    pub message: &'a str,
    /// `error.details.error_code`, when present.
    pub error_code: Option<&'a str>,
    /// The delay the API asked for, in seconds.
    pub retry_after_secs: Option<f64>,
    /// The request's id (header, else body).
    pub request_id: Option<&'a str>,
}

/// The message of an API error, the same in Rust (`Display`) and in JS (`err.message`):
/// `429 rate_limit_error: Slow down [code]; slow down, or retry after the delay (the API asked
/// to wait 2.0 s) (request-id req_1)`.
pub fn api_message(parts: &MessageParts<'_>) -> String {
    let kind = ApiErrorKind::classify(parts.status, parts.error_type);
    let mut out = String::new();
    if let Some(status) = parts.status {
        text!(into &mut out; status, " ");
    }
    text!(into &mut out; parts.error_type, ": ", parts.message);
    if let Some(code) = parts.error_code {
        text!(into &mut out; " [", code, "]");
    }
    out.push_str("; ");
    out.push_str(kind.advice());
    if let Some(secs) = parts.retry_after_secs {
        // Tenths by integer arithmetic: float formatting would add 10 KB to the npm wasm.
        let tenths = round_to_u64(secs * 10.0).min(1_000_000_000_000_000);
        text!(into &mut out;
            " (the API asked to wait ",
            tenths / 10,
            ".",
            tenths % 10,
            " s)"
        );
    }
    push_request_id(&mut out, parts.request_id);
    out
}

/// The message of a reply that is not the API's JSON (a proxy's or gateway's page).
pub fn non_json_message(status: u16, body_start: &str, request_id: Option<&str>) -> String {
    let mut quoted = Vec::new();
    json_string(&mut quoted, body_start.as_bytes());
    let mut text = text!(
        status,
        ": the server answered with something other than the API's JSON (a proxy or \
         gateway page?): ",
        text::lossy(&quoted)
    );
    push_request_id(&mut text, request_id);
    text
}

fn push_request_id(out: &mut String, request_id: Option<&str>) {
    if let Some(id) = request_id {
        text!(into out; " (request-id ", id, ")");
    }
}

/// The longest excerpt of a body quoted in an error.
pub const EXCERPT_LIMIT: usize = 200;

/// The first [`EXCERPT_LIMIT`] bytes of `bytes` as text, `…` when cut (a character cut at the
/// limit is dropped).
pub fn excerpt(bytes: &[u8]) -> String {
    let head = bytes.get(..EXCERPT_LIMIT).unwrap_or(bytes);
    let mut text = text::lossy(head);
    if head.len() < bytes.len() {
        if text.ends_with('\u{FFFD}') {
            text.pop();
        }
        text.push('…');
    }
    text
}

/// The fields of an API error body `{"type":"error","error":{"type","message","details"},
/// "request_id"}` (or of a stream's `error` event), found by scanning: `None` when the body
/// is not JSON or has no `error` object with a string `type`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ErrorBody {
    /// `error.type`.
    pub error_type: String,
    /// `error.message` (empty when absent).
    pub message: String,
    /// `error.details.error_code`.
    pub error_code: Option<String>,
    /// The body's `request_id`.
    pub request_id: Option<String>,
}

impl ErrorBody {
    /// Reads an error body; `None` when it is not one.
    pub fn read(body: &[u8]) -> Option<Self> {
        let (start, end) = json::value_span(body).ok()?;
        if json::skip_ws(body, end) != body.len() {
            return None;
        }
        let ([error, request_id], _) =
            json::object_fields(body, start, ["error", "request_id"]).ok()?;
        let error = error?;
        let ([kind, message, details], _) =
            json::object_fields(body, error.0, ["type", "message", "details"]).ok()?;
        let text = |span: Option<(usize, usize)>| {
            let bytes = json::string(body, span?)?;
            Some(text::lossy(&bytes))
        };
        let error_code = details
            .and_then(|d| json::object_fields(body, d.0, ["error_code"]).ok())
            .and_then(|([code], _)| text(code));
        Some(Self {
            error_type: text(kind)?,
            message: text(message).unwrap_or_default(),
            error_code,
            request_id: text(request_id),
        })
    }
}

/// `text` with every credential in `secrets` replaced by `[redacted]`. A secret is compared
/// trimmed (a key read from a file often ends in a newline); empty ones are skipped.
pub fn redact(text: &str, secrets: &[&str]) -> String {
    let mut out = text.to_owned();
    for secret in secrets.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
        out = replace_all(&out, secret.as_bytes());
    }
    out
}

/// `text` with each occurrence of `needle` replaced by `[redacted]`. A plain scan keyed on the
/// first byte: `str::replace`'s two-way searcher costs 3 KB of wasm, and credentials are short.
fn replace_all(text: &str, needle: &[u8]) -> String {
    let bytes = text.as_bytes();
    let Some(&first) = needle.first() else {
        return text.to_owned();
    };
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == first && bytes[i..].starts_with(needle) {
            out.extend_from_slice(b"[redacted]");
            i += needle.len();
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    // Whole UTF-8 sequences were copied or replaced (a needle starts and ends on a character
    // boundary, being a trimmed `str`), so the result is UTF-8.
    String::from_utf8(out).unwrap_or_else(|e| text::lossy(e.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_an_error_body_and_its_code() {
        let body =
            br#"{"type":"error","error":{"type":"rate_limit_error","message":"Slow \"down\"",
            "details":{"error_code":"x_y"}},"request_id":"req_1"}"#;
        let read = ErrorBody::read(body).expect("an error body");
        assert_eq!(read.error_type, "rate_limit_error");
        assert_eq!(read.message, "Slow \"down\"");
        assert_eq!(read.error_code.as_deref(), Some("x_y"));
        assert_eq!(read.request_id.as_deref(), Some("req_1"));
    }

    #[test]
    fn a_body_that_is_not_an_error_is_none() {
        for body in [
            &b"<html>"[..],
            b"{}",
            b"{\"error\":{}}",
            b"{\"error\":5}",
            b"[1]",
            b"{} x",
        ] {
            assert_eq!(ErrorBody::read(body), None, "{body:?}");
        }
    }

    #[test]
    fn the_message_names_status_type_advice_delay_and_request() {
        let parts = MessageParts {
            status: Some(429),
            error_type: "rate_limit_error",
            message: "Slow down",
            error_code: Some("c"),
            retry_after_secs: Some(2.0),
            request_id: Some("req_1"),
        };
        assert_eq!(
            api_message(&parts),
            "429 rate_limit_error: Slow down [c]; slow down, or retry after the delay (the API \
             asked to wait 2.0 s) (request-id req_1)"
        );
    }

    #[test]
    fn an_unknown_status_is_classed_by_its_error_type() {
        assert_eq!(
            ApiErrorKind::classify(Some(418), "overloaded_error"),
            ApiErrorKind::Overloaded
        );
        assert_eq!(ApiErrorKind::classify(None, "nope"), ApiErrorKind::Other);
    }

    #[test]
    fn redaction_finds_a_key_given_with_a_trailing_newline() {
        assert_eq!(
            redact("bad key sk-1 sent", &["sk-1\n", ""]),
            "bad key [redacted] sent"
        );
    }
}
