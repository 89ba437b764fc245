//! Request checks over the request's JSON text, before anything is sent: the mistakes the API
//! would answer with a 400, caught locally with the exact field path
//! (`messages[2].content[0].source.media_type`) and a message that says what to change.
//!
//! One walk over a borrowed tree ([`crate::tree`]), in document order (the order the Rust API
//! serializes: `model`, `max_tokens`, `messages`, `system`, …); the first problem wins. A
//! field of the wrong JSON type is a located `Shape` (or `Required`) violation. Nothing
//! panics, whatever the input; a 5 MB base64 image is scanned once, only its head decoded.
//!
//! Forward compatible: block, source and tool types this version does not know pass
//! unchecked, as long as they are objects with a string `type`.

use crate::prelude::*;

mod blocks;
mod media;
mod messages;
mod params;
mod rule;
mod tools;

use crate::numbers::parse_u64;
use crate::text;

use crate::tree::{self, Value};

pub use media::{IMAGE_MEDIA_TYPES, MAX_IMAGE_BYTES};
pub use messages::{model_rejects_prefill, MAX_MESSAGES};
pub use params::MIN_THINKING_BUDGET;
pub use rule::Rule;
pub use tools::MAX_TOOL_NAME_LEN;

/// The first problem found: where, which rule, and what to change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// The field's path, e.g. `messages[2].content[0].source.media_type` (empty: the request).
    pub path: String,
    /// Which rule failed.
    pub rule: Rule,
    /// What is wrong and what is allowed.
    pub message: String,
}

/// Which optional checks apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Options {
    /// Reject a final assistant turn (prefill) when [`model_rejects_prefill`] says the model
    /// answers it with a 400. On by default; turn it off for a model id this library
    /// misjudges, or to let the API decide.
    pub reject_prefill_for_models_without_support: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            reject_prefill_for_models_without_support: true,
        }
    }
}

/// Checks a `messages.create` (or stream) body.
pub fn validate_message_request(json: &[u8], options: &Options) -> Result<(), Violation> {
    with_tree(json, &|root| {
        params::check(&Path::ROOT, root, options, Kind::Create)
    })
}

/// Checks a `messages.count_tokens` body: the same rules, without `max_tokens`.
pub fn validate_count_tokens_request(json: &[u8], options: &Options) -> Result<(), Violation> {
    with_tree(json, &|root| {
        params::check(&Path::ROOT, root, options, Kind::CountTokens)
    })
}

/// Checks a `messages.batches.create` body: every `requests[i].params` as a create request,
/// with paths such as `requests[3].params.messages[0].content`.
pub fn validate_batch_request(json: &[u8], options: &Options) -> Result<(), Violation> {
    with_tree(json, &|root| params::check_batch(root, options))
}

/// The request kinds, which differ in their required fields.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Create,
    CountTokens,
}

/// A violation on its way out: boxed, so that each `?` of the hundred-odd checks moves one
/// pointer, not the whole violation (the core is built for size).
type Fail = Box<Violation>;

type Check = Result<(), Fail>;

/// Parses `json` and runs `check` on its root: one copy for the three request kinds.
fn with_tree(json: &[u8], check: &dyn Fn(&Value) -> Check) -> Result<(), Violation> {
    let text = core::str::from_utf8(json).map_err(|e| {
        Path::ROOT.error(
            Rule::Shape,
            text!("invalid JSON: not UTF-8 at byte ", e.valid_up_to()),
        )
    });
    let root = text.and_then(|text| {
        tree::parse(text).map_err(|e| {
            Path::ROOT.error(
                Rule::Shape,
                text!("invalid JSON: ", e.reason, " at byte ", e.at),
            )
        })
    });
    root.and_then(|root| check(&root)).map_err(|fail| *fail)
}

// ---------------------------------------------------------------------------------------------
// Paths: built on the stack while walking, rendered to a string only for a violation.

#[derive(Clone, Copy)]
enum Segment<'a> {
    Root,
    Field(&'a str),
    Index(usize),
}

