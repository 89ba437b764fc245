//! Completing a JSON prefix so that prefix + completion is one valid JSON value: the prefill
//! `{"name": "` gets `Ada", "answer": "…"}`-style continuations. A scanner tracks the open
//! containers and the token in progress; the completion finishes that token, fills any value
//! a key or comma still owes, and closes the containers innermost first.

/// Where the scanner is inside one container.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Slot {
    /// After `{` or `[`: a member or the end.
    FirstOrEnd,
    /// After `,`: a member is owed.
    Next,
    /// Object: after a key, `:` is owed.
    Colon,
    /// Object: after `:`, a value is owed.
    Value,
    /// After a member.
    AfterValue,
}

#[derive(Clone, Debug)]
struct Frame {
    object: bool,
    slot: Slot,
    /// The current key (objects).
    key: String,
    members: usize,
}

/// The token being read when the prefix ends.
#[derive(Debug, PartialEq)]
enum Partial {
    None,
    /// A string; `key` when it is an object key. `escape`: the characters of an unfinished escape
    /// after the backslash.
    Str {
        key: bool,
        text: String,
        escape: Option<String>,
    },
    Number(String),
    Literal(String),
}

/// A value to put where the completion owes one, by key (empty at array items and the root).
pub trait Values {
    /// A complete JSON value (serialized).
    fn value_for(&self, key: &str, depth: usize) -> String;
    /// The rest of a string value whose beginning is already written (without the closing quote,
    /// JSON-escaped).
    fn string_rest(&self, key: &str, started: &str) -> String;
    /// A key for an object that owes one.
    fn key_for(&self, members: usize) -> String;
}

struct Scan {
    frames: Vec<Frame>,
    partial: Partial,
    /// A complete top-level value was read.
    done: bool,
}

/// Scans a prefix; `None` when it cannot start a JSON value.
fn scan(prefix: &str) -> Option<Scan> {
    let mut scan = Scan {
        frames: Vec::new(),
        partial: Partial::None,
        done: false,
    };
    for c in prefix.chars() {
        match &mut scan.partial {
            Partial::Str { key, text, escape } => {
                match escape {
                    Some(esc) => {
                        esc.push(c);
                        let valid = match esc.as_bytes() {
                            [b'u', hex @ ..] => hex.iter().all(u8::is_ascii_hexdigit),
                            [single] => b"\"\\/bfnrt".contains(single),
                            _ => false,
                        };
                        if !valid {
                            return None;
                        }
                        if !esc.starts_with('u') || esc.len() == 5 {
                            text.push('\\');
                            text.push_str(esc);
                            *escape = None;
                        }
                    }
                    None if c == '\\' => *escape = Some(String::new()),
                    None if c == '"' => {
                        let (is_key, text) = (*key, std::mem::take(text));
                        scan.partial = Partial::None;
                        if is_key {
                            let frame = scan.frames.last_mut()?;
                            frame.key = text;
                            frame.slot = Slot::Colon;
                        } else {
                            scan.value_done()?;
                        }
                    }
                    None if (c as u32) < 0x20 => return None,
                    None => text.push(c),
                }
                continue;
            }
            Partial::Number(number) => {
                if c.is_ascii_digit() || "+-.eE".contains(c) {
                    number.push(c);
                    continue;
                }
                scan.partial = Partial::None;
                scan.value_done()?;
            }
            Partial::Literal(word) => {
                if c.is_ascii_alphabetic() {
                    word.push(c);
                    if !["true", "false", "null"]
                        .iter()
                        .any(|w| w.starts_with(word.as_str()))
                    {
                        return None;
                    }
                    continue;
                }
                if !["true", "false", "null"].contains(&word.as_str()) {
                    return None;
                }
                scan.partial = Partial::None;
                scan.value_done()?;
            }
            Partial::None => {}
        }
        if c.is_whitespace() {
            continue;
        }
        scan.token(c)?;
    }
    if let Partial::Literal(word) = &scan.partial {
        if ["true", "false", "null"].contains(&word.as_str()) {
            scan.partial = Partial::None;
            scan.value_done()?;
        }
    }
    Some(scan)
}

impl Scan {
    /// Whether a value may start here.
    fn expects_value(&self) -> bool {
        match self.frames.last() {
            None => !self.done,
            Some(frame) if frame.object => frame.slot == Slot::Value,
            Some(frame) => matches!(frame.slot, Slot::FirstOrEnd | Slot::Next),
        }
    }

