//! A tool input at its block's stop, by the core's decision shared with the npm package
//! (`partial_json::finish_tool_input`, the official SDK 1.15's rules): a document cut short
//! gets its preview, text the SDK's parser throws on is reported as `InvalidToolInput`.

mod common;

use common::run_whole;

/// A whole stream with one tool_use block whose input arrives as `fragments`.
fn tool_stream(fragments: &[&str]) -> Vec<u8> {
    let mut out = String::from(
        "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\
         \"role\":\"assistant\",\"model\":\"claude-opus-4-7\",\"content\":[],\"stop_reason\":null,\
         \"stop_sequence\":null,\"usage\":{\"input_tokens\":1,\"output_tokens\":1}}}\n\n\
         event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":\
         {\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"f\",\"input\":{}}}\n\n",
    );
    for fragment in fragments {
        let delta = serde_json::json!({"type": "content_block_delta", "index": 0,
            "delta": {"type": "input_json_delta", "partial_json": fragment}});
        out.push_str(&format!("event: content_block_delta\ndata: {delta}\n\n"));
    }
    out.push_str(
        "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n\
         event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\",\
         \"stop_sequence\":null},\"usage\":{\"output_tokens\":2}}\n\n\
         event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n",
    );
    out.into_bytes()
}

fn invalid_reports(fragments: &[&str]) -> Vec<String> {
    run_whole(&tool_stream(fragments))
        .helpers
        .into_iter()
        .filter(|h| h.starts_with("InvalidToolInput"))
        .collect()
}

fn final_input(fragments: &[&str]) -> serde_json::Value {
    let trace = run_whole(&tool_stream(fragments));
    let message = serde_json::to_value(trace.result.expect("a message")).expect("JSON");
    message["content"][0]["input"].clone()
}

#[test]
fn a_document_cut_short_at_its_stop_gets_the_sdk_preview() {
    for (fragments, want) in [
        (&["{\"city\": \"Par"][..], serde_json::json!({})),
        (&["{\"a\": [1, ", "2"][..], serde_json::json!({"a": [1]})),
        (&["{\"a\": 1,"][..], serde_json::json!({"a": 1})),
        (&["{\"a\": ", "1}"][..], serde_json::json!({"a": 1})),
        (&[""][..], serde_json::json!({})),
    ] {
        assert_eq!(
            invalid_reports(fragments),
            Vec::<String>::new(),
            "{fragments:?}"
        );
        assert_eq!(final_input(fragments), want, "{fragments:?}");
    }
}

#[test]
fn text_the_sdk_parser_throws_on_is_invalid_tool_input() {
    for fragments in [
        &["{\"unit\": celsius}"][..],
        &["{\"a\": 1}}"],
        &["12"],
        &["\"unfinished"],
        &[" "],
    ] {
        let reports = invalid_reports(fragments);
        assert_eq!(reports.len(), 1, "{fragments:?}: {reports:?}");
        assert!(
            reports[0].contains(&format!("{:?}", fragments.concat())),
            "{}",
            reports[0]
        );
    }
}
