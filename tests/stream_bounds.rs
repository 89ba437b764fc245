//! What a long or hostile reply may cost (issue 13): the batch results reader is linear in a
//! long line, a stream's idle timer goes when its body ends, and the client's limits on an
//! event's size and a tool input's size end a stream with a typed error, the message so far
//! kept, before the buffer grows past them.

mod common;

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;
use std::time::Duration;

use anthropic_wasm::client::transport::{HttpRequest, HttpResponse, ResponseBody, Transport};
use anthropic_wasm::client::{Client, ClientOptions, MessageStream, RequestOptions};
use anthropic_wasm::error::{ApiKey, Error, StreamLimit};
use anthropic_wasm::stream::{Limits, Op, StreamCodec};
use anthropic_wasm::types::ContentBlock;
use common::scripted::{block_on, chunks_of, client, client_with, params, sse, Chunk, Reply};
use common::scripted::{Scripted, YieldOnce, KEY};
use serde_json::json;

fn ended_batch() -> serde_json::Value {
    json!({"id": "msgbatch_1", "type": "message_batch", "processing_status": "ended",
        "request_counts": {"processing": 0, "succeeded": 1, "errored": 0, "canceled": 0, "expired": 0},
        "created_at": "2026-01-01T00:00:00Z", "expires_at": "2026-01-02T00:00:00Z",
        "results_url": "https://api.anthropic.com/v1/messages/batches/msgbatch_1/results"})
}

#[test]
fn the_batch_results_reader_is_linear_on_a_long_line() {
    let long = format!(
        r#"{{"custom_id":"a","result":{{"type":"canceled"}},"pad":"{}"}}"#,
        "x".repeat(4 << 20)
    );
    let body = format!(
        "{long}\n{}\n",
        r#"{"custom_id":"b","result":{"type":"expired"}}"#
    );
    let chunks = chunks_of(body.as_bytes(), 1024);
    let pushes = chunks.len() as u64;
    let script = Scripted::default();
    script.json(200, ended_batch());
    script.reply(Reply::Response {
        status: 200,
        headers: vec![],
        chunks,
    });
    let mut results = block_on(
        client(&script)
            .batches()
            .results("msgbatch_1", &RequestOptions::default()),
    )
    .unwrap();
    let mut ids = Vec::new();
    while let Some(line) = block_on(results.next()) {
        ids.push(line.unwrap().custom_id);
    }
    assert_eq!(ids, ["a", "b"]);
    // Every byte looked at for a line end once (and the end of the body once more): a reader
    // that rescans its buffer per chunk looks at about pushes x line / 2 bytes.
    let bound = body.len() as u64 + pushes;
    assert!(
        results.bytes_scanned() <= bound,
        "{} bytes scanned for {} bytes",
        results.bytes_scanned(),
        body.len()
    );
}

/// A transport whose timers never fire and count themselves while they exist, and whose body
/// chunks each wait one poll (so a read races the idle timer, as over a network).
#[derive(Clone, Default)]
struct CountedTimers {
    live: Rc<Cell<usize>>,
    chunks: Rc<RefCell<VecDeque<Vec<u8>>>>,
}

struct Live(Rc<Cell<usize>>);

impl Drop for Live {
    fn drop(&mut self) {
        self.0.set(self.0.get() - 1);
    }
}

struct SlowBody(Rc<RefCell<VecDeque<Vec<u8>>>>);

impl ResponseBody for SlowBody {
    async fn next_chunk(&mut self) -> Option<Result<Vec<u8>, Error>> {
        YieldOnce(false).await;
        self.0.borrow_mut().pop_front().map(Ok)
    }
}

impl Transport for CountedTimers {
    type Body = SlowBody;

    async fn send(&self, _: HttpRequest) -> Result<HttpResponse<SlowBody>, Error> {
        Ok(HttpResponse {
            status: 200,
            headers: Default::default(),
            body: SlowBody(Rc::clone(&self.chunks)),
        })
    }

    async fn sleep(&self, _: Duration) {
        self.live.set(self.live.get() + 1);
        let _live = Live(Rc::clone(&self.live));
        std::future::pending::<()>().await;
    }

    fn now_unix_ms(&self) -> f64 {
        0.0
    }

    fn random(&self) -> f64 {
        0.0
    }
}

#[test]
fn the_idle_timer_goes_when_the_body_ends() {
    let transport = CountedTimers::default();
    let fixture = common::fixture("sdk-ts-basic-text.sse");
    transport
        .chunks
        .borrow_mut()
        .extend(fixture.chunks(64).map(<[u8]>::to_vec));
    let client = Client::new(
        transport.clone(),
        ClientOptions {
            api_key: Some(ApiKey::new(KEY)),
            ..ClientOptions::default()
        },
    );
    let mut stream = block_on(
        client
            .messages()
            .stream(&params(), &RequestOptions::default()),
    )
    .unwrap();
    assert_eq!(
        block_on(stream.final_message()).unwrap().text(),
        "Hello there!"
    );
    assert_eq!(
        transport.live.get(),
        0,
        "a timer outlived the body, with the stream still held"
    );
    drop(stream);
}

fn limited(max_event_bytes: usize, max_tool_input_bytes: usize) -> ClientOptions {
    ClientOptions {
        api_key: Some(ApiKey::new(KEY)),
        max_event_bytes,
        max_tool_input_bytes,
        ..ClientOptions::default()
    }
}

