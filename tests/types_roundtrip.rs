//! serde round-trips: every request and response shape, unknown values and fields kept, and
//! the examples of the official OpenAPI spec.

use anthropic_wasm::types::*;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

/// Drops object members that are null: the API's `null` and "absent" mean the same, and our
/// request types leave out what is `None`.
fn without_nulls(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), without_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(without_nulls).collect()),
        other => other.clone(),
    }
}

/// Reads `json` as `T`, writes it again, and checks nothing changed (nulls aside); then checks
/// that an unknown member added to the top-level object also survives.
fn round_trip<T: Serialize + DeserializeOwned + std::fmt::Debug + PartialEq>(json: Value) -> T {
    let typed: T =
        serde_json::from_value(json.clone()).unwrap_or_else(|e| panic!("read {json}: {e}"));
    let again = serde_json::to_value(&typed).unwrap();
    assert_eq!(
        without_nulls(&again),
        without_nulls(&json),
        "round trip changed the value"
    );
    let reread: T = serde_json::from_value(again).unwrap();
    assert_eq!(reread, typed);
    if let Value::Object(mut object) = json {
        object.insert(
            "x_field_from_the_future".into(),
            json!({"nested": [1, "two", null]}),
        );
        let with_extra = Value::Object(object);
        let typed_extra: T = serde_json::from_value(with_extra.clone()).unwrap();
        let written = serde_json::to_value(&typed_extra).unwrap();
        assert_eq!(
            written["x_field_from_the_future"], with_extra["x_field_from_the_future"],
            "unknown field dropped"
        );
    }
    typed
}

