//! The helpers over the scripted transport: the tool runner's rounds, parallel calls, errors
//! and bound; the conversation's history, trimming to a budget around tool pairs, partial
//! replies and export; structured outputs; prefill.

mod common;

use std::cell::RefCell;
use std::rc::Rc;

use anthropic_wasm::client::{Client, ClientOptions, RequestOptions};
use anthropic_wasm::error::{ApiKey, Error};
use anthropic_wasm::helpers::history::{cut_points, estimate_tokens, fit};
use anthropic_wasm::helpers::prefill::{prefill_json, send_with_prefill};
use anthropic_wasm::helpers::structured::{json_schema, parse};
use anthropic_wasm::helpers::{
    Conversation, HelperError, RunnableTool, RunnerEvent, TokenBudget, TokenCounter, ToolRunner,
};
use anthropic_wasm::types::*;
use common::scripted::{block_on, sse, Chunk, Scripted, YieldOnce};
use serde::Deserialize;
use serde_json::{json, Value};

fn client(script: &Scripted) -> Client<Scripted> {
    Client::new(
        script.clone(),
        ClientOptions {
            api_key: Some(ApiKey::new("sk-ant-test")),
            ..ClientOptions::default()
        },
    )
}

fn params(prompt: &str) -> MessageCreateParams {
    MessageCreateParams {
        model: "claude-sonnet-4-5".into(),
        max_tokens: 256,
        messages: vec![MessageParam::user(prompt)],
        ..Default::default()
    }
}

fn reply(content: Value, stop_reason: &str) -> Value {
    json!({"id": "msg_1", "type": "message", "role": "assistant", "model": "claude-sonnet-4-5",
           "content": content, "stop_reason": stop_reason, "stop_sequence": null,
           "usage": {"input_tokens": 10, "output_tokens": 5}})
}

fn text_reply(text: &str) -> Value {
    reply(json!([{"type": "text", "text": text}]), "end_turn")
}

fn tool_use(id: &str, name: &str, input: Value) -> Value {
    json!({"type": "tool_use", "id": id, "name": name, "input": input})
}

/// The request bodies sent, as JSON.
fn bodies(script: &Scripted) -> Vec<Value> {
    script
        .requests()
        .iter()
        .map(|r| serde_json::from_str(r.body.as_deref().unwrap_or("null")).unwrap())
        .collect()
}

/// A message as the SSE events the API streams for it.
fn sse_of(message: &Value) -> Vec<u8> {
    let mut start = message.clone();
    start["content"] = json!([]);
    start["stop_reason"] = Value::Null;
    let mut events = vec![json!({"type": "message_start", "message": start})];
    for (index, block) in message["content"].as_array().unwrap().iter().enumerate() {
        let (empty, delta) = match block["type"].as_str() {
            Some("tool_use") => {
                let mut empty = block.clone();
                empty["input"] = json!({});
                let delta =
                    json!({"type": "input_json_delta", "partial_json": block["input"].to_string()});
                (empty, delta)
            }
            _ => (
                json!({"type": "text", "text": ""}),
                json!({"type": "text_delta", "text": block["text"]}),
            ),
        };
        events.push(json!({"type": "content_block_start", "index": index, "content_block": empty}));
        events.push(json!({"type": "content_block_delta", "index": index, "delta": delta}));
        events.push(json!({"type": "content_block_stop", "index": index}));
    }
    events.push(json!({"type": "message_delta", "delta": {"stop_reason": message["stop_reason"], "stop_sequence": null}, "usage": {"output_tokens": 5}}));
    events.push(json!({"type": "message_stop"}));
    events
        .iter()
        .map(|e| format!("event: {}\ndata: {e}\n\n", e["type"].as_str().unwrap()))
        .collect::<String>()
        .into_bytes()
}

#[derive(Deserialize)]
struct City {
    city: String,
}

