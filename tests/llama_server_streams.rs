//! Streams in the shape llama.cpp's `llama-server` sends them (recorded from build b10434, with
//! the model's gibberish replaced), decoded natively. Its tool-use stream differs from the
//! API's in two ways the official SDK accepts: `content_block_start` for `tool_use` has no
//! `input`, and the text block is closed only after the tool block started. The interop test
//! (`tests/interop/`) runs the npm package against the live server.

mod common;

use anthropic_wasm::types::{ContentBlock, StopReason};
use common::{run_split, run_whole};
use serde_json::json;

const TOOL_USE: &str = r#"event: message_start
data: {"type":"message_start","message":{"id":"chatcmpl-pBpmj1wOYezfQ3h5RTyv8Xhu2P9Bhjgy","type":"message","role":"assistant","content":[],"model":"tiny-llama","stop_reason":null,"stop_sequence":null,"usage":{"cache_read_input_tokens":73,"input_tokens":99,"output_tokens":0}}}

event: content_block_start
data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

event: content_block_delta
data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Let me check"}}

event: content_block_start
data: {"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"zwGVcScBD62DLEqWDV0CxvjeLbwB7h8o","name":"get_weather"}}

event: content_block_delta
data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{"}}

event: content_block_delta
data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"\"city\" :"}}

event: content_block_delta
data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"\n\"Paris\",\"days\" :"}}

event: content_block_delta
data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"\n                 3 }"}}

event: content_block_stop
data: {"type":"content_block_stop","index":0}

event: content_block_stop
data: {"type":"content_block_stop","index":1}

event: message_delta
data: {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":41}}

event: message_stop
data: {"type":"message_stop"}

"#;

#[test]
fn tool_use_start_without_input_is_filled_by_its_deltas() {
    let trace = run_whole(TOOL_USE.as_bytes());
    assert_eq!(trace.error, None);
    let message = trace.result.as_ref().expect("a complete message");
    assert_eq!(message.stop_reason, Some(StopReason::ToolUse));
    match &message.content[..] {
        [ContentBlock::Text(text), ContentBlock::ToolUse(tool)] => {
            assert_eq!(text.text, "Let me check");
            assert_eq!(tool.name, "get_weather");
            assert_eq!(tool.input, json!({"city": "Paris", "days": 3}));
        }
        other => panic!("expected a text and a tool_use block, got {other:?}"),
    }
    let fragments = trace.helpers.iter().filter(|h| h.starts_with("InputJson"));
    assert_eq!(fragments.count(), 4);
    let finished = trace
        .helpers
        .iter()
        .filter(|h| h.starts_with("ContentBlock"));
    assert_eq!(
        finished.count(),
        2,
        "both blocks end, in llama-server's order"
    );
    assert_eq!(message.usage.cache_read_input_tokens, Some(73));
}

#[test]
fn tool_use_start_without_input_decodes_alike_in_any_chunking() {
    let whole = run_whole(TOOL_USE.as_bytes());
    for sizes in [&[1][..], &[3, 7, 1], &[64]] {
        assert_eq!(
            run_split(TOOL_USE.as_bytes(), sizes),
            whole,
            "chunk sizes {sizes:?}"
        );
    }
}

#[test]
fn tool_use_block_without_input_in_a_message_is_the_empty_object() {
    let block: ContentBlock =
        serde_json::from_value(json!({"type": "tool_use", "id": "x", "name": "get_weather"}))
            .expect("decodes");
    match block {
        ContentBlock::ToolUse(tool) => assert_eq!(tool.input, json!({})),
        other => panic!("expected a tool_use block, got {other:?}"),
    }
}
