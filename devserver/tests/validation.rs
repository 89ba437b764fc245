//! Request validation over HTTP: 400 `invalid_request_error` naming the field, 404 for an
//! unknown model, and no request that can make the server fail.

mod common;

use common::*;
use serde_json::{json, Value};

fn user(content: Value) -> Value {
    json!({"role": "user", "content": content})
}

fn body(messages: Value) -> Value {
    json!({"model": "claude-haiku-4-5", "max_tokens": 100, "messages": messages})
}

fn with(key: &str, value: Value) -> Value {
    let mut body = body(json!([user(json!("Hi"))]));
    body[key] = value;
    body
}

fn expect_400(body: Value, message: &str) {
    let reply = create(body.clone());
    assert_eq!(reply.status, 400, "{body}: {}", reply.text());
    let error = reply.json();
    assert_eq!(error["type"], "error");
    assert_eq!(error["error"]["type"], "invalid_request_error");
    assert_eq!(error["error"]["message"], message, "{body}");
    assert_eq!(error["request_id"].as_str(), reply.header("request-id"));
}

fn png() -> String {
    image_base64(image::ImageFormat::Png, 4, 4, [0, 0, 255])
}

#[test]
fn required_fields_and_types() {
    expect_400(
        json!({"max_tokens": 1, "messages": []}),
        "model: Field required",
    );
    expect_400(
        json!({"model": "claude-haiku-4-5", "messages": []}),
        "max_tokens: Field required",
    );
    expect_400(
        json!({"model": "claude-haiku-4-5", "max_tokens": 1}),
        "messages: Field required",
    );
    expect_400(
        with("max_tokens", json!("ten")),
        "max_tokens: Input should be a valid integer",
    );
    expect_400(
        with("max_tokens", json!(-1)),
        "max_tokens: Input should be greater than or equal to 0",
    );
    expect_400(
        with("model", json!(7)),
        "model: Input should be a valid string",
    );
    expect_400(
        with("stream", json!("yes")),
        "stream: Input should be a valid boolean",
    );
    expect_400(
        with("frobnicate", json!(true)),
        "frobnicate: Extra inputs are not permitted",
    );
    expect_400(json!([1, 2]), "Input should be a valid dictionary");
}

#[test]
fn messages_and_roles() {
    expect_400(
        body(json!([])),
        "messages: at least one message is required",
    );
    expect_400(
        body(json!([{"role": "robot", "content": "x"}])),
        "messages.0.role: Input should be 'user', 'assistant' or 'system'",
    );
    expect_400(
        body(json!([{"role": "assistant", "content": "x"}])),
        "messages: first message must use the \"user\" role",
    );
    expect_400(
        body(json!([{"role": "user"}])),
        "messages.0.content: Field required",
    );
    expect_400(
        body(json!([user(json!("Hi")), {"role": "assistant", "content": ""}, user(json!("again"))])),
        "messages.1: all messages must have non-empty content except for the optional final assistant message",
    );
    // A mid-conversation system message is accepted (2026 API).
    let system_turn = create(body(
        json!([user(json!("Hi")), {"role": "system", "content": "Answer in one line."}, user(json!("ok"))]),
    ));
    assert_eq!(system_turn.status, 200, "{}", system_turn.text());
    assert!(system_turn.json()["content"][0]["text"]
        .as_str()
        .unwrap()
        .contains("Answer in one line."));
}

