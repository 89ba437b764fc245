//! The snapshot as the wire sent it (`StreamParser::snapshot_json`): a field that arrived as
//! `null` is `null`, a field that never arrived is absent, at any depth, whatever the Rust
//! types would write; the typed `Message` is made from it only at the edge.

mod common;

use anthropic_wasm::accumulate::StreamParser;
use anthropic_wasm::headers::Headers;
use anthropic_wasm::types::{ContentBlock, StopReason};
use serde_json::{json, Value};

fn sse(events: &[Value]) -> String {
    events
        .iter()
        .map(|data| {
            format!(
                "event: {}\ndata: {data}\n\n",
                data["type"].as_str().unwrap()
            )
        })
        .collect()
}

/// Runs `bytes` through a parser; returns it, drained and finished.
fn parsed(bytes: &[u8]) -> StreamParser {
    let mut parser = StreamParser::new(Headers::new());
    parser.push(bytes);
    parser.end();
    while let Some(step) = parser.next_step() {
        step.expect("a valid stream");
    }
    parser.finish().expect("a complete message");
    parser
}

/// The wire snapshot of a stream of `events`.
fn shaped(events: &[Value]) -> Value {
    parsed(sse(events).as_bytes())
        .snapshot_json()
        .expect("a snapshot")
}

fn start(message: Value) -> Value {
    json!({"type": "message_start", "message": message})
}

#[test]
fn nulls_come_back_and_absent_fields_stay_absent() {
    let message = shaped(&[
        start(json!({
            "id": "msg_1", "type": "message", "role": "assistant", "model": "m", "content": [],
            "stop_reason": null, "stop_sequence": null, "container": null,
            "usage": {"input_tokens": 5, "output_tokens": 1, "inference_geo": null}
        })),
        json!({"type": "content_block_start", "index": 0,
               "content_block": {"type": "text", "text": "", "citations": null}}),
        json!({"type": "content_block_delta", "index": 0,
               "delta": {"type": "text_delta", "text": "Hi"}}),
        json!({"type": "content_block_stop", "index": 0}),
        json!({"type": "message_delta", "delta": {"stop_reason": "end_turn", "stop_sequence": null, "stop_details": null},
               "usage": {"output_tokens": 2}}),
        json!({"type": "message_stop"}),
    ]);
    assert_eq!(message["container"], Value::Null);
    assert!(message.as_object().unwrap().contains_key("container"));
    assert!(message.as_object().unwrap().contains_key("stop_details"));
    let usage = message["usage"].as_object().unwrap();
    assert!(usage.contains_key("inference_geo"));
    assert!(
        !usage.contains_key("cache_creation_input_tokens"),
        "never sent, so not null either: {usage:?}"
    );
    assert!(!usage.contains_key("cache_read_input_tokens"));
    assert_eq!(usage["output_tokens"], 2);
    let block = message["content"][0].as_object().unwrap();
    assert!(block.contains_key("citations") && block["citations"].is_null());
    assert_eq!(block["text"], "Hi");
}

#[test]
fn a_stream_without_nulls_gets_none_added() {
    let message = shaped(&[
        start(json!({
            "id": "msg_1", "type": "message", "role": "assistant", "model": "m", "content": [],
            "stop_reason": null, "stop_sequence": null, "usage": {"input_tokens": 5, "output_tokens": 1}
        })),
        json!({"type": "content_block_start", "index": 0,
               "content_block": {"type": "tool_use", "id": "toolu_1", "name": "f", "input": {}}}),
        json!({"type": "content_block_delta", "index": 0,
               "delta": {"type": "input_json_delta", "partial_json": "{\"a\": null}"}}),
        json!({"type": "content_block_stop", "index": 0}),
        json!({"type": "message_delta", "delta": {"stop_reason": "tool_use"}, "usage": {"output_tokens": 9}}),
        json!({"type": "message_stop"}),
    ]);
    let object = message.as_object().unwrap();
    assert!(!object.contains_key("container"));
    assert!(
        !object.contains_key("stop_sequence"),
        "message_delta left it out, so the official snapshot has it undefined"
    );
    assert_eq!(
        message["content"][0]["input"],
        json!({"a": null}),
        "tool input is the parse of its JSON text"
    );
    assert_eq!(
        message["usage"]
            .as_object()
            .unwrap()
            .keys()
            .collect::<Vec<_>>(),
        ["input_tokens", "output_tokens"]
    );
}

