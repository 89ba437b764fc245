//! The helpers' rules and the tool-input previews, over JSON text: what the JS helpers
//! (`js/lib/helpers.js`) and the MessageStream (`js/lib/message-stream.js`) ask of the core.

use wasm_bindgen::prelude::*;

use anthropic_wasm_core::history;
use anthropic_wasm_core::partial_json::{self, PartialJson};

/// The indices where a history may start: user turns without `tool_result` blocks. Throws
/// when `messages` is not a list of messages.
#[wasm_bindgen(js_name = historyCutPoints)]
pub fn history_cut_points(messages: &str) -> Result<Vec<u32>, JsError> {
    let points = history::cut_points(messages).map_err(|e| JsError::new(&e.message))?;
    Ok(points
        .into_iter()
        .map(|index| u32::try_from(index).unwrap_or(u32::MAX))
        .collect())
}

/// The declared offline estimate of a request's input tokens (`{model, system, tools,
/// messages}`), see `anthropic_wasm_core::history::estimate_tokens`.
#[wasm_bindgen(js_name = estimateTokens)]
pub fn estimate_tokens(params: &str) -> Result<f64, JsError> {
    let tokens = history::estimate_tokens(params).map_err(|e| JsError::new(&e.message))?;
    Ok(tokens as f64)
}

/// The messages with same-role turns merged and empty text blocks and turns dropped; unknown
/// fields and `null`s kept as received.
#[wasm_bindgen(js_name = normalizeMessages)]
pub fn normalize_messages(messages: &str) -> Result<String, JsError> {
    history::normalize(messages).map_err(|e| JsError::new(&e.message))
}

/// The JSON text of the first JSON value that starts `text` (after white space), whatever
/// follows it; `undefined` when `text` does not start with a complete JSON value.
#[wasm_bindgen(js_name = firstJsonValue)]
pub fn first_json_value(text: &str) -> Option<String> {
    history::first_json_value(text).map(str::to_owned)
}

/// A best-effort parse of unfinished JSON, as JSON text (`undefined` when the text is not a
/// prefix of JSON): for a tool input that ended before its JSON did.
#[wasm_bindgen(js_name = parsePartialJson)]
pub fn parse_partial_json(text: &str) -> Option<String> {
    partial_json::preview(text)
}

/// A streaming tool input's preview, fed each fragment once: answers with the edit ops of
/// `anthropic_wasm_core::partial_json` (applied by the shell's `lib/partial-preview.js`), so a
/// preview per fragment costs the fragment, not the whole input so far.
#[wasm_bindgen]
#[derive(Default)]
pub struct PartialJsonPreview(PartialJson);

#[wasm_bindgen]
impl PartialJsonPreview {
    /// A preview of nothing yet.
    #[wasm_bindgen(constructor)]
    pub fn new() -> Self {
        Self::default()
    }

    /// The ops (the text of a JSON array) that bring the preview up to date with `fragment`.
    pub fn push(&mut self, fragment: &str) -> String {
        self.0.push(fragment.as_bytes()).to_owned()
    }
}

/// The helper-event code table (`anthropic_wasm_core::partial_json::helper_rules_json`): the
/// codes of a finished tool input's outcome, read by the shell's `helperTables`.
#[wasm_bindgen(js_name = helperRules)]
pub fn helper_rules() -> String {
    partial_json::helper_rules_json()
}

/// What the helpers do with a tool input whose block has stopped, as `[code]` or
/// `[code, value]` (JSON text): its value, or the stream fails (the official SDK's parser
/// throws there).
#[wasm_bindgen(js_name = finishToolInput)]
pub fn finish_tool_input(text: &str) -> String {
    partial_json::finish_tool_input_json(text)
}
