//! Prefill: the request ends with the start of the assistant's answer, and the reply continues
//! it. These helpers give back the whole answer (prefill and continuation), and for a JSON
//! prefill the parsed value.
//!
//! Models that refuse prefill (Claude 4.6 and later answer it with a 400) are caught before
//! sending with [`HelperError::PrefillUnsupported`], whose message points to structured
//! outputs ([`super::structured`]).
//!
//! ```no_run
//! # async fn demo<T: anthropic_wasm::client::transport::Transport>(client: anthropic_wasm::client::Client<T>) -> Result<(), anthropic_wasm::helpers::HelperError> {
//! use anthropic_wasm::client::RequestOptions;
//! use anthropic_wasm::helpers::prefill::prefill_json;
//! use anthropic_wasm::types::{MessageCreateParams, MessageParam};
//!
//! #[derive(serde::Deserialize)]
//! struct Person { name: String }
//!
//! let params = MessageCreateParams {
//!     model: "claude-sonnet-4-5".into(),
//!     max_tokens: 200,
//!     messages: vec![MessageParam::user("Who wrote Hamlet? Answer as JSON.")],
//!     ..Default::default()
//! };
//! let person = prefill_json::<Person, _>(&client, &params, r#"{"name": ""#, &RequestOptions::default()).await?;
//! println!("{}", person.parsed.name);
//! # Ok(()) }
//! ```

use serde::de::DeserializeOwned;

use super::structured::{parse_text, Parsed};
use super::HelperError;
use crate::client::transport::Transport;
use crate::client::{Client, RequestOptions};
use crate::types::{Message, MessageCreateParams, MessageParam, StopReason};
use crate::validate::model_rejects_prefill;

/// A prefilled reply and the whole answer.
#[derive(Clone, Debug, PartialEq)]
pub struct Prefilled {
    /// The reply as received: its text is the continuation only.
    pub message: Message,
    /// The prefill (its trailing white space removed, as the API requires) and the continuation.
    pub text: String,
}

/// Sends `params` with `prefill` as a final assistant turn and returns the whole answer.
/// Trailing white space is removed from the prefill first (the API rejects it).
pub async fn send_with_prefill<T: Transport>(
    client: &Client<T>,
    params: &MessageCreateParams,
    prefill: &str,
    options: &RequestOptions,
) -> Result<Prefilled, HelperError> {
    let prefill = prefill.trim_end();
    let rejects = client
        .options()
        .validation
        .as_ref()
        .is_some_and(|rules| rules.reject_prefill_for_models_without_support);
    if rejects && model_rejects_prefill(&params.model) {
        return Err(HelperError::PrefillUnsupported {
            model: params.model.clone(),
        });
    }
    let mut request = params.clone();
    request.messages.push(MessageParam::assistant(prefill));
    let message = client
        .messages()
        .create(&request, options)
        .await?
        .into_inner();
    let text = format!("{prefill}{}", message.text());
    Ok(Prefilled { message, text })
}

/// Sends `params` with a JSON `prefill` (e.g. `{"name": "`) and parses prefill + continuation.
/// A reply ended by a stop sequence (e.g. `}`) gets it back when that is what closes the JSON;
/// text the model adds after the JSON value is ignored.
pub async fn prefill_json<O: DeserializeOwned, T: Transport>(
    client: &Client<T>,
    params: &MessageCreateParams,
    prefill: &str,
    options: &RequestOptions,
) -> Result<Parsed<O>, HelperError> {
    let Prefilled { message, text } = send_with_prefill(client, params, prefill, options).await?;
    if let Some(parsed) = first_json_value(&text) {
        return Ok(Parsed { message, parsed });
    }
    let closed = match (&message.stop_reason, &message.stop_sequence) {
        (Some(StopReason::StopSequence), Some(stop)) => format!("{text}{stop}"),
        _ => text,
    };
    let parsed = match first_json_value(&closed) {
        Some(parsed) => parsed,
        None => parse_text(closed, &message)?,
    };
    Ok(Parsed { message, parsed })
}

/// The first JSON value of `text` when it deserializes into `O`, whatever follows it.
fn first_json_value<O: DeserializeOwned>(text: &str) -> Option<O> {
    serde_json::Deserializer::from_str(text)
        .into_iter::<O>()
        .next()?
        .ok()
}
