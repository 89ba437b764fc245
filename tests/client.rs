//! The client over a scripted transport: request building, retries and their delays,
//! timeouts, the non-streaming guard, validation, streaming with failures, pagination,
//! batches, and the key's absence from errors. Timers are virtual: every sleep is recorded,
//! ends at once and advances the clock, so a request that never answers times out immediately.

mod common;

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use anthropic_wasm::client::{
    ClientOptions, MessageStream, OnRetry, RequestOptions, DEFAULT_STALL_TIMEOUT, DEFAULT_TIMEOUT,
};
use anthropic_wasm::error::{ApiErrorKind, ApiKey, Error, ValidationRule};
use anthropic_wasm::types::*;
use common::scripted::{
    block_on, chunks_of, client, client_with, params, sse, Chunk, Reply, Scripted, KEY,
};
use serde_json::{json, Value};

fn message() -> Value {
    json!({"id": "msg_1", "type": "message", "role": "assistant", "model": "claude-sonnet-4-5",
           "content": [{"type": "text", "text": "Hi!"}], "stop_reason": "end_turn", "stop_sequence": null,
           "usage": {"input_tokens": 3, "output_tokens": 2}})
}

fn error_body(kind: &str, message: &str) -> Value {
    json!({"type": "error", "error": {"type": kind, "message": message}})
}

#[test]
fn create_sends_the_official_headers_and_body() {
    let script = Scripted::default();
    script.json(200, message());
    let reply = block_on(
        client(&script)
            .messages()
            .create(&params(), &RequestOptions::default()),
    )
    .unwrap();
    assert_eq!(reply.text(), "Hi!");
    assert_eq!(reply.request_id.as_deref(), Some("req_200"));
    let [request] = &script.requests()[..] else {
        panic!("one request")
    };
    assert_eq!(
        (request.method, request.url.as_str()),
        ("POST", "https://api.anthropic.com/v1/messages")
    );
    assert_eq!(request.header("x-api-key"), Some(KEY));
    assert_eq!(request.header("anthropic-version"), Some("2026-10-21"));
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(request.header("accept"), Some("application/json"));
    assert_eq!(request.header("authorization"), None);
    assert_eq!(
        request.header("anthropic-dangerous-direct-browser-access"),
        None
    );
    let body: Value = serde_json::from_str(request.body.as_deref().unwrap()).unwrap();
    assert_eq!(
        body,
        json!({"model": "claude-sonnet-4-5", "max_tokens": 64, "messages": [{"role": "user", "content": "Hello"}]})
    );
    assert!(!request.url.contains(KEY));
}

#[test]
fn auth_token_proxy_browser_betas_and_header_overrides() {
    let script = Scripted::default();
    script.json(200, message()).json(200, message());
    let options = ClientOptions {
        auth_token: Some(ApiKey::new("oauth-token")),
        base_url: "http://127.0.0.1:8787/".into(),
        dangerously_allow_browser: true,
        default_headers: vec![("x-team".into(), Some("a".into())), ("accept".into(), None)],
        ..ClientOptions::default()
    };
    let request_options = RequestOptions {
        betas: vec![
            "output-300k-2026-03-24".into(),
            "context-1m-2025-08-07".into(),
        ],
        headers: vec![("X-Team".into(), Some("b".into()))],
        ..RequestOptions::default()
    };
    block_on(
        client_with(&script, options)
            .messages()
            .create(&params(), &request_options),
    )
    .unwrap();
    // a proxy base URL with no key or token at all
    let proxy = ClientOptions {
        base_url: "https://worker.example/api".into(),
        ..ClientOptions::default()
    };
    block_on(
        client_with(&script, proxy)
            .messages()
            .create(&params(), &RequestOptions::default()),
    )
    .unwrap();
    let requests = script.requests();
    let first = &requests[0];
    assert_eq!(first.url, "http://127.0.0.1:8787/v1/messages");
    assert_eq!(first.header("authorization"), Some("Bearer oauth-token"));
    assert_eq!(first.header("x-api-key"), None);
    assert_eq!(
        first.header("anthropic-dangerous-direct-browser-access"),
        Some("true")
    );
    assert_eq!(
        first.header("anthropic-beta"),
        Some("output-300k-2026-03-24,context-1m-2025-08-07")
    );
    assert_eq!(first.header("x-team"), Some("b"), "request headers win");
    assert_eq!(first.header("accept"), None, "None removes a header");
    let second = &requests[1];
    assert_eq!(second.url, "https://worker.example/api/v1/messages");
    assert_eq!(
        (second.header("x-api-key"), second.header("authorization")),
        (None, None)
    );
}

