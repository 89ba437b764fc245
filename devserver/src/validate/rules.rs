//! Rules that need the model or the whole conversation, checked on the parsed request.

use anthropic_wasm_core::types::{
    ContentBlock, MessageContent, MessageCreateParams, MessageParam, Role, ThinkingConfig,
};

use super::check::{fail, Checked};
use crate::catalog::Model;
use crate::model::thinking::signature;

/// The API's answer to a prefill on a model without prefill support.
pub const PREFILL_UNSUPPORTED: &str =
    "This model does not support assistant message prefill. The conversation must end with a user message.";

/// Checks a create request against its model.
pub fn create(params: &MessageCreateParams, model: &Model) -> Checked {
    if params.max_tokens > model.max_tokens {
        return fail(
            "max_tokens",
            format!(
                "{} > {}, which is the maximum allowed number of output tokens for {}",
                params.max_tokens, model.max_tokens, model.id
            ),
        );
    }
    if let Some(ThinkingConfig::Enabled(enabled)) = &params.thinking {
        if enabled.budget_tokens >= params.max_tokens {
            return fail("", "`max_tokens` must be greater than `thinking.budget_tokens`. Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking#max-tokens-and-context-window-size");
        }
        if params.temperature.is_some_and(|t| t != 1.0) {
            return fail("", "`temperature` may only be set to 1 when thinking is enabled. Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking#feature-compatibility");
        }
    }
    if model.fixed_sampling {
        if params.temperature.is_some_and(|t| t != 1.0) {
            return fail("temperature", "this model only accepts 1.0 (temperature is deprecated for models released after Claude Opus 4.6)");
        }
        if params.top_p.is_some_and(|p| p < 0.99) {
            return fail("top_p", "this model only accepts values of 0.99 or more (top_p is deprecated for models released after Claude Opus 4.6)");
        }
        if params.top_k.is_some() {
            return fail("top_k", "this model does not accept top_k (deprecated for models released after Claude Opus 4.6)");
        }
    }
    if let Some(last) = params.messages.last().filter(|m| m.role == Role::Assistant) {
        if model.rejects_prefill {
            return fail("", PREFILL_UNSUPPORTED);
        }
        if ends_with_whitespace(&last.content) {
            return fail(
                "messages",
                "final assistant content cannot end with trailing whitespace",
            );
        }
    }
    conversation(&params.messages)
}

fn ends_with_whitespace(content: &MessageContent) -> bool {
    let last_text = match content {
        MessageContent::Text(text) => Some(text.as_str()),
        MessageContent::Blocks(blocks) => match blocks.last() {
            Some(ContentBlock::Text(text)) => Some(text.text.as_str()),
            _ => None,
        },
    };
    last_text.is_some_and(|text| text.chars().next_back().is_some_and(char::is_whitespace))
}

/// One turn: consecutive messages of the same role, which the API merges.
struct Turn<'a> {
    role: &'a Role,
    first: usize,
    /// `(message index, block index, block)`.
    blocks: Vec<(usize, usize, &'a ContentBlock)>,
}

fn turns(messages: &[MessageParam]) -> Vec<Turn<'_>> {
    let mut turns: Vec<Turn> = Vec::new();
    for (i, message) in messages.iter().enumerate() {
        let blocks: Vec<_> = match &message.content {
            MessageContent::Text(_) => Vec::new(),
            MessageContent::Blocks(blocks) => {
                blocks.iter().enumerate().map(|(j, b)| (i, j, b)).collect()
            }
        };
        match turns.last_mut() {
            Some(turn) if turn.role == &message.role => turn.blocks.extend(blocks),
            _ => turns.push(Turn {
                role: &message.role,
                first: i,
                blocks,
            }),
        }
    }
    turns
}

/// `tool_use`/`tool_result` pairing and thinking signatures, across the whole conversation.
pub fn conversation(messages: &[MessageParam]) -> Checked {
    let turns = turns(messages);
    for (k, turn) in turns.iter().enumerate() {
        for &(i, j, block) in &turn.blocks {
            if let ContentBlock::Thinking(thinking) = block {
                if thinking.signature != signature(&thinking.thinking) {
                    return fail(
                        &format!("messages.{i}.content.{j}"),
                        "Invalid `signature` in `thinking` block",
                    );
                }
            }
        }
        let results: Vec<(usize, usize, &str)> = turn
            .blocks
            .iter()
            .filter_map(|&(i, j, block)| match block {
                ContentBlock::ToolResult(result) => Some((i, j, result.tool_use_id.as_str())),
                _ => None,
            })
            .collect();
        let previous_uses = k
            .checked_sub(1)
            .map(|p| tool_use_ids(&turns[p]))
            .unwrap_or_default();
        if let Some((i, j, id)) = results
            .iter()
            .find(|(_, _, id)| !previous_uses.contains(id))
        {
            return fail(
                &format!("messages.{i}.content.{j}"),
                format!("unexpected `tool_use_id` found in `tool_result` blocks: {id}. Each `tool_result` block must have a corresponding `tool_use` block in the previous message."),
            );
        }
        let uses = tool_use_ids(turn);
        if let (false, Some(next)) = (uses.is_empty(), turns.get(k + 1)) {
            let answered: Vec<&str> = next
                .blocks
                .iter()
                .filter_map(|(_, _, block)| match block {
                    ContentBlock::ToolResult(result) => Some(result.tool_use_id.as_str()),
                    _ => None,
                })
                .collect();
            let missing: Vec<&str> = uses
                .into_iter()
                .filter(|id| !answered.contains(id))
                .collect();
            if !missing.is_empty() {
                return fail(
                    &format!("messages.{}", next.first),
                    format!("`tool_use` ids were found without `tool_result` blocks immediately after: {}. Each `tool_use` block must have a corresponding `tool_result` block in the next message.", missing.join(", ")),
                );
            }
        }
    }
    Ok(())
}

