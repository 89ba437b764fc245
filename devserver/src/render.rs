//! A reply as the API sends it: a `Message`, or the stream events of §6 of the API surface
//! (`message_start`, blocks with a `ping` after the first start, deltas, `message_delta`,
//! `message_stop`), built from the client's own serde types.

use anthropic_wasm_core::types::{
    CacheCreation, ContentBlock, ContentBlockDelta, ContentBlockDeltaEvent, ContentBlockStartEvent,
    ContentBlockStopEvent, InputJsonDelta, JsonMap, Message, MessageDelta, MessageDeltaEvent,
    MessageDeltaUsage, MessageStartEvent, RedactedThinkingBlock, SignatureDelta, StreamEvent,
    TextBlock, TextDelta, ThinkingBlock, ThinkingDelta, ToolUseBlock, Usage,
};
use serde_json::Value;

use crate::cache::CacheUsage;
use crate::model::{Block, Reply};
use crate::sse::Event;
use crate::tokens;

/// What every rendering needs besides the reply.
pub struct Envelope<'a> {
    pub id: &'a str,
    /// The model as the request named it (fault suffix removed).
    pub model: &'a str,
    pub usage: CacheUsage,
    /// `standard`, or `batch` for batch results.
    pub service_tier: &'a str,
}

fn usage(envelope: &Envelope, output_tokens: u64) -> Usage {
    let cache = envelope.usage;
    let mut extra = JsonMap::new();
    // Present, as null, in every API response (the OpenAPI spec lists them as required).
    extra.insert("server_tool_use".into(), Value::Null);
    extra.insert("inference_geo".into(), Value::Null);
    Usage {
        input_tokens: cache.input_tokens,
        output_tokens,
        cache_creation_input_tokens: Some(cache.cache_creation_input_tokens),
        cache_read_input_tokens: Some(cache.cache_read_input_tokens),
        cache_creation: Some(CacheCreation {
            ephemeral_5m_input_tokens: cache.cache_creation_input_tokens - cache.one_hour_creation,
            ephemeral_1h_input_tokens: cache.one_hour_creation,
            extra: JsonMap::new(),
        }),
        service_tier: Some(envelope.service_tier.to_owned()),
        extra,
        ..Usage::default()
    }
}

fn message(
    envelope: &Envelope,
    content: Vec<ContentBlock>,
    reply: Option<&Reply>,
    output_tokens: u64,
) -> Message {
    let mut extra = JsonMap::new();
    extra.insert("stop_details".into(), Value::Null);
    extra.insert("container".into(), Value::Null);
    Message {
        id: envelope.id.to_owned(),
        kind: "message".into(),
        role: "assistant".into(),
        model: envelope.model.to_owned(),
        content,
        stop_reason: reply.map(|r| r.stop_reason.clone()),
        stop_sequence: reply.and_then(|r| r.stop_sequence.clone()),
        stop_details: None,
        container: None,
        diagnostics: None,
        usage: usage(envelope, output_tokens),
        extra,
    }
}

/// The non-streaming reply. A tool call cut off by `max_tokens` keeps an empty input.
pub fn full_message(reply: &Reply, envelope: &Envelope) -> Message {
    let content = reply
        .blocks
        .iter()
        .map(|block| match block {
            Block::Thinking { signature, .. } => ContentBlock::Thinking(ThinkingBlock {
                thinking: block.text(),
                signature: signature.clone(),
                extra: JsonMap::new(),
            }),
            Block::RedactedThinking { data } => redacted(data),
            Block::Text { .. } => {
                let mut extra = JsonMap::new();
                // A reply's text blocks always carry `citations` (null when none).
                extra.insert("citations".into(), Value::Null);
                ContentBlock::Text(TextBlock {
                    text: block.text(),
                    extra,
                    ..TextBlock::default()
                })
            }
            Block::ToolUse {
                id, name, input, ..
            } => tool_use(id, name, input.clone()),
        })
        .collect();
    message(envelope, content, Some(reply), reply.output_tokens as u64)
}