/// A tool that logs when it starts and ends, and yields in between.
fn logged_tool(name: &'static str, log: &Rc<RefCell<Vec<String>>>) -> RunnableTool {
    let log = Rc::clone(log);
    RunnableTool::new(
        name,
        format!("{name} of a city"),
        json!({"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}),
        move |input: City| {
            let log = Rc::clone(&log);
            async move {
                log.borrow_mut()
                    .push(format!("start {name} {}", input.city));
                YieldOnce(false).await;
                log.borrow_mut().push(format!("end {name}"));
                if input.city == "Atlantis" {
                    return Err(format!("no {name} for {}", input.city));
                }
                Ok(format!("{name} in {}: fine", input.city))
            }
        },
    )
}

#[test]
fn the_tool_runner_loops_runs_parallel_calls_concurrently_and_reports_errors() {
    let script = Scripted::default();
    script
        .json(
            200,
            reply(
                json!([
                    {"type": "text", "text": "Let me check."},
                    tool_use("toolu_1", "weather", json!({"city": "Paris"})),
                    tool_use("toolu_2", "time", json!({"city": "Oslo"})),
                ]),
                "tool_use",
            ),
        )
        .json(
            200,
            reply(
                json!([
                    tool_use("toolu_3", "teleport", json!({})),
                    tool_use("toolu_4", "weather", json!({"city": "Atlantis"})),
                    tool_use("toolu_5", "time", json!({"town": "Rome"})),
                ]),
                "tool_use",
            ),
        )
        .json(200, text_reply("Paris is fine."));
    let log = Rc::new(RefCell::new(Vec::new()));
    let mut runner = ToolRunner::new(client(&script), params("Weather in Paris, time in Oslo?"))
        .tool(logged_tool("weather", &log))
        .tool(logged_tool("time", &log));
    let answer = block_on(runner.run_until_done(&RequestOptions::default())).unwrap();
    assert_eq!(answer.text(), "Paris is fine.");
    assert_eq!(runner.iterations(), 3);
    // Both calls of the first reply started before either ended.
    assert_eq!(
        log.borrow()[..4],
        [
            "start weather Paris",
            "start time Oslo",
            "end weather",
            "end time"
        ]
    );
    let sent = bodies(&script);
    assert_eq!(sent.len(), 3);
    assert_eq!(sent[0]["tools"][0]["name"], "weather");
    assert_eq!(sent[0]["tools"][1]["name"], "time");
    assert_eq!(
        sent[1]["messages"][2],
        json!({"role": "user", "content": [
            {"type": "tool_result", "tool_use_id": "toolu_1", "content": "weather in Paris: fine"},
            {"type": "tool_result", "tool_use_id": "toolu_2", "content": "time in Oslo: fine"},
        ]})
    );
    let errors = &sent[2]["messages"][4]["content"];
    assert_eq!(
        errors[0],
        json!({"type": "tool_result", "tool_use_id": "toolu_3", "content": "Error: Tool 'teleport' not found", "is_error": true})
    );
    assert_eq!(
        errors[1],
        json!({"type": "tool_result", "tool_use_id": "toolu_4", "content": "Error: no weather for Atlantis", "is_error": true})
    );
    assert_eq!(errors[2]["is_error"], true);
    assert!(errors[2]["content"]
        .as_str()
        .unwrap()
        .starts_with("Error: invalid input: missing field `city`"));
    // The history: the question, three replies and two tool result turns.
    assert_eq!(runner.messages().len(), 6);
    assert!(block_on(runner.next_message(&RequestOptions::default())).is_none());
}

#[test]
fn the_tool_runner_stops_at_its_bound_with_the_history() {
    let script = Scripted::default();
    for id in ["toolu_a", "toolu_b", "toolu_c"] {
        script.json(
            200,
            reply(
                json!([tool_use(id, "weather", json!({"city": "Paris"}))]),
                "tool_use",
            ),
        );
    }
    script.json(200, text_reply("Done."));
    let log = Rc::new(RefCell::new(Vec::new()));
    let mut runner = ToolRunner::new(client(&script), params("Weather?"))
        .tool(logged_tool("weather", &log))
        .max_iterations(2);
    let error = block_on(runner.run_until_done(&RequestOptions::default())).unwrap_err();
    let HelperError::MaxIterations {
        limit,
        messages,
        last_message,
    } = &error
    else {
        panic!("{error:?}")
    };
    assert_eq!(*limit, 2);
    assert_eq!(script.requests().len(), 2);
    // Question, reply, results, reply, results: ready to be sent again.
    assert_eq!(messages.len(), 5);
    assert_eq!(messages[4].role, Role::User);
    assert!(
        matches!(&last_message.as_ref().unwrap().content[0], ContentBlock::ToolUse(u) if u.id == "toolu_b")
    );
    assert!(error.to_string().contains("limit of 2 requests"));
    // A higher bound lets the same runner go on from there.
    runner.set_max_iterations(4);
    let answer = block_on(runner.run_until_done(&RequestOptions::default())).unwrap();
    assert_eq!(answer.text(), "Done.");
    assert_eq!(bodies(&script)[3]["messages"].as_array().unwrap().len(), 7);
}

#[test]
fn the_streaming_tool_runner_reports_each_round() {
    let script = Scripted::default();
    let first = reply(
        json!([tool_use("toolu_1", "weather", json!({"city": "Lima"}))]),
        "tool_use",
    );
    script.reply(sse(200, vec![Chunk::Bytes(sse_of(&first))]));
    script.reply(sse(
        200,
        vec![Chunk::Bytes(sse_of(&text_reply("Lima is fine.")))],
    ));
    let log = Rc::new(RefCell::new(Vec::new()));
    let mut runner = ToolRunner::new(client(&script), params("Weather in Lima?"))
        .tool(logged_tool("weather", &log));
    let mut seen = Vec::new();
    let answer = block_on(runner.run_streaming(&RequestOptions::default(), |event| {
        seen.push(match event {
            RunnerEvent::Stream { round, event } => format!("{round} {}", event.name()),
            RunnerEvent::Message { round, message } => {
                format!("{round} message {}", message.text())
            }
            RunnerEvent::ToolResults { round, results } => {
                format!(
                    "{round} results {}",
                    serde_json::to_string(&results.content).unwrap()
                )
            }
        });
    }))
    .unwrap();
    assert_eq!(answer.text(), "Lima is fine.");
    assert_eq!(seen.first().map(String::as_str), Some("1 message_start"));
    assert!(seen.contains(&"1 content_block_delta".to_owned()));
    let results = seen
        .iter()
        .position(|s| s.starts_with("1 results"))
        .unwrap();
    assert!(seen[results].contains("weather in Lima: fine"));
    assert_eq!(seen[results + 1], "2 message_start");
    assert_eq!(
        seen.last().map(String::as_str),
        Some("2 message Lima is fine.")
    );
    assert!(bodies(&script).iter().all(|b| b["stream"] == true));
}

/// A history whose middle has tool pairs: cut points are 0, 4 and 8 only.
fn history_with_tools() -> Vec<MessageParam> {
    let big = "x".repeat(4000);
    serde_json::from_value(json!([
        {"role": "user", "content": "q1"},
        {"role": "assistant", "content": [tool_use("toolu_a", "weather", json!({"city": "Paris"}))]},
        {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_a", "content": "sunny"}]},
        {"role": "assistant", "content": "answer 1"},
        {"role": "user", "content": "q2"},
        {"role": "assistant", "content": [{"type": "text", "text": "Two calls."},
            tool_use("toolu_b", "weather", json!({"city": "Oslo"})), tool_use("toolu_c", "time", json!({"city": "Oslo"}))]},
        {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_b", "content": big},
            {"type": "tool_result", "tool_use_id": "toolu_c", "content": "noon"}]},
        {"role": "assistant", "content": "answer 2"},
        {"role": "user", "content": "q3"},
    ]))
    .unwrap()
}

/// The history keeps every `tool_use` with its `tool_result` and starts with a plain user turn.
fn assert_sendable(messages: &[MessageParam]) {
    let first = &messages[0];
    assert_eq!(first.role, Role::User);
    assert_eq!(
        cut_points(messages).first(),
        Some(&0),
        "starts with a tool_result"
    );
    for (i, message) in messages.iter().enumerate() {
        let MessageContent::Blocks(blocks) = &message.content else {
            continue;
        };
        for block in blocks {
            if let ContentBlock::ToolUse(call) = block {
                let answered = matches!(messages.get(i + 1).map(|m| &m.content), Some(MessageContent::Blocks(next))
                    if next.iter().any(|b| matches!(b, ContentBlock::ToolResult(r) if r.tool_use_id == call.id)));
                assert!(answered, "{} lost its result", call.id);
            }
        }
    }
}

#[test]
fn cut_points_and_the_estimate() {
    let messages = history_with_tools();
    assert_eq!(cut_points(&messages), [0, 4, 8]);
    assert_eq!(cut_points(&messages[1..]), [3, 7]);
    let count = |messages: &[MessageParam]| {
        estimate_tokens(&CountTokensParams {
            model: "m".into(),
            messages: messages.to_vec(),
            ..Default::default()
        })
    };
    // "q3": 3 for the turn, 1 for the text.
    assert_eq!(count(&messages[8..]), 4);
    let image = MessageParam::user(vec![
        ContentBlock::text("abcd"),
        ContentBlock::image_url("https://x/y.png"),
    ]);
    assert_eq!(count(std::slice::from_ref(&image)), 3 + 1600 + 1);
    assert!(count(&messages) > 1000, "the 4000-character result counts");
}

#[test]
fn trimming_never_splits_a_tool_pair_whatever_the_budget() {
    let messages = history_with_tools();
    let estimate = |start: usize| {
        let tokens = estimate_tokens(&CountTokensParams {
            model: "m".into(),
            messages: messages[start..].to_vec(),
            ..Default::default()
        });
        async move { Ok::<_, HelperError>(tokens) }
    };
    let total = block_on(estimate(0)).unwrap();
    let shortest = block_on(estimate(8)).unwrap();
    let mut dropped_seen = Vec::new();
    for budget in 0..=total + 5 {
        match block_on(fit(&messages, budget, estimate)) {
            Ok(fit) => {
                assert!(fit.tokens <= budget);
                assert_sendable(&messages[fit.dropped..]);
                dropped_seen.push(fit.dropped);
            }
            Err(HelperError::OverBudget { tokens, .. }) => {
                assert!(budget < shortest);
                assert_eq!(tokens, shortest);
            }
            Err(other) => panic!("{other:?}"),
        }
    }
    dropped_seen.dedup();
    // Starting at index 6 would fit some budgets, but it would orphan two results: 4 goes to 8.
    assert_eq!(dropped_seen, [8, 4, 0]);
}

#[test]
fn a_conversation_trims_with_count_tokens_before_sending() {
    let script = Scripted::default();
    // The probes: all (over), from the last cut point (within), then the middle one (within).
    script
        .json(200, json!({"input_tokens": 1500}))
        .json(200, json!({"input_tokens": 20}))
        .json(200, json!({"input_tokens": 90}))
        .json(200, text_reply("answer 3"));
    let mut history = history_with_tools();
    history.pop();
    let mut chat = Conversation::from_params(
        client(&script),
        MessageCreateParams {
            messages: history,
            ..params("unused")
        },
    )
    .with_token_budget(TokenBudget {
        max_input_tokens: 100,
        counter: TokenCounter::CountTokens,
    });
    chat.params_mut().system = Some(SystemPrompt::Text("Be brief.".into()));
    let reply = block_on(chat.send("q3", &RequestOptions::default())).unwrap();
    assert_eq!(reply.text(), "answer 3");
    let requests = script.requests();
    assert!(requests[..3]
        .iter()
        .all(|r| r.url.ends_with("/v1/messages/count_tokens")));
    let sent = bodies(&script);
    let lengths: Vec<usize> = sent
        .iter()
        .map(|b| b["messages"].as_array().unwrap().len())
        .collect();
    assert_eq!(lengths, [9, 1, 5, 5]);
    assert_eq!(sent[0]["system"], "Be brief.");
    assert_eq!(sent[3]["messages"][0]["content"], "q2");
    // The history is what was sent and the reply.
    assert_eq!(chat.messages().len(), 6);
    assert_sendable(chat.messages());
}

#[test]
fn a_failed_turn_leaves_the_history_unchanged() {
    let script = Scripted::default();
    script.json(200, text_reply("Hi!")).json(
        400,
        json!({"type": "error", "error": {"type": "invalid_request_error", "message": "no"}}),
    );
    let mut chat =
        Conversation::new(client(&script), "claude-sonnet-4-5", 100).with_system("Be kind.");
    block_on(chat.send("Hello", &RequestOptions::default())).unwrap();
    let before = chat.export_json();
    let error = block_on(chat.send("Again", &RequestOptions::default())).unwrap_err();
    assert!(matches!(error, HelperError::Client(Error::Api(_))));
    assert_eq!(chat.export_json(), before);
    assert_eq!(
        serde_json::from_str::<Value>(&before).unwrap(),
        json!({"system": "Be kind.", "messages": [
            {"role": "user", "content": "Hello"},
            {"role": "assistant", "content": [{"type": "text", "text": "Hi!"}]}]})
    );
    let sent = bodies(&script);
    assert_eq!(sent[1]["messages"].as_array().unwrap().len(), 3);
    // Export and import.
    let mut other = Conversation::new(client(&script), "claude-sonnet-4-5", 100);
    other.import_json(&before).unwrap();
    assert_eq!(other.export_json(), before);
    assert!(other.import_json(r#"{"messages": 3}"#).is_err());
    assert_eq!(other.export_json(), before);
}

#[test]
fn a_streamed_turn_joins_the_history_and_a_failed_one_may_keep_its_text() {
    let script = Scripted::default();
    let message = json!({"id": "msg_1", "type": "message", "role": "assistant", "model": "m",
        "content": [{"type": "text", "text": "Once upon a time"}], "stop_reason": "end_turn",
        "usage": {"input_tokens": 1, "output_tokens": 1}});
    let whole = sse_of(&message);
    script.reply(sse(200, vec![Chunk::Bytes(whole.clone())]));
    // Cut after the text delta, then the connection fails: twice, with and without keeping.
    let cut = String::from_utf8_lossy(&whole)
        .find("event: content_block_stop")
        .unwrap();
    for _ in 0..2 {
        script.reply(sse(
            200,
            vec![Chunk::Bytes(whole[..cut].to_vec()), Chunk::Fail],
        ));
    }
    let mut chat = Conversation::new(client(&script), "claude-sonnet-4-5", 100);
    let photo = ContentBlock::image_url("https://example.com/cat.png");
    let mut stream = block_on(chat.stream(
        vec![ContentBlock::text("Tell me"), photo],
        &RequestOptions::default(),
    ))
    .unwrap();
    let mut events = 0;
    while let Some(event) = block_on(stream.next_event()) {
        event.unwrap();
        events += 1;
    }
    assert!(events >= 6);
    block_on(stream.final_message()).unwrap();
    assert_eq!(chat.messages().len(), 2);
    assert_eq!(
        bodies(&script)[0]["messages"][0]["content"][1]["source"]["url"],
        "https://example.com/cat.png"
    );

    let stream = block_on(chat.stream("Go on", &RequestOptions::default())).unwrap();
    assert!(block_on(stream.final_message()).is_err());
    assert_eq!(chat.messages().len(), 2, "unchanged after a failure");

    let mut chat = chat.keep_partial_replies(true);
    let stream = block_on(chat.stream("Go on", &RequestOptions::default())).unwrap();
    assert!(block_on(stream.final_message()).is_err());
    let kept = chat.messages();
    assert_eq!(kept.len(), 4);
    assert_eq!(
        kept[3].content,
        MessageContent::Blocks(vec![ContentBlock::text("Once upon a time")])
    );
}

#[test]
fn normalize_merges_turns_and_drops_empty_text() {
    let script = Scripted::default();
    let mut chat = Conversation::new(client(&script), "m", 10);
    chat.params_mut().messages = vec![
        MessageParam::user("a"),
        MessageParam::user(vec![ContentBlock::text(""), ContentBlock::text("b")]),
        MessageParam::assistant(""),
    ];
    chat.normalize();
    assert_eq!(
        chat.messages(),
        [MessageParam::user(vec![
            ContentBlock::text("a"),
            ContentBlock::text("b")
        ])]
    );
}

#[derive(Debug, Deserialize, PartialEq)]
struct Capital {
    country: String,
    city: String,
}

#[test]
fn structured_outputs_parse_or_fail_with_the_raw_text() {
    let script = Scripted::default();
    script
        .json(200, text_reply(r#"{"country": "France", "city": "Paris"}"#))
        .json(
            200,
            reply(
                json!([{"type": "text", "text": "{\"country\": \"Fra"}]),
                "max_tokens",
            ),
        );
    let schema = json!({"type": "object", "properties": {"country": {"type": "string"}, "city": {"type": "string"}},
        "required": ["country", "city"], "additionalProperties": false});
    let request = MessageCreateParams {
        output_config: Some(json_schema(schema.clone())),
        ..params("Capital of France?")
    };
    let parsed = block_on(parse::<Capital, _>(
        &client(&script),
        &request,
        &RequestOptions::default(),
    ))
    .unwrap();
    assert_eq!(
        parsed.parsed,
        Capital {
            country: "France".into(),
            city: "Paris".into()
        }
    );
    assert_eq!(
        bodies(&script)[0]["output_config"],
        json!({"format": {"type": "json_schema", "schema": schema}})
    );
    let error = block_on(parse::<Capital, _>(
        &client(&script),
        &request,
        &RequestOptions::default(),
    ))
    .unwrap_err();
    let HelperError::Parse(failure) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(failure.raw, "{\"country\": \"Fra");
    assert_eq!(failure.stop_reason, Some(StopReason::MaxTokens));
    assert!(error.to_string().contains("max_tokens"));
}

#[derive(Debug, Deserialize, PartialEq)]
struct Person {
    name: String,
    born: Option<u32>,
}

#[test]
fn prefill_gives_the_whole_answer_and_parses_json() {
    let script = Scripted::default();
    script
        .json(200, text_reply(r#"Ada Lovelace", "born": 1815} That is all."#))
        .json(200, json!({"id": "msg_2", "type": "message", "role": "assistant", "model": "m",
            "content": [{"type": "text", "text": "Ada\", \"born\": 1815"}], "stop_reason": "stop_sequence",
            "stop_sequence": "}", "usage": {"input_tokens": 1, "output_tokens": 1}}))
        .json(200, text_reply("not json"))
        .json(200, text_reply(" continued."));
    let c = client(&script);
    let options = RequestOptions::default();
    let person = block_on(prefill_json::<Person, _>(
        &c,
        &params("Who?"),
        r#"{"name": ""#,
        &options,
    ))
    .unwrap();
    assert_eq!(
        person.parsed,
        Person {
            name: "Ada Lovelace".into(),
            born: Some(1815)
        }
    );
    // Closed by the stop sequence; the prefill's trailing space removed.
    let person = block_on(prefill_json::<Person, _>(
        &c,
        &params("Who?"),
        "{\"name\": \" ",
        &options,
    ));
    let sent = bodies(&script);
    assert_eq!(
        sent[1]["messages"][1],
        json!({"role": "assistant", "content": "{\"name\": \""})
    );
    assert_eq!(person.unwrap().parsed.born, Some(1815));
    let error = block_on(prefill_json::<Person, _>(
        &c,
        &params("Who?"),
        "{",
        &options,
    ))
    .unwrap_err();
    assert!(matches!(&error, HelperError::Parse(e) if e.raw == "{not json"));
    let text = block_on(send_with_prefill(&c, &params("Go"), "It was", &options)).unwrap();
    assert_eq!(text.text, "It was continued.");
    // A model that refuses prefill is stopped before sending, pointing to structured outputs.
    let refused = MessageCreateParams {
        model: "claude-opus-4-6".into(),
        ..params("Who?")
    };
    let error = block_on(send_with_prefill(&c, &refused, "{", &options)).unwrap_err();
    assert_eq!(
        error,
        HelperError::PrefillUnsupported {
            model: "claude-opus-4-6".into()
        }
    );
    assert!(error.to_string().contains("output_config.format"));
    assert_eq!(script.requests().len(), 4);
}
