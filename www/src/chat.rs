//! The conversation: its turns, the request built from them and the settings, the reply
//! while it streams, and export and import. Streaming one reply is `reply.rs`.

use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};

use anthropic_wasm::types::{
    ContentBlock, JsonSchemaFormat, Message, MessageContent, MessageCreateParams, MessageParam,
    OutputConfig, OutputFormat, Role, SystemPrompt, ThinkingConfig, ThinkingEnabled, Usage,
};
use anthropic_wasm::validate::normalize;
use serde_json::Value;

use crate::figures::Figures;

/// A fresh id for a turn or an attachment (keys of the page's lists).
pub fn next_id() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// One turn of the conversation.
#[derive(Clone, Debug, PartialEq)]
pub struct Turn {
    /// Key in the page's list.
    pub id: u64,
    /// The turn as sent (and exported).
    pub message: MessageParam,
    /// For a reply: the prefill it continued, which starts its text.
    pub prefill: String,
    /// For a reply: what came with it.
    pub info: Option<ReplyInfo>,
}

impl Turn {
    /// A turn without reply details.
    pub fn new(message: MessageParam) -> Self {
        Self {
            id: next_id(),
            message,
            prefill: String::new(),
            info: None,
        }
    }

    /// The turn's text blocks joined.
    pub fn text(&self) -> String {
        self.message.content.text()
    }

    /// The turn with its text replaced; images and other blocks stay, before the text.
    pub fn with_text(&self, text: &str) -> MessageParam {
        let mut blocks: Vec<ContentBlock> = match &self.message.content {
            MessageContent::Text(_) => Vec::new(),
            MessageContent::Blocks(blocks) => blocks
                .iter()
                .filter(|block| !matches!(block, ContentBlock::Text(_)))
                .cloned()
                .collect(),
        };
        let content = if blocks.is_empty() {
            MessageContent::Text(text.to_owned())
        } else {
            if !text.is_empty() {
                blocks.push(ContentBlock::text(text));
            }
            MessageContent::Blocks(blocks)
        };
        MessageParam {
            content,
            ..self.message.clone()
        }
    }
}

/// What came with a reply.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReplyInfo {
    /// `end_turn`, `max_tokens`, `stop_sequence`…; `None` for a reply cut short.
    pub stop_reason: Option<String>,
    /// The stop sequence that ended it.
    pub stop_sequence: Option<String>,
    /// Tokens billed (so far, for a cut reply).
    pub usage: Option<Usage>,
    /// The response's `request-id`.
    pub request_id: Option<String>,
    /// Why the reply is partial: stopped by the user or failed mid-stream.
    pub cut_short: Option<String>,
    /// How it arrived: first token, bytes, retries, token arrival.
    pub figures: Figures,
    /// For a reply cut short: the message as far as it got, which Continue resumes.
    pub partial: Option<Message>,
    /// For a resumed reply: what its first request and its continuation used.
    pub resumed: Option<(Usage, Usage)>,
}

/// The reply while it streams.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Live {
    /// The prefill the reply continues.
    pub prefill: String,
    /// When a cut reply is resumed: the text its first request gave, which this one continues.
    pub continuing: String,
    /// The text so far.
    pub text: String,
    /// The thinking so far (extended thinking).
    pub thinking: String,
    /// Redacted thinking blocks so far.
    pub redacted: u32,
    /// "Connecting…", a retry in progress, or empty once text flows.
    pub status: String,
    /// The response's `request-id`, once headers arrived.
    pub request_id: Option<String>,
    /// How it is arriving.
    pub figures: Figures,
}

/// The sampling and length settings as typed into the page.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Settings {
    /// The model id, with `+fault=SPEC` when a fault is simulated.
    pub model: String,
    /// The system prompt (empty: none).
    pub system: String,
    /// `max_tokens`.
    pub max_tokens: String,
    /// `temperature` (empty: the API's default).
    pub temperature: String,
    /// `top_p` (empty: the API's default).
    pub top_p: String,
    /// `top_k` (empty: the API's default).
    pub top_k: String,
    /// Stop sequences, one per line.
    pub stop_sequences: String,
    /// Extended thinking on, with this budget (tokens).
    pub thinking: Option<String>,
    /// Structured outputs: the JSON Schema (text) the reply must follow.
    pub output_schema: Option<String>,
}