#[test]
fn retries_follow_the_official_rules_and_delays() {
    let script = Scripted::default();
    script
        .json(529, error_body("overloaded_error", "Overloaded"))
        .json(500, error_body("api_error", "oops"))
        .json(200, message());
    let reply = block_on(
        client(&script)
            .messages()
            .create(&params(), &RequestOptions::default()),
    );
    assert!(reply.is_ok());
    assert_eq!(script.requests().len(), 3);
    // 0.5 s then 1 s (jitter 0), as the official backoff
    assert_eq!(
        script.backoffs(DEFAULT_TIMEOUT),
        [Duration::from_millis(500), Duration::from_millis(1000)]
    );
    // the same request each time
    let requests = script.requests();
    assert!(requests.iter().all(|r| r == &requests[0]));
}

#[test]
fn retry_after_headers_set_the_delay() {
    let script = Scripted::default();
    script.reply(Reply::Response {
        status: 429,
        headers: vec![("retry-after-ms", "250".into())],
        chunks: vec![Chunk::Bytes(
            error_body("rate_limit_error", "slow")
                .to_string()
                .into_bytes(),
        )],
    });
    script.reply(Reply::Response {
        status: 429,
        headers: vec![("retry-after", "2".into())],
        chunks: vec![],
    });
    script.json(200, message());
    block_on(
        client(&script)
            .messages()
            .create(&params(), &RequestOptions::default()),
    )
    .unwrap();
    assert_eq!(
        script.backoffs(DEFAULT_TIMEOUT),
        [Duration::from_millis(250), Duration::from_secs(2)]
    );
}

/// The hook hears of each retry before its wait, with the failure, the retry's number and the
/// delay, so a page can say "overloaded, retrying in 0.5 s"; the key stays out of it.
#[test]
fn on_retry_reports_each_retry_before_waiting() {
    let script = Scripted::default();
    script
        .json(529, error_body("overloaded_error", &format!("busy {KEY}")))
        .reply(Reply::ConnectionError)
        .json(200, message());
    let heard = Rc::new(RefCell::new(Vec::new()));
    let log = Rc::clone(&heard);
    let sleeps_seen = Rc::clone(&script.0);
    let options = RequestOptions {
        on_retry: Some(OnRetry::new(move |notice| {
            log.borrow_mut().push((
                notice.error.status(),
                notice.error.to_string(),
                notice.attempt,
                notice.delay,
                sleeps_seen.sleeps.borrow().len(),
            ));
        })),
        ..RequestOptions::default()
    };
    block_on(client(&script).messages().create(&params(), &options)).unwrap();
    let heard = heard.borrow();
    let [(first_status, first_text, 1, first_delay, 0), (None, second_text, 2, second_delay, _)] =
        &heard[..]
    else {
        panic!("two notices, numbered 1 and 2, the first before any wait: {heard:?}")
    };
    assert_eq!(*first_status, Some(529));
    assert!(first_text.contains("overloaded_error"), "{first_text}");
    assert!(!first_text.contains(KEY), "{first_text}");
    assert_eq!(*first_delay, Duration::from_millis(500));
    assert!(second_text.contains("ECONNREFUSED"), "{second_text}");
    assert_eq!(*second_delay, Duration::from_millis(1000));
    // a request that is not retried is not reported
    let script = Scripted::default();
    script.json(400, error_body("invalid_request_error", "bad"));
    let count = Rc::new(RefCell::new(0));
    let counter = Rc::clone(&count);
    let options = RequestOptions {
        on_retry: Some(OnRetry::new(move |_| *counter.borrow_mut() += 1)),
        ..RequestOptions::default()
    };
    assert!(block_on(client(&script).messages().create(&params(), &options)).is_err());
    assert_eq!(*count.borrow(), 0);
}

