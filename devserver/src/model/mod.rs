//! The deterministic "model": replies derived from the conversation, so that they are
//! meaningful and repeatable. It quotes and answers the last user turn, reflects the system
//! prompt, describes images from their bytes, continues prefills (valid JSON for a JSON prefix),
//! calls tools with schema-valid input, answers from tool results, thinks when asked, and
//! honours `max_tokens` and `stop_sequences` with the one token rule of [`crate::tokens`].

mod compose;
pub mod facts;
mod finish;
mod hints;
mod json_complete;
mod prefill;
mod schema;
pub mod thinking;

use anthropic_wasm_core::types::{MessageCreateParams, OutputFormat, ThinkingConfig, ToolChoice};

use facts::Facts;
pub use finish::{Block, Reply};
use finish::{Draft, Limits};
use schema::Budget;
pub use schema::{Oversized, MAX_STEPS};

/// The reply to a (validated) request; `Oversized` when its schemas ask for more values than
/// the generator makes for one reply.
pub fn respond(params: &MessageCreateParams) -> Result<Reply, Oversized> {
    let facts = Facts::read(params);
    let (drafts, plan) = draft(params, &facts, &Budget::default())?;
    let (thinking_on, budget, omit) = match &params.thinking {
        Some(ThinkingConfig::Enabled(enabled)) => (
            true,
            Some(enabled.budget_tokens as usize),
            enabled.display.as_deref() == Some("omitted"),
        ),
        Some(ThinkingConfig::Adaptive(adaptive)) => {
            (true, None, adaptive.display.as_deref() == Some("omitted"))
        }
        _ => (false, None, false),
    };
    let mut all = Vec::with_capacity(drafts.len() + 1);
    // A prefilled turn has already begun: there is no room to think before it.
    if thinking_on && facts.prefill.is_none() {
        let thought = thinking::think(&facts, plan);
        // The API's documented test string: its thinking comes back redacted.
        all.push(if facts.user_text.contains(thinking::REDACTED_TRIGGER) {
            Draft::RedactedThinking(thought)
        } else {
            Draft::Thinking(thought)
        });
    }
    all.extend(drafts);
    Ok(finish::finish(
        all,
        &Limits {
            max_tokens: params.max_tokens as usize,
            stop_sequences: params.stop_sequences.as_deref().unwrap_or_default(),
            thinking_budget: budget,
            omit_thinking: omit,
        },
    ))
}

/// The blocks to write, and the plan (a sentence for the thinking block).
fn draft(
    params: &MessageCreateParams,
    facts: &Facts,
    budget: &Budget,
) -> Result<(Vec<Draft>, &'static str), Oversized> {
    if let Some(prefill) = &facts.prefill {
        return Ok((
            vec![Draft::Text(prefill::continue_prefill(prefill, facts))],
            "I will continue the prefilled answer.",
        ));
    }
    let forced = matches!(
        facts.tool_choice,
        Some(ToolChoice::Any(_) | ToolChoice::Tool(_))
    );
    if !facts.tool_outcomes.is_empty() && !forced {
        let follow_ups = follow_up_calls(facts, budget)?;
        if !follow_ups.is_empty() {
            return Ok((
                call_drafts(follow_ups, false),
                "I will call the tool the results point to.",
            ));
        }
        return Ok((
            vec![Draft::Text(compose::tool_answer(facts))],
            "I will answer from the tool results.",
        ));
    }
    let calls = tool_calls(facts, budget)?;
    if !calls.is_empty() {
        return Ok((
            call_drafts(calls, forced),
            "I will call the tool the request asks for.",
        ));
    }
    let format = params
        .output_config
        .as_ref()
        .and_then(|c| c.format.as_ref());
    if let Some(OutputFormat::JsonSchema(format)) = format {
        let hints = hints::Hints::from_text(&facts.user_text);
        let value = schema::generate(&format.schema, &format.schema, &hints, budget)?;
        let json = serde_json::to_string(&value).unwrap_or_else(|_| "{}".into());
        return Ok((
            vec![Draft::Text(json)],
            "I will answer with JSON that follows the schema.",
        ));
    }
    Ok((
        vec![Draft::Text(compose::reply(facts))],
        "I will quote them and answer.",
    ))
}

/// A tool call for each tool, its input generated from its schema.
fn calls_of(
    tools: Vec<&facts::CallableTool>,
    hints: &hints::Hints,
    budget: &Budget,
) -> Result<Vec<(String, serde_json::Value)>, Oversized> {
    tools
        .into_iter()
        .map(|tool| {
            let input = schema::generate(&tool.schema, &tool.schema, hints, budget)?;
            Ok((tool.name.clone(), input))
        })
        .collect()
}