impl Settings {
    /// The request for these messages, or which setting is not a number.
    pub fn params(&self, messages: Vec<MessageParam>) -> Result<MessageCreateParams, String> {
        let max_tokens = optional::<u32>("Max tokens", &self.max_tokens)?
            .ok_or("Max tokens is required: a whole number such as 1024.")?;
        let stops: Vec<String> = self
            .stop_sequences
            .lines()
            .filter(|line| !line.is_empty())
            .map(str::to_owned)
            .collect();
        Ok(MessageCreateParams {
            model: self.model.trim().to_owned(),
            max_tokens,
            messages,
            system: (!self.system.trim().is_empty())
                .then(|| SystemPrompt::Text(self.system.clone())),
            stop_sequences: (!stops.is_empty()).then_some(stops),
            temperature: optional("Temperature", &self.temperature)?,
            top_p: optional("Top p", &self.top_p)?,
            top_k: optional("Top k", &self.top_k)?,
            thinking: match &self.thinking {
                Some(budget) => Some(ThinkingConfig::Enabled(ThinkingEnabled {
                    budget_tokens: optional("Thinking budget", budget)?
                        .ok_or("The thinking budget is required: 1024 tokens or more.")?,
                    ..ThinkingEnabled::default()
                })),
                None => None,
            },
            output_config: match &self.output_schema {
                Some(schema) => Some(OutputConfig {
                    format: Some(OutputFormat::JsonSchema(JsonSchemaFormat {
                        schema: serde_json::from_str(schema)
                            .map_err(|e| format!("The output schema is not JSON: {e}."))?,
                        extra: Default::default(),
                    })),
                    ..OutputConfig::default()
                }),
                None => None,
            },
            ..MessageCreateParams::default()
        })
    }
}

/// An empty field is `None`; anything else must parse.
fn optional<T: FromStr>(label: &str, text: &str) -> Result<Option<T>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    text.parse()
        .map(Some)
        .map_err(|_| format!("{label} must be a number; got {text:?}."))
}

/// The messages of a request: the turns, an unsent user turn, then the prefill as the
/// trailing assistant turn. Same-role neighbours (left by deleting a turn) are merged as the
/// API would.
pub fn request_messages(
    turns: &[Turn],
    pending: Option<MessageParam>,
    prefill: &str,
) -> Vec<MessageParam> {
    let mut messages: Vec<MessageParam> = turns.iter().map(|turn| turn.message.clone()).collect();
    messages.extend(pending);
    if !prefill.is_empty() {
        messages.push(MessageParam::assistant(prefill));
    }
    normalize(&mut messages);
    messages
}

/// The conversation as the API's `messages` array, pretty-printed.
pub fn export_json(turns: &[Turn]) -> String {
    let messages: Vec<&MessageParam> = turns.iter().map(|turn| &turn.message).collect();
    serde_json::to_string_pretty(&messages).unwrap_or_default()
}

/// Turns from an exported `messages` array (or a request object holding one).
pub fn import_json(text: &str) -> Result<Vec<Turn>, String> {
    let value: Value =
        serde_json::from_str(text).map_err(|e| format!("The file is not JSON: {e}."))?;
    let array = match value {
        Value::Object(mut object) => object.remove("messages").unwrap_or(Value::Null),
        other => other,
    };
    let messages: Vec<MessageParam> = serde_json::from_value(array).map_err(|e| {
        format!("Expected a JSON array of {{ \"role\", \"content\" }} messages: {e}.")
    })?;
    if let Some(odd) = messages
        .iter()
        .find(|m| !matches!(m.role, Role::User | Role::Assistant))
    {
        return Err(format!(
            "Roles must be \"user\" or \"assistant\"; found {:?}.",
            odd.role.as_str()
        ));
    }
    Ok(messages.into_iter().map(Turn::new).collect())
}