#[test]
fn what_is_not_retried() {
    // a 400 is final
    let script = Scripted::default();
    script.json(400, error_body("invalid_request_error", "bad"));
    let error = block_on(
        client(&script)
            .messages()
            .create(&params(), &RequestOptions::default()),
    )
    .unwrap_err();
    assert_eq!(
        error.api_error().map(|e| e.kind),
        Some(ApiErrorKind::BadRequest)
    );
    assert_eq!(script.requests().len(), 1);
    // x-should-retry: false wins over a retryable status
    let script = Scripted::default();
    script.reply(Reply::Response {
        status: 529,
        headers: vec![("x-should-retry", "false".into())],
        chunks: vec![],
    });
    let error = block_on(
        client(&script)
            .messages()
            .create(&params(), &RequestOptions::default()),
    )
    .unwrap_err();
    assert_eq!(error.status(), Some(529));
    assert_eq!(script.requests().len(), 1);
    // retries run out: the last error is returned
    let script = Scripted::default();
    for _ in 0..2 {
        script.json(529, error_body("overloaded_error", "Overloaded"));
    }
    let once = RequestOptions {
        max_retries: Some(1),
        ..RequestOptions::default()
    };
    let error = block_on(client(&script).messages().create(&params(), &once)).unwrap_err();
    assert_eq!(
        error.api_error().map(|e| e.kind),
        Some(ApiErrorKind::Overloaded)
    );
    assert_eq!(script.requests().len(), 2);
}

#[test]
fn connection_failures_and_timeouts_are_retried() {
    let script = Scripted::default();
    script
        .reply(Reply::ConnectionError)
        .reply(Reply::Hang)
        .json(200, message());
    let timeout = Duration::from_secs(5);
    let options = RequestOptions {
        timeout: Some(timeout),
        ..RequestOptions::default()
    };
    block_on(client(&script).messages().create(&params(), &options)).unwrap();
    assert_eq!(script.requests().len(), 3);
    assert_eq!(
        script.backoffs(timeout),
        [Duration::from_millis(500), Duration::from_millis(1000)]
    );
    let script = Scripted::default();
    for _ in 0..3 {
        script.reply(Reply::Hang);
    }
    let error = block_on(client(&script).messages().create(&params(), &options)).unwrap_err();
    assert_eq!(error, Error::Timeout);
}

#[test]
fn long_non_streaming_requests_are_refused_before_sending() {
    let script = Scripted::default();
    let big = MessageCreateParams {
        max_tokens: 32_000,
        ..params()
    };
    let error = block_on(
        client(&script)
            .messages()
            .create(&big, &RequestOptions::default()),
    )
    .unwrap_err();
    let Error::InvalidRequest(invalid) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(invalid.rule, ValidationRule::StreamingRequired);
    let capped = MessageCreateParams {
        model: "claude-opus-4-0".into(),
        max_tokens: 9000,
        ..params()
    };
    assert!(block_on(
        client(&script)
            .messages()
            .create(&capped, &RequestOptions::default())
    )
    .is_err());
    assert!(script.requests().is_empty());
    // an explicit timeout lifts the guard
    script.json(200, message());
    let options = RequestOptions {
        timeout: Some(Duration::from_secs(3600)),
        ..RequestOptions::default()
    };
    block_on(client(&script).messages().create(&big, &options)).unwrap();
    assert_eq!(script.requests().len(), 1);
}

#[test]
fn invalid_requests_are_refused_before_sending_unless_checks_are_off() {
    let script = Scripted::default();
    let mut bad = params();
    bad.temperature = Some(1.5);
    let error = block_on(
        client(&script)
            .messages()
            .create(&bad, &RequestOptions::default()),
    )
    .unwrap_err();
    assert!(error.to_string().contains("temperature"), "{error}");
    assert!(script.requests().is_empty());
    script.json(200, message());
    let unchecked = ClientOptions {
        validation: None,
        ..ClientOptions::default()
    };
    block_on(
        client_with(&script, unchecked)
            .messages()
            .create(&bad, &RequestOptions::default()),
    )
    .unwrap();
    assert_eq!(script.requests().len(), 1);
}

/// A client whose one reply is a 200 stream of `chunks`, and the stream it opened.
fn stream_of(chunks: Vec<Chunk>) -> (Scripted, MessageStream<Scripted>) {
    let script = Scripted::default();
    script.reply(sse(200, chunks));
    let stream = block_on(
        client(&script)
            .messages()
            .stream(&params(), &RequestOptions::default()),
    )
    .unwrap();
    (script, stream)
}

