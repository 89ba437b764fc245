//! Structured outputs: `output_config.format` with a JSON schema makes the reply's text JSON
//! that follows the schema; [`parse`] sends such a request and deserializes the reply.
//!
//! ```no_run
//! # async fn demo<T: anthropic_wasm::client::transport::Transport>(client: anthropic_wasm::client::Client<T>) -> Result<(), anthropic_wasm::helpers::HelperError> {
//! use anthropic_wasm::client::RequestOptions;
//! use anthropic_wasm::helpers::structured::{json_schema, parse};
//! use anthropic_wasm::types::{MessageCreateParams, MessageParam};
//! use serde::Deserialize;
//! use serde_json::json;
//!
//! #[derive(Deserialize)]
//! struct Capital { country: String, city: String }
//!
//! let params = MessageCreateParams {
//!     model: "claude-sonnet-4-5".into(),
//!     max_tokens: 1024,
//!     messages: vec![MessageParam::user("The capital of France?")],
//!     output_config: Some(json_schema(json!({
//!         "type": "object",
//!         "properties": {"country": {"type": "string"}, "city": {"type": "string"}},
//!         "required": ["country", "city"],
//!         "additionalProperties": false,
//!     }))),
//!     ..Default::default()
//! };
//! let reply = parse::<Capital, _>(&client, &params, &RequestOptions::default()).await?;
//! println!("{} → {}", reply.parsed.country, reply.parsed.city);
//! # Ok(()) }
//! ```

use serde::de::DeserializeOwned;
use serde_json::Value;

use super::{HelperError, ParseError};
use crate::client::transport::Transport;
use crate::client::{Client, RequestOptions};
use crate::types::{
    JsonMap, JsonSchemaFormat, Message, MessageCreateParams, OutputConfig, OutputFormat,
};

/// A reply and the value its text was parsed into.
#[derive(Clone, Debug, PartialEq)]
pub struct Parsed<O> {
    /// The reply as received.
    pub message: Message,
    /// Its text, deserialized.
    pub parsed: O,
}

/// `output_config` asking for JSON that follows `schema`.
pub fn json_schema(schema: Value) -> OutputConfig {
    OutputConfig {
        format: Some(OutputFormat::JsonSchema(JsonSchemaFormat {
            schema,
            extra: JsonMap::new(),
        })),
        ..OutputConfig::default()
    }
}

/// Sends `params` (set `output_config` with [`json_schema`]) and deserializes the reply's text.
pub async fn parse<O: DeserializeOwned, T: Transport>(
    client: &Client<T>,
    params: &MessageCreateParams,
    options: &RequestOptions,
) -> Result<Parsed<O>, HelperError> {
    let message = client
        .messages()
        .create(params, options)
        .await?
        .into_inner();
    let parsed = parse_message(&message)?;
    Ok(Parsed { message, parsed })
}

/// The reply's text (its text blocks joined) deserialized; [`HelperError::Parse`] carries the
/// text when it is not JSON of that shape (a `max_tokens` cut is the usual cause).
pub fn parse_message<O: DeserializeOwned>(message: &Message) -> Result<O, HelperError> {
    parse_text(message.text(), message)
}

/// `text` deserialized, or the parse error about it and `message`'s stop reason.
pub(super) fn parse_text<O: DeserializeOwned>(
    text: String,
    message: &Message,
) -> Result<O, HelperError> {
    serde_json::from_str(&text).map_err(|error| {
        HelperError::Parse(Box::new(ParseError {
            reason: error.to_string(),
            raw: text,
            stop_reason: message.stop_reason.clone(),
        }))
    })
}