    fn token(&mut self, c: char) -> Option<()> {
        let expects_value = self.expects_value();
        let frame = self.frames.last_mut();
        match c {
            '{' | '[' if expects_value => self.frames.push(Frame {
                object: c == '{',
                slot: Slot::FirstOrEnd,
                key: String::new(),
                members: 0,
            }),
            '"' if expects_value => {
                self.partial = Partial::Str {
                    key: false,
                    text: String::new(),
                    escape: None,
                }
            }
            '"' => {
                let frame = frame?;
                if !(frame.object && matches!(frame.slot, Slot::FirstOrEnd | Slot::Next)) {
                    return None;
                }
                self.partial = Partial::Str {
                    key: true,
                    text: String::new(),
                    escape: None,
                };
            }
            ':' => {
                let frame = frame?;
                if frame.slot != Slot::Colon {
                    return None;
                }
                frame.slot = Slot::Value;
            }
            ',' => {
                let frame = frame?;
                if frame.slot != Slot::AfterValue {
                    return None;
                }
                frame.slot = Slot::Next;
            }
            '}' | ']' => {
                let frame = frame?;
                let closes = frame.object == (c == '}');
                if !closes || !matches!(frame.slot, Slot::AfterValue | Slot::FirstOrEnd) {
                    return None;
                }
                self.frames.pop();
                self.value_done()?;
            }
            '-' | '0'..='9' if expects_value => self.partial = Partial::Number(c.to_string()),
            't' | 'f' | 'n' if expects_value => self.partial = Partial::Literal(c.to_string()),
            _ => return None,
        }
        Some(())
    }

    /// A value ended: the enclosing container moves on, or the top level is complete.
    fn value_done(&mut self) -> Option<()> {
        match self.frames.last_mut() {
            Some(frame) => {
                frame.slot = Slot::AfterValue;
                frame.members += 1;
            }
            None if self.done => return None,
            None => self.done = true,
        }
        Some(())
    }
}

/// True when `text` can start a JSON object or array (and is not finished already).
pub fn is_open_prefix(text: &str) -> bool {
    text.trim_start().starts_with(['{', '['])
        && scan(text).is_some_and(|s| !s.done || !s.frames.is_empty())
}