#[test]
fn stream_gives_events_and_the_final_message() {
    let (script, mut stream) = stream_of(chunks_of(&common::fixture("sdk-ts-tool-use.sse"), 7));
    assert_eq!(stream.request_id(), Some("req_stream"));
    let mut names = Vec::new();
    while let Some(event) = block_on(stream.next_event()) {
        names.push(event.unwrap().name().to_owned());
    }
    // 14 events: the fixture's one ping is dropped, as the official SDK does
    assert_eq!(names.len(), 14);
    assert!(!names.iter().any(|name| name == "ping"));
    let message = block_on(stream.final_message()).unwrap();
    assert_eq!(message.stop_reason, Some(StopReason::ToolUse));
    let sent = common::fixture("sdk-ts-tool-use.sse").len() as u64;
    assert_eq!(
        stream.bytes_received(),
        sent,
        "every byte of the body, counted once"
    );
    let body: Value = serde_json::from_str(script.requests()[0].body.as_deref().unwrap()).unwrap();
    assert_eq!(body["stream"], true);
}

#[test]
fn a_stream_without_usage_gives_a_message_and_its_wire_json() {
    // The docs' extended-thinking example (no usage anywhere), with its last blank line.
    let mut bytes = common::fixture("docs-extended-thinking.sse");
    bytes.push(b'\n');
    let (_, mut stream) = stream_of(chunks_of(&bytes, 11));
    let message = block_on(stream.final_message()).unwrap();
    assert_eq!(
        message.text(),
        "The greatest common divisor of 1071 and 462 is **21**."
    );
    let wire = stream.snapshot_json().unwrap();
    assert_eq!(wire.get("usage"), None);
    assert_eq!(wire["content"][0]["type"], "thinking");
}

#[test]
fn text_stream_gives_only_text() {
    let (_, mut stream) = stream_of(chunks_of(&common::fixture("sdk-ts-basic-text.sse"), 50));
    let texts: Vec<String> = block_on(futures_util::StreamExt::collect::<Vec<_>>(
        stream.text_stream(),
    ))
    .into_iter()
    .map(Result::unwrap)
    .collect();
    assert_eq!(texts, ["Hello", " there", "!"]);
    assert_eq!(stream.snapshot().unwrap().text(), "Hello there!");
}

#[test]
fn a_stalled_stream_ends_after_the_stall_timeout_with_the_message_so_far() {
    assert_eq!(DEFAULT_STALL_TIMEOUT, Duration::from_secs(60));
    assert_eq!(
        ClientOptions::default().stall_timeout,
        Some(DEFAULT_STALL_TIMEOUT),
        "on by default"
    );
    let fixture = common::fixture("sdk-ts-basic-text.sse");
    let cut = fixture.windows(6).position(|w| w == b"there\"").unwrap() + 20;
    let secs = Duration::from_secs;
    for (client_stall, request_stall, waited) in [
        (Some(DEFAULT_STALL_TIMEOUT), None, DEFAULT_STALL_TIMEOUT),
        (Some(secs(5)), None, secs(5)),
        (Some(DEFAULT_STALL_TIMEOUT), Some(secs(2)), secs(2)),
        // off: the stream waits as long as the request may take
        (None, None, DEFAULT_TIMEOUT),
        (
            Some(DEFAULT_STALL_TIMEOUT),
            Some(Duration::ZERO),
            DEFAULT_TIMEOUT,
        ),
        // never longer than the request's own timeout
        (Some(DEFAULT_STALL_TIMEOUT), None, secs(30)),
    ] {
        let script = Scripted::default();
        let mut chunks = chunks_of(&fixture[..cut], 13);
        chunks.push(Chunk::Stall);
        script.reply(sse(200, chunks));
        let options = ClientOptions {
            api_key: Some(ApiKey::new(KEY)),
            stall_timeout: client_stall,
            ..ClientOptions::default()
        };
        let request = RequestOptions {
            stall_timeout: request_stall,
            timeout: (waited == secs(30)).then_some(secs(30)),
            ..RequestOptions::default()
        };
        let case = format!("{client_stall:?} {request_stall:?}");
        let mut stream = block_on(
            client_with(&script, options)
                .messages()
                .stream(&params(), &request),
        )
        .unwrap();
        assert_eq!(
            block_on(stream.final_message()),
            Err(Error::Timeout),
            "{case}"
        );
        assert_eq!(stream.snapshot().unwrap().text(), "Hello there", "{case}");
        let sleeps = script.0.sleeps.borrow().clone();
        assert!(
            !sleeps.is_empty() && sleeps.iter().all(|s| *s == waited),
            "{case}: {sleeps:?}"
        );
    }
}

