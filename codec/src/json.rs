//! A validating JSON scanner over bytes: it checks and skips values, walks an object's
//! members and unescapes strings, without building a tree. The stream codec uses it to read
//! the few fields it decides on (`type`, `index`, `delta.type`…) and to make sure every event
//! it hands to JavaScript is valid JSON, so that `JSON.parse` of a batch never throws.
//!
//! RFC 8259, strictly: no comments, no trailing commas, no leading zeros, no control
//! characters in strings. Work is linear in the input and the nesting depth is bounded
//! ([`MAX_DEPTH`]) without recursion, so no input can overflow the stack.

use crate::prelude::*;

/// The deepest nesting accepted (V8's `JSON.parse` accepts far more; no API value comes near).
pub const MAX_DEPTH: usize = 1024;

/// Why bytes are not JSON, and where.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct JsonError {
    /// Byte offset of the problem.
    pub at: usize,
    /// What was wrong there.
    pub reason: &'static str,
}

impl core::fmt::Display for JsonError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{} at byte {}", self.reason, self.at)
    }
}

fn error<T>(at: usize, reason: &'static str) -> Result<T, JsonError> {
    Err(JsonError { at, reason })
}

/// The first byte at or after `i` that is not JSON whitespace.
pub fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while let Some(b' ' | b'\t' | b'\n' | b'\r') = b.get(i) {
        i += 1;
    }
    i
}

/// Checks that `b` is exactly one JSON value (whitespace around it allowed); returns where
/// the value starts and ends.
pub fn value_span(b: &[u8]) -> Result<(usize, usize), JsonError> {
    let start = skip_ws(b, 0);
    let end = skip_value(b, start)?;
    let rest = skip_ws(b, end);
    if rest != b.len() {
        return error(rest, "unexpected text after the JSON value");
    }
    Ok((start, end))
}

/// Checks the value that starts at `i` (no whitespace before it) and returns where it ends.
pub fn skip_value(b: &[u8], i: usize) -> Result<usize, JsonError> {
    // One bit per open container: true for an object. Iterative, so depth costs no stack.
    let mut open: Vec<bool> = Vec::new();
    let mut i = i;
    loop {
        // A value.
        i = match b.get(i) {
            Some(b'"') => skip_string(b, i)?,
            Some(b'{' | b'[') => {
                let object = b.get(i) == Some(&b'{');
                if open.len() == MAX_DEPTH {
                    return error(i, "JSON nested too deeply");
                }
                let next = skip_ws(b, i + 1);
                let close = if object { b'}' } else { b']' };
                if b.get(next) == Some(&close) {
                    next + 1
                } else {
                    open.push(object);
                    i = if object { member_key(b, next)? } else { next };
                    continue;
                }
            }
            Some(b't') => literal(b, i, b"true")?,
            Some(b'f') => literal(b, i, b"false")?,
            Some(b'n') => literal(b, i, b"null")?,
            Some(b'-' | b'0'..=b'9') => skip_number(b, i)?,
            Some(_) => return error(i, "expected a JSON value"),
            None => return error(i, "unexpected end of JSON"),
        };
        // After a value: close containers or go on to the next element.
        loop {
            let Some(&object) = open.last() else {
                return Ok(i);
            };
            let next = skip_ws(b, i);
            match b.get(next) {
                Some(b',') => {
                    let after = skip_ws(b, next + 1);
                    i = if object { member_key(b, after)? } else { after };
                    break;
                }
                Some(b'}') if object => {
                    open.pop();
                    i = next + 1;
                }
                Some(b']') if !object => {
                    open.pop();
                    i = next + 1;
                }
                Some(_) => return error(next, "expected `,` or the end of the container"),
                None => return error(next, "unexpected end of JSON"),
            }
        }
    }
}

/// Skips `"key" :` (at the key's opening quote) and the whitespace after it; returns where the member's value starts.
pub fn member_key(b: &[u8], i: usize) -> Result<usize, JsonError> {
    if b.get(i) != Some(&b'"') {
        return error(i, "expected a string key");
    }
    let end = skip_string(b, i)?;
    let colon = skip_ws(b, end);
    if b.get(colon) != Some(&b':') {
        return error(colon, "expected `:`");
    }
    Ok(skip_ws(b, colon + 1))
}

