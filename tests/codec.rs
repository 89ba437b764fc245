//! The stream codec (`anthropic_wasm_core::stream`) over every shared fixture: batches are
//! JSON whatever the chunking and line ends, the items do not depend on the split, hot
//! payloads are the wire's own literals, and the ops, applied to the wire JSON as the JS shell
//! applies them, give the message with every field and `null` as received.
mod common;

use anthropic_wasm_core::stream::{Op, StreamCodec, MESSAGE_DELTA};
use common::{all_fixtures, crlf, fixture, lone_cr, split};
use serde_json::{json, Value};

/// Every item `(op, index, payload)` of a whole stream fed in `chunks`.
fn items<'a>(chunks: impl IntoIterator<Item = &'a [u8]>, full: bool) -> Vec<(u8, u64, Value)> {
    let mut codec = StreamCodec::new();
    let mut out = Vec::new();
    let mut take = |batch: &[u8]| {
        if batch.is_empty() {
            return;
        }
        let text = String::from_utf8_lossy(batch);
        let Value::Array(flat) = serde_json::from_str::<Value>(&text).expect("a batch is JSON")
        else {
            panic!("a batch is an array: {text}");
        };
        assert_eq!(flat.len() % 3, 0, "items of three: {text}");
        for item in flat.chunks(3) {
            out.push((
                item[0].as_u64().unwrap() as u8,
                item[1].as_u64().unwrap(),
                item[2].clone(),
            ));
        }
    };
    for chunk in chunks {
        take(codec.push(chunk, full));
    }
    take(codec.end(full));
    out
}

/// A fixture whose file ends without the blank line after its last event (as the docs print
/// them), with that blank line: per the SSE spec an unterminated last event is discarded, so
/// without it `message_stop` never arrives (see `an_unterminated_last_event_is_incomplete`).
fn terminated(name: &str) -> Vec<u8> {
    let mut bytes = fixture(name);
    if !bytes.ends_with(b"\n\n") {
        bytes.push(b'\n');
    }
    bytes
}

fn op(name: &str) -> u8 {
    Op::ALL.iter().find(|(_, n)| *n == name).unwrap().0 as u8
}

/// The JS shell's accumulation, in Rust over `serde_json::Value`: the oracle for these tests.
fn accumulate(items: &[(u8, u64, Value)]) -> (Option<Value>, Option<(u8, Value)>) {
    let mut message: Option<Value> = None;
    let mut inputs: Vec<Option<String>> = Vec::new();
    for (code, index, payload) in items {
        let index = *index as usize;
        let code = *code;
        match code {
            c if c == op("MESSAGE_START") => message = Some(payload["message"].clone()),
            c if c == op("BLOCK_START") => {
                let m = message.as_mut().unwrap();
                m["content"]
                    .as_array_mut()
                    .unwrap()
                    .push(payload["content_block"].clone());
                inputs.push(None);
            }
            c if c == op("TEXT") || c == op("THINKING") || c == op("INPUT_JSON") => {
                let (field, text) = match (c, payload) {
                    (c, Value::String(s)) if c == op("TEXT") => ("text", s.clone()),
                    (c, Value::String(s)) if c == op("THINKING") => ("thinking", s.clone()),
                    (_, Value::String(s)) => ("partial_json", s.clone()),
                    (c, event) => {
                        let f = if c == op("TEXT") {
                            "text"
                        } else if c == op("THINKING") {
                            "thinking"
                        } else {
                            "partial_json"
                        };
                        (f, event["delta"][f].as_str().unwrap().to_owned())
                    }
                };
                if field == "partial_json" {
                    inputs[index]
                        .get_or_insert_with(String::new)
                        .push_str(&text);
                } else {
                    let block = &mut message.as_mut().unwrap()["content"][index];
                    let old = block[field].as_str().unwrap_or_default().to_owned();
                    block[field] = Value::String(old + &text);
                }
            }
            c if c == op("SIGNATURE") => {
                message.as_mut().unwrap()["content"][index]["signature"] =
                    payload["delta"]["signature"].clone();
            }
            c if c == op("COMPACTION") => {
                let block = &mut message.as_mut().unwrap()["content"][index];
                if let Some(text) = payload["delta"]["content"].as_str() {
                    let old = block["content"].as_str().unwrap_or_default().to_owned();
                    block["content"] = Value::String(old + text);
                }
                if !payload["delta"]["encrypted_content"].is_null() {
                    block["encrypted_content"] = payload["delta"]["encrypted_content"].clone();
                }
            }
            c if c == op("BLOCK_STOP") => {
                if let Some(input) = inputs[index].take() {
                    message.as_mut().unwrap()["content"][index]["input"] =
                        serde_json::from_str(&input).expect("tool input JSON");
                }
            }
            c if c == op("MESSAGE_DELTA") => {
                let m = message.as_mut().unwrap().as_object_mut().unwrap();
                let delta = &payload["delta"];
                for key in MESSAGE_DELTA.assign {
                    m.insert((*key).into(), delta[*key].clone());
                }
                for key in MESSAGE_DELTA.assign_if_set {
                    if !delta[*key].is_null() {
                        m.insert((*key).into(), delta[*key].clone());
                    }
                }
                if let Some(counts) = payload["usage"].as_object() {
                    let usage = m.entry("usage").or_insert_with(|| json!({}));
                    for key in MESSAGE_DELTA.usage_assign {
                        usage[*key] = counts.get(*key).cloned().unwrap_or_default();
                    }
                    for key in MESSAGE_DELTA.usage_assign_if_set {
                        if let Some(value) = counts.get(*key).filter(|v| !v.is_null()) {
                            usage[*key] = value.clone();
                        }
                    }
                }
            }
            c if c == op("MESSAGE_STOP") || c == op("RAW") || c == op("CITATION") => {}
            c => return (message, Some((c, payload.clone()))),
        }
    }
    (message, None)
}