#[test]
fn a_stream_that_fails_keeps_the_partial_message_and_is_not_retried() {
    let fixture = common::fixture("sdk-ts-basic-text.sse");
    let cut = fixture.windows(6).position(|w| w == b"there\"").unwrap() + 20;
    let cut_at = |last: Option<Chunk>| {
        let mut chunks = chunks_of(&fixture[..cut], 13);
        chunks.extend(last);
        stream_of(chunks)
    };
    // mid-stream error event
    let (_, mut stream) = stream_of(chunks_of(
        &common::fixture("composed-error-mid-stream.sse"),
        64,
    ));
    let error = block_on(stream.final_message()).unwrap_err();
    assert!(
        matches!(&error, Error::MidStream(e) if e.kind == ApiErrorKind::Overloaded && e.request_id.as_deref() == Some("req_stream"))
    );
    assert_eq!(stream.snapshot().unwrap().text(), "Hello");
    // the connection drops: the body just ends
    let (_, mut stream) = cut_at(None);
    assert!(matches!(
        block_on(stream.final_message()),
        Err(Error::IncompleteStream { .. })
    ));
    assert_eq!(stream.snapshot().unwrap().text(), "Hello there");
    // the read fails
    let (_, mut stream) = cut_at(Some(Chunk::Fail));
    assert!(matches!(
        block_on(stream.final_message()),
        Err(Error::Connection { .. })
    ));
    assert_eq!(stream.snapshot().unwrap().text(), "Hello there");
    // the body stalls: the idle timeout ends it
    let (script, mut stream) = cut_at(Some(Chunk::Stall));
    assert_eq!(block_on(stream.final_message()), Err(Error::Timeout));
    assert_eq!(stream.snapshot().unwrap().text(), "Hello there");
    assert_eq!(
        script.requests().len(),
        1,
        "never re-sent once the body started"
    );
}

#[test]
fn a_stream_is_retried_before_its_body_starts() {
    let script = Scripted::default();
    script.json(529, error_body("overloaded_error", "Overloaded"));
    script.reply(sse(
        200,
        chunks_of(&common::fixture("sdk-ts-basic-text.sse"), 100),
    ));
    let mut stream = block_on(
        client(&script)
            .messages()
            .stream(&params(), &RequestOptions::default()),
    )
    .unwrap();
    assert_eq!(
        block_on(stream.final_message()).unwrap().text(),
        "Hello there!"
    );
    assert_eq!(script.requests().len(), 2);
}

#[test]
fn an_html_page_from_a_proxy_is_typed() {
    let script = Scripted::default();
    let page = || Reply::Response {
        status: 502,
        headers: vec![],
        chunks: vec![Chunk::Bytes(b"<html>Bad Gateway</html>".to_vec())],
    };
    script.reply(page()).reply(page()).reply(page());
    let error = block_on(
        client(&script)
            .messages()
            .create(&params(), &RequestOptions::default()),
    )
    .unwrap_err();
    assert!(
        matches!(&error, Error::NonJsonResponse { status: 502, body_start, .. } if body_start.contains("Bad Gateway"))
    );
    assert_eq!(script.requests().len(), 3, "5xx is retried");
}

#[test]
fn the_key_never_appears_in_errors() {
    let script = Scripted::default();
    script.json(
        401,
        error_body("authentication_error", &format!("invalid x-api-key: {KEY}")),
    );
    let error = block_on(
        client(&script)
            .messages()
            .create(&params(), &RequestOptions::default()),
    )
    .unwrap_err();
    let shown = format!("{error} {error:?}");
    assert!(
        !shown.contains(KEY) && shown.contains("[redacted]"),
        "{shown}"
    );
    assert!(!format!("{:?}", client(&script).options()).contains(KEY));
}

