//! `POST /v1/messages` and `count_tokens` over real loopback HTTP: JSON and SSE, the event
//! grammar, usage, max_tokens, stop sequences, prefill, images, tools and thinking.

mod common;

use common::*;
use serde_json::{json, Value};

const MODEL: &str = "claude-haiku-4-5";

fn stream(mut body: Value) -> Vec<(String, Value)> {
    body["stream"] = json!(true);
    let reply = create(body);
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(
        reply.header("content-type"),
        Some("text/event-stream; charset=utf-8")
    );
    assert!(reply.complete, "stream ends with the final chunk");
    reply.event_json()
}

fn count_tokens(body: &Value) -> u64 {
    let mut body = body.clone();
    let object = body.as_object_mut().unwrap();
    for key in ["max_tokens", "stream", "stop_sequences", "temperature"] {
        object.remove(key);
    }
    let reply = Call::new("POST", "/v1/messages/count_tokens")
        .json(&body)
        .send(server());
    assert_eq!(reply.status, 200, "{}", reply.text());
    reply.json()["input_tokens"].as_u64().unwrap()
}

#[test]
fn json_reply_has_the_api_shape_and_answers_the_turn() {
    let reply = create(
        json!({"model": MODEL, "max_tokens": 200, "system": "You are terse.",
        "messages": [{"role": "user", "content": "What is 12 * 3?"}]}),
    );
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("content-type"), Some("application/json"));
    let message = reply.json();
    assert!(message["id"].as_str().unwrap().starts_with("msg_01"));
    assert_eq!(
        (message["type"].as_str(), message["role"].as_str()),
        (Some("message"), Some("assistant"))
    );
    assert_eq!(message["model"], MODEL);
    let text = message["content"][0]["text"].as_str().unwrap();
    assert_eq!(
        text,
        "You asked: \"What is 12 * 3?\" 12 × 3 = 36. I am following the system prompt: \"You are terse.\" Your message has 5 words."
    );
    assert_eq!(message["stop_reason"], "end_turn");
    assert_eq!(message["stop_sequence"], Value::Null);
    let usage = &message["usage"];
    for key in [
        "input_tokens",
        "output_tokens",
        "cache_creation_input_tokens",
        "cache_read_input_tokens",
    ] {
        assert!(usage[key].is_u64(), "usage.{key}");
    }
    assert_eq!(usage["service_tier"], "standard");
    // Deterministic: the same request, the same words.
    let again = create(
        json!({"model": MODEL, "max_tokens": 200, "system": "You are terse.",
        "messages": [{"role": "user", "content": "What is 12 * 3?"}]}),
    );
    assert_eq!(again.json()["content"], message["content"]);
    assert_ne!(again.json()["id"], message["id"]);
}

#[test]
fn stream_follows_the_event_grammar_with_ping() {
    let events = stream(ask(MODEL, "Hello there, how are you?", 300));
    let names = assert_grammar(&events);
    assert_eq!(&names[..2], ["message_start", "content_block_start"]);
    assert!(events.iter().any(|(n, _)| n == "ping"), "a ping is sent");
    let ping = events.iter().find(|(n, _)| n == "ping").unwrap();
    assert_eq!(ping.1, json!({"type": "ping"}));
    let start = &events[0].1["message"];
    assert_eq!(start["stop_reason"], Value::Null);
    assert_eq!(start["content"], json!([]));
    assert!(start["usage"]["input_tokens"].as_u64().unwrap() > 0);
    let message = accumulate(&events);
    assert_eq!(message["stop_reason"], "end_turn");
    // The stream's message is the JSON reply's message.
    let json_reply = create(ask(MODEL, "Hello there, how are you?", 300)).json();
    assert_eq!(
        message["content"][0]["text"],
        json_reply["content"][0]["text"]
    );
    assert_eq!(
        message["usage"]["output_tokens"],
        json_reply["usage"]["output_tokens"]
    );
}

