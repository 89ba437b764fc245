//! Resuming a reply that failed part-way (`helpers::resume`): the continuation's request, the
//! refusals, the stitched message, and the whole path over the scripted transport.

mod common;

use anthropic_wasm::client::{Client, ClientOptions, RequestOptions};
use anthropic_wasm::error::{ApiKey, Error};
use anthropic_wasm::helpers::resume::{continuation, stitch};
use anthropic_wasm::helpers::HelperError;
use anthropic_wasm::types::*;
use common::scripted::{block_on, chunks_of, sse, Chunk, Scripted};
use serde_json::{json, Value};

fn message(content: Value, stop: Option<&str>, input: u64, output: u64) -> Message {
    serde_json::from_value(json!({
        "id": "msg_x", "type": "message", "role": "assistant", "model": "claude-sonnet-4-5",
        "content": content, "stop_reason": stop, "stop_sequence": null,
        "usage": {"input_tokens": input, "output_tokens": output}
    }))
    .unwrap()
}

fn params(messages: Value) -> MessageCreateParams {
    serde_json::from_value(
        json!({"model": "claude-sonnet-4-5", "max_tokens": 100, "messages": messages}),
    )
    .unwrap()
}

fn last_turn(params: &MessageCreateParams) -> Value {
    serde_json::to_value(params.messages.last().unwrap()).unwrap()
}

#[test]
fn the_continuation_sends_the_partial_text_as_a_prefill() {
    let asked = params(json!([{"role": "user", "content": "Tell me a story"}]));
    let partial = message(
        json!([{"type": "text", "text": "Once upon a time, "}]),
        None,
        12,
        30,
    );
    let next = continuation(&asked, &partial).unwrap();
    assert_eq!(next.messages.len(), 2);
    // Trailing white space removed: the API refuses a prefill that ends with it.
    assert_eq!(
        last_turn(&next),
        json!({"role": "assistant", "content": "Once upon a time,"})
    );
    assert_eq!(
        next.max_tokens, 70,
        "what the partial reply used is taken off"
    );
    // A request that was prefilled itself: its prefill, then the partial text.
    let prefilled = params(json!([
        {"role": "user", "content": "A cat as JSON"},
        {"role": "assistant", "content": "{\"name\": \""}
    ]));
    let partial = message(
        json!([{"type": "text", "text": "Tom\", \"age"}]),
        None,
        5,
        4,
    );
    let next = continuation(&prefilled, &partial).unwrap();
    assert_eq!(next.messages.len(), 2);
    assert_eq!(
        last_turn(&next),
        json!({"role": "assistant", "content": "{\"name\": \"Tom\", \"age"})
    );
}

#[test]
fn replies_a_prefill_cannot_continue_are_refused_with_the_reason() {
    let asked = params(json!([{"role": "user", "content": "Hi"}]));
    let text = message(json!([{"type": "text", "text": "Hello"}]), None, 1, 1);
    let refused =
        |params: &MessageCreateParams, partial: &Message| match continuation(params, partial) {
            Err(HelperError::NotResumable { reason }) => reason,
            other => panic!("{other:?}"),
        };
    let empty = message(json!([{"type": "text", "text": "  "}]), None, 1, 0);
    assert_eq!(refused(&asked, &empty), "no text arrived");
    let tool = message(
        json!([{"type": "text", "text": "Let me check"}, {"type": "tool_use", "id": "toolu_1", "name": "x", "input": {}}]),
        None,
        1,
        1,
    );
    assert_eq!(refused(&asked, &tool), "it holds a tool call or thinking");
    let mut thinking = asked.clone();
    thinking.thinking = Some(ThinkingConfig::Enabled(ThinkingEnabled {
        budget_tokens: 1024,
        ..ThinkingEnabled::default()
    }));
    assert_eq!(refused(&thinking, &text), "thinking is on");
    let mut newer = asked.clone();
    newer.model = "claude-opus-4-6".into();
    assert!(matches!(
        continuation(&newer, &text),
        Err(HelperError::PrefillUnsupported { model }) if model == "claude-opus-4-6"
    ));
    let error = continuation(&asked, &empty).unwrap_err().to_string();
    assert_eq!(error, "the reply cannot be resumed: no text arrived");
}

#[test]
fn the_stitched_reply_joins_the_texts_and_adds_up_both_requests() {
    let partial = message(
        json!([{"type": "text", "text": "Once upon a time, "}]),
        None,
        12,
        30,
    );
    let mut rest = message(
        json!([{"type": "text", "text": " a fox ran."}, {"type": "text", "text": "The end."}]),
        Some("end_turn"),
        20,
        8,
    );
    rest.id = "msg_continued".into();
    let resumed = stitch(&partial, &rest);
    let texts: Vec<&str> = resumed
        .message
        .content
        .iter()
        .map(|block| match block {
            ContentBlock::Text(text) => text.text.as_str(),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(texts, ["Once upon a time, a fox ran.", "The end."]);
    assert_eq!(resumed.message.stop_reason, Some(StopReason::EndTurn));
    assert_eq!(resumed.message.id, "msg_continued");
    assert_eq!(
        (
            resumed.message.usage.input_tokens,
            resumed.message.usage.output_tokens
        ),
        (32, 38)
    );
    assert_eq!(resumed.partial_usage.output_tokens, 30);
    assert_eq!(resumed.continuation_usage.output_tokens, 8);
}

#[test]
fn a_cut_stream_is_resumed_into_one_message() {
    let script = Scripted::default();
    let fixture = common::fixture("sdk-ts-basic-text.sse");
    let cut = fixture.windows(6).position(|w| w == b"there\"").unwrap() + 20;
    let mut first = chunks_of(&fixture[..cut], 13);
    first.push(Chunk::Fail);
    script.reply(sse(200, first));
    script.reply(sse(
        200,
        chunks_of(&common::fixture("sdk-ts-basic-text.sse"), 40),
    ));
    let client = Client::new(
        script.clone(),
        ClientOptions {
            api_key: Some(ApiKey::new("sk-ant-test")),
            ..ClientOptions::default()
        },
    );
    let options = RequestOptions::default();
    let asked = params(json!([{"role": "user", "content": "Say hello"}]));
    let mut stream = block_on(client.messages().stream(&asked, &options)).unwrap();
    assert!(matches!(
        block_on(stream.final_message()),
        Err(Error::Connection { .. })
    ));
    let partial = stream.snapshot().unwrap();
    assert_eq!(partial.text(), "Hello there");
    let next = continuation(&asked, &partial).unwrap();
    let mut rest = block_on(client.messages().stream(&next, &options)).unwrap();
    let rest = block_on(rest.final_message()).unwrap();
    let resumed = stitch(&partial, &rest);
    assert_eq!(resumed.message.text(), "Hello thereHello there!");
    assert_eq!(resumed.message.stop_reason, Some(StopReason::EndTurn));
    // The second request carried the partial text as its last, assistant turn.
    let sent: Value = serde_json::from_str(script.requests()[1].body.as_deref().unwrap()).unwrap();
    assert_eq!(
        sent["messages"][1],
        json!({"role": "assistant", "content": "Hello there"})
    );
}
