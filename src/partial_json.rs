//! Best-effort parsing of an unfinished JSON document.
//!
//! A `tool_use` block's `input` streams in as `input_json_delta` fragments that split anywhere
//! (inside keys, strings, escapes, numbers). [`parse_partial`] turns the buffer received so far
//! into the most complete [`Value`] it implies, so a UI can preview the arguments while they
//! arrive. It is one iterative pass over the bytes (no recursion, nesting capped like
//! `serde_json`), so calling it on every fragment of the growing buffer is cheap and safe.
//!
//! What an unfinished piece becomes:
//!
//! | text ends inside… | preview |
//! | --- | --- |
//! | an object or array | closed where the text stops |
//! | a string value | the characters so far; an unfinished escape (`\`, `\u12`) or a surrogate pair missing its second half is dropped |
//! | an object key, or a key whose value has not started (`{"a"`, `{"a": `) | the key is dropped |
//! | a number | the longest complete number it starts with (`12.` → 12, `1e` → 1, `1.5e-` → 1.5); a lone `-` is dropped |
//! | a literal (`tr`, `nul`, `fals`) | dropped |
//!
//! A dropped value inside an array or object is simply left out. When the top-level value
//! itself is dropped (the whole text is e.g. `tr`, `-` or ` n`), the result is
//! `Some(Value::Null)`: the text is a valid prefix, but nothing of the value can be shown yet.

use serde_json::{Map, Number, Value};

/// Deepest nesting of arrays/objects accepted, the same as `serde_json`'s recursion limit
/// (it rejects the 128th level), so complete documents succeed or fail exactly as there.
const MAX_DEPTH: usize = 127;

/// Parses a prefix of a JSON document, for previewing streamed tool input.
///
/// `Some(value)` is the most complete value the prefix implies (see the module docs for how
/// unfinished pieces are treated; a top-level value with nothing to show yet is
/// `Some(Value::Null)`). `None` means the text is empty or whitespace, is not a prefix of any
/// JSON document `serde_json` accepts (including trailing text after a complete value), or
/// nests deeper than `serde_json` allows. A complete document gives exactly what
/// `serde_json::from_str` gives. Never panics; linear in the length of `text`.
pub fn parse_partial(text: &str) -> Option<Value> {
    Parser {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        stack: Vec::new(),
    }
    .run()
}

/// An array or object that has been opened but not closed yet.
enum Frame {
    Array(Vec<Value>),
    Object {
        map: Map<String, Value>,
        /// The key whose value is being read (set once the key string is complete).
        key: Option<String>,
    },
}

/// What the grammar allows at the current position (whitespace is always skipped first).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// A value (top level, after `:` or after `,` in an array).
    Value,
    /// A value or `]` (just after `[`).
    ValueOrClose,
    /// A key string (after `,` in an object).
    Key,
    /// A key string or `}` (just after `{`).
    KeyOrClose,
    /// The `:` after a key.
    Colon,
    /// `,` or the closing bracket of the innermost container.
    CommaOrClose,
    /// Nothing but whitespace: the top-level value is complete.
    End,
}

/// How scanning a token ended.
enum Scan<T> {
    /// The token is complete; parsing resumes at `end`.
    Done(T, usize),
    /// The text ended inside the token; the payload is what can be shown of it, if anything.
    Eof(Option<T>),
    /// The token cannot start a valid JSON document's continuation.
    Invalid,
}

impl<T> Scan<T> {
    fn map<U>(self, f: impl FnOnce(T) -> U) -> Scan<U> {
        match self {
            Scan::Done(value, end) => Scan::Done(f(value), end),
            Scan::Eof(partial) => Scan::Eof(partial.map(f)),
            Scan::Invalid => Scan::Invalid,
        }
    }
}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    stack: Vec<Frame>,
}