fn redacted(data: &str) -> ContentBlock {
    ContentBlock::RedactedThinking(RedactedThinkingBlock {
        data: data.to_owned(),
        extra: JsonMap::new(),
    })
}

fn tool_use(id: &str, name: &str, input: Option<Value>) -> ContentBlock {
    ContentBlock::ToolUse(ToolUseBlock {
        id: id.to_owned(),
        name: name.to_owned(),
        input: input.unwrap_or_else(|| Value::Object(JsonMap::new())),
        cache_control: None,
        extra: JsonMap::new(),
    })
}

/// The stream of events for the reply.
pub fn stream_events(reply: &Reply, envelope: &Envelope) -> Vec<Event> {
    let mut events = Vec::new();
    let start_tokens = reply.output_tokens.min(1) as u64;
    events.push(Event::typed(
        StreamEvent::MessageStart(Box::new(MessageStartEvent {
            message: message(envelope, Vec::new(), None, start_tokens),
        })),
        0,
    ));
    for (index, block) in reply.blocks.iter().enumerate() {
        let (start, deltas, finished): (ContentBlock, Vec<(ContentBlockDelta, usize)>, bool) =
            match block {
                Block::Thinking { deltas, signature } => (
                    ContentBlock::Thinking(ThinkingBlock::default()),
                    deltas
                        .iter()
                        .map(|d| {
                            (
                                ContentBlockDelta::ThinkingDelta(ThinkingDelta {
                                    thinking: d.clone(),
                                }),
                                tokens::count(d),
                            )
                        })
                        .chain([(
                            ContentBlockDelta::SignatureDelta(SignatureDelta {
                                signature: signature.clone(),
                            }),
                            0,
                        )])
                        .collect(),
                    true,
                ),
                Block::RedactedThinking { data } => (redacted(data), Vec::new(), true),
                Block::Text { deltas } => (
                    ContentBlock::Text(TextBlock::default()),
                    deltas
                        .iter()
                        .map(|d| {
                            (
                                ContentBlockDelta::TextDelta(TextDelta { text: d.clone() }),
                                tokens::count(d),
                            )
                        })
                        .collect(),
                    true,
                ),
                Block::ToolUse {
                    id,
                    name,
                    deltas,
                    input,
                } => (
                    tool_use(id, name, None),
                    deltas
                        .iter()
                        .map(|d| {
                            let weight = if d.is_empty() {
                                0
                            } else {
                                tokens::count(d).max(1)
                            };
                            (
                                ContentBlockDelta::InputJsonDelta(InputJsonDelta {
                                    partial_json: d.clone(),
                                }),
                                weight,
                            )
                        })
                        .collect(),
                    // A tool call cut off by max_tokens is left open, as the API leaves it.
                    input.is_some(),
                ),
            };
        events.push(Event::typed(
            StreamEvent::ContentBlockStart(ContentBlockStartEvent {
                index,
                content_block: start,
            }),
            0,
        ));
        if index == 0 {
            events.push(Event::ping());
        }
        for (delta, weight) in deltas {
            events.push(Event::typed(
                StreamEvent::ContentBlockDelta(ContentBlockDeltaEvent { index, delta }),
                weight,
            ));
        }
        if finished {
            events.push(Event::typed(
                StreamEvent::ContentBlockStop(ContentBlockStopEvent { index }),
                0,
            ));
        }
    }
    if reply.blocks.is_empty() {
        events.push(Event::ping());
    }
    events.push(Event::typed(
        StreamEvent::MessageDelta(MessageDeltaEvent {
            delta: MessageDelta {
                stop_reason: Some(reply.stop_reason.clone()),
                stop_sequence: reply.stop_sequence.clone(),
                ..MessageDelta::default()
            },
            usage: Some(MessageDeltaUsage {
                output_tokens: Some(reply.output_tokens as u64),
                ..MessageDeltaUsage::default()
            }),
        }),
        0,
    ));
    events.push(Event::typed(StreamEvent::MessageStop, 0));
    events
}
