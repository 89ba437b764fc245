//! A borrowed JSON tree, built in one pass by [`parse`] for the request checks: strings and
//! numbers stay slices of the input (escapes resolved only when asked), so a 5 MB base64
//! image costs one scan and no copy. Building is iterative and depth-capped
//! ([`json::MAX_DEPTH`]), so no input can overflow the stack.

use crate::prelude::*;

use alloc::borrow::Cow;

use crate::json::{self, JsonError};

/// One JSON value, borrowing its text from the input.
#[derive(Debug, PartialEq)]
pub enum Value<'a> {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number's text, as written (`-1.5e3`).
    Number(&'a str),
    /// A string's contents between the quotes, escapes not resolved (see [`Value::text`]).
    String(&'a str),
    /// An array's elements.
    Array(Vec<Value<'a>>),
    /// An object's members in document order; keys as written (escapes not resolved).
    Object(Vec<(&'a str, Value<'a>)>),
}

impl<'a> Value<'a> {
    /// The member named `name` of an object (the last of duplicates, as `JSON.parse`).
    pub fn get(&self, name: &str) -> Option<&Value<'a>> {
        match self {
            Self::Object(members) => members.iter().rev().find(|(key, _)| *key == name),
            _ => None,
        }
        .map(|(_, value)| value)
    }

    /// A string's contents with escapes resolved; borrowed when it has none.
    pub fn text(&self) -> Option<Cow<'a, str>> {
        let Self::String(raw) = self else { return None };
        if !raw.contains('\\') {
            return Some(Cow::Borrowed(raw));
        }
        let mut out = Vec::with_capacity(raw.len());
        json::unescape_into(raw.as_bytes(), &mut out);
        Some(Cow::Owned(crate::text::lossy(&out)))
    }
}

/// An open container while parsing: its items so far, and for an object the pending key.
enum Open<'a> {
    Array(Vec<Value<'a>>),
    Object(Vec<(&'a str, Value<'a>)>, &'a str),
}

/// Parses `text` as exactly one JSON value (RFC 8259, as strictly as [`json::value_span`]).
pub fn parse(text: &str) -> Result<Value<'_>, JsonError> {
    let b = text.as_bytes();
    let slice = |from: usize, to: usize| text.get(from..to).unwrap_or_default();
    let key_at = |i: usize| -> Result<(&str, usize), JsonError> {
        let value = json::member_key(b, i)?;
        let end = json::skip_string(b, i)?;
        Ok((slice(i + 1, end - 1), value))
    };
    let mut open: Vec<Open> = Vec::new();
    let mut i = json::skip_ws(b, 0);
    loop {
        let (mut value, end) = match b.get(i) {
            Some(b'"') => {
                let end = json::skip_string(b, i)?;
                (Value::String(slice(i + 1, end - 1)), end)
            }
            Some(&bracket @ (b'{' | b'[')) => {
                if open.len() == json::MAX_DEPTH {
                    return Err(JsonError {
                        at: i,
                        reason: "JSON nested too deeply",
                    });
                }
                let next = json::skip_ws(b, i + 1);
                match (bracket, b.get(next)) {
                    (b'{', Some(b'}')) => (Value::Object(Vec::new()), next + 1),
                    (b'[', Some(b']')) => (Value::Array(Vec::new()), next + 1),
                    (b'{', _) => {
                        let (key, start) = key_at(next)?;
                        open.push(Open::Object(Vec::new(), key));
                        i = start;
                        continue;
                    }
                    _ => {
                        open.push(Open::Array(Vec::new()));
                        i = next;
                        continue;
                    }
                }
            }
            Some(b't') => (Value::Bool(true), json::literal(b, i, b"true")?),
            Some(b'f') => (Value::Bool(false), json::literal(b, i, b"false")?),
            Some(b'n') => (Value::Null, json::literal(b, i, b"null")?),
            Some(b'-' | b'0'..=b'9') => {
                let end = json::skip_number(b, i)?;
                (Value::Number(slice(i, end)), end)
            }
            Some(_) => return fail(i, "expected a JSON value"),
            None => return fail(i, "unexpected end of JSON"),
        };
        i = end;
        // Put the value in its container; close containers or go on to the next element.
        loop {
            let Some(container) = open.last_mut() else {
                let rest = json::skip_ws(b, i);
                if rest != b.len() {
                    return fail(rest, "unexpected text after the JSON value");
                }
                return Ok(value);
            };
            match container {
                Open::Array(items) => items.push(value),
                Open::Object(members, key) => members.push((key, value)),
            }
            let next = json::skip_ws(b, i);
            match (b.get(next), container) {
                (Some(b','), Open::Array(_)) => {
                    i = json::skip_ws(b, next + 1);
                    break;
                }
                (Some(b','), Open::Object(_, key)) => {
                    let (name, start) = key_at(json::skip_ws(b, next + 1))?;
                    *key = name;
                    i = start;
                    break;
                }
                (Some(b']'), Open::Array(_)) | (Some(b'}'), Open::Object(..)) => {
                    value = match open.pop() {
                        Some(Open::Array(items)) => Value::Array(items),
                        Some(Open::Object(members, _)) => Value::Object(members),
                        None => Value::Null,
                    };
                    i = next + 1;
                }
                (None, _) => return fail(next, "unexpected end of JSON"),
                _ => return fail(next, "expected `,` or the end of the container"),
            }
        }
    }
}

fn fail<T>(at: usize, reason: &'static str) -> Result<T, JsonError> {
    Err(JsonError { at, reason })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_what_the_scanner_accepts_and_nothing_else() {
        for text in [
            "[{}, [], [[]], {\"a\": {\"b\": [null]}}]",
            " {\"k\" : [ true , false ] } ",
            "\"\\u0041\"",
            "[{]",
            "{\"a\":[}",
            "[1,]",
            "{\"a\":1,}",
            "{\"a\" 1}",
            "[] []",
            "{\"a\":1]",
            "[\"a\",",
            "nul",
            "-",
        ] {
            assert_eq!(
                parse(text).is_ok(),
                json::value_span(text.as_bytes()).is_ok(),
                "{text:?}"
            );
        }
    }

    #[test]
    fn builds_the_tree_with_borrowed_text() {
        let value = parse(r#"{"a": [1, "x\ny", {"b": null}], "a": true, "c": -2.5}"#).unwrap();
        assert_eq!(value.get("a"), Some(&Value::Bool(true)));
        assert_eq!(value.get("c"), Some(&Value::Number("-2.5")));
        let Value::Object(members) = &value else {
            panic!("not an object")
        };
        let Value::Array(items) = &members[0].1 else {
            panic!("not an array")
        };
        assert_eq!(items[1].text().as_deref(), Some("x\ny"));
        assert_eq!(items[2].get("b"), Some(&Value::Null));
    }

    #[test]
    fn depth_is_capped_without_recursion() {
        let ok = "[".repeat(json::MAX_DEPTH) + &"]".repeat(json::MAX_DEPTH);
        assert!(parse(&ok).is_ok());
        assert!(parse(&"[".repeat(1_000_000)).is_err());
        assert!(parse(&"{\"a\":".repeat(100_000)).is_err());
    }
}
