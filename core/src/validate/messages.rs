//! The conversation: roles, turns, empty content and the prefill rules (a final assistant
//! turn).

use crate::prelude::*;

use super::blocks::{check_block, check_text_not_empty, Place};
use super::{kind, quote, required_array, starts_with_ignore_case, Check, Options, Path, Rule};
use crate::text;
use crate::tree::Value;

/// The most messages one request may carry.
pub const MAX_MESSAGES: usize = 100_000;

/// Model families that answer a prefill with a 400 (see [`model_rejects_prefill`]).
const NO_PREFILL_FAMILIES: [&str; 4] = ["opus-4-7", "opus-4-6", "sonnet-4-6", "mythos-preview"];

/// True when the model answers a prefilled final assistant turn with a 400 error: Claude
/// Opus 4.7, Opus 4.6, Sonnet 4.6 and Mythos Preview. Anthropic's documentation: prefilling
/// returns a 400 error on Claude 4.6 models and later.
///
/// Matches the ids as the Anthropic API and the cloud platforms spell them: `claude-opus-4-6`,
/// dated `claude-opus-4-6-20260205`, Bedrock `us.anthropic.claude-opus-4-6-v1`, Vertex
/// `claude-opus-4-6@20260205`, `anthropic/claude-opus-4.6`. The family must end where the id
/// ends or at a separator, so `claude-opus-4-60` is not `claude-opus-4-6`. Models not listed
/// (including future ones) are assumed to accept prefill: a wrong guess there costs one 400
/// from the API, a wrong guess the other way would block a valid request.
pub fn model_rejects_prefill(model: &str) -> bool {
    const PREFIX: &[u8] = b"claude-";
    let bytes = model.as_bytes();
    (0..bytes.len()).any(|at| {
        let boundary = at == 0
            || bytes
                .get(at - 1)
                .is_some_and(|b| !b.is_ascii_alphanumeric());
        let Some(rest) = bytes.get(at..) else {
            return false;
        };
        boundary
            && starts_with_ignore_case(rest, PREFIX)
            && rest.get(PREFIX.len()..).is_some_and(|rest| {
                NO_PREFILL_FAMILIES
                    .iter()
                    .any(|family| is_family(rest, family))
            })
    })
}

/// `rest` starts with `family` (case-insensitive; `4.6` may stand for `4-6`) followed by the
/// end of the id or a separator.
fn is_family(rest: &[u8], family: &str) -> bool {
    let family = family.as_bytes();
    let mut previous = 0u8;
    for (k, &want) in family.iter().enumerate() {
        let Some(&got) = rest.get(k) else {
            return false;
        };
        let dotted = want == b'-' && got == b'.' && previous.is_ascii_digit();
        if !(got.eq_ignore_ascii_case(&want) || dotted) {
            return false;
        }
        previous = want;
    }
    rest.get(family.len())
        .is_none_or(|b| !b.is_ascii_alphanumeric())
}

/// `messages`: present, a non-empty array of `{role, content}` turns.
pub(super) fn check_messages(
    path: &Path,
    messages: Option<&Value>,
    model: &str,
    options: &Options,
) -> Check {
    let messages = required_array(path, messages, "messages", "{ role, content } objects")?;
    if messages.is_empty() {
        return path.fail(Rule::Required, "messages must contain at least one turn");
    }
    if messages.len() > MAX_MESSAGES {
        return path.fail(
            Rule::OutOfRange,
            text!(
                messages.len(),
                " messages is more than the API accepts (",
                MAX_MESSAGES,
                ")"
            ),
        );
    }
    let last = messages.len() - 1;
    let prefill_rejected =
        options.reject_prefill_for_models_without_support && model_rejects_prefill(model);
    for (i, message) in messages.iter().enumerate() {
        let message_path = path.index(i);
        let place = check_turn(&message_path, message, i == last)?;
        if place.is_prefill() && prefill_rejected {
            return message_path.fail(
                Rule::PrefillUnsupported,
                text!(quote(model), " does not support prefill (a final assistant turn): the API answers it with a 400 error. \
                     To shape the reply, use structured outputs (`output_config.format`) or instructions in the \
                     system prompt; this check can be turned off in the validation options"),
            );
        }
        check_content(
            &message_path.field("content"),
            message.get("content"),
            place,
        )?;
    }
    Ok(())
}

/// A turn's shape and role: where its blocks sit.
fn check_turn(path: &Path, message: &Value, last: bool) -> Result<Place, super::Fail> {
    if !matches!(message, Value::Object(_)) {
        return Err(path.error(
            Rule::Shape,
            text!(
                "a message must be an object with `role` and `content`; got ",
                kind(message)
            ),
        ));
    }
    let role_path = path.field("role");
    let role = match message.get("role") {
        None | Some(Value::Null) => {
            return Err(role_path.error(Rule::Required, "role is required (`user` or `assistant`)"))
        }
        Some(role @ Value::String(_)) => role.text().unwrap_or_default(),
        Some(other) => {
            return Err(role_path.error(
                Rule::Shape,
                text!("role must be a string; got ", kind(other)),
            ))
        }
    };
    match message.get("content") {
        None | Some(Value::Null) => {
            return Err(path
                .field("content")
                .error(Rule::Required, "content is required"))
        }
        Some(Value::String(_) | Value::Array(_)) => {}
        Some(other) => {
            return Err(path.field("content").error(
                Rule::Shape,
                text!(
                    "content must be a string or an array of content blocks; got ",
                    kind(other)
                ),
            ))
        }
    }
    match role.as_ref() {
        "user" => Ok(Place::User),
        "assistant" => Ok(Place::Assistant { last }),
        "system" => Ok(Place::System),
        other => Err(role_path.error(
            Rule::OutOfRange,
            text!("role must be `user` or `assistant` (or `system` for a mid-conversation system turn); got ", quote(other)),
        )),
    }
}

fn check_content(path: &Path, content: Option<&Value>, place: Place) -> Check {
    match content {
        Some(text @ Value::String(_)) => {
            let text = text.text().unwrap_or_default();
            if !place.is_prefill() {
                check_text_not_empty(path, &text, "content")?;
            }
            check_no_trailing_whitespace(path, &text, place)
        }
        Some(Value::Array(blocks)) => {
            if blocks.is_empty() && !place.is_prefill() {
                return path.fail(
                    Rule::Required,
                    "content must not be an empty array (only a final assistant turn may be empty)",
                );
            }
            for (j, block) in blocks.iter().enumerate() {
                check_block(&path.index(j), block, place)?;
            }
            match blocks.last() {
                Some(block) if block.get("type") == Some(&Value::String("text")) => {
                    let text = block.get("text").and_then(Value::text).unwrap_or_default();
                    let last = path.index(blocks.len() - 1);
                    check_no_trailing_whitespace(&last.field("text"), &text, place)
                }
                _ => Ok(()),
            }
        }
        _ => Ok(()),
    }
}

fn check_no_trailing_whitespace(path: &Path, text: &str, place: Place) -> Check {
    if place.is_prefill() && text.chars().next_back().is_some_and(char::is_whitespace) {
        return path.fail(
            Rule::TrailingWhitespace,
            "a final assistant turn (prefill) cannot end with whitespace: the API rejects it; trim the end of the text",
        );
    }
    Ok(())
}