/// The text that completes the JSON prefix `prefix`, or `None` when it is not a JSON prefix.
pub fn complete(prefix: &str, values: &impl Values) -> Option<String> {
    let scan = scan(prefix)?;
    let mut out = String::new();
    let mut frames = scan.frames;
    match scan.partial {
        Partial::None => {}
        Partial::Str { key, text, escape } => {
            match escape.as_deref() {
                Some("") => out.push('n'),
                Some(esc) if esc.starts_with('u') => out.push_str(&"0".repeat(5 - esc.len())),
                _ => {}
            }
            if key {
                let frame = frames.last_mut()?;
                let key_text = if text.is_empty() && escape.is_none() {
                    let fresh = values.key_for(frame.members);
                    out.push_str(&fresh);
                    fresh
                } else {
                    text
                };
                out.push('"');
                frame.key = key_text;
                frame.slot = Slot::Colon;
            } else {
                let key = frames.last().map(|f| f.key.clone()).unwrap_or_default();
                let key = if frames.last().is_some_and(|f| f.object) {
                    key
                } else {
                    String::new()
                };
                let started = match &escape {
                    Some(esc) => format!("{text}\\{esc}"),
                    None => text,
                };
                out.push_str(&values.string_rest(&key, &started));
                out.push('"');
                if let Some(frame) = frames.last_mut() {
                    frame.slot = Slot::AfterValue;
                    frame.members += 1;
                }
            }
        }
        Partial::Number(number) => {
            if number.ends_with(['-', '+', '.', 'e', 'E']) {
                out.push('0');
            }
            if let Some(frame) = frames.last_mut() {
                frame.slot = Slot::AfterValue;
                frame.members += 1;
            }
        }
        Partial::Literal(word) => {
            let full = ["true", "false", "null"]
                .into_iter()
                .find(|w| w.starts_with(word.as_str()))?;
            out.push_str(&full[word.len()..]);
            if let Some(frame) = frames.last_mut() {
                frame.slot = Slot::AfterValue;
                frame.members += 1;
            }
        }
    }
    if frames.is_empty() && !scan.done && out.is_empty() {
        // Only white space so far: not a prefix worth completing.
        return None;
    }
    let ends_with_colon = prefix.ends_with(':');
    while let Some(frame) = frames.pop() {
        let value_depth = frames.len() + 1;
        if frame.object {
            match frame.slot {
                Slot::FirstOrEnd | Slot::Next => {
                    let key = values.key_for(frame.members);
                    out.push_str(&format!(
                        "\"{key}\": {}",
                        values.value_for(&key, value_depth)
                    ));
                }
                Slot::Colon => {
                    out.push_str(&format!(": {}", values.value_for(&frame.key, value_depth)))
                }
                Slot::Value => {
                    if ends_with_colon && out.is_empty() {
                        out.push(' ');
                    }
                    out.push_str(&values.value_for(&frame.key, value_depth));
                }
                Slot::AfterValue => {}
            }
            out.push('}');
        } else {
            match frame.slot {
                Slot::FirstOrEnd => {
                    let first = values.value_for("", value_depth);
                    let second = values.value_for("", value_depth + 1);
                    out.push_str(&format!("{first}, {second}"));
                }
                Slot::Next => out.push_str(&values.value_for("", value_depth)),
                _ => {}
            }
            out.push(']');
        }
        // The closed container was the value its parent owed.
        if let Some(parent) = frames.last_mut() {
            parent.slot = Slot::AfterValue;
            parent.members += 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Fixed;

    impl Values for Fixed {
        fn value_for(&self, key: &str, _depth: usize) -> String {
            serde_json::to_string(&format!("v-{key}")).unwrap()
        }
        fn string_rest(&self, key: &str, started: &str) -> String {
            if started.is_empty() {
                format!("rest-{key}")
            } else {
                String::new()
            }
        }
        fn key_for(&self, members: usize) -> String {
            format!("k{members}")
        }
    }

    fn completed(prefix: &str) -> String {
        let rest =
            complete(prefix, &Fixed).unwrap_or_else(|| panic!("no completion for {prefix:?}"));
        let whole = format!("{prefix}{rest}");
        serde_json::from_str::<serde_json::Value>(&whole)
            .unwrap_or_else(|e| panic!("{whole:?} does not parse: {e}"));
        whole
    }

    #[test]
    fn completes_every_kind_of_prefix() {
        assert_eq!(completed("{\"name\": \""), "{\"name\": \"rest-name\"}");
        assert_eq!(completed("["), "[\"v-\", \"v-\"]");
        assert_eq!(completed("{"), "{\"k0\": \"v-k0\"}");
        assert_eq!(completed("{\"a\":"), "{\"a\": \"v-a\"}");
        assert_eq!(completed("{\"a\": 1,"), "{\"a\": 1,\"k1\": \"v-k1\"}");
        assert_eq!(completed("{\"a\": [1, 2"), "{\"a\": [1, 2]}");
        assert_eq!(completed("{\"a\": tr"), "{\"a\": true}");
        assert_eq!(completed("{\"a\": -"), "{\"a\": -0}");
        assert_eq!(completed("{\"a\": 1.5e"), "{\"a\": 1.5e0}");
        assert_eq!(completed("{\"a\": \"x\\"), "{\"a\": \"x\\n\"}");
        assert_eq!(completed("{\"a\": \"\\u00"), "{\"a\": \"\\u0000\"}");
        assert_eq!(completed("{\"na"), "{\"na\": \"v-na\"}");
        assert_eq!(completed("{\""), "{\"k0\": \"v-k0\"}");
        assert_eq!(completed("[{\"k\": \"v\"}, "), "[{\"k\": \"v\"}, \"v-\"]");
        assert_eq!(completed("{\"n\": {\"x\": "), "{\"n\": {\"x\": \"v-x\"}}");
        assert_eq!(completed("{\"a\": null"), "{\"a\": null}");
        assert_eq!(completed("[1, 2]"), "[1, 2]");
    }

    #[test]
    fn refuses_what_is_not_json() {
        for text in ["{]", "[,", "{\"a\" 1", "{\"a\": x", "{\"a\": 1 2", "\"\x01"] {
            assert!(complete(text, &Fixed).is_none(), "{text:?}");
        }
        assert!(is_open_prefix("  {\"a\": ["));
        assert!(!is_open_prefix("{}"));
        assert!(!is_open_prefix("The answer is ("));
    }
}