#[test]
fn usage_counts_match_count_tokens_and_the_token_rule() {
    let body = json!({"model": MODEL, "max_tokens": 500, "system": "Be kind.",
        "messages": [{"role": "user", "content": "Say exactly: alpha, beta gamma!"}]});
    let message = create(body.clone()).json();
    let text = message["content"][0]["text"].as_str().unwrap();
    assert_eq!(text, "alpha, beta gamma!");
    // alpha , beta gamma ! = 5 tokens
    assert_eq!(message["usage"]["output_tokens"], 5);
    let usage = &message["usage"];
    let total = usage["input_tokens"].as_u64().unwrap()
        + usage["cache_creation_input_tokens"].as_u64().unwrap()
        + usage["cache_read_input_tokens"].as_u64().unwrap();
    assert_eq!(total, count_tokens(&body));
    // "Be kind." 3 + role 1 + "Say exactly: alpha, beta gamma!" 8
    assert_eq!(total, 12);
}

#[test]
fn max_tokens_cuts_on_a_token_in_both_modes() {
    let body = ask(MODEL, "Please count to 50", 7);
    let message = create(body.clone()).json();
    assert_eq!(message["content"][0]["text"], "1, 2, 3, 4");
    assert_eq!(message["stop_reason"], "max_tokens");
    assert_eq!(message["usage"]["output_tokens"], 7);
    let streamed = accumulate(&stream(body));
    assert_eq!(streamed["content"][0]["text"], "1, 2, 3, 4");
    assert_eq!(streamed["stop_reason"], "max_tokens");
}

#[test]
fn stop_sequences_end_the_reply_with_the_sequence() {
    let mut body = ask(MODEL, "count to 20", 500);
    body["stop_sequences"] = json!(["never", "7,"]);
    let message = create(body.clone()).json();
    assert_eq!(message["content"][0]["text"], "1, 2, 3, 4, 5, 6, ");
    assert_eq!(message["stop_reason"], "stop_sequence");
    assert_eq!(message["stop_sequence"], "7,");
    let streamed = accumulate(&stream(body));
    assert_eq!(
        (
            streamed["stop_reason"].as_str(),
            streamed["stop_sequence"].as_str()
        ),
        (Some("stop_sequence"), Some("7,"))
    );
}

#[test]
fn max_tokens_zero_prewarms_without_output() {
    let message = create(ask(MODEL, "hi", 0)).json();
    assert_eq!(message["content"], json!([]));
    assert_eq!(
        (
            message["stop_reason"].as_str(),
            message["usage"]["output_tokens"].as_u64()
        ),
        (Some("max_tokens"), Some(0))
    );
}

fn prefilled(prefill: &str, user: &str, max_tokens: u64) -> Value {
    json!({"model": MODEL, "max_tokens": max_tokens, "messages": [
        {"role": "user", "content": user}, {"role": "assistant", "content": prefill}]})
}

#[test]
fn json_prefills_continue_into_valid_json() {
    for (prefill, user) in [
        ("{\"name\": \"", "Tell me about Ada Lovelace"),
        ("[", "List three fruits: apple, pear, plum"),
        ("{", "What is 6 * 7?"),
        ("Here it is: {\"result\":", "What is 6 * 7?"),
        ("{\"city\": \"Paris\", \"sights\": [", "What to see?"),
    ] {
        let message = create(prefilled(prefill, user, 500)).json();
        let continuation = message["content"][0]["text"].as_str().unwrap();
        let whole = format!("{prefill}{continuation}");
        let json_part = &whole[whole.find(['{', '[']).unwrap()..];
        let value: Value =
            serde_json::from_str(json_part).unwrap_or_else(|e| panic!("{whole:?}: {e}"));
        if prefill.starts_with("{\"name\"") {
            assert_eq!(value["name"], "Lovelace");
        }
        if prefill.contains("result") {
            assert_eq!(value["result"], 42);
        }
        assert_eq!(message["stop_reason"], "end_turn");
    }
}

#[test]
fn multiple_choice_prefill_with_one_token_is_one_letter() {
    let body = prefilled("The answer is (", "What is 2+2? (A) 3 (B) 4 (C) 5", 1);
    let message = create(body.clone()).json();
    assert_eq!(message["content"][0]["text"], "B");
    assert_eq!(
        (
            message["stop_reason"].as_str(),
            message["usage"]["output_tokens"].as_u64()
        ),
        (Some("max_tokens"), Some(1))
    );
    let streamed = accumulate(&stream(body));
    assert_eq!(streamed["content"][0]["text"], "B");
}