/// Tool calls, after a sentence announcing them unless the call was forced.
fn call_drafts(calls: Vec<(String, serde_json::Value)>, forced: bool) -> Vec<Draft> {
    let mut drafts = Vec::new();
    if !forced {
        let names: Vec<&str> = calls.iter().map(|(name, _)| name.as_str()).collect();
        drafts.push(Draft::Text(format!(
            "I'll call {} to help with that.",
            names.join(" and ")
        )));
    }
    drafts.extend(
        calls
            .into_iter()
            .map(|(name, input)| Draft::ToolUse { name, input }),
    );
    drafts
}

/// A model follows a lead in a tool's result ("ask get_time next") before answering: the tools
/// that successful results name and that the conversation has not called yet (so chains end),
/// their input drawn from the results and the question. Several are called in parallel.
fn follow_up_calls(
    facts: &Facts,
    budget: &Budget,
) -> Result<Vec<(String, serde_json::Value)>, Oversized> {
    let leads: String = facts
        .tool_outcomes
        .iter()
        .filter(|outcome| !outcome.is_error)
        .map(|outcome| outcome.content.to_lowercase())
        .collect::<Vec<_>>()
        .join("\n");
    let mut sources: Vec<&str> = facts
        .tool_outcomes
        .iter()
        .map(|o| o.content.as_str())
        .collect();
    sources.push(&facts.question);
    let hints = hints::Hints::from_text(&sources.join(". "));
    let leads_to = facts
        .tools
        .iter()
        .filter(|tool| !facts.called.contains(&tool.name) && mentions(&leads, &tool.name))
        .collect();
    calls_of(leads_to, &hints, budget)
}

/// Whether lower-case `text` names the tool, as written or with spaces for `_` and `-`.
fn mentions(text: &str, name: &str) -> bool {
    let name = name.to_lowercase();
    text.contains(&name) || text.contains(&name.replace(['_', '-'], " "))
}

/// The tools to call: the one `tool_choice` names; under `any`, those the prompt names or else
/// the first; under `auto` (or no choice), those the prompt names. One only with
/// `disable_parallel_tool_use`.
fn tool_calls(
    facts: &Facts,
    budget: &Budget,
) -> Result<Vec<(String, serde_json::Value)>, Oversized> {
    let text = facts.user_text.to_lowercase();
    let named: Vec<&facts::CallableTool> = facts
        .tools
        .iter()
        .filter(|tool| mentions(&text, &tool.name))
        .collect();
    let (mut chosen, single) = match &facts.tool_choice {
        Some(ToolChoice::Tool(choice)) => (
            facts
                .tools
                .iter()
                .filter(|t| t.name == choice.name)
                .collect(),
            true,
        ),
        Some(ToolChoice::Any(options)) => {
            let chosen = if named.is_empty() {
                facts.tools.iter().take(1).collect()
            } else {
                named
            };
            (chosen, options.disable_parallel_tool_use == Some(true))
        }
        Some(ToolChoice::Auto(options)) => (named, options.disable_parallel_tool_use == Some(true)),
        None => (named, false),
        Some(_) => (Vec::new(), false),
    };
    if single {
        chosen.truncate(1);
    }
    let source = if facts.user_text.trim().is_empty() {
        &facts.question
    } else {
        &facts.user_text
    };
    calls_of(chosen, &hints::Hints::from_text(source), budget)
}

#[cfg(test)]
mod tests {
    use super::*;
    use anthropic_wasm_core::types::StopReason;
    use serde_json::json;

    fn reply(body: serde_json::Value) -> Reply {
        respond(&serde_json::from_value(body).unwrap()).unwrap()
    }

    fn weather_tool() -> serde_json::Value {
        json!([{"name": "get_weather", "description": "Weather",
            "input_schema": {"type": "object", "properties": {"location": {"type": "string"}}, "required": ["location"]}}])
    }

    #[test]
    fn calls_a_named_tool_with_valid_input() {
        let reply = reply(
            json!({"model": "m", "max_tokens": 200, "tools": weather_tool(),
            "messages": [{"role": "user", "content": "Use get_weather for Paris"}]}),
        );
        assert_eq!(reply.stop_reason, StopReason::ToolUse);
        let Block::ToolUse {
            name,
            input: Some(input),
            ..
        } = &reply.blocks[1]
        else {
            panic!("{reply:?}")
        };
        assert_eq!(
            (name.as_str(), input),
            ("get_weather", &json!({"location": "Paris"}))
        );
    }

    #[test]
    fn forced_tool_choice_has_no_preamble() {
        let reply = reply(
            json!({"model": "m", "max_tokens": 200, "tools": weather_tool(),
            "tool_choice": {"type": "any"}, "messages": [{"role": "user", "content": "Hi"}]}),
        );
        assert!(matches!(reply.blocks.as_slice(), [Block::ToolUse { .. }]));
    }