impl Parser<'_> {
    fn run(mut self) -> Option<Value> {
        if self.first_non_ws() == self.bytes.len() {
            return None;
        }
        let mut expect = Expect::Value;
        let mut root: Option<Value> = None;
        loop {
            self.skip_whitespace();
            let Some(&b) = self.bytes.get(self.pos) else {
                return self.finish(root, None);
            };
            match expect {
                Expect::End => return None,
                Expect::Value | Expect::ValueOrClose => {
                    if b == b']' && expect == Expect::ValueOrClose {
                        self.pos += 1;
                        expect = self.close(&mut root)?;
                        continue;
                    }
                    let scanned = match b {
                        b'{' | b'[' => {
                            if self.stack.len() >= MAX_DEPTH {
                                return None;
                            }
                            self.pos += 1;
                            if b == b'{' {
                                self.stack.push(Frame::Object {
                                    map: Map::new(),
                                    key: None,
                                });
                                expect = Expect::KeyOrClose;
                            } else {
                                self.stack.push(Frame::Array(Vec::new()));
                                expect = Expect::ValueOrClose;
                            }
                            continue;
                        }
                        b'"' => self.scan_string().map(Value::String),
                        b't' => self.scan_literal(b"true", Value::Bool(true)),
                        b'f' => self.scan_literal(b"false", Value::Bool(false)),
                        b'n' => self.scan_literal(b"null", Value::Null),
                        b'-' | b'0'..=b'9' => self.scan_number(),
                        _ => return None,
                    };
                    match scanned {
                        Scan::Done(value, end) => {
                            self.pos = end;
                            expect = self.attach(value, &mut root)?;
                        }
                        Scan::Eof(partial) => return self.finish(root, partial),
                        Scan::Invalid => return None,
                    }
                }
                Expect::Key | Expect::KeyOrClose => match b {
                    b'}' if expect == Expect::KeyOrClose => {
                        self.pos += 1;
                        expect = self.close(&mut root)?;
                    }
                    b'"' => match self.scan_string() {
                        Scan::Done(name, end) => {
                            self.pos = end;
                            match self.stack.last_mut() {
                                Some(Frame::Object { key, .. }) => *key = Some(name),
                                _ => return None,
                            }
                            expect = Expect::Colon;
                        }
                        // An unfinished key is dropped.
                        Scan::Eof(_) => return self.finish(root, None),
                        Scan::Invalid => return None,
                    },
                    _ => return None,
                },
                Expect::Colon => {
                    if b != b':' {
                        return None;
                    }
                    self.pos += 1;
                    expect = Expect::Value;
                }
                Expect::CommaOrClose => {
                    self.pos += 1;
                    match (b, self.stack.last()) {
                        (b',', Some(Frame::Array(_))) => expect = Expect::Value,
                        (b',', Some(Frame::Object { .. })) => expect = Expect::Key,
                        (b']', Some(Frame::Array(_))) | (b'}', Some(Frame::Object { .. })) => {
                            expect = self.close(&mut root)?;
                        }
                        _ => return None,
                    }
                }
            }
        }
    }

    fn skip_whitespace(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.bytes.get(self.pos) {
            self.pos += 1;
        }
    }

    /// Puts a complete value into the innermost container (or makes it the top-level value)
    /// and says what may follow it.
    fn attach(&mut self, value: Value, root: &mut Option<Value>) -> Option<Expect> {
        match self.stack.last_mut() {
            None => {
                *root = Some(value);
                Some(Expect::End)
            }
            Some(Frame::Array(items)) => {
                items.push(value);
                Some(Expect::CommaOrClose)
            }
            Some(Frame::Object { map, key }) => {
                map.insert(key.take()?, value);
                Some(Expect::CommaOrClose)
            }
        }
    }

    /// Pops the innermost container (its closing bracket was just read) and attaches it.
    fn close(&mut self, root: &mut Option<Value>) -> Option<Expect> {
        let value = match self.stack.pop()? {
            Frame::Array(items) => Value::Array(items),
            Frame::Object { map, .. } => Value::Object(map),
        };
        self.attach(value, root)
    }

    /// The text ended: attaches what can be shown of the unfinished token and closes every open
    /// container.
    fn finish(mut self, root: Option<Value>, partial: Option<Value>) -> Option<Value> {
        if root.is_some() {
            return root;
        }
        let mut carry = partial;
        while let Some(frame) = self.stack.pop() {
            let value = match frame {
                Frame::Array(mut items) => {
                    items.extend(carry.take());
                    Value::Array(items)
                }
                Frame::Object { mut map, key } => {
                    // A key without a (showable) value is dropped.
                    if let (Some(key), Some(value)) = (key, carry.take()) {
                        map.insert(key, value);
                    }
                    Value::Object(map)
                }
            };
            carry = Some(value);
        }
        Some(carry.unwrap_or(Value::Null))
    }

    /// Index of the first non-whitespace byte of the whole text (its length if none).
    fn first_non_ws(&self) -> usize {
        self.bytes
            .iter()
            .position(|b| !matches!(b, b' ' | b'\n' | b'\r' | b'\t'))
            .unwrap_or(self.bytes.len())
    }

    /// Scans `true` / `false` / `null` starting at `self.pos`.
    fn scan_literal(&self, literal: &[u8], value: Value) -> Scan<Value> {
        for (offset, expected) in literal.iter().enumerate() {
            match self.bytes.get(self.pos + offset) {
                None => return Scan::Eof(None),
                Some(b) if b == expected => {}
                Some(_) => return Scan::Invalid,
            }
        }
        Scan::Done(value, self.pos + literal.len())
    }

    /// Scans a number starting at `self.pos`, parsing the completed text with `serde_json`.
    fn scan_number(&self) -> Scan<Value> {
        let bytes = self.bytes;
        let start = self.pos;
        let digit = |i: usize| bytes.get(i).is_some_and(u8::is_ascii_digit);
        let mut i = start;
        if bytes.get(i) == Some(&b'-') {
            i += 1;
        }
        match bytes.get(i) {
            None => return Scan::Eof(None),
            Some(b'0') => i += 1,
            Some(b'1'..=b'9') => {
                while digit(i) {
                    i += 1;
                }
            }
            Some(_) => return Scan::Invalid,
        }
        // `good` is the end of the longest complete number seen so far.
        let mut good = i;
        let mut cut_short = false;
        if bytes.get(i) == Some(&b'.') {
            i += 1;
            if digit(i) {
                while digit(i) {
                    i += 1;
                }
                good = i;
            } else if i >= bytes.len() {
                cut_short = true;
            } else {
                return Scan::Invalid;
            }
        }
        if !cut_short && matches!(bytes.get(i), Some(b'e' | b'E')) {
            i += 1;
            if matches!(bytes.get(i), Some(b'+' | b'-')) {
                i += 1;
            }
            if digit(i) {
                while digit(i) {
                    i += 1;
                }
                good = i;
            } else if i >= bytes.len() {
                cut_short = true;
            } else {
                return Scan::Invalid;
            }
        }
        let number = self
            .text
            .get(start..good)
            .and_then(|s| s.parse::<Number>().ok())
            .map(Value::Number);
        if cut_short || good >= bytes.len() {
            // More may follow. A number serde_json rejects as out of range so far is dropped,
            // not refused: `9…9` (400 digits) can still become the acceptable `9…9e-300`.
            Scan::Eof(number)
        } else {
            match number {
                Some(number) => Scan::Done(number, good),
                None => Scan::Invalid,
            }
        }
    }

    /// Scans a string whose opening quote is at `self.pos`.
    fn scan_string(&self) -> Scan<String> {
        let bytes = self.bytes;
        let mut out = String::new();
        let mut i = self.pos + 1;
        let mut run = i;
        loop {
            let Some(&b) = bytes.get(i) else {
                return match self.text.get(run..i) {
                    Some(tail) => {
                        out.push_str(tail);
                        Scan::Eof(Some(out))
                    }
                    None => Scan::Invalid,
                };
            };
            match b {
                b'"' | b'\\' => {
                    match self.text.get(run..i) {
                        Some(chunk) => out.push_str(chunk),
                        None => return Scan::Invalid,
                    }
                    if b == b'"' {
                        return Scan::Done(out, i + 1);
                    }
                    match scan_escape(bytes, i + 1) {
                        Scan::Done(c, end) => {
                            out.push(c);
                            i = end;
                            run = i;
                        }
                        Scan::Eof(_) => return Scan::Eof(Some(out)),
                        Scan::Invalid => return Scan::Invalid,
                    }
                }
                0x00..=0x1f => return Scan::Invalid,
                _ => i += 1,
            }
        }
    }
}

