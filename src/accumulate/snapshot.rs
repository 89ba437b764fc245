//! The message as it streams, accumulated on the wire JSON with the JS shell's (and the
//! official SDK's) rules: `message_start`'s `message` object is the snapshot, blocks are
//! appended as received, hot deltas are appended in place, `message_delta` follows the codec's
//! [`MESSAGE_DELTA`] table. Nothing re-types the snapshot, so `null`s and unknown fields stay
//! at any depth; a `Message` is typed only where the API hands one out.

use anthropic_wasm_core::json;
use anthropic_wasm_core::stream::{Op, MESSAGE_DELTA};
use serde_json::{Map, Value};

use super::HelperEvent;
use crate::error::Error;
use crate::partial_json::parse_partial;
use crate::types::{Citation, ContentBlock, Message};
use anthropic_wasm_core::partial_json::{finish_tool_input, ToolInputEnd};

/// Which helper event the last applied item produced; [`Snapshot::helper`] builds it from
/// the state, once the mutation is over.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Applied {
    Nothing,
    Text,
    InputJson,
    Thinking,
    Signature,
    Citation,
    ContentBlock,
    InvalidToolInput,
    Message,
}

/// The accumulator; see the module docs.
#[derive(Clone, Debug, Default)]
pub(super) struct Snapshot {
    /// The wire JSON of the message, from `message_start` on.
    message: Option<Value>,
    /// The JSON text of tool inputs still streaming, by block index.
    inputs: Vec<(usize, String)>,
    /// Each text block's citations, typed as they arrive, for the `Citation` helper event.
    citations: Vec<(usize, Vec<Citation>)>,
    /// The text the last hot delta added, unescaped.
    delta: String,
    /// The last finished block, typed for the `ContentBlock` helper event.
    block: Option<ContentBlock>,
    /// The raw text and the parser's complaint of the last tool input that was not JSON.
    invalid_input: Option<(String, String)>,
    /// The finished message, typed once at `message_stop`.
    finished: Option<Message>,
}

impl Snapshot {
    /// Applies one codec item (not a terminal one). `payload` is the whole event, or for a hot
    /// delta sent alone the string literal it adds; `literal` is a hot delta's literal.
    pub(super) fn apply(
        &mut self,
        op: Op,
        index: usize,
        payload: &str,
        literal: Option<&str>,
    ) -> Result<Applied, Error> {
        let hot = literal.unwrap_or(payload);
        match op {
            Op::Text | Op::Thinking => {
                let field = if op == Op::Text { "text" } else { "thinking" };
                hot_delta(hot, field, &mut self.delta)?;
                if let Some(block) = block_mut(&mut self.message, index) {
                    append(block, field, &self.delta);
                }
                Ok(if op == Op::Text {
                    Applied::Text
                } else {
                    Applied::Thinking
                })
            }
            Op::InputJson => {
                hot_delta(hot, "partial_json", &mut self.delta)?;
                // A fragment after the block's stop starts its text again, as in the JS shell.
                match self.inputs.iter_mut().find(|(open, _)| *open == index) {
                    Some((_, buffer)) => buffer.push_str(&self.delta),
                    None => self.inputs.push((index, self.delta.clone())),
                }
                Ok(Applied::InputJson)
            }
            Op::MessageStart => {
                let mut message = take(parse(payload)?, "message");
                if let Value::Object(object) = &mut message {
                    if !object.get("content").is_some_and(Value::is_array) {
                        object.insert("content".into(), Value::Array(Vec::new()));
                    }
                }
                self.message = Some(message);
                Ok(Applied::Nothing)
            }
            Op::BlockStart => {
                let block = take(parse(payload)?, "content_block");
                if matches!(
                    block.get("type").and_then(Value::as_str),
                    Some("tool_use" | "server_tool_use")
                ) {
                    self.inputs.push((index, String::new()));
                }
                if let Some(content) = content_mut(&mut self.message) {
                    content.push(block);
                }
                Ok(Applied::Nothing)
            }
            Op::Signature => {
                let signature = take(take(parse(payload)?, "delta"), "signature");
                let Some(block) = block_mut(&mut self.message, index) else {
                    return Ok(Applied::Nothing);
                };
                block.insert("signature".into(), signature);
                Ok(Applied::Signature)
            }
            Op::Citation => self.citation(index, take(take(parse(payload)?, "delta"), "citation")),
            Op::Compaction => {
                let delta = take(parse(payload)?, "delta");
                if let Some(block) = block_mut(&mut self.message, index) {
                    if let Some(content) = delta.get("content").and_then(Value::as_str) {
                        append(block, "content", content);
                    }
                    if let Some(encrypted) = delta.get("encrypted_content").filter(|v| !v.is_null())
                    {
                        block.insert("encrypted_content".into(), encrypted.clone());
                    }
                }
                Ok(Applied::Nothing)
            }
            Op::BlockStop => Ok(self.stop_block(index)),
            Op::MessageDelta => {
                if let Some(Value::Object(message)) = &mut self.message {
                    apply_message_delta(message, &parse(payload)?);
                }
                Ok(Applied::Nothing)
            }
            Op::MessageStop => self.stop_message(),
            Op::Raw | Op::Error | Op::Invalid | Op::Incomplete | Op::TooLarge => {
                Ok(Applied::Nothing)
            }
        }
    }

