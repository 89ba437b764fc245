//! `messages.create` and `count_tokens` parameters.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{
    open_string_enum, open_tagged_enum, CacheControl, ContentBlock, JsonMap, MessageContent,
};

/// The body of `POST /v1/messages`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MessageCreateParams {
    /// The model id or alias.
    pub model: String,
    /// The most tokens the reply may have.
    pub max_tokens: u32,
    /// The conversation so far; a trailing assistant turn is a prefill the reply continues.
    pub messages: Vec<MessageParam>,
    /// The system prompt: a string or text blocks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system: Option<SystemPrompt>,
    /// True for a Server-Sent Events reply.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stream: Option<bool>,
    /// Strings that end the reply with `stop_reason: "stop_sequence"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stop_sequences: Option<Vec<String>>,
    /// Sampling temperature, 0 to 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub temperature: Option<f64>,
    /// Nucleus sampling, 0 to 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub top_p: Option<f64>,
    /// Sample only from the top K tokens. Signed so that a negative value can be reported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub top_k: Option<i64>,
    /// An opaque end-user id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Metadata>,
    /// Tools the model may call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tools: Option<Vec<Tool>>,
    /// How the model must use the tools.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool_choice: Option<ToolChoice>,
    /// Extended thinking.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thinking: Option<ThinkingConfig>,
    /// Effort and structured output format.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_config: Option<OutputConfig>,
    /// `auto` or `standard_only`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_tier: Option<String>,
    /// A code-execution container id, or `{ id?, skills? }`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container: Option<Value>,
    /// Top-level cache breakpoint: applies to the last cacheable block (2026).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache_control: Option<CacheControl>,
    /// Where inference runs (2026).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inference_geo: Option<String>,
    /// Prompt-cache diagnostics against an earlier response (2026, beta `cache-diagnosis-2026-04-07`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub diagnostics: Option<DiagnosticsParam>,
    /// Parameters this version does not model (beta `mcp_servers`, `context_management`, `speed`…).
    #[serde(flatten)]
    pub extra: JsonMap,
}

open_string_enum! {
    /// Who a turn belongs to.
    Role {
        /// The caller.
        User = "user",
        /// The model (or a synthetic/prefilled assistant turn).
        Assistant = "assistant",
    }
}

/// One turn of the conversation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MessageParam {
    /// `user` or `assistant`.
    pub role: Role,
    /// A string or content blocks.
    pub content: MessageContent,
    /// Fields this version does not know.
    #[serde(flatten)]
    pub extra: JsonMap,
}

impl MessageParam {
    /// A user turn.
    pub fn user(content: impl Into<MessageContent>) -> Self {
        Self {
            role: Role::User,
            content: content.into(),
            extra: JsonMap::new(),
        }
    }

    /// An assistant turn: history, a synthetic turn, or (last) a prefill.
    pub fn assistant(content: impl Into<MessageContent>) -> Self {
        Self {
            role: Role::Assistant,
            content: content.into(),
            extra: JsonMap::new(),
        }
    }
}

/// The system prompt.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum SystemPrompt {
    /// A plain string.
    Text(String),
    /// Text blocks, which may carry `cache_control`.
    Blocks(Vec<ContentBlock>),
}

impl From<&str> for SystemPrompt {
    fn from(text: &str) -> Self {
        Self::Text(text.to_owned())
    }
}

/// `metadata`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Metadata {
    /// An opaque id for the end user (no personal data).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// Fields this version does not know.
    #[serde(flatten)]
    pub extra: JsonMap,
}

/// `diagnostics` on a request.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DiagnosticsParam {
    /// The `id` of the previous response to compare against; sent as `null` on a first turn,
    /// which is how the caller opts in, so it is serialized even when `None`.
    #[serde(default)]
    pub previous_message_id: Option<String>,
    /// Fields this version does not know.
    #[serde(flatten)]
    pub extra: JsonMap,
}

/// A tool the model may call: a custom tool with a JSON schema, or a versioned built-in
/// (server or client tool such as `web_search_20250305`), kept as raw JSON.
#[derive(Clone, Debug, PartialEq)]
pub enum Tool {
    /// A tool the caller implements (`type` absent or `custom`).
    Custom(CustomTool),
    /// A built-in tool, identified by its dated `type`.
    Builtin(Value),
}

impl Tool {
    /// The name the model calls the tool by.
    pub fn name(&self) -> Option<&str> {
        match self {
            Self::Custom(tool) => Some(&tool.name),
            Self::Builtin(value) => value.get("name").and_then(Value::as_str),
        }
    }
}