#[test]
fn count_tokens_models_and_pagination() {
    let script = Scripted::default();
    script.json(200, json!({"input_tokens": 14}));
    script.json(200, json!({"data": [{"id": "claude-opus-4-7", "type": "model", "display_name": "Claude Opus 4.7", "created_at": "2026-04-01T00:00:00Z"}], "has_more": true, "first_id": "claude-opus-4-7", "last_id": "claude-opus-4-7"}));
    script.json(200, json!({"data": [{"id": "claude-sonnet-4-6", "type": "model", "display_name": "Claude Sonnet 4.6", "created_at": "2026-02-01T00:00:00Z"}], "has_more": false, "first_id": "claude-sonnet-4-6", "last_id": "claude-sonnet-4-6"}));
    script.json(200, json!({"id": "claude-opus-4-7", "type": "model", "display_name": "Claude Opus 4.7", "created_at": "2026-04-01T00:00:00Z"}));
    let client = client(&script);
    let count = block_on(client.messages().count_tokens(
        &CountTokensParams::from(&params()),
        &RequestOptions::default(),
    ))
    .unwrap();
    assert_eq!(count.input_tokens, 14);
    let params = ListParams {
        limit: Some(1),
        ..ListParams::default()
    };
    let all = block_on(
        client
            .models()
            .list_all(params, RequestOptions::default())
            .all(),
    )
    .unwrap();
    assert_eq!(
        all.iter().map(|m| m.id.as_str()).collect::<Vec<_>>(),
        ["claude-opus-4-7", "claude-sonnet-4-6"]
    );
    block_on(
        client
            .models()
            .retrieve("claude opus/4.7", &RequestOptions::default()),
    )
    .unwrap();
    let urls: Vec<String> = script
        .requests()
        .into_iter()
        .map(|r| format!("{} {}", r.method, r.url))
        .collect();
    assert_eq!(
        urls,
        [
            "POST https://api.anthropic.com/v1/messages/count_tokens",
            "GET https://api.anthropic.com/v1/models?limit=1",
            "GET https://api.anthropic.com/v1/models?limit=1&after_id=claude-opus-4-7",
            "GET https://api.anthropic.com/v1/models/claude%20opus%2F4.7",
        ]
    );
}

#[test]
fn batches_and_their_jsonl_results() {
    let batch = |status: &str, results: Value| {
        json!({"id": "msgbatch_1", "type": "message_batch", "processing_status": status,
        "request_counts": {"processing": 0, "succeeded": 1, "errored": 1, "canceled": 0, "expired": 0},
        "created_at": "2026-01-01T00:00:00Z", "expires_at": "2026-01-02T00:00:00Z", "results_url": results})
    };
    let script = Scripted::default();
    script.json(200, batch("in_progress", Value::Null));
    script.json(200, batch("in_progress", Value::Null));
    script.json(
        200,
        batch(
            "ended",
            json!("https://api.anthropic.com/v1/messages/batches/msgbatch_1/results"),
        ),
    );
    let lines = format!(
        "{}\r\n{}\n\n",
        json!({"custom_id": "a", "result": {"type": "succeeded", "message": message()}}),
        json!({"custom_id": "b", "result": {"type": "errored", "error": {"type": "error", "error": {"type": "invalid_request_error", "message": "bad"}}}})
    );
    script.reply(Reply::Response {
        status: 200,
        headers: vec![],
        chunks: chunks_of(lines.as_bytes(), 9),
    });
    script.json(
        200,
        json!({"id": "msgbatch_1", "type": "message_batch_deleted"}),
    );
    let client = client(&script);
    let create = BatchCreateParams {
        requests: vec![BatchRequest {
            custom_id: "a".into(),
            params: params(),
            extra: JsonMap::new(),
        }],
        extra: JsonMap::new(),
    };
    let created = block_on(client.batches().create(&create, &RequestOptions::default())).unwrap();
    assert_eq!(created.processing_status, ProcessingStatus::InProgress);
    // no results before the batch ended
    assert!(block_on(
        client
            .batches()
            .results("msgbatch_1", &RequestOptions::default())
    )
    .is_err());
    let results = block_on(
        client
            .batches()
            .results("msgbatch_1", &RequestOptions::default()),
    )
    .unwrap();
    let results = block_on(results.all()).unwrap();
    assert_eq!(
        results
            .iter()
            .map(|r| r.custom_id.as_str())
            .collect::<Vec<_>>(),
        ["a", "b"]
    );
    assert!(matches!(results[0].result, BatchResult::Succeeded(_)));
    assert!(matches!(results[1].result, BatchResult::Errored(_)));
    block_on(
        client
            .batches()
            .delete("msgbatch_1", &RequestOptions::default()),
    )
    .unwrap();
    let requests = script.requests();
    assert_eq!(requests[3].header("accept"), Some("application/binary"));
    assert_eq!(
        requests[3].url,
        "https://api.anthropic.com/v1/messages/batches/msgbatch_1/results"
    );
    assert_eq!(
        (requests[4].method, requests[4].url.as_str()),
        (
            "DELETE",
            "https://api.anthropic.com/v1/messages/batches/msgbatch_1"
        )
    );
}

