//! The rules of the helpers ([`crate::helpers`]) for the JS helpers (`js/helpers.js`): where a
//! history may start, the offline token estimate, normalisation, and the first JSON value of a
//! text. JSON text in and out, as in [`crate::js`]; a value that is not what is expected
//! throws a plain `Error` that the JS side rethrows as `InvalidRequestError`.

use serde::de::DeserializeOwned;
use serde_json::Value;
use wasm_bindgen::prelude::*;

use crate::helpers::history;
use crate::types::{CountTokensParams, MessageParam};
use crate::validate::normalize;

/// The indices where a history may start: user turns without `tool_result` blocks.
#[wasm_bindgen(js_name = historyCutPoints)]
pub fn history_cut_points(messages: &str) -> Result<Vec<u32>, JsError> {
    let messages: Vec<MessageParam> = read(messages, "messages")?;
    Ok(history::cut_points(&messages)
        .into_iter()
        .map(|index| u32::try_from(index).unwrap_or(u32::MAX))
        .collect())
}

/// The declared offline estimate of a request's input tokens (`{model, system, tools,
/// messages}`), see [`history::estimate_tokens`].
#[wasm_bindgen(js_name = estimateTokens)]
pub fn estimate_tokens(params: &str) -> Result<f64, JsError> {
    let params: CountTokensParams = read(params, "the request")?;
    Ok(history::estimate_tokens(&params) as f64)
}

/// The messages with same-role turns merged and empty text blocks and turns dropped.
#[wasm_bindgen(js_name = normalizeMessages)]
pub fn normalize_messages(messages: &str) -> Result<String, JsError> {
    let mut messages: Vec<MessageParam> = read(messages, "messages")?;
    normalize(&mut messages);
    serde_json::to_string(&messages).map_err(|e| JsError::new(&e.to_string()))
}

/// The JSON text of the first JSON value that starts `text` (after white space), whatever
/// follows it; `undefined` when `text` does not start with a complete JSON value.
#[wasm_bindgen(js_name = firstJsonValue)]
pub fn first_json_value(text: &str) -> Option<String> {
    let value = serde_json::Deserializer::from_str(text)
        .into_iter::<Value>()
        .next()?
        .ok()?;
    Some(value.to_string())
}

/// Reads through `Value`, as `crate::js` does: the deserializers already in the wasm serve, where
/// reading from text directly would add another copy of them (10 KB gzipped, measured).
fn read<T: DeserializeOwned>(json: &str, what: &str) -> Result<T, JsError> {
    serde_json::from_str::<Value>(json)
        .and_then(serde_json::from_value)
        .map_err(|e| JsError::new(&format!("{what} cannot be read: {e}")))
}
