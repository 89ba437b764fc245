//! Every shared SSE fixture decoded and accumulated, checked field by field against
//! expectations written by reading the fixture; then the same under CRLF, lone CR and
//! byte-at-a-time input.

mod common;

use anthropic_wasm::error::{ApiErrorKind, Error};
use anthropic_wasm::types::{ContentBlock, ErrorType, Message, StopReason, StreamEvent};
use common::{crlf, fixture, lone_cr, run_split, run_whole, Trace};
use serde_json::json;

fn names(trace: &Trace) -> Vec<&str> {
    trace.events.iter().map(StreamEvent::name).collect()
}

fn text_of(block: &ContentBlock) -> &str {
    match block {
        ContentBlock::Text(text) => &text.text,
        other => panic!("expected a text block, got {other:?}"),
    }
}

fn tool_input(block: &ContentBlock) -> (&str, &str, &serde_json::Value) {
    match block {
        ContentBlock::ToolUse(tool) => (&tool.id, &tool.name, &tool.input),
        other => panic!("expected a tool_use block, got {other:?}"),
    }
}

fn complete(trace: &Trace) -> &Message {
    assert_eq!(trace.error, None, "no error expected");
    trace.result.as_ref().expect("a complete message")
}

fn assert_incomplete(trace: &Trace) {
    match &trace.result {
        Err(Error::IncompleteStream { .. }) => {}
        other => panic!("expected IncompleteStream, got {other:?}"),
    }
}