#[test]
fn every_split_and_line_end_gives_the_same_items() {
    for (name, bytes) in all_fixtures() {
        let whole = items([&bytes[..]], true);
        assert!(!whole.is_empty(), "{name}");
        for variant in [bytes.clone(), crlf(&bytes), lone_cr(&bytes)] {
            for sizes in [&[usize::MAX][..], &[1], &[3, 1, 7, 2, 64, 5], &[4096]] {
                for full in [true, false] {
                    let got = items(split(&variant, sizes), full);
                    let want = if full {
                        whole.clone()
                    } else {
                        items([&bytes[..]], false)
                    };
                    assert_eq!(got, want, "{name}, sizes {sizes:?}, full {full}");
                }
            }
        }
    }
}

/// The hot delta an item stands for, as the JS shell rebuilds it from a literal payload.
fn rebuilt(code: u8, index: u64, payload: &Value) -> Value {
    let (delta_type, field) = match code {
        c if c == op("TEXT") => ("text_delta", "text"),
        c if c == op("INPUT_JSON") => ("input_json_delta", "partial_json"),
        c if c == op("THINKING") => ("thinking_delta", "thinking"),
        _ => return payload.clone(),
    };
    if !payload.is_string() {
        return payload.clone();
    }
    json!({"type": "content_block_delta", "index": index, "delta": {"type": delta_type, field: payload}})
}

#[test]
fn hot_payloads_are_the_delta_literals_when_events_are_not_needed() {
    let bytes = fixture("docs-tool-use.sse");
    let full = items([&bytes[..]], true);
    let compact = items([&bytes[..]], false);
    assert_eq!(full.len(), compact.len());
    let mut hot = 0;
    for ((code, index, event), (code2, index2, payload)) in full.iter().zip(&compact) {
        assert_eq!((code, index), (code2, index2));
        let event = rebuilt(*code, *index, event);
        if *code == op("TEXT") {
            assert_eq!(&event["delta"]["text"], payload);
            hot += 1;
        } else if *code == op("INPUT_JSON") {
            assert_eq!(&event["delta"]["partial_json"], payload);
            hot += 1;
        } else {
            assert_eq!(&event, payload);
        }
    }
    assert_eq!(hot, 13 + 6, "the docs' 13 text deltas and 6 JSON fragments");
}

