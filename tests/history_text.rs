//! The history rules over JSON text (`anthropic_wasm_core::history`, for the npm package)
//! against the typed ones of the Rust API (`helpers::history::cut_points`,
//! `validate::normalize`, `serde_json`'s stream reader): the same results on the helpers'
//! test histories and on random ones; and the text versions keep unknown fields and nulls.

use anthropic_wasm::helpers::history;
use anthropic_wasm::types::{CountTokensParams, MessageParam};
use anthropic_wasm::validate::normalize;
use anthropic_wasm_core::history as text;
use proptest::prelude::*;
use serde_json::{json, Value};

fn tool_use(id: &str) -> Value {
    json!({"type": "tool_use", "id": id, "name": "weather", "input": {"city": "Paris"}})
}

fn tool_result(id: &str) -> Value {
    json!({"type": "tool_result", "tool_use_id": id, "content": "sunny"})
}

/// The history of `tests/helpers.rs` with tool pairs in the middle (cut points 0, 4, 8).
fn history_with_tools() -> Value {
    json!([
        {"role": "user", "content": "q1"},
        {"role": "assistant", "content": [tool_use("toolu_a")]},
        {"role": "user", "content": [tool_result("toolu_a")]},
        {"role": "assistant", "content": "answer 1"},
        {"role": "user", "content": "q2"},
        {"role": "assistant", "content": [{"type": "text", "text": "Two calls."}, tool_use("toolu_b"), tool_use("toolu_c")]},
        {"role": "user", "content": [tool_result("toolu_b"), tool_result("toolu_c")]},
        {"role": "assistant", "content": "answer 2"},
        {"role": "user", "content": "q3"},
    ])
}

/// Both versions on `messages`: equal cut points and equal normalised messages.
fn agree(messages: &Value) {
    let json_text = messages.to_string();
    let typed: Vec<MessageParam> = serde_json::from_value(messages.clone()).expect("typed");
    assert_eq!(
        text::cut_points(&json_text).expect("cut points"),
        history::cut_points(&typed),
        "{json_text}"
    );
    let mut normalized = typed;
    normalize(&mut normalized);
    let ours: Value = serde_json::from_str(&text::normalize(&json_text).expect("normalize"))
        .expect("normalized JSON");
    assert_eq!(
        ours,
        serde_json::to_value(&normalized).expect("typed JSON"),
        "{json_text}"
    );
}