/// Scans the escape whose backslash is just before `i`. `Eof` means the text ended inside it
/// (the caller drops the whole escape, and for a surrogate pair both halves).
fn scan_escape(bytes: &[u8], i: usize) -> Scan<char> {
    let simple = match bytes.get(i) {
        None => return Scan::Eof(None),
        Some(b'"') => '"',
        Some(b'\\') => '\\',
        Some(b'/') => '/',
        Some(b'b') => '\u{8}',
        Some(b'f') => '\u{c}',
        Some(b'n') => '\n',
        Some(b'r') => '\r',
        Some(b't') => '\t',
        Some(b'u') => return scan_unicode_escape(bytes, i + 1),
        Some(_) => return Scan::Invalid,
    };
    Scan::Done(simple, i + 1)
}

/// Scans the hex digits of a `\u` escape starting at `i`, and its low surrogate if it is a
/// high one. `serde_json` rejects lone surrogates, so text that can only lead to one is invalid.
fn scan_unicode_escape(bytes: &[u8], i: usize) -> Scan<char> {
    let high = match hex4(bytes, i, NOT_LOW_SURROGATE) {
        Scan::Done(n, _) => n,
        Scan::Eof(_) => return Scan::Eof(None),
        Scan::Invalid => return Scan::Invalid,
    };
    if !(0xD800..=0xDBFF).contains(&high) {
        return match char::from_u32(high) {
            Some(c) => Scan::Done(c, i + 4),
            None => Scan::Invalid,
        };
    }
    let j = i + 4;
    match (bytes.get(j), bytes.get(j + 1)) {
        (None, _) | (Some(b'\\'), None) => return Scan::Eof(None),
        (Some(b'\\'), Some(b'u')) => {}
        _ => return Scan::Invalid,
    }
    let low = match hex4(bytes, j + 2, LOW_SURROGATE) {
        Scan::Done(n, _) => n,
        Scan::Eof(_) => return Scan::Eof(None),
        Scan::Invalid => return Scan::Invalid,
    };
    let code = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
    match char::from_u32(code) {
        Some(c) => Scan::Done(c, j + 6),
        None => Scan::Invalid,
    }
}