#[test]
fn whole_hot_deltas_come_as_their_literal_only_when_nothing_else_is_in_them() {
    let stream = |delta: &str| {
        format!(
            "event: message_start\ndata: {{\"type\":\"message_start\",\"message\":{{\"content\":[]}}}}\n\n\
             event: content_block_start\ndata: {{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{{\"type\":\"text\",\"text\":\"\"}}}}\n\n\
             event: content_block_delta\ndata: {delta}\n\n"
        )
    };
    let cases = [
        (
            r#"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"}}"#,
            true,
        ),
        (
            r#"{ "type": "content_block_delta", "index": 0, "delta": { "type": "text_delta", "text": "Hi" } }"#,
            true,
        ),
        (
            r#"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi","x":null}}"#,
            false,
        ),
        (
            r#"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"},"extra":1}"#,
            false,
        ),
        (
            r#"{"index":0,"type":"content_block_delta","delta":{"type":"text_delta","text":"Hi"}}"#,
            false,
        ),
    ];
    for (delta, literal) in cases {
        let got = items([stream(delta).as_bytes()], true);
        let (code, index, payload) = got
            .iter()
            .find(|(code, ..)| *code == op("TEXT"))
            .expect("the delta's item");
        assert_eq!(payload.is_string(), literal, "{delta}");
        let wire: Value = serde_json::from_str(delta).expect("JSON");
        assert_eq!(rebuilt(*code, *index, payload), wire, "{delta}");
    }
}

#[test]
fn message_start_without_usage_accumulates_as_received() {
    // The docs' own extended-thinking example: no `usage` in message_start.
    let (message, failure) = accumulate(&items(
        [&terminated("docs-extended-thinking.sse")[..]],
        false,
    ));
    assert_eq!(failure, None);
    let message = message.unwrap();
    assert_eq!(message["content"][0]["type"], "thinking");
    assert!(message["content"][0]["thinking"]
        .as_str()
        .unwrap()
        .contains("GCD(1071, 462) = 21"));
    assert!(message["content"][0]["signature"]
        .as_str()
        .unwrap()
        .starts_with("EqQB"));
    assert_eq!(message["content"][1]["type"], "text");
    assert_eq!(message["stop_sequence"], Value::Null, "nulls kept");
    assert_eq!(
        message.get("usage"),
        None,
        "the fixture has no usage anywhere: none is made up"
    );
}

#[test]
fn tool_input_is_parsed_at_the_block_stop_and_nulls_are_kept() {
    let (message, failure) = accumulate(&items([&terminated("docs-tool-use.sse")[..]], true));
    assert_eq!(failure, None);
    let message = message.unwrap();
    let tool = message["content"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["type"] == "tool_use");
    assert_eq!(
        tool.unwrap()["input"],
        json!({"location": "San Francisco, CA"})
    );
    assert_eq!(message["stop_reason"], "tool_use");
}

#[test]
fn an_unterminated_last_event_is_incomplete() {
    let got = items([&fixture("docs-tool-use.sse")[..]], false);
    let (message, failure) = accumulate(&got);
    let (code, payload) = failure.unwrap();
    assert_eq!(code, op("INCOMPLETE"));
    assert_eq!(
        payload["message"],
        "the stream ended in the middle of an event"
    );
    assert_eq!(
        message.unwrap()["stop_reason"],
        "tool_use",
        "everything before it kept"
    );
}

#[test]
fn an_error_event_ends_the_stream_after_the_events_before_it() {
    let got = items([&fixture("composed-error-mid-stream.sse")[..]], false);
    let (message, failure) = accumulate(&got);
    let (code, body) = failure.expect("a terminal item");
    assert_eq!(code, op("ERROR"));
    assert_eq!(body["error"]["type"], "overloaded_error");
    assert!(
        message.unwrap()["content"][0]["text"].as_str().is_some(),
        "partial message kept"
    );
}