#[test]
fn text_prefill_is_continued() {
    let message = create(prefilled(
        "Sure, the words are:",
        "Say exactly: red green",
        50,
    ))
    .json();
    assert_eq!(message["content"][0]["text"], " red green");
}

#[test]
fn images_are_described_from_their_bytes() {
    use image::ImageFormat;
    for (format, media, name) in [
        (ImageFormat::Png, "image/png", "PNG"),
        (ImageFormat::Jpeg, "image/jpeg", "JPEG"),
        (ImageFormat::Gif, "image/gif", "GIF"),
        (ImageFormat::WebP, "image/webp", "WebP"),
    ] {
        let data = image_base64(format, 64, 48, [208, 16, 16]);
        let message = create(
            json!({"model": MODEL, "max_tokens": 300, "messages": [{"role": "user", "content": [
            {"type": "image", "source": {"type": "base64", "media_type": media, "data": data}},
            {"type": "text", "text": "What is in this picture?"}]}]}),
        )
        .json();
        let text = message["content"][0]["text"].as_str().unwrap();
        assert!(
            text.contains(&format!("The image is a 64×48 {name} image, mostly red (#")),
            "{text}"
        );
        // The image costs ceil(64 × 48 / 750) = 5 tokens, plus the role and the question.
        assert_eq!(message["usage"]["input_tokens"], 5 + 1 + 6, "{name}");
    }
    let url = create(
        json!({"model": MODEL, "max_tokens": 300, "messages": [{"role": "user", "content": [
        {"type": "image", "source": {"type": "url", "url": "https://example.com/cat.png"}}]}]}),
    )
    .json();
    assert!(url["content"][0]["text"]
        .as_str()
        .unwrap()
        .contains("an image at https://example.com/cat.png"));
}

fn weather_tools() -> Value {
    json!([{"name": "get_weather", "description": "Current weather",
        "input_schema": {"type": "object", "properties": {
            "location": {"type": "string"},
            "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
            "days": {"type": "integer", "minimum": 1, "maximum": 7},
            "hourly": {"type": "boolean"},
            "extras": {"type": "array", "items": {"type": "string"}, "minItems": 1},
            "window": {"type": "object", "properties": {"from": {"type": "string", "format": "date"}}, "required": ["from"]}},
            "required": ["location", "unit"]}},
        {"name": "get_time", "input_schema": {"type": "object", "properties": {"zone": {"type": "string"}}}}])
}

#[test]
fn tool_choice_tool_streams_schema_valid_input_in_fragments() {
    let body = json!({"model": MODEL, "max_tokens": 500, "tools": weather_tools(),
        "tool_choice": {"type": "tool", "name": "get_weather"},
        "messages": [{"role": "user", "content": "How warm is it in Lisbon, in fahrenheit?"}]});
    let events = stream(body.clone());
    assert_grammar(&events);
    let fragments: Vec<&str> = events
        .iter()
        .filter(|(n, d)| n == "content_block_delta" && d["delta"]["type"] == "input_json_delta")
        .map(|(_, d)| d["delta"]["partial_json"].as_str().unwrap())
        .collect();
    assert_eq!(fragments[0], "", "first fragment is empty");
    assert!(fragments.len() > 5);
    assert!(
        fragments
            .iter()
            .skip(1)
            .any(|f| serde_json::from_str::<Value>(f).is_err()),
        "split mid-token"
    );
    let message = accumulate(&events);
    assert_eq!(message["stop_reason"], "tool_use");
    let block = &message["content"][0];
    assert_eq!(
        (block["type"].as_str(), block["name"].as_str()),
        (Some("tool_use"), Some("get_weather"))
    );
    assert!(block["id"].as_str().unwrap().starts_with("toolu_01"));
    let input = &block["input"];
    assert_eq!(input["location"], "Lisbon");
    assert_eq!(input["unit"], "fahrenheit");
    assert!((1..=7).contains(&input["days"].as_i64().unwrap()));
    assert!(input["hourly"].is_boolean());
    assert!(!input["extras"].as_array().unwrap().is_empty());
    assert_eq!(input["window"]["from"], "2025-01-15");
    // The JSON reply carries the same input.
    let json_reply = create(body).json();
    assert_eq!(json_reply["content"][0]["input"], *input);
}

