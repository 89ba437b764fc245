//! Property tests of the whole pipeline (bytes → SSE → events → Message): splitting never
//! changes anything, arbitrary bytes never panic, and generated streams accumulate to the
//! message the generator built.

mod common;

use anthropic_wasm::types::{ContentBlock, StopReason};
use common::{all_fixtures, crlf, lone_cr, run_chunks, run_split, run_whole, split, Trace};
use proptest::prelude::*;
use serde_json::{json, Value};
use std::sync::OnceLock;

/// Every fixture in LF, CRLF and lone-CR form, with the trace of its LF form read whole.
fn fixture_cases() -> &'static [(String, Vec<u8>, Trace)] {
    static CASES: OnceLock<Vec<(String, Vec<u8>, Trace)>> = OnceLock::new();
    CASES.get_or_init(|| {
        let mut cases = Vec::new();
        for (name, lf) in all_fixtures() {
            for (tag, bytes) in [
                ("LF", lf.clone()),
                ("CRLF", crlf(&lf)),
                ("CR", lone_cr(&lf)),
            ] {
                cases.push((format!("{name} ({tag})"), bytes, run_whole(&lf)));
            }
        }
        cases
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    /// 1000 random splits of every fixture, in every line-end form, give the events, helper
    /// events, errors, final message and snapshot of the LF fixture read whole.
    #[test]
    fn fixtures_survive_any_split(sizes in prop::collection::vec(1usize..=64, 1..16)) {
        for (name, bytes, expected) in fixture_cases() {
            let trace = run_split(bytes, &sizes);
            prop_assert_eq!(&trace, expected, "{} split as {:?}", name, sizes);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// Random bytes, biased towards SSE syntax, never panic however they are split.
    #[test]
    fn random_bytes_never_panic(
        bytes in prop::collection::vec(prop_oneof![
            4 => any::<u8>(),
            2 => Just(b'\n'), 1 => Just(b'\r'), 1 => Just(b':'), 1 => Just(b'{'), 1 => Just(b'"'),
        ], 0..600),
        sizes in prop::collection::vec(1usize..=32, 1..8),
    ) {
        let _ = run_chunks(split(&bytes, &sizes));
    }

    /// Event-shaped input with random names and random JSON data never panics: every problem
    /// is a typed error, and the snapshot is always readable.
    #[test]
    fn random_events_never_panic(events in prop::collection::vec((event_name(), json_data()), 0..24), size in 1usize..=48) {
        let mut stream = String::new();
        for (name, data) in &events {
            stream.push_str(&format!("event: {name}\ndata: {data}\n\n"));
        }
        let trace = run_chunks(split(stream.as_bytes(), &[size]));
        if trace.result.is_ok() {
            prop_assert!(trace.snapshot.is_some());
        }
    }
}

fn event_name() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("message_start".to_owned()),
        Just("content_block_start".to_owned()),
        Just("content_block_delta".to_owned()),
        Just("content_block_stop".to_owned()),
        Just("message_delta".to_owned()),
        Just("message_stop".to_owned()),
        Just("ping".to_owned()),
        Just("error".to_owned()),
        "[a-z_]{1,12}",
    ]
}

/// Data that is sometimes the right shape for some event, sometimes not.
fn json_data() -> impl Strategy<Value = String> {
    let index = 0usize..4;
    prop_oneof![
        Just(r#"{"type":"message_start","message":{"id":"m","type":"message","role":"assistant","model":"x","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":1,"output_tokens":1}}}"#.to_owned()),
        (index.clone(), prop_oneof![Just("text"), Just("tool_use"), Just("thinking"), Just("server_tool_use"), Just("mystery")]).prop_map(|(i, kind)| {
            json!({"type": "content_block_start", "index": i, "content_block":
                {"type": kind, "text": "", "thinking": "", "signature": "", "id": "t", "name": "n", "input": {}}}).to_string()
        }),
        (index.clone(), prop_oneof![Just("text_delta"), Just("input_json_delta"), Just("thinking_delta"), Just("signature_delta"), Just("citations_delta"), Just("weird_delta")], "[ -~]{0,12}").prop_map(|(i, kind, text)| {
            json!({"type": "content_block_delta", "index": i, "delta":
                {"type": kind, "text": text, "partial_json": text, "thinking": text, "signature": text,
                 "citation": {"type": "char_location", "cited_text": text, "document_index": 0, "start_char_index": 0, "end_char_index": 1}}}).to_string()
        }),
        index.prop_map(|i| json!({"type": "content_block_stop", "index": i}).to_string()),
        Just(r#"{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":3}}"#.to_owned()),
        Just(r#"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#.to_owned()),
        "[ -~]{0,40}",
    ]
}

/// A well-formed stream: text blocks from random pieces, tool blocks whose input JSON is
/// cut into random fragments. Returns the stream and the content it must produce.
fn generated_stream() -> impl Strategy<Value = (String, Vec<Value>)> {
    let block = prop_oneof![
        prop::collection::vec("\\PC{0,8}", 0..6).prop_map(|pieces| (true, pieces)),
        (
            prop::collection::btree_map("[a-z]{1,6}", "\\PC{0,10}", 0..5),
            prop::collection::vec(1usize..8, 1..6)
        )
            .prop_map(|(map, cuts)| {
                let text = serde_json::to_string(&map).unwrap();
                let mut fragments = Vec::new();
                let mut rest = text.as_str();
                for cut in cuts.iter().cycle() {
                    if rest.is_empty() {
                        break;
                    }
                    let mut at = (*cut).min(rest.len());
                    while !rest.is_char_boundary(at) {
                        at += 1;
                    }
                    fragments.push(rest[..at].to_owned());
                    rest = &rest[at..];
                }
                (false, fragments)
            }),
    ];
    prop::collection::vec(block, 0..5).prop_map(|blocks| {
        let mut stream = String::new();
        let mut event = |name: &str, data: Value| stream.push_str(&format!("event: {name}\ndata: {data}\n\n"));
        event("message_start", json!({"type": "message_start", "message": {"id": "msg_gen", "type": "message", "role": "assistant", "model": "gen", "content": [], "stop_reason": null, "stop_sequence": null, "usage": {"input_tokens": 3, "output_tokens": 1}}}));
        let mut expected = Vec::new();
        for (index, (is_text, pieces)) in blocks.into_iter().enumerate() {
            if is_text {
                event("content_block_start", json!({"type": "content_block_start", "index": index, "content_block": {"type": "text", "text": ""}}));
                for piece in &pieces {
                    event("content_block_delta", json!({"type": "content_block_delta", "index": index, "delta": {"type": "text_delta", "text": piece}}));
                    event("ping", json!({"type": "ping"}));
                }
                expected.push(json!({"type": "text", "text": pieces.concat()}));
            } else {
                event("content_block_start", json!({"type": "content_block_start", "index": index, "content_block": {"type": "tool_use", "id": format!("toolu_{index}"), "name": "gen", "input": {}}}));
                for piece in &pieces {
                    event("content_block_delta", json!({"type": "content_block_delta", "index": index, "delta": {"type": "input_json_delta", "partial_json": piece}}));
                }
                let input: Value = serde_json::from_str(&pieces.concat()).unwrap();
                expected.push(json!({"type": "tool_use", "id": format!("toolu_{index}"), "name": "gen", "input": input}));
            }
            event("content_block_stop", json!({"type": "content_block_stop", "index": index}));
        }
        event("message_delta", json!({"type": "message_delta", "delta": {"stop_reason": "end_turn", "stop_sequence": null}, "usage": {"output_tokens": 42}}));
        event("message_stop", json!({"type": "message_stop"}));
        (stream, expected)
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    /// Generated streams, split anywhere, accumulate to exactly the blocks they were built from.
    #[test]
    fn generated_streams_accumulate_exactly((stream, expected) in generated_stream(), sizes in prop::collection::vec(1usize..=40, 1..6)) {
        let trace = run_chunks(split(stream.as_bytes(), &sizes));
        let message = trace.result.expect("a well-formed stream completes");
        let content: Vec<Value> = message.content.iter().map(|b| serde_json::to_value(b).unwrap()).collect();
        prop_assert_eq!(content, expected);
        prop_assert_eq!(message.stop_reason, Some(StopReason::EndTurn));
        prop_assert_eq!((message.usage.input_tokens, message.usage.output_tokens), (3, 42));
        prop_assert!(message.content.iter().all(|b| matches!(b, ContentBlock::Text(_) | ContentBlock::ToolUse(_))));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// The fast path for common deltas reads exactly what the general path reads, for any text
    /// (escapes, unicode, odd field orders, extra fields) and falls back when it should.
    #[test]
    fn fast_delta_path_agrees_with_the_general_path(
        kind in prop_oneof![Just("text_delta"), Just("input_json_delta"), Just("thinking_delta"), Just("signature_delta"), Just("citations_delta"), Just("other_delta")],
        field in prop_oneof![Just("text"), Just("partial_json"), Just("thinking"), Just("signature")],
        text in "\\PC{0,12}|[\"\\\\\n\t]{0,4}",
        index in 0usize..5,
        type_last in any::<bool>(),
        extra in any::<bool>(),
    ) {
        use anthropic_wasm::types::{ContentBlockDeltaEvent, StreamEvent};
        let mut delta = serde_json::Map::new();
        if !type_last { delta.insert("type".into(), json!(kind)); }
        delta.insert(field.into(), json!(text));
        if extra { delta.insert("future".into(), json!({"x": 1})); }
        if type_last { delta.insert("type".into(), json!(kind)); }
        let data = json!({"type": "content_block_delta", "index": index, "delta": delta}).to_string();
        let general = serde_json::from_str::<ContentBlockDeltaEvent>(&data).map(StreamEvent::ContentBlockDelta).map_err(|e| e.to_string());
        let routed = StreamEvent::from_sse("content_block_delta", &data).map_err(|e| e.to_string());
        prop_assert_eq!(routed.is_ok(), general.is_ok());
        if let (Ok(routed), Ok(general)) = (routed, general) {
            prop_assert_eq!(routed, general);
        }
    }
}
