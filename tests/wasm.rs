//! The client over real `fetch`, in Node and in headless Chromium, against the local Messages
//! API server (its address is baked in at build time from `ANTHROPIC_WASM_TEST_SERVER`;
//! `scripts/test.sh` starts the server and sets it). Faults are asked for with the server's
//! `x-devserver-fault` header.
#![cfg(target_arch = "wasm32")]

use std::time::Duration;

use anthropic_wasm::client::{Client, ClientOptions, RequestOptions};
use anthropic_wasm::error::{ApiErrorKind, Error};
use anthropic_wasm::fetch::FetchTransport;
use anthropic_wasm::helpers::resume::{continuation, stitch};
use anthropic_wasm::types::{MessageCreateParams, MessageParam, StopReason, StreamEvent};
use wasm_bindgen_test::wasm_bindgen_test;
use web_sys::AbortController;

fn server() -> &'static str {
    option_env!("ANTHROPIC_WASM_TEST_SERVER")
        .expect("build with ANTHROPIC_WASM_TEST_SERVER set to the local server")
}

fn client_with(
    signal: Option<web_sys::AbortSignal>,
    options: ClientOptions,
) -> Client<FetchTransport> {
    Client::new(FetchTransport::new(None, signal), options)
}

fn client() -> Client<FetchTransport> {
    client_with(None, options())
}

fn options() -> ClientOptions {
    ClientOptions {
        base_url: server().into(),
        // Chromium sends an Origin header: the server, like the API, then wants the opt-in.
        dangerously_allow_browser: true,
        ..ClientOptions::default()
    }
}

fn params(text: &str) -> MessageCreateParams {
    MessageCreateParams {
        model: "claude-sonnet-4-5".into(),
        max_tokens: 200,
        messages: vec![MessageParam::user(text)],
        ..Default::default()
    }
}

fn fault(fault: &str) -> RequestOptions {
    RequestOptions {
        headers: vec![("x-devserver-fault".into(), Some(fault.into()))],
        ..RequestOptions::default()
    }
}

#[wasm_bindgen_test]
async fn create_returns_a_message_with_its_request_id() {
    let reply = client()
        .messages()
        .create(
            &params("Say hello to the wasm test"),
            &RequestOptions::default(),
        )
        .await
        .unwrap();
    assert!(!reply.text().is_empty());
    assert_eq!(reply.stop_reason, Some(StopReason::EndTurn));
    assert!(reply
        .request_id
        .as_deref()
        .is_some_and(|id| id.starts_with("req_")));
}

#[wasm_bindgen_test]
async fn stream_delivers_text_in_several_events() {
    let mut stream = client()
        .messages()
        .stream(
            &params("Tell me a story about streams"),
            &RequestOptions::default(),
        )
        .await
        .unwrap();
    let mut deltas = 0;
    while let Some(event) = stream.next_event().await {
        if let StreamEvent::ContentBlockDelta(_) = event.unwrap() {
            deltas += 1;
        }
    }
    assert!(deltas > 1, "only {deltas} deltas");
    let message = stream.final_message().await.unwrap();
    assert!(!message.text().is_empty());
    assert!(message.usage.output_tokens > 0);
}

#[wasm_bindgen_test]
async fn overloaded_twice_then_success_is_retried() {
    let reply = client()
        .messages()
        .create(&params("retry me"), &fault("fail-first=2"))
        .await
        .unwrap();
    assert!(!reply.text().is_empty());
}

/// The delay honours `retry-after-ms`: 50 ms, where the default first backoff is 375–500 ms.
#[wasm_bindgen_test]
async fn rate_limits_are_retried_after_the_delay_asked() {
    let one_retry = ClientOptions {
        max_retries: 1,
        ..options()
    };
    let started = js_sys::Date::now();
    let error = client_with(None, one_retry)
        .messages()
        .create(&params("x"), &fault("429:retry-after-ms=50"))
        .await
        .unwrap_err();
    let elapsed = js_sys::Date::now() - started;
    assert_eq!(
        error.api_error().map(|e| e.kind),
        Some(ApiErrorKind::RateLimit)
    );
    assert!(
        (50.0..350.0).contains(&elapsed),
        "two attempts took {elapsed} ms"
    );
}

#[wasm_bindgen_test]
async fn an_error_status_without_retries_is_typed() {
    let no_retry = ClientOptions {
        max_retries: 0,
        ..options()
    };
    let error = client_with(None, no_retry)
        .messages()
        .create(&params("x"), &fault("529"))
        .await
        .unwrap_err();
    assert_eq!(
        error.api_error().map(|e| e.kind),
        Some(ApiErrorKind::Overloaded)
    );
    assert!(error.request_id().is_some());
}

#[wasm_bindgen_test]
async fn an_html_page_is_a_typed_error() {
    let no_retry = ClientOptions {
        max_retries: 0,
        ..options()
    };
    let error = client_with(None, no_retry)
        .messages()
        .create(&params("x"), &fault("html-502"))
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::NonJsonResponse { status: 502, .. }),
        "{error:?}"
    );
}

#[wasm_bindgen_test]
async fn an_error_event_mid_stream_keeps_the_partial_message() {
    let mut stream = client()
        .messages()
        .stream(&params("a long answer please"), &fault("error-after=3"))
        .await
        .unwrap();
    let error = stream.final_message().await.unwrap_err();
    assert!(
        matches!(&error, Error::MidStream(e) if e.kind == ApiErrorKind::Overloaded),
        "{error:?}"
    );
    assert!(!stream
        .snapshot()
        .expect("partial message")
        .text()
        .is_empty());
}