#[derive(Clone, Copy)]
struct Path<'a> {
    parent: Option<&'a Path<'a>>,
    segment: Segment<'a>,
}

impl<'a> Path<'a> {
    const ROOT: Path<'static> = Path {
        parent: None,
        segment: Segment::Root,
    };

    fn field(&'a self, name: &'a str) -> Path<'a> {
        Path {
            parent: Some(self),
            segment: Segment::Field(name),
        }
    }

    fn index(&'a self, index: usize) -> Path<'a> {
        Path {
            parent: Some(self),
            segment: Segment::Index(index),
        }
    }

    fn render(&self) -> String {
        let mut segments = Vec::new();
        let mut current = Some(self);
        while let Some(path) = current {
            segments.push(path.segment);
            current = path.parent;
        }
        let mut out = String::new();
        for segment in segments.iter().rev() {
            match segment {
                Segment::Root => {}
                Segment::Field(name) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(name);
                }
                Segment::Index(index) => text!(into &mut out; "[", index, "]"),
            }
        }
        out
    }

    fn error(&self, rule: Rule, message: impl Into<String>) -> Fail {
        self.violation(rule, message.into())
    }

    /// The one body behind [`Path::error`] for every message type: kept out of line, so each of
    /// the hundred-odd checks that can fail costs a call, not a copy (the core is built for size).
    #[inline(never)]
    fn violation(&self, rule: Rule, message: String) -> Fail {
        Box::new(Violation {
            path: self.render(),
            rule,
            message,
        })
    }

    fn fail(&self, rule: Rule, message: impl Into<String>) -> Check {
        Err(self.error(rule, message))
    }
}

// ---------------------------------------------------------------------------------------------
// Field shapes: what serde checked when the request was typed, as one small table per type.

/// What a field must hold. `Opt…`: absent or `null` is fine.
#[derive(Clone, Copy)]
enum Want {
    Text,
    OptText,
    OptBool,
    Count,
    Any,
    OptCacheControl,
}

/// The fields of a `type`d object and what they hold, checked by [`check_fields`].
type Spec = &'static [(&'static str, Want)];

/// Who owns the fields, for messages: `ImageSource` and its tag `base64` give
/// ``ImageSource `base64`: missing field `data` `` (empty: no prefix, as for blocks).
#[derive(Clone, Copy)]
struct Owner<'a>(&'static str, &'a str);

impl Owner<'_> {
    fn prefix(self) -> String {
        match self {
            Owner("", _) => String::new(),
            Owner(name, "") => text!(name, ": "),
            Owner(name, tag) => text!(name, " `", tag, "`: "),
        }
    }
}

/// Checks each field of `spec` in `object` (reported at `at`, the object's path).
fn check_fields(at: &Path, owner: Owner, object: &Value, spec: Spec) -> Check {
    for &(name, want) in spec {
        let value = object.get(name);
        let fits = match (want, value) {
            (Want::Text | Want::Count | Want::Any, None) => {
                return at.fail(
                    Rule::Shape,
                    text!(owner.prefix(), "missing field `", name, "`"),
                )
            }
            (Want::Any, Some(_)) => true,
            (Want::OptText | Want::OptBool | Want::OptCacheControl, None | Some(Value::Null)) => {
                true
            }
            (Want::Text | Want::OptText, Some(Value::String(_))) => true,
            (Want::OptBool, Some(Value::Bool(_))) => true,
            (Want::Count, Some(Value::Number(n))) => parse_u64(n).is_some(),
            (Want::OptCacheControl, Some(cache @ Value::Object(_))) => {
                check_fields(at, Owner("", ""), cache, CACHE_CONTROL)?;
                true
            }
            _ => false,
        };
        if fits {
            continue;
        }
        let expected = match want {
            Want::Text | Want::OptText => "a string",
            Want::OptBool => "a boolean",
            Want::Count => "a non-negative integer",
            Want::Any | Want::OptCacheControl => "an object",
        };
        let got = value.map_or("nothing", kind);
        return at.fail(
            Rule::Shape,
            text!(
                owner.prefix(),
                "invalid type for `",
                name,
                "`: ",
                got,
                ", expected ",
                expected
            ),
        );
    }
    Ok(())
}

