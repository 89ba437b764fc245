//! The wire's nulls given back to serialized snapshots: a field that arrived as `null` is `null`
//! again, a field that never arrived is absent, whatever the Rust types would write.

use anthropic_wasm::accumulate::StreamParser;
use anthropic_wasm::headers::Headers;
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

/// Runs the events through a parser; returns the shaped snapshot and each shaped block.
fn shaped(events: &[Value]) -> (Value, Vec<Value>) {
    let mut parser = StreamParser::new(Headers::new());
    parser.push(sse(events).as_bytes());
    parser.end();
    while let Some(step) = parser.next_step() {
        step.expect("a valid stream");
    }
    let message = parser.snapshot().expect("a snapshot");
    let mut value = serde_json::to_value(&message).unwrap();
    parser.shape().apply_to_message(&mut value);
    let blocks = message
        .content
        .iter()
        .enumerate()
        .map(|(index, block)| {
            let mut block = serde_json::to_value(block).unwrap();
            parser.shape().apply_to_block(index, &mut block);
            block
        })
        .collect();
    (value, blocks)
}

fn start(message: Value) -> Value {
    json!({"type": "message_start", "message": message})
}

#[test]
fn nulls_come_back_and_absent_fields_stay_absent() {
    let (message, blocks) = shaped(&[
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
    let block = blocks[0].as_object().unwrap();
    assert!(block.contains_key("citations") && block["citations"].is_null());
    assert_eq!(message["content"][0], blocks[0]);
}

#[test]
fn a_stream_without_nulls_gets_none_added() {
    let (message, blocks) = shaped(&[
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
        blocks[0]["input"],
        json!({"a": null}),
        "data inside a block is never shaped"
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
    let (message, _) = shaped(&[
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