#[wasm_bindgen_test]
async fn a_dropped_connection_keeps_the_partial_message() {
    // A story is about 9 KB of events; the pause lets the first part arrive before the cut
    // (Chromium drops bytes that come in the same read as the connection's end).
    let mut stream = client()
        .messages()
        .stream(
            &params("Tell me a story about streams"),
            &fault("stall=300,drop-after=5000"),
        )
        .await
        .unwrap();
    let error = stream.final_message().await.unwrap_err();
    assert!(
        matches!(
            error,
            Error::IncompleteStream { .. } | Error::Connection { .. }
        ),
        "{error:?}"
    );
    assert!(!stream
        .snapshot()
        .expect("the partial message")
        .text()
        .is_empty());
}

#[wasm_bindgen_test]
async fn a_stall_hits_the_idle_timeout() {
    let options = RequestOptions {
        timeout: Some(Duration::from_millis(300)),
        ..fault("stall=3000")
    };
    let mut stream = client()
        .messages()
        .stream(&params("a long answer please"), &options)
        .await
        .unwrap();
    assert_eq!(stream.final_message().await, Err(Error::Timeout));
}

#[wasm_bindgen_test]
async fn the_stall_watchdog_ends_a_silent_stream_with_its_partial_message() {
    // The request may take a minute; the body may not go quiet for more than 300 ms.
    let client = client_with(
        None,
        ClientOptions {
            stall_timeout: Some(Duration::from_millis(300)),
            ..options()
        },
    );
    let stalling = RequestOptions {
        timeout: Some(Duration::from_secs(60)),
        ..fault("stall=6000")
    };
    let started = js_sys::Date::now();
    let mut stream = client
        .messages()
        .stream(&params("a long answer please"), &stalling)
        .await
        .unwrap();
    assert_eq!(stream.final_message().await, Err(Error::Timeout));
    assert!(
        js_sys::Date::now() - started < 2500.0,
        "before the stall ended"
    );
    assert!(!stream
        .snapshot()
        .expect("the partial message")
        .text()
        .is_empty());
    // Off for this request: the stream waits the stall out and completes.
    let waiting = RequestOptions {
        stall_timeout: Some(Duration::ZERO),
        ..fault("stall=1000")
    };
    let mut stream = client
        .messages()
        .stream(&params("a long answer please"), &waiting)
        .await
        .unwrap();
    let message = stream.final_message().await.unwrap();
    assert_eq!(message.stop_reason, Some(StopReason::EndTurn));
}

#[wasm_bindgen_test]
async fn a_stream_cut_by_a_fault_resumes_into_the_reply_an_uncut_request_gets() {
    let story = params("Tell me a story about resuming");
    let whole = client()
        .messages()
        .create(&story, &RequestOptions::default())
        .await
        .unwrap()
        .into_inner();
    for cut in ["error-after=5", "stall=300,drop-after=1500"] {
        let mut stream = client()
            .messages()
            .stream(&story, &fault(cut))
            .await
            .unwrap();
        assert!(stream.final_message().await.is_err(), "{cut}");
        let partial = stream.snapshot().expect("the partial message");
        assert!(whole.text().starts_with(&partial.text()), "{cut}");
        let next = continuation(&story, &partial).unwrap();
        let rest = client()
            .messages()
            .stream(&next, &RequestOptions::default())
            .await
            .unwrap()
            .final_message()
            .await
            .unwrap();
        let resumed = stitch(&partial, &rest);
        assert_eq!(resumed.message.text(), whole.text(), "{cut}");
        assert_eq!(resumed.message.stop_reason, Some(StopReason::EndTurn));
    }
}

#[wasm_bindgen_test]
async fn malformed_data_is_a_decode_error() {
    let mut stream = client()
        .messages()
        .stream(&params("x"), &fault("malformed"))
        .await
        .unwrap();
    assert!(matches!(
        stream.final_message().await,
        Err(Error::Decode { .. })
    ));
}

#[wasm_bindgen_test]
async fn slow_headers_time_out() {
    let no_retry = ClientOptions {
        max_retries: 0,
        ..options()
    };
    let options = RequestOptions {
        timeout: Some(Duration::from_millis(200)),
        ..fault("slow-headers=3000")
    };
    let error = client_with(None, no_retry)
        .messages()
        .create(&params("x"), &options)
        .await
        .unwrap_err();
    assert_eq!(error, Error::Timeout);
}

#[wasm_bindgen_test]
async fn aborting_mid_stream_keeps_what_arrived() {
    let controller = AbortController::new().unwrap();
    let client = client_with(Some(controller.signal()), options());
    let mut stream = client
        .messages()
        .stream(&params("a long answer please"), &fault("stall=3000"))
        .await
        .unwrap();
    // read what arrives before the stall, then abort
    let mut seen = 0;
    while seen < 3 {
        if stream.next_event().await.transpose().unwrap().is_some() {
            seen += 1;
        }
    }
    controller.abort();
    let error = stream.final_message().await.unwrap_err();
    assert_eq!(error, Error::Aborted);
    assert!(stream.snapshot().is_some());
}

#[wasm_bindgen_test]
async fn aborting_before_sending_sends_nothing() {
    let controller = AbortController::new().unwrap();
    controller.abort();
    let error = client_with(Some(controller.signal()), options())
        .messages()
        .create(&params("x"), &RequestOptions::default())
        .await;
    assert_eq!(error.unwrap_err(), Error::Aborted);
}