const CACHE_CONTROL: Spec = &[("type", Want::Text), ("ttl", Want::OptText)];

/// The `type` of a tagged object, or the violation for a value without a string one:
/// `what` names the value (`a content block`, `an image source`).
fn tag<'v>(at: &Path, value: &'v Value, what: &str) -> Result<&'v str, Fail> {
    match value {
        Value::Object(_) => match value.get("type") {
            Some(Value::String(tag)) => Ok(tag),
            None | Some(Value::Null) => Err(at.error(
                Rule::Shape,
                text!(what, " needs a string `type` field; it has none"),
            )),
            Some(other) => Err(at.error(
                Rule::Shape,
                text!(what, " needs a string `type` field; got ", kind(other)),
            )),
        },
        other => Err(at.error(
            Rule::Shape,
            text!(
                what,
                " must be an object with a string `type`; got ",
                kind(other)
            ),
        )),
    }
}

/// A required array field named `name` at `path`, of `items` (for the message): `Required`
/// when absent or null, `Shape` when not an array.
fn required_array<'v, 'a>(
    path: &Path,
    value: Option<&'v Value<'a>>,
    name: &str,
    items: &str,
) -> Result<&'v [Value<'a>], Fail> {
    match value {
        None | Some(Value::Null) => Err(path.error(Rule::Required, text!(name, " is required"))),
        Some(Value::Array(values)) => Ok(values),
        Some(other) => Err(path.error(
            Rule::Shape,
            text!(name, " must be an array of ", items, "; got ", kind(other)),
        )),
    }
}

/// A request body must be an object.
fn check_object_body(path: &Path, body: &Value) -> Check {
    match body {
        Value::Object(_) => Ok(()),
        other => path.fail(
            Rule::Shape,
            text!("the request must be a JSON object; got ", kind(other)),
        ),
    }
}

/// A value's JSON type, for messages.
fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Longest excerpt of a caller's string quoted in a message.
const QUOTE_LIMIT: usize = 40;

/// A caller's string for a message: at most [`QUOTE_LIMIT`] characters, in double quotes
/// with quotes, backslashes and control characters escaped (as Rust's `Debug` writes them,
/// without its Unicode tables: this goes into a size-critical wasm).
fn quote(text: &str) -> String {
    let mut out = String::from("\"");
    let mut chars = text.chars();
    for c in chars.by_ref().take(QUOTE_LIMIT) {
        escape_into(&mut out, c, '"');
    }
    out.push('"');
    if chars.next().is_some() {
        out.push('…');
    }
    out
}

/// A character for a message, in single quotes (`'*'`, `'\n'`).
fn quote_char(c: char) -> String {
    let mut out = String::from("'");
    escape_into(&mut out, c, '\'');
    out.push('\'');
    out
}

fn escape_into(out: &mut String, c: char, quote: char) {
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '\0' => out.push_str("\\0"),
        '\\' => out.push_str("\\\\"),
        c if c == quote => {
            out.push('\\');
            out.push(c);
        }
        c if c.is_control() => {
            out.push_str("\\u{");
            text::push_hex(out, u32::from(c), 0, false);
            out.push('}');
        }
        c => out.push(c),
    }
}

fn starts_with_ignore_case(bytes: &[u8], prefix: &[u8]) -> bool {
    bytes
        .get(..prefix.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
}

#[cfg(test)]
mod tests {
    use super::{quote, quote_char};

    #[test]
    fn quotes_escape_like_debug_and_cut_long_text() {
        for text in [
            "plain",
            "a\"b\\c",
            "line\nbreak\ttab\r",
            "\u{1}\u{7f}",
            "é🦀",
            "it's",
        ] {
            assert_eq!(quote(text), format!("{text:?}"));
        }
        for c in ['*', '\'', '\n', 'é', '-'] {
            assert_eq!(quote_char(c), format!("{c:?}"));
        }
        assert_eq!(quote(&"x".repeat(41)), format!("{:?}…", "x".repeat(40)));
    }
}