impl Serialize for Tool {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Custom(tool) => tool.serialize(serializer),
            Self::Builtin(value) => value.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for Tool {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error as _;
        let value = Value::deserialize(deserializer)?;
        match value.get("type") {
            None | Some(Value::Null) => {}
            Some(Value::String(kind)) if kind == "custom" => {}
            Some(_) => return Ok(Self::Builtin(value)),
        }
        CustomTool::deserialize(value)
            .map(Self::Custom)
            .map_err(|e| D::Error::custom(format_args!("custom tool: {e}")))
    }
}

/// A custom tool.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CustomTool {
    /// `^[a-zA-Z0-9_-]{1,64}$`, unique among the request's tools.
    pub name: String,
    /// What the tool does and when to use it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// JSON Schema of the input: `{"type":"object", "properties": …}`.
    pub input_schema: Value,
    /// Prompt-cache breakpoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache_control: Option<CacheControl>,
    /// Fields this version does not know (`type`, `strict`, `input_examples`…).
    #[serde(flatten)]
    pub extra: JsonMap,
}

open_tagged_enum! {
    /// How the model must use tools.
    ToolChoice {
        /// The model decides.
        Auto(ToolChoiceOptions) = "auto",
        /// The model must call some tool.
        Any(ToolChoiceOptions) = "any",
        /// The model must call the named tool.
        Tool(NamedToolChoice) = "tool",
        /// The model must not call tools.
        None(JsonMap) = "none",
    }
}

/// Options of `auto` and `any`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ToolChoiceOptions {
    /// At most one tool call per reply.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disable_parallel_tool_use: Option<bool>,
    /// Fields this version does not know.
    #[serde(flatten)]
    pub extra: JsonMap,
}

/// `{ "type": "tool", "name": … }`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct NamedToolChoice {
    /// The tool to call.
    pub name: String,
    /// At most one tool call per reply.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disable_parallel_tool_use: Option<bool>,
    /// Fields this version does not know.
    #[serde(flatten)]
    pub extra: JsonMap,
}

open_tagged_enum! {
    /// Extended thinking.
    ThinkingConfig {
        /// Thinking with a token budget (≥ 1024, below `max_tokens`).
        Enabled(ThinkingEnabled) = "enabled",
        /// No thinking.
        Disabled(JsonMap) = "disabled",
        /// The model decides how much to think (2026 default recommendation).
        Adaptive(ThinkingAdaptive) = "adaptive",
    }
}

/// `{ "type": "enabled", "budget_tokens": … }`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ThinkingEnabled {
    /// Tokens the model may spend thinking.
    pub budget_tokens: u32,
    /// `summarized` or `omitted`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display: Option<String>,
    /// Fields this version does not know.
    #[serde(flatten)]
    pub extra: JsonMap,
}

/// `{ "type": "adaptive" }`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ThinkingAdaptive {
    /// `summarized` or `omitted`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display: Option<String>,
    /// Fields this version does not know.
    #[serde(flatten)]
    pub extra: JsonMap,
}

/// `output_config`: effort and structured outputs.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct OutputConfig {
    /// `low`, `medium`, `high`, `xhigh` or `max`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effort: Option<String>,
    /// The format the reply must follow.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<OutputFormat>,
    /// Fields this version does not know.
    #[serde(flatten)]
    pub extra: JsonMap,
}

open_tagged_enum! {
    /// A structured output format.
    OutputFormat {
        /// The reply is JSON matching `schema`.
        JsonSchema(JsonSchemaFormat) = "json_schema",
    }
}

/// `{ "type": "json_schema", "schema": … }`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct JsonSchemaFormat {
    /// The JSON Schema.
    pub schema: Value,
    /// Fields this version does not know.
    #[serde(flatten)]
    pub extra: JsonMap,
}

/// The body of `POST /v1/messages/count_tokens`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CountTokensParams {
    /// The model id or alias.
    pub model: String,
    /// The conversation.
    pub messages: Vec<MessageParam>,
    /// The system prompt.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system: Option<SystemPrompt>,
    /// Tools.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tools: Option<Vec<Tool>>,
    /// Tool choice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool_choice: Option<ToolChoice>,
    /// Extended thinking.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thinking: Option<ThinkingConfig>,
    /// Effort and output format.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_config: Option<OutputConfig>,
    /// Top-level cache breakpoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache_control: Option<CacheControl>,
    /// Parameters this version does not model.
    #[serde(flatten)]
    pub extra: JsonMap,
}

impl From<&MessageCreateParams> for CountTokensParams {
    /// The token-counting request for the input of a create request.
    fn from(params: &MessageCreateParams) -> Self {
        Self {
            model: params.model.clone(),
            messages: params.messages.clone(),
            system: params.system.clone(),
            tools: params.tools.clone(),
            tool_choice: params.tool_choice.clone(),
            thinking: params.thinking.clone(),
            output_config: params.output_config.clone(),
            cache_control: params.cache_control.clone(),
            extra: JsonMap::new(),
        }
    }
}
