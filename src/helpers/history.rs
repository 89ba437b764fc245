//! What a history that may be sent looks like, and how to shorten one to a token budget.
//!
//! The API wants a conversation that starts with a user turn, and every `tool_use` answered by
//! a `tool_result` in the very next turn. Dropping the oldest turns keeps both only when the
//! history is cut just before a user turn that carries no `tool_result`: such a turn answers
//! nothing, so no pair is split and no result is left orphaned.

use core::future::Future;

use super::HelperError;
use crate::types::{
    ContentBlock, CountTokensParams, MessageContent, MessageParam, Role, SystemPrompt,
};

/// The declared offline estimate: one token per this many characters of text.
pub const ESTIMATE_CHARS_PER_TOKEN: u64 = 4;
/// The declared offline estimate for an image: what the API bills for the largest image it
/// keeps at full size (about 1.15 megapixels at 750 pixels per token).
pub const ESTIMATE_IMAGE_TOKENS: u64 = 1600;
/// The declared offline estimate of each turn's framing (role and separators).
pub const ESTIMATE_TURN_TOKENS: u64 = 3;

/// The indices where the history may start, in increasing order: user turns without
/// `tool_result` blocks (so no `tool_use` loses its result and no result its call).
pub fn cut_points(messages: &[MessageParam]) -> Vec<usize> {
    messages
        .iter()
        .enumerate()
        .filter(|(_, message)| message.role == Role::User && !has_tool_result(&message.content))
        .map(|(index, _)| index)
        .collect()
}

fn has_tool_result(content: &MessageContent) -> bool {
    match content {
        MessageContent::Text(_) => false,
        MessageContent::Blocks(blocks) => blocks
            .iter()
            .any(|block| matches!(block, ContentBlock::ToolResult(_))),
    }
}

/// An offline estimate of a request's input tokens, for when `count_tokens` is not wanted (no
/// network, no cost, no latency). It is declared, not measured: text and the JSON of
/// every non-text block (tool calls and results, documents) at [`ESTIMATE_CHARS_PER_TOKEN`]
/// characters per token, [`ESTIMATE_IMAGE_TOKENS`] per image, [`ESTIMATE_TURN_TOKENS`] per
/// turn, the system prompt and tool definitions as their text. English prose comes out close to
/// the API's count; code, JSON and non-Latin scripts are undercounted, so leave a margin.
pub fn estimate_tokens(params: &CountTokensParams) -> u64 {
    let system = match &params.system {
        None => 0,
        Some(SystemPrompt::Text(text)) => chars(text),
        Some(SystemPrompt::Blocks(blocks)) => blocks.iter().map(block_chars).sum(),
    };
    let tools = params.tools.as_ref().map_or(0, json_chars);
    let text_tokens = (system + tools).div_ceil(ESTIMATE_CHARS_PER_TOKEN);
    params
        .messages
        .iter()
        .map(|message| ESTIMATE_TURN_TOKENS + content_tokens(&message.content))
        .sum::<u64>()
        + text_tokens
}

fn content_tokens(content: &MessageContent) -> u64 {
    match content {
        MessageContent::Text(text) => chars(text).div_ceil(ESTIMATE_CHARS_PER_TOKEN),
        MessageContent::Blocks(blocks) => {
            let images = blocks
                .iter()
                .filter(|block| matches!(block, ContentBlock::Image(_)))
                .count() as u64;
            let text: u64 = blocks.iter().map(block_chars).sum();
            images * ESTIMATE_IMAGE_TOKENS + text.div_ceil(ESTIMATE_CHARS_PER_TOKEN)
        }
    }
}

/// Characters a block counts for; images are counted apart.
fn block_chars(block: &ContentBlock) -> u64 {
    match block {
        ContentBlock::Text(text) => chars(&text.text),
        ContentBlock::Image(_) => 0,
        ContentBlock::Thinking(thinking) => chars(&thinking.thinking),
        other => json_chars(other),
    }
}

fn chars(text: &str) -> u64 {
    text.chars().count() as u64
}

/// Characters of the JSON text of `value` (the serializer that writes requests, so the wasm
/// gets no second one).
fn json_chars(value: &impl serde::Serialize) -> u64 {
    serde_json::to_string(value).map_or(0, |text| chars(&text))
}

/// Where a history was cut to fit a budget.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fit {
    /// How many of the oldest turns to drop.
    pub dropped: usize,
    /// The input tokens of what is left, as counted.
    pub tokens: u64,
}

/// The fewest oldest turns to drop so that `count(start)` (the tokens of the request whose
/// history starts at `start`) is within `budget`, cutting only at [`cut_points`]. Counting is
/// monotonic in what is dropped, so this asks `count` about 1 + log₂(cut points) times.
///
/// The history always starts at a cut point, even when it fits whole: a history that starts
/// with an assistant turn or a `tool_result` is never sent. [`HelperError::OverBudget`] when
/// even the last cut point is over.
pub async fn fit<F, Fut>(
    messages: &[MessageParam],
    budget: u64,
    mut count: F,
) -> Result<Fit, HelperError>
where
    F: FnMut(usize) -> Fut,
    Fut: Future<Output = Result<u64, HelperError>>,
{
    let points = cut_points(messages);
    let (Some(&first), Some(&last)) = (points.first(), points.last()) else {
        // No user turn to start from: nothing can be dropped safely.
        return Ok(Fit {
            dropped: 0,
            tokens: count(0).await?,
        });
    };
    let tokens = count(first).await?;
    if tokens <= budget {
        return Ok(Fit {
            dropped: first,
            tokens,
        });
    }
    let shortest = count(last).await?;
    if shortest > budget {
        return Err(HelperError::OverBudget {
            budget,
            tokens: shortest,
        });
    }
    // points[over] is over the budget, points[within] within it.
    let (mut over, mut within, mut within_tokens) = (0, points.len() - 1, shortest);
    while within - over > 1 {
        let middle = over + (within - over) / 2;
        let tokens = count(points[middle]).await?;
        if tokens <= budget {
            (within, within_tokens) = (middle, tokens);
        } else {
            over = middle;
        }
    }
    Ok(Fit {
        dropped: points[within],
        tokens: within_tokens,
    })
}