#[test]
fn citations_keep_their_nulls() {
    let citation = json!({"type": "char_location", "cited_text": "x", "document_index": 0,
                          "document_title": null, "start_char_index": 0, "end_char_index": 1});
    let message = shaped(&[
        start(json!({
            "id": "msg_1", "type": "message", "role": "assistant", "model": "m", "content": [],
            "stop_reason": null, "stop_sequence": null, "usage": {"input_tokens": 5, "output_tokens": 1}
        })),
        json!({"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}),
        json!({"type": "content_block_delta", "index": 0,
               "delta": {"type": "citations_delta", "citation": citation}}),
        json!({"type": "content_block_stop", "index": 0}),
        json!({"type": "message_delta", "delta": {"stop_reason": "end_turn", "stop_sequence": null}, "usage": {"output_tokens": 9}}),
        json!({"type": "message_stop"}),
    ]);
    assert_eq!(message["content"][0]["citations"][0], citation);
}

#[test]
fn message_start_without_usage_gives_a_message_and_no_usage_is_made_up() {
    // The docs' own extended-thinking example, with the blank line the docs page drops after
    // its last event (without it, per the SSE spec, message_stop never arrives).
    let mut bytes = common::fixture("docs-extended-thinking.sse");
    bytes.push(b'\n');
    let mut parser = parsed(&bytes);
    let message = parser.finish().expect("a Message");
    assert_eq!(message.stop_reason, Some(StopReason::EndTurn));
    assert_eq!(
        (message.usage.input_tokens, message.usage.output_tokens),
        (0, 0),
        "the typed Message defaults what never arrived"
    );
    let ContentBlock::Thinking(thinking) = &message.content[0] else {
        panic!("thinking first: {message:?}")
    };
    assert!(thinking.thinking.ends_with("GCD(1071, 462) = 21."));
    let wire = parser.snapshot_json().unwrap();
    assert_eq!(
        wire.get("usage"),
        None,
        "none made up in the wire JSON: {wire}"
    );
    assert_eq!(wire["stop_sequence"], Value::Null);
}

#[test]
fn nulls_inside_content_blocks_are_kept() {
    let block = json!({"type": "web_search_tool_result", "tool_use_id": "srvtoolu_1", "content": [
        {"type": "web_search_result", "title": "T", "url": "https://example.com",
         "encrypted_content": "e", "page_age": null, "future": {"nested": null}}]});
    let message = shaped(&[
        start(json!({
            "id": "msg_1", "type": "message", "role": "assistant", "model": "m", "content": [],
            "stop_reason": null, "stop_sequence": null, "usage": {"input_tokens": 1, "output_tokens": 1}
        })),
        json!({"type": "content_block_start", "index": 0, "content_block": block}),
        json!({"type": "content_block_stop", "index": 0}),
        json!({"type": "message_delta", "delta": {"stop_reason": "end_turn", "stop_sequence": null}, "usage": {"output_tokens": 2}}),
        json!({"type": "message_stop"}),
    ]);
    assert_eq!(message["content"][0], block);
}

/// Every event of `bytes` typed by `Step::event`, the parser keeping whole events or not.
fn events(bytes: &[u8], whole: bool) -> Vec<String> {
    let mut parser = StreamParser::new(Headers::new());
    parser.set_whole_events(whole);
    let mut out = Vec::new();
    for chunk in bytes.chunks(13) {
        parser.push(chunk);
        while let Some(step) = parser.next_step() {
            out.push(format!("{:?}", step.and_then(|step| step.event())));
        }
    }
    parser.end();
    while let Some(step) = parser.next_step() {
        out.push(format!("{:?}", step.and_then(|step| step.event())));
    }
    out
}

#[test]
fn events_are_the_same_whether_hot_deltas_come_whole_or_as_their_literal() {
    for (name, bytes) in common::all_fixtures() {
        let whole = events(&bytes, true);
        assert_eq!(events(&bytes, false), whole, "{name}");
    }
}

#[test]
fn an_event_of_an_unknown_kind_is_kept_as_received() {
    let stream = "event: mystery\ndata: \"hello\"\n\nevent: mystery\ndata: {\"type\": \"mystery\", \"x\": null}\n\n";
    let events = events(stream.as_bytes(), false);
    assert_eq!(
        events,
        [
            r#"Ok(Unknown { event: "", data: String("hello") })"#,
            r#"Ok(Unknown { event: "mystery", data: Object {"type": String("mystery"), "x": Null} })"#,
        ],
        "an early end is the finish's error, not an event's"
    );
}