#[test]
fn sdk_ts_basic_text() {
    let trace = run_whole(&fixture("sdk-ts-basic-text.sse"));
    // the codec drops the ping, as the official SDK's stream does
    assert_eq!(
        names(&trace),
        [
            "message_start",
            "content_block_start",
            "content_block_delta",
            "content_block_delta",
            "content_block_delta",
            "content_block_stop",
            "message_delta",
            "message_stop"
        ]
    );
    let message = complete(&trace);
    assert_eq!(message.id, "msg_4QpJur2dWWDjF6C758FbBw5vm12BaVipnK");
    assert_eq!(message.model, "claude-opus-4-8");
    assert_eq!(message.role, "assistant");
    assert_eq!(message.content.len(), 1);
    assert_eq!(text_of(&message.content[0]), "Hello there!");
    assert_eq!(message.stop_reason, Some(StopReason::EndTurn));
    assert_eq!(message.stop_sequence, None);
    assert_eq!(
        (message.usage.input_tokens, message.usage.output_tokens),
        (11, 6)
    );
    // text(delta, snapshot) as the official helper reports it
    let texts: Vec<&String> = trace
        .helpers
        .iter()
        .filter(|h| h.starts_with("Text"))
        .collect();
    assert_eq!(texts.len(), 3);
    assert!(
        texts[1].contains(r#"delta: " there", snapshot: "Hello there""#),
        "{}",
        texts[1]
    );
    assert!(trace.helpers.last().unwrap().starts_with("Message("));
    assert_eq!(trace.snapshot.as_ref(), Some(message));
}

#[test]
fn sdk_ts_tool_use() {
    let trace = run_whole(&fixture("sdk-ts-tool-use.sse"));
    let message = complete(&trace);
    assert_eq!(message.content.len(), 2);
    assert_eq!(
        text_of(&message.content[0]),
        "I'll check the current weather in Paris for you."
    );
    let (id, name, input) = tool_input(&message.content[1]);
    assert_eq!(
        (id, name),
        ("toolu_01NRLabsLyVHZPKxbKvkfSMn", "get_weather")
    );
    assert_eq!(input, &json!({"location": "Paris"}));
    assert_eq!(message.stop_reason, Some(StopReason::ToolUse));
    let usage = &message.usage;
    assert_eq!((usage.input_tokens, usage.output_tokens), (377, 65));
    assert_eq!(
        (
            usage.cache_creation_input_tokens,
            usage.cache_read_input_tokens
        ),
        (Some(0), Some(0))
    );
    assert_eq!(usage.service_tier.as_deref(), Some("standard"));
    let fragments: Vec<&String> = trace
        .helpers
        .iter()
        .filter(|h| h.starts_with("InputJson"))
        .collect();
    assert_eq!(fragments.len(), 5);
    assert!(
        fragments[2].contains(r#"buffer: "{\"location\": \"P""#),
        "{}",
        fragments[2]
    );
    let done: Vec<&String> = trace
        .helpers
        .iter()
        .filter(|h| h.starts_with("ContentBlock"))
        .collect();
    assert_eq!(done.len(), 2);
}

#[test]
fn sdk_ts_tool_use_truncated_keeps_the_partial_input() {
    let trace = run_whole(&fixture("sdk-ts-tool-use-truncated-max-tokens.sse"));
    let message = complete(&trace);
    assert_eq!(
        text_of(&message.content[0]),
        "I'll create a comprehensive tax guide for someone with multiple W2s and save it in a file called \
         taxes.txt. Let me do that for you now."
    );
    let (id, name, input) = tool_input(&message.content[1]);
    assert_eq!((id, name), ("toolu_01EKqbqmZrGRXy18eN7m9kvY", "make_file"));
    // the block never ended: its input is the preview of what arrived (the SDK's rules)
    assert_eq!(input["filename"], "taxes.txt");
    let lines = input["lines_of_text"].as_array().expect("lines so far");
    assert_eq!(
        lines[0],
        "# COMPREHENSIVE TAX GUIDE FOR INDIVIDUALS WITH MULTIPLE W-2s"
    );
    assert_eq!(lines[2], "## INTRODUCTION");
    // the unfinished last line is left out, as by the official SDK
    assert_eq!(lines.len(), 4);
    assert_eq!(lines[3], "");
    // the cut: max_tokens, and only the text block was reported finished
    assert_eq!(message.stop_reason, Some(StopReason::MaxTokens));
    assert_eq!(
        trace
            .helpers
            .iter()
            .filter(|h| h.starts_with("ContentBlock"))
            .count(),
        1
    );
    assert_eq!(
        (message.usage.input_tokens, message.usage.output_tokens),
        (450, 124)
    );
}

#[test]
fn sdk_ts_thinking_signature_refusal() {
    let trace = run_whole(&fixture("sdk-ts-thinking-signature-refusal.sse"));
    let message = complete(&trace);
    assert_eq!(message.model, "claude-fable-5");
    let ContentBlock::Thinking(thinking) = &message.content[0] else {
        panic!("thinking first")
    };
    assert_eq!(
        thinking.thinking,
        "Simple educational question about what a solar eclipse is. This is benign general knowledge \u{2014} \
         definitions are fine. Also the user called me \"claudius\" \u{2014} I'm Claude. Minor correction or \
         just roll with it politely."
    );
    assert_eq!(
        thinking.signature,
        "c3ludGhldGljLXNpZ25hdHVyZS1maXh0dXJlLWEtbm90LWEtcmVhbC1zaWduYXR1cmU="
    );
    assert_eq!(text_of(&message.content[1]), "Hi");
    assert_eq!(message.stop_reason, Some(StopReason::Refusal));
    let details = message.stop_details.as_ref().expect("stop_details");
    assert_eq!(
        (
            details.kind.as_str(),
            details.category.as_deref(),
            details.explanation.as_deref()
        ),
        ("refusal", None, None)
    );
    assert_eq!(
        details.extra["fallback_credit_token"],
        "tok_synthetic_fixture_a"
    );
    assert_eq!(details.extra["fallback_has_prefill_claim"], true);
    let usage = &message.usage;
    assert_eq!((usage.input_tokens, usage.output_tokens), (28, 106));
    assert_eq!(
        usage.output_tokens_details,
        Some(json!({"thinking_tokens": 67}))
    );
    assert_eq!(usage.inference_geo.as_deref(), Some("global"));
    assert_eq!(
        usage
            .cache_creation
            .as_ref()
            .map(|c| c.ephemeral_1h_input_tokens),
        Some(0)
    );
    // only message_delta sends `iterations`, and the codec's MESSAGE_DELTA table (which the
    // JS shell applies too) does not copy it
    assert!(!usage.extra.contains_key("iterations"), "{:?}", usage.extra);
    assert_eq!(
        trace
            .helpers
            .iter()
            .filter(|h| h.starts_with("Thinking"))
            .count(),
        4
    );
    assert_eq!(
        trace
            .helpers
            .iter()
            .filter(|h| h.starts_with("Signature"))
            .count(),
        1
    );
}

#[test]
fn sdk_ts_error_event_is_a_typed_mid_stream_error() {
    let trace = run_whole(&fixture("sdk-ts-error-event.sse"));
    let Some(Error::MidStream(error)) = &trace.error else {
        panic!("expected MidStream, got {:?}", trace.error)
    };
    assert_eq!(error.kind, ApiErrorKind::Overloaded);
    assert_eq!(error.error.kind, ErrorType::Overloaded);
    assert_eq!(error.message(), "Overloaded");
    assert_eq!(error.status, None);
    assert_eq!(error.request_id.as_deref(), Some("req_fixture"));
    assert_eq!(trace.result.as_ref().err(), trace.error.as_ref());
    assert_eq!(trace.snapshot, None);
}

#[test]
fn sdk_py_refusal_without_trailing_blank_line_reports_the_cut() {
    let trace = run_whole(&fixture("sdk-py-refusal-stop-details.sse"));
    // message_stop is never terminated by a blank line, so it is not delivered
    assert_eq!(
        names(&trace),
        [
            "message_start",
            "content_block_start",
            "content_block_stop",
            "message_delta"
        ]
    );
    assert_incomplete(&trace);
    let message = trace.snapshot.as_ref().expect("the partial message");
    assert_eq!(message.model, "claude-opus-4-7");
    assert_eq!(text_of(&message.content[0]), "");
    assert_eq!(message.stop_reason, Some(StopReason::Refusal));
    let details = message.stop_details.as_ref().unwrap();
    assert_eq!(details.category.as_deref(), Some("cyber"));
    assert_eq!(
        details.explanation.as_deref(),
        Some("This request was refused due to policy.")
    );
    assert_eq!(
        (message.usage.input_tokens, message.usage.output_tokens),
        (20, 0)
    );
}

#[test]
fn sdk_py_beta_compaction_keeps_the_unknown_block_and_applies_its_delta() {
    let trace = run_whole(&fixture("sdk-py-beta-compaction.sse"));
    assert_incomplete(&trace);
    let message = trace.snapshot.as_ref().unwrap();
    assert_eq!(
        serde_json::to_value(&message.content[0]).unwrap(),
        json!({"type": "compaction", "content": "Earlier conversation summarized.",
               "encrypted_content": "EpwBCioIDxgCEAEYASJALd_opaque_compaction_payload"})
    );
    assert_eq!(text_of(&message.content[1]), "Hello there!");
    assert_eq!(message.stop_reason, Some(StopReason::EndTurn));
    assert_eq!(message.usage.output_tokens, 8);
}

#[test]
fn docs_basic_text() {
    let trace = run_whole(&fixture("docs-basic-text.sse"));
    let message = complete(&trace);
    assert_eq!(message.id, "msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY");
    assert_eq!(text_of(&message.content[0]), "Hello!");
    assert_eq!(message.stop_reason, Some(StopReason::EndTurn));
    assert_eq!(
        (message.usage.input_tokens, message.usage.output_tokens),
        (25, 15)
    );
}

#[test]
fn docs_tool_use_without_trailing_blank_line() {
    let trace = run_whole(&fixture("docs-tool-use.sse"));
    assert_incomplete(&trace);
    assert_eq!(
        trace.events.last().map(StreamEvent::name),
        Some("message_delta")
    );
    let message = trace.snapshot.as_ref().unwrap();
    assert_eq!(
        text_of(&message.content[0]),
        "Okay, let's check the weather for San Francisco, CA:"
    );
    let (id, name, input) = tool_input(&message.content[1]);
    assert_eq!(
        (id, name),
        ("toolu_01T1x1fJ34qAmk2tNTrN7Up6", "get_weather")
    );
    assert_eq!(input, &json!({"location": "San Francisco, CA"}));
    assert_eq!(message.stop_reason, Some(StopReason::ToolUse));
    assert_eq!(
        (message.usage.input_tokens, message.usage.output_tokens),
        (472, 89)
    );
    assert_eq!(
        trace
            .helpers
            .iter()
            .filter(|h| h.starts_with("Text"))
            .count(),
        13
    );
}

#[test]
fn docs_extended_thinking_without_usage() {
    let trace = run_whole(&fixture("docs-extended-thinking.sse"));
    assert_incomplete(&trace);
    let message = trace.snapshot.as_ref().unwrap();
    let ContentBlock::Thinking(thinking) = &message.content[0] else {
        panic!("thinking first")
    };
    assert_eq!(
        thinking.thinking,
        "I need to find the GCD of 1071 and 462 using the Euclidean algorithm.\n\n1071 = 2 \u{d7} 462 + 147\n462 = \
         3 \u{d7} 147 + 21\n147 = 7 \u{d7} 21 + 0\nThe remainder is 0, so GCD(1071, 462) = 21."
    );
    assert!(thinking
        .signature
        .starts_with("EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds"));
    assert_eq!(
        text_of(&message.content[1]),
        "The greatest common divisor of 1071 and 462 is **21**."
    );
    assert_eq!(message.stop_reason, Some(StopReason::EndTurn));
    // neither message_start nor message_delta carried usage
    assert_eq!(
        (message.usage.input_tokens, message.usage.output_tokens),
        (0, 0)
    );
}

#[test]
fn docs_error_event_without_trailing_blank_line_is_not_delivered() {
    let trace = run_whole(&fixture("docs-error-event.sse"));
    assert!(trace.events.is_empty());
    assert_eq!(trace.error, None);
    assert_incomplete(&trace);
    assert_eq!(trace.snapshot, None);
}

#[test]
fn composed_error_mid_stream_keeps_the_partial_message() {
    let trace = run_whole(&fixture("composed-error-mid-stream.sse"));
    let Some(Error::MidStream(error)) = &trace.error else {
        panic!("expected MidStream")
    };
    assert_eq!(error.kind, ApiErrorKind::Overloaded);
    let message = trace.snapshot.as_ref().expect("partial message kept");
    assert_eq!(text_of(&message.content[0]), "Hello");
    assert_eq!(message.stop_reason, None);
    assert!(matches!(trace.result, Err(Error::MidStream(_))));
}

#[test]
fn every_fixture_is_identical_under_crlf_lone_cr_and_byte_at_a_time() {
    for (name, bytes) in common::all_fixtures() {
        let whole = run_whole(&bytes);
        assert!(
            !whole.events.is_empty() || whole.error.is_some() || name == "docs-error-event.sse",
            "{name}: nothing decoded"
        );
        assert_eq!(
            run_whole(&crlf(&bytes)),
            whole,
            "{name}: CRLF variant differs"
        );
        assert_eq!(
            run_whole(&lone_cr(&bytes)),
            whole,
            "{name}: lone-CR variant differs"
        );
        assert_eq!(
            run_split(&bytes, &[1]),
            whole,
            "{name}: byte-at-a-time differs"
        );
        assert_eq!(
            run_split(&crlf(&bytes), &[1]),
            whole,
            "{name}: CRLF byte-at-a-time differs"
        );
    }
}