#[test]
fn block_shapes() {
    expect_400(
        body(json!([user(json!([{"type": "text"}]))])),
        "messages.0.content.0.text.text: Field required",
    );
    expect_400(
        body(json!([user(json!([{"type": "text", "text": ""}]))])),
        "messages.0.content.0.text: text content blocks must be non-empty",
    );
    expect_400(
        body(json!([user(json!([{"type": "text", "text": "  "}]))])),
        "messages.0.content.0.text: text content blocks must contain non-whitespace text",
    );
    let unknown = create(body(json!([user(json!([{"type": "hologram"}]))])));
    assert!(unknown.error_message().starts_with("messages.0.content.0: Input tag 'hologram' found using 'type' does not match any of the expected tags: 'text', 'image'"));
    expect_400(
        body(json!([user(
            json!([{"type": "tool_use", "id": "toolu_1", "name": "f", "input": {}}])
        )])),
        "messages.0.content.0: `tool_use` blocks can only be in `assistant` messages",
    );
    expect_400(
        body(json!([user(
            json!([{"type": "image", "source": {"type": "base64", "media_type": "image/png"}}])
        )])),
        "messages.0.content.0.image.source.base64.data: Field required",
    );
}

#[test]
fn images_are_checked_against_their_bytes() {
    let image = |media: &str, data: &str| {
        body(json!([user(
            json!([{"type": "image", "source": {"type": "base64", "media_type": media, "data": data}}])
        )]))
    };
    expect_400(
        image("image/bmp", &png()),
        "messages.0.content.0.image.source.base64.media_type: Input should be 'image/jpeg', 'image/png', 'image/gif' or 'image/webp'",
    );
    expect_400(
        image("image/jpeg", &png()),
        "messages.0.content.0.image.source.base64: The image was specified using the image/jpeg media type, but the image appears to be a image/png image",
    );
    expect_400(
        image("image/png", "!!!notbase64"),
        "messages.0.content.0.image.source.base64.data: invalid base64 data",
    );
    expect_400(
        image("image/gif", "R0lGODlhAQ=="),
        "messages.0.content.0.image.source.base64: Could not process image",
    );
    let huge = image_base64(image::ImageFormat::Png, 8001, 1, [1, 2, 3]);
    let reply = create(image("image/png", &huge));
    assert_eq!(reply.status, 400);
    assert_eq!(reply.error_message(), "messages.0.content.0.image.source.base64: image dimensions exceed max allowed size: 8000 pixels");
    assert_eq!(
        reply.json()["error"]["details"],
        json!({"error_code": "image_dimensions_too_large", "max_side_length_pixels": 8000, "paths": ["messages.0.content.0"]})
    );
}

#[test]
fn sampling_parameters() {
    expect_400(
        with("temperature", json!(1.5)),
        "temperature: Input should be less than or equal to 1",
    );
    expect_400(
        with("top_p", json!(-0.1)),
        "top_p: Input should be greater than or equal to 0",
    );
    expect_400(
        with("top_k", json!(-1)),
        "top_k: Input should be greater than or equal to 0",
    );
    expect_400(
        with("stop_sequences", json!([" "])),
        "stop_sequences: each stop sequence must contain non-whitespace",
    );
    let mut newest = with("temperature", json!(0.5));
    newest["model"] = json!("claude-opus-4-7");
    let reply = create(newest);
    assert_eq!(reply.status, 400);
    assert!(reply
        .error_message()
        .starts_with("temperature: this model only accepts 1.0"));
    expect_400(with("max_tokens", json!(999_999)), "max_tokens: 999999 > 64000, which is the maximum allowed number of output tokens for claude-haiku-4-5-20251001");
}

#[test]
fn tools_and_tool_choice() {
    let tool = json!({"name": "get_weather", "input_schema": {"type": "object"}});
    let mut unknown_choice = with("tools", json!([tool]));
    unknown_choice["tool_choice"] = json!({"type": "tool", "name": "get_time"});
    expect_400(
        unknown_choice,
        "tool_choice.tool.name: Tool 'get_time' not found in tools",
    );
    expect_400(
        with("tool_choice", json!({"type": "any"})),
        "tool_choice may only be specified while providing tools.",
    );
    expect_400(
        with(
            "tools",
            json!([{"name": "bad name", "input_schema": {"type": "object"}}]),
        ),
        "tools.0.custom.name: String should match pattern '^[a-zA-Z0-9_-]{1,128}$'",
    );
    expect_400(
        with("tools", json!([tool, tool])),
        "tools: Tool names must be unique.",
    );
    expect_400(
        body(json!([user(json!([{"type": "tool_result", "tool_use_id": "toolu_x", "content": "42"}]))])),
        "messages.0.content.0: unexpected `tool_use_id` found in `tool_result` blocks: toolu_x. Each `tool_result` block must have a corresponding `tool_use` block in the previous message.",
    );
}