#[test]
fn ids_that_are_not_one_path_segment_are_refused_before_sending() {
    let script = Scripted::default();
    let client = client(&script);
    let options = RequestOptions::default();
    for id in ["", ".", ".."] {
        let refusals = [
            block_on(client.batches().retrieve(id, &options)).map(|_| ()),
            block_on(client.batches().cancel(id, &options)).map(|_| ()),
            block_on(client.batches().delete(id, &options)).map(|_| ()),
            block_on(client.batches().results(id, &options)).map(|_| ()),
            block_on(client.models().retrieve(id, &options)).map(|_| ()),
        ];
        for refusal in refusals {
            match refusal {
                Err(Error::InvalidRequest(error)) => assert!(
                    error
                        .message
                        .contains("can't be safely passed as a path parameter"),
                    "{}",
                    error.message
                ),
                other => panic!("{id:?}: {other:?}"),
            }
        }
    }
    assert!(script.requests().is_empty(), "nothing was sent");
}

#[test]
fn json_bodies_are_sent_and_returned_unchanged() {
    let script = Scripted::default();
    let reply_text = r#"{"id":"msg_1","type":"message","role":"assistant","model":"m","content":[{"type":"text","text":"Hi","citations":null}],"stop_reason":"end_turn","stop_sequence":null,"container":null,"usage":{"input_tokens":3,"output_tokens":2}}"#;
    script.reply(Reply::Response {
        status: 200,
        headers: vec![("request-id", "req_1".into())],
        chunks: vec![Chunk::Bytes(reply_text.as_bytes().to_vec())],
    });
    // Key order, a `null` and a field this version does not know, exactly as the caller wrote them.
    let body = r#"{"messages":[{"role":"user","content":"Hi"}],"model":"claude-sonnet-4-5","max_tokens":64,"metadata":null,"future_field":{"x":1}}"#;
    let reply = block_on(
        client(&script)
            .messages()
            .create_json(body.into(), &RequestOptions::default()),
    )
    .unwrap();
    assert_eq!(reply.data.get(), reply_text);
    assert_eq!(script.requests()[0].body.as_deref(), Some(body));
}

#[test]
fn json_bodies_are_checked_like_typed_ones() {
    let script = Scripted::default();
    let bad = r#"{"model":"claude-sonnet-4-5","max_tokens":64,"temperature":1.5,"messages":[{"role":"user","content":"Hi"}]}"#;
    let error = block_on(
        client(&script)
            .messages()
            .create_json(bad.into(), &RequestOptions::default()),
    )
    .unwrap_err();
    assert!(error.to_string().contains("temperature"), "{error}");
    let error = block_on(
        client(&script)
            .messages()
            .stream_json("[1, 2]".into(), &RequestOptions::default()),
    )
    .err()
    .expect("not an object");
    assert!(matches!(error, Error::InvalidRequest(_)), "{error}");
    let long = r#"{"model":"claude-sonnet-4-5","max_tokens":64000,"messages":[{"role":"user","content":"Hi"}]}"#;
    let unchecked = ClientOptions {
        validation: None,
        ..ClientOptions::default()
    };
    let error = block_on(
        client_with(&script, unchecked)
            .messages()
            .create_json(long.into(), &RequestOptions::default()),
    )
    .unwrap_err();
    assert!(
        error.to_string().contains("streaming is required"),
        "the long-request guard reads the JSON too: {error}"
    );
    assert!(script.requests().is_empty());
    script.reply(Reply::Response {
        status: 200,
        headers: vec![],
        chunks: vec![Chunk::Bytes(b"{not json".to_vec())],
    });
    let body = r#"{"model":"claude-sonnet-4-5","max_tokens":64,"messages":[{"role":"user","content":"Hi"}]}"#;
    let error = block_on(
        client(&script)
            .messages()
            .create_json(body.into(), &RequestOptions::default()),
    )
    .unwrap_err();
    assert!(matches!(error, Error::Decode { .. }), "{error}");
}
