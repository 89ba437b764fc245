//! What the helpers do with a tool input when its block stops (`content_block_stop`), as the
//! official SDK 1.15's MessageStream: the block's `input` becomes the partial-JSON parse of
//! the text (a complete document, or the preview of one cut short, e.g. by `max_tokens`);
//! where that parse throws (text that is not JSON, or that shows nothing: `12`, `"ab`, ` `),
//! the stream fails with an `error` event. One decision for the Rust API and the JS shell.

use crate::prelude::*;

use super::edits::preview_with_root;
use crate::text;

/// The outcome of a finished tool input, by code (the table of [`helper_rules_json`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ToolInputEnd {
    /// The input is this JSON text. No text at all is `{}` (the SDK's empty buffer).
    Value(String),
    /// The text is not a prefix of JSON: the SDK's `JSON.parse` throws on the text, and the
    /// helpers fail the stream with its complaint.
    NotJson,
    /// The text is a prefix of JSON whose top-level value shows nothing (a number that more
    /// digits could continue, an unfinished string or literal, only white space): the SDK's
    /// parser drops it all and `JSON.parse` throws on the empty text; the stream fails.
    NoValue,
}

impl ToolInputEnd {
    /// Code of `Value`.
    pub const VALUE: u8 = 0;
    /// Code of `NotJson`.
    pub const NOT_JSON: u8 = 1;
    /// Code of `NoValue`.
    pub const NO_VALUE: u8 = 2;

    /// This outcome's code.
    pub fn code(&self) -> u8 {
        match self {
            Self::Value(_) => Self::VALUE,
            Self::NotJson => Self::NOT_JSON,
            Self::NoValue => Self::NO_VALUE,
        }
    }
}

/// The outcome for the whole text of a tool input whose block has stopped.
pub fn finish_tool_input(text: &str) -> ToolInputEnd {
    if text.is_empty() {
        return ToolInputEnd::Value(String::from("{}"));
    }
    match preview_with_root(text) {
        Some((value, true)) => ToolInputEnd::Value(value),
        Some((_, false)) => ToolInputEnd::NoValue,
        None if text.trim_matches([' ', '\t', '\n', '\r']).is_empty() => ToolInputEnd::NoValue,
        None => ToolInputEnd::NotJson,
    }
}

/// The helper-event code table, as JSON for the JS shell: `toolInputEnd` names the codes of
/// [`ToolInputEnd`] (`NOT_JSON` and `NO_VALUE` fail the stream with an `error` event).
pub fn helper_rules_json() -> String {
    text!(
        "{\"toolInputEnd\":{\"VALUE\":",
        ToolInputEnd::VALUE,
        ",\"NOT_JSON\":",
        ToolInputEnd::NOT_JSON,
        ",\"NO_VALUE\":",
        ToolInputEnd::NO_VALUE,
        "}}"
    )
}

/// `finish_tool_input` as JSON text for the JS shell: `[code]` or `[code, value]`.
pub fn finish_tool_input_json(text: &str) -> String {
    match finish_tool_input(text) {
        ToolInputEnd::Value(value) => text!("[", ToolInputEnd::VALUE, ",", value, "]"),
        other => text!("[", other.code(), "]"),
    }
}

#[cfg(test)]
mod tests {
    use super::{finish_tool_input, ToolInputEnd};

    fn value(text: &str) -> ToolInputEnd {
        ToolInputEnd::Value(text.to_owned())
    }

    #[test]
    fn complete_truncated_and_empty_inputs_have_values() {
        assert_eq!(finish_tool_input(""), value("{}"));
        assert_eq!(finish_tool_input(r#"{"a": 1}"#), value(r#"{"a":1}"#));
        assert_eq!(finish_tool_input(r#"{"a": [1, "b"#), value(r#"{"a":[1]}"#));
        assert_eq!(finish_tool_input(r#"{"a": 1"#), value("{}"));
        assert_eq!(finish_tool_input(r#""ab""#), value(r#""ab""#));
        assert_eq!(finish_tool_input("null"), value("null"));
    }

    #[test]
    fn what_the_sdk_parser_throws_on_fails() {
        for text in [" ", "\n\t", "12", "\"ab", "nul", "-"] {
            assert_eq!(finish_tool_input(text), ToolInputEnd::NoValue, "{text:?}");
        }
        for text in ["{\"a\": x}", "{\"a\":1}}", "[1]]", "{]", "x", " }"] {
            assert_eq!(finish_tool_input(text), ToolInputEnd::NotJson, "{text:?}");
        }
    }
}
