//! Server-Sent Events of a streamed reply.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{
    open_tagged_enum, Citation, ContentBlock, ErrorObject, JsonMap, Message, StopDetails,
    StopReason,
};

/// One event of a streamed reply, routed by the SSE `event:` name.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum StreamEvent {
    /// The reply begins: a `Message` with empty content.
    MessageStart(Box<MessageStartEvent>),
    /// A content block begins at `index`.
    ContentBlockStart(ContentBlockStartEvent),
    /// More of the block at `index`.
    ContentBlockDelta(ContentBlockDeltaEvent),
    /// The block at `index` is complete.
    ContentBlockStop(ContentBlockStopEvent),
    /// Top-level changes: stop reason and cumulative usage.
    MessageDelta(MessageDeltaEvent),
    /// The reply is complete.
    MessageStop,
    /// Keep-alive.
    Ping,
    /// The API failed mid-stream (e.g. `overloaded_error`); the stream ends.
    Error(ErrorEvent),
    /// An event name this version does not know; the data is kept (as a JSON string when it
    /// is not JSON).
    Unknown {
        /// The SSE event name.
        event: String,
        /// The event data.
        data: Value,
    },
}

impl StreamEvent {
    /// Reads one SSE event. The event name decides the shape, as in the official SDK; the data
    /// of a known event must be the JSON it documents, while an unknown event is kept as is.
    pub fn from_sse(event: &str, data: &str) -> Result<Self, serde_json::Error> {
        Ok(match event {
            "message_start" => Self::MessageStart(serde_json::from_str(data)?),
            "content_block_start" => Self::ContentBlockStart(serde_json::from_str(data)?),
            "content_block_delta" => Self::ContentBlockDelta(match fast_delta(data) {
                Some(delta) => delta,
                None => serde_json::from_str(data)?,
            }),
            "content_block_stop" => Self::ContentBlockStop(serde_json::from_str(data)?),
            "message_delta" => Self::MessageDelta(serde_json::from_str(data)?),
            "message_stop" => Self::MessageStop,
            "ping" => Self::Ping,
            "error" => Self::Error(serde_json::from_str(data)?),
            other => Self::Unknown {
                event: other.to_owned(),
                data: serde_json::from_str(data).unwrap_or_else(|_| Value::String(data.to_owned())),
            },
        })
    }

    /// The event name (`message_start`, …).
    pub fn name(&self) -> &str {
        match self {
            Self::MessageStart(_) => "message_start",
            Self::ContentBlockStart(_) => "content_block_start",
            Self::ContentBlockDelta(_) => "content_block_delta",
            Self::ContentBlockStop(_) => "content_block_stop",
            Self::MessageDelta(_) => "message_delta",
            Self::MessageStop => "message_stop",
            Self::Ping => "ping",
            Self::Error(_) => "error",
            Self::Unknown { event, .. } => event,
        }
    }
}

/// The four deltas that make up nearly every stream, read straight from the text (borrowing
/// where there are no escapes) instead of through a `serde_json::Value` map: the hot path. Any
/// other shape, or anything unusual, returns `None` for the general path to read.
fn fast_delta(data: &str) -> Option<ContentBlockDeltaEvent> {
    #[derive(Deserialize)]
    struct Event<'a> {
        index: usize,
        #[serde(borrow)]
        delta: Delta<'a>,
    }
    #[derive(Deserialize)]
    struct Delta<'a> {
        #[serde(rename = "type", borrow)]
        kind: std::borrow::Cow<'a, str>,
        #[serde(borrow, default)]
        text: Option<std::borrow::Cow<'a, str>>,
        #[serde(borrow, default)]
        partial_json: Option<std::borrow::Cow<'a, str>>,
        #[serde(borrow, default)]
        thinking: Option<std::borrow::Cow<'a, str>>,
        #[serde(borrow, default)]
        signature: Option<std::borrow::Cow<'a, str>>,
    }
    let event: Event<'_> = serde_json::from_str(data).ok()?;
    let Delta {
        kind,
        text,
        partial_json,
        thinking,
        signature,
    } = event.delta;
    let delta = match (kind.as_ref(), text, partial_json, thinking, signature) {
        ("text_delta", Some(text), None, None, None) => ContentBlockDelta::TextDelta(TextDelta {
            text: text.into_owned(),
        }),
        ("input_json_delta", None, Some(json), None, None) => {
            ContentBlockDelta::InputJsonDelta(InputJsonDelta {
                partial_json: json.into_owned(),
            })
        }
        ("thinking_delta", None, None, Some(thinking), None) => {
            ContentBlockDelta::ThinkingDelta(ThinkingDelta {
                thinking: thinking.into_owned(),
            })
        }
        ("signature_delta", None, None, None, Some(signature)) => {
            ContentBlockDelta::SignatureDelta(SignatureDelta {
                signature: signature.into_owned(),
            })
        }
        _ => return None,
    };
    Some(ContentBlockDeltaEvent {
        index: event.index,
        delta,
    })
}

/// Serialized as the event's JSON data, with its `type` (the form `toReadableStream()` relays).
impl Serialize for StreamEvent {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use super::Tagged;
        let kind = self.name();
        match self {
            Self::MessageStart(e) => Tagged { kind, payload: e }.serialize(serializer),
            Self::ContentBlockStart(e) => Tagged { kind, payload: e }.serialize(serializer),
            Self::ContentBlockDelta(e) => Tagged { kind, payload: e }.serialize(serializer),
            Self::ContentBlockStop(e) => Tagged { kind, payload: e }.serialize(serializer),
            Self::MessageDelta(e) => Tagged { kind, payload: e }.serialize(serializer),
            Self::Error(e) => Tagged { kind, payload: e }.serialize(serializer),
            Self::MessageStop | Self::Ping => Tagged {
                kind,
                payload: &JsonMap::new(),
            }
            .serialize(serializer),
            Self::Unknown { data, .. } => data.serialize(serializer),
        }
    }
}