/// Which code units a `\u` escape may have at a given place.
type Allowed = fn(u32) -> bool;

const NOT_LOW_SURROGATE: Allowed = |n| !(0xDC00..=0xDFFF).contains(&n);
const LOW_SURROGATE: Allowed = |n| (0xDC00..=0xDFFF).contains(&n);

/// Reads four hex digits at `i`. When the text ends early, the digits so far must still be
/// completable to an allowed code unit, else the prefix can only lead to invalid JSON.
fn hex4(bytes: &[u8], i: usize, allowed: Allowed) -> Scan<u32> {
    let mut n: u32 = 0;
    for k in 0..4 {
        let Some(&b) = bytes.get(i + k) else {
            // Completions of the k digits read so far span [lo, hi].
            let shift = 4 * (4 - k as u32);
            let lo = n << shift;
            let hi = lo | ((1 << shift) - 1);
            let possible = possible_between(lo, hi, allowed);
            return if possible {
                Scan::Eof(None)
            } else {
                Scan::Invalid
            };
        };
        let d = match b {
            b'0'..=b'9' => b - b'0',
            b'a'..=b'f' => b - b'a' + 10,
            b'A'..=b'F' => b - b'A' + 10,
            _ => return Scan::Invalid,
        };
        n = (n << 4) | u32::from(d);
    }
    if allowed(n) {
        Scan::Done(n, i + 4)
    } else {
        Scan::Invalid
    }
}

/// Whether some code unit in `[lo, hi]` is allowed. The allowed sets are the low-surrogate
/// block or its complement, so checking the range ends and the block's edges is enough.
fn possible_between(lo: u32, hi: u32, allowed: Allowed) -> bool {
    [lo, hi, 0xDC00, 0xDFFF]
        .into_iter()
        .any(|n| lo <= n && n <= hi && allowed(n))
}