/// A stream of `chunks` read to its end with these options: its error, and the stream.
fn failed_stream(chunks: Vec<Chunk>, options: ClientOptions) -> (Error, MessageStream<Scripted>) {
    let script = Scripted::default();
    script.reply(sse(200, chunks));
    let mut stream = block_on(
        client_with(&script, options)
            .messages()
            .stream(&params(), &RequestOptions::default()),
    )
    .unwrap();
    let error = block_on(stream.final_message()).unwrap_err();
    (error, stream)
}

fn event(name: &str, data: &serde_json::Value) -> String {
    format!("event: {name}\ndata: {data}\n\n")
}

fn start_and_text() -> String {
    let start = json!({"type": "message_start", "message": {"id": "msg_1", "type": "message",
        "role": "assistant", "model": "claude-sonnet-4-5", "content": [], "stop_reason": null,
        "stop_sequence": null, "usage": {"input_tokens": 1, "output_tokens": 0}}});
    let block = json!({"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}});
    let delta = json!({"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "Hi"}});
    event("message_start", &start)
        + &event("content_block_start", &block)
        + &event("content_block_delta", &delta)
}

#[test]
fn an_event_over_max_event_bytes_ends_the_stream_and_keeps_the_message() {
    let big = json!({"type": "content_block_delta", "index": 0,
        "delta": {"type": "text_delta", "text": "y".repeat(3000)}});
    // A whole event over the limit, and a line that never ends (then the body stalls: it is
    // refused when it passes the limit, not buffered until the idle timeout).
    for tail in [
        vec![Chunk::Bytes(
            event("content_block_delta", &big).into_bytes(),
        )],
        vec![
            Chunk::Bytes(format!("data: {}", "z".repeat(2000)).into_bytes()),
            Chunk::Bytes("z".repeat(2000).into_bytes()),
            Chunk::Stall,
        ],
        vec![
            Chunk::Bytes(b": ".to_vec()),
            Chunk::Bytes("c".repeat(5000).into_bytes()),
            Chunk::Stall,
        ],
    ] {
        let mut chunks = chunks_of(start_and_text().as_bytes(), 100);
        chunks.extend(tail);
        let (error, stream) = failed_stream(chunks, limited(2048, 1 << 20));
        assert_eq!(
            error,
            Error::LimitExceeded {
                limit: StreamLimit::EventBytes,
                max: 2048
            }
        );
        assert!(error.to_string().contains("max_event_bytes"), "{error}");
        assert_eq!(stream.snapshot().unwrap().text(), "Hi");
    }
}

#[test]
fn a_tool_input_over_max_tool_input_bytes_ends_the_stream_and_keeps_the_input_so_far() {
    let start = start_and_text();
    let tool = json!({"type": "content_block_start", "index": 1,
        "content_block": {"type": "tool_use", "id": "toolu_1", "name": "f", "input": {}}});
    let mut body = start + &event("content_block_start", &tool);
    let fragments = [r#"{"a":1,"#, r#""b":2,"#, r#""c":3,"#, r#""d":4}"#];
    for fragment in fragments {
        let delta = json!({"type": "content_block_delta", "index": 1,
            "delta": {"type": "input_json_delta", "partial_json": fragment}});
        body += &event("content_block_delta", &delta);
    }
    // Fragments of 9, 8, 8, 8 bytes as sent (escaped quotes count 2): the third passes 20.
    let (error, stream) = failed_stream(chunks_of(body.as_bytes(), 50), limited(1 << 20, 20));
    assert_eq!(
        error,
        Error::LimitExceeded {
            limit: StreamLimit::ToolInputBytes,
            max: 20
        }
    );
    let snapshot = stream.snapshot_json().unwrap();
    assert_eq!(snapshot["content"][0]["text"], "Hi");
    assert_eq!(snapshot["content"][1]["input"], json!({"a": 1, "b": 2}));
    assert!(matches!(
        stream.snapshot().unwrap().content.get(1),
        Some(ContentBlock::ToolUse { .. })
    ));
}

/// The codec's verdict on a limit does not depend on how the body is cut, and the defaults are
/// generous (16 MiB) but bounded.
#[test]
fn limits_decide_the_same_for_any_chunking() {
    assert_eq!(Limits::default().max_event_bytes, 16 << 20);
    assert_eq!(Limits::default().max_tool_input_bytes, 16 << 20);
    let body = start_and_text()
        + &event(
            "content_block_delta",
            &json!({"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "abcdefghij"}}),
        );
    let body = body.as_bytes();
    for max in [100, 150, 200, 250, 300, 400, 1000] {
        let run = |size: usize| {
            let mut codec = StreamCodec::with_limits(Limits {
                max_event_bytes: max,
                ..Limits::default()
            });
            let mut ops = Vec::new();
            for chunk in body.chunks(size) {
                codec.push(chunk, true);
                ops.extend(codec.items().iter().map(|item| item.op));
            }
            codec.end(true);
            ops.extend(codec.items().iter().map(|item| item.op));
            ops
        };
        let whole = run(body.len());
        for size in [1, 2, 3, 7, 64] {
            assert_eq!(run(size), whole, "max {max}, chunks of {size}");
        }
        // message_start's line is the longest: 217 bytes.
        let too_large = whole.contains(&Op::TooLarge);
        assert_eq!(too_large, max < 217, "max {max}: {whole:?}");
    }
}