#[test]
fn a_named_tool_is_called_under_auto_and_its_result_is_used() {
    let body = json!({"model": MODEL, "max_tokens": 500, "tools": weather_tools(),
        "messages": [{"role": "user", "content": "Please use get_weather for Oslo"}]});
    let first = create(body).json();
    assert_eq!(first["stop_reason"], "tool_use");
    assert_eq!(
        first["content"][0]["text"],
        "I'll call get_weather to help with that."
    );
    let call = first["content"][1].clone();
    let follow_up = json!({"model": MODEL, "max_tokens": 500, "tools": weather_tools(), "messages": [
        {"role": "user", "content": "Please use get_weather for Oslo"},
        {"role": "assistant", "content": first["content"]},
        {"role": "user", "content": [{"type": "tool_result", "tool_use_id": call["id"], "content": "{\"temperature\": -3, \"sky\": \"snow\"}"}]}]});
    let answer = create(follow_up).json();
    assert_eq!(answer["stop_reason"], "end_turn");
    assert_eq!(
        answer["content"][0]["text"],
        "The get_weather tool returned: sky is snow, temperature is -3. That is my answer to \"Please use get_weather for Oslo\"."
    );
    // No tool named, no tool_choice: a plain text answer.
    let plain = create(
        json!({"model": MODEL, "max_tokens": 300, "tools": weather_tools(),
        "messages": [{"role": "user", "content": "Just chatting"}]}),
    )
    .json();
    assert_eq!(plain["stop_reason"], "end_turn");
}