/// Checks that `word` (`true`, `false`, `null`) is at `i`; returns the index after it.
pub fn literal(b: &[u8], i: usize, word: &[u8]) -> Result<usize, JsonError> {
    match b.get(i..i + word.len()) {
        Some(found) if found == word => Ok(i + word.len()),
        _ => error(i, "expected a JSON value"),
    }
}

/// Skips a string starting at its opening quote; returns the index after the closing one.
pub fn skip_string(b: &[u8], i: usize) -> Result<usize, JsonError> {
    let mut j = i + 1;
    loop {
        j = skip_plain(b, j);
        match b.get(j) {
            Some(b'"') => return Ok(j + 1),
            Some(b'\\') => match b.get(j + 1) {
                Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => j += 2,
                Some(b'u') => {
                    let hex = b.get(j + 2..j + 6).unwrap_or_default();
                    if hex.len() != 4 || !hex.iter().all(u8::is_ascii_hexdigit) {
                        return error(j, "bad \\u escape");
                    }
                    j += 6;
                }
                _ => return error(j, "bad escape"),
            },
            Some(0..=0x1f) => return error(j, "control character in a string"),
            Some(_) => j += 1,
            None => return error(j, "unterminated string"),
        }
    }
}

/// The first index at or after `j` that may need a look (a quote, a backslash, a control
/// character, or the last 7 bytes), eight bytes at a time: long strings (base64 images) are
/// most of a request's bytes.
fn skip_plain(b: &[u8], mut j: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let has_zero_byte = |v: u64| v.wrapping_sub(ONES) & !v & HIGH != 0;
    while let Some(word) = b.get(j..j + 8).and_then(|w| <[u8; 8]>::try_from(w).ok()) {
        let w = u64::from_le_bytes(word);
        if has_zero_byte(w ^ (ONES * u64::from(b'"')))
            || has_zero_byte(w ^ (ONES * u64::from(b'\\')))
            || w.wrapping_sub(ONES * 0x20) & !w & HIGH != 0
        {
            break;
        }
        j += 8;
    }
    j
}

/// Skips a number starting at its first character; returns the index after it.
pub fn skip_number(b: &[u8], i: usize) -> Result<usize, JsonError> {
    let digits = |mut j: usize| {
        while b.get(j).is_some_and(u8::is_ascii_digit) {
            j += 1;
        }
        j
    };
    let mut j = i;
    if b.get(j) == Some(&b'-') {
        j += 1;
    }
    j = match b.get(j) {
        Some(b'0') => j + 1,
        Some(b'1'..=b'9') => digits(j + 1),
        _ => return error(j, "bad number"),
    };
    if b.get(j) == Some(&b'.') {
        let end = digits(j + 1);
        if end == j + 1 {
            return error(end, "bad number");
        }
        j = end;
    }
    if let Some(b'e' | b'E') = b.get(j) {
        j += 1;
        if let Some(b'+' | b'-') = b.get(j) {
            j += 1;
        }
        let end = digits(j);
        if end == j {
            return error(end, "bad number");
        }
        j = end;
    }
    Ok(j)
}

/// The members of the object at `start` (its `{`), in order: each key's raw bytes (between
/// the quotes, escapes not resolved) and the span of its value. The object must have been
/// checked (by [`skip_value`] or [`value_span`]); on unchecked input the walk stops early.
pub fn members(b: &[u8], start: usize) -> Members<'_> {
    Members {
        b,
        i: if b.get(start) == Some(&b'{') {
            start + 1
        } else {
            b.len()
        },
    }
}

/// Iterator of [`members`].
pub struct Members<'a> {
    b: &'a [u8],
    i: usize,
}