fn tool_use_ids<'a>(turn: &Turn<'a>) -> Vec<&'a str> {
    turn.blocks
        .iter()
        .filter_map(|(_, _, block)| match block {
            ContentBlock::ToolUse(tool_use) => Some(tool_use.id.as_str()),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::find;
    use serde_json::json;

    fn params(value: serde_json::Value) -> MessageCreateParams {
        serde_json::from_value(value).unwrap()
    }

    fn check(model: &str, value: serde_json::Value) -> Result<(), String> {
        create(&params(value), find(model).unwrap()).map_err(|e| e.message)
    }

    #[test]
    fn prefill_depends_on_the_model() {
        let body = json!({"model": "x", "max_tokens": 5, "messages": [
            {"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello"}]});
        assert_eq!(
            check("claude-opus-4-7", body.clone()).unwrap_err(),
            PREFILL_UNSUPPORTED
        );
        assert_eq!(
            check("claude-sonnet-4-6", body.clone()).unwrap_err(),
            PREFILL_UNSUPPORTED
        );
        assert!(check("claude-sonnet-4-5", body).is_ok());
        let trailing = json!({"model": "x", "max_tokens": 5, "messages": [
            {"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello "}]});
        assert_eq!(
            check("claude-haiku-4-5", trailing).unwrap_err(),
            "messages: final assistant content cannot end with trailing whitespace"
        );
    }

    #[test]
    fn max_tokens_and_thinking_budget() {
        let too_many = json!({"model": "x", "max_tokens": 5000, "messages": [{"role": "user", "content": "Hi"}]});
        assert_eq!(
            check("claude-3-haiku-20240307", too_many).unwrap_err(),
            "max_tokens: 5000 > 4096, which is the maximum allowed number of output tokens for claude-3-haiku-20240307"
        );
        let budget = json!({"model": "x", "max_tokens": 1024, "thinking": {"type": "enabled", "budget_tokens": 1024},
            "messages": [{"role": "user", "content": "Hi"}]});
        assert!(check("claude-sonnet-4-5", budget)
            .unwrap_err()
            .starts_with("`max_tokens` must be greater"));
    }

    #[test]
    fn tool_results_pair_with_tool_uses() {
        let use_block = json!({"type": "tool_use", "id": "toolu_1", "name": "f", "input": {}});
        let result = json!({"type": "tool_result", "tool_use_id": "toolu_1", "content": "ok"});
        let paired = json!({"model": "x", "max_tokens": 5, "messages": [
            {"role": "user", "content": "Hi"},
            {"role": "assistant", "content": [use_block]},
            {"role": "user", "content": [result]}]});
        assert!(check("claude-sonnet-4-5", paired).is_ok());
        let unanswered = json!({"model": "x", "max_tokens": 5, "messages": [
            {"role": "user", "content": "Hi"},
            {"role": "assistant", "content": [use_block]},
            {"role": "user", "content": "and?"}]});
        assert!(check("claude-sonnet-4-5", unanswered)
            .unwrap_err()
            .starts_with("messages.2: `tool_use` ids were found without `tool_result` blocks immediately after: toolu_1."));
        let orphan = json!({"model": "x", "max_tokens": 5, "messages": [{"role": "user", "content": [result]}]});
        assert!(check("claude-sonnet-4-5", orphan)
            .unwrap_err()
            .starts_with("messages.0.content.0: unexpected `tool_use_id` found in `tool_result` blocks: toolu_1."));
    }

    #[test]
    fn thinking_signatures_must_be_ours() {
        let thinking = |sig: &str| {
            json!({"model": "x", "max_tokens": 5, "messages": [
            {"role": "user", "content": "Hi"},
            {"role": "assistant", "content": [{"type": "thinking", "thinking": "hmm", "signature": sig}, {"type": "text", "text": "Hi"}]},
            {"role": "user", "content": "again"}]})
        };
        assert!(check("claude-sonnet-4-5", thinking(&signature("hmm"))).is_ok());
        assert_eq!(
            check("claude-sonnet-4-5", thinking("forged")).unwrap_err(),
            "messages.1.content.0: Invalid `signature` in `thinking` block"
        );
    }
}