    #[test]
    fn answers_from_tool_results() {
        let reply = reply(
            json!({"model": "m", "max_tokens": 200, "tools": weather_tool(), "messages": [
                {"role": "user", "content": "Weather in Paris?"},
                {"role": "assistant", "content": [{"type": "tool_use", "id": "toolu_1", "name": "get_weather", "input": {"location": "Paris"}}]},
                {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_1", "content": "{\"temperature\": 21}"}]}
            ]}),
        );
        assert_eq!(
            reply.blocks[0].text(),
            "The get_weather tool returned: temperature is 21. That is my answer to \"Weather in Paris?\""
        );
        assert_eq!(reply.stop_reason, StopReason::EndTurn);
    }

    #[test]
    fn follows_a_result_that_points_to_another_tool_then_answers() {
        let tools = json!([
            {"name": "find_city", "input_schema": {"type": "object", "properties": {"q": {"type": "string"}}}},
            {"name": "get_weather", "input_schema": {"type": "object", "properties": {"location": {"type": "string"}}, "required": ["location"]}}]);
        let call =
            json!({"type": "tool_use", "id": "toolu_1", "name": "find_city", "input": {"q": "x"}});
        let mut messages = vec![
            json!({"role": "user", "content": "Where is the tower? Use find_city"}),
            json!({"role": "assistant", "content": [call]}),
            json!({"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_1",
                "content": "It is in Paris; ask get_weather (and find_city again)"}]}),
        ];
        let second =
            reply(json!({"model": "m", "max_tokens": 200, "tools": tools, "messages": messages}));
        assert_eq!(second.stop_reason, StopReason::ToolUse);
        let calls: Vec<(&str, &serde_json::Value)> = second
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::ToolUse {
                    name,
                    input: Some(input),
                    ..
                } => Some((name.as_str(), input)),
                _ => None,
            })
            .collect();
        assert_eq!(calls, [("get_weather", &json!({"location": "Paris"}))]);
        messages.push(json!({"role": "assistant", "content": [
            {"type": "tool_use", "id": "toolu_2", "name": "get_weather", "input": {"location": "Paris"}}]}));
        messages.push(
            json!({"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_2",
            "content": "sunny; find_city and get_weather agree"}]}),
        );
        let third =
            reply(json!({"model": "m", "max_tokens": 200, "tools": tools, "messages": messages}));
        assert_eq!(third.stop_reason, StopReason::EndTurn);
        assert!(third.blocks[0]
            .text()
            .starts_with("The get_weather tool returned: sunny"));
    }

    #[test]
    fn thinks_first_when_asked() {
        let reply = reply(
            json!({"model": "m", "max_tokens": 2000, "thinking": {"type": "enabled", "budget_tokens": 1024},
            "messages": [{"role": "user", "content": "Hi"}]}),
        );
        assert!(matches!(&reply.blocks[0], Block::Thinking { .. }));
        assert!(reply.blocks[0]
            .text()
            .contains("I will quote them and answer."));
        assert!(matches!(&reply.blocks[1], Block::Text { .. }));
    }

    #[test]
    fn the_documented_test_string_redacts_the_thinking() {
        let user = format!("Hi {}", thinking::REDACTED_TRIGGER);
        let reply = reply(
            json!({"model": "m", "max_tokens": 2000, "thinking": {"type": "enabled", "budget_tokens": 1024},
            "messages": [{"role": "user", "content": user}]}),
        );
        let Block::RedactedThinking { data } = &reply.blocks[0] else {
            panic!("{:?}", reply.blocks[0]);
        };
        assert!(!data.is_empty() && !data.contains("quote"));
        assert!(matches!(&reply.blocks[1], Block::Text { .. }));
        // Counted as thinking: more output tokens than the text alone.
        assert!(reply.output_tokens > crate::tokens::count(&reply.blocks[1].text()));
    }

    #[test]
    fn multiple_choice_with_one_token() {
        let reply = reply(json!({"model": "m", "max_tokens": 1, "messages": [
            {"role": "user", "content": "2+2? (A) 3 (B) 4"},
            {"role": "assistant", "content": "The answer is ("}]}));
        assert_eq!(reply.blocks[0].text(), "B");
        assert_eq!(
            (reply.stop_reason, reply.output_tokens),
            (StopReason::MaxTokens, 1)
        );
    }

    #[test]
    fn structured_output_follows_the_schema() {
        let reply = reply(json!({"model": "m", "max_tokens": 200,
            "output_config": {"format": {"type": "json_schema", "schema": {"type": "object",
                "properties": {"city": {"type": "string"}}, "required": ["city"]}}},
            "messages": [{"role": "user", "content": "Where is the Louvre? In Paris."}]}));
        let value: serde_json::Value = serde_json::from_str(&reply.blocks[0].text()).unwrap();
        assert_eq!(value, json!({"city": "Paris"}));
    }
}
