//! Where the key must not go (issue 13): not into the unknown fields of an API error, not into
//! `Debug` of a request or of the client's options, not to a host other than the base URL's;
//! and a key read from a file, with its trailing newline, is sent and redacted as the key.

mod common;

use anthropic_wasm::client::{ClientOptions, RequestOptions};
use anthropic_wasm::error::{ApiKey, Error};
use common::scripted::{block_on, client, client_with, params, sse, Chunk, Reply, Scripted, KEY};
use serde_json::{json, Value};

/// An error object whose fields this version does not know echo the key, at every depth.
fn echoing_error() -> Value {
    json!({"type": "invalid_request_error", "message": "bad", "echo": KEY,
           "nested": {"list": [format!("x-api-key: {KEY}")]}})
}

#[test]
fn unknown_fields_of_an_error_object_are_redacted() {
    let script = Scripted::default();
    script.json(400, json!({"type": "error", "error": echoing_error()}));
    let error = block_on(
        client(&script)
            .messages()
            .create(&params(), &RequestOptions::default()),
    )
    .unwrap_err();
    let shown = format!("{error} {error:?}");
    assert!(!shown.contains(KEY), "{shown}");
    let api = error.api_error().expect("an API error");
    assert_eq!(api.error.extra["echo"], "[redacted]");
    assert_eq!(
        api.error.extra["nested"]["list"][0],
        "x-api-key: [redacted]"
    );
}

#[test]
fn unknown_fields_of_a_mid_stream_error_are_redacted() {
    let script = Scripted::default();
    let body = format!(
        "event: message_start\ndata: {}\n\nevent: error\ndata: {}\n\n",
        json!({"type": "message_start", "message": {"id": "msg_1", "type": "message", "role": "assistant",
               "model": "claude-sonnet-4-5", "content": [], "stop_reason": null, "stop_sequence": null,
               "usage": {"input_tokens": 1, "output_tokens": 0}}}),
        json!({"type": "error", "error": echoing_error()}),
    );
    script.reply(sse(200, vec![Chunk::Bytes(body.into_bytes())]));
    let error = block_on(async {
        let mut stream = client(&script)
            .messages()
            .stream(&params(), &RequestOptions::default())
            .await?;
        stream.final_message().await
    })
    .unwrap_err();
    assert!(matches!(error, Error::MidStream(_)), "{error:?}");
    let shown = format!("{error} {error:?}");
    assert!(!shown.contains(KEY), "{shown}");
}

#[test]
fn a_key_with_a_trailing_newline_is_sent_and_redacted_trimmed() {
    let script = Scripted::default();
    script.json(
        401,
        json!({"type": "error", "error": {"type": "authentication_error", "message": format!("invalid x-api-key {KEY}")}}),
    );
    let options = ClientOptions {
        api_key: Some(ApiKey::new(format!("{KEY}\n"))),
        auth_token: Some(ApiKey::new(" tok-SECRET\r\n")),
        ..ClientOptions::default()
    };
    let error = block_on(
        client_with(&script, options)
            .messages()
            .create(&params(), &RequestOptions::default()),
    )
    .unwrap_err();
    assert!(!format!("{error} {error:?}").contains(KEY));
    let sent = &script.requests()[0];
    assert_eq!(sent.header("x-api-key"), Some(KEY));
    assert_eq!(sent.header("authorization"), Some("Bearer tok-SECRET"));
}