impl<'a> Iterator for Members<'a> {
    type Item = (&'a [u8], (usize, usize));

    fn next(&mut self) -> Option<Self::Item> {
        let b = self.b;
        let key = skip_ws(b, self.i);
        if b.get(key) != Some(&b'"') {
            self.i = b.len();
            return None;
        }
        let key_end = skip_string(b, key).ok()?;
        let value = member_key(b, key).ok()?;
        let value_end = skip_value(b, value).ok()?;
        let after = skip_ws(b, value_end);
        self.i = if b.get(after) == Some(&b',') {
            after + 1
        } else {
            b.len()
        };
        Some((b.get(key + 1..key_end - 1)?, (value, value_end)))
    }
}

/// Where a value starts and ends in the scanned bytes.
pub type Span = (usize, usize);

/// Checks the object that starts at `start` (its `{`) in one pass, noting the value spans
/// of the members named in `names` (escape-free keys; the first of duplicates counts), and
/// returns them with the index after the object.
pub fn object_fields<const N: usize>(
    b: &[u8],
    start: usize,
    names: [&str; N],
) -> Result<([Option<Span>; N], usize), JsonError> {
    let mut found = [None; N];
    if b.get(start) != Some(&b'{') {
        return error(start, "expected an object");
    }
    let mut i = skip_ws(b, start + 1);
    if b.get(i) == Some(&b'}') {
        return Ok((found, i + 1));
    }
    loop {
        if b.get(i) != Some(&b'"') {
            return error(i, "expected a string key");
        }
        let key_end = skip_string(b, i)?;
        let key = b.get(i + 1..key_end - 1).unwrap_or_default();
        let value = member_key(b, i)?;
        let value_end = skip_value(b, value)?;
        if let Some(slot) = names
            .iter()
            .position(|name| name.as_bytes() == key)
            .and_then(|at| found.get_mut(at))
        {
            slot.get_or_insert((value, value_end));
        }
        let next = skip_ws(b, value_end);
        match b.get(next) {
            Some(b',') => i = skip_ws(b, next + 1),
            Some(b'}') => return Ok((found, next + 1)),
            Some(_) => return error(next, "expected `,` or `}`"),
            None => return error(next, "unexpected end of JSON"),
        }
    }
}

/// The value of the first member named `name` (an escape-free key, as every API field is) of
/// the checked object at `start`.
pub fn field(b: &[u8], start: usize, name: &str) -> Option<(usize, usize)> {
    members(b, start).find_map(|(key, span)| (key == name.as_bytes()).then_some(span))
}

/// The contents of the string whose span is given (quotes included), escapes resolved, as
/// UTF-8 bytes (invalid UTF-8 passes through; a lone surrogate escape becomes U+FFFD). `None`
/// when the span is not a string.
pub fn string(b: &[u8], (start, end): (usize, usize)) -> Option<alloc::borrow::Cow<'_, [u8]>> {
    let raw = b.get(start + 1..end.checked_sub(1)?)?;
    if b.get(start) != Some(&b'"') {
        return None;
    }
    if !raw.contains(&b'\\') {
        return Some(alloc::borrow::Cow::Borrowed(raw));
    }
    let mut out = Vec::with_capacity(raw.len());
    unescape_into(raw, &mut out);
    Some(alloc::borrow::Cow::Owned(out))
}

/// Appends the unescaped contents of a checked string's raw bytes to `out`.
pub fn unescape_into(raw: &[u8], out: &mut Vec<u8>) {
    let mut i = 0;
    while i < raw.len() {
        let Some(rest) = raw.get(i..) else { break };
        let plain = rest.iter().position(|&c| c == b'\\').unwrap_or(rest.len());
        out.extend_from_slice(rest.get(..plain).unwrap_or_default());
        i += plain;
        if i >= raw.len() {
            break;
        }
        let escaped = raw.get(i + 1).copied().unwrap_or(b'\\');
        i += 2;
        let simple = match escaped {
            b'b' => 0x08,
            b'f' => 0x0c,
            b'n' => b'\n',
            b'r' => b'\r',
            b't' => b'\t',
            b'u' => {
                let mut code = hex4(raw, i);
                i += 4;
                if (0xd800..0xdc00).contains(&code) && raw.get(i..i + 2) == Some(b"\\u") {
                    let low = hex4(raw, i + 2);
                    if (0xdc00..0xe000).contains(&low) {
                        code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
                        i += 6;
                    }
                }
                let c = char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER);
                out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
                continue;
            }
            other => other,
        };
        out.push(simple);
    }
}