#[test]
fn every_content_block_round_trips() {
    let blocks = [
        json!({"type": "text", "text": "hi", "cache_control": {"type": "ephemeral", "ttl": "1h"}}),
        json!({"type": "text", "text": "cited", "citations": [
            {"type": "char_location", "cited_text": "a", "document_index": 0, "document_title": "T", "start_char_index": 0, "end_char_index": 1},
            {"type": "page_location", "cited_text": "b", "document_index": 1, "document_title": null, "start_page_number": 1, "end_page_number": 2},
            {"type": "content_block_location", "cited_text": "c", "document_index": 2, "document_title": "D", "start_block_index": 0, "end_block_index": 1},
            {"type": "web_search_result_location", "cited_text": "d", "url": "https://e.x", "title": "E", "encrypted_index": "Eo8="},
            {"type": "search_result_location", "cited_text": "f", "search_result_index": 0, "source": "s", "title": "S", "start_block_index": 0, "end_block_index": 1},
            {"type": "future_location", "anything": true}
        ]}),
        json!({"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "iVBORw0KGgo="}}),
        json!({"type": "image", "source": {"type": "url", "url": "https://example.com/cat.webp"}}),
        json!({"type": "image", "source": {"type": "file", "file_id": "file_011"}, "cache_control": {"type": "ephemeral"}}),
        json!({"type": "image", "source": {"type": "future_source", "blob": 1}}),
        json!({"type": "document", "source": {"type": "base64", "media_type": "application/pdf", "data": "JVBERi0="}, "title": "T", "context": "C", "citations": {"enabled": true}}),
        json!({"type": "document", "source": {"type": "url", "url": "https://example.com/a.pdf"}}),
        json!({"type": "document", "source": {"type": "text", "media_type": "text/plain", "data": "plain"}}),
        json!({"type": "document", "source": {"type": "content", "content": "one string"}}),
        json!({"type": "document", "source": {"type": "content", "content": [{"type": "text", "text": "chunk"}, {"type": "image", "source": {"type": "url", "url": "https://e.x/i.gif"}}]}}),
        json!({"type": "document", "source": {"type": "file", "file_id": "file_012"}}),
        json!({"type": "search_result", "source": "https://s", "title": "R", "content": [{"type": "text", "text": "r"}], "citations": {"enabled": true}}),
        json!({"type": "tool_use", "id": "toolu_1", "name": "get_weather", "input": {"location": "Paris"}, "caller": {"type": "direct"}}),
        json!({"type": "tool_result", "tool_use_id": "toolu_1", "content": "15 degrees"}),
        json!({"type": "tool_result", "tool_use_id": "toolu_1", "content": [{"type": "text", "text": "15"}, {"type": "image", "source": {"type": "url", "url": "https://e.x/chart.png"}}], "is_error": false}),
        json!({"type": "tool_result", "tool_use_id": "toolu_2", "is_error": true}),
        json!({"type": "thinking", "thinking": "hmm", "signature": "sig"}),
        json!({"type": "redacted_thinking", "data": "opaque"}),
        json!({"type": "server_tool_use", "id": "srvtoolu_1", "name": "web_search", "input": {"query": "q"}}),
        json!({"type": "web_search_tool_result", "tool_use_id": "srvtoolu_1", "content": [
            {"type": "web_search_result", "url": "https://e.x", "title": "E", "encrypted_content": "Ec=", "page_age": "2 days"}]}),
        json!({"type": "web_search_tool_result", "tool_use_id": "srvtoolu_2", "content": {"type": "web_search_tool_result_error", "error_code": "max_uses_exceeded"}}),
        json!({"type": "code_execution_tool_result", "tool_use_id": "srvtoolu_3", "content": {"type": "code_execution_result", "stdout": "4"}}),
        json!({"type": "mcp_tool_use", "id": "mcptoolu_1", "name": "n", "server_name": "s", "input": {}}),
    ];
    for block in blocks {
        let typed: ContentBlock = round_trip(block.clone());
        assert_eq!(typed.type_name(), block["type"].as_str(), "{block}");
    }
}

#[test]
fn known_and_unknown_types_are_told_apart() {
    let known: ContentBlock = serde_json::from_value(json!({"type": "text", "text": "x"})).unwrap();
    assert!(matches!(known, ContentBlock::Text(_)));
    let unknown: ContentBlock =
        serde_json::from_value(json!({"type": "hologram", "x": 1})).unwrap();
    assert!(matches!(unknown, ContentBlock::Unknown(_)));
    // a known type with a wrong shape is an error that names the type, not an Unknown
    let error = serde_json::from_value::<ContentBlock>(json!({"type": "text"}))
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("`text`") && error.contains("missing field `text`"),
        "{error}"
    );
    // `type` never leaks into a payload's extra fields
    let ContentBlock::Text(text) = known else {
        unreachable!()
    };
    assert!(text.extra.is_empty());
}

#[test]
fn every_stream_event_and_delta_round_trips() {
    let events = [
        json!({"type": "message_start", "message": {"id": "msg_1", "type": "message", "role": "assistant", "model": "m", "content": [], "stop_reason": null, "stop_sequence": null, "usage": {"input_tokens": 1, "output_tokens": 1}}}),
        json!({"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}),
        json!({"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "a"}}),
        json!({"type": "content_block_delta", "index": 1, "delta": {"type": "input_json_delta", "partial_json": "{\"a"}}),
        json!({"type": "content_block_delta", "index": 2, "delta": {"type": "thinking_delta", "thinking": "t"}}),
        json!({"type": "content_block_delta", "index": 2, "delta": {"type": "signature_delta", "signature": "s"}}),
        json!({"type": "content_block_delta", "index": 0, "delta": {"type": "citations_delta", "citation": {"type": "char_location", "cited_text": "a", "document_index": 0, "document_title": null, "start_char_index": 0, "end_char_index": 1}}}),
        json!({"type": "content_block_delta", "index": 0, "delta": {"type": "compaction_delta", "content": "c", "encrypted_content": "e"}}),
        json!({"type": "content_block_delta", "index": 0, "delta": {"type": "future_delta", "bits": [1]}}),
        json!({"type": "content_block_stop", "index": 0}),
        json!({"type": "message_delta", "delta": {"stop_reason": "pause_turn", "stop_sequence": null, "context_management": {"applied_edits": []}}, "usage": {"output_tokens": 9, "iterations": []}}),
        json!({"type": "message_stop"}),
        json!({"type": "ping"}),
        json!({"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}),
        json!({"type": "future_event", "payload": {"x": 1}}),
    ];
    for event in events {
        let typed: StreamEvent = serde_json::from_value(event.clone()).unwrap();
        assert_eq!(typed.name(), event["type"].as_str().unwrap());
        assert_eq!(
            without_nulls(&serde_json::to_value(&typed).unwrap()),
            without_nulls(&event)
        );
        // and by SSE event name, as the wire routes it
        let from_sse = StreamEvent::from_sse(typed.name(), &event.to_string()).unwrap();
        assert_eq!(from_sse, typed);
    }
    // an unknown event whose data is not JSON is kept as a string
    let odd = StreamEvent::from_sse("future", "not json").unwrap();
    assert_eq!(
        odd,
        StreamEvent::Unknown {
            event: "future".into(),
            data: json!("not json")
        }
    );
    // a known event with malformed data is an error
    assert!(StreamEvent::from_sse("content_block_delta", "{\"index\": 0").is_err());
}

#[test]
fn every_stop_reason_and_unknown_ones() {
    for (text, known) in [
        ("end_turn", StopReason::EndTurn),
        ("max_tokens", StopReason::MaxTokens),
        ("stop_sequence", StopReason::StopSequence),
        ("tool_use", StopReason::ToolUse),
        ("pause_turn", StopReason::PauseTurn),
        ("refusal", StopReason::Refusal),
        (
            "model_context_window_exceeded",
            StopReason::ModelContextWindowExceeded,
        ),
        ("compaction", StopReason::Compaction),
        (
            "a_reason_from_2027",
            StopReason::Other("a_reason_from_2027".into()),
        ),
    ] {
        let parsed: StopReason = serde_json::from_value(json!(text)).unwrap();
        assert_eq!(parsed, known);
        assert_eq!(serde_json::to_value(&parsed).unwrap(), json!(text));
    }
}

#[test]
fn full_request_round_trips() {
    let request = json!({
        "model": "claude-opus-4-6", "max_tokens": 1024, "stream": true,
        "system": [{"type": "text", "text": "Be brief.", "cache_control": {"type": "ephemeral"}}],
        "messages": [
            {"role": "user", "content": "What is the weather?"},
            {"role": "assistant", "content": [{"type": "tool_use", "id": "toolu_1", "name": "get_weather", "input": {"city": "Paris"}}]},
            {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_1", "content": "15C"}]},
            {"role": "assistant", "content": "The weather is"}
        ],
        "stop_sequences": ["\n\nHuman:"], "temperature": 0.5, "top_p": 0.9, "top_k": 40,
        "metadata": {"user_id": "u-1"},
        "tools": [
            {"name": "get_weather", "description": "Weather by city", "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}, "strict": true},
            {"type": "web_search_20250305", "name": "web_search", "max_uses": 3}
        ],
        "tool_choice": {"type": "auto", "disable_parallel_tool_use": true},
        "thinking": {"type": "enabled", "budget_tokens": 2048},
        "output_config": {"effort": "high", "format": {"type": "json_schema", "schema": {"type": "object"}}},
        "service_tier": "auto", "container": "container_1", "inference_geo": "us",
        "cache_control": {"type": "ephemeral"},
        "diagnostics": {"previous_message_id": "msg_0"},
        "context_management": {"edits": [{"type": "clear_tool_uses_20250919"}]}
    });
    let params: MessageCreateParams = round_trip(request);
    assert!(matches!(
        params.tools.as_deref(),
        Some([Tool::Custom(_), Tool::Builtin(_)])
    ));
    assert_eq!(params.tools.as_ref().unwrap()[1].name(), Some("web_search"));
    assert!(params.extra.contains_key("context_management"));
    for choice in [
        json!({"type": "any"}),
        json!({"type": "tool", "name": "t"}),
        json!({"type": "none"}),
        json!({"type": "next_year"}),
    ] {
        round_trip::<ToolChoice>(choice);
    }
    for thinking in [
        json!({"type": "disabled"}),
        json!({"type": "adaptive", "display": "omitted"}),
        json!({"type": "enabled", "budget_tokens": 1024, "display": "summarized"}),
    ] {
        round_trip::<ThinkingConfig>(thinking);
    }
}

#[test]
fn diagnostics_opt_in_sends_an_explicit_null() {
    let params = MessageCreateParams {
        model: "m".into(),
        max_tokens: 1,
        messages: vec![MessageParam::user("hi")],
        diagnostics: Some(DiagnosticsParam::default()),
        ..Default::default()
    };
    let written = serde_json::to_value(&params).unwrap();
    assert_eq!(written["diagnostics"], json!({"previous_message_id": null}));
    let message: Message = round_trip(json!({
        "id": "msg_1", "type": "message", "role": "assistant", "model": "m", "content": [],
        "stop_reason": "end_turn", "stop_sequence": null, "usage": {"input_tokens": 1, "output_tokens": 1},
        "diagnostics": {"cache_miss_reason": {"type": "system_changed", "cache_missed_input_tokens": 1200}}
    }));
    assert_eq!(
        message.diagnostics.unwrap().cache_miss_reason.unwrap().kind,
        "system_changed"
    );
}

#[test]
fn response_nulls_are_written_as_nulls() {
    let message: Message = serde_json::from_value(json!({
        "id": "msg_1", "type": "message", "role": "assistant", "model": "m",
        "content": [{"type": "text", "text": "x", "citations": null}],
        "stop_reason": null, "stop_sequence": null, "usage": {"input_tokens": 1, "output_tokens": 2, "cache_read_input_tokens": null}
    }))
    .unwrap();
    let written = serde_json::to_value(&message).unwrap();
    assert_eq!(written["stop_reason"], Value::Null);
    assert_eq!(written["stop_sequence"], Value::Null);
    assert_eq!(written["usage"]["cache_read_input_tokens"], Value::Null);
}

#[test]
fn errors_models_and_batches_round_trip() {
    let body: ErrorResponse = round_trip(
        json!({"type": "error", "error": {"type": "rate_limit_error", "message": "slow down", "details": {"error_code": "enforced_spend_limit_reached"}}, "request_id": "req_1"}),
    );
    assert_eq!(body.error.kind, ErrorType::RateLimit);
    assert_eq!(
        body.error.error_code(),
        Some("enforced_spend_limit_reached")
    );
    let odd: ErrorResponse = round_trip(
        json!({"type": "error", "error": {"type": "teapot_error", "message": "short and stout"}}),
    );
    assert_eq!(odd.error.kind, ErrorType::Other("teapot_error".into()));

    let page: Page<ModelInfo> = serde_json::from_value(json!({
        "data": [{"id": "claude-opus-4-6", "type": "model", "display_name": "Claude Opus 4.6", "created_at": "2026-02-04T00:00:00Z",
                  "max_input_tokens": 200000, "max_tokens": 128000, "capabilities": {"image_input": {"supported": true}}}],
        "has_more": true, "first_id": "claude-opus-4-6", "last_id": "claude-opus-4-6"
    }))
    .unwrap();
    assert_eq!(page.data[0].max_tokens, Some(128000));
    let forward = ListParams {
        limit: Some(1),
        ..Default::default()
    };
    assert_eq!(
        forward.next(&page).unwrap().query(),
        "?limit=1&after_id=claude-opus-4-6"
    );
    let backward = ListParams {
        before_id: Some("x y".into()),
        ..Default::default()
    };
    assert_eq!(backward.query(), "?before_id=x%20y");
    assert_eq!(
        backward.next(&page).unwrap().before_id.as_deref(),
        Some("claude-opus-4-6")
    );
    assert_eq!(
        forward.next(&Page::<ModelInfo> {
            has_more: false,
            ..page
        }),
        None
    );

    let batch: MessageBatch = round_trip(json!({
        "id": "msgbatch_1", "type": "message_batch", "processing_status": "ended",
        "request_counts": {"processing": 0, "succeeded": 1, "errored": 1, "canceled": 1, "expired": 1},
        "created_at": "2026-01-01T00:00:00Z", "expires_at": "2026-01-02T00:00:00Z", "ended_at": "2026-01-01T01:00:00Z",
        "cancel_initiated_at": null, "archived_at": null, "results_url": "https://api.anthropic.com/v1/messages/batches/msgbatch_1/results"
    }));
    assert_eq!(batch.processing_status, ProcessingStatus::Ended);
    round_trip::<BatchCreateParams>(
        json!({"requests": [{"custom_id": "a", "params": {"model": "m", "max_tokens": 5, "messages": [{"role": "user", "content": "hi"}]}}]}),
    );
    round_trip::<DeletedMessageBatch>(json!({"id": "msgbatch_1", "type": "message_batch_deleted"}));
    let lines = [
        r#"{"custom_id":"a","result":{"type":"succeeded","message":{"id":"msg_1","type":"message","role":"assistant","model":"m","content":[{"type":"text","text":"hi"}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":1,"output_tokens":1}}}}"#,
        r#"{"custom_id":"b","result":{"type":"errored","error":{"type":"error","error":{"type":"invalid_request_error","message":"bad"}}}}"#,
        r#"{"custom_id":"c","result":{"type":"canceled"}}"#,
        "{\"custom_id\":\"d\",\"result\":{\"type\":\"expired\"}}\r",
        r#"{"custom_id":"e","result":{"type":"deferred_to_2027"}}"#,
    ];
    let kinds: Vec<Option<String>> = lines
        .iter()
        .map(|line| {
            BatchResultLine::from_line(line)
                .unwrap()
                .result
                .type_name()
                .map(str::to_owned)
        })
        .collect();
    assert_eq!(
        kinds,
        [
            Some("succeeded"),
            Some("errored"),
            Some("canceled"),
            Some("expired"),
            Some("deferred_to_2027")
        ]
        .map(|k| k.map(String::from))
    );
    for line in &lines[..4] {
        round_trip::<BatchResultLine>(serde_json::from_str(line.trim()).unwrap());
    }
    round_trip::<CountTokensResponse>(json!({"input_tokens": 2095}));
    round_trip::<CountTokensParams>(
        json!({"model": "m", "messages": [{"role": "user", "content": "hi"}], "system": "s", "tools": [{"name": "t", "input_schema": {"type": "object"}}]}),
    );
}

/// A sample value for an OpenAPI schema: its example, else its `const` or `default`, else a
/// placeholder of its type, or (for an object) one assembled from samples of its properties;
/// `null` for a nullable property nothing else gives. `None` when a required property has none.
fn sample(schema: &Value, spec: &Value, depth: usize) -> Option<Value> {
    if depth > 12 {
        return None;
    }
    if let Some(reference) = schema["$ref"].as_str() {
        let name = reference.rsplit('/').next()?;
        return sample(&spec["components"]["schemas"][name], spec, depth + 1);
    }
    for key in ["examples", "example", "const", "default"] {
        match (&schema[key], key) {
            (Value::Array(items), "examples") if !items.is_empty() => {
                return Some(items[0].clone())
            }
            (Value::Null, _) | (Value::Array(_), "examples") => {}
            (value, _) => return Some(value.clone()),
        }
    }
    if let Some(variants) = schema["anyOf"]
        .as_array()
        .or_else(|| schema["oneOf"].as_array())
    {
        let concrete = variants
            .iter()
            .filter(|v| v["type"] != "null")
            .find_map(|v| sample(v, spec, depth + 1));
        let nullable = variants.iter().any(|v| v["type"] == "null");
        return concrete.or(if nullable { Some(Value::Null) } else { None });
    }
    match schema["type"].as_str() {
        Some("string") => return Some(json!("sample")),
        Some("integer") => return Some(json!(1)),
        Some("number") => return Some(json!(0.5)),
        Some("boolean") => return Some(json!(true)),
        Some("array") => {
            return Some(Value::Array(
                sample(&schema["items"], spec, depth + 1)
                    .into_iter()
                    .collect(),
            ))
        }
        _ => {}
    }
    let properties = schema["properties"].as_object()?;
    let required: Vec<&str> = schema["required"]
        .as_array()
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let mut object = serde_json::Map::new();
    for (name, property) in properties {
        match sample(property, spec, depth + 1) {
            Some(value) => {
                object.insert(name.clone(), value);
            }
            None if required.contains(&name.as_str()) => return None,
            None => {}
        }
    }
    Some(Value::Object(object))
}

/// The examples of the official OpenAPI spec, completed into whole objects of each schema we
/// model, read and written again without loss.
#[test]
fn openapi_examples_round_trip() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/reference/anthropic-openapi.yaml");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let spec: Value = serde_json::from_str(&text).expect("the spec is JSON");
    let schema = |name: &str| {
        let definition = &spec["components"]["schemas"][name];
        assert!(definition.is_object(), "schema {name} missing");
        let value = sample(definition, &spec, 0).unwrap_or_else(|| panic!("no sample for {name}"));
        assert!(
            value.as_object().is_some_and(|o| !o.is_empty()),
            "{name}: empty sample {value}"
        );
        value
    };
    let message: Message = round_trip(schema("Message"));
    assert!(!message.content.is_empty());
    round_trip::<MessageCreateParams>(schema("CreateMessageParams"));
    round_trip::<MessageCreateParams>(schema("CreateMessageParamsWithoutStream"));
    round_trip::<CountTokensParams>(schema("CountMessageTokensParams"));
    round_trip::<CountTokensResponse>(schema("CountMessageTokensResponse"));
    round_trip::<Usage>(schema("Usage"));
    round_trip::<MessageBatch>(schema("MessageBatch"));
    round_trip::<RequestCounts>(schema("RequestCounts"));
    round_trip::<DeletedMessageBatch>(schema("DeleteMessageBatchResponse"));
    round_trip::<ModelInfo>(schema("ModelInfo"));
    round_trip::<Metadata>(schema("Metadata"));
    round_trip::<MessageDeltaUsage>(schema("MessageDeltaUsage"));
    round_trip::<ErrorResponse>(schema("ErrorResponse"));
    round_trip::<Tool>(schema("Tool"));
}
