//! The prefill playground: an assistant turn the reply must continue, its presets, the notice
//! for models that refuse prefill (with structured outputs offered for the JSON presets), and
//! JSON replies parsed and pretty-printed.

use anthropic_wasm::validate::model_rejects_prefill;
use serde_json::Value;

/// A prefill with a prompt that shows it off.
pub struct Preset {
    /// The button's text.
    pub label: &'static str,
    /// The start of the reply.
    pub prefill: &'static str,
    /// A prompt to go with it.
    pub prompt: &'static str,
    /// A `max_tokens` the preset needs (one token for a multiple-choice letter).
    pub max_tokens: Option<u32>,
    /// For a JSON preset, the JSON Schema that asks for the same reply through structured
    /// outputs (`output_config.format`), for models that refuse prefill.
    pub schema: Option<&'static str>,
}

/// The presets, in the order of their buttons.
pub const PRESETS: [Preset; 4] = [
    Preset {
        label: "JSON object",
        prefill: r#"{"name": ""#,
        prompt: "Describe a cat called Tom as a JSON object with a name and an age.",
        max_tokens: None,
        schema: Some(
            r#"{"type": "object", "properties": {"name": {"type": "string"}, "age": {"type": "integer"}}, "required": ["name", "age"], "additionalProperties": false}"#,
        ),
    },
    Preset {
        label: "JSON array",
        prefill: "[",
        prompt: "List three primary colours as a JSON array.",
        max_tokens: None,
        schema: Some(
            r#"{"type": "object", "properties": {"colours": {"type": "array", "items": {"type": "string"}, "minItems": 3, "maxItems": 3}}, "required": ["colours"], "additionalProperties": false}"#,
        ),
    },
    Preset {
        label: "Multiple choice",
        prefill: "The answer is (",
        prompt: "Which planet is the largest? (A) Mars (B) Jupiter (C) Venus",
        max_tokens: Some(1),
        schema: None,
    },
    Preset {
        label: "Pirate voice",
        prefill: "Arr, matey!",
        prompt: "Tell me about the weather today.",
        max_tokens: None,
        schema: None,
    },
];

/// What to tell the user when `model` answers a prefill with a 400.
pub fn rejection_notice(model: &str, prefill: &str) -> Option<String> {
    (!prefill.is_empty() && model_rejects_prefill(model)).then(|| {
        format!(
            "{} does not accept prefill (the API answers 400). Clear the prefill or pick an \
             older model; for JSON, use structured outputs (output_config.format) instead.",
            model.split('+').next().unwrap_or(model)
        )
    })
}

/// The JSON preset whose prefill this is, when `model` refuses prefill: its schema asks for
/// the same reply through structured outputs.
pub fn structured_alternative(model: &str, prefill: &str) -> Option<&'static Preset> {
    rejection_notice(model, prefill)?;
    PRESETS
        .iter()
        .find(|preset| preset.schema.is_some() && preset.prefill == prefill)
}

/// The text pretty-printed when it is a JSON object or array.
pub fn as_json(text: &str) -> Option<String> {
    match serde_json::from_str::<Value>(text.trim()) {
        Ok(value @ (Value::Object(_) | Value::Array(_))) => {
            serde_json::to_string_pretty(&value).ok()
        }
        _ => None,
    }
}