#[test]
fn parallel_calls_then_a_call_a_result_points_to_then_the_answer() {
    let tools = json!([
        {"name": "get_weather", "input_schema": {"type": "object", "properties": {"location": {"type": "string"}}, "required": ["location"]}},
        {"name": "get_time", "input_schema": {"type": "object", "properties": {"zone": {"type": "string"}}}},
        {"name": "get_news", "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}]);
    let question = "Use get_weather and get_time for Oslo";
    let mut messages = vec![json!({"role": "user", "content": question})];
    let first =
        create(json!({"model": MODEL, "max_tokens": 500, "tools": tools, "messages": messages}))
            .json();
    let names: Vec<&str> = first["content"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| b["type"] == "tool_use")
        .map(|b| b["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["get_weather", "get_time"],
        "both named tools in one reply"
    );
    let results: Vec<Value> = first["content"].as_array().unwrap().iter().filter(|b| b["type"] == "tool_use")
        .map(|b| json!({"type": "tool_result", "tool_use_id": b["id"],
            "content": if b["name"] == "get_weather" { "rain; get_news has the storm warnings" } else { "noon" }}))
        .collect();
    messages.push(json!({"role": "assistant", "content": first["content"]}));
    messages.push(json!({"role": "user", "content": results}));
    let second =
        create(json!({"model": MODEL, "max_tokens": 500, "tools": tools, "messages": messages}))
            .json();
    assert_eq!(second["stop_reason"], "tool_use");
    let call = &second["content"][1];
    assert_eq!(
        (call["name"].as_str(), call["input"]["city"].as_str()),
        (Some("get_news"), Some("Oslo"))
    );
    messages.push(json!({"role": "assistant", "content": second["content"]}));
    messages.push(json!({"role": "user", "content": [{"type": "tool_result", "tool_use_id": call["id"], "content": "a storm at 6"}]}));
    let third =
        create(json!({"model": MODEL, "max_tokens": 500, "tools": tools, "messages": messages}))
            .json();
    assert_eq!(third["stop_reason"], "end_turn");
    assert!(third["content"][0]["text"]
        .as_str()
        .unwrap()
        .starts_with("The get_news tool returned: a storm at 6."));
}

#[test]
fn thinking_streams_deltas_then_a_signature() {
    for thinking in [
        json!({"type": "enabled", "budget_tokens": 1024}),
        json!({"type": "adaptive"}),
    ] {
        let body = json!({"model": MODEL, "max_tokens": 2000, "thinking": thinking,
            "messages": [{"role": "user", "content": "Why is the sky blue?"}]});
        let events = stream(body.clone());
        assert_grammar(&events);
        let deltas: Vec<&str> = events
            .iter()
            .filter(|(n, d)| n == "content_block_delta" && d["index"] == 0)
            .map(|(_, d)| d["delta"]["type"].as_str().unwrap())
            .collect();
        assert!(deltas.len() >= 2);
        assert!(deltas[..deltas.len() - 1]
            .iter()
            .all(|t| *t == "thinking_delta"));
        assert_eq!(deltas.last(), Some(&"signature_delta"));
        let message = accumulate(&events);
        assert_eq!(message["content"][0]["type"], "thinking");
        assert!(message["content"][0]["thinking"]
            .as_str()
            .unwrap()
            .contains("Why is the sky blue?"));
        assert_eq!(message["content"][1]["type"], "text");
        // The signed thinking is accepted when sent back; a changed one is not.
        let mut history = message["content"].clone();
        let next = |content: &Value| {
            json!({"model": MODEL, "max_tokens": 2000, "messages": [
                {"role": "user", "content": "Why is the sky blue?"},
                {"role": "assistant", "content": content},
                {"role": "user", "content": "Thanks"}]})
        };
        assert_eq!(create(next(&history)).status, 200);
        history[0]["thinking"] = json!("edited");
        let refused = create(next(&history));
        assert_eq!(refused.status, 400);
        assert_eq!(
            refused.error_message(),
            "messages.1.content.0: Invalid `signature` in `thinking` block"
        );
    }
}

#[test]
fn prompt_cache_writes_then_reads() {
    let long_text = vec!["word"; 1500].join(" ");
    let body = json!({"model": MODEL, "max_tokens": 50,
        "system": [{"type": "text", "text": long_text, "cache_control": {"type": "ephemeral"}}],
        "messages": [{"role": "user", "content": "cache test 7f3a"}]});
    let first = create(body.clone()).json();
    let second = create(body.clone()).json();
    assert_eq!(first["usage"]["cache_creation_input_tokens"], 1500);
    assert_eq!(first["usage"]["cache_read_input_tokens"], 0);
    assert_eq!(second["usage"]["cache_creation_input_tokens"], 0);
    assert_eq!(second["usage"]["cache_read_input_tokens"], 1500);
    assert_eq!(
        second["usage"]["input_tokens"],
        first["usage"]["input_tokens"]
    );
    assert_eq!(
        count_tokens(&body),
        1500 + second["usage"]["input_tokens"].as_u64().unwrap()
    );
}

#[test]
fn structured_output_follows_its_schema() {
    let message = create(json!({"model": MODEL, "max_tokens": 300,
        "output_config": {"format": {"type": "json_schema", "schema": {"type": "object",
            "properties": {"answer": {"type": "integer"}, "unit": {"type": "string", "enum": ["m", "km"]}},
            "required": ["answer", "unit"], "additionalProperties": false}}},
        "messages": [{"role": "user", "content": "How far is 12 km?"}]}))
    .json();
    let value: Value =
        serde_json::from_str(message["content"][0]["text"].as_str().unwrap()).unwrap();
    assert_eq!(value, json!({"answer": 12, "unit": "km"}));
}

#[test]
fn count_tokens_counts_tools_system_and_messages() {
    let plain = json!({"model": MODEL, "messages": [{"role": "user", "content": "Hello world"}]});
    assert_eq!(count_tokens(&plain), 3);
    let mut with_tools = plain.clone();
    with_tools["tools"] = weather_tools();
    assert!(count_tokens(&with_tools) > 50);
    let unknown = Call::new("POST", "/v1/messages/count_tokens")
        .json(&json!({"model": "claude-nope", "messages": [{"role": "user", "content": "x"}]}))
        .send(server());
    assert_eq!(unknown.status, 404);
}