/// Both estimates of a request with `messages`, a system prompt and a tool.
fn estimates_agree(messages: &Value, system: &Value) {
    let mut params = json!({
        "model": "claude-sonnet-4-5",
        "messages": messages,
        "tools": [{"name": "weather", "description": "Weather \"now\"\n", "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}}}],
    });
    if !system.is_null() {
        params["system"] = system.clone();
    }
    let typed: CountTokensParams = serde_json::from_value(params.clone()).expect("typed params");
    let pretty = serde_json::to_string_pretty(&params).expect("JSON");
    assert_eq!(
        text::estimate_tokens(&pretty).expect("estimate"),
        history::estimate_tokens(&typed),
        "{pretty}"
    );
}

#[test]
fn the_helpers_histories_agree() {
    estimates_agree(&history_with_tools(), &Value::Null);
    estimates_agree(&history_with_tools(), &json!("Be brief. é"));
    estimates_agree(
        &history_with_tools(),
        &json!([{"type": "text", "text": "Be brief."}]),
    );
    let history = history_with_tools();
    agree(&history);
    assert_eq!(text::cut_points(&history.to_string()), Ok(vec![0, 4, 8]));
    let tail = Value::Array(history.as_array().expect("array")[1..].to_vec());
    assert_eq!(text::cut_points(&tail.to_string()), Ok(vec![3, 7]));
    agree(&tail);
    let merged = json!([
        {"role": "user", "content": "a"},
        {"role": "user", "content": [{"type": "text", "text": ""}, {"type": "text", "text": "b"}]},
        {"role": "assistant", "content": ""},
    ]);
    agree(&merged);
    assert_eq!(
        serde_json::from_str::<Value>(&text::normalize(&merged.to_string()).expect("normalize"))
            .ok(),
        Some(
            json!([{"role": "user", "content": [{"type": "text", "text": "a"}, {"type": "text", "text": "b"}]}])
        )
    );
}

#[test]
fn normalisation_keeps_unknown_fields_and_nulls() {
    let messages = json!([
        {"role": "user", "content": [{"type": "text", "text": "a", "cache_control": null, "x_new": [1]}], "x_turn": null},
        {"role": "user", "content": "b", "x_turn": 2, "x_other": {"k": null}},
        {"role": "assistant", "content": [{"type": "mystery", "data": null}]},
    ]);
    let ours: Value =
        serde_json::from_str(&text::normalize(&messages.to_string()).expect("normalize"))
            .expect("JSON");
    assert_eq!(
        ours,
        json!([
            {"role": "user", "content": [
                {"type": "text", "text": "a", "cache_control": null, "x_new": [1]},
                {"type": "text", "text": "b"}
            ], "x_turn": null, "x_other": {"k": null}},
            {"role": "assistant", "content": [{"type": "mystery", "data": null}]},
        ])
    );
}

#[test]
fn what_is_not_a_list_of_messages_is_refused() {
    for bad in [
        "{}",
        "[1]",
        "[{\"content\": \"a\"}]",
        "[{\"role\": 1, \"content\": \"a\"}]",
        "[{\"role\": \"user\"}]",
        "[{\"role\": \"user\", \"content\": 3}]",
        "[",
        "[] x",
    ] {
        assert!(text::cut_points(bad).is_err(), "{bad}");
        assert!(text::normalize(bad).is_err(), "{bad}");
    }
    assert_eq!(text::normalize("[]").as_deref(), Ok("[]"));
}

#[test]
fn first_json_value_agrees_with_serde_json() {
    for sample in [
        "{\"a\": 1} trailing",
        "  [1, 2]x",
        "\"s\"\"t\"",
        "12 ",
        "12",
        "12x",
        "true,",
        "truex",
        "nul",
        "",
        "  ",
        "{\"a\": }",
        "-0.5e3]",
        "{\"a\":\"\\u00e9\"} {}",
        "[1, [2, {\"b\": null}]]...",
    ] {
        let serde = serde_json::Deserializer::from_str(sample)
            .into_iter::<Value>()
            .next()
            .and_then(Result::ok);
        let ours = text::first_json_value(sample).map(|found| {
            serde_json::from_str::<Value>(found).unwrap_or_else(|e| panic!("{found:?}: {e}"))
        });
        assert_eq!(ours, serde, "{sample:?}");
    }
}

fn arb_block() -> impl Strategy<Value = Value> {
    prop_oneof![
        prop::sample::select(vec!["", "hi", "a \"q\"", "é"])
            .prop_map(|t| json!({"type": "text", "text": t})),
        "[a-c]{1,2}".prop_map(|id| tool_use(&id)),
        "[a-c]{1,2}".prop_map(|id| tool_result(&id)),
        Just(
            json!({"type": "image", "source": {"type": "url", "url": "https://example.com/a.png"}})
        ),
        Just(json!({"type": "mystery", "data": [1, 2], "note": "a\u{1}\tb\"c\\ é"})),
        Just(json!({"type": "thinking", "thinking": "hmm\u{1} \\ ok", "signature": "sig"})),
    ]
}

fn arb_turn() -> impl Strategy<Value = Value> {
    let content = prop_oneof![
        prop::sample::select(vec!["", "q", "long question"]).prop_map(Value::from),
        prop::collection::vec(arb_block(), 0..4).prop_map(Value::Array),
    ];
    (
        prop::sample::select(vec!["user", "assistant"]),
        content,
        any::<bool>(),
    )
        .prop_map(|(role, content, extra)| {
            let mut turn = json!({"role": role, "content": content});
            if extra {
                turn["x_extra"] = json!(role.len());
            }
            turn
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn random_histories_agree(turns in prop::collection::vec(arb_turn(), 0..10)) {
        let turns = Value::Array(turns);
        agree(&turns);
        estimates_agree(&turns, &Value::Null);
    }
}