#[test]
fn thinking_budget() {
    expect_400(
        with("thinking", json!({"type": "enabled", "budget_tokens": 10})),
        "thinking.enabled.budget_tokens: Input should be greater than or equal to 1024",
    );
    let reply = create(with(
        "thinking",
        json!({"type": "enabled", "budget_tokens": 2048}),
    ));
    assert_eq!(reply.status, 400);
    assert!(reply
        .error_message()
        .starts_with("`max_tokens` must be greater than `thinking.budget_tokens`."));
}

#[test]
fn prefill_is_refused_by_the_models_that_refuse_it() {
    let prefill = |model: &str| json!({"model": model, "max_tokens": 50, "messages": [user(json!("Hi")), {"role": "assistant", "content": "Hello"}]});
    for model in [
        "claude-opus-4-7",
        "claude-opus-4-6",
        "claude-sonnet-4-6",
        "claude-mythos-preview",
    ] {
        expect_400(
            prefill(model),
            "This model does not support assistant message prefill. The conversation must end with a user message.",
        );
    }
    for model in ["claude-haiku-4-5", "claude-opus-4-5", "claude-sonnet-4-5"] {
        assert_eq!(create(prefill(model)).status, 200, "{model}");
    }
    let mut trailing = prefill("claude-haiku-4-5");
    trailing["messages"][1]["content"] = json!("Hello ");
    expect_400(
        trailing,
        "messages: final assistant content cannot end with trailing whitespace",
    );
}

#[test]
fn unknown_model_is_404() {
    let reply = create(
        json!({"model": "claude-imaginary-9", "max_tokens": 5, "messages": [user(json!("Hi"))]}),
    );
    assert_eq!(reply.status, 404);
    assert_eq!(
        reply.json()["error"],
        json!({"type": "not_found_error", "message": "model: claude-imaginary-9"})
    );
}

#[test]
fn bad_json_and_odd_requests_never_break_the_server() {
    let bad = Call::new("POST", "/v1/messages").send(server());
    assert_eq!(bad.status, 400);
    let mut call = Call::new("POST", "/v1/messages");
    call.body = b"{\"model\": ".to_vec();
    let broken = call.send(server());
    assert_eq!(broken.status, 400);
    assert_eq!(broken.json()["error"]["type"], "invalid_request_error");
    assert!(broken.error_message().contains("invalid JSON"));
    for garbage in [
        json!(null),
        json!("text"),
        json!({"messages": "no"}),
        json!({"model": "m", "max_tokens": 1, "messages": [null]}),
        json!({"model": "claude-haiku-4-5", "max_tokens": 1, "messages": [{"role": "user", "content": [{"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": ""}}]}]}),
        json!({"model": "claude-haiku-4-5", "max_tokens": 18446744073709551615u64, "messages": [user(json!("x"))]}),
    ] {
        let reply = create(garbage.clone());
        assert_eq!(reply.status, 400, "{garbage}: {}", reply.text());
    }
    let missing = Call::new("GET", "/v1/nothing").send(server());
    assert_eq!(
        (missing.status, missing.error_message().as_str()),
        (404, "Not Found")
    );
    let wrong_method = Call::new("PUT", "/v1/messages").send(server());
    assert_eq!(wrong_method.status, 405);
    // Still serving.
    assert_eq!(
        create(ask("claude-haiku-4-5", "still there?", 20)).status,
        200
    );
}