#[test]
fn debug_of_a_request_and_of_client_options_shows_no_key() {
    let script = Scripted::default();
    script.json(200, json!({"input_tokens": 1}));
    let options = ClientOptions {
        api_key: Some(ApiKey::new(KEY)),
        default_headers: vec![
            (
                "Authorization".into(),
                Some("Bearer tok-OTHER-SECRET".into()),
            ),
            ("x-proxy-auth".into(), Some(format!("key={KEY}"))),
        ],
        ..ClientOptions::default()
    };
    let client = client_with(&script, options.clone());
    let request_options = RequestOptions {
        headers: vec![("X-Api-Key".into(), Some("sk-per-request-SECRET".into()))],
        ..RequestOptions::default()
    };
    let shown = format!("{options:?} {request_options:?}");
    for secret in [KEY, "tok-OTHER-SECRET", "sk-per-request-SECRET"] {
        assert!(!shown.contains(secret), "{secret} in {shown}");
    }
    assert!(shown.contains("x-proxy-auth"), "{shown}");
    // A request knows its own credentials: hidden wherever they appear in it.
    block_on(client.messages().count_tokens(
        &anthropic_wasm::types::CountTokensParams::from(&params()),
        &RequestOptions::default(),
    ))
    .unwrap();
    let request = &script.requests()[0];
    assert_eq!(request.header("x-api-key"), Some(KEY));
    let shown = format!("{request:?}");
    for secret in [KEY, "tok-OTHER-SECRET"] {
        assert!(!shown.contains(secret), "{secret} in {shown}");
    }
    assert!(
        shown.contains("count_tokens") && shown.contains("[redacted]"),
        "{shown}"
    );
}

fn ended_batch(results_url: &str) -> Value {
    json!({"id": "msgbatch_1", "type": "message_batch", "processing_status": "ended",
        "request_counts": {"processing": 0, "succeeded": 1, "errored": 0, "canceled": 0, "expired": 0},
        "created_at": "2026-01-01T00:00:00Z", "expires_at": "2026-01-02T00:00:00Z", "results_url": results_url})
}

#[test]
fn the_key_is_not_sent_to_a_results_url_of_another_origin() {
    for url in [
        "https://evil.example/v1/messages/batches/msgbatch_1/results",
        "http://api.anthropic.com/v1/messages/batches/msgbatch_1/results",
        "https://api.anthropic.com:8443/results",
        "https://api.anthropic.com@evil.example/results",
        "https://evil.example\\@api.anthropic.com/results",
        "//evil.example/results",
        "https://api.anthropic.com.evil.example/results",
    ] {
        let script = Scripted::default();
        script.json(200, ended_batch(url));
        let error = block_on(
            client(&script)
                .batches()
                .results("msgbatch_1", &RequestOptions::default()),
        )
        .err()
        .unwrap_or_else(|| panic!("{url} was fetched"));
        assert!(
            matches!(&error, Error::CrossOrigin { url: named } if named == url),
            "{url}: {error:?}"
        );
        assert_eq!(
            script.requests().len(),
            1,
            "{url}: only the retrieve was sent"
        );
        assert!(error.to_string().contains("results_url"), "{error}");
    }
}

#[test]
fn a_results_url_on_the_base_urls_origin_is_fetched_with_the_key() {
    for url in [
        "https://api.anthropic.com/v1/messages/batches/msgbatch_1/results",
        "HTTPS://API.Anthropic.com:443/v1/messages/batches/msgbatch_1/results",
        "/v1/messages/batches/msgbatch_1/results",
    ] {
        let script = Scripted::default();
        script.json(200, ended_batch(url));
        script.reply(Reply::Response {
            status: 200,
            headers: vec![],
            chunks: vec![Chunk::Bytes(
                br#"{"custom_id":"a","result":{"type":"canceled"}}"#.to_vec(),
            )],
        });
        let results = block_on(
            client(&script)
                .batches()
                .results("msgbatch_1", &RequestOptions::default()),
        )
        .unwrap_or_else(|e| panic!("{url}: {e}"));
        assert_eq!(block_on(results.all()).unwrap().len(), 1);
        let fetched = &script.requests()[1];
        assert_eq!(fetched.header("x-api-key"), Some(KEY));
        assert!(
            fetched.url.ends_with("/msgbatch_1/results"),
            "{}",
            fetched.url
        );
    }
}