#[test]
fn broken_streams_end_with_a_clear_item() {
    let start =
        "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"content\":[]}}\n\n";
    let cases = [
        (format!("{start}event: content_block_delta\ndata: {{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{{\"type\":\"text_delta\",\"text\":\"a\"}}}}\n\n"),
         "INVALID", "content_block_delta for index 0, which never started"),
        (format!("{start}event: content_block_start\ndata: {{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{{\"type\":\"text\",\"text\":\"\"}}}}\n\nevent: content_block_delta\ndata: {{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{{\"type\":\"text_delta\",\"text\":\"a\"}}\n\n"),
         "INVALID", "not JSON"),
        (format!("{start}{start}"), "INVALID", "a second message_start"),
        (start.to_owned(), "INCOMPLETE", "without message_stop"),
        (String::new(), "INCOMPLETE", "before message_start"),
        (format!("{start}data: {{\"type\":\"message_stop\"}}"), "INCOMPLETE", "in the middle of an event"),
        ("event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n".to_owned(),
         "INVALID", "before message_start"),
    ];
    for (stream, want, says) in cases {
        let got = items([stream.as_bytes()], false);
        let (code, _, payload) = got.last().unwrap().clone();
        assert_eq!(code, op(want), "{stream}");
        assert!(
            payload["message"].as_str().unwrap().contains(says),
            "{payload} / {says}"
        );
    }
}

#[test]
fn the_terminal_item_is_kept_for_the_typed_error() {
    let mut codec = StreamCodec::new();
    let batch = codec
        .push(&fixture("composed-error-mid-stream.sse"), false)
        .to_vec();
    let (op, payload) = codec.terminal().expect("ended by the error event");
    assert_eq!(op, Op::Error);
    let body: Value = serde_json::from_slice(payload).unwrap();
    assert_eq!(body["error"]["type"], "overloaded_error");
    assert!(codec.has_ended());
    assert!(batch.ends_with(&[payload, b"]"].concat()));
    let mut codec = StreamCodec::new();
    let start = "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{}}\n\n";
    codec.push(start.as_bytes(), false);
    assert_eq!(codec.terminal(), None);
    codec.end(false);
    let (op, payload) = codec.terminal().unwrap();
    assert_eq!(op, Op::Incomplete);
    assert_eq!(
        payload,
        br#"{"message":"the stream ended without message_stop"}"#
    );
}

#[test]
fn pings_unnamed_and_empty_events_are_dropped_unknown_ones_pass_raw() {
    let stream = "event: ping\ndata: {\"type\":\"ping\"}\n\ndata: {\"type\":\"x\"}\n\nevent: e\ndata:\n\nevent: future\ndata: {\"type\":\"future_event\",\"n\":null}\n\n";
    let got = items([stream.as_bytes()], false);
    assert_eq!(
        got[0],
        (op("RAW"), 0, json!({"type": "future_event", "n": null}))
    );
    assert_eq!(got[1].0, op("INCOMPLETE"));
    assert_eq!(got.len(), 2);
}

#[test]
fn items_lend_the_spans_of_the_batch() {
    for (name, bytes) in all_fixtures() {
        for full in [true, false] {
            let mut codec = StreamCodec::new();
            let check = |batch: Vec<u8>, lent: Vec<anthropic_wasm_core::stream::Item>| {
                if batch.is_empty() {
                    assert!(lent.is_empty());
                    return;
                }
                let flat: Vec<Value> = serde_json::from_slice(&batch).unwrap();
                assert_eq!(flat.len(), lent.len() * 3, "{name}");
                for (item, parsed) in lent.iter().zip(flat.chunks(3)) {
                    assert_eq!(item.op as u64, parsed[0].as_u64().unwrap(), "{name}");
                    assert_eq!(item.index as u64, parsed[1].as_u64().unwrap(), "{name}");
                    let payload: Value =
                        serde_json::from_slice(&batch[item.payload.0..item.payload.1]).unwrap();
                    assert_eq!(payload, parsed[2], "{name}");
                    if let Some((start, end)) = item.text {
                        let text: Value = serde_json::from_slice(&batch[start..end]).unwrap();
                        assert!(text.is_string(), "{name}");
                        if !full {
                            assert_eq!(text, parsed[2], "{name}");
                        }
                    }
                }
            };
            for chunk in split(&bytes, &[5, 17, 64]) {
                let batch = codec.push(chunk, full).to_vec();
                check(batch, codec.items().to_vec());
            }
            let batch = codec.end(full).to_vec();
            check(batch, codec.items().to_vec());
        }
    }
}