    /// The helper event of what [`apply`](Self::apply) just did.
    pub(super) fn helper(&self, applied: Applied, index: usize) -> Option<HelperEvent<'_>> {
        let text_of = |field: &str| {
            block(&self.message, index)
                .and_then(|block| block.get(field))
                .and_then(Value::as_str)
        };
        Some(match applied {
            Applied::Nothing => return None,
            Applied::Text => HelperEvent::Text {
                index,
                delta: &self.delta,
                snapshot: text_of("text")?,
            },
            Applied::Thinking => HelperEvent::Thinking {
                index,
                delta: &self.delta,
                snapshot: text_of("thinking")?,
            },
            Applied::Signature => HelperEvent::Signature {
                index,
                signature: text_of("signature")?,
            },
            Applied::InputJson => HelperEvent::InputJson {
                index,
                partial_json: &self.delta,
                buffer: &self.inputs.iter().find(|(open, _)| *open == index)?.1,
            },
            Applied::Citation => {
                let citations = &self.citations.iter().find(|(at, _)| *at == index)?.1;
                HelperEvent::Citation {
                    index,
                    citation: citations.last()?,
                    citations,
                }
            }
            Applied::ContentBlock => HelperEvent::ContentBlock {
                index,
                block: self.block.as_ref()?,
            },
            Applied::InvalidToolInput => {
                let (raw_json, message) = self.invalid_input.clone()?;
                HelperEvent::InvalidToolInput {
                    index,
                    raw_json,
                    message,
                }
            }
            Applied::Message => HelperEvent::Message(self.finished.as_ref()?),
        })
    }

    /// The text the last hot delta added.
    pub(super) fn delta(&self) -> &str {
        &self.delta
    }

    /// The finished message, once `message_stop` has been applied.
    pub(super) fn finished(&self) -> Option<&Message> {
        self.finished.as_ref()
    }

    /// The message so far as received, tool inputs still streaming given as their
    /// best-effort parse; `None` before `message_start`.
    pub(super) fn json(&self) -> Option<Value> {
        let mut message = self.message.clone();
        for (index, buffer) in &self.inputs {
            if let Some((block, preview)) =
                block_mut(&mut message, *index).zip(parse_partial(buffer))
            {
                block.insert("input".into(), preview);
            }
        }
        message
    }

    /// [`json`](Self::json), typed; `None` also while the wire JSON is not a `Message` yet.
    pub(super) fn typed(&self) -> Option<Message> {
        match &self.finished {
            Some(message) => Some(message.clone()),
            None => serde_json::from_value(self.json()?).ok(),
        }
    }

    fn citation(&mut self, index: usize, citation: Value) -> Result<Applied, Error> {
        let Some(block) = block_mut(&mut self.message, index) else {
            return Ok(Applied::Nothing);
        };
        match block.get_mut("citations") {
            Some(Value::Array(citations)) => citations.push(citation.clone()),
            _ => {
                block.insert("citations".into(), Value::Array(vec![citation.clone()]));
            }
        }
        let Ok(typed) = serde_json::from_value::<Citation>(citation) else {
            return Ok(Applied::Nothing);
        };
        match self.citations.iter_mut().find(|(at, _)| *at == index) {
            Some((_, citations)) => citations.push(typed),
            None => self.citations.push((index, vec![typed])),
        }
        Ok(Applied::Citation)
    }

    fn stop_block(&mut self, index: usize) -> Applied {
        let mut applied = Applied::ContentBlock;
        if let Some(position) = self.inputs.iter().position(|(open, _)| *open == index) {
            let (_, buffer) = self.inputs.swap_remove(position);
            if let Some(block) = block_mut(&mut self.message, index) {
                if let Err(problem) = finish_input(block, &buffer) {
                    self.invalid_input = Some((buffer, problem));
                    applied = Applied::InvalidToolInput;
                }
            }
        }
        if applied == Applied::ContentBlock {
            self.block = block(&self.message, index)
                .and_then(|block| serde_json::from_value(Value::Object(block.clone())).ok());
            if self.block.is_none() {
                applied = Applied::Nothing;
            }
        }
        applied
    }

    /// Tool blocks that never got their `content_block_stop` keep their best-effort input;
    /// the message is typed, once.
    fn stop_message(&mut self) -> Result<Applied, Error> {
        for (index, buffer) in std::mem::take(&mut self.inputs) {
            if let Some(block) = block_mut(&mut self.message, index) {
                let _ = finish_input(block, &buffer);
            }
        }
        let message = self.message.clone().unwrap_or_default();
        let typed =
            serde_json::from_value::<Message>(message).map_err(|problem| Error::Decode {
                message: format!("the streamed message is not a Message: {problem}"),
                excerpt: String::new(),
            })?;
        self.finished = Some(typed);
        Ok(Applied::Message)
    }
}

