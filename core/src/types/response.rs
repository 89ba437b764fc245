//! The `Message` the API returns, its usage and stop reasons.
//!
//! Response fields that the API sends as `null` are serialized as `null` again (not left out),
//! so that JavaScript callers see the same shape the official SDK gives them.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{open_string_enum, ContentBlock, JsonMap};

/// A reply from the model.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Message {
    /// `msg_…`.
    pub id: String,
    /// Always `message`.
    #[serde(rename = "type", default = "message_kind")]
    pub kind: String,
    /// Always `assistant`.
    #[serde(default = "assistant_role")]
    pub role: String,
    /// The model that answered.
    pub model: String,
    /// The reply's content blocks.
    pub content: Vec<ContentBlock>,
    /// Why the model stopped; `None` only while streaming.
    #[serde(default)]
    pub stop_reason: Option<StopReason>,
    /// The stop sequence that ended the reply.
    #[serde(default)]
    pub stop_sequence: Option<String>,
    /// Details of a refusal (2026).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stop_details: Option<StopDetails>,
    /// The code-execution container used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container: Option<Value>,
    /// Prompt-cache diagnostics, when requested (2026).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub diagnostics: Option<MessageDiagnostics>,
    /// Tokens billed.
    #[serde(default)]
    pub usage: Usage,
    /// Fields this version does not know.
    #[serde(flatten)]
    pub extra: JsonMap,
}

fn message_kind() -> String {
    "message".into()
}

fn assistant_role() -> String {
    "assistant".into()
}

impl Message {
    /// All text blocks joined with no separator: the reply as one string.
    pub fn text(&self) -> String {
        super::content::joined_text(&self.content)
    }
}

open_string_enum! {
    /// Why the model stopped.
    StopReason {
        /// A natural end.
        EndTurn = "end_turn",
        /// `max_tokens` (or the model's limit) reached; the last block may be cut.
        MaxTokens = "max_tokens",
        /// A stop sequence was produced; see `stop_sequence`.
        StopSequence = "stop_sequence",
        /// The model called client tools.
        ToolUse = "tool_use",
        /// A long server-tool turn paused; send the reply back to continue.
        PauseTurn = "pause_turn",
        /// Safety classifiers stopped the reply; see `stop_details`.
        Refusal = "refusal",
        /// The context window filled up.
        ModelContextWindowExceeded = "model_context_window_exceeded",
        /// Context compaction ended the turn (beta).
        Compaction = "compaction",
    }
}

/// Why a reply was refused (2026).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct StopDetails {
    /// `refusal`.
    #[serde(rename = "type")]
    pub kind: String,
    /// `cyber`, `bio`, … or `null`.
    #[serde(default)]
    pub category: Option<String>,
    /// A human-readable explanation, or `null`.
    #[serde(default)]
    pub explanation: Option<String>,
    /// Fields this version does not know.
    #[serde(flatten)]
    pub extra: JsonMap,
}

/// `diagnostics` on a response (2026).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MessageDiagnostics {
    /// Why the prompt cache could not reuse the previous request's prefix; `null` when it could,
    /// on a first turn, or while the comparison is still running.
    #[serde(default)]
    pub cache_miss_reason: Option<CacheMissReason>,
    /// Fields this version does not know.
    #[serde(flatten)]
    pub extra: JsonMap,
}

/// A prompt-cache miss explained.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CacheMissReason {
    /// `model_changed`, `system_changed`, `tools_changed`, `messages_changed`,
    /// `previous_message_not_found` or `unavailable`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Details that depend on the kind.
    #[serde(flatten)]
    pub extra: JsonMap,
}

/// Token usage of one reply.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Usage {
    /// Input tokens not read from or written to the cache.
    #[serde(default)]
    pub input_tokens: u64,
    /// Output tokens.
    #[serde(default)]
    pub output_tokens: u64,
    /// Input tokens written to the cache.
    #[serde(default)]
    pub cache_creation_input_tokens: Option<u64>,
    /// Input tokens read from the cache.
    #[serde(default)]
    pub cache_read_input_tokens: Option<u64>,
    /// Cache writes by TTL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache_creation: Option<CacheCreation>,
    /// Server tool requests made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_tool_use: Option<Value>,
    /// `standard`, `priority` or `batch`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_tier: Option<String>,
    /// Where inference ran (2026).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inference_geo: Option<String>,
    /// Breakdown of output tokens, e.g. `thinking_tokens` (2026).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_tokens_details: Option<Value>,
    /// Fields this version does not know (beta `iterations`…).
    #[serde(flatten)]
    pub extra: JsonMap,
}

impl Usage {
    /// All input tokens: uncached, written to the cache and read from it.
    pub fn total_input_tokens(&self) -> u64 {
        self.input_tokens
            .saturating_add(self.cache_creation_input_tokens.unwrap_or(0))
            .saturating_add(self.cache_read_input_tokens.unwrap_or(0))
    }
}

/// Cache writes split by TTL.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CacheCreation {
    /// Tokens written with the 5-minute TTL.
    #[serde(default)]
    pub ephemeral_5m_input_tokens: u64,
    /// Tokens written with the 1-hour TTL.
    #[serde(default)]
    pub ephemeral_1h_input_tokens: u64,
    /// Fields this version does not know.
    #[serde(flatten)]
    pub extra: JsonMap,
}

/// The reply of `count_tokens`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CountTokensResponse {
    /// Tokens the input would use.
    pub input_tokens: u64,
    /// Fields this version does not know.
    #[serde(flatten)]
    pub extra: JsonMap,
}
