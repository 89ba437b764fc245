//! Every fault, by header and by model suffix, over real loopback HTTP; pacing and write sizes.

mod common;

use std::time::Duration;

use common::*;
use devserver::Config;
use serde_json::{json, Value};

const MODEL: &str = "claude-haiku-4-5";

fn faulty(spec: &str, body: Value) -> Reply {
    Call::new("POST", "/v1/messages")
        .header("x-devserver-fault", spec)
        .json(&body)
        .send(server())
}

fn streaming(text: &str) -> Value {
    json!({"model": MODEL, "max_tokens": 400, "stream": true, "messages": [{"role": "user", "content": text}]})
}

#[test]
fn status_faults_have_the_api_error_bodies() {
    for (spec, status, kind) in [
        ("529", 529, "overloaded_error"),
        ("500", 500, "api_error"),
        ("408", 408, "timeout_error"),
        ("429", 429, "rate_limit_error"),
        ("400", 400, "invalid_request_error"),
    ] {
        let reply = faulty(spec, ask(MODEL, "hi", 10));
        assert_eq!(reply.status, status, "{spec}");
        let body = reply.json();
        assert_eq!(body["type"], "error");
        assert_eq!(body["error"]["type"], kind, "{spec}");
        assert!(body["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()));
        assert_eq!(body["request_id"].as_str(), reply.header("request-id"));
    }
    assert_eq!(
        faulty("529", ask(MODEL, "hi", 10)).json()["error"]["message"],
        "Overloaded"
    );
}

#[test]
fn rate_limit_retry_hints() {
    let seconds = faulty("429:retry-after=1", ask(MODEL, "hi", 10));
    assert_eq!(
        (seconds.status, seconds.header("retry-after")),
        (429, Some("1"))
    );
    let millis = faulty("429:retry-after-ms=200", ask(MODEL, "hi", 10));
    assert_eq!(
        (
            millis.header("retry-after-ms"),
            millis.header("retry-after")
        ),
        (Some("200"), None)
    );
    let forbidden = faulty("529, should-retry=false", ask(MODEL, "hi", 10));
    assert_eq!(forbidden.header("x-should-retry"), Some("false"));
    let forced = faulty("400,should-retry=true", ask(MODEL, "hi", 10));
    assert_eq!(
        (forced.status, forced.header("x-should-retry")),
        (400, Some("true"))
    );
}

#[test]
fn fail_first_counts_attempts_of_the_same_body() {
    let body = ask(MODEL, "fail-first probe 91c2", 10);
    let statuses: Vec<u16> = (0..4)
        .map(|_| faulty("fail-first=2", body.clone()).status)
        .collect();
    assert_eq!(statuses, [529, 529, 200, 200]);
    let other = ask(MODEL, "fail-first probe 91c3", 10);
    assert_eq!(
        faulty("fail-first=2", other).status,
        529,
        "another body counts on its own"
    );
}

#[test]
fn error_after_sends_an_error_event_after_n_deltas() {
    let reply = faulty("error-after=2", streaming("Tell me a story about Rome"));
    assert_eq!(reply.status, 200);
    let events = reply.event_json();
    let deltas = events
        .iter()
        .filter(|(n, _)| n == "content_block_delta")
        .count();
    assert_eq!(deltas, 2);
    let (name, data) = events.last().unwrap();
    assert_eq!(name, "error");
    assert_eq!(
        data,
        &json!({"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}})
    );
    assert!(reply.complete, "the HTTP body itself ends properly");
}

#[test]
fn drop_after_closes_the_connection_mid_body() {
    let reply = faulty("drop-after=300", streaming("Tell me a story about Rome"));
    assert_eq!(reply.status, 200);
    assert!(!reply.complete, "no final chunk");
    assert_eq!(reply.body.len(), 300);
    assert!(!reply.events().iter().any(|(n, _)| n == "message_stop"));
    let json_reply = faulty("drop-after=40", ask(MODEL, "hello", 50));
    assert!(!json_reply.complete);
    assert_eq!(json_reply.body.len(), 40);
}

#[test]
fn stall_pauses_mid_stream_then_continues() {
    let reply = faulty("stall=400", streaming("Tell me a story about Rome"));
    assert!(reply.complete);
    let gaps: Vec<Duration> = reply.arrivals.windows(2).map(|w| w[1].0 - w[0].0).collect();
    let longest = gaps.iter().max().copied().unwrap_or_default();
    assert!(
        longest >= Duration::from_millis(380),
        "longest gap {longest:?}"
    );
    assert_eq!(reply.events().last().unwrap().0, "message_stop");
    let json_reply = faulty("stall=200", ask(MODEL, "hello", 50));
    assert!(
        json_reply.complete && json_reply.arrivals.last().unwrap().0 >= Duration::from_millis(190)
    );
}

#[test]
fn malformed_breaks_exactly_one_data_line() {
    let reply = faulty("malformed", streaming("hello there"));
    let events = reply.events();
    let broken: Vec<&(String, String)> = events
        .iter()
        .filter(|(_, data)| serde_json::from_str::<Value>(data).is_err())
        .collect();
    assert_eq!(broken.len(), 1);
    assert_eq!(broken[0].0, "content_block_delta");
    assert_eq!(events.last().unwrap().0, "message_stop");
    let json_reply = faulty("malformed", ask(MODEL, "hello", 50));
    assert_eq!(json_reply.status, 200);
    assert!(serde_json::from_slice::<Value>(&json_reply.body).is_err());
}

#[test]
fn html_502_and_slow_headers() {
    let proxy = faulty("html-502", ask(MODEL, "hi", 10));
    assert_eq!(proxy.status, 502);
    assert_eq!(proxy.header("content-type"), Some("text/html"));
    assert!(proxy.text().contains("<h1>502 Bad Gateway</h1>"));
    let slow = faulty("slow-headers=300", ask(MODEL, "hi", 10));
    assert_eq!(slow.status, 200);
    assert!(
        slow.head_after >= Duration::from_millis(290),
        "{:?}",
        slow.head_after
    );
}

#[test]
fn faults_by_model_suffix_are_stripped_from_the_echoed_model() {
    let overloaded = create(ask("claude-haiku-4-5+fault=529", "hi", 10));
    assert_eq!(overloaded.status, 529);
    let slowed = create(ask(
        "claude-haiku-4-5+fault=slow-headers=50,stall=10",
        "hi",
        10,
    ));
    assert_eq!(slowed.status, 200);
    assert_eq!(slowed.json()["model"], "claude-haiku-4-5");
    let mut body = streaming("hello");
    body["model"] = json!("claude-haiku-4-5+fault=error-after=1");
    let events = create(body).event_json();
    assert_eq!(events[0].1["message"]["model"], "claude-haiku-4-5");
    assert_eq!(events.last().unwrap().0, "error");
    let unknown = faulty("explode", ask(MODEL, "hi", 10));
    assert_eq!(unknown.status, 400);
    assert_eq!(
        unknown.error_message(),
        "x-devserver-fault: fault 'explode': unknown fault"
    );
}

#[test]
fn faults_apply_to_other_endpoints() {
    let models = Call::new("GET", "/v1/models")
        .header("x-devserver-fault", "429:retry-after=2")
        .send(server());
    assert_eq!(
        (models.status, models.header("retry-after")),
        (429, Some("2"))
    );
    let count = Call::new("POST", "/v1/messages/count_tokens")
        .header("x-devserver-fault", "500")
        .json(&json!({"model": MODEL, "messages": [{"role": "user", "content": "x"}]}))
        .send(server());
    assert_eq!(count.status, 500);
}

#[test]
fn streams_are_written_in_varied_pieces() {
    let reply = create(streaming("Tell me a story about Vienna"));
    let events = reply.events();
    assert!(events.len() > 30);
    // Some HTTP chunks hold part of an event, some hold several.
    let mut offset = 0;
    let (mut split, mut shared) = (false, false);
    for size in &reply.chunks {
        let chunk = &reply.body[offset..offset + size];
        split |= !chunk.ends_with(b"\n\n");
        shared |= chunk.windows(8).any(|w| w == b"\n\nevent:");
        offset += size;
    }
    assert!(split && shared, "chunks {:?}", reply.chunks);
}

#[test]
fn tokens_per_second_paces_the_stream() {
    let addr = start(Config {
        tokens_per_second: Some(100.0),
        ..Config::default()
    });
    let reply = Call::new("POST", "/v1/messages")
        .json(&streaming(
            "Say exactly: one two three four five six seven eight nine ten",
        ))
        .send(addr);
    let tokens: usize = 10;
    let took = reply.arrivals.last().unwrap().0 - reply.head_after;
    // 10 tokens at 100/s: at least about 0.1 s, spread over several writes.
    assert!(took >= Duration::from_millis(80), "took {took:?}");
    assert!(reply.arrivals.len() >= tokens / 3, "{:?}", reply.arrivals);
    assert_eq!(
        accumulate(&reply.event_json())["content"][0]["text"],
        "one two three four five six seven eight nine ten"
    );
}
