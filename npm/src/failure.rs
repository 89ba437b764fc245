//! Failures as the JSON descriptors the JS shell turns into its error classes:
//! `{"kind", "message", …}` plus what the kind carries. The decisions (class, message, retry
//! delay, redaction) are the core's; this file only writes them out.

use anthropic_wasm_core::prelude::*;

use anthropic_wasm_core::api_error::{excerpt, redact, ErrorBody};
use anthropic_wasm_core::error_classes;
use anthropic_wasm_core::headers::Headers;
use anthropic_wasm_core::json;
use anthropic_wasm_core::retry::{self, Decision, Failure, RetryContext};
use anthropic_wasm_core::stream::{json_string, Op};
use anthropic_wasm_core::text;

use crate::abi::Args;

/// A failed HTTP response, decided once: what error it is and whether to retry it.
///
/// The arguments, in order: the status; the response's text; its `x-should-retry`,
/// `retry-after-ms` and `retry-after` headers (each may be missing); the retries done and
/// allowed; the time (Unix ms) and a jitter in [0, 1); the credentials, one a line. Returns
/// `{"kind": "api", "class", "status", "message" (the text, when it is not the API's JSON),
/// "error" (the body, when it is), "retryMs" (-1: do not retry)}`, every text without the
/// credentials.
pub fn failed_response(args: &mut Args) -> String {
    let status = u16::try_from(args.uint()).unwrap_or(0);
    let body = args.str();
    let should_retry = args.text();
    let retry_after_ms = args.text();
    let retry_after = args.text();
    let (retries_done, max_retries) = (args.uint(), args.uint());
    let (now_unix_ms, jitter) = (args.number(), args.number());
    let secrets = args.str();
    let secrets: Vec<&str> = text::split_on(secrets, b'\n').collect();
    // Redacted before anything is cut or quoted, so no part of a credential survives.
    let body = redact(body, &secrets);
    let mut headers = Headers::new();
    for (name, value) in [
        ("x-should-retry", should_retry),
        ("retry-after-ms", retry_after_ms),
        ("retry-after", retry_after),
    ] {
        if let Some(value) = value {
            headers.append(name, value);
        }
    }
    let parsed = ErrorBody::read(body.as_bytes());
    let decision = retry::decide(
        &Failure::Status {
            status,
            headers: &headers,
            error_code: parsed.as_ref().and_then(|b| b.error_code.as_deref()),
        },
        &RetryContext {
            retries_done,
            max_retries,
            now_unix_ms,
            // The shell has read a `retry-after` date with `Date.parse` (into `retry-after-ms`).
            read_http_date: |_| None,
            jitter,
        },
    );
    // The shell forms the message as SDK 1.15 does: from the body when it is the API's JSON,
    // else from its text.
    let mut out = Descriptor::new("api", if parsed.is_some() { "" } else { &body });
    let error_code = parsed.as_ref().and_then(|b| b.error_code.as_deref());
    out.string("class", error_classes::class_of(status, error_code));
    out.raw("status", &text!(status));
    if parsed.is_some() {
        out.raw("error", &body);
    }
    out.raw("retryMs", &text!(delay_ms(decision)));
    out.finish()
}

/// The delay before retrying after a connection failure or a timeout, in milliseconds, or
/// -1: do not retry.
pub fn retry_delay(retries_done: u32, max_retries: u32, jitter: f64) -> i64 {
    let decision = retry::decide(
        &Failure::Connection,
        &RetryContext {
            retries_done,
            max_retries,
            now_unix_ms: 0.0,
            read_http_date: |_| None,
            jitter,
        },
    );
    delay_ms(decision)
}

/// Whole milliseconds (integers print without the float formatter), -1: do not retry.
fn delay_ms(decision: Decision) -> i64 {
    match decision {
        Decision::RetryAfter(delay) => i64::try_from(delay.as_millis()).unwrap_or(i64::MAX),
        Decision::DontRetry => -1,
    }
}

/// Why a stream ended early, from the codec's terminal item: an `error` event (`mid_stream`,
/// its body as received), a broken stream (`decode`), an early end (`incomplete_stream`) or a
/// limit passed (`limit`, the codec's payload as `passed`).
pub fn stream_failure(op: Op, payload: &[u8], secrets: &[&str]) -> String {
    let payload = redact(&text::lossy(payload), secrets);
    let bytes = payload.as_bytes();
    let field = |name: &str| -> String {
        json::value_span(bytes)
            .ok()
            .and_then(|(start, _)| json::field(bytes, start, name))
            .and_then(|span| json::string(bytes, span))
            .map(|text| text::lossy(&text))
            .unwrap_or_default()
    };
    match op {
        Op::Error => match ErrorBody::read(bytes) {
            // The shell forms the message from the body, as SDK 1.15 does.
            Some(error) => {
                let mut out = Descriptor::new("mid_stream", "");
                out.raw("error", &payload);
                out.string("type", &error.error_type);
                out.finish()
            }
            None => decode(
                "an error event that is not the API's error",
                &excerpt(bytes),
            ),
        },
        // `{"limit": "event" | "tool_input", "max": bytes}`: the shell names its option.
        Op::TooLarge => {
            let mut out = Descriptor::new("limit", "");
            out.raw("passed", &payload);
            out.finish()
        }
        Op::Incomplete => Descriptor::new(
            "incomplete_stream",
            &text!("the stream ended early: ", field("message")),
        )
        .finish(),
        _ => decode(&field("message"), &field("excerpt")),
    }
}

fn decode(message: &str, excerpt: &str) -> String {
    Descriptor::new(
        "decode",
        &text!(
            "the response could not be read: ",
            message,
            " (near ",
            quoted(excerpt),
            ")"
        ),
    )
    .finish()
}

fn quoted(text: &str) -> String {
    let mut out = Vec::with_capacity(text.len() + 2);
    json_string(&mut out, text.as_bytes());
    text::lossy(&out)
}

/// A JSON object written member by member.
pub struct Descriptor(String);

impl Descriptor {
    /// `{"kind": kind, "message": message`…
    pub fn new(kind: &str, message: &str) -> Self {
        Self(text!(
            r#"{"kind":"#,
            quoted(kind),
            r#","message":"#,
            quoted(message)
        ))
    }

    /// Adds a member whose value is JSON text already.
    pub fn raw(&mut self, name: &str, json: &str) {
        text!(into &mut self.0; ",", quoted(name), ":", json);
    }

    /// Adds a member whose value is `text`, as a JSON string.
    pub fn string(&mut self, name: &str, text: &str) {
        self.raw(name, &quoted(text));
    }

    /// …`}`.
    pub fn finish(mut self) -> String {
        self.0.push('}');
        self.0
    }
}