fn hex4(raw: &[u8], i: usize) -> u32 {
    raw.get(i..i + 4)
        .and_then(|h| core::str::from_utf8(h).ok())
        .and_then(|h| u32::from_str_radix(h, 16).ok())
        .unwrap_or(0xfffd)
}

/// The non-negative integer whose span is given, if it is one that fits a `usize`.
pub fn index(b: &[u8], (start, end): (usize, usize)) -> Option<usize> {
    let digits = b.get(start..end)?;
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    digits.iter().try_fold(0usize, |acc, &d| {
        acc.checked_mul(10)?.checked_add(usize::from(d - b'0'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(text: &str) -> bool {
        value_span(text.as_bytes()).is_ok()
    }

    #[test]
    fn accepts_json_and_rejects_the_rest() {
        for good in [
            "0",
            "-0.5e+3",
            "\"a\\u00e9\\n\"",
            "[]",
            "{}",
            " [1, {\"a\": [true, false, null]}] ",
            "{\"a\":{\"b\":[]},\"c\":\"\"}",
            "1E9",
        ] {
            assert!(ok(good), "{good}");
        }
        for bad in [
            "",
            "01",
            "1.",
            "-",
            "[1,]",
            "{\"a\":1,}",
            "{a:1}",
            "\"\\x\"",
            "\"a",
            "[1 2]",
            "tru",
            "{\"a\"}",
            "\"\u{1}\"",
            "1 2",
            "{\"a\":1]",
            "[",
            "\"\\u12g4\"",
        ] {
            assert!(!ok(bad), "{bad:?}");
        }
    }

    #[test]
    fn depth_is_bounded_without_recursion() {
        let deep = "[".repeat(MAX_DEPTH) + &"]".repeat(MAX_DEPTH);
        assert!(ok(&deep));
        let deeper = "[".repeat(MAX_DEPTH + 1) + &"]".repeat(MAX_DEPTH + 1);
        assert_eq!(
            value_span(deeper.as_bytes()).unwrap_err().reason,
            "JSON nested too deeply"
        );
        // A million open brackets: an error, not a stack overflow.
        assert!(!ok(&"[".repeat(1_000_000)));
    }

    #[test]
    fn walks_members_and_reads_fields() {
        let text = br#"{"type":"content_block_delta", "index" : 12,"delta":{"type":"text_delta","text":"a\"\u00e9\ud83d\ude00"}}"#;
        assert!(value_span(text).is_ok());
        let keys: Vec<&[u8]> = members(text, 0).map(|(k, _)| k).collect();
        assert_eq!(keys, [&b"type"[..], b"index", b"delta"]);
        assert_eq!(index(text, field(text, 0, "index").unwrap()), Some(12));
        let delta = field(text, 0, "delta").unwrap();
        let value = string(text, field(text, delta.0, "text").unwrap()).unwrap();
        assert_eq!(core::str::from_utf8(&value).unwrap(), "a\"é😀");
        assert_eq!(field(text, 0, "missing"), None);
        assert_eq!(string(text, field(text, 0, "index").unwrap()), None);
    }

    #[test]
    fn object_fields_checks_and_collects_in_one_pass() {
        let text = br#"{"a":1,"b":{"c":[2]},"a":3,"d":"x"}"#;
        let (found, end) = object_fields(text, 0, ["a", "b", "z"]).unwrap();
        assert_eq!(end, text.len());
        assert_eq!(found[0], Some((5, 6)));
        assert_eq!(
            text.get(found[1].unwrap().0..found[1].unwrap().1).unwrap(),
            br#"{"c":[2]}"#
        );
        assert_eq!(found[2], None);
        for bad in [
            &br#"{"a":1,}"#[..],
            br#"{"a" 1}"#,
            br#"{"a":[1}"#,
            br#"{"a":1"#,
            b"[1]",
        ] {
            assert!(
                object_fields(bad, 0, ["a"]).is_err(),
                "{:?}",
                core::str::from_utf8(bad)
            );
        }
    }

    #[test]
    fn lone_surrogates_become_replacement_characters() {
        let text = br#""\ud800x\udc00""#;
        let value = string(text, (0, text.len())).unwrap();
        assert_eq!(core::str::from_utf8(&value).unwrap(), "\u{fffd}x\u{fffd}");
    }
}