/// Read back from the JSON form (routed by `type`), e.g. from an NDJSON relay.
impl<'de> Deserialize<'de> for StreamEvent {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error as _;
        let value = Value::deserialize(deserializer)?;
        let Some(kind) = value.get("type").and_then(Value::as_str).map(str::to_owned) else {
            return Err(D::Error::custom("stream event without a string `type`"));
        };
        let event = match kind.as_str() {
            "message_start" => {
                Self::MessageStart(serde_json::from_value(value).map_err(D::Error::custom)?)
            }
            "content_block_start" => {
                Self::ContentBlockStart(serde_json::from_value(value).map_err(D::Error::custom)?)
            }
            "content_block_delta" => {
                Self::ContentBlockDelta(serde_json::from_value(value).map_err(D::Error::custom)?)
            }
            "content_block_stop" => {
                Self::ContentBlockStop(serde_json::from_value(value).map_err(D::Error::custom)?)
            }
            "message_delta" => {
                Self::MessageDelta(serde_json::from_value(value).map_err(D::Error::custom)?)
            }
            "message_stop" => Self::MessageStop,
            "ping" => Self::Ping,
            "error" => Self::Error(serde_json::from_value(value).map_err(D::Error::custom)?),
            _ => Self::Unknown {
                event: kind,
                data: value,
            },
        };
        Ok(event)
    }
}

/// `message_start`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MessageStartEvent {
    /// The reply so far: empty content, `stop_reason` null, input-side usage.
    pub message: Message,
}

/// `content_block_start`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ContentBlockStartEvent {
    /// Position of the block in the final `content`.
    pub index: usize,
    /// The block as it starts (server tool results arrive whole here).
    pub content_block: ContentBlock,
}

/// `content_block_delta`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ContentBlockDeltaEvent {
    /// Position of the block in the final `content`.
    pub index: usize,
    /// What to add to it.
    pub delta: ContentBlockDelta,
}

/// `content_block_stop`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ContentBlockStopEvent {
    /// Position of the block in the final `content`.
    pub index: usize,
}

open_tagged_enum! {
    /// A change to one content block.
    ContentBlockDelta {
        /// Text appended to a `text` block.
        TextDelta(TextDelta) = "text_delta",
        /// A fragment of a tool call's input JSON, split anywhere.
        InputJsonDelta(InputJsonDelta) = "input_json_delta",
        /// Thinking appended to a `thinking` block.
        ThinkingDelta(ThinkingDelta) = "thinking_delta",
        /// The thinking block's signature (replaces, not appends).
        SignatureDelta(SignatureDelta) = "signature_delta",
        /// A citation added to a `text` block.
        CitationsDelta(CitationsDelta) = "citations_delta",
        /// Compaction text appended, encrypted content replaced (beta).
        CompactionDelta(CompactionDelta) = "compaction_delta",
    }
}

/// `text_delta`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TextDelta {
    /// The text to append.
    pub text: String,
}

/// `input_json_delta`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct InputJsonDelta {
    /// The JSON fragment to append.
    pub partial_json: String,
}

/// `thinking_delta`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ThinkingDelta {
    /// The thinking to append.
    pub thinking: String,
}

/// `signature_delta`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SignatureDelta {
    /// The block's signature.
    pub signature: String,
}

/// `citations_delta`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CitationsDelta {
    /// The citation to add.
    pub citation: Citation,
}

/// `compaction_delta` (beta).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CompactionDelta {
    /// Summary text to append.
    #[serde(default)]
    pub content: Option<String>,
    /// Encrypted content that replaces the block's.
    #[serde(default)]
    pub encrypted_content: Option<String>,
}

/// `message_delta`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MessageDeltaEvent {
    /// Top-level fields that changed.
    #[serde(default)]
    pub delta: MessageDelta,
    /// Cumulative usage; only the fields present replace the snapshot's.
    #[serde(default)]
    pub usage: Option<MessageDeltaUsage>,
}

/// The `delta` of `message_delta`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MessageDelta {
    /// Why the model stopped.
    #[serde(default)]
    pub stop_reason: Option<StopReason>,
    /// The stop sequence hit.
    #[serde(default)]
    pub stop_sequence: Option<String>,
    /// Refusal details (2026).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stop_details: Option<StopDetails>,
    /// The container, when one was used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container: Option<Value>,
    /// Fields this version does not know (beta `context_management`…).
    #[serde(flatten)]
    pub extra: JsonMap,
}

/// The `usage` of `message_delta`: cumulative totals, each present only when it applies.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MessageDeltaUsage {
    /// Output tokens so far.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_tokens: Option<u64>,
    /// Input tokens, when re-sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_tokens: Option<u64>,
    /// Cache writes, when re-sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache_creation_input_tokens: Option<u64>,
    /// Cache reads, when re-sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache_read_input_tokens: Option<u64>,
    /// Server tool requests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_tool_use: Option<Value>,
    /// Output token breakdown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_tokens_details: Option<Value>,
    /// Other usage fields (beta `iterations`…), copied into the snapshot when non-null.
    #[serde(flatten)]
    pub extra: JsonMap,
}

/// `error`: the stream failed after it started.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ErrorEvent {
    /// The error.
    pub error: ErrorObject,
    /// Fields this version does not know.
    #[serde(flatten)]
    pub extra: JsonMap,
}
