//! Request checks before anything is sent, for the Rust API: a request is serialized once
//! and that JSON text is checked by the core's rules (`anthropic_wasm_core::validate`: the
//! exact field path, the rule, a message that says what to change), then sent as is.
//! Also [`normalize`], which merges same-role turns as the API would.

use anthropic_wasm_core::validate::{validate_message_request, Rule};

use crate::error::ValidationError;
use crate::types::{ContentBlock, MessageContent, MessageCreateParams, MessageParam};

pub use anthropic_wasm_core::validate::{
    model_rejects_prefill, Options as ValidateOptions, IMAGE_MEDIA_TYPES, MAX_IMAGE_BYTES,
    MAX_MESSAGES, MAX_TOOL_NAME_LEN, MIN_THINKING_BUDGET,
};

/// Checks a request before it is sent, returning the first problem in document order (the
/// order the request serializes in: `model`, `max_tokens`, `messages`, `system`, …).
///
/// Only mistakes the API would reject are reported; unknown block, source and tool types
/// pass, so a newer request shape is never blocked.
pub fn validate(
    params: &MessageCreateParams,
    options: &ValidateOptions,
) -> Result<(), ValidationError> {
    to_checked_json(params, options).map(drop)
}

/// The request's JSON text, checked: what [`validate`] checks, serialized once, so the bytes
/// checked are the bytes sent.
pub fn to_checked_json(
    params: &MessageCreateParams,
    options: &ValidateOptions,
) -> Result<String, ValidationError> {
    let json = to_json(params)?;
    validate_message_request(json.as_bytes(), options)?;
    // JSON has no NaN or infinity (they serialize as `null`): checked on the floats themselves.
    for (name, value) in [("temperature", params.temperature), ("top_p", params.top_p)] {
        if let Some(value) = value.filter(|value| !value.is_finite()) {
            return Err(ValidationError::new(
                name,
                Rule::OutOfRange,
                format!("must be a number from 0 to 1; got {value}"),
            ));
        }
    }
    Ok(json)
}

/// A request's JSON text; a value serde cannot write is a `Shape` problem of the request.
pub fn to_json(value: &impl serde::Serialize) -> Result<String, ValidationError> {
    serde_json::to_string(value).map_err(|e| {
        ValidationError::new(
            "",
            Rule::Shape,
            format!("the request cannot be written as JSON: {e}"),
        )
    })
}

/// Merges consecutive turns of the same role into one and drops empty text blocks; a turn
/// left with no content is removed. This mirrors what the API does server-side with
/// consecutive same-role turns, so the request means the same and passes [`validate`]'s
/// empty-content rules. It does nothing else (no trimming, no reordering).
///
/// When merging, string content becomes a text block (two strings become two blocks, never
/// one joined string), and unknown fields of the later turn are kept unless the first turn
/// already has them.
pub fn normalize(messages: &mut Vec<MessageParam>) {
    let mut merged: Vec<MessageParam> = Vec::with_capacity(messages.len());
    for mut message in messages.drain(..) {
        if let MessageContent::Blocks(blocks) = &mut message.content {
            blocks
                .retain(|block| !matches!(block, ContentBlock::Text(text) if text.text.is_empty()));
        }
        let empty = match &message.content {
            MessageContent::Text(text) => text.is_empty(),
            MessageContent::Blocks(blocks) => blocks.is_empty(),
        };
        if empty {
            continue;
        }
        match merged.last_mut() {
            Some(previous) if previous.role == message.role => merge_turn(previous, message),
            _ => merged.push(message),
        }
    }
    *messages = merged;
}

fn merge_turn(into: &mut MessageParam, from: MessageParam) {
    if let MessageContent::Text(text) = &mut into.content {
        let text = std::mem::take(text);
        into.content = MessageContent::Blocks(vec![ContentBlock::text(text)]);
    }
    if let MessageContent::Blocks(blocks) = &mut into.content {
        match from.content {
            MessageContent::Text(text) => blocks.push(ContentBlock::text(text)),
            MessageContent::Blocks(more) => blocks.extend(more),
        }
    }
    for (key, value) in from.extra {
        into.extra.entry(key).or_insert(value);
    }
}