fn parse(payload: &str) -> Result<Value, Error> {
    serde_json::from_str(payload).map_err(|problem| {
        Error::decode(
            format_args!("a stream event: {problem}"),
            payload.as_bytes(),
        )
    })
}

/// The member `key` of an object, moved out (`null` when there is none).
fn take(mut value: Value, key: &str) -> Value {
    value
        .as_object_mut()
        .and_then(|object| object.remove(key))
        .unwrap_or(Value::Null)
}

/// Puts the text a hot delta adds into `out`: the payload is the delta's string literal, or
/// the whole event whose `delta` has it under `field`.
fn hot_delta(payload: &str, field: &str, out: &mut String) -> Result<(), Error> {
    let bytes = payload.as_bytes();
    let span = if bytes.first() == Some(&b'"') {
        Some((0, bytes.len()))
    } else {
        json::field(bytes, 0, "delta").and_then(|delta| json::field(bytes, delta.0, field))
    };
    let text = span
        .and_then(|span| json::string(bytes, span))
        .ok_or_else(|| Error::decode(format_args!("a delta without a string `{field}`"), bytes))?;
    out.clear();
    out.push_str(&String::from_utf8_lossy(&text));
    Ok(())
}

fn content_mut(message: &mut Option<Value>) -> Option<&mut Vec<Value>> {
    message.as_mut()?.get_mut("content")?.as_array_mut()
}

fn block_mut(message: &mut Option<Value>, index: usize) -> Option<&mut Map<String, Value>> {
    content_mut(message)?.get_mut(index)?.as_object_mut()
}

fn block(message: &Option<Value>, index: usize) -> Option<&Map<String, Value>> {
    message.as_ref()?.get("content")?.get(index)?.as_object()
}

/// Appends `text` to the string under `field` (a missing or non-string one counts as empty).
fn append(block: &mut Map<String, Value>, field: &str, text: &str) {
    match block.get_mut(field) {
        Some(Value::String(existing)) => existing.push_str(text),
        _ => {
            block.insert(field.into(), Value::String(text.to_owned()));
        }
    }
}

/// A finished tool input replaces the block's `input`, by the core's decision (the official
/// SDK's partial-JSON parse: a document cut short gives its preview, no text `{}`); where the
/// SDK's parse throws, the block keeps its best-effort parse and this reports why.
fn finish_input(block: &mut Map<String, Value>, buffer: &str) -> Result<(), String> {
    let problem = match finish_tool_input(buffer) {
        ToolInputEnd::Value(json) => match serde_json::from_str(&json) {
            Ok(input) => {
                block.insert("input".into(), input);
                return Ok(());
            }
            Err(problem) => problem.to_string(),
        },
        ToolInputEnd::NotJson => serde_json::from_str::<Value>(buffer)
            .err()
            .map_or_else(|| String::from("the input is not JSON"), |e| e.to_string()),
        ToolInputEnd::NoValue => {
            String::from("the input shows no value (it is empty or unfinished)")
        }
    };
    if let Some(preview) = parse_partial(buffer) {
        block.insert("input".into(), preview);
    }
    Err(problem)
}

/// `message_delta` by the codec's table: a field assigned in every case is removed when the
/// delta leaves it out (the official snapshot then has it `undefined`).
fn apply_message_delta(message: &mut Map<String, Value>, event: &Value) {
    let empty = Map::new();
    let delta = event
        .get("delta")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    assign(
        message,
        delta,
        MESSAGE_DELTA.assign,
        MESSAGE_DELTA.assign_if_set,
    );
    let Some(usage) = event.get("usage").and_then(Value::as_object) else {
        return;
    };
    let counts = message
        .entry("usage")
        .or_insert_with(|| Value::Object(Map::new()));
    if !counts.is_object() {
        *counts = Value::Object(Map::new());
    }
    let Value::Object(counts) = counts else {
        return;
    };
    assign(
        counts,
        usage,
        MESSAGE_DELTA.usage_assign,
        MESSAGE_DELTA.usage_assign_if_set,
    );
}

fn assign(
    target: &mut Map<String, Value>,
    source: &Map<String, Value>,
    always: &[&str],
    if_set: &[&str],
) {
    for key in always {
        match source.get(*key) {
            Some(value) => target.insert((*key).to_owned(), value.clone()),
            None => target.remove(*key),
        };
    }
    for key in if_set {
        if let Some(value) = source.get(*key).filter(|value| !value.is_null()) {
            target.insert((*key).to_owned(), value.clone());
        }
    }
}
